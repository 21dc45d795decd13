//! Certificates, keys and keystores found in any entry: analysed where they
//! are found, and keystore passwords looked for in the rest of the app.
//!
//! A keystore whose password is not a common default is held back as a
//! [`Fact`] until its app is analysed, so the app's own strings (DEX string
//! tables, resources, plists, config files) can be tried as passwords: a
//! client certificate whose password ships beside it is the worst case.

use super::{certs, AppFiles, Fact, Issue};
use crate::findings::CertificateRecord;
use crate::formats::certs::{self as containers, CertFile};
use crate::formats::{self, ScannedString};
use std::collections::HashSet;

/// Secret rules matching private-key text, superseded by the analysis of
/// a file that is a key (same key, more precise finding).
pub const PEM_KEY_RULES: &[&str] = &[
    "private-key",
    "openssh-private-key",
    "encrypted-private-key",
    "pgp-private-key-block",
];

/// Password attempts per keystore found in an app (defaults included).
const MAX_ATTEMPTS: usize = 20_000;
/// Attempts for a keystore outside an app: the defaults.
const DEFAULT_ATTEMPTS: usize = 64;
/// Largest keystore kept for the app-level password search.
const MAX_KEYSTORE: usize = 4 << 20;
/// Most candidate strings collected from one app.
const MAX_CANDIDATES: usize = 200_000;
/// Most bytes read from an app to collect candidates.
const MAX_CANDIDATE_BYTES: usize = 256 << 20;

/// What the analysis of one certificate, key or keystore file yields.
#[derive(Debug, Default)]
pub struct Analysis {
    pub issues: Vec<Issue>,
    /// A keystore no common password opens, kept until its app's strings
    /// can be tried.
    pub fact: Option<Fact>,
    /// What the file holds, for the report's list of certificates (its
    /// `path` is left empty for the caller to fill).
    pub record: Option<CertificateRecord>,
}

impl Analysis {
    fn of(
        entry: &str,
        file: CertFile,
        recovery: Option<certs::Recovery>,
        as_of: time::Date,
    ) -> Self {
        let issues = certs::issues(entry, &file, recovery.as_ref(), as_of);
        let record = CertificateRecord {
            path: String::new(),
            kind: file.kind,
            encrypted: file.encrypted,
            password_recovered: recovery.is_some() || file.password_verified,
            password_found_in: recovery.and_then(|r| r.found_in),
            certificates: file.certificates,
            private_keys: file.private_keys,
        };
        Analysis {
            issues,
            fact: None,
            record: Some(record),
        }
    }
}

/// The analysis of entry `name` holding `bytes` when it is a certificate,
/// key or keystore file; a keystore that opened with no common password is
/// held back as a fact (no issues yet). APK signing blocks are not embedded
/// material.
pub fn entry(name: &str, bytes: &[u8], as_of: time::Date) -> Analysis {
    if certs::is_signing_block(name) {
        return Analysis::default();
    }
    let Some(kind) = containers::sniff(bytes) else {
        return Analysis::default();
    };
    let Ok(file) = containers::parse(bytes) else {
        return Analysis::default();
    };
    if !kind.is_keystore() || file.password_verified {
        return Analysis::of("", file, None, as_of);
    }
    let password =
        containers::recover_password(bytes, kind, &mut std::iter::empty(), DEFAULT_ATTEMPTS);
    match password {
        Some(password) => {
            let opened = containers::parse_with_password(bytes, &password).unwrap_or(file);
            let recovery = certs::Recovery {
                password,
                found_in: None,
            };
            Analysis::of("", opened, Some(recovery), as_of)
        }
        None if bytes.len() <= MAX_KEYSTORE => Analysis {
            fact: Some(Fact::Keystore {
                bytes: bytes.to_vec(),
            }),
            ..Analysis::default()
        },
        None => Analysis::of("", file, None, as_of),
    }
}

/// The analysis of a locked keystore held back from `entry` (its path
/// inside the app), trying `candidates` (string, where found) as passwords.
pub fn locked(
    entry: &str,
    bytes: &[u8],
    candidates: &[(String, String)],
    as_of: time::Date,
) -> Analysis {
    let Some(kind) = containers::sniff(bytes) else {
        return Analysis::default();
    };
    let Ok(file) = containers::parse(bytes) else {
        return Analysis::default();
    };
    let mut strings = candidates.iter().map(|(s, _)| s.as_str());
    let Some(password) = containers::recover_password(bytes, kind, &mut strings, MAX_ATTEMPTS)
    else {
        return Analysis::of(entry, file, None, as_of);
    };
    let found_in = candidates
        .iter()
        .find(|(s, _)| *s == password)
        .map(|(_, at)| at.clone())
        .filter(|_| !containers::DEFAULT_PASSWORDS.contains(&password.as_str()));
    let opened = containers::parse_with_password(bytes, &password).unwrap_or(file);
    let recovery = certs::Recovery { password, found_in };
    Analysis::of(entry, opened, Some(recovery), as_of)
}

