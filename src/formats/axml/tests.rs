use super::*;
use crate::fixtures::axml::{Element as Fx, Encoding, Value as FxValue, ANDROID};
use crate::formats::{Kind, ScannedString};

const MAPS_KEY: &str = "AIzaSyFixtureFixtureFixtureFixture00000";

fn manifest() -> Fx {
    Fx::new("manifest")
        .ns("android", ANDROID)
        .attr_int(ANDROID, "versionCode", 7)
        .attr_str(ANDROID, "versionName", "1.0")
        .attr_str("", "package", "com.example.app")
        .child(
            Fx::new("application")
                .attr_bool(ANDROID, "usesCleartextTraffic", true)
                .attr_ref(ANDROID, "networkSecurityConfig", 0x7f12_0000)
                .child(
                    Fx::new("meta-data")
                        .attr_str(ANDROID, "name", "com.google.android.geo.API_KEY")
                        .attr_str(ANDROID, "value", MAPS_KEY),
                )
                .child(Fx::new("activity").attr_str(ANDROID, "name", ".Main")),
        )
        .child(Fx::new("pin").text("base64digest="))
}

#[derive(Debug, PartialEq)]
struct Pushed {
    text: String,
    offset: Option<u64>,
    symbol: Option<String>,
    context: Option<String>,
}

fn collect(bytes: &[u8]) -> (Result<(), FormatError>, Vec<Pushed>) {
    let mut out = Vec::new();
    let mut sink = |s: ScannedString<'_>| {
        out.push(Pushed {
            text: String::from_utf8_lossy(s.text).into_owned(),
            offset: s.offset,
            symbol: s.symbol.map(str::to_string),
            context: s.context.map(str::to_string),
        })
    };
    let r = extract(bytes, &mut sink);
    (r, out)
}

use crate::formats::FormatError;

#[test]
fn parses_both_encodings_into_a_tree() {
    for enc in [Encoding::Utf16, Encoding::Utf8] {
        let doc = parse(&manifest().to_axml(enc)).unwrap();
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        assert_eq!(doc.strings.is_utf8(), enc == Encoding::Utf8);
        let root = doc.root().unwrap();
        assert_eq!(&*root.name, "manifest");
        assert_eq!(root.attr_str("", "package"), Some("com.example.app"));
        assert_eq!(
            root.attr(ANDROID_NS, "versionCode").unwrap().value,
            Value::Int(7)
        );
        assert_eq!(doc.namespaces.len(), 1);
        assert_eq!(&*doc.namespaces[0].1, ANDROID_NS);

        let app = root.elements_named("application").next().unwrap();
        let cleartext = app.attr(ANDROID_NS, "usesCleartextTraffic").unwrap();
        assert_eq!(cleartext.value.as_bool(), Some(true));
        assert_eq!(cleartext.resource_id, Some(0x0101_04ec));
        assert_eq!(&*cleartext.namespace, ANDROID_NS);
        assert_eq!(
            app.attr(ANDROID_NS, "networkSecurityConfig").unwrap().value,
            Value::Reference(0x7f12_0000)
        );
        assert_eq!(app.elements().count(), 2);
        let pin = root.elements_named("pin").next().unwrap();
        assert_eq!(pin.text(), "base64digest=");
    }
}

#[test]
fn attributes_resolve_by_resource_id_when_names_are_scrambled() {
    let doc = Fx::new("manifest")
        .ns("android", ANDROID)
        .child(Fx::new("application").attr_with_id(
            "urn:masked",
            "",
            Some(0x0101_04ec),
            FxValue::Bool(false),
        ))
        .to_axml(Encoding::Utf16);
    let doc = parse(&doc).unwrap();
    let app = doc.root().unwrap().elements().next().unwrap();
    let a = app.attr(ANDROID_NS, "usesCleartextTraffic").unwrap();
    assert_eq!(a.name(), "usesCleartextTraffic");
    assert_eq!(&*a.raw_name, "");
    assert_eq!(a.value.as_bool(), Some(false));
    assert!(app.attr(ANDROID_NS, "debuggable").is_none());
}

