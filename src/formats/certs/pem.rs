//! PEM text: certificates and private keys between `-----BEGIN …-----` and
//! `-----END …-----` lines, including OpenSSH and OpenPGP armour.

use super::{keys, x509, CertFile, ContainerKind, FormatError, KeyInfo};
use base64::Engine;

/// Blocks read from one file at most.
const MAX_BLOCKS: usize = 256;
const BEGIN: &[u8] = b"-----BEGIN ";

/// What a PEM label holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Certificate,
    /// `RSA`, `EC` or `DSA` legacy private keys.
    Legacy(&'static str),
    Pkcs8,
    EncryptedPkcs8,
    OpenSsh,
    Pgp,
}

pub(crate) fn label(name: &[u8]) -> Option<Label> {
    Some(match name {
        b"CERTIFICATE" | b"X509 CERTIFICATE" | b"TRUSTED CERTIFICATE" => Label::Certificate,
        b"RSA PRIVATE KEY" => Label::Legacy("rsa"),
        b"EC PRIVATE KEY" => Label::Legacy("ec"),
        b"DSA PRIVATE KEY" => Label::Legacy("dsa"),
        b"PRIVATE KEY" => Label::Pkcs8,
        b"ENCRYPTED PRIVATE KEY" => Label::EncryptedPkcs8,
        b"OPENSSH PRIVATE KEY" => Label::OpenSsh,
        b"PGP PRIVATE KEY BLOCK" => Label::Pgp,
        _ => return None,
    })
}

/// The label of the first known block starting in `head`, if any.
pub(crate) fn first_label(head: &[u8]) -> Option<Label> {
    let mut at = 0;
    while let Some(i) = find(head.get(at..)?, BEGIN) {
        let start = at + i + BEGIN.len();
        let rest = head.get(start..)?;
        let end = find(rest, b"-----")?;
        if let Some(l) = rest.get(..end).and_then(label) {
            return Some(l);
        }
        at = start;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// One block: its label, header lines, and decoded body.
struct Block<'a> {
    label: Label,
    headers: Vec<&'a [u8]>,
    body: Vec<u8>,
}

fn blocks(bytes: &[u8]) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while out.len() < MAX_BLOCKS {
        let Some(i) = find(rest, BEGIN) else { break };
        let after = &rest[i + BEGIN.len()..];
        let Some(name_end) = find(after, b"-----") else {
            break;
        };
        let name = &after[..name_end];
        let body_start = &after[name_end + 5..];
        let mut end_marker = b"-----END ".to_vec();
        end_marker.extend_from_slice(name);
        let Some(end) = find(body_start, &end_marker) else {
            break;
        };
        rest = &body_start[end..];
        let Some(label) = label(name) else { continue };
        // OpenPGP armour ends with a `=CRC24` line, skipped below.
        let mut headers = Vec::new();
        let mut b64 = Vec::new();
        for line in body_start[..end].split(|b| *b == b'\n') {
            let line = line.trim_ascii();
            if line.contains(&b':') {
                headers.push(line);
            } else if !(label == Label::Pgp && line.starts_with(b"=")) {
                b64.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
            }
        }
        let body = base64::engine::general_purpose::STANDARD
            .decode(&b64)
            .unwrap_or_default();
        out.push(Block {
            label,
            headers,
            body,
        });
    }
    out
}

/// Reads every certificate and private key block.
pub(crate) fn parse(bytes: &[u8]) -> Result<CertFile, FormatError> {
    let mut file = CertFile::empty(ContainerKind::Pem);
    for block in blocks(bytes) {
        file.entries += 1;
        match block.label {
            Label::Certificate => {
                if let Ok(info) = x509::info(&block.body) {
                    file.certificates.push(info);
                }
            }
            Label::Legacy(kind) => {
                let encrypted = block
                    .headers
                    .iter()
                    .any(|h| h.starts_with(b"Proc-Type") && find(h, b"ENCRYPTED").is_some());
                let key = if encrypted {
                    KeyInfo {
                        format: "pem-encrypted".into(),
                        key_type: Some(kind.into()),
                        encrypted: true,
                        ..KeyInfo::default()
                    }
                } else {
                    keys::from_der(&block.body).unwrap_or_else(|| KeyInfo {
                        format: "pem".into(),
                        key_type: Some(kind.into()),
                        ..KeyInfo::default()
                    })
                };
                file.private_keys.push(key);
            }
            Label::Pkcs8 | Label::EncryptedPkcs8 => {
                let encrypted = block.label == Label::EncryptedPkcs8;
                let key = keys::from_der(&block.body).unwrap_or_else(|| KeyInfo {
                    format: if encrypted {
                        "encrypted-pkcs8"
                    } else {
                        "pkcs8"
                    }
                    .into(),
                    encrypted,
                    ..KeyInfo::default()
                });
                file.private_keys.push(key);
            }
            Label::OpenSsh => file.private_keys.push(openssh(&block.body)),
            Label::Pgp => file.private_keys.push(pgp(&block.body)),
        }
    }
    if file.entries == 0 {
        return Err(FormatError::new(
            "pem",
            "no complete certificate or key block",
        ));
    }
    file.encrypted = file.private_keys.iter().any(|k| k.encrypted);
    Ok(file)
}

/// A length-prefixed SSH string.
fn ssh_string(b: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = usize::try_from(u32::from_be_bytes(b.get(..4)?.try_into().ok()?)).ok()?;
    let end = 4usize.checked_add(len)?;
    Some((b.get(4..end)?, b.get(end..)?))
}

