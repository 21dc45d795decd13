//! Writes seed corpora for every fuzz target into `fuzz/corpus/<target>/`,
//! built by the project's fixture builders (a few KB each, regenerated on
//! demand rather than committed):
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml --example seeds
//! ```

use mastiff::fixtures::arsc::TableBuilder;
use mastiff::fixtures::axml::{Element, Encoding, ANDROID};
use mastiff::fixtures::aab;
use mastiff::fixtures::dex::DexBuilder;
use mastiff::fixtures::elf::ElfBuilder;
use mastiff::fixtures::macho::{fat, Arch, MachOBuilder};
use mastiff::fixtures::samples;
use mastiff::fixtures::zipfile::{hostile, ZipBuilder};
use std::path::Path;

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let dex = dex_seeds();
    let macho = macho_seeds();
    let elf = elf_seeds();
    let plist = plist_seeds();
    let text = text_seeds();
    let archives = archive_seeds();
    let axml = axml_seeds();
    let arsc = arsc_seeds();
    let proto = proto_seeds();

    let mut entries: Vec<(&str, Vec<u8>)> = Vec::new();
    for set in [&dex, &macho, &elf, &plist, &text, &axml, &arsc] {
        entries.extend(set.iter().cloned());
    }
    let mut zip_walk = archives.clone();
    zip_walk.extend(entries.iter().cloned());

    let targets: [(&str, &[(&str, Vec<u8>)]); 10] = [
        ("axml", &axml),
        ("arsc", &arsc),
        ("dex", &dex),
        ("macho", &macho),
        ("elf", &elf),
        ("plist", &plist),
        ("text", &text),
        ("zip_walk", &zip_walk),
        ("scan_archive", &entries),
        ("proto_xml", &proto),
    ];
    for (target, seeds) in targets {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        for (name, bytes) in seeds {
            std::fs::write(dir.join(name), bytes)?;
        }
        println!("{target}: {} seeds", seeds.len());
    }
    Ok(())
}

fn proto_seeds() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("manifest.pb", aab::demo_manifest(0x7f02_0000)),
        ("nsc.pb", aab::demo_network_security_config()),
        ("resources.pb", aab::demo_table().build()),
    ]
}

fn dex_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let mut small = DexBuilder::new();
    small
        .class("a.B")
        .static_string_field("KEY", "AKIA7JBD4R6CC6PKYQJR")
        .method_with_strings("run", &["https://example.dev/api", "hello"]);
    let mut fields = DexBuilder::new();
    fields.class("x.Y").method_const_string_to_field(
        "<clinit>",
        "TOKEN",
        "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",
    );
    fields.string("\u{1b}[2Jescape");
    vec![("small.dex", small.build()), ("fields.dex", fields.build())]
}

fn macho_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let arm = MachOBuilder::new(Arch::Arm64)
        .cstring("https://api.example.dev")
        .cfstring("xoxb-983719363696-2594117839677-EPSUlNbqg8M4KzZKObVeLpy4")
        .cfstring_utf16("ütf16 ∑")
        .methname("viewDidLoad")
        .import("_SecTrustEvaluateWithError")
        .export("_main")
        .build();
    let chained = MachOBuilder::new(Arch::Arm64)
        .chained_pointers()
        .cfstring("chained")
        .build();
    let x86 = MachOBuilder::new(Arch::X86_64).cstring("x86").build();
    let v7 = MachOBuilder::new(Arch::Armv7).cstring("armv7").build();
    let universal = fat(&[&arm, &x86]);
    vec![
        ("arm64.macho", arm),
        ("chained.macho", chained),
        ("armv7.macho", v7),
        ("fat.macho", universal),
    ]
}

fn elf_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let full = ElfBuilder::new()
        .rodata("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")
        .data("data string")
        .text(&[0x90; 16])
        .dynamic_symbol("Java_a_B_init")
        .build();
    let stripped = ElfBuilder::new()
        .rodata("no section headers")
        .without_section_headers()
        .build();
    vec![("full.so", full), ("stripped.so", stripped)]
}

