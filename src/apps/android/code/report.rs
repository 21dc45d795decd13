//! Issues and the pinning summary of an app's DEX files.

use std::collections::BTreeSet;

use serde::Serialize;

use super::libraries::OKHTTP;
use super::{CodeFacts, TrustFinding, TrustKind};
use crate::apps::Issue;
use crate::findings::{Confidence, Severity};

/// The pinning set up in an app's code, over all its DEX files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PinningSummary {
    /// Pinning libraries with a call site, sorted.
    pub libraries: Vec<String>,
    /// Pinning libraries with classes in the app, called or not, sorted.
    pub libraries_present: Vec<String>,
    /// Literal hosts passed to pinning calls, sorted.
    pub hosts: Vec<String>,
    /// Literal pins found beside pinning calls (or alone), sorted.
    pub pins: Vec<String>,
    /// Whether a `CertificatePinner` is attached to an OkHttp client anywhere.
    pub okhttp_pinner_attached: bool,
    /// Number of methods that set up pinning.
    pub uses: usize,
}

/// Sums up the pinning facts of every DEX file of an app (`(entry name,
/// facts)` pairs).
pub fn pinning_summary(facts: &[(String, CodeFacts)]) -> PinningSummary {
    let mut libraries = BTreeSet::new();
    let mut present = BTreeSet::new();
    let mut hosts = BTreeSet::new();
    let mut pins = BTreeSet::new();
    let mut summary = PinningSummary::default();
    for (_, f) in facts {
        summary.okhttp_pinner_attached |= f.okhttp_pinner_attached;
        summary.uses += f.pinning.len();
        present.extend(f.pinning_libraries_present.iter().cloned());
        for u in &f.pinning {
            libraries.insert(u.library.clone());
            hosts.extend(u.hosts.iter().cloned());
            pins.extend(u.pins.iter().cloned());
        }
    }
    summary.libraries = libraries.into_iter().collect();
    summary.libraries_present = present.into_iter().collect();
    summary.hosts = hosts.into_iter().collect();
    summary.pins = pins.into_iter().collect();
    summary
}

fn rule_of(kind: TrustKind) -> &'static str {
    match kind {
        TrustKind::TrustAllCertificates => "android-trust-all-certificates",
        TrustKind::HostnameVerifierAcceptsAll | TrustKind::AllowAllHostnameVerifier => {
            "android-hostname-verifier-accepts-all"
        }
        TrustKind::InsecureSocketFactory => "android-insecure-socket-factory",
        TrustKind::WebviewIgnoresSslErrors => "android-webview-ignores-ssl-errors",
    }
}

fn message(t: &TrustFinding) -> String {
    let what = match t.kind {
        TrustKind::TrustAllCertificates => format!(
            "This X509TrustManager accepts any server certificate chain ({}): anyone on the network path can intercept its TLS connections.",
            t.detail
        ),
        TrustKind::HostnameVerifierAcceptsAll => "This HostnameVerifier returns true for every host: a valid certificate for any domain is accepted for this connection.".to_string(),
        TrustKind::AllowAllHostnameVerifier => "This code uses Apache's allow-all hostname verifier: a valid certificate for any domain is accepted.".to_string(),
        TrustKind::InsecureSocketFactory => "SSLCertificateSocketFactory.getInsecure() returns a socket factory that performs no certificate or hostname checks.".to_string(),
        TrustKind::WebviewIgnoresSslErrors => "This WebViewClient proceeds on every TLS error (SslErrorHandler.proceed() with no cancel()): the WebView loads pages over intercepted connections.".to_string(),
    };
    match &t.library {
        Some(lib) => format!(
            "{what} The class is in {lib}'s package: it may be unused or unreachable from the app."
        ),
        None => what,
    }
}

/// Issues for the trust-weakening code and unattached OkHttp pinners of an
/// app's DEX files (`(entry name, facts)` pairs, e.g. `("classes2.dex",
/// …)`). Code in a well-known library's package is reported at medium
/// severity and medium confidence: it is often dead or gated by
/// configuration.
pub fn issues(facts: &[(String, CodeFacts)]) -> Vec<Issue> {
    let mut out = Vec::new();
    for (entry, f) in facts {
        for t in &f.trust {
            let symbol = format!("{}.{}", t.class, t.method);
            let mut issue = Issue::new(rule_of(t.kind), entry.clone(), symbol.clone(), message(t))
                .with_symbol(symbol);
            if t.library.is_some() {
                issue = issue.with_severity(Severity::Medium);
                issue.confidence = Some(Confidence::Medium);
            }
            out.push(issue);
        }
    }
    let attached = facts.iter().any(|(_, f)| f.okhttp_pinner_attached);
    if !attached {
        for (entry, f) in facts {
            for u in f.pinning.iter().filter(|u| u.library == OKHTTP) {
                let symbol = format!("{}.{}", u.class, u.method);
                let hosts = if u.hosts.is_empty() {
                    String::new()
                } else {
                    format!(" (hosts: {})", u.hosts.join(", "))
                };
                out.push(
                    Issue::new(
                        "android-pinning-not-attached",
                        entry.clone(),
                        symbol.clone(),
                        format!(
                            "A CertificatePinner is built here{hosts} but no code calls OkHttpClient.Builder.certificatePinner(): the pins may never be enforced."
                        ),
                    )
                    .with_symbol(symbol),
                );
            }
        }
    }
    out
}
