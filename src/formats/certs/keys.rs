//! DER private keys: PKCS#1 RSA, OpenSSL DSA, SEC1 EC, PKCS#8 and encrypted
//! PKCS#8. Reads the key type, size and public part (to pair the key with
//! its certificate), never the secret itself.

use super::der::{self, BIT_STRING, INTEGER, OCTET_STRING, OID, SEQUENCE};
use super::KeyInfo;

pub(crate) const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
pub(crate) const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
pub(crate) const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];
/// Prefixes of password-based encryption OIDs (PKCS#5 and PKCS#12).
pub(crate) const PBE_PREFIXES: [&[u8]; 2] = [
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05],
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01],
];

/// Reads a DER private key of any supported encoding.
pub(crate) fn from_der(bytes: &[u8]) -> Option<KeyInfo> {
    let (seq, _) = der::expect(bytes, SEQUENCE)?;
    let body = seq.content;
    let (first, rest) = der::read(body)?;
    match first.tag {
        SEQUENCE => encrypted_pkcs8(first, rest),
        INTEGER => match (der::small_uint(first.content)?, der::read(rest)?.0.tag) {
            (0, INTEGER) => pkcs1_or_dsa(body),
            (1, OCTET_STRING) => sec1(body, None),
            (0 | 1, SEQUENCE) => pkcs8(rest),
            _ => None,
        },
        _ => None,
    }
}

fn encrypted_pkcs8(alg: der::Tlv<'_>, rest: &[u8]) -> Option<KeyInfo> {
    let (oid, _) = der::expect(alg.content, OID)?;
    if !PBE_PREFIXES.iter().any(|p| oid.content.starts_with(p)) {
        return None;
    }
    der::expect(rest, OCTET_STRING)?;
    Some(KeyInfo {
        format: "encrypted-pkcs8".into(),
        encrypted: true,
        ..KeyInfo::default()
    })
}

/// The INTEGERs of a SEQUENCE body, up to `max`.
fn integers(mut body: &[u8], max: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while out.len() < max {
        match der::expect(body, INTEGER) {
            Some((t, rest)) => {
                out.push(t.content);
                body = rest;
            }
            None => break,
        }
    }
    out
}

fn pkcs1_or_dsa(body: &[u8]) -> Option<KeyInfo> {
    let ints = integers(body, 10);
    let (key_type, bits_of, public) = match ints.len() {
        9 => ("rsa", ints[1], ints[1]),
        6 => ("dsa", ints[1], ints[4]),
        _ => return None,
    };
    Some(KeyInfo {
        format: if key_type == "rsa" { "pkcs1" } else { "dsa" }.into(),
        key_type: Some(key_type.into()),
        key_bits: Some(der::bit_len(bits_of)),
        public_id: Some(der::strip_zeros(public).to_vec()),
        ..KeyInfo::default()
    })
}

/// Bits of a named curve.
pub(crate) fn curve_bits(oid: &[u8]) -> Option<u32> {
    match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => Some(256),
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01] => Some(192),
        [0x2b, 0x81, 0x04, 0x00, 0x21] => Some(224),
        [0x2b, 0x81, 0x04, 0x00, 0x22] => Some(384),
        [0x2b, 0x81, 0x04, 0x00, 0x23] => Some(521),
        [0x2b, 0x81, 0x04, 0x00, 0x0a] => Some(256),
        _ => None,
    }
}

