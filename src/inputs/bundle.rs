//! App bundle directories: a bare iOS `.app` (as Xcode builds it) and an
//! `.xcarchive` (as Xcode archives it). Each is scanned as one app, the IPA
//! it would be packaged into: its files are listed under `Payload/<X>.app/`.

use std::path::{Path, PathBuf};

/// What kind of bundle directory a path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleKind {
    /// `<X>.app/` holding an `Info.plist`.
    App,
    /// `<X>.xcarchive/` holding `Products/Applications/<Y>.app/`.
    Xcarchive,
}

impl BundleKind {
    /// Lower-case name used in reports as the scanned file's kind.
    pub fn as_str(self) -> &'static str {
        match self {
            BundleKind::App => "app-bundle",
            BundleKind::Xcarchive => "xcarchive",
        }
    }
}

/// The bundle kind of directory `dir`, if it is one.
pub fn kind(dir: &Path) -> Option<BundleKind> {
    let name = dir.file_name()?.to_string_lossy().to_ascii_lowercase();
    if name.len() > 4 && name.ends_with(".app") && dir.join("Info.plist").is_file() {
        return Some(BundleKind::App);
    }
    if name.ends_with(".xcarchive") && dir.join("Products/Applications").is_dir() {
        return Some(BundleKind::Xcarchive);
    }
    None
}

/// The files of a bundle directory, named as inside an IPA.
#[derive(Debug, Default)]
pub struct BundleFiles {
    /// `Payload/<X>.app/<path inside the app>`, sorted: the names an IPA
    /// of the app would have.
    pub names: Vec<String>,
    /// Each file's path relative to the bundle directory (what reports show).
    pub relative: Vec<String>,
    /// For each app: the IPA-style prefix (`Payload/<X>.app/`) and the
    /// matching prefix of relative paths (empty for a bare `.app`).
    pub prefixes: Vec<(String, String)>,
    /// Where each named file is on disk.
    pub paths: Vec<PathBuf>,
    /// What could not be listed or was left out, `(name, why)`.
    pub problems: Vec<(String, String)>,
}

/// Lists the files of bundle `dir` of `kind`, at most `max_files` of them.
/// Symbolic links are followed only to files inside the bundle; nothing
/// outside it is read. An `.xcarchive` contributes the apps under
/// `Products/Applications/` (its dSYMs repeat the binaries' strings).
pub fn list(dir: &Path, kind: BundleKind, max_files: usize) -> BundleFiles {
    let mut out = BundleFiles::default();
    let apps: Vec<PathBuf> = match kind {
        BundleKind::App => vec![dir.to_path_buf()],
        BundleKind::Xcarchive => {
            let products = dir.join("Products/Applications");
            let mut apps: Vec<PathBuf> = std::fs::read_dir(&products)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.is_dir() && self::kind(p) == Some(BundleKind::App))
                        .collect()
                })
                .unwrap_or_default();
            apps.sort();
            if apps.is_empty() {
                out.problems.push((
                    "Products/Applications".into(),
                    "no app bundle (<X>.app with an Info.plist) in this archive".into(),
                ));
            }
            apps
        }
    };
    for app in apps {
        let Ok(root) = app.canonicalize() else {
            continue;
        };
        let name = app
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let real = match kind {
            BundleKind::App => String::new(),
            BundleKind::Xcarchive => format!("Products/Applications/{name}/"),
        };
        out.prefixes
            .push((format!("Payload/{name}/"), real.clone()));
        let mut walker = Walker {
            root: &root,
            prefix: format!("Payload/{name}/"),
            real,
            max_files,
            full: false,
            out: &mut out,
        };
        walker.walk(&root, "", 0);
    }
    let mut order: Vec<usize> = (0..out.names.len()).collect();
    order.sort_by(|&a, &b| out.names[a].cmp(&out.names[b]));
    out.names = order.iter().map(|&i| out.names[i].clone()).collect();
    out.paths = order.iter().map(|&i| out.paths[i].clone()).collect();
    out.relative = order.iter().map(|&i| out.relative[i].clone()).collect();
    out
}

/// Deepest directory nesting followed inside a bundle.
const MAX_DEPTH: usize = 32;

struct Walker<'a> {
    root: &'a Path,
    prefix: String,
    real: String,
    max_files: usize,
    /// Set once `max_files` is reached (reported once).
    full: bool,
    out: &'a mut BundleFiles,
}

