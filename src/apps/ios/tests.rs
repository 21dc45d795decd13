use super::*;
use crate::fixtures::macho::{Arch, MachOBuilder};
use plist::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use time::macros::date;

/// An app archive held in memory.
struct MemFiles {
    names: Vec<String>,
    data: BTreeMap<String, Vec<u8>>,
}

impl MemFiles {
    fn new(entries: Vec<(String, Vec<u8>)>) -> Self {
        MemFiles {
            names: entries.iter().map(|(n, _)| n.clone()).collect(),
            data: entries.into_iter().collect(),
        }
    }
}

impl AppFiles for MemFiles {
    fn names(&self) -> &[String] {
        &self.names
    }
    fn read(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        self.data.get(name).map(|d| Cow::Borrowed(d.as_slice()))
    }
}

fn plist_bytes(pairs: Vec<(&str, Value)>, binary: bool) -> Vec<u8> {
    let v = Value::Dictionary(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
    let mut out = Vec::new();
    if binary {
        v.to_writer_binary(&mut out).unwrap();
    } else {
        v.to_writer_xml(&mut out).unwrap();
    }
    out
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}

fn options() -> Options {
    Options {
        as_of: date!(2024 - 06 - 01),
    }
}

/// An IPA with an app (binary Info.plist, ATS, TrustKit config), a share
/// extension (XML Info.plist, its own ATS), a framework and a profile.
fn sample_ipa() -> MemFiles {
    let ats = Value::Dictionary(
        [
            ("NSAllowsArbitraryLoads".to_string(), Value::Boolean(true)),
            (
                "NSAllowsArbitraryLoadsInWebContent".to_string(),
                Value::Boolean(true),
            ),
        ]
        .into_iter()
        .collect(),
    );
    let tsk = Value::from_reader(std::io::Cursor::new(
        br#"<?xml version="1.0"?><plist version="1.0"><dict><key>TSKPinnedDomains</key><dict>
        <key>pinned.example.com</key><dict><key>TSKPublicKeyHashes</key><array><string>a</string><string>b</string></array></dict>
        </dict></dict></plist>"#,
    ))
    .unwrap();
    let app_info = plist_bytes(
        vec![
            ("CFBundleIdentifier", s("com.example.app")),
            ("CFBundleShortVersionString", s("2.1")),
            ("CFBundleVersion", s("210")),
            ("CFBundleExecutable", s("Example")),
            ("MinimumOSVersion", s("13.0")),
            ("NSAppTransportSecurity", ats),
            ("TSKConfiguration", tsk),
        ],
        true,
    );
    let ext_ats = Value::Dictionary(
        [("NSAllowsArbitraryLoads".to_string(), Value::Boolean(true))]
            .into_iter()
            .collect(),
    );
    let ext_info = plist_bytes(
        vec![
            ("CFBundleIdentifier", s("com.example.app.share")),
            ("CFBundleExecutable", s("Share")),
            (
                "NSExtension",
                Value::Dictionary(
                    [(
                        "NSExtensionPointIdentifier".to_string(),
                        s("com.apple.share-services"),
                    )]
                    .into_iter()
                    .collect(),
                ),
            ),
            ("NSAppTransportSecurity", ext_ats),
        ],
        false,
    );
    let app_bin = MachOBuilder::new(Arch::Arm64)
        .load_dylib("@rpath/Alamofire.framework/Alamofire")
        .import("_$s9Alamofire23DisabledTrustEvaluatorCACycfC")
        .build();
    let profile = super::provision::tests::profile(
        true,
        Some("development"),
        2,
        "2023-01-01T00:00:00Z",
        "301231000000Z",
    );
    let root = "Payload/Example.app/";
    MemFiles::new(vec![
        (format!("{root}Info.plist"), app_info),
        (format!("{root}Example"), app_bin),
        (format!("{root}embedded.mobileprovision"), profile),
        (format!("{root}PlugIns/Share.appex/Info.plist"), ext_info),
        (
            format!("{root}PlugIns/Share.appex/Share"),
            MachOBuilder::new(Arch::Arm64).build(),
        ),
        (
            format!("{root}Frameworks/Alamofire.framework/Alamofire"),
            MachOBuilder::new(Arch::Arm64)
                .dylib("@rpath/Alamofire.framework/Alamofire")
                .cstring("Alamofire")
                .export("_$s9Alamofire23DisabledTrustEvaluatorCMn")
                .build(),
        ),
    ])
}

fn facts_of(files: &dyn AppFiles) -> Vec<(String, BinaryFacts)> {
    binary_entries(files)
        .into_iter()
        .map(|e| {
            let f = pinning::binary_facts(&files.read(&e).unwrap());
            (e, f)
        })
        .collect()
}

#[test]
fn analyses_a_whole_app() {
    let files = sample_ipa();
    let binaries = facts_of(&files);
    let entries: Vec<&str> = binaries.iter().map(|(e, _)| e.as_str()).collect();
    assert_eq!(
        entries,
        [
            "Payload/Example.app/Example",
            "Payload/Example.app/PlugIns/Share.appex/Share",
            "Payload/Example.app/Frameworks/Alamofire.framework/Alamofire",
        ]
    );
    let a = analyze(&files, &binaries, &options());
    let s = &a.summary;
    assert_eq!(s.bundle_id.as_deref(), Some("com.example.app"));
    assert_eq!(s.version.as_deref(), Some("2.1"));
    assert_eq!(s.executable.as_deref(), Some("Payload/Example.app/Example"));
    assert_eq!(s.minimum_os.as_deref(), Some("13.0"));
    assert_eq!(
        s.extensions[0].extension_point.as_deref(),
        Some("com.apple.share-services")
    );
    assert_eq!(s.frameworks, ["Alamofire.framework"]);
    assert_eq!(s.ats.len(), 2);
    assert!(!s.ats[0].policy.arbitrary_loads_effective());
    assert!(s.ats[1].policy.arbitrary_loads_effective());
    assert_eq!(s.provisioning[0].kind, "development");
    assert_eq!(s.pinned_domains[0].domain, "pinned.example.com");
    assert_eq!(s.pinned_domains[0].pins, 2);
    assert!(s.errors.is_empty(), "{:?}", s.errors);

    let found: Vec<(&str, &str)> = a
        .issues
        .iter()
        .map(|i| (i.rule_id, i.entry.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            // The app's own arbitrary loads are ignored (web-content key, iOS 13+).
            (
                "ios-ats-arbitrary-loads-web-content",
                "Payload/Example.app/Info.plist"
            ),
            (
                "ios-get-task-allow",
                "Payload/Example.app/embedded.mobileprovision"
            ),
            (
                "ios-profile-expired",
                "Payload/Example.app/embedded.mobileprovision"
            ),
            (
                "ios-aps-development",
                "Payload/Example.app/embedded.mobileprovision"
            ),
            // The extension's are not.
            (
                "ios-ats-arbitrary-loads",
                "Payload/Example.app/PlugIns/Share.appex/Info.plist"
            ),
            // Only the app's import counts, not Alamofire's own type.
            (
                "ios-alamofire-disabled-trust-evaluator",
                "Payload/Example.app/Example"
            ),
        ]
    );
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(json["ats"][1]["policy"]["allows_arbitrary_loads"], true);
}

#[test]
fn every_emitted_rule_is_declared() {
    let all = [
        "ios-ats-arbitrary-loads",
        "ios-ats-arbitrary-loads-web-content",
        "ios-ats-arbitrary-loads-media",
        "ios-ats-insecure-http-exception",
        "ios-ats-weak-min-tls",
        "ios-ats-forward-secrecy-disabled",
        "ios-ats-invalid-pin",
        "ios-ats-single-pin",
        "ios-ats-value-no-effect",
        "ios-get-task-allow",
        "ios-profile-expired",
        "ios-developer-certificate-expired",
        "ios-aps-development",
        "ios-alamofire-disabled-trust-evaluator",
        "ios-afnetworking-allow-invalid-certificates",
    ];
    for id in all {
        let rule = crate::apps::rules::get(id).unwrap_or_else(|| panic!("{id} not declared"));
        assert_eq!(rule.platforms, ["ios"]);
    }
    let declared = crate::apps::rules::all()
        .iter()
        .filter(|r| r.id.starts_with("ios-") && r.id != "ios-pinning-missing")
        .count();
    assert_eq!(
        declared,
        all.len(),
        "a declared ios- rule is not listed here"
    );
}

#[test]
fn afnetworking_call_in_the_app_is_reported_with_low_confidence() {
    let facts = pinning::binary_facts(
        &MachOBuilder::new(Arch::Arm64)
            .import("_OBJC_CLASS_$_AFSecurityPolicy")
            .methname("setAllowInvalidCertificates:")
            .build(),
    );
    let issues = binary_issues("Payload/A.app/A", &facts);
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].rule_id,
        "ios-afnetworking-allow-invalid-certificates"
    );
    assert_eq!(issues[0].confidence, Some(Confidence::Low));
    assert!(binary_issues("e", &BinaryFacts::default()).is_empty());
}

