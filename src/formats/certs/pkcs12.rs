//! PKCS#12 / PFX, opened with `p12-keystore` (PBES2 with AES, and the
//! legacy PKCS#12 PBE schemes: 3DES, RC2).

use super::der::{self, INTEGER, OCTET_STRING, SEQUENCE};
use super::{keys, x509, CertFile, ContainerKind, FormatError};
use p12_keystore::Pkcs12Archive;

fn err(message: String) -> FormatError {
    FormatError::new("pkcs12", message)
}

/// The MAC iteration count, when the file has a MAC (`None` without one).
pub(crate) fn mac_iterations(bytes: &[u8]) -> Option<u64> {
    let (pfx, _) = der::expect(bytes, SEQUENCE)?;
    let (_, rest) = der::expect(pfx.content, INTEGER)?;
    let (_, rest) = der::expect(rest, SEQUENCE)?;
    let (mac_data, _) = der::expect(rest, SEQUENCE)?;
    let (_, rest) = der::expect(mac_data.content, SEQUENCE)?;
    let (_, rest) = der::expect(rest, OCTET_STRING)?;
    match der::expect(rest, INTEGER) {
        Some((n, _)) => der::small_uint(n.content),
        None => Some(1),
    }
}

/// Whether `password` opens the file (MAC and encrypted bags).
pub(crate) fn verify(bytes: &[u8], password: &str) -> bool {
    Pkcs12Archive::from_pkcs12(bytes, password).is_ok()
}

/// Reads the bags with `password`, or the empty password when none is given
/// (contents stay unread when it is not the password).
pub(crate) fn parse(bytes: &[u8], password: Option<&str>) -> Result<CertFile, FormatError> {
    let mut file = CertFile {
        encrypted: true,
        ..CertFile::empty(ContainerKind::Pkcs12)
    };
    let archive = match Pkcs12Archive::from_pkcs12(bytes, password.unwrap_or("")) {
        Ok(a) => a,
        Err(e) if password.is_some() => return Err(err(e.to_string())),
        Err(_) => return Ok(file),
    };
    file.password_verified = true;
    file.entries = archive.keys.len() + archive.certs.len() + archive.secrets.len();
    let mut key_ids = Vec::new();
    for bag in &archive.certs {
        if let Ok(mut info) = x509::info(bag.cert.as_der()) {
            info.alias = bag.friendly_name.clone();
            key_ids.push(bag.local_key_id.clone());
            file.certificates.push(info);
        }
    }
    for bag in &archive.keys {
        let mut key = keys::from_der(bag.key.as_der()).unwrap_or_default();
        key.alias = bag.friendly_name.clone();
        let id = bag.local_key_id.as_ref().map(|k| k.as_ref().to_vec());
        key.certificate = id.and_then(|id| key_ids.iter().position(|k| k.as_ref() == Some(&id)));
        file.private_keys.push(key);
    }
    Ok(file)
}
