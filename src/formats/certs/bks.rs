//! Bouncy Castle keystores: BKS (entries in clear, an HMAC-SHA1 at the end)
//! and UBER (everything after the header encrypted).
//!
//! Layout: version u32, salt (u32 length + bytes), iteration count u32, then
//! entries (type byte, alias, date, certificate chain, payload) up to a zero
//! byte, then the MAC: HMAC-SHA1 keyed by the PKCS#12 key derivation (ID 3)
//! of the password over the entry bytes.

use super::{keys, x509, CertFile, ContainerKind, FormatError, KeyInfo};
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};

const MAC_LEN: usize = 20;
const SALT_LEN: usize = 20;
/// Bouncy Castle refuses more (`MIN_ITERATIONS << 6`).
const MAX_ITERATIONS: u32 = 1024 << 6;
const MAX_ENTRIES: usize = 4096;
/// Header: version, salt length, salt, iteration count.
const HEADER_LEN: usize = 4 + 4 + SALT_LEN + 4;

fn err(message: &str) -> FormatError {
    FormatError::new("bks", message)
}

struct Header<'a> {
    version: u32,
    salt: &'a [u8],
    iterations: u32,
}

fn header(bytes: &[u8]) -> Option<Header<'_>> {
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let version = u32_at(0)?;
    let iterations = u32_at(4 + 4 + SALT_LEN)?;
    (matches!(version, 1 | 2)
        && u32_at(4)? == SALT_LEN as u32
        && (1..=MAX_ITERATIONS).contains(&iterations))
    .then(|| Header {
        version,
        salt: &bytes[8..8 + SALT_LEN],
        iterations,
    })
}

/// BKS when the entries walk to a terminator followed by exactly the MAC;
/// UBER when the rest is whole cipher blocks.
pub(crate) fn sniff(bytes: &[u8]) -> Option<ContainerKind> {
    header(bytes)?;
    let body = bytes.get(HEADER_LEN..)?;
    match walk(body) {
        Some((_, used)) if body.len() - used == MAC_LEN => Some(ContainerKind::Bks),
        _ if !body.is_empty() && body.len() % 16 == 0 => Some(ContainerKind::Uber),
        _ => None,
    }
}

/// One entry of a BKS store.
struct Entry<'a> {
    tag: u8,
    alias: String,
    chain: Vec<&'a [u8]>,
    /// Certificate DER (type 1) or key encoding (type 2).
    payload: &'a [u8],
    /// Key entries: 0 = private, 1 = public, 2 = secret.
    key_type: u8,
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let head = self.rest.get(..n)?;
        self.rest = self.rest.get(n..)?;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    fn utf(&mut self) -> Option<&'a [u8]> {
        let len = u16::from_be_bytes(self.take(2)?.try_into().ok()?);
        self.take(usize::from(len))
    }
    fn blob(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        self.take(len)
    }
    /// Certificate: type name, then DER.
    fn cert(&mut self) -> Option<&'a [u8]> {
        self.utf()?;
        self.blob()
    }
}

/// Walks the entries; returns them and the bytes consumed (terminator included).
fn walk(body: &[u8]) -> Option<(Vec<Entry<'_>>, usize)> {
    let mut r = Reader { rest: body };
    let mut entries = Vec::new();
    loop {
        let tag = r.u8()?;
        if tag == 0 {
            return Some((entries, body.len() - r.rest.len()));
        }
        if !(1..=4).contains(&tag) || entries.len() >= MAX_ENTRIES {
            return None;
        }
        let alias = String::from_utf8_lossy(r.utf()?).into_owned();
        r.take(8)?;
        let chain_len = r.u32()?;
        if chain_len > 64 {
            return None;
        }
        let chain = (0..chain_len)
            .map(|_| r.cert())
            .collect::<Option<Vec<_>>>()?;
        let (payload, key_type) = match tag {
            1 => (r.cert()?, 0),
            2 => {
                let key_type = r.u8()?;
                r.utf()?;
                r.utf()?;
                (r.blob()?, key_type)
            }
            _ => (r.blob()?, 0),
        };
        entries.push(Entry {
            tag,
            alias,
            chain,
            payload,
            key_type,
        });
    }
}

