//! Java KeyStore (JKS, magic `FEEDFEED`) and JCEKS (`CECECECE`).
//!
//! Certificates are stored in clear; private keys are encrypted with their
//! key password. The file ends with SHA-1 over (store password as UTF-16BE,
//! the bytes `Mighty Aphrodite`, every byte before the digest).

use super::{der, keys, x509, CertFile, ContainerKind, FormatError, KeyInfo};
use sha1::{Digest, Sha1};

const DIGEST_LEN: usize = 20;
/// Entries read at most.
const MAX_ENTRIES: usize = 4096;
/// `1.3.6.1.4.1.42.2.17.1.1`, Sun's JKS key protector.
const OID_JKS_KEY_PROTECTOR: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01];

fn err(message: &str) -> FormatError {
    FormatError::new("jks", message)
}

/// Password bytes as Java's key stores hash them: UTF-16BE, no terminator.
pub(crate) fn utf16be(password: &str) -> Vec<u8> {
    password.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

/// Whether `password` is the store password.
pub(crate) fn verify(bytes: &[u8], password: &str) -> bool {
    let Some(split) = bytes.len().checked_sub(DIGEST_LEN) else {
        return false;
    };
    let (data, digest) = bytes.split_at(split);
    let mut h = Sha1::new();
    h.update(utf16be(password));
    h.update(b"Mighty Aphrodite");
    h.update(data);
    h.finalize().as_slice() == digest
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
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    fn utf(&mut self) -> Option<String> {
        let len = u16::from_be_bytes(self.take(2)?.try_into().ok()?);
        Some(String::from_utf8_lossy(self.take(usize::from(len))?).into_owned())
    }
    fn blob(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        self.take(len)
    }
}

/// Reads the entries; with a password, checks the store digest first and
/// decrypts JKS private keys protected by the same password.
pub(crate) fn parse(
    bytes: &[u8],
    kind: ContainerKind,
    password: Option<&str>,
) -> Result<CertFile, FormatError> {
    if let Some(pw) = password {
        if !verify(bytes, pw) {
            return Err(err("wrong keystore password"));
        }
    }
    let body = bytes
        .get(..bytes.len().saturating_sub(DIGEST_LEN))
        .unwrap_or_default();
    let mut r = Reader {
        rest: body.get(8..).ok_or_else(|| err("truncated header"))?,
    };
    let version = u32::from_be_bytes(
        bytes
            .get(4..8)
            .and_then(|v| v.try_into().ok())
            .ok_or_else(|| err("truncated header"))?,
    );
    let count = r.u32().ok_or_else(|| err("truncated header"))?;
    let mut file = CertFile {
        encrypted: true,
        password_verified: password.is_some(),
        entries: usize::try_from(count).unwrap_or(usize::MAX),
        ..CertFile::empty(kind)
    };
    fn cert<'a>(r: &mut Reader<'a>, version: u32) -> Option<&'a [u8]> {
        if version == 2 {
            r.utf()?;
        }
        r.blob()
    }
    for _ in 0..file.entries.min(MAX_ENTRIES) {
        let Some(tag) = r.u32() else { break };
        let Some(alias) = r.utf() else { break };
        if r.take(8).is_none() {
            break;
        }
        match tag {
            1 => {
                let Some(protected) = r.blob() else { break };
                let Some(chain) = r.u32() else { break };
                let first = file.certificates.len();
                for _ in 0..chain.min(64) {
                    let Some(der) = cert(&mut r, version) else {
                        break;
                    };
                    if let Ok(mut info) = x509::info(der) {
                        info.alias = Some(alias.clone());
                        file.certificates.push(info);
                    }
                }
                let leaf = file.certificates.get(first);
                let opened = match (kind, password) {
                    (ContainerKind::Jks, Some(pw)) => decrypt_key(protected, pw),
                    _ => None,
                };
                let key = match opened.as_deref().and_then(keys::from_der) {
                    Some(k) => KeyInfo {
                        format: "keystore-entry".into(),
                        ..k
                    },
                    None => KeyInfo {
                        format: "keystore-entry".into(),
                        key_type: leaf.map(|c| c.key_type.clone()),
                        key_bits: leaf.map(|c| c.key_bits),
                        encrypted: true,
                        ..KeyInfo::default()
                    },
                };
                file.private_keys.push(KeyInfo {
                    alias: Some(alias),
                    certificate: leaf.map(|_| first),
                    ..key
                });
            }
            2 => {
                let Some(der) = cert(&mut r, version) else {
                    break;
                };
                if let Ok(mut info) = x509::info(der) {
                    info.alias = Some(alias);
                    file.certificates.push(info);
                }
            }
            // JCEKS secret keys are serialized Java objects: nothing after
            // them can be located.
            _ => break,
        }
    }
    Ok(file)
}

