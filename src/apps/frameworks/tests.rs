use super::*;
use crate::apps::{AppFiles, Issue};
use crate::fixtures::axml::{Element, Encoding};
use std::borrow::Cow;

struct Files(Vec<String>, Vec<Vec<u8>>);

impl Files {
    fn new(entries: &[(&str, &[u8])]) -> Self {
        Files(
            entries.iter().map(|(n, _)| n.to_string()).collect(),
            entries.iter().map(|(_, b)| b.to_vec()).collect(),
        )
    }
}

impl AppFiles for Files {
    fn names(&self) -> &[String] {
        &self.0
    }
    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        let i = self.0.iter().position(|n| n == name)?;
        Some(Cow::Borrowed(&self.1[i]))
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn rules(issues: &[Issue]) -> Vec<(&str, &str)> {
    issues
        .iter()
        .map(|i| (i.rule_id, i.value.as_str()))
        .collect()
}

#[test]
fn detects_frameworks_from_structure() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[
                "lib/arm64-v8a/libreactnativejni.so",
                "lib/arm64-v8a/libhermes.so",
                "assets/index.android.bundle",
            ],
            &["react-native", "hermes"],
        ),
        (&["assets/index.android.bundle"], &[]),
        (
            &[
                "Payload/A.app/main.jsbundle",
                "Payload/A.app/Frameworks/React.framework/React",
            ],
            &["react-native"],
        ),
        (
            &[
                "lib/arm64-v8a/libmonodroid.so",
                "assemblies/Demo.dll",
                "assemblies/Microsoft.Maui.Controls.dll",
            ],
            &["xamarin", "maui"],
        ),
        (
            &[
                "lib/x86_64/libmonodroid.so",
                "lib/x86_64/libassemblies.x86_64.blob.so",
            ],
            &["xamarin"],
        ),
        (
            &[
                "lib/arm64-v8a/libil2cpp.so",
                "assets/bin/Data/Managed/Metadata/global-metadata.dat",
            ],
            &["unity-il2cpp"],
        ),
        (&["lib/arm64-v8a/libil2cpp.so"], &[]),
        (
            &["lib/arm64-v8a/libflutter.so", "lib/arm64-v8a/libapp.so"],
            &["flutter"],
        ),
        (
            &[
                "Payload/R.app/Frameworks/Flutter.framework/Flutter",
                "Payload/R.app/Frameworks/App.framework/App",
            ],
            &["flutter"],
        ),
        (&["lib/arm64-v8a/libapp.so"], &[]),
        (
            &["assets/www/cordova.js", "res/xml/config.xml"],
            &["cordova"],
        ),
        (&["assets/www/cordova.js"], &[]),
        (
            &[
                "assets/capacitor.config.json",
                "assets/public/index.html",
                "assets/www/svg/ionicons.svg",
            ],
            &["capacitor", "ionic"],
        ),
    ];
    for (list, want) in cases {
        assert_eq!(detect(&names(list)), *want, "{list:?}");
    }
}

const CONFIG_XML: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<widget id="dev.mastiff.hybrid" version="1.0.0">
    <!-- <access origin="*" /> in a comment is not a setting -->
    <content src="index.html" />
    <access origin="*" />
    <allow-navigation href="http://*/*" />
    <allow-navigation href="https://app.mastiff-demo.dev/*" />
</widget>
"#;

#[test]
fn cordova_wildcards_in_text_config_are_reported_with_lines() {
    let files = Files::new(&[("Payload/H.app/config.xml", CONFIG_XML.as_bytes())]);
    let issues = config_issues(&files);
    assert_eq!(
        rules(&issues),
        [
            ("cordova-access-any-origin", "*"),
            ("cordova-allow-navigation-any", "http://*/*")
        ]
    );
    assert_eq!(issues[0].line, Some(5));
    assert_eq!(issues[0].symbol.as_deref(), Some("<access>"));
    for i in &issues {
        assert!(
            crate::apps::rules::get(i.rule_id).is_some(),
            "{} undeclared",
            i.rule_id
        );
    }
}

#[test]
fn cordova_wildcards_in_binary_config_are_reported() {
    let doc = Element::new("widget")
        .child(Element::new("access").attr_str("", "origin", "*"))
        .child(Element::new("allow-navigation").attr_str("", "href", "*"))
        .to_axml(Encoding::Utf8);
    let files = Files::new(&[("res/xml/config.xml", &doc)]);
    let issues = config_issues(&files);
    let mut got = rules(&issues);
    got.sort();
    assert_eq!(
        got,
        [
            ("cordova-access-any-origin", "*"),
            ("cordova-allow-navigation-any", "*")
        ]
    );
}

#[test]
fn scoped_cordova_config_is_clean() {
    let xml = r#"<widget><access origin="https://api.mastiff-demo.dev" />
        <allow-navigation href="https://*.mastiff-demo.dev/*" /></widget>"#;
    let files = Files::new(&[
        ("Payload/H.app/config.xml", xml.as_bytes()),
        // Not a Cordova config: another folder's config.xml.
        ("Payload/H.app/www/config.xml", CONFIG_XML.as_bytes()),
    ]);
    assert!(config_issues(&files).is_empty());
}

