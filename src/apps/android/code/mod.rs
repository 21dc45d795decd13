//! Trust and pinning in DEX bytecode: TrustManagers and HostnameVerifiers
//! that accept everything, WebViews that ignore TLS errors, and the pinning
//! libraries an app calls, read from the instructions rather than from
//! decompiled source.
//!
//! What survives obfuscation: platform types (`javax/net/ssl/*`,
//! `android/webkit/*`, `android/net/*`) and their member names keep their
//! names, so trust-all TrustManagers, constant-true HostnameVerifiers,
//! `getInsecure` and `onReceivedSslError` handlers are found in minified
//! apps too (an obfuscated `onReceivedSslError` override keeps its name,
//! since it overrides a framework method). Library classes (OkHttp, TrustKit,
//! Cronet, …) may be renamed by R8; their calls are then invisible, but
//! OkHttp-style pin literals (`sha256/…`) are strings and are still reported,
//! under [`libraries::UNKNOWN`]. Superclasses and interfaces are followed only
//! within one DEX file; a TrustManager whose superclass lives in another DEX
//! is missed unless it implements the interface itself.

mod bytecode;
mod libraries;
mod lookup;
mod report;
mod scan;
mod trust;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::formats::FormatError;

pub use report::{issues, pinning_summary, PinningSummary};

/// What trust-weakening code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrustKind {
    /// An `X509TrustManager.checkServerTrusted` that accepts every chain.
    TrustAllCertificates,
    /// A `HostnameVerifier.verify` that returns `true` for every host.
    HostnameVerifierAcceptsAll,
    /// Use of Apache's `ALLOW_ALL_HOSTNAME_VERIFIER`,
    /// `AllowAllHostnameVerifier` or `NoopHostnameVerifier`.
    AllowAllHostnameVerifier,
    /// A call to `SSLCertificateSocketFactory.getInsecure`.
    InsecureSocketFactory,
    /// An `onReceivedSslError` that calls `SslErrorHandler.proceed()` and
    /// neither `cancel()` nor another `onReceivedSslError` (such as
    /// `super`'s, which cancels): proceeding is then unconditional.
    WebviewIgnoresSslErrors,
}

/// One method that weakens TLS trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustFinding {
    pub kind: TrustKind,
    /// Java name of the class, e.g. `com.example.net.TrustAll`.
    pub class: String,
    /// The method holding the code, e.g. `checkServerTrusted`.
    pub method: String,
    /// How the code weakens trust, in a few words.
    pub detail: String,
    /// The well-known library whose package holds the class, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
}

/// One method that sets up certificate pinning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinningUse {
    /// The pinning library: `OkHttp`, `Cronet`, `TrustKit`, … or
    /// `unknown (pin literals)` for pin strings without a recognised call.
    pub library: String,
    /// Java name of the calling class.
    pub class: String,
    pub method: String,
    /// Host names passed to the pinning call as literals.
    pub hosts: Vec<String>,
    /// Pin literals in the method (`sha256/…`, or bare base64 SHA-256 for
    /// libraries other than OkHttp).
    pub pins: Vec<String>,
    /// The well-known library whose package holds the calling class, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_library: Option<String>,
}

/// The trust and pinning facts of one DEX file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CodeFacts {
    pub trust: Vec<TrustFinding>,
    pub pinning: Vec<PinningUse>,
    /// Pinning libraries with classes in this file, called or not.
    pub pinning_libraries_present: Vec<String>,
    /// Whether code outside OkHttp attaches a `CertificatePinner` to a client
    /// (`OkHttpClient.Builder.certificatePinner`, OkHttp 2's
    /// `setCertificatePinner`).
    pub okhttp_pinner_attached: bool,
    /// Class definitions read.
    pub classes_visited: u32,
    /// What could not be read (limits reached, malformed items), if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incomplete: Option<String>,
}

/// Reads the trust and pinning facts of one DEX file in a single bounded
/// pass over its class definitions and code items. Fails only when the
/// header is unusable; unreadable classes or code are skipped and named in
/// [`CodeFacts::incomplete`].
pub fn analyze_dex(bytes: &[u8]) -> Result<CodeFacts, FormatError> {
    scan::analyze(bytes)
}
