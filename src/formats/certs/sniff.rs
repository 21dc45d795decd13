//! Recognition by content: magic numbers and the first few DER headers,
//! never the file name.

use super::der::{self, INTEGER, OCTET_STRING, OID, SEQUENCE};
use super::{bks, keys, pem, ContainerKind};

/// How far into a text file a PEM block may start.
const PEM_PROBE: usize = 4096;
/// PKCS#7 `data` content type, which a PKCS#12 authSafe carries.
const OID_PKCS7_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

/// Recognises a certificate, private key or keystore by its content.
///
/// Cheap enough to call on every entry: a few byte comparisons decide
/// before anything is parsed; random data is rejected on its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<ContainerKind> {
    let head: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    match head {
        [0xfe, 0xed, 0xfe, 0xed] if version(bytes, &[1, 2]) => Some(ContainerKind::Jks),
        [0xce, 0xce, 0xce, 0xce] if version(bytes, &[2]) => Some(ContainerKind::Jceks),
        [0, 0, 0, 1 | 2] => bks::sniff(bytes),
        [SEQUENCE, ..] => der_kind(bytes),
        _ if looks_like_text(head) => {
            let probe = bytes.get(..PEM_PROBE).unwrap_or(bytes);
            pem::first_label(probe).map(|_| ContainerKind::Pem)
        }
        _ => None,
    }
}

fn version(bytes: &[u8], allowed: &[u32]) -> bool {
    bytes
        .get(4..8)
        .and_then(|v| v.try_into().ok())
        .is_some_and(|v| allowed.contains(&u32::from_be_bytes(v)))
}

fn looks_like_text(head: [u8; 4]) -> bool {
    head.starts_with(&[0xef, 0xbb, 0xbf])
        || head
            .iter()
            .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
}

/// A DER SEQUENCE spanning the whole file (a trailing newline or two allowed)
/// whose first fields say certificate, private key or PKCS#12.
fn der_kind(bytes: &[u8]) -> Option<ContainerKind> {
    let (_, len, header) = der::header(bytes)?;
    let end = header.checked_add(len)?;
    if end > bytes.len() || bytes.len() - end > 2 || len < 8 {
        return None;
    }
    let body = bytes.get(header..end)?;
    let (first, rest) = der::read(body)?;
    match first.tag {
        // Certificate: TBSCertificate { [0] version | serial, … }, AlgorithmIdentifier.
        SEQUENCE
            if matches!(first.content.first(), Some(&(0xa0 | INTEGER)))
                && rest.first() == Some(&SEQUENCE) =>
        {
            Some(ContainerKind::DerCertificate)
        }
        // EncryptedPrivateKeyInfo: AlgorithmIdentifier { PBE OID }, OCTET STRING.
        SEQUENCE => {
            let (oid, _) = der::expect(first.content, OID)?;
            (keys::PBE_PREFIXES
                .iter()
                .any(|p| oid.content.starts_with(p))
                && rest.first() == Some(&OCTET_STRING))
            .then_some(ContainerKind::DerPrivateKey)
        }
        INTEGER => match (first.content, rest.first()) {
            // PFX { version 3, ContentInfo { data, … }, … }
            ([3], Some(&SEQUENCE)) => {
                let (content_info, _) = der::read(rest)?;
                let (oid, _) = der::expect(content_info.content, OID)?;
                (oid.content == OID_PKCS7_DATA).then_some(ContainerKind::Pkcs12)
            }
            // RSA/DSA (v0, INTEGER), SEC1 (v1, OCTET STRING), PKCS#8 (v0/v1, SEQUENCE).
            ([0], Some(&INTEGER)) | ([1], Some(&OCTET_STRING)) | ([0 | 1], Some(&SEQUENCE)) => {
                keys::from_der(bytes).map(|_| ContainerKind::DerPrivateKey)
            }
            _ => None,
        },
        _ => None,
    }
}

/// DER of the CMS `signedData` content type (1.2.840.113549.1.7.2).
const SIGNED_DATA_OID: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];

/// Whether `bytes` is a CMS / PKCS#7 SignedData envelope (an APK v1
/// signature block, a provisioning profile, a detached signature): the
/// certificates inside sign something; they are not embedded material.
pub fn is_signed_data(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30)
        && bytes
            .get(..32)
            .unwrap_or(bytes)
            .windows(SIGNED_DATA_OID.len())
            .any(|w| w == SIGNED_DATA_OID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_random_and_short_data() {
        assert_eq!(sniff(b""), None);
        assert_eq!(sniff(&[0x30, 0x03]), None);
        assert_eq!(sniff(b"hello world, no keys here"), None);
        assert_eq!(sniff(&[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 9]), None);
        let mut x = 0x1234_5678u32;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        for start in 0..64 {
            assert_eq!(sniff(&noise[start..]), None, "noise at {start}");
        }
    }

    #[test]
    fn recognises_pem_after_leading_text() {
        let text = b"Bag Attributes\n    friendlyName: x\n-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
        assert_eq!(sniff(text), Some(ContainerKind::Pem));
        assert_eq!(sniff(b"-----BEGIN PUBLIC KEY-----\nAA==\n"), None);
    }

    #[test]
    fn recognises_keystore_magics() {
        assert_eq!(
            sniff(&[0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0]),
            Some(ContainerKind::Jks)
        );
        assert_eq!(
            sniff(&[0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2, 0, 0, 0, 0]),
            Some(ContainerKind::Jceks)
        );
    }
}