/// `openssh-key-v1`: cipher name, KDF, key count, then the public key blob.
fn openssh(body: &[u8]) -> KeyInfo {
    let mut key = KeyInfo {
        format: "openssh".into(),
        ..KeyInfo::default()
    };
    let Some(rest) = body.strip_prefix(b"openssh-key-v1\0") else {
        return key;
    };
    let parsed = (|| {
        let (cipher, rest) = ssh_string(rest)?;
        let (_kdf, rest) = ssh_string(rest)?;
        let (_kdf_options, rest) = ssh_string(rest)?;
        let rest = rest.get(4..)?;
        let (public, _) = ssh_string(rest)?;
        let (key_type, fields) = ssh_string(public)?;
        Some((cipher != b"none", key_type, fields))
    })();
    if let Some((encrypted, key_type, fields)) = parsed {
        key.encrypted = encrypted;
        let (name, bits) = match key_type {
            b"ssh-rsa" => {
                let n = ssh_string(fields)
                    .and_then(|(_e, r)| ssh_string(r))
                    .map(|(n, _)| n);
                ("rsa", n.map(super::der::bit_len))
            }
            b"ssh-ed25519" => ("ed25519", Some(256)),
            b"ecdsa-sha2-nistp256" => ("ec", Some(256)),
            b"ecdsa-sha2-nistp384" => ("ec", Some(384)),
            b"ecdsa-sha2-nistp521" => ("ec", Some(521)),
            b"ssh-dss" => {
                let p = ssh_string(fields).map(|(p, _)| super::der::bit_len(p));
                ("dsa", p)
            }
            _ => ("unknown", None),
        };
        key.key_type = Some(name.into());
        key.key_bits = bits;
    }
    key
}

/// An OpenPGP secret-key packet: algorithm, and for RSA the modulus size and
/// whether the secret part is protected.
fn pgp(body: &[u8]) -> KeyInfo {
    let mut key = KeyInfo {
        format: "pgp".into(),
        ..KeyInfo::default()
    };
    let Some(&tag) = body.first() else { return key };
    let header = if tag & 0x40 != 0 {
        match body.get(1) {
            Some(&l) if l < 192 => 2,
            Some(&l) if l < 224 => 3,
            Some(&255) => 6,
            _ => return key,
        }
    } else {
        match tag & 0x03 {
            0 => 2,
            1 => 3,
            2 => 5,
            _ => 1,
        }
    };
    // Version 4 key: version, creation time (4), algorithm.
    let Some(packet) = body.get(header..) else {
        return key;
    };
    if packet.first() != Some(&4) {
        return key;
    }
    let algorithm = packet.get(5).copied();
    key.key_type = Some(
        match algorithm {
            Some(1..=3) => "rsa",
            Some(17) => "dsa",
            Some(16 | 20) => "elgamal",
            Some(18 | 19) => "ec",
            Some(22) => "ed25519",
            _ => "unknown",
        }
        .into(),
    );
    if matches!(algorithm, Some(1..=3)) {
        let mpi = |b: &[u8]| -> Option<(u32, usize)> {
            let bits = u32::from(u16::from_be_bytes(b.get(..2)?.try_into().ok()?));
            Some((bits, 2 + usize::try_from(bits.div_ceil(8)).ok()?))
        };
        if let Some((n_bits, n_len)) = packet.get(6..).and_then(mpi) {
            key.key_bits = Some(n_bits);
            let after_n = 6 + n_len;
            if let Some((_, e_len)) = packet.get(after_n..).and_then(mpi) {
                key.encrypted = packet.get(after_n + e_len).is_some_and(|s2k| *s2k != 0);
            }
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn armour(label: &str, body: &[u8]) -> String {
        let b64 = base64::engine::general_purpose::STANDARD.encode(body);
        format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n")
    }

    #[test]
    fn reads_an_openssh_key_header() {
        let s = |b: &[u8]| {
            let mut v = (b.len() as u32).to_be_bytes().to_vec();
            v.extend(b);
            v
        };
        let mut public = s(b"ssh-ed25519");
        public.extend(s(&[7; 32]));
        let mut body = b"openssh-key-v1\0".to_vec();
        body.extend(s(b"aes256-ctr"));
        body.extend(s(b"bcrypt"));
        body.extend(s(b"xx"));
        body.extend(1u32.to_be_bytes());
        body.extend(s(&public));
        let file = parse(armour("OPENSSH PRIVATE KEY", &body).as_bytes()).unwrap();
        let key = &file.private_keys[0];
        assert_eq!(
            (key.format.as_str(), key.key_type.as_deref()),
            ("openssh", Some("ed25519"))
        );
        assert!(key.encrypted && file.encrypted);
    }

    #[test]
    fn reads_a_pgp_rsa_secret_key_packet() {
        // New-format tag 5, length, v4, time, RSA, n (1024 bits), e, s2k 0.
        let mut packet = vec![4, 0, 0, 0, 0, 1, 0x04, 0x00];
        packet.extend([0xff; 128]);
        packet.extend([0x00, 0x11, 0x01, 0x00, 0x01, 0x00]);
        let mut body = vec![0xc5, packet.len() as u8];
        body.extend(&packet);
        let text =
            armour("PGP PRIVATE KEY BLOCK", &body).replace("\n-----END", "\n=abcd\n-----END");
        let file = parse(text.as_bytes()).unwrap();
        let key = &file.private_keys[0];
        assert_eq!(
            (key.key_type.as_deref(), key.key_bits),
            (Some("rsa"), Some(1024))
        );
        assert!(!key.encrypted);
    }

    #[test]
    fn legacy_encrypted_key_and_unknown_labels() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
        let file = parse(text.as_bytes()).unwrap();
        assert_eq!(file.entries, 1);
        assert!(file.private_keys[0].encrypted);
        assert_eq!(file.private_keys[0].format, "pem-encrypted");
        assert!(parse(b"-----BEGIN CERTIFICATE-----\nAAAA\n").is_err());
    }
}
