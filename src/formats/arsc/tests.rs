use super::*;
use crate::fixtures::arsc::TableBuilder;
use crate::formats::axml::tests::corpus;
use crate::formats::{Kind, ScannedString};

const STRIPE: &str = "sk_live_fixtureFixtureFixture0000";

fn table() -> TableBuilder {
    TableBuilder::new(0x7f, "com.example.app")
        .string("app_name", "Example")
        .compact_string("stripe_secret_key", STRIPE)
        .string("greeting", "Hello")
        .localized("de", "greeting", "Hallo")
        .xml(
            "network_security_config",
            "res/xml/network_security_config.xml",
        )
        .raw("cert", "res/raw/cert.pem")
        .raw("other", "res/raw/other.bin")
        .array("endpoints", &["https://a.example", "https://b.example"])
}

/// `(text, symbol, context)` of each pushed string.
type Pushed = Vec<(String, Option<String>, Option<String>)>;

fn collect(bytes: &[u8]) -> (Result<(), FormatError>, Pushed) {
    let mut out = Vec::new();
    let mut sink = |s: ScannedString<'_>| {
        out.push((
            String::from_utf8_lossy(s.text).into_owned(),
            s.symbol.map(str::to_string),
            s.context.map(str::to_string),
        ))
    };
    let r = extract(bytes, &mut sink);
    (r, out)
}

#[test]
fn parses_every_entry_encoding() {
    let fx = table();
    let t = parse(&fx.build()).unwrap();
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(t.packages.len(), 1);
    let p = &t.packages[0];
    assert_eq!((p.id, p.name.as_str()), (0x7f, "com.example.app"));
    assert_eq!(p.type_name(1), Some("string"));
    assert_eq!(p.specs.len(), 4);

    let id = |ty, key| fx.id(ty, key).unwrap();
    // Dense 32-bit offsets.
    assert_eq!(t.resolve_string(id("string", "app_name")), Some("Example"));
    // Compact entry.
    assert_eq!(
        t.resolve_string(id("string", "stripe_secret_key")),
        Some(STRIPE)
    );
    assert_eq!(
        t.name(id("string", "stripe_secret_key")),
        Some(("string", "stripe_secret_key"))
    );
    // Default plus a sparse localized chunk.
    let greeting = t.resolve(id("string", "greeting"));
    let by_config: Vec<(String, Option<&str>)> = greeting
        .iter()
        .map(|(c, e)| {
            let v = match &e.value {
                EntryValue::Simple(v) => v.as_str(),
                EntryValue::Complex { .. } => None,
            };
            (c.qualifier(), v)
        })
        .collect();
    assert_eq!(
        by_config,
        vec![("".into(), Some("Hello")), ("de".into(), Some("Hallo"))]
    );
    // File paths, the second raw entry through 16-bit offsets.
    let nsc = id("xml", "network_security_config");
    assert_eq!(t.name(nsc), Some(("xml", "network_security_config")));
    assert_eq!(
        t.resolve_string(nsc),
        Some("res/xml/network_security_config.xml")
    );
    assert_eq!(
        t.resolve_string(id("raw", "other")),
        Some("res/raw/other.bin")
    );
    assert_eq!(t.id_of("raw", "other"), Some(id("raw", "other")));
    // A bag's string items.
    let (_, arr) = t.resolve(id("array", "endpoints"))[0];
    let items: Vec<_> = arr.value.values().filter_map(Value::as_str).collect();
    assert_eq!(items, ["https://a.example", "https://b.example"]);
    // Unknown ids.
    assert!(t.resolve(0x7f01_0099).is_empty());
    assert_eq!(t.name(0x0101_0000), None);
}

#[test]
fn extract_names_values_by_resource() {
    let (r, out) = collect(&table().build());
    r.unwrap();
    let find = |text: &str| out.iter().find(|(t, _, _)| t == text).unwrap();
    assert_eq!(
        find(STRIPE),
        &(
            STRIPE.into(),
            Some("@string/stripe_secret_key".into()),
            Some("stripe_secret_key".into())
        )
    );
    assert_eq!(find("Hallo").1.as_deref(), Some("@string/greeting (de)"));
    assert_eq!(find("https://b.example").2.as_deref(), Some("endpoints"));
    assert_eq!(
        find("res/xml/network_security_config.xml").1.as_deref(),
        Some("@xml/network_security_config")
    );
    // Every value once; nothing left over for the pool sweep.
    assert_eq!(out.len(), 9);
    assert!(out
        .iter()
        .all(|(_, s, _)| s.as_deref() != Some("string-pool")));
}

