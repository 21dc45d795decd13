//! The walk joining what format parsers and app-level checks find: material
//! inside binaries and strings, frameworks by content, deep links.

use crate::archives::Limits;
use crate::findings::{Finding, ScannedArtifact};
use crate::fixtures::axml::{Element, Encoding};
use crate::fixtures::dex::DexBuilder;
use crate::fixtures::zipfile::ZipBuilder;
use crate::formats::certs::fixtures::{identity, pkcs12, Spec};
use crate::scan::Scanner;
use base64::Engine;

const ANDROID: &str = "http://schemas.android.com/apk/res/android";

fn scan(name: &str, bytes: &[u8]) -> (ScannedArtifact, Vec<Finding>) {
    let scanner = Scanner::new(crate::detectors::builtin().unwrap(), Limits::default());
    scanner.scan_bytes(name, bytes)
}

fn rules(findings: &[Finding]) -> Vec<(&str, &str, Option<&str>)> {
    findings
        .iter()
        .map(|f| {
            (
                f.rule_id.as_str(),
                f.location.path.as_str(),
                f.location.symbol.as_deref(),
            )
        })
        .collect()
}

/// A manifest declaring deep-link scheme `scheme`.
fn manifest_with_scheme(scheme: &str) -> Vec<u8> {
    let filter = Element::new("intent-filter")
        .child(Element::new("action").attr_str(ANDROID, "name", "android.intent.action.VIEW"))
        .child(Element::new("data").attr_str(ANDROID, "scheme", scheme));
    Element::new("manifest")
        .ns("android", ANDROID)
        .attr_str("", "package", "dev.example.shop")
        .child(Element::new("uses-sdk").attr_int(ANDROID, "minSdkVersion", 26))
        .child(
            Element::new("application").child(
                Element::new("activity")
                    .attr_str(ANDROID, "name", "dev.example.shop.Main")
                    .child(filter),
            ),
        )
        .to_axml(Encoding::Utf16)
}

#[test]
fn a_client_identity_base64_wrapped_in_json_is_opened() {
    let id = identity(
        "wrapped client",
        Spec {
            client_auth: true,
            ..Spec::default()
        },
    );
    let p12 = pkcs12(
        &id,
        "changeit",
        p12_keystore::EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
    );
    let b64 = base64::engine::general_purpose::STANDARD.encode(&p12);
    let json = format!("{{\"tls\": {{\"client_p12\": \"{b64}\"}}}}");
    // A decoy: base64 of random bytes beginning like DER.
    let decoy = base64::engine::general_purpose::STANDARD.encode([0x30u8; 120]);
    let apk = ZipBuilder::new()
        .deflated("AndroidManifest.xml", &manifest_with_scheme("shopapp"))
        .deflated("assets/config.json", json.as_bytes())
        .deflated(
            "assets/other.json",
            format!("{{\"blob\": \"{decoy}\"}}").as_bytes(),
        )
        .build();
    let (artifact, findings) = scan("app.apk", &apk);
    let found = rules(&findings);
    assert!(
        found.contains(&(
            "cert-client-identity",
            "assets/config.json",
            Some("tls.client_p12")
        )),
        "{found:#?}"
    );
    assert!(!found.iter().any(|f| f.0 == "staging-host"), "{found:#?}");
    assert!(found.contains(&(
        "key-keystore-default-password",
        "assets/config.json",
        Some("tls.client_p12")
    )));
    assert!(
        !found.iter().any(|f| f.1 == "assets/other.json"),
        "{found:#?}"
    );
    let record = artifact
        .certificates
        .iter()
        .find(|c| c.path == "assets/config.json")
        .unwrap_or_else(|| panic!("{:#?}", artifact.certificates));
    assert!(record.password_recovered);
    let subject = &record.certificates[0].subject;
    assert!(subject.contains("wrapped client"), "{subject}");
}

#[test]
fn a_der_private_key_compiled_into_a_library_is_found_at_its_offset() {
    let id = identity("embedded", Spec::default());
    let mut code = vec![0x90u8; 37];
    code.extend_from_slice(&id.key_der);
    code.extend_from_slice(&[0xc3; 11]);
    let elf = crate::fixtures::elf::ElfBuilder::new()
        .rodata("hello")
        .text(&code)
        .build();
    let at = elf
        .windows(id.key_der.len())
        .position(|w| w == id.key_der.as_slice())
        .unwrap() as u64;
    let (artifact, findings) = scan("libnative.so", &elf);
    let key = findings
        .iter()
        .find(|f| f.rule_id == "key-private-key-embedded")
        .unwrap_or_else(|| panic!("{:#?}", rules(&findings)));
    assert_eq!(key.location.offset, Some(at));
    assert_eq!(artifact.certificates.len(), 1);
    assert_eq!(artifact.certificates[0].path, format!("@0x{at:x}"));
    // The same library without the key: nothing.
    let clean = crate::fixtures::elf::ElfBuilder::new()
        .rodata("hello")
        .text(&[0x30; 300])
        .build();
    let (artifact, findings) = scan("libnative.so", &clean);
    assert!(artifact.certificates.is_empty() && findings.is_empty());
}

#[test]
fn a_lone_flutter_binary_is_named_by_its_snapshot() {
    let flutter = crate::formats::dart::tests::flutter_elf();
    let (artifact, _) = scan("renamed.so", &flutter);
    assert_eq!(artifact.frameworks, ["flutter"]);
    let plain = crate::fixtures::elf::ElfBuilder::new().rodata("x").build();
    assert!(scan("libapp.so", &plain).0.frameworks.is_empty());
}

#[test]
fn deep_links_of_declared_schemes_enter_the_inventory() {
    let mut dex = DexBuilder::new();
    dex.class("dev.example.shop.Links").method_with_strings(
        "open",
        &["shopapp://checkout/done?session=1", "otherapp://not/ours"],
    );
    let apk = ZipBuilder::new()
        .deflated("AndroidManifest.xml", &manifest_with_scheme("shopapp"))
        .deflated("classes.dex", &dex.build())
        .build();
    let (artifact, _) = scan("app.apk", &apk);
    let schemes: Vec<(&str, &str)> = artifact
        .endpoints
        .iter()
        .map(|e| (e.scheme.as_deref().unwrap_or(""), e.kind.as_str()))
        .collect();
    assert!(schemes.contains(&("shopapp", "deeplink")), "{schemes:?}");
    assert!(
        !schemes.iter().any(|(s, _)| *s == "otherapp"),
        "{schemes:?}"
    );
}

#[test]
fn certificates_of_a_signature_envelope_are_not_embedded_material() {
    let id = identity("signer", Spec::default());
    // A minimal SignedData prefix followed by the signer's certificate.
    let mut cms = vec![0x30, 0x82, 0x04, 0x00];
    cms.extend_from_slice(&[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ]);
    cms.extend_from_slice(&[0u8; 20]);
    cms.extend_from_slice(&id.cert_der);
    let (artifact, findings) = scan("embedded.mobileprovision", &cms);
    assert!(
        artifact.certificates.is_empty(),
        "{:#?}",
        artifact.certificates
    );
    assert!(findings.iter().all(|f| !f.rule_id.starts_with("cert-")));
    // The same certificate in an unsigned blob is found.
    let mut blob = vec![0u8; 40];
    blob.extend_from_slice(&id.cert_der);
    let (artifact, _) = scan("blob.bin", &blob);
    assert_eq!(artifact.certificates.len(), 1);
}
