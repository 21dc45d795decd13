//! Certificates and keys generated for tests (never copied files).

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    PublicKeyData,
};

/// A generated certificate with its key.
pub(crate) struct Identity {
    pub cert_der: Vec<u8>,
    pub cert_pem: String,
    pub key_der: Vec<u8>,
    pub key_pem: String,
    /// The SubjectPublicKeyInfo DER.
    pub spki: Vec<u8>,
}

/// Options of a generated certificate.
#[derive(Default, Clone, Copy)]
pub(crate) struct Spec {
    pub client_auth: bool,
    pub expired: bool,
    pub ca: bool,
}

/// A self-signed ECDSA P-256 certificate named `cn`.
pub(crate) fn identity(cn: &str, spec: Spec) -> Identity {
    let key = KeyPair::generate().expect("key generation");
    let mut params = CertificateParams::new(vec!["api.example.test".to_string()]).expect("params");
    params.distinguished_name.push(DnType::CommonName, cn);
    if spec.client_auth {
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    } else {
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    }
    if spec.expired {
        params.not_before = time::macros::datetime!(2019-01-01 0:00 UTC);
        params.not_after = time::macros::datetime!(2020-01-01 0:00 UTC);
    } else {
        params.not_before = time::macros::datetime!(2024-01-01 0:00 UTC);
        params.not_after = time::macros::datetime!(2040-01-01 0:00 UTC);
    }
    if spec.ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    let cert = params.self_signed(&key).expect("self-signed certificate");
    Identity {
        cert_der: cert.der().to_vec(),
        cert_pem: cert.pem(),
        key_der: key.serialize_der(),
        key_pem: key.serialize_pem(),
        spki: key.subject_public_key_info(),
    }
}

/// A PKCS#12 file holding `id` under `password`, encrypted with `alg`.
pub(crate) fn pkcs12(
    id: &Identity,
    password: &str,
    alg: p12_keystore::EncryptionAlgorithm,
) -> Vec<u8> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let mut store = KeyStore::new();
    let chain = PrivateKeyChain::new(
        b"key-1".as_slice(),
        PrivateKey::from_der(&id.key_der).expect("pkcs8"),
        [Certificate::from_der(&id.cert_der).expect("certificate")],
    );
    store.add_entry("client", KeyStoreEntry::PrivateKeyChain(chain));
    store
        .writer(password)
        .encryption_algorithm(alg)
        .encryption_iterations(2048)
        .mac_iterations(2048)
        .write()
        .expect("pkcs12")
}

/// A JKS store holding `id` as a key entry, store and key password `password`.
pub(crate) fn jks(id: &Identity, password: &str) -> Vec<u8> {
    let protected = super::jks::build::protect(&id.key_der, password);
    super::jks::build::store(
        0xfeed_feed,
        &[("client", protected, vec![id.cert_der.clone()])],
        &[],
        password,
    )
}
