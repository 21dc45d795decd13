//! The optional content-addressed result cache (`--cache DIR`).
//!
//! What one leaf entry (a DEX, a library, a resource file) yields depends
//! only on its bytes, its format and the build of mastiff with its rules. A
//! cache record holds that yield keyed by the SHA-256 of all four, so a
//! re-scan of a new build of an app re-analyses only the entries that
//! changed. Locations are stored relative to the entry and re-attached on
//! load, so a record serves the same bytes wherever they appear.
//!
//! Records are files under the cache directory, written atomically; an
//! unreadable, oversized or malformed record is a miss, never an error.

use super::Hit;
use crate::apps::Fact;
use crate::detectors::endpoints::Sighting;
use crate::formats::Kind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Entries smaller than this are scanned rather than looked up: a record
/// costs more to read than they cost to scan.
pub(crate) const MIN_ENTRY: usize = 4096;

/// Largest record read back.
const MAX_RECORD: u64 = 256 << 20;

/// What scanning one entry yielded, without the entry's location.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Record {
    pub hits: Vec<Hit>,
    pub endpoints: Vec<(Sighting, Option<String>)>,
    /// Messages of the entry's own errors.
    pub errors: Vec<String>,
    pub facts: Vec<Fact>,
    /// Certificate records, path left empty.
    #[serde(default)]
    pub certificates: Vec<crate::findings::CertificateRecord>,
}

/// A cache directory and the key of the running build and rules.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    key: [u8; 32],
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Cache {
    /// A cache in `dir` (created if missing) for results of the build and
    /// rules summarised by `key`: records of other keys are never read.
    pub fn open(dir: &Path, key: &[u8]) -> std::io::Result<Cache> {
        std::fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            key: Sha256::digest(key).into(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        })
    }

    /// Lookups answered from the cache, and lookups that were not.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// The record file of an entry of `kind` holding `bytes`.
    pub(crate) fn slot(&self, kind: Kind, bytes: &[u8]) -> PathBuf {
        let mut h = Sha256::new();
        h.update(self.key);
        h.update(kind.as_str().as_bytes());
        h.update([0]);
        h.update(bytes);
        let name: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(&name[..2]).join(format!("{name}.json"))
    }

    /// The record at `slot`, if there is a readable one.
    pub(crate) fn load(&self, slot: &Path) -> Option<Record> {
        let record = std::fs::metadata(slot)
            .ok()
            .filter(|m| m.is_file() && m.len() <= MAX_RECORD)
            .and_then(|_| std::fs::read(slot).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let counter = if record.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        record
    }

    /// Stores `record` at `slot`; failures only cost a later re-scan.
    pub(crate) fn store(&self, slot: &Path, record: &Record) {
        let Some(dir) = slot.parent() else { return };
        let Ok(bytes) = serde_json::to_vec(record) else {
            return;
        };
        let tmp = slot.with_extension(format!("{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|_| std::fs::File::create(&tmp))
            .and_then(|mut f| f.write_all(&bytes))
            .and_then(|_| std::fs::rename(&tmp, slot));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_keys_separate_builds() {
        let dir = tempfile::tempdir().unwrap();
        let a = Cache::open(dir.path(), b"build a").unwrap();
        let b = Cache::open(dir.path(), b"build b").unwrap();
        let bytes = vec![7u8; 5000];
        let slot = a.slot(Kind::Binary, &bytes);
        assert_ne!(slot, b.slot(Kind::Binary, &bytes));
        assert_ne!(slot, a.slot(Kind::Text, &bytes));
        assert!(a.load(&slot).is_none());
        let record = Record {
            hits: vec![Hit {
                rule_id: "r".into(),
                value: "v".into(),
                message: "m".into(),
                severity: None,
                confidence: None,
                offset: Some(3),
                line: None,
                symbol: Some("s".into()),
            }],
            errors: vec!["e".into()],
            ..Record::default()
        };
        a.store(&slot, &record);
        let back = a.load(&slot).unwrap();
        assert_eq!(back.hits, record.hits);
        assert_eq!(back.errors, record.errors);
        assert_eq!(a.stats(), (1, 1));
    }

    #[test]
    fn malformed_records_are_misses() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path(), b"k").unwrap();
        let slot = cache.slot(Kind::Binary, b"x");
        std::fs::create_dir_all(slot.parent().unwrap()).unwrap();
        std::fs::write(&slot, b"{not json").unwrap();
        assert!(cache.load(&slot).is_none());
    }
}
