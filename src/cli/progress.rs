//! What a scan says on standard error while it runs: a progress bar on a
//! terminal, per-input timing with `--verbose`, nothing with `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Inputs larger than this get a spinner even when scanned alone.
const LONG_SCAN_BYTES: u64 = 64 << 20;

/// Standard-error output of one scan.
pub struct Progress {
    bar: Option<ProgressBar>,
    verbose: bool,
}

impl Progress {
    /// A bar over `inputs` inputs when standard error is a terminal, output
    /// is not quiet, and there is more than one input or `bytes` is large.
    pub fn new(inputs: usize, bytes: u64, quiet: bool, verbose: bool) -> Self {
        let wanted =
            !quiet && std::io::stderr().is_terminal() && (inputs > 1 || bytes > LONG_SCAN_BYTES);
        let bar = wanted.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            verbose: verbose && !quiet,
        }
    }

    /// Notes that `name` is being scanned.
    pub fn start(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
        }
    }

    /// Notes that one input is done; prints `line` when verbose.
    pub fn done(&self, line: impl FnOnce() -> String) {
        if self.verbose {
            let line = format!("mastiff: {}", line());
            match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            }
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
