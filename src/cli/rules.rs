use super::args::{ListFormat, RulesCommand};
use super::{EXIT_FINDINGS, EXIT_OK};
use crate::detectors::rules::{self, RuleSet};
use anyhow::Context;
use std::io::Write;
use std::path::Path;

/// Runs `mastiff rules …`; returns the exit status.
pub fn run(cmd: &RulesCommand) -> anyhow::Result<i32> {
    match cmd {
        RulesCommand::List { format, rules: dir } => {
            let set = load(dir.as_deref())?;
            let text = match format {
                ListFormat::Text => rules::list_text(&set),
                ListFormat::Json => rules::list_json(&set),
                ListFormat::Markdown => rules::list_markdown(&set),
            };
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            if !text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            Ok(EXIT_OK)
        }
        RulesCommand::Check { rules: dir } => {
            let set = load(dir.as_deref())?;
            let problems = rules::check(&set);
            for p in &problems {
                println!("{p}");
            }
            if problems.is_empty() {
                println!(
                    "{} rules checked: all examples match, no negative example does",
                    set.len()
                );
                Ok(EXIT_OK)
            } else {
                println!("{} problems in {} rules", problems.len(), set.len());
                Ok(EXIT_FINDINGS)
            }
        }
    }
}

fn load(dir: Option<&Path>) -> anyhow::Result<RuleSet> {
    let set = RuleSet::builtin().context("loading built-in rules")?;
    match dir {
        Some(d) => set
            .with_user_dir(d)
            .with_context(|| format!("loading rules from {}", d.display())),
        None => Ok(set),
    }
}