#[test]
fn extract_names_meta_data_values_and_keeps_pool_strings() {
    let bytes = manifest().to_axml(Encoding::Utf16);
    let (r, out) = collect(&bytes);
    r.unwrap();
    let key = out.iter().find(|p| p.text == MAPS_KEY).unwrap();
    assert_eq!(
        key.symbol.as_deref(),
        Some("manifest/application/meta-data")
    );
    assert_eq!(
        key.context.as_deref(),
        Some("com.google.android.geo.API_KEY")
    );
    // The offset points at the UTF-16 characters of the value.
    let off = key.offset.unwrap() as usize;
    assert_eq!(&bytes[off..off + 4], &[b'A', 0, b'I', 0]);

    // A framework attribute's name is a schema role, not a name for a secret.
    let name = out.iter().find(|p| p.text == ".Main").unwrap();
    assert_eq!(name.context, None);
    assert_eq!(
        name.symbol.as_deref(),
        Some("manifest/application/activity")
    );
    let text = out.iter().find(|p| p.text == "base64digest=").unwrap();
    assert_eq!(text.context.as_deref(), Some("pin"));
    // Element names are used by no attribute: they come as pool strings.
    let pool = out.iter().find(|p| p.text == "application").unwrap();
    assert_eq!(pool.symbol.as_deref(), Some("string-pool"));
    // Each string once: no pool string is pushed twice.
    assert_eq!(out.iter().filter(|p| p.text == MAPS_KEY).count(), 1);
}

#[test]
fn dispatch_routes_axml_to_this_parser() {
    let bytes = manifest().to_axml(Encoding::Utf8);
    assert_eq!(crate::formats::sniff(&bytes), Kind::Axml);
    let mut contexts = Vec::new();
    let mut sink = |s: ScannedString<'_>| contexts.push(s.context.map(str::to_string));
    crate::formats::extract(Kind::Axml, &bytes, &mut sink).unwrap();
    assert!(contexts.contains(&Some("com.google.android.geo.API_KEY".into())));
}

#[test]
fn every_truncation_parses_or_fails_cleanly() {
    for enc in [Encoding::Utf16, Encoding::Utf8] {
        let bytes = manifest().to_axml(enc);
        for n in 0..bytes.len() {
            let _ = collect(&bytes[..n]);
        }
        // Most prefixes still hold the pool; those keep the package name
        // once its element is complete.
        let doc = parse(&bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(
            doc.root().unwrap().attr_str("", "package"),
            Some("com.example.app")
        );
    }
}

#[test]
fn every_single_bit_flip_is_survived() {
    let bytes = manifest().to_axml(Encoding::Utf16);
    let mut copy = bytes.clone();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            copy[i] ^= 1 << bit;
            let _ = collect(&copy);
            copy[i] ^= 1 << bit;
        }
    }
}

/// Offset of the first chunk of `kind` after the document header.
fn chunk_offset(bytes: &[u8], kind: u16) -> usize {
    let mut o = 8;
    loop {
        let k = u16::from_le_bytes([bytes[o], bytes[o + 1]]);
        if k == kind {
            return o;
        }
        o += u32::from_le_bytes(bytes[o + 4..o + 8].try_into().unwrap()) as usize;
    }
}

