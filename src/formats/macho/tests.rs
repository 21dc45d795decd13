use super::*;
use crate::fixtures::macho::{fat, Arch, MachOBuilder};

#[derive(Debug)]
struct Found {
    text: String,
    offset: u64,
    symbol: String,
}

fn run(bytes: &[u8]) -> (Vec<Found>, Result<(), FormatError>) {
    let mut found = Vec::new();
    let result = extract(bytes, &mut |s: ScannedString<'_>| {
        found.push(Found {
            text: String::from_utf8_lossy(s.text).into_owned(),
            offset: s.offset.unwrap(),
            symbol: s.symbol.unwrap().to_owned(),
        })
    });
    (found, result)
}

fn ok(bytes: &[u8]) -> Vec<Found> {
    let (found, result) = run(bytes);
    result.unwrap();
    found
}

fn find<'f>(found: &'f [Found], text: &str) -> &'f Found {
    let hits: Vec<_> = found.iter().filter(|f| f.text == text).collect();
    assert_eq!(hits.len(), 1, "{text:?} in {found:#?}");
    hits[0]
}

/// Asserts `text` was found once, with `symbol`, at an offset holding it.
fn assert_at(bytes: &[u8], found: &[Found], text: &str, symbol: &str) -> u64 {
    let f = find(found, text);
    assert_eq!(f.symbol, symbol, "{f:?}");
    let at = f.offset as usize;
    assert_eq!(&bytes[at..at + text.len()], text.as_bytes(), "{f:?}");
    f.offset
}

/// Renames a section so that only `__cfstring` records lead to its bytes.
fn hide_section(bytes: &mut [u8], name: &str) {
    let mut field = [0u8; 16];
    field[..name.len()].copy_from_slice(name.as_bytes());
    let at = bytes
        .windows(16)
        .position(|w| w == field)
        .expect("section name");
    bytes[at + 2] = b'X';
}

fn sample(arch: Arch) -> MachOBuilder {
    MachOBuilder::new(arch)
        .cstring("hello world")
        .methname("viewDidLoad")
        .cfstring("https://api.example.com/v1")
        .cfstring_utf16("pässwörd-utf16")
        .data_const(b"\x01\x02AKIAIOSFODNN7EXAMPLE\x00\x03")
        .load_dylib("/System/Library/Frameworks/Security.framework/Security")
        .import("_SecTrustEvaluate")
        .export("_main")
}

#[test]
fn c_string_sections() {
    let bytes = sample(Arch::Arm64).build();
    let found = ok(&bytes);
    assert_at(&bytes, &found, "hello world", "__TEXT,__cstring");
    assert_at(&bytes, &found, "viewDidLoad", "__TEXT,__objc_methname");
    // The cfstring literal sits in __cstring and is pushed once.
    assert_at(
        &bytes,
        &found,
        "https://api.example.com/v1",
        "__TEXT,__cstring",
    );
    let u = find(&found, "pässwörd-utf16");
    assert_eq!(u.symbol, "__TEXT,__ustring");
}

#[test]
fn cfstring_records_64_and_32_bit_both_byte_orders() {
    for arch in [Arch::Arm64, Arch::X86_64, Arch::Armv7, Arch::Ppc] {
        let mut bytes = sample(arch).build();
        hide_section(&mut bytes, "__cstring");
        hide_section(&mut bytes, "__ustring");
        let found = ok(&bytes);
        assert_at(
            &bytes,
            &found,
            "https://api.example.com/v1",
            "__DATA,__cfstring",
        );
        let u = find(&found, "pässwörd-utf16");
        assert_eq!(u.symbol, "__DATA,__cfstring", "{arch:?}");
        let first = if arch == Arch::Ppc {
            [0, b'p']
        } else {
            [b'p', 0]
        };
        assert_eq!(bytes[u.offset as usize..][..2], first, "{arch:?}");
        assert!(!found.iter().any(|f| f.text == "hello world"), "{arch:?}");
    }
}

#[test]
fn cfstring_length_bounds_the_literal() {
    let build = |b: MachOBuilder| {
        let mut bytes = b.build();
        hide_section(&mut bytes, "__cstring");
        // Stretch the first record's length from 8 to 12.
        let flags = u64::from(crate::fixtures::macho::CFSTRING_ASCII).to_le_bytes();
        let at = bytes.windows(8).position(|w| w == flags).unwrap() + 16;
        assert_eq!(bytes[at], 8);
        bytes[at] = 12;
        ok(&bytes)
    };
    let found = build(
        MachOBuilder::new(Arch::Arm64)
            .cfstring("abcdefgh")
            .cfstring("ijklmnop"),
    );
    assert_eq!(find(&found, "abcdefgh\0ijk").symbol, "__DATA,__cfstring");
    assert_eq!(find(&found, "ijklmnop").symbol, "__DATA,__cfstring");
    // A length past the end of the literal's section stops at the section end.
    let found = build(
        MachOBuilder::new(Arch::Arm64)
            .cstring("ijklmnop")
            .cfstring("abcdefgh"),
    );
    assert_eq!(find(&found, "abcdefgh\0").symbol, "__DATA,__cfstring");
}

#[test]
fn chained_fixup_pointers() {
    for b in [
        MachOBuilder::new(Arch::Arm64),
        MachOBuilder::new(Arch::X86_64).dylib("@rpath/Lib.framework/Lib"),
    ] {
        let mut bytes = b
            .chained_pointers()
            .cfstring("chained-literal")
            .cfstring_utf16("chained-utf16")
            .build();
        hide_section(&mut bytes, "__cstring");
        hide_section(&mut bytes, "__ustring");
        let found = ok(&bytes);
        assert_at(&bytes, &found, "chained-literal", "__DATA,__cfstring");
        assert_eq!(find(&found, "chained-utf16").symbol, "__DATA,__cfstring");
    }
}

