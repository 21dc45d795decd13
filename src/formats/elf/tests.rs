use super::*;
use crate::fixtures::elf::ElfBuilder;

/// Text, offset and symbol of a pushed string.
type Found = (String, u64, String);

fn run(bytes: &[u8]) -> (Vec<Found>, Result<(), FormatError>) {
    let mut found = Vec::new();
    let result = extract(bytes, &mut |s: ScannedString<'_>| {
        let text = String::from_utf8_lossy(s.text).into_owned();
        found.push((text, s.offset.unwrap(), s.symbol.unwrap().to_owned()))
    });
    (found, result)
}

/// Asserts `text` was found with `symbol` at an offset holding it.
fn assert_at(bytes: &[u8], found: &[Found], text: &str, symbol: &str) {
    let hit = found.iter().find(|f| f.0 == text && f.2 == symbol);
    let (_, at, _) = hit.unwrap_or_else(|| panic!("{text:?} / {symbol} not in {found:?}"));
    assert_eq!(&bytes[*at as usize..][..text.len()], text.as_bytes());
}

fn sample() -> ElfBuilder {
    ElfBuilder::new()
        .rodata("https://api.example.com/v2")
        .rodata("short")
        .data("AKIAIOSFODNN7EXAMPLE")
        .text(b"\x00code-looking printable run\x00")
        .dynamic_symbol("SSL_CTX_set_verify")
        .dynamic_symbol("Java_com_example_Native_key")
}

#[test]
fn sections_and_dynamic_symbols() {
    let bytes = sample().build();
    let (found, result) = run(&bytes);
    result.unwrap();
    assert_at(&bytes, &found, "https://api.example.com/v2", ".rodata");
    assert_at(&bytes, &found, "AKIAIOSFODNN7EXAMPLE", ".data");
    assert_at(&bytes, &found, "SSL_CTX_set_verify", "dynsym");
    assert_at(&bytes, &found, "Java_com_example_Native_key", "dynsym");
    assert!(
        !found
            .iter()
            .any(|f| f.0 == "short" || f.0.contains("code-looking")),
        "{found:?}"
    );
}

#[test]
fn without_section_headers_scans_data_segments() {
    let bytes = sample().without_section_headers().build();
    let (found, result) = run(&bytes);
    result.unwrap();
    assert_at(&bytes, &found, "https://api.example.com/v2", "PT_LOAD");
    assert_at(&bytes, &found, "AKIAIOSFODNN7EXAMPLE", "PT_LOAD");
    assert_at(&bytes, &found, "SSL_CTX_set_verify", "dynsym");
    assert!(
        !found.iter().any(|f| f.0.contains("code-looking")),
        "{found:?}"
    );
}

#[test]
fn garbage_section_headers_fall_back_to_segments() {
    let mut bytes = sample().build();
    bytes[0x28..0x30].copy_from_slice(&u64::MAX.to_le_bytes()); // e_shoff
    let (found, result) = run(&bytes);
    result.unwrap();
    assert_at(&bytes, &found, "https://api.example.com/v2", "PT_LOAD");

    // Without program headers either, the caller's fallback must run.
    bytes[0x20..0x28].copy_from_slice(&u64::MAX.to_le_bytes()); // e_phoff
    assert!(run(&bytes).1.is_err());
}

#[test]
fn not_elf_is_an_error() {
    for bytes in [
        &b""[..],
        b"\x7fELF",
        b"\x7fELF\x03\x01\x01\0\0\0\0\0\0\0\0\0",
    ] {
        assert!(run(bytes).1.is_err(), "{bytes:?}");
    }
}

#[test]
fn every_truncation_is_handled() {
    for bytes in [sample().build(), sample().without_section_headers().build()] {
        for len in 0..=bytes.len() {
            let _ = run(&bytes[..len]);
        }
    }
}

/// Runs the extractor over ELF files of the shared corpus: loose files and
/// native libraries (`*.so`) inside the corpus's Android packages.
#[test]
fn corpus_files_do_not_panic() {
    use std::io::Read;
    let Some(root) = crate::test_support::corpus_dir() else {
        return;
    };
    let mut seen = 0;
    let mut check = |name: &str, bytes: &[u8]| {
        if bytes.starts_with(b"\x7fELF") {
            seen += 1;
            let (found, result) = run(bytes);
            eprintln!(
                "{name}: {} strings, {:?}",
                found.len(),
                result.err().map(|e| e.message)
            );
        }
    };
    for dir in ["macho", "odd", "real-android", "vuln-android"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let bytes = std::fs::read(&path).unwrap();
            check(&path.display().to_string(), &bytes);
            let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) else {
                continue;
            };
            for i in 0..zip.len() {
                let Ok(file) = zip.by_index(i) else { continue };
                let Ok(inner) = file.name().map(|n| n.into_owned()) else {
                    continue;
                };
                if !inner.ends_with(".so") {
                    continue;
                }
                let name = format!("{}!{inner}", path.display());
                let mut so = Vec::new();
                if file.take(64 << 20).read_to_end(&mut so).is_ok() {
                    check(&name, &so);
                }
            }
        }
    }
    eprintln!("{seen} ELF files");
}

#[test]
fn a_string_table_at_the_end_of_the_address_space_does_not_overflow() {
    let mut n = 0usize;
    // An empty table at the last offset, and one whose strings run past it.
    super::strings(b"", u64::MAX, &mut |_: ScannedString<'_>| n += 1);
    super::strings(b"abc\0def\0", u64::MAX - 3, &mut |_: ScannedString<'_>| {
        n += 1
    });
    assert_eq!(n, 2);
}
