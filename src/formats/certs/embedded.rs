//! DER certificates, private keys and PKCS#12 blobs embedded inside a larger
//! binary: a Mach-O `__const` section, an ELF `.rodata`, a DEX array, any
//! blob.
//!
//! Every `0x30` byte is a candidate SEQUENCE. A candidate survives only if
//! its declared length fits the buffer and its first fields look like a
//! certificate (`TBSCertificate` with a version or serial), a key (INTEGER
//! version 0 or 1), an encrypted key (an OID first) or a PFX (version 3);
//! then [`sniff`] and the real parsers confirm it. Work is capped: hits,
//! and bytes handed to the parsers.

use super::{sniff, ContainerKind};
use serde::Serialize;
use x509_parser::prelude::{FromDer, X509Certificate};

/// Smallest structure reported (a SEC1 P-256 key is 121 bytes).
const MIN_LEN: usize = 64;
/// Largest structure considered (a PKCS#12 with a long chain fits).
const MAX_LEN: usize = 4 << 20;
/// Most bytes handed to the confirming parsers over one buffer.
const MAX_WORK: usize = 64 << 20;

/// One certificate, key or keystore found inside a larger buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Embedded {
    /// Byte offset of the DER SEQUENCE in the buffer.
    pub offset: usize,
    /// Length of the whole DER encoding.
    pub len: usize,
    pub kind: ContainerKind,
}

/// Finds up to `max` DER certificates, private keys (PKCS#1 RSA, SEC1 EC,
/// PKCS#8, encrypted PKCS#8) and PKCS#12 blobs inside `bytes`, in offset
/// order. A structure found is reported once (what it contains is not
/// searched again); a buffer that is itself one such structure yields
/// nothing ([`sniff`] recognises it as a file).
pub fn find_embedded(bytes: &[u8], max: usize) -> Vec<Embedded> {
    let mut out = Vec::new();
    let mut work = 0usize;
    let mut pos = 0usize;
    while out.len() < max && work < MAX_WORK {
        let Some(found) = bytes.get(pos..).and_then(|b| memchr::memchr(0x30, b)) else {
            break;
        };
        let offset = pos + found;
        pos = offset + 1;
        let Some(len) = candidate(bytes.get(offset..).unwrap_or_default()) else {
            continue;
        };
        let Some(region) = offset
            .checked_add(len)
            .and_then(|end| bytes.get(offset..end))
        else {
            continue;
        };
        work = work.saturating_add(len);
        let Some(kind) = confirm(region) else {
            continue;
        };
        if offset == 0 && bytes.len() - len <= 2 {
            break;
        }
        out.push(Embedded { offset, len, kind });
        pos = offset + len;
    }
    out
}

/// The total length of the DER SEQUENCE at the start of `b` when its
/// header and first content bytes fit one of the structures looked for.
fn candidate(b: &[u8]) -> Option<usize> {
    let (&first, rest) = b.get(1..)?.split_first()?;
    let (len, header, content) = match first {
        0x81..=0x83 => {
            let n = usize::from(first & 0x7f);
            let len = rest
                .get(..n)?
                .iter()
                .fold(0usize, |acc, x| (acc << 8) | usize::from(*x));
            (len, 2 + n, rest.get(n..)?)
        }
        // Short form: only small EC keys (SEC1, PKCS#8 version 0).
        0x40..=0x7f => (usize::from(first), 2, rest),
        _ => return None,
    };
    let total = header + len;
    if !(MIN_LEN..=MAX_LEN).contains(&total) || total > b.len() {
        return None;
    }
    let plausible = match content {
        // Key versions 0/1 (PKCS#1, DSA, SEC1, PKCS#8); PFX version 3.
        [0x02, 0x01, 0x00 | 0x01, next, ..] => matches!(next, 0x02 | 0x04 | 0x30),
        [0x02, 0x01, 0x03, 0x30, ..] => first >= 0x81,
        // TBSCertificate: [0] version or the serial first.
        [0x30, 0x81..=0x83, ..] => tbs_start(content).is_some_and(|t| {
            matches!(t, [0xa0, 0x03, 0x02, 0x01, ..] | [0x02, ..]) && first >= 0x81
        }),
        // EncryptedPrivateKeyInfo: AlgorithmIdentifier { OID, … }.
        [0x30, l, 0x06, ..] => *l < 0x80 && first >= 0x81,
        _ => false,
    };
    plausible.then_some(total)
}

