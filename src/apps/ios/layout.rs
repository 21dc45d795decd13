//! Where the parts of an iOS app live inside an IPA, found from entry names
//! alone. Names come from an untrusted archive: they are compared as
//! strings and never used as file-system paths.

/// At most this many frameworks and extensions are listed.
const MAX_BUNDLES: usize = 256;

/// One bundle directory (`Payload/X.app/`, `…/PlugIns/Y.appex/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Entry-name prefix of the bundle, ending in `/`.
    pub dir: String,
    /// Its Info.plist entry, when the archive has one.
    pub info_plist: Option<String>,
    /// Its embedded.mobileprovision entry, when the archive has one.
    pub provision: Option<String>,
}

impl Bundle {
    fn new(dir: String, names: &[String]) -> Self {
        let has = |n: &str| names.iter().any(|e| *e == n);
        let info = format!("{dir}Info.plist");
        let provision = format!("{dir}embedded.mobileprovision");
        Bundle {
            info_plist: has(&info).then_some(info),
            provision: has(&provision).then_some(provision),
            dir,
        }
    }

    /// The bundle's directory name (`X.app`).
    pub fn name(&self) -> &str {
        self.dir
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    }

    /// The entry of the bundle's executable: `CFBundleExecutable` when it is
    /// one plain file name, else the bundle name without its extension;
    /// `None` when no such entry exists.
    pub fn executable(
        &self,
        cf_bundle_executable: Option<&str>,
        names: &[String],
    ) -> Option<String> {
        let plain = |s: &&str| !s.is_empty() && !s.contains('/') && *s != "." && *s != "..";
        let file = cf_bundle_executable
            .filter(plain)
            .or_else(|| self.name().rsplit_once('.').map(|(stem, _)| stem))?;
        let entry = format!("{}{file}", self.dir);
        names.contains(&entry).then_some(entry)
    }
}

/// The bundles of one IPA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The app bundle.
    pub app: Bundle,
    /// `Frameworks/*.framework/` inside the app.
    pub frameworks: Vec<Bundle>,
    /// `PlugIns/*.appex/` inside the app.
    pub extensions: Vec<Bundle>,
}

/// Finds the app bundle (`Payload/<X>.app/`, also accepted one folder down
/// as some tools pack it) and the bundles inside it.
pub fn locate(names: &[String]) -> Option<Layout> {
    let dir = [0usize, 1]
        .iter()
        .find_map(|&depth| names.iter().find_map(|n| app_dir(n, depth)))?;
    let nested = |sub: &str, ext: &str| {
        let mut dirs: Vec<String> = Vec::new();
        let prefix = format!("{dir}{sub}/");
        for n in names {
            let Some(rest) = n.strip_prefix(&prefix) else {
                continue;
            };
            let Some((first, _)) = rest.split_once('/') else {
                continue;
            };
            if first.len() > ext.len() && first.ends_with(ext) {
                let d = format!("{prefix}{first}/");
                if !dirs.contains(&d) && dirs.len() < MAX_BUNDLES {
                    dirs.push(d);
                }
            }
        }
        dirs.into_iter().map(|d| Bundle::new(d, names)).collect()
    };
    Some(Layout {
        frameworks: nested("Frameworks", ".framework"),
        extensions: nested("PlugIns", ".appex"),
        app: Bundle::new(dir, names),
    })
}

/// `…Payload/<X>.app/` when `name` lies inside such a folder with
/// `Payload` as its `depth`-th component.
fn app_dir(name: &str, depth: usize) -> Option<String> {
    let parts: Vec<&str> = name.splitn(depth + 3, '/').collect();
    let payload = parts.get(depth)?;
    let app = parts.get(depth + 1)?;
    // The app folder must be followed by a `/` (an entry inside it, or the
    // directory entry itself).
    parts.get(depth + 2)?;
    if *payload != "Payload" || app.len() <= 4 || !app.ends_with(".app") {
        return None;
    }
    Some(format!("{}/", parts[..depth + 2].join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_app_frameworks_and_extensions() {
        let n = names(&[
            "Payload/",
            "Payload/My App.app/Info.plist",
            "Payload/My App.app/My App",
            "Payload/My App.app/embedded.mobileprovision",
            "Payload/My App.app/Frameworks/Alamofire.framework/Alamofire",
            "Payload/My App.app/Frameworks/Alamofire.framework/Info.plist",
            "Payload/My App.app/Frameworks/libswiftCore.dylib",
            "Payload/My App.app/PlugIns/Share.appex/Info.plist",
            "Payload/My App.app/PlugIns/Share.appex/Share",
            "Payload/My App.app/PlugIns/.appex/x",
        ]);
        let l = locate(&n).unwrap();
        assert_eq!(l.app.dir, "Payload/My App.app/");
        assert_eq!(l.app.name(), "My App.app");
        assert_eq!(
            l.app.info_plist.as_deref(),
            Some("Payload/My App.app/Info.plist")
        );
        assert!(l.app.provision.is_some());
        assert_eq!(
            l.app.executable(Some("My App"), &n).as_deref(),
            Some("Payload/My App.app/My App")
        );
        assert_eq!(l.frameworks.len(), 1);
        assert_eq!(l.frameworks[0].name(), "Alamofire.framework");
        assert_eq!(l.extensions.len(), 1);
        let share = &l.extensions[0];
        assert_eq!(
            share.executable(None, &n).as_deref(),
            Some("Payload/My App.app/PlugIns/Share.appex/Share")
        );
        assert!(share.provision.is_none());
    }

    #[test]
    fn names_are_only_strings() {
        let n = names(&["Payload/A.app/Info.plist", "Payload/A.app/A", "etc/passwd"]);
        let l = locate(&n).unwrap();
        for bad in ["../../etc/passwd", "/etc/passwd", "..", "", "sub/A"] {
            assert_eq!(
                l.app.executable(Some(bad), &n).as_deref(),
                Some("Payload/A.app/A"),
                "{bad}"
            );
        }
        assert!(l.app.executable(Some("Missing"), &n).is_none());
        assert!(locate(&names(&[
            "Payload/.app/x",
            "Payload/A.app",
            "x/y/Payload/B.app/z"
        ]))
        .is_none());
        let nested = locate(&names(&["Wrap/Payload/B.app/Info.plist"])).unwrap();
        assert_eq!(nested.app.dir, "Wrap/Payload/B.app/");
    }
}
