//! X.509 certificate facts, read with `x509-parser`.

use super::der;
use super::{CertInfo, FormatError};
use base64::Engine;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

/// Reads one DER certificate (trailing bytes are ignored).
pub(crate) fn info(der_bytes: &[u8]) -> Result<CertInfo, FormatError> {
    let (_, cert) = X509Certificate::from_der(der_bytes)
        .map_err(|e| FormatError::new("x509", e.to_string()))?;
    let encoded = der::read(der_bytes).map_or(der_bytes, |(t, _)| t.raw);
    let spki = cert.public_key();
    let (key_type, public_id) = match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => (
            "rsa".to_string(),
            Some(der::strip_zeros(rsa.modulus).to_vec()),
        ),
        Ok(PublicKey::EC(ec)) => ("ec".to_string(), Some(ec.data().to_vec())),
        Ok(PublicKey::DSA(y)) => ("dsa".to_string(), Some(der::strip_zeros(y).to_vec())),
        _ => (algorithm_name(&spki.algorithm.algorithm), None),
    };
    let key_bits = key_bits(&cert, &key_type);
    let key_type: String = key_type;
    let eku = cert.extended_key_usage().ok().flatten().map(|e| e.value);
    let mut eku_names = Vec::new();
    let mut client_auth = false;
    if let Some(eku) = eku {
        client_auth = eku.client_auth || eku.any;
        let flags = [
            (eku.any, "any"),
            (eku.server_auth, "serverAuth"),
            (eku.client_auth, "clientAuth"),
            (eku.code_signing, "codeSigning"),
            (eku.email_protection, "emailProtection"),
            (eku.time_stamping, "timeStamping"),
            (eku.ocsp_signing, "OCSPSigning"),
        ];
        eku_names.extend(
            flags
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, n)| n.to_string()),
        );
        eku_names.extend(eku.other.iter().map(|o| o.to_id_string()));
    }
    let validity = cert.validity();
    let not_after = validity.not_after.to_datetime();
    Ok(CertInfo {
        alias: None,
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: rfc3339(validity.not_before.to_datetime()),
        not_after: rfc3339(not_after),
        self_signed: cert.subject().as_raw() == cert.issuer().as_raw(),
        key_type,
        key_bits,
        signature_algorithm: algorithm_name(&cert.signature_algorithm.algorithm),
        eku: eku_names,
        client_auth,
        is_ca: cert.is_ca(),
        sha256: hex(&Sha256::digest(encoded)),
        spki_sha256_base64: base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(spki.raw)),
        not_after_date: Some(not_after.date()),
        public_id,
    })
}

fn key_bits(cert: &X509Certificate<'_>, key_type: &str) -> u32 {
    let spki = cert.public_key();
    if key_type == "ec" {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| super::keys::curve_bits(p.data));
        if let Some(bits) = curve {
            return bits;
        }
    }
    if key_type == "dsa" {
        // DSA strength is the size of p, carried in the parameters.
        let p = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| der::expect(p.data, der::INTEGER))
            .map(|(p, _)| der::bit_len(p.content));
        if let Some(bits) = p {
            return bits;
        }
    }
    spki.parsed()
        .map(|k| u32::try_from(k.key_size()).unwrap_or(0))
        .unwrap_or(0)
}

fn algorithm_name(oid: &x509_parser::der_parser::oid::Oid<'_>) -> String {
    match x509_parser::objects::oid2sn(oid, x509_parser::objects::oid_registry()) {
        Ok(name) => name.to_string(),
        Err(_) => match oid.as_bytes() {
            [0x2b, 0x65, 0x70] => "ed25519".into(),
            [0x2b, 0x65, 0x71] => "ed448".into(),
            _ => oid.to_id_string(),
        },
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_else(|_| t.date().to_string())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
