//! Certificates, private keys and keystores recognised by content: PEM,
//! DER X.509 and private keys, PKCS#12, JKS, JCEKS, BKS and UBER.
//!
//! [`sniff`] is a few byte checks cheap enough to run on every archive
//! entry; [`parse`] reads what can be read without a password;
//! [`recover_password`] tries common defaults and candidate strings against
//! a keystore's integrity check, and [`parse_with_password`] opens it.
//! [`find_embedded`] locates DER structures inside larger binaries, and
//! [`decode_wrapped`] unwraps base64 strings holding such files.

mod bks;
mod der;
mod embedded;
mod jks;
mod keys;
mod pem;
mod pkcs12;
mod recover;
mod signing;
mod sniff;
mod wrapped;
mod x509;

pub use embedded::{find_embedded, Embedded};
pub use recover::{recover_password, DEFAULT_PASSWORDS};
pub use signing::signing_info;
pub use sniff::{is_signed_data, sniff};
pub use wrapped::decode_wrapped;

use super::FormatError;
use serde::{Deserialize, Serialize};

/// What kind of certificate, key or keystore file an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContainerKind {
    /// PEM text: certificates and/or private keys (RSA, EC, PKCS#8,
    /// encrypted PKCS#8, OpenSSH, PGP).
    Pem,
    /// A DER X.509 certificate.
    DerCertificate,
    /// A DER private key (PKCS#1 RSA, SEC1 EC, PKCS#8 or encrypted PKCS#8).
    DerPrivateKey,
    /// PKCS#12 / PFX.
    Pkcs12,
    /// Java KeyStore.
    Jks,
    /// Java Cryptography Extension KeyStore.
    Jceks,
    /// Bouncy Castle keystore (BKS-V1 or BKS).
    Bks,
    /// Bouncy Castle UBER keystore (wholly encrypted).
    Uber,
}

impl ContainerKind {
    /// Lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ContainerKind::Pem => "pem",
            ContainerKind::DerCertificate => "der-certificate",
            ContainerKind::DerPrivateKey => "der-private-key",
            ContainerKind::Pkcs12 => "pkcs12",
            ContainerKind::Jks => "jks",
            ContainerKind::Jceks => "jceks",
            ContainerKind::Bks => "bks",
            ContainerKind::Uber => "uber",
        }
    }

    /// Whether this kind is a password-protected keystore.
    pub fn is_keystore(self) -> bool {
        matches!(
            self,
            ContainerKind::Pkcs12
                | ContainerKind::Jks
                | ContainerKind::Jceks
                | ContainerKind::Bks
                | ContainerKind::Uber
        )
    }
}

/// What a certificate, key or keystore file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertFile {
    pub kind: ContainerKind,
    /// Certificates that could be read (all of them once the password is known).
    pub certificates: Vec<CertInfo>,
    /// Private keys present (encrypted ones included, with what is known).
    pub private_keys: Vec<KeyInfo>,
    /// Whether opening the file (or a key in it) needs a password.
    pub encrypted: bool,
    /// Whether the keystore password was checked (recovered or given).
    pub password_verified: bool,
    /// Number of entries the file declares (keystore entries, PEM blocks).
    pub entries: usize,
}

/// One X.509 certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertInfo {
    /// Keystore alias, when the certificate came from a keystore entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    pub subject: String,
    pub issuer: String,
    /// Serial number, colon-separated hex.
    pub serial: String,
    /// RFC 3339.
    pub not_before: String,
    /// RFC 3339.
    pub not_after: String,
    /// Subject and issuer names are equal.
    pub self_signed: bool,
    /// `rsa`, `ec`, `ed25519`, `dsa` or the algorithm's OID.
    pub key_type: String,
    /// Public key size in bits (0 when unknown).
    pub key_bits: u32,
    pub signature_algorithm: String,
    /// Extended key usages (`serverAuth`, `clientAuth`, … or OIDs).
    pub eku: Vec<String>,
    /// The EKU allows TLS client authentication.
    pub client_auth: bool,
    /// Basic constraints say CA.
    pub is_ca: bool,
    /// SHA-256 of the DER certificate, lower-case hex.
    pub sha256: String,
    /// Base64 SHA-256 of the SubjectPublicKeyInfo: the pin form
    /// (`sha256/…` in Android pin-sets and most pinning libraries).
    pub spki_sha256_base64: String,
    /// The validity end, for expiry checks.
    #[serde(skip)]
    pub not_after_date: Option<time::Date>,
    /// Public key bytes (RSA modulus, EC point) to pair with private keys.
    #[serde(skip)]
    pub(crate) public_id: Option<Vec<u8>>,
}

