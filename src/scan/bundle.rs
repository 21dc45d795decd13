//! Scanning an app bundle directory (`.app`, `.xcarchive`): its files are
//! walked like the entries of the IPA it would be packaged into, each
//! memory-mapped in turn, and the app is analysed like that IPA.

use super::{hex, join, Outcome, Scanner, Walk};
use crate::apps::AppFiles;
use crate::archives::{ArchiveKind, Entry, Limits};
use crate::findings::{Finding, ScanError, ScannedArtifact};
use crate::inputs::bundle::{self, BundleFiles, BundleKind};
use crate::inputs::Source;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

impl Scanner {
    /// Scans bundle directory `dir` of `kind`, shown as `display`.
    pub(super) fn scan_bundle(
        &self,
        display: &str,
        dir: &Path,
        kind: BundleKind,
    ) -> (ScannedArtifact, Vec<Finding>) {
        let files = bundle::list(dir, kind, self.limits.max_entries);
        let mut walk = Walk::new(self, display);
        walk.renames = files.prefixes.clone();
        let chain = vec![display.to_string()];
        let mut outcome = Outcome::default();
        for (name, message) in &files.problems {
            outcome.errors.push(ScanError {
                path: name.clone(),
                message: message.clone(),
            });
        }
        let (walked, digest, size) = walk.visit_bundle(&chain, &files);
        outcome = outcome.merge(walked);
        let app = DirFiles {
            files: &files,
            limits: &self.limits,
        };
        walk.analyze_app(&chain, &app, ArchiveKind::Ipa, &mut outcome);
        self.finish(&walk, digest, kind.as_str().to_string(), size, outcome)
    }
}

impl Walk<'_> {
    /// Walks every file of a bundle (named by its relative path) as an entry
    /// of the app at `chain`.
    /// Returns the outcome, a SHA-256 over the sorted names and each file's
    /// SHA-256 (the bundle's identity), and the total size read.
    fn visit_bundle(&self, chain: &[String], files: &BundleFiles) -> (Outcome, String, u64) {
        let limits = &self.scanner.limits;
        let visited: Vec<(Outcome, [u8; 32], u64)> = files
            .relative
            .par_iter()
            .zip(files.paths.par_iter())
            .map(|(name, path)| match Source::open(path) {
                Ok(src) => {
                    let bytes = src.bytes();
                    let hash: [u8; 32] = Sha256::digest(bytes).into();
                    let (data, truncated) = cap(bytes, limits);
                    let entry = Entry {
                        name: name.clone(),
                        data: Cow::Borrowed(data),
                        truncated,
                    };
                    let outcome = self.visit_entry(chain, entry, 0);
                    (outcome, hash, bytes.len() as u64)
                }
                Err(e) => (
                    Outcome::error(join(chain, name), format!("cannot read: {e}")),
                    [0; 32],
                    0,
                ),
            })
            .collect();
        let mut digest = Sha256::new();
        let mut outcome = Outcome::default();
        let mut size = 0u64;
        for (name, (one, hash, len)) in files.relative.iter().zip(visited) {
            digest.update(name.as_bytes());
            digest.update([0]);
            digest.update(hash);
            size = size.saturating_add(len);
            outcome = outcome.merge(one);
        }
        (outcome, hex(&digest.finalize()), size)
    }
}

/// The part of a file within the per-entry size limit, and why it was cut.
fn cap<'b>(bytes: &'b [u8], limits: &Limits) -> (&'b [u8], Option<String>) {
    let max = usize::try_from(limits.max_entry_size).unwrap_or(usize::MAX);
    match bytes.get(..max) {
        Some(head) if head.len() < bytes.len() => (
            head,
            Some(format!(
                "file is {} bytes; only the first {max} were scanned",
                bytes.len()
            )),
        ),
        _ => (bytes, None),
    }
}

/// The files of a bundle directory, read on demand for app-level checks.
struct DirFiles<'a> {
    files: &'a BundleFiles,
    limits: &'a Limits,
}

