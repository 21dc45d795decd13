use super::*;
use crate::formats::test_scan::{collect, findings, Pushed};
use object::write::{Mangling, Object, StandardSection, Symbol, SymbolSection};
use object::{Architecture, BinaryFormat, Endianness, SymbolFlags, SymbolKind, SymbolScope};

const HASH: &str = "0123456789abcdef0123456789abcdef";
const AWS_KEY: &str = "AKIA7JBD4R6CC6PKYQJR";
const ONE_BYTE_CID: u32 = 93;
const OTHER_CID: u32 = 24;
/// Old, not remembered; canonical adds bit 1.
const FLAGS: u32 = 0x30;

/// Word size and pointer flavour of a fake snapshot.
#[derive(Clone, Copy)]
struct Flavor {
    shape: Shape,
    features: &'static str,
}

const ARM64: Flavor = Flavor {
    shape: WORD64,
    features: "product no-code_comments arm64 android no-compressed-pointers null-safety",
};
const ARM64_COMPRESSED: Flavor = Flavor {
    shape: COMPRESSED,
    features: "product arm64 android compressed-pointers null-safety",
};
const ARM32: Flavor = Flavor {
    shape: WORD32,
    features: "product arm android null-safety",
};

/// One object of the fake image.
enum Obj<'a> {
    /// A string; two-byte when it holds a character above U+00FF.
    Str(&'a str),
    /// Another object with this many bytes of data.
    Other(usize),
    /// Raw bytes at an object boundary.
    Raw(Vec<u8>),
}

fn tags(cid: u32, flags: u32, size: usize, align: usize) -> u32 {
    let units = size / align;
    let size_tag = if units > 0xf { 0 } else { units as u32 };
    flags | size_tag << 8 | cid << 12
}

/// A string object of `flavor`: tags, (hash), length Smi, characters, padding.
fn string_object(flavor: Flavor, text: &str, cid_delta: u32, flags: u32) -> Vec<u8> {
    let s = flavor.shape;
    let wide = text.chars().any(|c| c as u32 > 0xff) || cid_delta == 1;
    let data: Vec<u8> = if wide {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    } else {
        text.chars().map(|c| c as u8).collect()
    };
    let chars = data.len() / if wide { 2 } else { 1 };
    let size = (s.data_at + data.len()).next_multiple_of(s.align);
    let cid = ONE_BYTE_CID + u32::from(wide);
    let mut o = tags(cid, flags, size, s.align).to_le_bytes().to_vec();
    o.resize(s.len_at, 0x5a); // hash
    o.extend(&((chars as u64) << 1).to_le_bytes()[..s.len_bytes]);
    o.resize(s.data_at, 0x11); // hash field of 32-bit strings
    o.extend(data);
    o.resize(size, 0);
    o
}

/// A snapshot data blob: header, clustered data (holding a string-shaped
/// decoy), then an image of `objects`.
fn blob(flavor: Flavor, objects: &[Obj]) -> Vec<u8> {
    let mut clustered = vec![0xc3u8; 40];
    clustered.extend(string_object(flavor, "CLUSTERED_NOT_AN_OBJECT", 0, FLAGS));
    let mut b = header::MAGIC.to_le_bytes().to_vec();
    let features_len = flavor.features.len() + 1;
    let length = 8 + 8 + 32 + features_len + clustered.len();
    b.extend((length as u64).to_le_bytes());
    b.extend(3u64.to_le_bytes());
    b.extend(HASH.as_bytes());
    b.extend(flavor.features.as_bytes());
    b.push(0);
    b.extend(clustered);
    b.resize(b.len().next_multiple_of(64), 0);
    b.extend(4096u64.to_le_bytes()); // image header: size, no instructions
    b.resize(b.len() + 56, 0);
    let align = flavor.shape.align;
    for o in objects {
        match o {
            Obj::Str(t) => b.extend(string_object(flavor, t, 0, FLAGS | 2)),
            Obj::Other(n) => {
                let size = (8 + n).next_multiple_of(align);
                b.extend(tags(OTHER_CID, FLAGS, size, align).to_le_bytes());
                b.resize(b.len() + size - 4, 0x7e);
            }
            Obj::Raw(raw) => {
                b.extend(raw);
                b.resize(b.len().next_multiple_of(align), 0);
            }
        }
    }
    b
}

