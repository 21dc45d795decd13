//! The certificate of an APK v1 signature block (`META-INF/*.RSA|DSA|EC`):
//! a PKCS#7 SignedData whose `certificates` field holds the signer's.

use super::der::{self, INTEGER, OID, SEQUENCE, SET};
use super::{x509, CertInfo};

/// `1.2.840.113549.1.7.2`
const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/// The signer's certificate of a PKCS#7 SignedData block (the first one
/// that is not a CA when the block carries a chain), for checks on the
/// signing certificate (`CN=Android Debug`, expiry, key size).
pub fn signing_info(bytes: &[u8]) -> Option<CertInfo> {
    let (content_info, _) = der::expect(bytes, SEQUENCE)?;
    let (oid, rest) = der::expect(content_info.content, OID)?;
    if oid.content != OID_SIGNED_DATA {
        return None;
    }
    let (explicit, _) = der::expect(rest, 0xa0)?;
    let (signed_data, _) = der::expect(explicit.content, SEQUENCE)?;
    let (_, rest) = der::expect(signed_data.content, INTEGER)?;
    let (_, rest) = der::expect(rest, SET)?;
    let (_, rest) = der::expect(rest, SEQUENCE)?;
    let (certs, _) = der::expect(rest, 0xa0)?;
    let mut rest = certs.content;
    let mut first = None;
    for _ in 0..MAX_CERTS {
        let Some((cert, next)) = der::read(rest) else {
            break;
        };
        rest = next;
        let Ok(info) = x509::info(cert.raw) else {
            continue;
        };
        if !info.is_ca {
            return Some(info);
        }
        first.get_or_insert(info);
    }
    first
}

/// Certificates looked at in one block.
const MAX_CERTS: usize = 16;
