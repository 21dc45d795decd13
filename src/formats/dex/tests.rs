use super::*;
use crate::fixtures::dex::{DexBuilder, Insn, MethodKind};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Got {
    text: String,
    offset: Option<u64>,
    symbol: Option<String>,
    context: Option<String>,
}

fn run(bytes: &[u8]) -> (Vec<Got>, Result<(), FormatError>) {
    let mut got = Vec::new();
    let result = extract(bytes, &mut |s: ScannedString<'_>| {
        assert_eq!(s.line, None);
        got.push(Got {
            text: String::from_utf8(s.text.to_vec()).expect("extracted text is UTF-8"),
            offset: s.offset,
            symbol: s.symbol.map(str::to_owned),
            context: s.context.map(str::to_owned),
        })
    });
    (got, result)
}

fn find<'g>(got: &'g [Got], text: &str) -> &'g Got {
    let hits: Vec<&Got> = got.iter().filter(|g| g.text == text).collect();
    assert_eq!(hits.len(), 1, "{text:?} emitted {} times", hits.len());
    hits[0]
}

fn sample() -> Vec<u8> {
    let mut dex = DexBuilder::new();
    dex.class("com.example.Config")
        .static_string_field("API_KEY", "AKIAIOSFODNN7EXAMPLE")
        .method_const_string_to_field("<clinit>", "TOKEN", "tok-123")
        .method_with_strings("log", &["shared", "hello"])
        .method(
            "<init>",
            MethodKind::Instance,
            vec![
                Insn::ConstString {
                    reg: 1,
                    value: "pw".into(),
                },
                Insn::ConstString {
                    reg: 0,
                    value: "unrelated".into(),
                },
                Insn::IputObject {
                    reg: 1,
                    field: "password".into(),
                },
            ],
        );
    dex.class("com.example.Other")
        .method_with_strings("run", &["shared"]);
    dex.string("nobody uses me");
    dex.build()
}

#[test]
fn strings_carry_class_and_field() {
    let (got, result) = run(&sample());
    assert_eq!(result, Ok(()));
    let config = Some("com.example.Config".to_owned());
    let key = find(&got, "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(
        (&key.symbol, key.context.as_deref()),
        (&config, Some("API_KEY"))
    );
    let token = find(&got, "tok-123");
    assert_eq!(
        (&token.symbol, token.context.as_deref()),
        (&config, Some("TOKEN"))
    );
    let pw = find(&got, "pw");
    assert_eq!(
        (&pw.symbol, pw.context.as_deref()),
        (&config, Some("password"))
    );
    let hello = find(&got, "hello");
    assert_eq!((&hello.symbol, &hello.context), (&config, &None));
    // The first class to use a string names it.
    assert_eq!(find(&got, "shared").symbol, config);
    let unused = find(&got, "nobody uses me");
    assert_eq!((&unused.symbol, &unused.context), (&None, &None));
    assert_eq!(find(&got, "Lcom/example/Other;").symbol, None);
}

#[test]
fn every_string_once_at_its_data_offset() {
    let bytes = sample();
    let dex = parse(&bytes).unwrap();
    let (got, _) = run(&bytes);
    assert_eq!(got.len(), dex.string_count() as usize);
    for (i, g) in got.iter().enumerate() {
        assert_eq!(g.offset, dex.string_data_off(i as u32).map(u64::from));
        assert_eq!(Some(g.text.as_str()), dex.string(i as u32).as_deref());
    }
}

#[test]
fn mutf8_nul_and_supplementary_characters() {
    let mut dex = DexBuilder::new();
    dex.class("a.B")
        .method_const_string_to_field("m", "EMOJI_KEY", "k\0e😀y");
    let (got, result) = run(&dex.build());
    assert_eq!(result, Ok(()));
    assert_eq!(find(&got, "k\0e😀y").context.as_deref(), Some("EMOJI_KEY"));
}