/// One private key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// Keystore alias, when the key came from a keystore entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// Encoding: `pkcs1`, `sec1`, `pkcs8`, `encrypted-pkcs8`,
    /// `pem-encrypted`, `openssh`, `pgp`, `keystore-entry`.
    pub format: String,
    /// `rsa`, `ec`, `ed25519`, `dsa`, … when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_type: Option<String>,
    /// Key size in bits, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_bits: Option<u32>,
    /// The key itself is encrypted (and not decrypted here).
    pub encrypted: bool,
    /// Index in [`CertFile::certificates`] of the certificate this key
    /// belongs to (same public key, or the leaf of its keystore chain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<usize>,
    #[serde(skip)]
    pub(crate) public_id: Option<Vec<u8>>,
}

/// Reads a file of kind [`sniff`] reports without a password: everything in
/// PEM and DER files, the plain certificates of JKS/JCEKS/BKS, a PKCS#12 only
/// when its password is empty.
pub fn parse(bytes: &[u8]) -> Result<CertFile, FormatError> {
    open(bytes, None)
}

/// Reads a file with its keystore password: a PKCS#12's contents, and the
/// store's integrity is checked (an error when the password is wrong).
pub fn parse_with_password(bytes: &[u8], password: &str) -> Result<CertFile, FormatError> {
    open(bytes, Some(password))
}

fn open(bytes: &[u8], password: Option<&str>) -> Result<CertFile, FormatError> {
    let kind = sniff(bytes)
        .ok_or_else(|| FormatError::new(FORMAT, "not a certificate, key or keystore"))?;
    let mut file = match kind {
        ContainerKind::Pem => pem::parse(bytes)?,
        ContainerKind::DerCertificate => CertFile {
            certificates: vec![x509::info(bytes)?],
            entries: 1,
            ..CertFile::empty(kind)
        },
        ContainerKind::DerPrivateKey => {
            let key = keys::from_der(bytes)
                .ok_or_else(|| FormatError::new(FORMAT, "unreadable private key"))?;
            CertFile {
                encrypted: key.encrypted,
                private_keys: vec![key],
                entries: 1,
                ..CertFile::empty(kind)
            }
        }
        ContainerKind::Pkcs12 => pkcs12::parse(bytes, password)?,
        ContainerKind::Jks | ContainerKind::Jceks => jks::parse(bytes, kind, password)?,
        ContainerKind::Bks => bks::parse(bytes, password)?,
        ContainerKind::Uber => {
            if password.is_some() {
                return Err(FormatError::new(FORMAT, "UBER keystores cannot be opened"));
            }
            CertFile {
                encrypted: true,
                ..CertFile::empty(kind)
            }
        }
    };
    file.pair_keys();
    Ok(file)
}

const FORMAT: &str = "certificate";

impl CertFile {
    fn empty(kind: ContainerKind) -> Self {
        CertFile {
            kind,
            certificates: Vec::new(),
            private_keys: Vec::new(),
            encrypted: false,
            password_verified: false,
            entries: 0,
        }
    }

    /// Links each private key without a certificate to the certificate with
    /// the same public key; a lone key and a lone certificate are a pair.
    fn pair_keys(&mut self) {
        let single = self.certificates.len() == 1 && self.private_keys.len() == 1;
        for key in &mut self.private_keys {
            if key.certificate.is_some() {
                continue;
            }
            key.certificate = match &key.public_id {
                Some(id) => self
                    .certificates
                    .iter()
                    .position(|c| c.public_id.as_ref() == Some(id)),
                None => single.then_some(0),
            };
        }
    }
}

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