#[test]
fn capacitor_release_settings_are_reported() {
    let json = br#"{"appId":"dev.mastiff.cap","server":{"url":"http://192.168.1.20:8100",
        "cleartext":true,"allowNavigation":["*","*.com","*.mastiff-demo.dev","api.example.org"]}}"#;
    let files = Files::new(&[("assets/capacitor.config.json", json)]);
    let issues = config_issues(&files);
    assert_eq!(
        rules(&issues),
        [
            ("capacitor-server-url", "http://192.168.1.20:8100"),
            ("capacitor-cleartext", "server.cleartext: true"),
            ("capacitor-allow-navigation-wildcard", "*"),
            ("capacitor-allow-navigation-wildcard", "*.com"),
        ]
    );
    for i in &issues {
        assert!(
            crate::apps::rules::get(i.rule_id).is_some(),
            "{} undeclared",
            i.rule_id
        );
    }
}

#[test]
fn clean_or_broken_capacitor_config_is_quiet() {
    let clean = br#"{"appId":"dev.mastiff.cap","server":{"androidScheme":"https",
        "allowNavigation":["*.mastiff-demo.dev"]}}"#;
    let files = Files::new(&[
        ("assets/capacitor.config.json", clean),
        ("Payload/C.app/capacitor.config.json", b"{\"server\": "),
    ]);
    assert!(config_issues(&files).is_empty());
}

#[test]
fn hostile_xml_does_not_panic() {
    for xml in [
        "<",
        "<access origin=\"*",
        "<!--",
        "<a b='1' c=\"x>",
        "<<<>>>",
        "<access origin=*>",
    ] {
        let files = Files::new(&[("res/xml/config.xml", xml.as_bytes())]);
        let _ = config_issues(&files);
    }
}

/// DVHMA is a Cordova app whose config.xml allows any origin.
#[test]
fn corpus_cordova_app_is_detected() {
    let Some(dir) = crate::test_support::corpus_dir() else {
        return;
    };
    let path = dir.join("vuln-android/DVHMA-featherweight-6.3.0-debug.apk");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("{} missing; skipping", path.display());
        return;
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).unwrap();
        entries.push((f.name().unwrap().to_string(), data));
    }
    let files = Files(
        entries.iter().map(|e| e.0.clone()).collect(),
        entries.into_iter().map(|e| e.1).collect(),
    );
    assert_eq!(detect(files.names()), ["cordova"]);
    let issues = config_issues(&files);
    assert_eq!(rules(&issues), [("cordova-access-any-origin", "*")]);
    assert_eq!(issues[0].entry, "res/xml/config.xml");
}

#[test]
fn the_scanned_file_lists_the_frameworks_of_its_apps() {
    use crate::fixtures::samples::demo_manifest;
    use crate::fixtures::zipfile::ZipBuilder;
    let apk = ZipBuilder::new()
        .deflated("AndroidManifest.xml", &demo_manifest(1, "1.0"))
        .deflated("assets/www/index.html", b"<html></html>")
        .deflated("assets/www/cordova.js", b"// cordova")
        .deflated(
            "res/xml/config.xml",
            b"<widget><access origin=\"https://example.org\"/></widget>",
        )
        .build();
    let scanner = crate::scan::Scanner::new(
        crate::detectors::builtin().unwrap(),
        crate::archives::Limits::default(),
    );
    let (artifact, _) = scanner.scan_bytes("app.apk", &apk);
    assert_eq!(artifact.frameworks, ["cordova"]);
    let (plain, _) = scanner.scan_bytes("plain.apk", &crate::fixtures::samples::demo_apk());
    assert!(plain.frameworks.is_empty(), "{:?}", plain.frameworks);
}

#[test]
fn single_files_are_named_by_content() {
    let flutter = crate::formats::dart::tests::flutter_elf();
    assert_eq!(detect_from_content("libapp.so", &flutter), Some("flutter"));
    assert_eq!(
        detect_from_content("renamed.bin", &flutter),
        Some("flutter")
    );
    let hbc = include_bytes!("../../fixtures/hermes/app.hbc");
    assert_eq!(
        detect_from_content("index.android.bundle", hbc),
        Some("hermes")
    );
    let js = b"var __BUNDLE_START_TIME__=Date.now();__d(function(g,r,i,a,m,e,d){},0,[]);__r(0);";
    assert_eq!(
        detect_from_content("assets/app.js", js),
        Some("react-native")
    );
    // The name lets a bundle without its prelude and runs count.
    let module = b"__d(function(g,r,i,a,m,e,d){m.exports=1},0,[],\"index.js\");";
    assert_eq!(
        detect_from_content("main.jsbundle", module),
        Some("react-native")
    );
    assert_eq!(detect_from_content("assets/app.js", module), None);
}

#[test]
fn other_files_are_not_named_by_content() {
    let plain = crate::fixtures::elf::ElfBuilder::new()
        .rodata("libflutter.so kDartIsolateSnapshotData")
        .build();
    assert_eq!(detect_from_content("lib/arm64-v8a/libapp.so", &plain), None);
    assert_eq!(
        detect_from_content("main.jsbundle", b"console.log(1)"),
        None
    );
    assert_eq!(detect_from_content("x.bundle", b"\0__d("), None);
    assert_eq!(detect_from_content("empty", b""), None);
}
