//! Checks on certificates, private keys and keystores found inside an app
//! (recognised by content with [`crate::formats::certs`]).
//!
//! A private key shipped in an app is a leaked secret: anyone can extract it.
//! With a client certificate it is a client identity (mutual TLS) anyone can
//! impersonate. A keystore is as good as open when its password is a common
//! default or ships in the same app. A plain certificate without a key is
//! public material (typically pinning or a private trust anchor): reported
//! for information only.

use super::Issue;
use crate::findings::Severity;
use crate::formats::certs::{CertFile, CertInfo, ContainerKind, KeyInfo};
use serde::Serialize;

/// How a keystore's password was recovered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Recovery {
    /// The password that opened the store.
    pub password: String,
    /// Where in the app the password was found (entry, symbol); `None` when
    /// it is one of the common defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_in: Option<String>,
}

/// RSA and DSA keys shorter than this are weak.
const MIN_RSA_BITS: u32 = 2048;
/// EC keys shorter than this are weak.
const MIN_EC_BITS: u32 = 224;

/// Whether `entry` is an APK v1 signature block (`META-INF/*.RSA|DSA|EC`):
/// its certificate is the app's signer, not embedded material.
pub fn is_signing_block(entry: &str) -> bool {
    let Some(name) = entry.strip_prefix("META-INF/") else {
        return false;
    };
    if name.contains('/') {
        return false;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    ["RSA", "DSA", "EC"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// The issues of one certificate, key or keystore file at `entry`, with its
/// keystore password when recovered; expiry is judged on `as_of`.
pub fn issues(
    entry: &str,
    file: &CertFile,
    recovered: Option<&Recovery>,
    as_of: time::Date,
) -> Vec<Issue> {
    let mut out = Vec::new();
    let kind = file.kind.as_str();
    // Keys inside a keystore are readable once its password is known.
    let open = !file.kind.is_keystore() || recovered.is_some() || file.password_verified;
    if file.kind.is_keystore() {
        out.push(keystore_issue(entry, file, recovered));
    }
    if open {
        for key in &file.private_keys {
            out.push(key_issue(entry, file, key));
        }
        for (i, cert) in file.certificates.iter().enumerate() {
            let has_key = file.private_keys.iter().any(|k| k.certificate == Some(i));
            if cert.client_auth && has_key {
                out.push(
                    Issue::new(
                        "cert-client-identity",
                        entry,
                        cert.sha256.clone(),
                        format!(
                            "A TLS client certificate ({}) ships with its private key in this {kind} file: anyone who unpacks the app can authenticate as this client.",
                            cert.subject
                        ),
                    )
                    .with_symbol(cert.subject.clone()),
                );
            }
        }
    }
    for cert in &file.certificates {
        if let Some(issue) = expired(entry, cert, as_of) {
            out.push(issue);
        }
        if weak(&cert.key_type, cert.key_bits) {
            out.push(
                Issue::new(
                    "cert-weak-key",
                    entry,
                    cert.sha256.clone(),
                    format!(
                        "Certificate {} has a {}-bit {} key, below the {MIN_RSA_BITS}-bit (RSA/DSA) or {MIN_EC_BITS}-bit (EC) minimum.",
                        cert.subject, cert.key_bits, cert.key_type
                    ),
                )
                .with_symbol(cert.subject.clone()),
            );
        }
    }
    if open {
        for key in file.private_keys.iter().filter(|k| k.certificate.is_none()) {
            let (Some(t), Some(bits)) = (&key.key_type, key.key_bits) else {
                continue;
            };
            if weak(t, bits) {
                out.push(Issue::new(
                    "cert-weak-key",
                    entry,
                    key_value(file, key),
                    format!("A {bits}-bit {t} private key is below the {MIN_RSA_BITS}-bit (RSA/DSA) or {MIN_EC_BITS}-bit (EC) minimum."),
                ));
            }
        }
    }
    if file.private_keys.is_empty() && !file.kind.is_keystore() {
        for cert in &file.certificates {
            out.push(
                Issue::new(
                    "cert-embedded",
                    entry,
                    format!("sha256/{}", cert.spki_sha256_base64),
                    format!(
                        "Certificate {} (issuer {}) is embedded without a private key: public material, typically a pinned or private trust anchor.",
                        cert.subject, cert.issuer
                    ),
                )
                .with_symbol(cert.subject.clone()),
            );
        }
    }
    out
}

fn keystore_issue(entry: &str, file: &CertFile, recovered: Option<&Recovery>) -> Issue {
    let kind = file.kind.as_str().to_uppercase();
    let contents = format!(
        "{} certificate(s), {} private key(s)",
        file.certificates.len(),
        file.private_keys.len()
    );
    match recovered {
        Some(Recovery {
            password,
            found_in: Some(place),
        }) => Issue::new(
            "key-keystore-password-in-app",
            entry,
            password.clone(),
            format!("The {kind} keystore's password ships in the same app ({place}): the keystore ({contents}) is as good as unprotected."),
        ),
        Some(Recovery { password, .. }) => Issue::new(
            "key-keystore-default-password",
            entry,
            password.clone(),
            format!("The {kind} keystore opens with a common default password: its contents ({contents}) are readable by anyone."),
        ),
        None if file.password_verified => Issue::new(
            "key-keystore-default-password",
            entry,
            String::new(),
            format!("The {kind} keystore opens with an empty password: its contents ({contents}) are readable by anyone."),
        ),
        None => {
            let what = if file.kind == ContainerKind::Uber {
                "wholly encrypted".to_string()
            } else {
                contents
            };
            Issue::new(
                "key-keystore-embedded",
                entry,
                file.kind.as_str(),
                format!("A password-protected {kind} keystore ({what}) ships in the app; its password was not found. A keystore in an app is protected only by a password the app itself must know."),
            )
        }
    }
}

fn key_issue(entry: &str, file: &CertFile, key: &KeyInfo) -> Issue {
    let paired = key.certificate.and_then(|i| file.certificates.get(i));
    let describe = describe_key(key);
    let mut issue = Issue::new(
        "key-private-key-embedded",
        entry,
        key_value(file, key),
        format!("This file holds a {describe}: anyone who unpacks the app has the key."),
    );
    if let Some(alias) = &key.alias {
        issue = issue.with_symbol(alias.clone());
    }
    if paired.is_some_and(|c| c.client_auth) {
        issue.message = format!(
            "A {describe} ships in the app with its TLS client certificate: anyone who unpacks it can authenticate as this client."
        );
        issue.with_severity(Severity::Critical)
    } else if key.encrypted && !file.kind.is_keystore() {
        issue.message = format!(
            "An encrypted {describe} ships in the app; its passphrase must ship with it for the app to use the key."
        );
        issue.with_severity(Severity::Medium)
    } else {
        issue
    }
}

/// `2048-bit RSA private key (pkcs8)`.
fn describe_key(key: &KeyInfo) -> String {
    match (&key.key_type, key.key_bits) {
        (Some(t), Some(b)) => format!("{b}-bit {} private key ({})", t.to_uppercase(), key.format),
        (Some(t), None) => format!("{} private key ({})", t.to_uppercase(), key.format),
        _ => format!("private key ({})", key.format),
    }
}

/// The evidence for a key: its description, with its certificate's
/// fingerprint when paired (never the key bytes).
fn key_value(file: &CertFile, key: &KeyInfo) -> String {
    let cert = key
        .certificate
        .and_then(|i| file.certificates.get(i))
        .map_or(String::new(), |c| {
            format!(" of certificate sha256:{}", c.sha256)
        });
    describe_key(key) + &cert
}

fn expired(entry: &str, cert: &CertInfo, as_of: time::Date) -> Option<Issue> {
    let end = cert.not_after_date?;
    if end >= as_of {
        return None;
    }
    let issue = Issue::new(
        "cert-expired",
        entry,
        cert.sha256.clone(),
        format!(
            "Certificate {} expired on {end}: TLS using it fails, or succeeds only where validation is disabled.",
            cert.subject
        ),
    )
    .with_symbol(cert.subject.clone());
    Some(if cert.is_ca {
        issue.with_severity(Severity::Info)
    } else {
        issue
    })
}

fn weak(key_type: &str, bits: u32) -> bool {
    match key_type {
        "rsa" | "dsa" => bits > 0 && bits < MIN_RSA_BITS,
        "ec" => bits > 0 && bits < MIN_EC_BITS,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::certs::fixtures::{identity, Spec};
    use crate::formats::certs::{parse, parse_with_password, CertInfo};

    const AS_OF: time::Date = time::macros::date!(2026 - 06 - 01);

    fn ids(issues: &[Issue]) -> Vec<&'static str> {
        let mut v: Vec<_> = issues.iter().map(|i| i.rule_id).collect();
        v.sort_unstable();
        v
    }

    fn find<'a>(issues: &'a [Issue], id: &str) -> &'a Issue {
        issues
            .iter()
            .find(|i| i.rule_id == id)
            .unwrap_or_else(|| panic!("{id} missing"))
    }

    fn pem(spec: Spec, with_key: bool) -> CertFile {
        let id = identity("Client", spec);
        let text = if with_key {
            format!("{}{}", id.cert_pem, id.key_pem)
        } else {
            id.cert_pem
        };
        parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn client_identity_is_critical() {
        let file = pem(
            Spec {
                client_auth: true,
                ..Spec::default()
            },
            true,
        );
        let issues = issues("assets/client.pem", &file, None, AS_OF);
        assert_eq!(
            ids(&issues),
            ["cert-client-identity", "key-private-key-embedded"]
        );
        assert_eq!(
            find(&issues, "key-private-key-embedded").severity,
            Some(Severity::Critical)
        );
        assert_eq!(
            find(&issues, "cert-client-identity").entry,
            "assets/client.pem"
        );
    }

    #[test]
    fn server_key_is_high_without_client_identity() {
        let file = pem(Spec::default(), true);
        let issues = issues("res/raw/server.pem", &file, None, AS_OF);
        assert_eq!(ids(&issues), ["key-private-key-embedded"]);
        assert_eq!(issues[0].severity, None);
        // A client certificate without its key is no identity.
        let c = identity(
            "c",
            Spec {
                client_auth: true,
                ..Spec::default()
            },
        );
        let other = identity("o", Spec::default());
        let text = format!("{}{}", c.cert_pem, other.key_pem);
        let file = parse(text.as_bytes()).unwrap();
        assert!(!ids(&issues_of(&file)).contains(&"cert-client-identity"));
    }

    fn issues_of(file: &CertFile) -> Vec<Issue> {
        issues("x", file, None, AS_OF)
    }

    #[test]
    fn encrypted_pem_key_is_medium() {
        let text =
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
        let file = parse(text.as_bytes()).unwrap();
        let issues = issues_of(&file);
        assert_eq!(ids(&issues), ["key-private-key-embedded"]);
        assert_eq!(issues[0].severity, Some(Severity::Medium));
    }

    #[test]
    fn plain_certificate_is_info_only() {
        let file = pem(Spec::default(), false);
        let issues = issues_of(&file);
        assert_eq!(ids(&issues), ["cert-embedded"]);
        assert!(issues[0].value.starts_with("sha256/"));
        assert!(issues[0]
            .value
            .ends_with(&file.certificates[0].spki_sha256_base64));
    }

    #[test]
    fn expiry_is_judged_on_the_given_day() {
        let file = pem(
            Spec {
                expired: true,
                ..Spec::default()
            },
            false,
        );
        assert!(ids(&issues_of(&file)).contains(&"cert-expired"));
        let before = issues("x", &file, None, time::macros::date!(2019 - 06 - 01));
        assert!(!ids(&before).contains(&"cert-expired"));
        let ca = pem(
            Spec {
                expired: true,
                ca: true,
                ..Spec::default()
            },
            false,
        );
        assert_eq!(
            find(&issues_of(&ca), "cert-expired").severity,
            Some(Severity::Info)
        );
        assert!(!ids(&issues_of(&pem(Spec::default(), false))).contains(&"cert-expired"));
    }

    #[test]
    fn weak_keys() {
        let cert = |bits| CertInfo {
            subject: "CN=weak".into(),
            key_type: "rsa".into(),
            key_bits: bits,
            ..CertInfo::default()
        };
        let mut file = pem(Spec::default(), false);
        file.certificates = vec![cert(1024)];
        assert!(ids(&issues_of(&file)).contains(&"cert-weak-key"));
        file.certificates = vec![cert(2048)];
        assert!(!ids(&issues_of(&file)).contains(&"cert-weak-key"));
        // EC P-256 is not weak; a lone 1024-bit RSA private key is.
        assert!(!ids(&issues_of(&pem(Spec::default(), true))).contains(&"cert-weak-key"));
        let mut lone = pem(Spec::default(), true);
        lone.certificates.clear();
        lone.private_keys[0].certificate = None;
        lone.private_keys[0].key_type = Some("rsa".into());
        lone.private_keys[0].key_bits = Some(1024);
        assert!(ids(&issues_of(&lone)).contains(&"cert-weak-key"));
    }

    fn jks(password: &str) -> Vec<u8> {
        let id = identity(
            "ks",
            Spec {
                client_auth: true,
                ..Spec::default()
            },
        );
        crate::formats::certs::fixtures::jks(&id, password)
    }

    #[test]
    fn keystore_without_password_is_medium_and_hides_its_keys() {
        let bytes = jks("unguessable-7f3a");
        let file = parse(&bytes).unwrap();
        let issues = issues("res/raw/client.jks", &file, None, AS_OF);
        assert_eq!(ids(&issues), ["key-keystore-embedded"]);
    }

    #[test]
    fn keystore_with_default_password() {
        let bytes = jks("changeit");
        let file = parse_with_password(&bytes, "changeit").unwrap();
        let rec = Recovery {
            password: "changeit".into(),
            found_in: None,
        };
        let issues = issues("res/raw/client.jks", &file, Some(&rec), AS_OF);
        assert_eq!(
            ids(&issues),
            [
                "cert-client-identity",
                "key-keystore-default-password",
                "key-private-key-embedded"
            ]
        );
        assert_eq!(
            find(&issues, "key-keystore-default-password").value,
            "changeit"
        );
    }

    #[test]
    fn keystore_password_found_in_the_app() {
        let bytes = jks("Kst0re!2024");
        let file = parse_with_password(&bytes, "Kst0re!2024").unwrap();
        let rec = Recovery {
            password: "Kst0re!2024".into(),
            found_in: Some("classes.dex: com.example.Net.KEYSTORE_PASS".into()),
        };
        let issues = issues("assets/client.bks", &file, Some(&rec), AS_OF);
        let issue = find(&issues, "key-keystore-password-in-app");
        assert_eq!(issue.value, "Kst0re!2024");
        assert!(issue.message.contains("com.example.Net.KEYSTORE_PASS"));
        assert!(!ids(&issues).contains(&"key-keystore-default-password"));
    }

    #[test]
    fn signing_blocks() {
        assert!(is_signing_block("META-INF/CERT.RSA"));
        assert!(is_signing_block("META-INF/ANDROIDD.EC"));
        assert!(is_signing_block("META-INF/x.dsa"));
        assert!(!is_signing_block("META-INF/CERT.SF"));
        assert!(!is_signing_block("assets/META-INF/CERT.RSA"));
        assert!(!is_signing_block("META-INF/sub/CERT.RSA"));
        assert!(!is_signing_block("res/raw/cert.rsa"));
    }

    #[test]
    fn every_rule_emitted_is_declared() {
        let declared: Vec<_> = crate::apps::rules::all()
            .iter()
            .filter(|r| r.id.starts_with("cert-") || r.id.starts_with("key-"))
            .map(|r| r.id.as_str())
            .collect();
        for id in [
            "key-private-key-embedded",
            "cert-client-identity",
            "key-keystore-embedded",
            "key-keystore-default-password",
            "key-keystore-password-in-app",
            "cert-expired",
            "cert-weak-key",
            "cert-embedded",
            crate::apps::pinning_material::RULE,
        ] {
            assert!(declared.contains(&id), "{id} not declared");
        }
        assert_eq!(declared.len(), 9);
    }
}
