use super::*;
use crate::fixtures::il2cpp::global_metadata;
use crate::formats::test_scan::{collect, findings};
use crate::formats::{sniff, Kind};

const STRIPE_KEY: &str = "sk_live_qDlRtQxiDX3pCNycLapim86tIxX5puQJCBEePLu2";

#[test]
fn reads_string_literals_of_both_table_layouts() {
    for version in [24, 29, 31] {
        let bytes = global_metadata(version, &["Player", STRIPE_KEY, "", "YOUR_API_KEY"]);
        assert_eq!(sniff(&bytes), Kind::Il2cppMetadata);
        let (strings, result) = collect(|s| extract(&bytes, s));
        result.unwrap();
        let got: Vec<_> = strings
            .iter()
            .map(|s| (s.0.as_str(), s.1.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("Player", "literal #0"),
                (STRIPE_KEY, "literal #1"),
                ("YOUR_API_KEY", "literal #3")
            ],
            "version {version}"
        );
        let at = strings[1].2 as usize;
        assert_eq!(&bytes[at..at + STRIPE_KEY.len()], STRIPE_KEY.as_bytes());
    }
}

#[test]
fn planted_literal_is_found_and_placeholder_is_not_reported() {
    let bytes = global_metadata(
        29,
        &[
            STRIPE_KEY,
            "YOUR_API_KEY",
            "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        ],
    );
    let found = findings("global-metadata.dat", &bytes);
    let hit = found
        .iter()
        .find(|f| f.value == STRIPE_KEY)
        .expect("stripe key");
    assert_eq!(hit.symbol.as_deref(), Some("literal #0"));
    assert!(
        found
            .iter()
            .filter(|f| f.value != STRIPE_KEY)
            .all(|f| f.low),
        "{found:?}"
    );
}

#[test]
fn malformed_metadata_is_rejected_without_panicking() {
    let good = global_metadata(27, &["alpha", "beta"]);
    let none = |_: ScannedString<'_>| {};
    let mut old = good.clone();
    old[4] = 16;
    assert!(extract(&old, &mut { none }).is_err(), "unsupported version");
    let mut table = good.clone();
    table[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(extract(&table, &mut { none }).is_err());
    let mut entry = good.clone();
    entry[0x100..0x104].copy_from_slice(&1000u32.to_le_bytes());
    let (strings, result) = collect(|s| extract(&entry, s));
    assert!(result.is_err());
    assert_eq!(strings.len(), 1);
    for n in 0..good.len() {
        let _ = extract(&good[..n], &mut { none });
    }
    let v31 = global_metadata(31, &["alpha", "beta"]);
    let mut reversed = v31.clone();
    reversed[0x104..0x108].copy_from_slice(&0u32.to_le_bytes());
    reversed[0x100..0x104].copy_from_slice(&5u32.to_le_bytes());
    assert!(
        extract(&reversed, &mut { none }).is_err(),
        "negative length"
    );
}