impl AppFiles for DirFiles<'_> {
    fn names(&self) -> &[String] {
        &self.files.names
    }

    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        let i = self
            .files
            .names
            .binary_search_by(|n| n.as_str().cmp(name))
            .ok()?;
        let file = std::fs::File::open(self.files.paths.get(i)?).ok()?;
        let mut data = Vec::new();
        file.take(self.limits.max_entry_size)
            .read_to_end(&mut data)
            .ok()?;
        Some(Cow::Owned(data))
    }
}

#[cfg(test)]
mod tests {
    use crate::archives::Limits;
    use crate::scan::Scanner;
    use std::io::Read;
    use std::path::Path;

    /// Unpacks the demo IPA's `Payload/` into `dir`.
    fn unpack(ipa: &[u8], dir: &Path) {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(ipa)).unwrap();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let Some(rel) = f.enclosed_name() else {
                continue;
            };
            let out = dir.join(rel);
            if f.is_dir() {
                std::fs::create_dir_all(&out).unwrap();
                continue;
            }
            std::fs::create_dir_all(out.parent().unwrap()).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            std::fs::write(out, data).unwrap();
        }
    }

    fn scanner() -> Scanner {
        Scanner::new(crate::detectors::builtin().unwrap(), Limits::default())
    }

    fn found(report: &crate::findings::ScanReport) -> Vec<(String, String, String)> {
        let mut v: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.rule_id.clone(), f.location.path.clone(), f.value.clone()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_app_directory_and_an_xcarchive_are_scanned_like_the_ipa() {
        let ipa = crate::fixtures::samples::demo_ipa();
        let tmp = tempfile::tempdir().unwrap();
        unpack(&ipa, tmp.path());
        let app = tmp.path().join("Payload/MastiffDemo.app");
        let archive = tmp.path().join("Demo.xcarchive");
        let inner = archive.join("Products/Applications");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::rename(&app, inner.join("MastiffDemo.app")).unwrap();
        std::fs::create_dir_all(archive.join("dSYMs")).unwrap();

        let s = scanner();
        let from_ipa = s.scan_bytes("demo.ipa", &ipa);
        let (inputs, errors) = crate::inputs::collect(&[tmp.path().to_path_buf()]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(inputs.len(), 1, "{inputs:?}");
        let report = s.scan_inputs(&inputs);
        let artifact = &report.scanned[0];
        assert_eq!(artifact.kind, "xcarchive");
        assert!(artifact.errors.is_empty(), "{:?}", artifact.errors);
        assert_eq!(artifact.apps.len(), 1);
        assert_eq!(artifact.apps[0].id, from_ipa.0.apps[0].id);
        // The same findings, located where the files are in the archive.
        let expected: Vec<(String, String, String)> = {
            let mut v: Vec<_> = from_ipa
                .1
                .iter()
                .map(|f| {
                    let path = f.location.path.replace(
                        "Payload/MastiffDemo.app/",
                        "Products/Applications/MastiffDemo.app/",
                    );
                    (f.rule_id.clone(), path, f.value.clone())
                })
                .collect();
            v.sort();
            v
        };
        assert!(!expected.is_empty());
        assert_eq!(found(&report), expected);

        // The bare .app inside it, given directly.
        let bare = inner.join("MastiffDemo.app");
        let (inputs, _) = crate::inputs::collect(&[bare]);
        let report = s.scan_inputs(&inputs);
        assert_eq!(report.scanned[0].kind, "app-bundle");
        assert!(report
            .findings
            .iter()
            .any(|f| f.location.path == "Info.plist" && f.rule_id == "ios-ats-arbitrary-loads"));
        assert_eq!(report.findings.len(), expected.len());
    }

    #[test]
    fn a_plain_directory_given_as_input_is_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let input = crate::inputs::Input {
            path: tmp.path().to_path_buf(),
            display: "dir".into(),
        };
        let report = scanner().scan_inputs(&[input]);
        assert_eq!(report.scanned[0].kind, "directory");
        assert_eq!(report.error_count(), 1);
    }
}
