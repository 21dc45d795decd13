use prost::Message;

use super::messages::{item, primitive, xml_node, Item, Primitive, Reference, XmlNode};
use super::*;
use crate::fixtures::aab::{self, ProtoTableBuilder, XmlBuilder, ANDROID};
use crate::fixtures::samples::planted;
use crate::formats::axml::{Node, Value, MAX_DEPTH};
use crate::formats::{
    extract as extract_kind, sniff, sniff_named, FormatError, Kind, ScannedString,
};

#[derive(Debug, PartialEq)]
struct Pushed {
    text: String,
    symbol: Option<String>,
    context: Option<String>,
}

fn collect(
    f: fn(&[u8], &mut dyn crate::formats::StringSink) -> Result<(), FormatError>,
    bytes: &[u8],
) -> (Result<(), FormatError>, Vec<Pushed>) {
    let mut out = Vec::new();
    let mut sink = |s: ScannedString<'_>| {
        assert_eq!(s.offset, None);
        out.push(Pushed {
            text: String::from_utf8_lossy(s.text).into_owned(),
            symbol: s.symbol.map(str::to_string),
            context: s.context.map(str::to_string),
        })
    };
    let r = f(bytes, &mut sink);
    (r, out)
}

fn find<'a>(pushed: &'a [Pushed], text: &str) -> &'a Pushed {
    pushed
        .iter()
        .find(|p| p.text == text)
        .unwrap_or_else(|| panic!("{text} not pushed: {pushed:?}"))
}

#[test]
fn manifest_reads_into_the_binary_xml_tree() {
    let doc = parse_xml(&aab::demo_manifest(0x7f02_0000)).unwrap();
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    assert_eq!(
        doc.namespaces,
        vec![(
            std::sync::Arc::from("android"),
            std::sync::Arc::from(ANDROID)
        )]
    );
    let root = doc.root().unwrap();
    assert_eq!(&*root.name, "manifest");
    assert_eq!(root.line, 1);
    assert_eq!(root.attr_str("", "package"), Some("dev.mastiff.demo"));
    assert_eq!(
        root.attr(ANDROID, "versionCode").unwrap().value,
        Value::Int(7)
    );
    assert_eq!(root.attr_str(ANDROID, "versionName"), Some("2.0.1"));
    let app = root.elements_named("application").next().unwrap();
    let cleartext = app.attr(ANDROID, "usesCleartextTraffic").unwrap();
    assert_eq!(cleartext.value.as_bool(), Some(true));
    assert_eq!(cleartext.resource_id, Some(0x0101_04ec));
    assert_eq!(cleartext.raw_value.as_deref(), Some("true"));
    let nsc = app.attr(ANDROID, "networkSecurityConfig").unwrap();
    assert_eq!(nsc.value.as_reference(), Some(0x7f02_0000));
    let meta = app.elements_named("meta-data").next().unwrap();
    assert_eq!(meta.attr_str(ANDROID, "value"), Some(planted::MAPS_API_KEY));
}

#[test]
fn text_nodes_and_unnamespaced_attributes_read_back() {
    let doc = parse_xml(&aab::demo_network_security_config()).unwrap();
    let root = doc.root().unwrap();
    let domain_config = root.elements_named("domain-config").next().unwrap();
    assert_eq!(
        domain_config
            .attr("", "cleartextTrafficPermitted")
            .and_then(|a| a.value.as_bool()),
        Some(true)
    );
    let domain = domain_config.elements_named("domain").next().unwrap();
    assert_eq!(domain.text(), "legacy.mastiff-demo.dev");
    assert_eq!(
        domain.attr("", "includeSubdomains").unwrap().resource_id,
        None
    );
}

#[test]
fn compiled_items_map_to_typed_values() {
    let prim = |v| Item {
        value: Some(item::Value::Prim(Box::new(Primitive { value: Some(v) }))),
    };
    let cases = [
        (
            prim(primitive::Value::IntHexadecimal(0x1f)),
            Value::Hex(0x1f),
        ),
        (prim(primitive::Value::Float(1.5)), Value::Float(1.5)),
        (
            prim(primitive::Value::Null(Default::default())),
            Value::Null(0),
        ),
        (
            prim(primitive::Value::Empty(Default::default())),
            Value::Null(1),
        ),
        (
            prim(primitive::Value::ColorArgb8(0xff00_00ff)),
            Value::Other {
                data_type: 0x1c,
                data: 0xff00_00ff,
            },
        ),
        (
            prim(primitive::Value::Dimension(0x1001)),
            Value::Other {
                data_type: 0x05,
                data: 0x1001,
            },
        ),
        (
            Item {
                value: Some(item::Value::Ref(Reference {
                    r#type: 1,
                    id: 0x0101_0036,
                    name: String::new(),
                })),
            },
            Value::Attribute(0x0101_0036),
        ),
    ];
    for (item, want) in cases {
        assert_eq!(item.to_value(), Some(want));
    }
    assert_eq!(Item::default().to_value(), None);
    // An attribute whose compiled item is empty falls back to its text.
    let xml = XmlBuilder::new("a")
        .attr("", "k", "text", Some(Item::default()))
        .build();
    let doc = parse_xml(&xml).unwrap();
    assert_eq!(doc.root().unwrap().attr_str("", "k"), Some("text"));
}