/// PKCS#12 password bytes: UTF-16BE with a two-byte terminator; empty for
/// an empty password (as Bouncy Castle does).
fn pkcs12_password(password: &str) -> Vec<u8> {
    if password.is_empty() {
        return Vec::new();
    }
    let mut out = super::jks::utf16be(password);
    out.extend([0, 0]);
    out
}

/// RFC 7292 appendix B key derivation with SHA-1 (v = 64, u = 20).
pub(crate) fn pkcs12_kdf(
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    len: usize,
) -> Vec<u8> {
    const V: usize = 64;
    let fill = |s: &[u8]| -> Vec<u8> {
        if s.is_empty() {
            return Vec::new();
        }
        let n = s.len().div_ceil(V) * V;
        s.iter().cycle().take(n).copied().collect()
    };
    let d = [id; V];
    let mut i = fill(salt);
    i.extend(fill(password));
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let mut a = Sha1::new().chain_update(d).chain_update(&i).finalize();
        for _ in 1..iterations {
            a = Sha1::digest(a);
        }
        out.extend_from_slice(&a[..MAC_LEN.min(len - out.len())]);
        if out.len() >= len {
            break;
        }
        let b: Vec<u8> = a.iter().cycle().take(V).copied().collect();
        for block in i.chunks_mut(V) {
            // block = block + b + 1 (big-endian, modulo 2^(8V))
            let mut carry = 1u16;
            for (x, y) in block.iter_mut().zip(&b).rev() {
                let sum = u16::from(*x) + u16::from(*y) + carry;
                *x = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out
}

/// Whether `password` is the store password (BKS only).
pub(crate) fn verify(bytes: &[u8], password: &str) -> bool {
    let (Some(h), Some(body)) = (header(bytes), bytes.get(HEADER_LEN..)) else {
        return false;
    };
    let Some((_, used)) = walk(body) else {
        return false;
    };
    let Some(stored) = body.get(used..used + MAC_LEN) else {
        return false;
    };
    // BKS-V1 derived a 2-byte key (a bit count taken for a byte count).
    let key_len = if h.version == 2 { MAC_LEN } else { MAC_LEN / 8 };
    let key = pkcs12_kdf(&pkcs12_password(password), h.salt, 3, h.iterations, key_len);
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(&key) else {
        return false;
    };
    mac.update(&body[..used]);
    mac.verify_slice(stored).is_ok()
}

/// Reads the certificates and keys of a BKS store; with a password, checks
/// the MAC first.
pub(crate) fn parse(bytes: &[u8], password: Option<&str>) -> Result<CertFile, FormatError> {
    if password.is_some_and(|pw| !verify(bytes, pw)) {
        return Err(err("wrong keystore password"));
    }
    let body = bytes
        .get(HEADER_LEN..)
        .ok_or_else(|| err("truncated header"))?;
    let (entries, _) = walk(body).ok_or_else(|| err("malformed entries"))?;
    let mut file = CertFile {
        encrypted: true,
        password_verified: password.is_some(),
        entries: entries.len(),
        ..CertFile::empty(ContainerKind::Bks)
    };
    for entry in entries {
        let first = file.certificates.len();
        for der in entry
            .chain
            .iter()
            .copied()
            .chain((entry.tag == 1).then_some(entry.payload))
        {
            if let Ok(mut info) = x509::info(der) {
                info.alias = Some(entry.alias.clone());
                file.certificates.push(info);
            }
        }
        let leaf = file.certificates.get(first);
        let key = match (entry.tag, entry.key_type) {
            (2, 0) => keys::from_der(entry.payload).unwrap_or_default(),
            // Sealed entries with a chain are private keys.
            (4, _) if leaf.is_some() => KeyInfo {
                key_type: leaf.map(|c| c.key_type.clone()),
                key_bits: leaf.map(|c| c.key_bits),
                encrypted: true,
                ..KeyInfo::default()
            },
            _ => continue,
        };
        file.private_keys.push(KeyInfo {
            alias: Some(entry.alias),
            format: "keystore-entry".into(),
            certificate: leaf.map(|_| first),
            ..key
        });
    }
    Ok(file)
}

/// Builds BKS stores for tests.
#[cfg(test)]
pub(crate) mod build {
    use super::*;

    /// A key entry: alias, key bytes, certificate chain.
    pub(crate) type KeyEntry<'a> = (&'a str, Vec<u8>, Vec<Vec<u8>>);

    fn utf(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u16).to_be_bytes());
        out.extend(s.as_bytes());
    }

    /// A BKS store of `version` holding trusted certificates and clear
    /// private keys `(alias, pkcs8, chain)`.
    pub(crate) fn store(
        version: u32,
        certs: &[(&str, Vec<u8>)],
        keys: &[KeyEntry<'_>],
        password: &str,
    ) -> Vec<u8> {
        let salt = [9u8; SALT_LEN];
        let iterations = 1100u32;
        let mut out = version.to_be_bytes().to_vec();
        out.extend((SALT_LEN as u32).to_be_bytes());
        out.extend(salt);
        out.extend(iterations.to_be_bytes());
        let mut body = Vec::new();
        let cert = |body: &mut Vec<u8>, der: &[u8]| {
            utf(body, "X.509");
            body.extend((der.len() as u32).to_be_bytes());
            body.extend(der);
        };
        for (alias, der) in certs {
            body.push(1);
            utf(&mut body, alias);
            body.extend(0u64.to_be_bytes());
            body.extend(0u32.to_be_bytes());
            cert(&mut body, der);
        }
        for (alias, key, chain) in keys {
            body.push(2);
            utf(&mut body, alias);
            body.extend(0u64.to_be_bytes());
            body.extend((chain.len() as u32).to_be_bytes());
            for c in chain {
                cert(&mut body, c);
            }
            body.push(0);
            utf(&mut body, "PKCS#8");
            utf(&mut body, "RSA");
            body.extend((key.len() as u32).to_be_bytes());
            body.extend(key);
        }
        body.push(0);
        let key_len = if version == 2 { MAC_LEN } else { MAC_LEN / 8 };
        let key = pkcs12_kdf(&pkcs12_password(password), &salt, 3, iterations, key_len);
        let mut mac = Hmac::<Sha1>::new_from_slice(&key).unwrap();
        mac.update(&body);
        out.extend(&body);
        out.extend(mac.finalize().into_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs12_kdf_matches_rfc_7292_test_vector() {
        // Bouncy Castle PKCS12Test: password "smeg", salt 0A58CF64530D823F,
        // ID 1, 1 iteration, 24 bytes.
        let salt = [0x0a, 0x58, 0xcf, 0x64, 0x53, 0x0d, 0x82, 0x3f];
        let key = pkcs12_kdf(&pkcs12_password("smeg"), &salt, 1, 1, 24);
        let hex: String = key.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(hex, "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3");
    }

    #[test]
    fn uber_and_truncated_headers() {
        let mut uber = 2u32.to_be_bytes().to_vec();
        uber.extend((SALT_LEN as u32).to_be_bytes());
        uber.extend([1u8; SALT_LEN]);
        uber.extend(1500u32.to_be_bytes());
        uber.extend([0x5au8; 64]);
        assert_eq!(sniff(&uber), Some(ContainerKind::Uber));
        uber.push(1);
        assert_eq!(sniff(&uber), None);
        assert_eq!(sniff(&uber[..20]), None);
    }
}
