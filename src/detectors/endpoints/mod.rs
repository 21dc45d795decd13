//! Endpoints: URLs, hostnames and IP literals found in any string, and the
//! risky ones reported as findings.
//!
//! [`extract_endpoints`] finds every endpoint in a string without
//! allocating (except to unescape JSON-escaped URLs); [`EndpointDetector`]
//! classifies each one against the rules in `rules.rs`: cleartext URLs,
//! hardcoded addresses, non-production hosts, credentials in queries, cloud
//! storage and database endpoints, and administrative paths. Schema URIs,
//! licence and documentation links and reserved example names are dropped
//! first (`noise.rs`). Endpoints inside well-known third-party SDK classes
//! are reported one severity step lower: apps ship SDK endpoints they do not
//! own. API path templates are joined onto the base URL of their class
//! (`paths.rs`), and `scheme://` URLs of other schemes are kept as custom
//! sightings, which the inventory keeps as deep links when the app declares
//! the scheme.

mod classify;
mod cloud;
mod extract;
mod host;
mod inventory;
mod noise;
mod paths;
mod rules;

pub use extract::{extract_endpoints, Endpoint, EndpointKind, Scheme};
pub use inventory::{
    registrable_domain, EndpointRecord, Inventory, Party, Seen, Sighting, MAX_PATHS,
};
pub use paths::{api_path, PathJoiner};

use crate::detectors::{Detector, Match};
use crate::findings::RuleInfo;
use crate::formats::ScannedString;
use classify::{classify, Hit};
use rules::Rule;

/// Java package prefixes of widely used third-party SDKs and platform
/// libraries.
const SDK_PREFIXES: &[&str] = &[
    "android.",
    "androidx.",
    "bolts.",
    "com.adjust.",
    "com.airbnb.",
    "com.amazon.",
    "com.amazonaws.",
    "com.amplitude.",
    "com.android.",
    "com.appboy.",
    "com.applovin.",
    "com.appsflyer.",
    "com.braintreepayments.",
    "com.braze.",
    "com.bumptech.",
    "com.bytedance.",
    "com.chartboost.",
    "com.crashlytics.",
    "com.facebook.",
    "com.fasterxml.",
    "com.google.",
    "com.huawei.",
    "com.inmobi.",
    "com.ironsource.",
    "com.microsoft.",
    "com.mixpanel.",
    "com.mopub.",
    "com.onesignal.",
    "com.paypal.",
    "com.revenuecat.",
    "com.segment.",
    "com.squareup.",
    "com.stripe.",
    "com.tencent.",
    "com.twitter.",
    "com.unity3d.",
    "com.vungle.",
    "dagger.",
    "io.branch.",
    "io.fabric.",
    "io.flutter.",
    "io.grpc.",
    "io.invertase.",
    "io.reactivex.",
    "io.sentry.",
    "java.",
    "javax.",
    "kotlin.",
    "kotlinx.",
    "okhttp3.",
    "okio.",
    "org.apache.",
    "org.bouncycastle.",
    "org.chromium.",
    "org.json.",
    "org.jsoup.",
    "org.webrtc.",
    "retrofit2.",
];

/// Whether a symbol is a class of a well-known third-party SDK.
fn is_sdk_symbol(symbol: Option<&str>) -> bool {
    symbol.is_some_and(|s| SDK_PREFIXES.iter().any(|p| s.starts_with(p)))
}

/// The detector for the endpoint rules.
#[derive(Debug, Clone)]
pub struct EndpointDetector {
    infos: Vec<RuleInfo>,
}

impl Default for EndpointDetector {
    fn default() -> Self {
        EndpointDetector {
            infos: Rule::ALL.iter().map(|r| r.info()).collect(),
        }
    }
}

impl EndpointDetector {
    /// The detector with every endpoint rule.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Detector for EndpointDetector {
    fn rules(&self) -> &[RuleInfo] {
        &self.infos
    }

    fn detect(&self, s: &ScannedString<'_>, out: &mut Vec<Match>) {
        self.scan(s, out, None)
    }

    fn detect_with_inventory(
        &self,
        s: &ScannedString<'_>,
        out: &mut Vec<Match>,
        inventory: &mut Vec<Sighting>,
    ) {
        self.scan(s, out, Some(inventory))
    }
}

impl EndpointDetector {
    /// Classifies every endpoint in `s`, adding each to `inventory` if given.
    fn scan(
        &self,
        s: &ScannedString<'_>,
        out: &mut Vec<Match>,
        mut inventory: Option<&mut Vec<Sighting>>,
    ) {
        // Every endpoint has a `.` or a `:`; most strings have neither.
        if !s.text.iter().any(|&b| b == b'.' || b == b':') {
            return;
        }
        let version_context = s
            .context
            .is_some_and(|c| c.to_ascii_lowercase().contains("version"));
        // A manifest's `package` (`dev.example.shop`) reads like a host.
        let package_context = s.context == Some("package");
        let sdk = is_sdk_symbol(s.symbol);
        let mut hits: Vec<Hit> = Vec::new();
        for ep in extract_endpoints(s.text) {
            if version_context && ep.kind == EndpointKind::Ip
                || package_context && ep.kind == EndpointKind::Host
            {
                continue;
            }
            if let Some(inventory) = inventory.as_deref_mut() {
                inventory.extend(Sighting::of(&ep));
            }
            classify(&ep, &mut hits);
        }
        let first = out.len();
        for hit in hits {
            let rule = hit.rule.doc();
            let duplicate = out[first..]
                .iter()
                .any(|m| m.rule_id == rule.id && m.value == hit.value);
            if duplicate {
                continue;
            }
            let mut severity = hit.severity.unwrap_or(rule.severity);
            let mut message = hit.message;
            if sdk {
                severity = severity.lower();
                message.push_str(" in third-party SDK code");
            }
            out.push(Match {
                rule_id: rule.id.to_string(),
                value: hit.value,
                message,
                severity: (severity != rule.severity).then_some(severity),
                confidence: None,
            });
        }
    }
}

#[cfg(test)]
mod tests;
