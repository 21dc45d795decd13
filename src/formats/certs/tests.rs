use super::fixtures::{identity, pkcs12, Spec};
use super::*;
use base64::Engine;
use p12_keystore::EncryptionAlgorithm;
use sha2::{Digest, Sha256};

fn no_candidates() -> std::iter::Empty<&'static str> {
    std::iter::empty()
}

#[test]
fn der_certificate_facts() {
    let id = identity(
        "Client A",
        Spec {
            client_auth: true,
            ..Spec::default()
        },
    );
    assert_eq!(sniff(&id.cert_der), Some(ContainerKind::DerCertificate));
    let file = parse(&id.cert_der).unwrap();
    assert_eq!(
        (file.kind, file.entries, file.encrypted),
        (ContainerKind::DerCertificate, 1, false)
    );
    let c = &file.certificates[0];
    assert!(c.subject.contains("CN=Client A"), "{}", c.subject);
    assert_eq!(c.subject, c.issuer);
    assert!(c.self_signed && !c.is_ca && c.client_auth);
    assert_eq!(c.eku, vec!["clientAuth".to_string()]);
    assert_eq!((c.key_type.as_str(), c.key_bits), ("ec", 256));
    assert_eq!(c.signature_algorithm, "ecdsa-with-SHA256");
    assert_eq!(c.not_before, "2024-01-01T00:00:00Z");
    assert_eq!(c.not_after, "2040-01-01T00:00:00Z");
    assert_eq!(c.not_after_date, Some(time::macros::date!(2040 - 01 - 01)));
    let pin = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&id.spki));
    assert_eq!(c.spki_sha256_base64, pin);
    assert_eq!(c.sha256.len(), 64);
    assert!(!c.serial.is_empty());
    let json = serde_json::to_value(&file).unwrap();
    assert_eq!(json["kind"], "der-certificate");
    assert!(json["certificates"][0].get("public_id").is_none());
}

#[test]
fn server_and_ca_certificates() {
    let server = parse(&identity("s", Spec::default()).cert_der).unwrap();
    assert!(!server.certificates[0].client_auth);
    assert_eq!(server.certificates[0].eku, vec!["serverAuth".to_string()]);
    let ca = parse(
        &identity(
            "root",
            Spec {
                ca: true,
                ..Spec::default()
            },
        )
        .cert_der,
    )
    .unwrap();
    assert!(ca.certificates[0].is_ca);
}

#[test]
fn der_private_key() {
    let id = identity("k", Spec::default());
    assert_eq!(sniff(&id.key_der), Some(ContainerKind::DerPrivateKey));
    let file = parse(&id.key_der).unwrap();
    let k = &file.private_keys[0];
    assert_eq!(
        (k.format.as_str(), k.key_type.as_deref(), k.key_bits),
        ("pkcs8", Some("ec"), Some(256))
    );
    assert!(!k.encrypted && !file.encrypted);
}

#[test]
fn pem_pairs_a_key_with_its_certificate_by_public_key() {
    let a = identity("a", Spec::default());
    let b = identity("b", Spec::default());
    let text = format!("{}{}{}", a.cert_pem, b.cert_pem, b.key_pem);
    assert_eq!(sniff(text.as_bytes()), Some(ContainerKind::Pem));
    let file = parse(text.as_bytes()).unwrap();
    assert_eq!(
        (
            file.entries,
            file.certificates.len(),
            file.private_keys.len()
        ),
        (3, 2, 1)
    );
    assert_eq!(file.private_keys[0].certificate, Some(1));
    // A key of neither certificate pairs with nothing.
    let c = identity("c", Spec::default());
    let text = format!("{}{}", a.cert_pem, c.key_pem);
    assert_eq!(
        parse(text.as_bytes()).unwrap().private_keys[0].certificate,
        None
    );
}

#[test]
fn pkcs12_modern_and_legacy_encryption() {
    let id = identity(
        "p12",
        Spec {
            client_auth: true,
            ..Spec::default()
        },
    );
    for alg in [
        EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
        EncryptionAlgorithm::PbeWithShaAnd3KeyTripleDesCbc,
        EncryptionAlgorithm::PbeWithShaAnd40BitRc4Cbc,
    ] {
        let p12 = pkcs12(&id, "android", alg);
        assert_eq!(sniff(&p12), Some(ContainerKind::Pkcs12), "{alg:?}");
        let locked = parse(&p12).unwrap();
        assert!(locked.encrypted && !locked.password_verified && locked.certificates.is_empty());
        let pw = recover_password(&p12, ContainerKind::Pkcs12, &mut no_candidates(), 100);
        assert_eq!(pw.as_deref(), Some("android"), "{alg:?}");
        let open = parse_with_password(&p12, "android").unwrap();
        assert!(open.password_verified);
        assert_eq!((open.certificates.len(), open.private_keys.len()), (1, 1));
        assert_eq!(open.private_keys[0].certificate, Some(0));
        assert!(open.certificates[0].client_auth);
        assert!(parse_with_password(&p12, "wrong").is_err());
    }
}