#[test]
fn static_values_skip_fields_without_value() {
    let mut dex = DexBuilder::new();
    dex.class("a.B")
        .method_const_string_to_field("m", "A_FIRST", "from code")
        .static_string_field("B_SECOND", "from static values")
        .method(
            "j",
            MethodKind::Static,
            vec![
                Insn::ConstStringJumbo {
                    reg: 3,
                    value: "jumbo".into(),
                },
                Insn::SputObject {
                    reg: 3,
                    field: "C_THIRD".into(),
                },
            ],
        );
    let (got, result) = run(&dex.build());
    assert_eq!(result, Ok(()));
    assert_eq!(find(&got, "from code").context.as_deref(), Some("A_FIRST"));
    assert_eq!(
        find(&got, "from static values").context.as_deref(),
        Some("B_SECOND")
    );
    assert_eq!(find(&got, "jumbo").context.as_deref(), Some("C_THIRD"));
}

#[test]
fn payloads_in_code_are_stepped_over() {
    let mut dex = DexBuilder::new();
    dex.class("a.B").method(
        "m",
        MethodKind::Static,
        vec![
            Insn::Raw(vec![0x0300, 1, 4, 0, 0x1a1a, 0x1a1a]), // fill-array-data payload
            Insn::ConstString {
                reg: 0,
                value: "after payload".into(),
            },
        ],
    );
    let (got, result) = run(&dex.build());
    assert_eq!(result, Ok(()));
    assert_eq!(find(&got, "after payload").symbol.as_deref(), Some("a.B"));
}

#[test]
fn rejects_bad_headers() {
    let good = sample();
    let patched = |at: usize, bytes: &[u8]| {
        let mut b = good.clone();
        b[at..at + bytes.len()].copy_from_slice(bytes);
        b
    };
    for (bad, why) in [
        (patched(0, b"dey\n"), "bad magic"),
        (patched(4, b"034"), "unsupported version 034"),
        (patched(4, b"0x5"), "bad magic"),
        (
            patched(0x28, &0x7856_3412u32.to_le_bytes()),
            "big-endian DEX is not supported",
        ),
        (patched(0x28, &1u32.to_le_bytes()), "bad endian_tag 0x1"),
        (
            patched(0x24, &0x20u32.to_le_bytes()),
            "bad header_size 0x20",
        ),
        (
            patched(0x3c, &u32::MAX.to_le_bytes()),
            "string_ids offset 0xffffffff past the end",
        ),
    ] {
        let (got, result) = run(&bad);
        assert_eq!(result, Err(err(why)));
        assert!(got.is_empty());
    }
    let v41 = patched(4, b"041");
    assert_eq!(parse(&v41).map(|d| d.version()), Ok(41));
}