fn app_objects(flavor: Flavor) -> Vec<Obj<'static>> {
    let mut wrong_size = string_object(flavor, "BAD_SIZE_TAG_DECOY", 0, FLAGS);
    wrong_size[1] ^= 0x0f;
    let mut dirty_pad = string_object(flavor, "DIRTY_PADDING_DECOY", 0, FLAGS);
    let last = dirty_pad.len() - 1;
    dirty_pad[last] = 1;
    let mut odd_len = string_object(flavor, "ODD_LENGTH_DECOY", 0, FLAGS);
    odd_len[flavor.shape.len_at] |= 1;
    vec![
        Obj::Str("dart:core"),
        Obj::Other(40),
        Obj::Str("https://api.example.com/v1/"),
        Obj::Str("Grüße aus München"),
        Obj::Other(300),
        Obj::Str("Привет, мир"),
        Obj::Str("ключ=AKIA7JBD4R6CC6PKYQJR"),
        Obj::Str("dart:core"),
        Obj::Raw(wrong_size),
        Obj::Raw(dirty_pad),
        Obj::Raw(odd_len),
        // Two-byte object whose characters all fit one byte: not a VM string.
        Obj::Raw(string_object(flavor, "LATIN1_AS_UTF16_DECOY", 1, FLAGS)),
        // Flags never seen on a string.
        Obj::Raw(string_object(flavor, "ODD_FLAGS_DECOY", 0, 0x81)),
        Obj::Str("package:hello/main.dart"),
        Obj::Str("See Scaffold.of():\n  https://docs.example.com/scaffold"),
        // A length running past the end of the image.
        Obj::Raw(
            string_object(flavor, "TRUNCATED_STRING_PAST_THE_END", 0, FLAGS)
                [..flavor.shape.data_at + 4]
                .to_vec(),
        ),
    ]
}

const DECOYS: [&str; 7] = [
    "CLUSTERED_NOT_AN_OBJECT",
    "BAD_SIZE_TAG_DECOY",
    "DIRTY_PADDING_DECOY",
    "ODD_LENGTH_DECOY",
    "LATIN1_AS_UTF16_DECOY",
    "ODD_FLAGS_DECOY",
    "TRUNC",
];

fn object_file(format: BinaryFormat, flavor: Flavor) -> Vec<u8> {
    let arch = if flavor.shape == WORD32 {
        Architecture::Arm
    } else {
        Architecture::Aarch64
    };
    let mut obj = Object::new(format, arch, Endianness::Little);
    let prefix = if format == BinaryFormat::Elf {
        obj.set_mangling(Mangling::None);
        "_"
    } else {
        ""
    };
    let rodata = obj.section_id(StandardSection::ReadOnlyData);
    let text = obj.section_id(StandardSection::Text);
    let vm = blob(flavor, &[Obj::Str("dart:async"), Obj::Other(24)]);
    let isolate = blob(flavor, &app_objects(flavor));
    let mut add = |name: &str, section, data: &[u8]| {
        let value = obj.append_section_data(section, data, 64);
        obj.add_symbol(Symbol {
            name: format!("{prefix}{name}").into_bytes(),
            value,
            size: data.len() as u64,
            kind: SymbolKind::Data,
            scope: SymbolScope::Dynamic,
            weak: false,
            section: SymbolSection::Section(section),
            flags: SymbolFlags::None,
        });
    };
    add("kDartVmSnapshotData", rodata, &vm);
    add("kDartIsolateSnapshotData", rodata, &isolate);
    add(
        "kDartVmSnapshotInstructions",
        text,
        &[0x1f, 0x20, 0x03, 0xd5],
    );
    add(
        "kDartIsolateSnapshotInstructions",
        text,
        &[0x1f, 0x20, 0x03, 0xd5],
    );
    obj.write().expect("object file")
}

/// A `libapp.so`-like ELF with a fake 64-bit snapshot, for other modules' tests.
pub(crate) fn flutter_elf() -> Vec<u8> {
    object_file(BinaryFormat::Elf, ARM64)
}

