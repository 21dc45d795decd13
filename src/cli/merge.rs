//! `mastiff merge`: one report from the reports of several shards.

use super::args::{MergeArgs, MergeFormat};
use super::output::write_atomically;
use super::EXIT_OK;
use crate::reports::merge::{self, Kind};
use anyhow::{bail, Context};
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// Largest report read, in bytes.
const MAX_REPORT_BYTES: u64 = 1 << 30;

/// Runs `mastiff merge`; returns the exit status.
pub fn run(args: &MergeArgs) -> anyhow::Result<i32> {
    let mut docs = Vec::with_capacity(args.files.len());
    let mut kind = args.format.map(|f| match f {
        MergeFormat::Json => Kind::Json,
        MergeFormat::Sarif => Kind::Sarif,
    });
    for path in &args.files {
        let doc = read(path)?;
        let Some(this) = merge::kind_of(&doc) else {
            bail!(
                "{}: neither a mastiff JSON report nor a SARIF log",
                path.display()
            );
        };
        match kind {
            Some(k) if k != this => bail!(
                "{}: a {} report, expected {}",
                path.display(),
                name(this),
                name(k)
            ),
            _ => kind = Some(this),
        }
        docs.push(doc);
    }
    let mut out = match kind {
        Some(Kind::Sarif) => {
            let merged = merge::merge_sarif(docs).map_err(anyhow::Error::msg)?;
            for w in &merged.warnings {
                eprintln!("mastiff: warning: {w}");
            }
            serde_json::to_vec_pretty(&merged.log)?
        }
        _ => serde_json::to_vec_pretty(&merge::merge_json(docs).map_err(anyhow::Error::msg)?)?,
    };
    out.push(b'\n');
    match &args.output {
        Some(path) => {
            write_atomically(path, &out).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&out)
                .and_then(|_| stdout.flush())
                .context("writing to standard output")?
        }
    }
    Ok(EXIT_OK)
}

fn name(kind: Kind) -> &'static str {
    match kind {
        Kind::Json => "JSON",
        Kind::Sarif => "SARIF",
    }
}

/// Reads one report, refusing files too large to be one.
fn read(path: &Path) -> anyhow::Result<Value> {
    let len = std::fs::metadata(path)
        .with_context(|| format!("reading {}", path.display()))?
        .len();
    if len > MAX_REPORT_BYTES {
        bail!("{}: larger than {MAX_REPORT_BYTES} bytes", path.display());
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a JSON document", path.display()))
}
