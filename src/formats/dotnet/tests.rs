use super::*;
use crate::fixtures::dotnet::{assembly, elf_with_payload, store_v1, store_v2, xalz};
use crate::formats::test_scan::{collect, findings};
use crate::formats::{extract as dispatch, sniff, Kind, ScannedString};

const AWS_KEY: &str = "AKIAKO2PCC7TEFJYXJHG";
const GITHUB_TOKEN: &str = "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";

fn app_dll() -> Vec<u8> {
    let long = format!("{}{GITHUB_TOKEN}", "-".repeat(150));
    assembly(
        &[AWS_KEY, "YOUR_API_KEY", "Grüße", &long],
        &["<Module>", "ApiClient", "Demo.Net"],
    )
}

#[test]
fn reads_user_strings_and_names_of_a_dll() {
    let dll = app_dll();
    assert_eq!(sniff(&dll), Kind::Pe);
    let (strings, result) = collect(|s| dispatch(Kind::Pe, &dll, s));
    result.unwrap();
    let us: Vec<_> = strings
        .iter()
        .filter(|s| s.1 == "#US")
        .map(|s| s.0.as_str())
        .collect();
    assert_eq!(us[..3], [AWS_KEY, "YOUR_API_KEY", "Grüße"]);
    assert!(us[3].ends_with(GITHUB_TOKEN), "two-byte blob length");
    assert!(strings
        .iter()
        .any(|s| s.0 == "ApiClient" && s.1 == "#Strings"));
    let aws = strings.iter().find(|s| s.0 == AWS_KEY).unwrap();
    // The offset is the blob's, in the file: UTF-16 of the key.
    let at = aws.2 as usize;
    assert_eq!(dll[at], b'A');
    assert_eq!(dll[at + 1], 0);
}

#[test]
fn planted_secrets_in_assemblies_are_found_at_their_heap() {
    let dll = app_dll();
    let found = findings("assemblies/Demo.dll", &dll);
    let aws = found.iter().find(|f| f.value == AWS_KEY).expect("aws key");
    assert_eq!(aws.symbol.as_deref(), Some("#US"));
    assert!(found.iter().any(|f| f.value == GITHUB_TOKEN));
    assert!(found
        .iter()
        .all(|f| !f.value.contains("YOUR_API_KEY") || f.low));

    let packed = xalz(0, &dll);
    assert_eq!(sniff(&packed), Kind::Xalz);
    let found = findings("assemblies/Demo.dll", &packed);
    assert!(found.iter().any(|f| f.value == AWS_KEY), "{found:?}");
}

#[test]
fn reads_every_assembly_of_both_store_versions() {
    let other = assembly(&["nothing to see"], &["Other"]);
    let packed = xalz(1, &app_dll());
    let v1 = store_v1(&[&other, &packed]);
    assert_eq!(sniff(&v1), Kind::AssemblyStore);
    let (strings, result) = collect(|s| dispatch(Kind::AssemblyStore, &v1, s));
    result.unwrap();
    let aws = strings.iter().find(|s| s.0 == AWS_KEY).expect("v1 store");
    assert_eq!(aws.1, "assembly #1:#US");

    let v2 = store_v2(&[("Other.dll", &other), ("Demo.dll", &packed)]);
    let so = elf_with_payload(&v2);
    assert_eq!(sniff(&so), Kind::Elf);
    let found = findings("lib/arm64-v8a/libassemblies.arm64-v8a.blob.so", &so);
    let aws = found
        .iter()
        .find(|f| f.value == AWS_KEY)
        .expect("v2 store in ELF");
    assert_eq!(aws.symbol.as_deref(), Some("Demo.dll:#US"));
    let plain = store_v2(&[("Demo.dll", &app_dll())]);
    let (strings, result) = collect(|s| extract_store(&plain, 0, s));
    result.unwrap();
    let aws = strings.iter().find(|s| s.0 == AWS_KEY).unwrap();
    assert_eq!(plain[aws.2 as usize], b'A', "offset into the store");
}

#[test]
fn malformed_containers_are_rejected_without_panicking() {
    let none = |_: ScannedString<'_>| {};
    let dll = app_dll();
    // A native PE (no CLI header) falls back to printable runs.
    let mut native = dll.clone();
    let cli = 0x40 + 4 + 20 + 96 + 14 * 8;
    native[cli..cli + 4].copy_from_slice(&0u32.to_le_bytes());
    assert!(extract_pe(&native, &mut { none }).is_ok());
    let mut xz = xalz(0, &dll);
    xz[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(
        extract_xalz(&xz, &mut { none }).is_err(),
        "size over the cap"
    );
    let xz = xalz(0, &dll);
    assert!(extract_xalz(&xz[..xz.len() / 2], &mut { none }).is_err());
    let v2 = store_v2(&[("Demo.dll", &dll)]);
    let mut bad = v2.clone();
    bad[8..12].copy_from_slice(&0x1000_0000u32.to_le_bytes());
    assert!(extract_store(&bad, 0, &mut { none }).is_err());
    for data in [&dll, &xz, &v2] {
        for n in 0..data.len() {
            let _ = dispatch(sniff(&data[..n]), &data[..n], &mut { none });
        }
        for i in 0..data.len().min(600) {
            let mut b = data.to_vec();
            b[i] ^= 0xa5;
            let _ = dispatch(sniff(&b), &b, &mut { none });
        }
    }
}