fn dart_strings(bytes: &[u8]) -> Vec<Pushed> {
    let mut n = 0;
    let (got, result) = collect(|s| extract(bytes, s).map(|c| n = c));
    result.expect("extracted");
    assert_eq!(n, got.len());
    got
}

fn assert_app_strings(bytes: &[u8], got: &[Pushed]) {
    let find = |want: &str| got.iter().find(|(t, _, _)| t == want);
    for want in [
        "dart:core",
        "dart:async",
        "https://api.example.com/v1/",
        "Grüße aus München",
        "Привет, мир",
        "ключ=AKIA7JBD4R6CC6PKYQJR",
        "package:hello/main.dart",
    ] {
        let (_, symbol, _) = find(want).unwrap_or_else(|| panic!("{want}: {got:?}"));
        assert_eq!(symbol, STRING_SYMBOL);
    }
    // Offsets point at the characters.
    let (_, _, at) = find("package:hello/main.dart").unwrap();
    let at = *at as usize;
    assert_eq!(&bytes[at..at + 23], b"package:hello/main.dart");
    let (_, _, at) = find("ключ=AKIA7JBD4R6CC6PKYQJR").unwrap();
    let key: Vec<u8> = AWS_KEY.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(&bytes[*at as usize + 10..*at as usize + 50], &key[..]);
    // Each distinct string once; no decoy.
    assert_eq!(got.iter().filter(|(t, _, _)| t == "dart:core").count(), 1);
    for decoy in DECOYS {
        assert!(
            !got.iter().any(|(t, _, _)| t.contains(decoy)),
            "{decoy}: {got:?}"
        );
    }
}

#[test]
fn reads_one_and_two_byte_strings_from_an_elf_library() {
    for flavor in [ARM64, ARM64_COMPRESSED, ARM32] {
        let elf = object_file(BinaryFormat::Elf, flavor);
        assert_eq!(crate::formats::sniff(&elf), crate::formats::Kind::Elf);
        assert_app_strings(&elf, &dart_strings(&elf));
    }
}

#[test]
fn reads_strings_from_a_mach_o_framework_and_each_fat_slice() {
    let thin = object_file(BinaryFormat::MachO, ARM64);
    assert_app_strings(&thin, &dart_strings(&thin));
    // A universal file with the framework as its only slice.
    let offset = 0x1000usize;
    let mut fat = 0xcafe_babeu32.to_be_bytes().to_vec();
    fat.extend(1u32.to_be_bytes());
    for field in [0x0100_000c, 0, offset as u32, thin.len() as u32, 12] {
        fat.extend(u32::to_be_bytes(field));
    }
    fat.resize(offset, 0);
    fat.extend(&thin);
    let got = dart_strings(&fat);
    assert_app_strings(&fat, &got);
    let (_, _, at) = got.iter().find(|(t, _, _)| t == "dart:async").unwrap();
    assert!(*at as usize > offset);
}

#[test]
fn header_names_version_features_and_target() {
    let info = snapshot_info(&object_file(BinaryFormat::Elf, ARM64_COMPRESSED)).expect("info");
    assert_eq!(info.version_hash, HASH);
    assert_eq!(info.kind, 3);
    assert_eq!(info.arch.as_deref(), Some("arm64"));
    assert_eq!(info.os.as_deref(), Some("android"));
    assert!(info.compressed_pointers);
    assert!(info.features.iter().any(|f| f == "null-safety"));
    let info = snapshot_info(&object_file(BinaryFormat::MachO, ARM64)).expect("info");
    assert!(!info.compressed_pointers);
    assert!(is_flutter_binary(&object_file(BinaryFormat::Elf, ARM32)));
}