impl Walker<'_> {
    fn walk(&mut self, dir: &Path, rel: &str, depth: usize) {
        let prefix = self.prefix.clone();
        let real = self.real.clone();
        let label = |name: &str| format!("{prefix}{rel}{name}");
        let shown = |name: &str| format!("{real}{rel}{name}");
        if depth > MAX_DEPTH {
            self.out.problems.push((
                shown(""),
                format!("directories nested deeper than {MAX_DEPTH} levels; not walked"),
            ));
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(Result::ok).collect(),
            Err(e) => {
                self.out.problems.push((shown(""), e.to_string()));
                return;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            if self.full {
                return;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                self.walk(&path, &format!("{rel}{name}/"), depth + 1);
                continue;
            }
            if ft.is_symlink() {
                let inside = path
                    .canonicalize()
                    .is_ok_and(|t| t.starts_with(self.root) && t.is_file());
                if !inside {
                    // Framework symlinks to directories (`Versions/Current`)
                    // repeat files listed through their real path.
                    if !path.is_dir() {
                        self.out.problems.push((
                            shown(&name),
                            "symbolic link to a file outside the bundle; not followed".into(),
                        ));
                    }
                    continue;
                }
            } else if !ft.is_file() {
                continue;
            }
            if self.out.names.len() >= self.max_files {
                self.full = true;
                self.out.problems.push((
                    self.real.clone(),
                    format!(
                        "bundle has more than {} files; the rest were not scanned",
                        self.max_files
                    ),
                ));
                return;
            }
            self.out.names.push(label(&name));
            self.out.relative.push(format!("{}{rel}{name}", self.real));
            self.out.paths.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_app_and_xcarchive_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let app = tmp.path().join("Demo.app");
        std::fs::create_dir_all(app.join("Frameworks/A.framework")).unwrap();
        std::fs::write(app.join("Info.plist"), b"<plist/>").unwrap();
        std::fs::write(app.join("Demo"), b"bin").unwrap();
        std::fs::write(app.join("Frameworks/A.framework/A"), b"lib").unwrap();
        assert_eq!(kind(&app), Some(BundleKind::App));
        let files = list(&app, BundleKind::App, 100);
        assert_eq!(
            files.names,
            [
                "Payload/Demo.app/Demo",
                "Payload/Demo.app/Frameworks/A.framework/A",
                "Payload/Demo.app/Info.plist"
            ]
        );
        assert!(files.problems.is_empty(), "{:?}", files.problems);
        assert_eq!(files.relative[1], "Frameworks/A.framework/A");

        let archive = tmp.path().join("Demo 2026.xcarchive");
        let inner = archive.join("Products/Applications/Demo.app");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::create_dir_all(archive.join("dSYMs/Demo.app.dSYM")).unwrap();
        std::fs::write(inner.join("Info.plist"), b"<plist/>").unwrap();
        std::fs::write(archive.join("dSYMs/Demo.app.dSYM/x"), b"dwarf").unwrap();
        assert_eq!(kind(&archive), Some(BundleKind::Xcarchive));
        let files = list(&archive, BundleKind::Xcarchive, 100);
        assert_eq!(files.names, ["Payload/Demo.app/Info.plist"]);
        assert_eq!(
            files.relative,
            ["Products/Applications/Demo.app/Info.plist"]
        );

        // Neither: a plain folder, an .app without Info.plist.
        let plain = tmp.path().join("Other.app");
        std::fs::create_dir_all(&plain).unwrap();
        assert_eq!(kind(&plain), None);
        assert_eq!(kind(tmp.path()), None);
    }

    #[test]
    fn bounds_the_listing_and_stays_inside_the_bundle() {
        let tmp = tempfile::tempdir().unwrap();
        let app = tmp.path().join("A.app");
        std::fs::create_dir_all(&app).unwrap();
        std::fs::write(app.join("Info.plist"), b"<plist/>").unwrap();
        for i in 0..5 {
            std::fs::write(app.join(format!("f{i}")), b"x").unwrap();
        }
        let outside = tmp.path().join("secret.txt");
        std::fs::write(&outside, b"not part of the app").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, app.join("link")).unwrap();
        let files = list(&app, BundleKind::App, 3);
        assert_eq!(files.names.len(), 3);
        assert!(files
            .problems
            .iter()
            .any(|(_, why)| why.contains("more than 3")));
        let all = list(&app, BundleKind::App, 100);
        assert!(!all.names.iter().any(|n| n.ends_with("/link")));
        #[cfg(unix)]
        assert!(all
            .problems
            .iter()
            .any(|(n, why)| n == "link" && why.contains("outside")));
    }
}