#[test]
fn table_lookups_by_id_name_and_configuration() {
    let builder = aab::demo_table();
    let table = parse_table(&builder.build()).unwrap();
    let key = builder.id("string", "google_api_key").unwrap();
    assert_eq!(key >> 24, 0x7f);
    assert_eq!(table.id_of("string", "google_api_key"), Some(key));
    assert_eq!(table.resolve_string(key), Some(planted::FIREBASE_API_KEY));
    let app_name = table.id_of("string", "app_name").unwrap();
    assert_eq!(table.resolve_string(app_name), Some("Mastiff Demo"));
    let e = table.entry(app_name).unwrap();
    assert_eq!(e.type_name, "string");
    let qualifiers: Vec<String> = e
        .entry
        .config_value
        .iter()
        .map(|cv| qualifier(cv.config.as_deref()))
        .collect();
    assert_eq!(qualifiers, ["", "de"]);
    let nsc = table.id_of("xml", "network_security_config").unwrap();
    assert_eq!(nsc, builder.id("xml", "network_security_config").unwrap());
    assert_eq!(table.resolve_string(nsc), None);
    assert_eq!(table.id_of("string", "missing"), None);
    assert!(table.entry(0x7f7f_0000).is_none());
}

#[test]
fn localized_only_string_resolves_to_its_first_configuration() {
    let table = parse_table(
        &ProtoTableBuilder::new(0x7f, "p")
            .localized("fr", "only_fr", "bonjour")
            .build(),
    )
    .unwrap();
    let id = table.id_of("string", "only_fr").unwrap();
    assert_eq!(table.resolve_string(id), Some("bonjour"));
}

#[test]
fn xml_extraction_names_values_like_binary_xml() {
    let (r, pushed) = collect(extract_xml, &aab::demo_manifest(0x7f02_0000));
    r.unwrap();
    let key = find(&pushed, planted::MAPS_API_KEY);
    assert_eq!(
        key.symbol.as_deref(),
        Some("manifest/application/meta-data")
    );
    assert_eq!(
        key.context.as_deref(),
        Some("com.google.android.geo.API_KEY")
    );
    let package = find(&pushed, "dev.mastiff.demo");
    assert_eq!(package.context.as_deref(), Some("package"));
    // Framework attributes give no context; typed non-strings are not pushed.
    assert_eq!(find(&pushed, "2.0.1").context, None);
    assert!(pushed.iter().all(|p| p.text != "true" && p.text != "7"));

    let (r, pushed) = collect(extract_xml, &aab::demo_network_security_config());
    r.unwrap();
    let domain = find(&pushed, "legacy.mastiff-demo.dev");
    assert_eq!(
        domain.symbol.as_deref(),
        Some("network-security-config/domain-config/domain")
    );
    assert_eq!(domain.context.as_deref(), Some("domain"));
}

#[test]
fn table_extraction_names_values_by_resource() {
    let (r, pushed) = collect(extract_table, &aab::demo_table().build());
    r.unwrap();
    let key = find(&pushed, planted::FIREBASE_API_KEY);
    assert_eq!(key.symbol.as_deref(), Some("@string/google_api_key"));
    assert_eq!(key.context.as_deref(), Some("google_api_key"));
    let de = find(&pushed, "Mastiff-Demo");
    assert_eq!(de.symbol.as_deref(), Some("@string/app_name (de)"));
    let path = find(&pushed, "res/xml/network_security_config.xml");
    assert_eq!(path.symbol.as_deref(), Some("@xml/network_security_config"));
    assert_eq!(path.context, None);
}

