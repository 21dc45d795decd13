//! Turn command-line paths into inputs: directories are walked recursively
//! (in sorted order, without following symlinked directories), and each
//! file is memory-mapped for reading. An app bundle directory (`.app`,
//! `.xcarchive`) is one input, scanned as the app it is.

pub mod bundle;
mod source;

pub use source::Source;

use std::path::{Path, PathBuf};

/// A file or app bundle directory to scan, with the path shown in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Filesystem path used to open the file.
    pub path: PathBuf,
    /// Path as shown in reports: as given on the command line, or the
    /// given directory joined with the file's relative path.
    pub display: String,
}

/// A path that could not be read while collecting inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

/// Directory names never descended into.
const SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn"];

/// Expands `paths` into the files to scan, in a deterministic order.
/// Missing or unreadable paths are returned as errors; the rest go on.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() && bundle::kind(p).is_some() => inputs.push(Input {
                path: p.clone(),
                display: display(p),
            }),
            Ok(m) if m.is_dir() => walk_dir(p, &mut inputs, &mut errors),
            Ok(m) if m.is_file() => inputs.push(Input {
                path: p.clone(),
                display: display(p),
            }),
            Ok(_) => errors.push(InputError {
                path: display(p),
                message: "not a regular file or directory".into(),
            }),
            Err(e) => errors.push(InputError {
                path: display(p),
                message: e.to_string(),
            }),
        }
    }
    (inputs, errors)
}

fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

fn walk_dir(dir: &Path, inputs: &mut Vec<Input>, errors: &mut Vec<InputError>) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| {
                e.map_err(|e| {
                    errors.push(InputError {
                        path: display(dir),
                        message: e.to_string(),
                    })
                })
                .ok()
            })
            .collect(),
        Err(e) => {
            errors.push(InputError {
                path: display(dir),
                message: e.to_string(),
            });
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        // file_type() does not follow symlinks: symlinked directories are
        // skipped (no cycles), symlinked files are followed below.
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() && bundle::kind(&path).is_some() {
            inputs.push(Input {
                display: display(&path),
                path,
            });
        } else if ft.is_dir() {
            if !SKIPPED_DIRS.iter().any(|s| entry.file_name() == *s) {
                walk_dir(&path, inputs, errors);
            }
        } else if ft.is_file() || (ft.is_symlink() && path.is_file()) {
            inputs.push(Input {
                display: display(&path),
                path,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_directories_sorted_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/.git")).unwrap();
        std::fs::write(dir.path().join("b/z.apk"), b"x").unwrap();
        std::fs::write(dir.path().join("b/.git/config"), b"x").unwrap();
        std::fs::write(dir.path().join("a.ipa"), b"x").unwrap();
        let missing = dir.path().join("nope");
        let (inputs, errors) = collect(&[dir.path().to_path_buf(), missing]);
        let names: Vec<_> = inputs
            .iter()
            .map(|i| i.path.strip_prefix(dir.path()).unwrap().to_path_buf())
            .collect();
        assert_eq!(
            names,
            vec![PathBuf::from("a.ipa"), PathBuf::from("b/z.apk")]
        );
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn display_drops_leading_dot_slash() {
        assert_eq!(display(Path::new("./samples/a.apk")), "samples/a.apk");
    }
}