#[test]
fn pkcs12_with_an_empty_password_opens_without_one() {
    let id = identity("open", Spec::default());
    let p12 = pkcs12(&id, "", EncryptionAlgorithm::PbeWithHmacSha256AndAes256);
    let file = parse(&p12).unwrap();
    assert!(file.password_verified);
    assert_eq!(file.certificates.len(), 1);
}

fn jks_store(magic: u32, store_pw: &str, key_pw: &str) -> (Vec<u8>, super::fixtures::Identity) {
    let client = identity(
        "jks client",
        Spec {
            client_auth: true,
            ..Spec::default()
        },
    );
    let anchor = identity(
        "anchor",
        Spec {
            ca: true,
            ..Spec::default()
        },
    );
    let protected = jks::build::protect(&client.key_der, key_pw);
    let store = jks::build::store(
        magic,
        &[("client", protected, vec![client.cert_der.clone()])],
        &[("anchor", anchor.cert_der.clone())],
        store_pw,
    );
    (store, client)
}

#[test]
fn jks_certificates_without_password_and_key_with_it() {
    let (store, _) = jks_store(0xfeed_feed, "s3cr3t-from-app", "s3cr3t-from-app");
    assert_eq!(sniff(&store), Some(ContainerKind::Jks));
    let locked = parse(&store).unwrap();
    assert!(locked.encrypted && !locked.password_verified);
    assert_eq!((locked.entries, locked.certificates.len()), (2, 2));
    let key = &locked.private_keys[0];
    assert!(key.encrypted);
    assert_eq!(
        (key.alias.as_deref(), key.certificate),
        (Some("client"), Some(0))
    );
    let mut candidates = ["foo", "s3cr3t-from-app", "bar"].into_iter();
    let pw = recover_password(&store, ContainerKind::Jks, &mut candidates, 100);
    assert_eq!(pw.as_deref(), Some("s3cr3t-from-app"));
    let open = parse_with_password(&store, "s3cr3t-from-app").unwrap();
    let key = &open.private_keys[0];
    assert!(!key.encrypted, "the key password is the store password");
    assert_eq!(
        (key.key_type.as_deref(), key.key_bits),
        (Some("ec"), Some(256))
    );
    assert!(parse_with_password(&store, "nope").is_err());
}

#[test]
fn jks_key_with_another_password_stays_encrypted() {
    let (store, _) = jks_store(0xfeed_feed, "changeit", "other");
    let open = parse_with_password(&store, "changeit").unwrap();
    assert!(open.private_keys[0].encrypted);
    assert_eq!(open.private_keys[0].key_type.as_deref(), Some("ec"));
}

#[test]
fn jceks_store_password() {
    let (store, _) = jks_store(0xcece_cece, "123456", "123456");
    assert_eq!(sniff(&store), Some(ContainerKind::Jceks));
    let pw = recover_password(&store, ContainerKind::Jceks, &mut no_candidates(), 100);
    assert_eq!(pw.as_deref(), Some("123456"));
}

#[test]
fn bks_v1_and_v2() {
    let id = identity(
        "bks",
        Spec {
            client_auth: true,
            ..Spec::default()
        },
    );
    let anchor = identity("anchor", Spec::default());
    for version in [1, 2] {
        let store = bks::build::store(
            version,
            &[("anchor", anchor.cert_der.clone())],
            &[("me", id.key_der.clone(), vec![id.cert_der.clone()])],
            "bks-pass-in-app",
        );
        assert_eq!(sniff(&store), Some(ContainerKind::Bks), "v{version}");
        let file = parse(&store).unwrap();
        assert_eq!((file.entries, file.certificates.len()), (2, 2));
        let key = &file.private_keys[0];
        assert_eq!(
            (key.key_type.as_deref(), key.certificate),
            (Some("ec"), Some(1))
        );
        let mut candidates = ["bks-pass-in-app"].into_iter();
        let pw = recover_password(&store, ContainerKind::Bks, &mut candidates, 100);
        assert_eq!(pw.as_deref(), Some("bks-pass-in-app"), "v{version}");
        assert!(parse_with_password(&store, "bks-pass-in-app").is_ok());
        assert!(parse_with_password(&store, "x").is_err());
    }
}

#[test]
fn recovery_is_bounded_and_tries_defaults_first() {
    let (store, _) = jks_store(0xfeed_feed, "needle", "needle");
    let filler: Vec<String> = (0..50).map(|i| format!("candidate{i}")).collect();
    let list: Vec<&str> = filler
        .iter()
        .map(String::as_str)
        .chain(["needle"])
        .collect();
    let defaults = DEFAULT_PASSWORDS.len();
    let exact = defaults + list.len();
    let pw = recover_password(&store, ContainerKind::Jks, &mut list.iter().copied(), exact);
    assert_eq!(pw.as_deref(), Some("needle"));
    let pw = recover_password(
        &store,
        ContainerKind::Jks,
        &mut list.iter().copied(),
        exact - 1,
    );
    assert_eq!(pw, None);
    // Duplicates and defaults repeated among the candidates cost nothing.
    let dup: Vec<&str> = ["changeit"; 40].into_iter().chain(["needle"]).collect();
    let pw = recover_password(
        &store,
        ContainerKind::Jks,
        &mut dup.into_iter(),
        defaults + 1,
    );
    assert_eq!(pw.as_deref(), Some("needle"));
    // Kinds without a checkable password.
    let id = identity("k", Spec::default());
    assert_eq!(
        recover_password(
            &id.key_der,
            ContainerKind::DerPrivateKey,
            &mut no_candidates(),
            10
        ),
        None
    );
}