#[test]
fn hostile_counts_and_sizes_are_capped() {
    let bytes = manifest().to_axml(Encoding::Utf16);
    let pool = chunk_offset(&bytes, chunk::RES_STRING_POOL_TYPE);
    let elem = chunk_offset(&bytes, chunk::RES_XML_START_ELEMENT_TYPE);

    // A string count of 2^32 - 1 and an attribute count of 65535.
    let mut b = bytes.clone();
    b[pool + 8..pool + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    b[elem + 28..elem + 30].copy_from_slice(&u16::MAX.to_le_bytes());
    let doc = parse(&b).unwrap();
    assert!(doc.strings.len() < bytes.len() / 4);
    assert!(doc.root().unwrap().attributes.len() < 100);
    assert!(!doc.warnings.is_empty());

    // String offsets past the pool read as empty, and the pool is lossy.
    let mut b = bytes.clone();
    b[pool + 28..pool + 32].copy_from_slice(&0x00ff_ffffu32.to_le_bytes());
    let doc = parse(&b).unwrap();
    assert_eq!(doc.strings.get(0).map(|s| &**s), Some(""));
    assert!(doc.strings.is_lossy());

    // A document chunk size past the end, a wrong document type and an
    // unknown chunk in front of the pool are all read through.
    let mut b = bytes.clone();
    b[0] = 0;
    b[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    let mut junk = vec![0x77, 0x07, 8, 0, 12, 0, 0, 0, 1, 2, 3, 4];
    junk.extend_from_slice(&b[8..]);
    b.truncate(8);
    b.extend_from_slice(&junk);
    let doc = parse(&b).unwrap();
    assert_eq!(
        doc.root().unwrap().attr_str("", "package"),
        Some("com.example.app")
    );
    assert!(doc.warnings.iter().any(|w| w.contains("0x0777")));
}

#[test]
fn deep_nesting_is_flattened_not_recursed() {
    let mut e = Fx::new("leaf").attr_str("", "secret", "deep-value");
    for _ in 0..(MAX_DEPTH + 50) {
        e = Fx::new("n").child(e);
    }
    let bytes = e.to_axml(Encoding::Utf8);
    let doc = parse(&bytes).unwrap();
    assert!(doc.warnings.iter().any(|w| w.contains("flattened")));
    let mut depth = 0;
    let mut cur = doc.root().unwrap();
    while let Some(next) = cur.elements().next() {
        cur = next;
        depth += 1;
    }
    assert!(depth <= MAX_DEPTH);
    let (r, out) = collect(&bytes);
    r.unwrap();
    assert!(out.iter().any(|p| p.text == "deep-value"));
}

#[test]
fn non_axml_input_is_an_error() {
    assert!(parse(b"").is_err());
    assert!(parse(b"<?xml version=\"1.0\"?><manifest/>").is_err());
    let (r, _) = collect(&[3, 0, 8, 0, 8, 0, 0, 0]);
    assert!(r.is_err());
}

#[test]
fn long_and_unterminated_pool_strings() {
    // A UTF-8 pool with one string longer than 0x7f bytes (two-byte
    // lengths) whose terminating NUL is missing.
    let long = "k".repeat(300);
    let bytes = Fx::new("r")
        .attr_str("", "v", &long)
        .to_axml(Encoding::Utf8);
    let doc = parse(&bytes).unwrap();
    assert_eq!(doc.root().unwrap().attr_str("", "v"), Some(long.as_str()));
    let at = doc.strings.offset(2).unwrap() as usize;
    let mut b = bytes.clone();
    b[at + long.len()] = b'!';
    let doc = parse(&b).unwrap();
    assert_eq!(doc.root().unwrap().attr_str("", "v"), Some(long.as_str()));
    assert!(doc.warnings.iter().any(|w| w.contains("NUL")));
}

/// Binary XML files of the shared corpus: every one parses without panic,
/// and the package names match androguard's reading.
#[test]
fn corpus_manifests() {
    let Some(root) = corpus::root() else {
        return;
    };
    let expected = [
        ("vuln-android/diva-beta.apk", "jakhar.aseem.diva"),
        (
            "vuln-android/InsecureBankv2.apk",
            "com.android.insecurebankv2",
        ),
        (
            "vuln-android/mastg-UnCrackable-Level1.apk",
            "owasp.mstg.uncrackable1",
        ),
        (
            "real-android/androguard-TestActivity.apk",
            "tests.androguard",
        ),
        (
            "real-android/r2-org.radare.radare2installer.apk",
            "org.radare.radare2installer",
        ),
        (
            "odd/axml-AndroidManifestMaskingNamespace.xml",
            "com.primedia.apartmentguide",
        ),
        (
            "odd/axml-AndroidManifest_WrongChunkStart.xml",
            "com.zxfxxx160.sucruri55633254",
        ),
        (
            "odd/axml-AndroidManifest_StringNotTerminated.xml",
            "com.swampy.sexpos",
        ),
    ];
    let (mut parsed, mut checked) = (0, 0);
    for (name, bytes) in corpus::files(&root, |n| {
        n == "AndroidManifest.xml" || (n.starts_with("res/") && n.ends_with(".xml"))
    }) {
        if bytes.get(..2) != Some(&[3, 0]) && !name.contains("/axml-") {
            continue;
        }
        let doc = parse(&bytes);
        let _ = collect(&bytes);
        let file = name.split('!').next().unwrap_or_default();
        let is_manifest = name.ends_with("!AndroidManifest.xml") || !name.contains('!');
        if let Some((_, pkg)) = expected.iter().find(|(f, _)| *f == file) {
            if is_manifest {
                let root = doc.as_ref().unwrap().root().unwrap();
                assert_eq!(root.attr_str("", "package"), Some(*pkg), "{name}");
                checked += 1;
            }
        }
        parsed += 1;
    }
    eprintln!("corpus: {parsed} binary XML files parsed");
    assert!(parsed > 40);
    assert_eq!(checked, expected.len());
}

/// Reads the shared corpus, when present.
pub(crate) mod corpus {
    use std::io::Read;
    use std::path::{Path, PathBuf};

    /// The corpus folder: `$MASTIFF_CORPUS`, else `../shared/corpus`.
    pub fn root() -> Option<PathBuf> {
        let dir = std::env::var_os("MASTIFF_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("corpus not found at {}; skipped", dir.display());
            None
        }
    }

    /// `(name, bytes)` of every corpus file in the Android folders and of
    /// every ZIP entry (named `file!entry`) whose entry name passes `want`.
    pub fn files(root: &Path, want: impl Fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for dir in ["odd", "real-android", "vuln-android"] {
            let Ok(list) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            let mut paths: Vec<_> = list.flatten().map(|e| e.path()).collect();
            paths.sort();
            for path in paths {
                let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                if name.starts_with("odd/axml-") && name.ends_with(".xml") {
                    out.push((name, bytes));
                    continue;
                }
                let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) else {
                    continue;
                };
                for i in 0..zip.len() {
                    let Ok(mut f) = zip.by_index(i) else {
                        continue;
                    };
                    let Ok(entry_name) = f.name().map(|n| n.to_string()) else {
                        continue;
                    };
                    if !want(&entry_name) {
                        continue;
                    }
                    let entry = format!("{name}!{entry_name}");
                    let mut data = Vec::new();
                    if f.read_to_end(&mut data).is_ok() {
                        out.push((entry, data));
                    }
                }
            }
        }
        out
    }
}

#[test]
fn app_defined_attributes_name_their_values_framework_ones_do_not() {
    let doc = Fx::new("PreferenceScreen")
        .ns("android", ANDROID)
        .child(
            Fx::new("EditTextPreference")
                .attr_str(ANDROID, "key", "key_set_password")
                .attr_str("", "apiKey", "k-4f9a2c7e1b"),
        )
        .to_axml(Encoding::Utf8);
    let (r, out) = collect(&doc);
    r.unwrap();
    let pref = out.iter().find(|p| p.text == "key_set_password").unwrap();
    assert_eq!(pref.context, None);
    let custom = out.iter().find(|p| p.text == "k-4f9a2c7e1b").unwrap();
    assert_eq!(custom.context.as_deref(), Some("apiKey"));
}