#[test]
fn module_files_are_recognised_by_name_then_dispatched() {
    let manifest = aab::demo_manifest(0x7f02_0000);
    let table = aab::demo_table().build();
    let nsc = aab::demo_network_security_config();
    assert_eq!(sniff(&manifest), Kind::Binary);
    assert_eq!(
        sniff_named("base/manifest/AndroidManifest.xml", &manifest),
        Some(Kind::ProtoXml)
    );
    assert_eq!(
        sniff_named("base/res/xml/network_security_config.xml", &nsc),
        Some(Kind::ProtoXml)
    );
    assert_eq!(
        sniff_named("base/resources.pb", &table),
        Some(Kind::ProtoTable)
    );
    let mut n = 0;
    extract_kind(Kind::ProtoTable, &table, &mut |s: ScannedString<'_>| {
        n += usize::from(s.context == Some("google_api_key"));
    })
    .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn malformed_and_truncated_input_is_rejected_without_panic() {
    let manifest = aab::demo_manifest(0x7f02_0000);
    let table = aab::demo_table().build();
    for cut in 0..manifest.len() {
        let r = parse_xml(&manifest[..cut]);
        // A cut at a field boundary can still be a valid (smaller) message.
        if let Ok(doc) = r {
            assert!(doc.root().is_some());
        }
        let _ = collect(extract_xml, &manifest[..cut]);
    }
    for cut in 0..table.len() {
        let _ = parse_table(&table[..cut]);
        let _ = collect(extract_table, &table[..cut]);
    }
    assert!(parse_xml(b"").is_err(), "an empty message has no root");
    assert!(parse_xml(b"<?xml version=\"1.0\"?><manifest/>").is_err());
    assert!(parse_xml(&[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
    assert!(parse_table(&[0x12, 0x05, 0x0a]).is_err());
    // A text root is not a document.
    let text = XmlNode {
        node: Some(xml_node::Node::Text("hi".into())),
        source: None,
    };
    assert!(parse_xml(&text.encode_to_vec()).is_err());
    // On error, dispatch falls back to printable strings.
    let mut junk = vec![0x0a, 0x7f];
    junk.extend_from_slice(b"AKIA7JBD4R6CC6PKYQJR");
    let mut seen = Vec::new();
    let r = extract_kind(Kind::ProtoXml, &junk, &mut |s: ScannedString<'_>| {
        seen.push(s.text.to_vec())
    });
    assert!(r.is_err());
    assert!(seen.iter().any(|t| t == b"AKIA7JBD4R6CC6PKYQJR"));
}

#[test]
fn oversized_input_is_refused_before_decoding() {
    let big = vec![0u8; MAX_XML_LEN + 1];
    let e = parse_xml(&big).unwrap_err();
    assert!(e.message.contains("limit"), "{e}");
    let big = vec![0u8; MAX_TABLE_LEN + 1];
    assert!(parse_table(&big).unwrap_err().message.contains("limit"));
}

/// `depth` elements nested in one another, encoded by hand from the inside
/// out (encoding a deep message through prost would itself recurse).
fn nested(depth: usize) -> Vec<u8> {
    fn field(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let mut n = body.len();
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
        out.extend_from_slice(body);
        out
    }
    let mut node = Vec::new();
    for _ in 0..depth {
        // XmlElement { name: "e", child: node }, in XmlNode.element.
        let mut element = field(0x1a, b"e");
        if !node.is_empty() {
            element.extend(field(0x2a, &node));
        }
        node = field(0x0a, &element);
    }
    node
}

#[test]
fn deep_nesting_is_bounded() {
    let depth_of = |doc: &crate::formats::axml::XmlDocument| {
        let mut depth = 0;
        let mut e = doc.root();
        while let Some(el) = e {
            depth += 1;
            e = el.children.iter().find_map(Node::as_element);
        }
        depth
    };
    let doc = parse_xml(&nested(40)).unwrap();
    assert_eq!(depth_of(&doc), 40);
    // Past the decoder's recursion limit the document is refused, however
    // deep it goes.
    for depth in [60, 10_000] {
        assert!(parse_xml(&nested(depth)).is_err());
    }
}

#[test]
fn tree_depth_is_capped_even_without_the_decoder_limit() {
    // Built in memory, past what the decoder would accept.
    let mut node = XmlBuilder::new("leaf").node();
    for _ in 0..MAX_DEPTH + 10 {
        node = XmlNode {
            node: Some(xml_node::Node::Element(Box::new(
                super::messages::XmlElement {
                    name: "e".into(),
                    child: vec![node],
                    ..Default::default()
                },
            ))),
            source: None,
        };
    }
    let mut doc = crate::formats::axml::XmlDocument::default();
    let root = super::xml::convert(node, 0, &mut doc).unwrap();
    let mut depth = 0;
    let mut e = root.as_element();
    while let Some(el) = e {
        depth += 1;
        e = el.children.iter().find_map(Node::as_element);
    }
    assert_eq!(depth, MAX_DEPTH + 1);
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
}