#[test]
fn signing_block_certificate() {
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag, 0x82];
        v.extend((content.len() as u16).to_be_bytes());
        v.extend(content);
        v
    }
    let id = identity("Android Debug", Spec::default());
    let root = identity(
        "Root CA",
        Spec {
            ca: true,
            ..Spec::default()
        },
    );
    let signed_data_oid = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
    ];
    let data_oid = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
    ];
    let signed = [
        vec![0x02, 0x01, 0x01],
        tlv(0x31, &[]),
        tlv(0x30, &data_oid),
        tlv(0xa0, &[root.cert_der.clone(), id.cert_der.clone()].concat()),
        tlv(0x31, &[]),
    ]
    .concat();
    let block = tlv(
        0x30,
        &[signed_data_oid.to_vec(), tlv(0xa0, &tlv(0x30, &signed))].concat(),
    );
    assert_eq!(
        sniff(&block),
        None,
        "a signature block is not embedded material"
    );
    let info = signing_info(&block).unwrap();
    assert!(
        info.subject.contains("CN=Android Debug"),
        "the signer, not its CA"
    );
    assert_eq!(signing_info(&id.cert_der), None);
}

#[test]
fn truncations_never_panic() {
    let id = identity(
        "t",
        Spec {
            client_auth: true,
            ..Spec::default()
        },
    );
    let (jks, _) = jks_store(0xfeed_feed, "a", "a");
    let p12 = pkcs12(&id, "a", EncryptionAlgorithm::PbeWithHmacSha256AndAes256);
    let bks = bks::build::store(2, &[("c", id.cert_der.clone())], &[], "a");
    let pem = format!("{}{}", id.cert_pem, id.key_pem);
    for bytes in [
        &id.cert_der,
        &id.key_der,
        &jks,
        &p12,
        &bks,
        &pem.into_bytes(),
    ] {
        for cut in (0..bytes.len()).step_by(7) {
            let part = &bytes[..cut];
            if sniff(part).is_some() {
                let _ = parse(part);
                let _ = parse_with_password(part, "a");
            }
            let _ = signing_info(part);
        }
    }
}

/// Lists the certificate, key and keystore material in every corpus file
/// (archive entries included): `cargo test --lib corpus_inventory -- --ignored --nocapture`.
#[test]
#[ignore = "reads the shared corpus; run by hand"]
fn corpus_inventory() {
    use std::io::Read;
    let root = std::env::var("MASTIFF_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        });
    let Ok(dirs) = std::fs::read_dir(&root) else {
        eprintln!("corpus not found at {}: skipped", root.display());
        return;
    };
    let report = |name: &str, bytes: &[u8]| {
        let signing = crate::apps::certs::is_signing_block(name.rsplit('!').next().unwrap_or(name));
        if signing {
            match signing_info(bytes) {
                Some(c) => println!(
                    "{name}: signer [{}] {}{} {} until {}",
                    c.subject, c.key_type, c.key_bits, c.signature_algorithm, c.not_after
                ),
                None => println!("{name}: signing block without a readable certificate"),
            }
        }
        let Some(kind) = sniff(bytes) else { return };
        match parse(bytes) {
            Ok(f) => {
                let certs: Vec<String> = f
                    .certificates
                    .iter()
                    .map(|c| {
                        format!(
                            "[{} {}{} {} until {}]",
                            c.subject,
                            c.key_type,
                            c.key_bits,
                            c.eku.join("/"),
                            c.not_after
                        )
                    })
                    .collect();
                let keys: Vec<String> = f
                    .private_keys
                    .iter()
                    .map(|k| {
                        format!(
                            "[{} {:?} {:?} enc={}]",
                            k.format, k.key_type, k.key_bits, k.encrypted
                        )
                    })
                    .collect();
                let pw = if kind.is_keystore() {
                    format!(
                        " password={:?}",
                        recover_password(bytes, kind, &mut std::iter::empty(), 64)
                    )
                } else {
                    String::new()
                };
                println!(
                    "{name}: {} certs={certs:?} keys={keys:?}{pw}",
                    kind.as_str()
                );
            }
            Err(e) => println!("{name}: {} parse error {e}", kind.as_str()),
        }
    };
    let mut files: Vec<_> = dirs
        .flatten()
        .filter(|d| d.path().is_dir())
        .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let label = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        report(&label, &bytes);
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) else {
            continue;
        };
        for i in 0..zip.len() {
            let Ok(entry) = zip.by_index(i) else { continue };
            let name = format!("{label}!{}", entry.name().unwrap_or_default());
            let mut data = Vec::new();
            if entry.take(64 << 20).read_to_end(&mut data).is_ok() {
                report(&name, &data);
            }
        }
    }
}