#[test]
fn binaries_without_a_snapshot_are_not_flutter() {
    let elf = crate::fixtures::elf::ElfBuilder::new()
        .rodata("kDartIsolateSnapshotData")
        .build();
    assert!(!is_flutter_binary(&elf));
    assert!(extract(&elf, &mut |_: ScannedString<'_>| {}).is_err());
    assert!(!is_flutter_binary(b"\x7fELF"));
    assert!(!is_flutter_binary(&[]));
    // The symbols present but the header broken (version hash not hex).
    let mut obj = Object::new(BinaryFormat::Elf, Architecture::Aarch64, Endianness::Little);
    let rodata = obj.section_id(StandardSection::ReadOnlyData);
    let mut bad = blob(ARM64, &[Obj::Str("dart:core")]);
    bad[20] = b'z';
    let value = obj.append_section_data(rodata, &bad, 64);
    obj.add_symbol(Symbol {
        name: b"_kDartIsolateSnapshotData".to_vec(),
        value,
        size: bad.len() as u64,
        kind: SymbolKind::Data,
        scope: SymbolScope::Dynamic,
        weak: false,
        section: SymbolSection::Section(rodata),
        flags: SymbolFlags::None,
    });
    let bytes = obj.write().unwrap();
    assert!(snapshot_info(&bytes).is_none());
    assert!(extract(&bytes, &mut |_: ScannedString<'_>| {}).is_err());
}

#[test]
fn truncated_and_corrupted_files_do_not_panic() {
    let elf = object_file(BinaryFormat::Elf, ARM64);
    for cut in (0..elf.len()).step_by(97) {
        let _ = snapshot_info(&elf[..cut]);
        let _ = extract(&elf[..cut], &mut |_: ScannedString<'_>| {});
    }
    let mut flipped = elf.clone();
    for i in (0..flipped.len()).step_by(13) {
        flipped[i] ^= 0xa5;
    }
    let _ = extract(&flipped, &mut |_: ScannedString<'_>| {});
}

#[test]
fn the_utf16_key_is_found_through_the_elf_extractor_once() {
    let elf = object_file(BinaryFormat::Elf, ARM64);
    let (got, result) = collect(|s| crate::formats::extract(crate::formats::Kind::Elf, &elf, s));
    result.unwrap();
    // Printable runs of .rodata and the string objects: one copy per place.
    let at = |t: &str| got.iter().filter(|(s, _, _)| s == t).count();
    assert_eq!(at("package:hello/main.dart"), 1, "{got:?}");
    // A run of .rodata inside a string object is not repeated.
    assert_eq!(
        at("See Scaffold.of():\n  https://docs.example.com/scaffold"),
        1
    );
    assert_eq!(at("  https://docs.example.com/scaffold"), 0, "{got:?}");
    // Runs outside string objects still come from the ELF extractor: the
    // header of each of the two blobs.
    let header = format!("{HASH}{}", ARM64.features);
    assert_eq!(at(&header), 2, "{got:?}");
    let found = findings("lib/arm64-v8a/libapp.so", &elf);
    let key = found
        .iter()
        .find(|f| f.value == AWS_KEY)
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(key.rule, "aws-access-key-id");
    assert_eq!(key.symbol.as_deref(), Some(STRING_SYMBOL));
}

#[test]
fn corpus_flutter_app_framework() {
    let Some(dir) = crate::test_support::corpus_dir() else {
        return;
    };
    let Ok(bytes) = std::fs::read(dir.join("macho/r2-flutter-HelloApp")) else {
        eprintln!("r2-flutter-HelloApp absent; skipping");
        return;
    };
    let info = snapshot_info(&bytes).expect("snapshot");
    eprintln!("Dart snapshot {info:?}");
    assert_eq!(info.version_hash, "ee1eb666c76a5cb7746faf39d0b97547");
    assert_eq!(info.arch.as_deref(), Some("arm64"));
    assert_eq!(info.os.as_deref(), Some("ios"));
    let got = dart_strings(&bytes);
    let (native, _) = collect(|s| crate::formats::macho::extract(&bytes, s));
    let native: std::collections::HashSet<&str> =
        native.iter().map(|(t, _, _)| t.as_str()).collect();
    let new = got
        .iter()
        .filter(|(t, _, _)| !native.contains(t.as_str()))
        .count();
    eprintln!(
        "{} Dart strings, {new} of them not among the {} strings of the Mach-O extractor",
        got.len(),
        native.len()
    );
    assert!(got.len() > 5000, "{}", got.len());
    for want in ["dart:core", "package:flutter/src/widgets/framework.dart"] {
        assert!(got.iter().any(|(t, _, _)| t == want), "{want}");
    }
    assert!(crate::apps::frameworks::detect_from_content("App", &bytes) == Some("flutter"));
}
