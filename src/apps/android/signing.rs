//! The APK signing certificate: who signed the app, and whether that
//! identity is fit for a release.
//!
//! Read from the v1 JAR signature (`META-INF/*.RSA|DSA|EC`), else from the
//! APK Signing Block that v2/v3 signatures put just before the central
//! directory (apps with minSdk 24+ often have no v1 signature at all).

use super::super::{certs, AppFiles, Issue};
use crate::findings::Severity;
use crate::formats::certs::{self as containers, signing_info, CertInfo};

/// Magic at the end of the APK Signing Block.
const BLOCK_MAGIC: &[u8; 16] = b"APK Sig Block 42";
/// IDs of the v3.1, v3 and v2 signature schemes, preferred in that order.
const SCHEMES: [(u32, &str); 3] = [
    (0x1b93_ad61, "APK Signing Block (v3.1)"),
    (0xf053_68c0, "APK Signing Block (v3)"),
    (0x7109_871a, "APK Signing Block (v2)"),
];

/// The signing certificate with where it was read: a `META-INF/*.RSA|DSA|EC`
/// entry, else the APK Signing Block.
pub fn certificate(files: &dyn AppFiles) -> Option<(String, CertInfo)> {
    let v1 = files
        .names()
        .iter()
        .filter(|n| certs::is_signing_block(n))
        .find_map(|name| {
            let bytes = files.read(name)?;
            signing_info(&bytes).map(|info| (name.clone(), info))
        });
    v1.or_else(|| {
        let (archive, cd) = files.archive()?;
        let (scheme, der) = block_certificate(archive, usize::try_from(cd).ok()?)?;
        let file = containers::parse(der).ok()?;
        let info = file.certificates.into_iter().next()?;
        Some((scheme.to_string(), info))
    })
}

/// A little-endian length-prefixed reader over the signing block.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_first_chunk::<4>()?;
        self.0 = rest;
        Some(u32::from_le_bytes(*head))
    }

    fn u64(&mut self) -> Option<u64> {
        let (head, rest) = self.0.split_first_chunk::<8>()?;
        self.0 = rest;
        Some(u64::from_le_bytes(*head))
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    /// A `u32`-length-prefixed item.
    fn prefixed(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u32()?).ok()?;
        self.take(n)
    }
}

/// The first signer's first certificate (DER) of the strongest v2/v3
/// scheme in the signing block that ends at `cd` (the central directory).
fn block_certificate(archive: &[u8], cd: usize) -> Option<(&'static str, &[u8])> {
    let footer = archive.get(cd.checked_sub(24)?..cd)?;
    if &footer[8..] != BLOCK_MAGIC {
        return None;
    }
    let size = usize::try_from(Reader(footer).u64()?).ok()?;
    let start = cd.checked_sub(size.checked_add(8)?)?;
    let pairs = archive.get(start.checked_add(8)?..cd - 24)?;
    let mut values = Vec::new();
    let mut r = Reader(pairs);
    while !r.0.is_empty() {
        let len = usize::try_from(r.u64()?).ok()?;
        let mut pair = Reader(r.take(len)?);
        let id = pair.u32()?;
        values.push((id, pair.0));
    }
    SCHEMES.iter().find_map(|&(id, scheme)| {
        let (_, value) = values.iter().find(|(i, _)| *i == id)?;
        let mut signers = Reader(Reader(value).prefixed()?);
        let mut signer = Reader(signers.prefixed()?);
        let mut signed = Reader(signer.prefixed()?);
        let _digests = signed.prefixed()?;
        let mut certificates = Reader(signed.prefixed()?);
        Some((scheme, certificates.prefixed()?))
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

    /// An APK Signing Block holding one v2 signer with certificate `der`,
    /// followed by a stand-in central directory; returns (bytes, cd offset).
    fn signed_archive(der: &[u8]) -> (Vec<u8>, usize) {
        fn prefixed(b: &[u8]) -> Vec<u8> {
            let mut v = (b.len() as u32).to_le_bytes().to_vec();
            v.extend_from_slice(b);
            v
        }
        let certificates = prefixed(&prefixed(der));
        let mut signed = prefixed(&[]);
        signed.extend(certificates);
        let signer = prefixed(&prefixed(&signed));
        let value = prefixed(&signer);
        let mut pair = 0x7109_871au32.to_le_bytes().to_vec();
        pair.extend(value);
        let mut pairs = (pair.len() as u64).to_le_bytes().to_vec();
        pairs.extend(pair);
        let size = (pairs.len() + 24) as u64;
        let mut out = b"PK\x03\x04 entries".to_vec();
        out.extend(size.to_le_bytes());
        out.extend(&pairs);
        out.extend(size.to_le_bytes());
        out.extend(BLOCK_MAGIC);
        let cd = out.len();
        out.extend(b"PK\x01\x02 central directory");
        (out, cd)
    }

    #[test]
    fn v2_block_certificate_is_found_and_damage_is_tolerated() {
        let der = b"\x30\x03\x02\x01\x05";
        let (archive, cd) = signed_archive(der);
        let (scheme, found) = block_certificate(&archive, cd).unwrap();
        assert_eq!(scheme, "APK Signing Block (v2)");
        assert_eq!(found, der);
        // No block, wrong end, every truncation: no certificate, no panic.
        assert!(block_certificate(&archive, cd - 1).is_none());
        assert!(block_certificate(b"PK\x01\x02", 0).is_none());
        for cut in 0..archive.len() {
            let _ = block_certificate(&archive[..cut], cut.min(cd));
        }
        let mut bad = archive.clone();
        bad[cd - 40] ^= 0xff;
        let _ = block_certificate(&bad, cd);
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
