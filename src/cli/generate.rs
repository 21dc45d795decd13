//! Shell completions and the manual page, generated from the command-line
//! definition so that they never drift from it.

use super::args::Cli;
use super::EXIT_OK;
use anyhow::Context;
use clap::CommandFactory;
use std::io::Write;

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "mastiff", &mut out);
    out.flush().context("writing to standard output")?;
    Ok(EXIT_OK)
}

/// Writes the roff manual page of `mastiff`, or of `mastiff COMMAND`
/// (`mastiff-COMMAND(1)`), to standard output.
pub fn man(command: Option<&str>) -> anyhow::Result<i32> {
    let mut page = Vec::new();
    render_man(command, &mut page)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&page)
        .and_then(|_| out.flush())
        .context("writing to standard output")?;
    Ok(EXIT_OK)
}

fn render_man(command: Option<&str>, out: &mut Vec<u8>) -> anyhow::Result<()> {
    let cli = Cli::command();
    let cmd = match command {
        None => cli,
        Some(name) => {
            let sub = cli
                .find_subcommand(name)
                .with_context(|| format!("no command `{name}`"))?
                .clone();
            sub.name(format!("mastiff-{name}"))
                .bin_name(format!("mastiff {name}"))
                .version(crate::VERSION)
        }
    };
    clap_mangen::Man::new(cmd)
        .render(out)
        .context("rendering the manual page")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn man_page_documents_every_command_and_option() {
        let page = |cmd: Option<&str>| {
            let mut page = Vec::new();
            render_man(cmd, &mut page).unwrap();
            String::from_utf8(page).unwrap()
        };
        let main = page(None);
        assert!(main.contains(".TH mastiff 1"), "{main}");
        assert!(main.contains("completions"));
        let scan = page(Some("scan"));
        assert!(scan.contains(".TH mastiff-scan 1"), "{scan}");
        for needle in [
            "\\-\\-min\\-confidence",
            "\\-\\-baseline",
            "\\-\\-sarif\\-category",
        ] {
            assert!(scan.contains(needle), "scan page lacks {needle}");
        }
        assert!(render_man(Some("nope"), &mut Vec::new()).is_err());
    }

    #[test]
    fn completions_name_the_subcommands() {
        let mut out = Vec::new();
        clap_complete::generate(
            clap_complete::Shell::Bash,
            &mut Cli::command(),
            "mastiff",
            &mut out,
        );
        let script = String::from_utf8(out).unwrap();
        assert!(script.contains("complete -F _mastiff"));
        assert!(script.contains("--min-confidence"));
        assert!(script.contains("baseline"));
    }
}