#[test]
fn not_an_app_or_unreadable_parts() {
    let files = MemFiles::new(vec![("README".into(), b"x".to_vec())]);
    let a = analyze(&files, &[], &options());
    assert!(a.issues.is_empty());
    assert_eq!(a.summary.errors.len(), 1);
    let files = MemFiles::new(vec![
        ("Payload/A.app/Info.plist".into(), b"garbage".to_vec()),
        (
            "Payload/A.app/embedded.mobileprovision".into(),
            b"garbage".to_vec(),
        ),
    ]);
    let a = analyze(&files, &[], &options());
    assert!(a.issues.is_empty());
    assert!(!a.summary.errors.is_empty());
    assert!(binary_entries(&files).is_empty());
}

/// Runs on every IPA in the corpus: nothing panics, every profile is read,
/// and the values match what the profiles say.
#[test]
fn corpus_ipas() {
    let Some(dir) = crate::test_support::corpus_dir() else {
        return;
    };
    let mut seen = 0;
    for sub in ["real-ios", "vuln-ios", "odd"] {
        let Ok(list) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for path in list.flatten().map(|e| e.path()) {
            if path.extension().is_none_or(|e| e != "ipa") {
                continue;
            }
            let Some(files) = read_zip(&path) else {
                continue;
            };
            let binaries = facts_of(&files);
            let a = analyze(&files, &binaries, &options());
            if std::env::var_os("MASTIFF_IOS_DUMP").is_some() {
                let ids: Vec<_> = a
                    .issues
                    .iter()
                    .map(|i| (i.rule_id, i.entry.as_str()))
                    .collect();
                println!(
                    "{}\n{}\n{:?}",
                    path.display(),
                    serde_json::to_string(&a.summary).unwrap(),
                    ids
                );
            }
            for p in &a.summary.provisioning {
                assert_eq!(p.error, None, "{}: {}", path.display(), p.entry);
                assert!(
                    p.team_id.is_some() && p.expires.is_some(),
                    "{}",
                    path.display()
                );
            }
            seen += 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let prov = a.summary.provisioning.first();
            match name.as_str() {
                "fastlane-very-capable-app.ipa" => {
                    let p = prov.unwrap();
                    assert_eq!((p.get_task_allow, p.provisioned_devices), (true, 1));
                    assert_eq!(p.aps_environment.as_deref(), Some("development"));
                    assert_eq!(p.expires.as_deref(), Some("2019-04-07"));
                }
                "mastg-UnCrackable-Level2.ipa" => {
                    let p = prov.unwrap();
                    assert_eq!((p.kind.as_str(), p.provisioned_devices), ("ad-hoc", 13));
                }
                "appinfo-embedded.ipa" => {
                    assert_eq!(a.summary.provisioning.len(), 2);
                    assert_eq!(a.summary.extensions.len(), 1);
                }
                _ => {}
            }
        }
    }
    eprintln!("analysed {seen} IPAs");
}