/// The contents of the SEQUENCE at the start of `content` (possibly cut).
fn tbs_start(content: &[u8]) -> Option<&[u8]> {
    let n = usize::from(content.get(1)? & 0x7f);
    content.get(2 + n..)
}

/// The kind of the DER structure spanning exactly `region`, checked with
/// the parser of that kind.
fn confirm(region: &[u8]) -> Option<ContainerKind> {
    let kind = sniff(region)?;
    match kind {
        ContainerKind::DerCertificate => X509Certificate::from_der(region).is_ok().then_some(kind),
        // Keys are parsed by `sniff`; a PFX's structure is checked there.
        ContainerKind::DerPrivateKey | ContainerKind::Pkcs12 => Some(kind),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{identity, pkcs12, Spec};
    use super::*;

    /// Deterministic noise with no long runs of structure.
    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut x = seed | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect()
    }

    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        match content.len() {
            n if n < 0x80 => v.push(n as u8),
            n if n < 0x100 => v.extend([0x81, n as u8]),
            n => v.extend([0x82, (n >> 8) as u8, n as u8]),
        }
        v.extend(content);
        v
    }

    /// A PKCS#1 RSA private key of `bytes`-byte modulus (structure only).
    fn rsa_pkcs1(bytes: usize) -> Vec<u8> {
        let mut modulus = vec![0x00, 0xc1];
        modulus.extend(noise(bytes - 1, 7));
        let mut body = tlv(0x02, &[0]);
        body.extend(tlv(0x02, &modulus));
        body.extend(tlv(0x02, &[1, 0, 1]));
        for i in 0..6 {
            body.extend(tlv(0x02, &noise(bytes / 2, 11 + i)));
        }
        tlv(0x30, &body)
    }

    /// A Mach-O-like buffer: a header, `__const` filler, and `parts` planted
    /// at the offsets given.
    fn plant(len: usize, parts: &[(usize, &[u8])]) -> Vec<u8> {
        let mut buf = noise(len, 0x5eed);
        buf[..4].copy_from_slice(&[0xcf, 0xfa, 0xed, 0xfe]);
        for (at, part) in parts {
            buf[*at..*at + part.len()].copy_from_slice(part);
        }
        buf
    }

    #[test]
    fn finds_keys_and_certificates_at_odd_offsets() {
        let id = identity("Embedded", Spec::default());
        let rsa = rsa_pkcs1(128);
        let buf = plant(
            16_384,
            &[(1_001, &rsa), (5_003, &id.cert_der), (9_007, &id.key_der)],
        );
        let hits = find_embedded(&buf, 16);
        assert_eq!(
            hits,
            vec![
                Embedded {
                    offset: 1_001,
                    len: rsa.len(),
                    kind: ContainerKind::DerPrivateKey
                },
                Embedded {
                    offset: 5_003,
                    len: id.cert_der.len(),
                    kind: ContainerKind::DerCertificate
                },
                Embedded {
                    offset: 9_007,
                    len: id.key_der.len(),
                    kind: ContainerKind::DerPrivateKey
                },
            ]
        );
        let key = super::super::parse(&buf[1_001..1_001 + rsa.len()]).unwrap();
        assert_eq!(key.private_keys[0].key_bits, Some(1024));
        assert_eq!(find_embedded(&buf, 2).len(), 2);
    }

    #[test]
    fn finds_small_ec_keys_and_pkcs12() {
        // SEC1 P-256: 30 77 02 01 01 04 20 …, short-form length.
        let mut sec1 = tlv(0x02, &[1]);
        sec1.extend(tlv(0x04, &noise(32, 3)));
        let curve = vec![0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
        sec1.extend(tlv(0xa0, &curve));
        let mut point = vec![0x00, 0x04];
        point.extend(noise(64, 5));
        sec1.extend(tlv(0xa1, &tlv(0x03, &point)));
        let sec1 = tlv(0x30, &sec1);
        assert_eq!(sec1[1], 0x77);
        let id = identity("p12", Spec::default());
        let pfx = pkcs12(
            &id,
            "x",
            p12_keystore::EncryptionAlgorithm::PbeWithHmacSha256AndAes256,
        );
        let buf = plant(4_096 + pfx.len(), &[(333, &sec1), (2_049, &pfx)]);
        let kinds: Vec<_> = find_embedded(&buf, 8)
            .iter()
            .map(|e| (e.offset, e.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                (333, ContainerKind::DerPrivateKey),
                (2_049, ContainerKind::Pkcs12)
            ]
        );
    }

    #[test]
    fn skips_near_misses_and_whole_files() {
        let id = identity("Decoy", Spec::default());
        // Truncated certificate: the declared length runs past the end.
        let cut = &id.cert_der[..id.cert_der.len() - 10];
        // A certificate with its signature algorithm corrupted.
        let mut bad = id.cert_der.clone();
        let (outer, _) = super::super::der::read(&id.cert_der).unwrap();
        let (tbs, _) = super::super::der::read(outer.content).unwrap();
        bad[outer.raw.len() - outer.content.len() + tbs.raw.len()] = 0x31;
        assert_eq!(super::super::sniff(&bad), None);
        // A key-looking SEQUENCE whose integers stop short.
        let mut short = tlv(0x02, &[0]);
        short.extend(tlv(0x02, &noise(100, 9)));
        let short = tlv(0x30, &short);
        // A SEQUENCE claiming far more than the buffer holds.
        let huge = [0x30, 0x83, 0x7f, 0xff, 0xff, 0x02, 0x01, 0x00, 0x02];
        let mut buf = plant(8_192, &[(100, &bad), (3_000, &short), (6_000, &huge)]);
        buf.truncate(8_192 - 200);
        buf.extend(cut);
        assert_eq!(find_embedded(&buf, 16), []);
        assert_eq!(find_embedded(&noise(1 << 16, 42), 16), []);
        // The buffer is the certificate itself: sniff's job.
        assert_eq!(find_embedded(&id.cert_der, 16), []);
        let mut with_newline = id.key_der.clone();
        with_newline.push(b'\n');
        assert_eq!(find_embedded(&with_newline, 16), []);
        assert_eq!(find_embedded(&[], 16), []);
        assert_eq!(find_embedded(&[0x30, 0x82], 16), []);
    }

    #[test]
    fn reports_the_outer_structure_once() {
        // A PKCS#8 key wraps an inner SEC1 key: only the PKCS#8 is reported.
        let id = identity("Outer", Spec::default());
        let buf = plant(2_048, &[(77, &id.key_der)]);
        let hits = find_embedded(&buf, 16);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!((hits[0].offset, hits[0].len), (77, id.key_der.len()));
        assert_eq!(find_embedded(&buf, 0), []);
    }

    #[test]
    fn finds_the_mastg_demo_key_in_a_mach_o() {
        let Some(dir) = crate::test_support::corpus_dir() else {
            return;
        };
        let path = dir.join("vuln-ios/mastg-demo-0013-MASTestApp");
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{} absent; skipping", path.display());
            return;
        };
        let hits = find_embedded(&bytes, 64);
        let key = hits
            .iter()
            .find(|e| e.kind == ContainerKind::DerPrivateKey)
            .expect("the hardcoded RSA key");
        assert_eq!(key.len, 607);
        let file = super::super::parse(&bytes[key.offset..key.offset + key.len]).unwrap();
        assert_eq!(file.private_keys[0].key_type.as_deref(), Some("rsa"));
        assert_eq!(file.private_keys[0].key_bits, Some(1024));
    }
}
