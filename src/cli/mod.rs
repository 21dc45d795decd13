//! The `mastiff` command line: argument parsing and the commands it runs.

mod args;
mod endpoints;
mod generate;
mod merge;
mod output;
mod progress;
mod rules;
mod scan;
mod shard;
mod stream;

pub use args::{BaselineCommand, Cli, Command, EndpointsArgs, MergeArgs, RulesCommand, ScanArgs};

use clap::Parser;

/// Exit status: success, no finding at or above `--fail-on`.
pub const EXIT_OK: i32 = 0;
/// Exit status: a finding at or above `--fail-on` exists.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit status: usage error, invalid configuration, unreadable input path or
/// unwritable output.
pub const EXIT_ERROR: i32 = 2;
/// Exit status with `--fail-on-incomplete`: some file or entry could not be
/// scanned in full (and no finding reached `--fail-on`).
pub const EXIT_INCOMPLETE: i32 = 3;

/// Parses the process arguments, runs the command and returns the exit status.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
        }
    };
    let result = match cli.command {
        Command::Scan(args) => scan::run(&args),
        Command::Endpoints(args) => endpoints::run(&args),
        Command::Baseline(BaselineCommand::Create(args)) => scan::create_baseline(&args),
        Command::Merge(args) => merge::run(&args),
        Command::Rules(cmd) => rules::run(&cmd),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { command } => generate::man(command.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("mastiff: error: {e:#}");
            EXIT_ERROR
        }
    }
}
