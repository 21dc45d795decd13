use super::*;
use crate::fixtures::hermes::build;
use crate::formats::test_scan::{collect, findings};

const APP_HBC: &[u8] = include_bytes!("../../fixtures/hermes/app.hbc");
const GITHUB_TOKEN: &str = "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";
const STRIPE_KEY: &str = "sk_live_qDlRtQxiDX3pCNycLapim86tIxX5puQJCBEePLu2";

#[test]
fn reads_every_string_of_compiled_bytecode() {
    assert_eq!(crate::formats::sniff(APP_HBC), crate::formats::Kind::Hermes);
    let (strings, result) = collect(|s| extract(APP_HBC, s));
    result.unwrap();
    let find = |want: &str| strings.iter().find(|(t, _, _)| t.contains(want));
    let (_, symbol, offset) = find(GITHUB_TOKEN).expect("small entry");
    assert!(symbol.starts_with("string #"), "{symbol}");
    let at = *offset as usize;
    assert_eq!(
        &APP_HBC[at..at + GITHUB_TOKEN.len()],
        GITHUB_TOKEN.as_bytes()
    );
    let (banner, _, _) = find(STRIPE_KEY).expect("overflow entry");
    assert_eq!(banner.len(), 266);
    assert!(
        find("Grüße – déjà vu ✓").is_some(),
        "UTF-16 entry: {strings:?}"
    );
    assert!(find("YOUR_API_KEY").is_some());
}

#[test]
fn planted_secrets_are_found_and_placeholders_are_not_reported() {
    let found = findings("index.android.bundle", APP_HBC);
    let token = found
        .iter()
        .find(|f| f.value == GITHUB_TOKEN)
        .expect("github token");
    assert_eq!(token.rule, "github-personal-access-token");
    assert!(token.symbol.as_deref().unwrap().starts_with("string #"));
    assert!(found.iter().any(|f| f.value == STRIPE_KEY), "{found:?}");
    for f in &found {
        assert!(
            !(f.value.contains("YOUR_API_KEY") || f.value.contains("XXXX")) || f.low,
            "placeholder reported: {f:?}"
        );
    }
}

#[test]
fn reads_the_older_layout_with_16_byte_function_headers() {
    let long = format!("{}{}", "x".repeat(300), GITHUB_TOKEN);
    let bytes = build(96, 16, &["plain", "ünïcödé", &long]);
    let (strings, result) = collect(|s| extract(&bytes, s));
    result.unwrap();
    let texts: Vec<_> = strings
        .iter()
        .map(|(t, s, _)| (t.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            ("plain", "string #0"),
            ("ünïcödé", "string #1"),
            (long.as_str(), "string #2")
        ]
    );
    let newer = build(99, 12, &["plain"]);
    assert_eq!(collect(|s| extract(&newer, s)).0.len(), 1);
}

#[test]
fn malformed_files_are_rejected_without_panicking() {
    let good = build(96, 16, &["alpha", "beta", &"y".repeat(400)]);
    assert!(extract(&good[..100], &mut |_: ScannedString<'_>| {}).is_err());
    assert!(extract(b"not hermes", &mut |_: ScannedString<'_>| {}).is_err());
    // A string count the kinds do not account for.
    let mut counts = good.clone();
    counts[0x34..0x38].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(extract(&counts, &mut |_: ScannedString<'_>| {}).is_err());
    // Storage larger than the file.
    let mut storage = good.clone();
    storage[0x3c..0x40].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    assert!(extract(&storage, &mut |_: ScannedString<'_>| {}).is_err());
    // A small entry pointing past the storage: the others still come out.
    let mut entry = good.clone();
    let small = 128 + 16 + 4;
    entry[small..small + 4].copy_from_slice(&(0x7f_0000u32 << 1 | 5 << 24).to_le_bytes());
    let (strings, result) = collect(|s| extract(&entry, s));
    assert!(result.is_err());
    assert_eq!(strings.len(), 2);
    // Every truncation and every single-byte corruption of the header.
    for n in 0..good.len() {
        let _ = extract(&good[..n], &mut |_: ScannedString<'_>| {});
    }
    for i in 8..0x40 {
        let mut b = good.clone();
        b[i] ^= 0xff;
        let _ = extract(&b, &mut |_: ScannedString<'_>| {});
    }
}
