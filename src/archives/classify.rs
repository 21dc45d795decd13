use std::collections::HashSet;

/// What a ZIP-family archive is, from the names of its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArchiveKind {
    Apk,
    Aab,
    /// XAPK or APKS: a ZIP of split APKs.
    Xapk,
    Ipa,
    Aar,
    Jar,
    Zip,
}

impl ArchiveKind {
    /// Lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveKind::Apk => "apk",
            ArchiveKind::Aab => "aab",
            ArchiveKind::Xapk => "xapk",
            ArchiveKind::Ipa => "ipa",
            ArchiveKind::Aar => "aar",
            ArchiveKind::Jar => "jar",
            ArchiveKind::Zip => "zip",
        }
    }

    /// The platform an archive of this kind targets, if any.
    pub fn platform(self) -> Option<&'static str> {
        match self {
            ArchiveKind::Apk | ArchiveKind::Aab | ArchiveKind::Xapk | ArchiveKind::Aar => {
                Some("android")
            }
            ArchiveKind::Ipa => Some("ios"),
            ArchiveKind::Jar | ArchiveKind::Zip => None,
        }
    }
}

/// Classifies an archive from its entry names (the layout each format
/// mandates), not from the archive's file name.
pub fn classify<'a>(names: impl IntoIterator<Item = &'a str>) -> ArchiveKind {
    let names: HashSet<&str> = names.into_iter().collect();
    let has = |n: &str| names.contains(n);
    if has("AndroidManifest.xml") && (has("classes.jar") || has("R.txt")) {
        return ArchiveKind::Aar;
    }
    if has("AndroidManifest.xml") {
        return ArchiveKind::Apk;
    }
    if has("base/manifest/AndroidManifest.xml") || has("BundleConfig.pb") {
        return ArchiveKind::Aab;
    }
    if names.iter().any(|n| is_ipa_app_dir(n)) {
        return ArchiveKind::Ipa;
    }
    let apks = names.iter().filter(|n| n.ends_with(".apk")).count();
    if apks > 0
        && (has("manifest.json")
            || has("toc.pb")
            || apks == names.iter().filter(|n| !n.ends_with('/')).count())
    {
        return ArchiveKind::Xapk;
    }
    if has("META-INF/MANIFEST.MF") || names.iter().any(|n| n.ends_with(".class")) {
        return ArchiveKind::Jar;
    }
    ArchiveKind::Zip
}

fn is_ipa_app_dir(name: &str) -> bool {
    name.strip_prefix("Payload/")
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|app| app.ends_with(".app"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_layout() {
        assert_eq!(
            classify(["AndroidManifest.xml", "classes.dex"]),
            ArchiveKind::Apk
        );
        assert_eq!(
            classify(["AndroidManifest.xml", "classes.jar", "R.txt"]),
            ArchiveKind::Aar
        );
        assert_eq!(
            classify(["BundleConfig.pb", "base/manifest/AndroidManifest.xml"]),
            ArchiveKind::Aab
        );
        assert_eq!(
            classify(["Payload/My App.app/Info.plist"]),
            ArchiveKind::Ipa
        );
        assert_eq!(
            classify(["manifest.json", "com.a.apk", "config.arm64_v8a.apk"]),
            ArchiveKind::Xapk
        );
        assert_eq!(
            classify(["base-master.apk", "base-arm64_v8a.apk", "toc.pb"]),
            ArchiveKind::Xapk
        );
        assert_eq!(
            classify(["META-INF/MANIFEST.MF", "a/B.class"]),
            ArchiveKind::Jar
        );
        assert_eq!(classify(["readme.txt"]), ArchiveKind::Zip);
        assert_eq!(classify(["Payload/", "Payload/x.txt"]), ArchiveKind::Zip);
    }
}