fn read_zip(path: &std::path::Path) -> Option<MemFiles> {
    let file = std::fs::File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(file).ok()?;
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).ok()?;
        let name = f.name().ok()?.into_owned();
        entries.push((name, data));
    }
    Some(MemFiles::new(entries))
}

#[test]
fn url_schemes_of_the_info_plist() {
    let url_type = |schemes: Vec<Value>| {
        let mut d = plist::Dictionary::new();
        d.insert("CFBundleURLName".into(), s("com.acme.app"));
        d.insert("CFBundleURLSchemes".into(), Value::Array(schemes));
        Value::Dictionary(d)
    };
    let mut info = plist::Dictionary::new();
    info.insert(
        "CFBundleURLTypes".into(),
        Value::Array(vec![
            url_type(vec![s("AcmeApp"), s("https"), s("fb1234")]),
            url_type(vec![s("acmeapp"), s("com.acme.app"), s("bad scheme")]),
            url_type(vec![Value::Integer(7.into())]),
            s("not a dictionary"),
        ]),
    );
    assert_eq!(url_schemes(&info), ["acmeapp", "com.acme.app", "fb1234"]);
    info.insert("CFBundleURLTypes".into(), s("not an array"));
    assert!(url_schemes(&info).is_empty());
    assert!(url_schemes(&plist::Dictionary::new()).is_empty());
}