/// SEC1 ECPrivateKey body; `curve` from the PKCS#8 algorithm parameters.
fn sec1(body: &[u8], curve: Option<&[u8]>) -> Option<KeyInfo> {
    let (_, rest) = der::expect(body, INTEGER)?;
    let (private, mut rest) = der::expect(rest, OCTET_STRING)?;
    let mut curve = curve;
    let mut public = None;
    while let Some((t, next)) = der::read(rest) {
        match t.tag {
            0xa0 => {
                curve = der::expect(t.content, OID)
                    .map(|(o, _)| o.content)
                    .or(curve)
            }
            0xa1 => {
                public = der::expect(t.content, BIT_STRING)
                    .and_then(|(b, _)| b.content.get(1..))
                    .map(<[u8]>::to_vec)
            }
            _ => {}
        }
        rest = next;
    }
    let bits = curve.and_then(curve_bits).or_else(|| {
        u32::try_from(private.content.len())
            .ok()
            .map(|n| n.saturating_mul(8))
    });
    Some(KeyInfo {
        format: "sec1".into(),
        key_type: Some("ec".into()),
        key_bits: bits,
        public_id: public,
        ..KeyInfo::default()
    })
}

/// PKCS#8 PrivateKeyInfo after its version.
fn pkcs8(rest: &[u8]) -> Option<KeyInfo> {
    let (alg, rest) = der::expect(rest, SEQUENCE)?;
    let (inner, _) = der::expect(rest, OCTET_STRING)?;
    let (oid, params) = der::expect(alg.content, OID)?;
    let key = match oid.content {
        OID_RSA => {
            let (seq, _) = der::expect(inner.content, SEQUENCE)?;
            pkcs1_or_dsa(seq.content)?
        }
        OID_EC => {
            let curve = der::expect(params, OID).map(|(o, _)| o.content);
            let (seq, _) = der::expect(inner.content, SEQUENCE)?;
            sec1(seq.content, curve)?
        }
        OID_DSA => {
            let p = der::expect(params, SEQUENCE)
                .and_then(|(s, _)| der::expect(s.content, INTEGER))
                .map(|(p, _)| der::bit_len(p.content));
            KeyInfo {
                key_type: Some("dsa".into()),
                key_bits: p,
                ..KeyInfo::default()
            }
        }
        OID_ED25519 => named("ed25519", 256),
        OID_ED448 => named("ed448", 456),
        _ => KeyInfo::default(),
    };
    Some(KeyInfo {
        format: "pkcs8".into(),
        ..key
    })
}

fn named(key_type: &str, bits: u32) -> KeyInfo {
    KeyInfo {
        key_type: Some(key_type.into()),
        key_bits: Some(bits),
        ..KeyInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        if content.len() < 0x80 {
            v.push(content.len() as u8);
        } else {
            v.extend([0x82, (content.len() >> 8) as u8, content.len() as u8]);
        }
        v.extend(content);
        v
    }

    #[test]
    fn reads_a_pkcs1_rsa_key_size_and_modulus() {
        let mut modulus = vec![0x00, 0xc0];
        modulus.extend([0x11; 127]);
        let mut body = tlv(INTEGER, &[0]);
        body.extend(tlv(INTEGER, &modulus));
        for _ in 0..7 {
            body.extend(tlv(INTEGER, &[3]));
        }
        let key = from_der(&tlv(SEQUENCE, &body)).unwrap();
        assert_eq!(key.format, "pkcs1");
        assert_eq!(key.key_type.as_deref(), Some("rsa"));
        assert_eq!(key.key_bits, Some(1024));
        assert_eq!(key.public_id.as_deref(), Some(&modulus[1..]));
    }

    #[test]
    fn reads_an_encrypted_pkcs8_key() {
        let pbes2 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
        let mut alg = tlv(OID, &pbes2);
        alg.extend(tlv(SEQUENCE, &[]));
        let mut body = tlv(SEQUENCE, &alg);
        body.extend(tlv(OCTET_STRING, &[1, 2, 3]));
        let key = from_der(&tlv(SEQUENCE, &body)).unwrap();
        assert!(key.encrypted);
        assert_eq!(key.format, "encrypted-pkcs8");
    }

    #[test]
    fn rejects_other_sequences() {
        let body = tlv(INTEGER, &[5]);
        assert!(from_der(&tlv(SEQUENCE, &body)).is_none());
        assert!(from_der(&[0x30, 0x03, 0x02, 0x01]).is_none());
    }
}