/// Strings of the app that could be a password: literals of its code,
/// resources, plists and config files, each with the entry and symbol that
/// holds it, bounded in count and bytes read.
pub fn candidates(files: &dyn AppFiles) -> Vec<(String, String)> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut budget = MAX_CANDIDATE_BYTES;
    for name in files.names() {
        let lower = name.to_ascii_lowercase();
        let wanted = [
            ".dex",
            ".arsc",
            ".plist",
            ".json",
            ".xml",
            ".properties",
            ".txt",
            ".js",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext))
            || lower.ends_with("resources.pb");
        if !wanted || out.len() >= MAX_CANDIDATES {
            continue;
        }
        let Some(bytes) = files.read(name) else {
            continue;
        };
        if bytes.len() > budget {
            break;
        }
        budget -= bytes.len();
        let kind = formats::sniff(&bytes);
        let mut sink = |s: ScannedString<'_>| {
            if out.len() >= MAX_CANDIDATES || s.text.len() < 4 || s.text.len() > 64 {
                return;
            }
            let Ok(text) = std::str::from_utf8(s.text) else {
                return;
            };
            if text.chars().any(char::is_control) || !seen.insert(text.to_string()) {
                return;
            }
            let at = match s.symbol {
                Some(symbol) => format!("{name} ({symbol})"),
                None => name.clone(),
            };
            out.push((text.to_string(), at));
        };
        let _ = formats::extract(kind, &bytes, &mut sink);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::archives::Limits;
    use crate::fixtures::dex::DexBuilder;
    use crate::fixtures::samples::demo_manifest;
    use crate::fixtures::zipfile::ZipBuilder;
    use crate::formats::certs::fixtures::{identity, jks, Spec};
    use crate::scan::Scanner;

    /// An APK shipping a client identity in a JKS store whose password is a
    /// string literal of its own code.
    fn apk_with_keystore(password: &str, in_code: &str) -> Vec<u8> {
        let id = identity(
            "mtls client",
            Spec {
                client_auth: true,
                ..Spec::default()
            },
        );
        let store = jks(&id, password);
        let mut dex = DexBuilder::new();
        dex.class("dev.example.net.Tls")
            .method_with_strings("keyStore", &["client.jks", in_code]);
        ZipBuilder::new()
            .deflated("AndroidManifest.xml", &demo_manifest(1, "1.0"))
            .deflated("classes.dex", &dex.build())
            .stored("res/raw/client.jks", &store)
            .build()
    }

    fn scan(apk: &[u8]) -> Vec<(String, String, String)> {
        let detectors = crate::detectors::builtin().unwrap();
        let scanner = Scanner::new(detectors, Limits::default());
        let (_, findings) = scanner.scan_bytes("app.apk", apk);
        findings
            .into_iter()
            .map(|f| (f.rule_id, f.location.path, f.message))
            .collect()
    }

    #[test]
    fn a_keystore_whose_password_ships_in_the_app_is_critical() {
        let found = scan(&apk_with_keystore("Kx9-store-pass!", "Kx9-store-pass!"));
        let hit = found
            .iter()
            .find(|(rule, _, _)| rule == "key-keystore-password-in-app")
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert_eq!(hit.1, "res/raw/client.jks");
        assert!(hit.2.contains("classes.dex"), "{}", hit.2);
        assert!(found
            .iter()
            .any(|(rule, _, _)| rule == "cert-client-identity"));
    }

    #[test]
    fn the_report_lists_what_each_keystore_holds_and_where_its_password_was_found() {
        let detectors = crate::detectors::builtin().unwrap();
        let scanner = Scanner::new(detectors, Limits::default());
        let apk = apk_with_keystore("Kx9-store-pass!", "Kx9-store-pass!");
        let (artifact, _) = scanner.scan_bytes("app.apk", &apk);
        let [record] = artifact.certificates.as_slice() else {
            panic!("{:#?}", artifact.certificates);
        };
        assert_eq!(record.path, "res/raw/client.jks");
        assert!(record.password_recovered);
        let found_in = record.password_found_in.as_deref().unwrap_or_default();
        assert!(found_in.contains("classes.dex"), "{found_in}");
        assert_eq!(record.certificates.len(), 1);
        assert!(record.certificates[0].client_auth);
        assert_eq!(record.private_keys.len(), 1);

        let locked = apk_with_keystore("Kx9-store-pass!", "something else");
        let (artifact, _) = scanner.scan_bytes("app.apk", &locked);
        let [record] = artifact.certificates.as_slice() else {
            panic!("{:#?}", artifact.certificates);
        };
        assert!(!record.password_recovered && record.password_found_in.is_none());
    }

    #[test]
    fn a_keystore_with_an_unknown_password_is_reported_locked() {
        let found = scan(&apk_with_keystore("Kx9-store-pass!", "something else"));
        assert!(
            found
                .iter()
                .any(|(rule, path, _)| rule == "key-keystore-embedded"
                    && path == "res/raw/client.jks"),
            "{found:#?}"
        );
        assert!(!found
            .iter()
            .any(|(rule, _, _)| rule == "key-keystore-password-in-app"
                || rule == "cert-client-identity"));
    }
}