#[test]
fn dispatch_routes_arsc_to_this_parser() {
    let bytes = table().build();
    assert_eq!(crate::formats::sniff(&bytes), Kind::Arsc);
    let mut contexts = Vec::new();
    let mut sink = |s: ScannedString<'_>| contexts.push(s.context.map(str::to_string));
    crate::formats::extract(Kind::Arsc, &bytes, &mut sink).unwrap();
    assert!(contexts.contains(&Some("stripe_secret_key".into())));
}

#[test]
fn every_truncation_and_bit_flip_is_survived() {
    let bytes = table().build();
    for n in 0..bytes.len() {
        let _ = collect(&bytes[..n]);
    }
    let mut copy = bytes.clone();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            copy[i] ^= 1 << bit;
            let _ = collect(&copy);
            copy[i] ^= 1 << bit;
        }
    }
    assert!(parse(&[]).is_err());
}

#[test]
fn hostile_counts_are_capped() {
    let bytes = table().build();
    // Every type chunk's entry count set to 2^32 - 1, every bag count too.
    let mut b = bytes.clone();
    let mut o = 0;
    while let Some(p) = find(&b[o..], &[0x01, 0x02, 0x54, 0x00]) {
        let at = o + p;
        b[at + 12..at + 16].copy_from_slice(&u32::MAX.to_le_bytes());
        o = at + 4;
    }
    let t = parse(&b).unwrap();
    assert!(!t.warnings.is_empty());
    let entries: usize = t.packages[0].types.iter().map(|t| t.entries.len()).sum();
    assert!(entries < bytes.len());
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Resource tables of the shared corpus: every one parses without panic,
/// and known strings resolve as androguard reads them.
#[test]
fn corpus_tables() {
    let Some(root) = corpus::root() else {
        return;
    };
    let expected = [
        (
            "vuln-android/diva-beta.apk",
            0x7f06_0023,
            "app_name",
            "Diva",
        ),
        (
            "vuln-android/InsecureBankv2.apk",
            0x7f07_0040,
            "app_name",
            "InsecureBankv2",
        ),
        (
            "vuln-android/mastg-UnCrackable-Level1.apk",
            0x7f06_0001,
            "app_name",
            "Uncrackable1",
        ),
        (
            "real-android/androguard-TestActivity.apk",
            0x7f04_0001,
            "app_name",
            "TestsAndroguardApplication",
        ),
    ];
    let (mut parsed, mut checked) = (0, 0);
    for (name, bytes) in corpus::files(&root, |n| n == "resources.arsc") {
        let t = parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (r, _) = collect(&bytes);
        r.unwrap();
        let file = name.split('!').next().unwrap_or_default();
        if let Some(&(_, id, key, value)) = expected.iter().find(|(f, ..)| *f == file) {
            assert_eq!(t.name(id), Some(("string", key)), "{name}");
            assert_eq!(t.resolve_string(id), Some(value), "{name}");
            assert_eq!(t.id_of("string", key), Some(id), "{name}");
            checked += 1;
        }
        parsed += 1;
    }
    eprintln!("corpus: {parsed} resource tables parsed");
    assert!(parsed > 40);
    assert_eq!(checked, expected.len());
}

#[test]
fn file_resources_give_no_context() {
    let table = TableBuilder::new(0x7f, "com.example")
        .string("stripe_secret_key", "sk_live_x")
        .xml("avd_hide_password", "res/p8.xml")
        .build();
    let (r, got) = collect(&table);
    r.unwrap();
    assert!(got
        .iter()
        .any(|(t, _, c)| t == "sk_live_x" && c.as_deref() == Some("stripe_secret_key")));
    assert!(
        got.iter().any(|(t, s, c)| t == "res/p8.xml"
            && s.as_deref() == Some("@xml/avd_hide_password")
            && c.is_none()),
        "{got:?}"
    );
}