#[test]
fn huge_counts_are_capped_and_reported() {
    let good = sample();
    let (all, _) = run(&good);
    for count_at in [0x38, 0x40, 0x50, 0x58, 0x60] {
        let mut bad = good.clone();
        bad[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let (got, result) = run(&bad);
        assert!(result.is_err(), "count at {count_at:#x}");
        // Every real string is still emitted.
        for g in &all {
            assert!(
                got.iter().any(|h| h.text == g.text && h.offset == g.offset),
                "{count_at:#x}: {g:?}"
            );
        }
    }
}

#[test]
fn garbage_code_still_emits_every_string() {
    let good = sample();
    let dex = parse(&good).unwrap();
    let mut code_offs = Vec::new();
    let mut data = ClassData::default();
    for c in 0..dex.class_count() {
        dex.class_data(dex.class_def(c).unwrap().class_data_off, &mut data)
            .unwrap();
        code_offs.extend(
            data.direct_methods
                .iter()
                .chain(&data.virtual_methods)
                .map(|m| m.code_off as usize),
        );
    }
    let (all, _) = run(&good);
    let strings: Vec<&str> = all.iter().map(|g| g.text.as_str()).collect();
    for (patch_at, patch) in [
        (12, u32::MAX.to_le_bytes().to_vec()),
        (16, vec![0x18, 0x00, 0xff, 0xff]),
    ] {
        let mut bad = good.clone();
        for &off in &code_offs {
            bad[off + patch_at..off + patch_at + patch.len()].copy_from_slice(&patch);
        }
        let (got, result) = run(&bad);
        let message = result.expect_err("garbage code is reported").message;
        assert!(message.contains("code_item at"), "{message}");
        assert_eq!(
            got.iter().map(|g| g.text.as_str()).collect::<Vec<_>>(),
            strings
        );
        // Static values are read before code, so their field is still known.
        assert_eq!(
            find(&got, "AKIAIOSFODNN7EXAMPLE").context.as_deref(),
            Some("API_KEY")
        );
    }
}

#[test]
fn every_truncation_is_handled() {
    let full = sample();
    let (all, _) = run(&full);
    for len in 0..full.len() {
        let (got, result) = run(&full[..len]);
        if len < HEADER_SIZE {
            assert!(result.is_err() && got.is_empty(), "len {len}");
        }
        for g in &got {
            assert!(
                all.iter().any(|a| a.text == g.text && a.offset == g.offset),
                "len {len}: {g:?}"
            );
        }
    }
}

#[test]
fn shared_string_data_is_bounded() {
    let long = "x".repeat(4000);
    let mut dex = DexBuilder::new();
    dex.class("a.B").method_with_strings("m", &[&long]);
    let mut bytes = dex.build();
    let dex = parse(&bytes).unwrap();
    let long_off = (0..dex.string_count())
        .find(|&i| dex.string(i).unwrap().len() == long.len())
        .and_then(|i| dex.string_data_off(i))
        .unwrap();
    for i in 0..dex.string_count() as usize {
        bytes[0x70 + 4 * i..0x74 + 4 * i].copy_from_slice(&long_off.to_le_bytes());
    }
    let (got, result) = run(&bytes);
    assert!(result.unwrap_err().message.contains("string data overlaps"));
    assert!(got.len() < 4, "{}", got.len());
}

#[test]
fn shared_code_is_bounded() {
    let mut dex = DexBuilder::new();
    dex.class("a.A")
        .method("m", MethodKind::Static, vec![Insn::Raw(vec![0; 8000])]);
    for i in 0..40 {
        dex.class(&format!("a.C{i}"));
    }
    let mut bytes = dex.build();
    let dex = parse(&bytes).unwrap();
    let first = dex.class_def(0).unwrap().class_data_off;
    let classes_off = u32_at(&bytes, 0x64).unwrap() as usize;
    for c in 1..dex.class_count() as usize {
        let at = classes_off + 32 * c + 24;
        bytes[at..at + 4].copy_from_slice(&first.to_le_bytes());
    }
    let (got, result) = run(&bytes);
    assert!(result.unwrap_err().message.contains("work limit reached"));
    assert_eq!(got.len(), parse(&bytes).unwrap().string_count() as usize);
}

#[test]
fn java_names() {
    let mut out = String::from("stale");
    java_name_into("Lcom/example/Foo$Bar;", &mut out);
    assert_eq!(out, "com.example.Foo$Bar");
    java_name_into("[I", &mut out);
    assert_eq!(out, "[I");
}

#[test]
fn corpus_dex_files() {
    let Some(dir) = crate::test_support::corpus_dir() else {
        return;
    };
    let mut seen = 0;
    for sub in ["dex", "odd"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            if !bytes.starts_with(b"dex\n") {
                continue;
            }
            seen += 1;
            let (got, result) = run(&bytes);
            eprintln!(
                "{}: {} strings, {:?}",
                entry.path().display(),
                got.len(),
                result.err()
            );
        }
    }
    assert!(seen > 0, "no DEX files in the corpus");
    let bytes = std::fs::read(dir.join("dex/InsecureBankv2-bin-classes.dex")).unwrap();
    let (got, result) = run(&bytes);
    assert_eq!(result, Ok(()));
    let secret = find(&got, "This is the super secret key 123");
    assert_eq!(
        secret.symbol.as_deref(),
        Some("com.android.insecurebankv2.CryptoClass")
    );
    // `const-string v0, "..."; iput-object v0, p0, CryptoClass.key` in the constructor.
    assert_eq!(secret.context.as_deref(), Some("key"));
}