#[test]
fn data_const_runs_symbols_and_dylibs() {
    let bytes = sample(Arch::Arm64).build();
    let found = ok(&bytes);
    assert_at(&bytes, &found, "AKIAIOSFODNN7EXAMPLE", "__DATA,__const");
    assert_at(&bytes, &found, "_SecTrustEvaluate", "imports");
    assert_at(&bytes, &found, "_main", "exports");
    assert_at(
        &bytes,
        &found,
        "/System/Library/Frameworks/Security.framework/Security",
        "dylibs",
    );
}

#[test]
fn fat_slices_are_deduplicated() {
    let arm64 = sample(Arch::Arm64).cstring("only-in-arm64").build();
    let armv7 = sample(Arch::Armv7).cstring("only-in-armv7").build();
    let bytes = fat(&[&arm64, &armv7]);
    let second = u32::from_be_bytes(bytes[8 + 20 + 8..][..4].try_into().unwrap()) as u64;
    let found = ok(&bytes);
    for text in [
        "hello world",
        "https://api.example.com/v1",
        "_SecTrustEvaluate",
        "AKIAIOSFODNN7EXAMPLE",
    ] {
        let f = find(&found, text);
        assert!(f.offset < second, "{f:?} should come from the first slice");
    }
    assert!(assert_at(&bytes, &found, "only-in-armv7", "__TEXT,__cstring") > second);
    assert!(assert_at(&bytes, &found, "only-in-arm64", "__TEXT,__cstring") < second);
}

#[test]
fn bad_fat_slice_does_not_stop_the_others() {
    let good = sample(Arch::Arm64).build();
    let mut bytes = fat(&[&[0xffu8; 64], &good]);
    let (found, result) = run(&bytes);
    let err = result.unwrap_err();
    assert!(err.message.contains("architecture 0"), "{err}");
    assert!(!err.message.contains("architecture 1"), "{err}");
    assert_at(&bytes, &found, "hello world", "__TEXT,__cstring");

    // A slice reaching past the end of the file is reported, not read.
    bytes[8 + 20 + 12..][..4].copy_from_slice(&u32::MAX.to_be_bytes());
    let err = run(&bytes).1.unwrap_err();
    assert!(
        err.message.contains("architecture 1: 4294967295 bytes"),
        "{err}"
    );
}

#[test]
fn garbage_is_an_error() {
    for bytes in [
        &b""[..],
        b"\xcf\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe\0\0\0\0",
        b"\xca\xfe\xba\xbe\0\0\x10\0",
    ] {
        assert!(run(bytes).1.is_err(), "{bytes:?}");
    }
}

#[test]
fn entry_point_overflow_is_refused() {
    // Header, LC_SEGMENT_64 __TEXT with fileoff > vmaddr, LC_MAIN.
    let mut b = Vec::new();
    for v in [
        0xfeed_facf_u32,
        0x0100_000c,
        0,
        2,
        2,
        72 + 24,
        0,
        0,
        0x19,
        72,
    ] {
        b.extend(v.to_le_bytes());
    }
    b.extend(*b"__TEXT\0\0\0\0\0\0\0\0\0\0");
    for v in [0u64, 0, 0x1000, 0] {
        b.extend(v.to_le_bytes());
    }
    for v in [5u32, 5, 0, 0, 0x8000_0028, 24] {
        b.extend(v.to_le_bytes());
    }
    b.extend([0; 16]);
    let err = run(&b).1.unwrap_err();
    assert!(err.message.contains("LC_MAIN"), "{err}");
}

#[test]
fn every_truncation_is_handled() {
    let thin = sample(Arch::Armv7).build();
    let bytes = fat(&[&sample(Arch::Arm64).build(), &thin]);
    for input in [&thin, &bytes] {
        for len in 0..=input.len() {
            let _ = run(&input[..len]);
        }
    }
}

#[test]
fn corrupted_load_commands_are_handled() {
    let bytes = sample(Arch::Arm64).build();
    let commands_end = 32 + u32::from_le_bytes(bytes[20..24].try_into().unwrap()) as usize;
    for at in 0..commands_end {
        for value in [0x00, 0x7f, 0xff] {
            let mut mutated = bytes.clone();
            mutated[at] = value;
            let _ = run(&mutated);
        }
    }
}

/// Runs the extractor over every Mach-O file of the shared corpus.
#[test]
fn corpus_files_do_not_panic() {
    let Some(root) = crate::test_support::corpus_dir() else {
        return;
    };
    let mut seen = 0;
    for dir in ["macho", "odd"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let magic = bytes
                .get(..4)
                .map(|m| u32::from_be_bytes(m.try_into().unwrap()));
            if !matches!(
                magic,
                Some(0xfeedface | 0xfeedfacf | 0xcefaedfe | 0xcffaedfe | 0xcafebabe | 0xcafebabf)
            ) {
                continue;
            }
            seen += 1;
            let (found, result) = run(&bytes);
            eprintln!(
                "{}: {} strings, {:?}",
                entry.path().display(),
                found.len(),
                result.err().map(|e| e.message)
            );
        }
    }
    assert!(seen > 0, "no Mach-O files under {}", root.display());
}
