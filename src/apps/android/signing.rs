//! The APK signing certificate (v1 JAR signature block): who signed the
//! app, and whether that identity is fit for a release.

use super::super::{certs, AppFiles, Issue};
use crate::findings::Severity;
use crate::formats::certs::{signing_info, CertInfo};

/// The signing certificate of the first readable `META-INF/*.RSA|DSA|EC`
/// block, with its entry name.
pub fn certificate(files: &dyn AppFiles) -> Option<(String, CertInfo)> {
    files
        .names()
        .iter()
        .filter(|n| certs::is_signing_block(n))
        .find_map(|name| {
            let bytes = files.read(name)?;
            signing_info(&bytes).map(|info| (name.clone(), info))
        })
}

/// Problems of the signing certificate `info` found in `entry`.
pub fn issues(entry: &str, info: &CertInfo, as_of: time::Date) -> Vec<Issue> {
    let mut out = Vec::new();
    if info.subject.contains("CN=Android Debug") {
        out.push(
            Issue::new(
                "android-debug-signing",
                entry,
                info.sha256.clone(),
                "The app is signed with the Android SDK's debug certificate: it is a debug build, and anyone with a default SDK install holds a matching key.",
            )
            .with_symbol(info.subject.clone()),
        );
    }
    if info.not_after_date.is_some_and(|d| d < as_of) {
        out.push(
            Issue::new(
                "android-signing-cert-expired",
                entry,
                info.sha256.clone(),
                format!(
                    "The signing certificate expired on {}; Android does not check expiry at install, but stores and MDM policies may.",
                    info.not_after
                ),
            )
            .with_symbol(info.subject.clone()),
        );
    }
    let weak = match info.key_type.as_str() {
        "rsa" | "dsa" => info.key_bits > 0 && info.key_bits < 2048,
        _ => false,
    };
    let sha1 = info
        .signature_algorithm
        .to_ascii_lowercase()
        .contains("sha1");
    if weak || sha1 {
        let why = match (weak, sha1) {
            (true, true) => format!(
                "a {}-bit {} key and a SHA-1 signature",
                info.key_bits,
                info.key_type.to_uppercase()
            ),
            (true, false) => format!(
                "a {}-bit {} key",
                info.key_bits,
                info.key_type.to_uppercase()
            ),
            _ => "a SHA-1 signature".to_string(),
        };
        let issue = Issue::new(
            "android-signing-weak",
            entry,
            info.sha256.clone(),
            format!("The signing certificate uses {why}, below today's minimum for a long-lived identity."),
        )
        .with_symbol(info.subject.clone());
        out.push(if weak {
            issue
        } else {
            issue.with_severity(Severity::Low)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(subject: &str, bits: u32, alg: &str, not_after: time::Date) -> CertInfo {
        CertInfo {
            subject: subject.into(),
            key_type: "rsa".into(),
            key_bits: bits,
            signature_algorithm: alg.into(),
            sha256: "ab".repeat(32),
            not_after: not_after.to_string(),
            not_after_date: Some(not_after),
            ..CertInfo::default()
        }
    }

    fn ids(issues: &[Issue]) -> Vec<&str> {
        issues.iter().map(|i| i.rule_id).collect()
    }

    #[test]
    fn debug_expired_and_weak_signers_are_reported() {
        let today = time::macros::date!(2026 - 11 - 27);
        let debug = cert(
            "C=US, O=Android, CN=Android Debug",
            1024,
            "sha1WithRSAEncryption",
            time::macros::date!(2012 - 01 - 01),
        );
        let found = issues("META-INF/CERT.RSA", &debug, today);
        assert_eq!(
            ids(&found),
            [
                "android-debug-signing",
                "android-signing-cert-expired",
                "android-signing-weak"
            ]
        );
        for id in ids(&found) {
            assert!(crate::apps::rules::get(id).is_some(), "{id} undeclared");
        }
    }

    #[test]
    fn a_sound_release_signer_is_not_reported() {
        let today = time::macros::date!(2026 - 11 - 27);
        let release = cert(
            "CN=Example Release, O=Example",
            4096,
            "sha256WithRSAEncryption",
            time::macros::date!(2051 - 01 - 01),
        );
        assert!(issues("META-INF/CERT.RSA", &release, today).is_empty());
        let sha1_only = cert(
            "CN=Old",
            2048,
            "sha1WithRSAEncryption",
            time::macros::date!(2051 - 01 - 01),
        );
        let found = issues("META-INF/CERT.RSA", &sha1_only, today);
        assert_eq!(ids(&found), ["android-signing-weak"]);
        assert_eq!(found[0].severity, Some(Severity::Low));
    }
}