fn plist_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let mut dict = plist::Dictionary::new();
    dict.insert(
        "API_KEY".into(),
        "AIzavQKTuashe4c2J239CJiZ9f7aAEZVNcphl95".into(),
    );
    dict.insert("n".into(), plist::Value::Integer(7.into()));
    dict.insert(
        "list".into(),
        plist::Value::Array(vec!["a".into(), plist::Value::Boolean(true)]),
    );
    let value = plist::Value::Dictionary(dict);
    let mut binary = Vec::new();
    value.to_writer_binary(&mut binary).expect("binary plist");
    let mut xml = Vec::new();
    value.to_writer_xml(&mut xml).expect("xml plist");
    vec![("info.bplist", binary), ("info.plist", xml)]
}

fn text_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let utf16: Vec<u8> = "password=hunter2-utf16"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    vec![
        (
            "config.json",
            b"{\n  \"aws_secret_access_key\": \"fLCJQ4GFblOo/8Lw2DGmmPfKfjxhCjIZLg8hJIsX\"\n}\n"
                .to_vec(),
        ),
        ("utf16.bin", utf16),
        ("ctrl.txt", b"a\x1b[31mred\x00\r\nline2\xff\xfe".to_vec()),
    ]
}

fn archive_seeds() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("demo.apk", samples::demo_apk()),
        ("demo.ipa", samples::demo_ipa()),
        ("bomb.zip", hostile::bomb(1 << 20)),
        ("names.zip", hostile::with_names(&hostile::hostile_names())),
        ("dup.zip", hostile::duplicate_names()),
        ("encrypted.zip", hostile::encrypted_flag()),
        ("local-name.zip", hostile::local_name_mismatch()),
        ("local-size.zip", hostile::local_size_mismatch()),
        ("fake-deflate.zip", hostile::fake_deflate()),
        ("nested.zip", hostile::nested(4)),
        (
            "method.zip",
            hostile::with_method(hostile::UNASSIGNED_METHOD),
        ),
        ("descriptor.zip", hostile::data_descriptor()),
        (
            "plain.zip",
            ZipBuilder::new()
                .stored("a.txt", b"token=abc")
                .deflated("b.txt", b"more text")
                .build(),
        ),
    ]
}

fn axml_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let nsc = Element::new("network-security-config").child(
        Element::new("domain-config")
            .attr_bool("", "cleartextTrafficPermitted", true)
            .child(
                Element::new("domain")
                    .attr_bool("", "includeSubdomains", true)
                    .text("api.example.com"),
            ),
    );
    let manifest = Element::new("manifest")
        .ns("android", ANDROID)
        .attr_str("", "package", "dev.example")
        .child(
            Element::new("application")
                .attr_bool(ANDROID, "debuggable", true)
                .attr_ref(ANDROID, "networkSecurityConfig", 0x7f01_0000)
                .child(
                    Element::new("meta-data")
                        .attr_str(ANDROID, "name", "com.google.android.geo.API_KEY")
                        .attr_str(ANDROID, "value", "AIzaSyD-example-placeholder-value00000"),
                ),
        );
    vec![
        ("manifest-utf16.axml", manifest.to_axml(Encoding::Utf16)),
        ("manifest-utf8.axml", manifest.to_axml(Encoding::Utf8)),
        ("nsc.axml", nsc.to_axml(Encoding::Utf16)),
        ("demo-manifest.axml", samples::demo_manifest(3, "1.2.0")),
    ]
}

fn arsc_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let table = TableBuilder::new(0x7f, "dev.example")
        .string("google_api_key", "AIzaSyD-example-placeholder-value00000")
        .compact_string("app_name", "Example")
        .localized("de", "app_name", "Beispiel")
        .xml("network_security_config", "res/xml/network_security_config.xml")
        .raw("pinned_ca", "res/raw/pinned_ca.pem")
        .array("hosts", &["https://api.example.com", "https://cdn.example.com"]);
    vec![("table.arsc", table.build())]
}