/// Decrypts a JKS-protected private key with `password`; `None` unless the
/// key's own check digest confirms it.
fn decrypt_key(protected: &[u8], password: &str) -> Option<Vec<u8>> {
    let (seq, _) = der::expect(protected, der::SEQUENCE)?;
    let (alg, rest) = der::expect(seq.content, der::SEQUENCE)?;
    let (oid, _) = der::expect(alg.content, der::OID)?;
    if oid.content != OID_JKS_KEY_PROTECTOR {
        return None;
    }
    let (data, _) = der::expect(rest, der::OCTET_STRING)?;
    let data = data.content;
    let salt = data.get(..DIGEST_LEN)?;
    let check = data.get(data.len().checked_sub(DIGEST_LEN)?..)?;
    let encrypted = data.get(DIGEST_LEN..data.len() - DIGEST_LEN)?;
    let pw = utf16be(password);
    let mut plain = Vec::with_capacity(encrypted.len());
    let mut digest = salt.to_vec();
    for chunk in encrypted.chunks(DIGEST_LEN) {
        digest = Sha1::new()
            .chain_update(&pw)
            .chain_update(&digest)
            .finalize()
            .to_vec();
        plain.extend(chunk.iter().zip(&digest).map(|(c, k)| c ^ k));
    }
    let ok = Sha1::new()
        .chain_update(&pw)
        .chain_update(&plain)
        .finalize();
    (ok.as_slice() == check).then_some(plain)
}

/// Builds JKS files for tests: the inverse of [`parse`].
#[cfg(test)]
pub(crate) mod build {
    use super::*;

    /// A key entry: alias, key bytes, certificate chain.
    pub(crate) type KeyEntry<'a> = (&'a str, Vec<u8>, Vec<Vec<u8>>);

    fn utf(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u16).to_be_bytes());
        out.extend(s.as_bytes());
    }

    /// Protects a PKCS#8 key the way JKS does.
    pub(crate) fn protect(pkcs8: &[u8], password: &str) -> Vec<u8> {
        let pw = utf16be(password);
        let salt = [7u8; DIGEST_LEN];
        let mut data = salt.to_vec();
        let mut digest = salt.to_vec();
        for chunk in pkcs8.chunks(DIGEST_LEN) {
            digest = Sha1::new()
                .chain_update(&pw)
                .chain_update(&digest)
                .finalize()
                .to_vec();
            data.extend(chunk.iter().zip(&digest).map(|(c, k)| c ^ k));
        }
        data.extend(Sha1::new().chain_update(&pw).chain_update(pkcs8).finalize());
        let oid = [
            &[der::OID, OID_JKS_KEY_PROTECTOR.len() as u8][..],
            OID_JKS_KEY_PROTECTOR,
            &[5, 0],
        ]
        .concat();
        let alg = wrap(der::SEQUENCE, &oid);
        let octets = wrap(der::OCTET_STRING, &data);
        wrap(der::SEQUENCE, &[alg, octets].concat())
    }

    fn wrap(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut v = vec![tag, 0x82];
        v.extend((content.len() as u16).to_be_bytes());
        v.extend(content);
        v
    }

    /// A version-2 store of `magic` with key entries `(alias, protected key,
    /// chain)` and trusted certificates `(alias, der)`.
    pub(crate) fn store(
        magic: u32,
        keys: &[KeyEntry<'_>],
        certs: &[(&str, Vec<u8>)],
        password: &str,
    ) -> Vec<u8> {
        let mut out = magic.to_be_bytes().to_vec();
        out.extend(2u32.to_be_bytes());
        out.extend(((keys.len() + certs.len()) as u32).to_be_bytes());
        for (alias, key, chain) in keys {
            out.extend(1u32.to_be_bytes());
            utf(&mut out, alias);
            out.extend(0u64.to_be_bytes());
            out.extend((key.len() as u32).to_be_bytes());
            out.extend(key);
            out.extend((chain.len() as u32).to_be_bytes());
            for c in chain {
                utf(&mut out, "X.509");
                out.extend((c.len() as u32).to_be_bytes());
                out.extend(c);
            }
        }
        for (alias, c) in certs {
            out.extend(2u32.to_be_bytes());
            utf(&mut out, alias);
            out.extend(0u64.to_be_bytes());
            utf(&mut out, "X.509");
            out.extend((c.len() as u32).to_be_bytes());
            out.extend(c);
        }
        let mut h = Sha1::new();
        h.update(utf16be(password));
        h.update(b"Mighty Aphrodite");
        h.update(&out);
        out.extend(h.finalize());
        out
    }
}
