//! The effective transport policy per domain, resolved the way
//! `NetworkSecurityConfig.Builder` inherits: a `domain-config` takes what it
//! leaves unset from its enclosing `domain-config`, then `base-config`, then
//! the platform default (`NetworkSecurityConfig.getDefaultBuilder`).

use super::parse::{Anchor, Document, Pin, Scope};
use serde::Serialize;

/// Deepest parent chain followed (the parser caps nesting lower).
const MAX_CHAIN: usize = 64;
/// Pins expiring within this many days are reported.
pub const EXPIRY_WARNING_DAYS: i64 = 90;

/// The app facts the platform default depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// `targetSdkVersion` (or `minSdkVersion` when absent).
    pub target_sdk: u32,
    /// `android:debuggable`: only then do debug overrides apply.
    pub debuggable: bool,
}

impl Platform {
    /// Apps targeting API 27 or lower permit cleartext by default.
    pub fn cleartext_default(&self) -> bool {
        self.target_sdk <= 27
    }

    /// Apps targeting API 23 or lower trust user-installed CAs by default.
    pub fn trusts_user_cas_by_default(&self) -> bool {
        self.target_sdk <= 23
    }
}

/// The policy Android applies to one domain (or, for `domain: null`, to
/// every host no domain-config matches).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TransportPolicy {
    /// The domain; `null` for the base config.
    pub domain: Option<String>,
    pub include_subdomains: bool,
    pub cleartext_permitted: bool,
    /// Where `cleartext_permitted` comes from: `network-security-config`,
    /// `manifest` (`android:usesCleartextTraffic`) or `default` (targetSdk).
    pub cleartext_from: String,
    pub trust_anchors: Vec<TrustAnchor>,
    /// Pins checked for the domain, even when expired.
    pub pins: Vec<Pin>,
    /// The pin-set's `expiration` as written.
    pub pin_expiration: Option<String>,
    /// Whether pins are checked: there are pins and they have not expired.
    pub pinning_enforced: bool,
    /// The `certificateTransparency` setting; `null` for the platform default.
    pub certificate_transparency: Option<bool>,
    /// The entry the policy is read from (the network security config, or the
    /// manifest when the app has none).
    pub entry: String,
}

/// One trusted CA source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustAnchor {
    /// `system`, `user`, `wfa`, or the entry name of a bundled certificate.
    pub source: String,
    /// Whether chains to this anchor skip pin checks.
    pub override_pins: bool,
    /// Added by `debug-overrides` (the app is debuggable).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub debug: bool,
}

impl TrustAnchor {
    fn from(a: &Anchor, debug: bool) -> Self {
        TrustAnchor {
            source: a.source.clone(),
            override_pins: a.override_pins,
            debug,
        }
    }
}

/// The policy of an app without a network security config (or on API 23,
/// which has none): the manifest flag decides cleartext.
pub fn without_config(
    platform: &Platform,
    uses_cleartext_traffic: Option<bool>,
    entry: &str,
) -> TransportPolicy {
    let (cleartext_permitted, from) = match uses_cleartext_traffic {
        Some(v) => (v, "manifest"),
        None => (platform.cleartext_default(), "default"),
    };
    TransportPolicy {
        cleartext_permitted,
        cleartext_from: from.into(),
        trust_anchors: default_anchors(platform, &[]),
        entry: entry.into(),
        ..TransportPolicy::default()
    }
}

/// The policy per domain of `doc` (read from `entry`): the base config
/// first, then one record per domain in document order. `debug` is the
/// debug-overrides scope, given only when the app is debuggable.
pub fn resolve(
    doc: &Document,
    debug: Option<&Scope>,
    platform: &Platform,
    entry: &str,
    as_of: time::Date,
) -> Vec<TransportPolicy> {
    let debug_anchors: Vec<TrustAnchor> = debug
        .and_then(|d| d.trust_anchors.as_ref())
        .map(|a| a.iter().map(|a| TrustAnchor::from(a, true)).collect())
        .unwrap_or_default();
    let ctx = Ctx {
        doc,
        platform,
        debug_anchors,
        entry,
        as_of,
    };
    let mut out = vec![ctx.policy(&[], None, false)];
    for (i, scope) in doc.domain_configs.iter().enumerate() {
        let chain = ctx.chain(i);
        for d in &scope.domains {
            out.push(ctx.policy(&chain, Some(d.name.clone()), d.include_subdomains));
        }
    }
    out
}

struct Ctx<'a> {
    doc: &'a Document,
    platform: &'a Platform,
    debug_anchors: Vec<TrustAnchor>,
    entry: &'a str,
    as_of: time::Date,
}

impl Ctx<'_> {
    /// Domain-config `i` and its enclosing domain-configs, innermost first.
    fn chain(&self, i: usize) -> Vec<&Scope> {
        let mut chain = Vec::new();
        let mut next = Some(i);
        while let Some(i) = next {
            let Some(s) = self.doc.domain_configs.get(i) else {
                break;
            };
            if chain.len() >= MAX_CHAIN {
                break;
            }
            chain.push(s);
            // Parents precede children, so this always moves up.
            next = s.parent.filter(|&p| p < i);
        }
        chain
    }

    fn policy(
        &self,
        chain: &[&Scope],
        domain: Option<String>,
        include_subdomains: bool,
    ) -> TransportPolicy {
        let scopes: Vec<&Scope> = chain
            .iter()
            .copied()
            .chain(self.doc.base.as_ref())
            .collect();
        let (cleartext_permitted, cleartext_from) = match scopes.iter().find_map(|s| s.cleartext) {
            Some(v) => (v, "network-security-config"),
            None => (self.platform.cleartext_default(), "default"),
        };
        // Debug anchors are added to every config that has its own anchors,
        // and to the platform default (XmlConfigSource.addDebugAnchorsIfNeeded).
        let trust_anchors = match scopes.iter().find_map(|s| s.trust_anchors.as_ref()) {
            Some(own) => own
                .iter()
                .map(|a| TrustAnchor::from(a, false))
                .chain(self.debug_anchors.iter().cloned())
                .collect(),
            None => default_anchors(self.platform, &self.debug_anchors),
        };
        let pin_set = scopes.iter().find_map(|s| s.pin_set.as_ref());
        let pins = pin_set.map(|p| p.pins.clone()).unwrap_or_default();
        let expired = pin_set
            .and_then(|p| p.expiration)
            .is_some_and(|d| self.as_of >= d);
        TransportPolicy {
            domain,
            include_subdomains,
            cleartext_permitted,
            cleartext_from: cleartext_from.into(),
            trust_anchors,
            pinning_enforced: !pins.is_empty() && !expired,
            pins,
            pin_expiration: pin_set.and_then(|p| p.expiration_text.clone()),
            certificate_transparency: scopes.iter().find_map(|s| s.certificate_transparency),
            entry: self.entry.into(),
        }
    }
}

/// The platform default anchors: system CAs, user CAs for apps targeting
/// API 23 or lower, plus any debug anchors.
fn default_anchors(platform: &Platform, debug: &[TrustAnchor]) -> Vec<TrustAnchor> {
    let mut anchors = vec![TrustAnchor {
        source: "system".into(),
        override_pins: false,
        debug: false,
    }];
    if platform.trusts_user_cas_by_default() {
        anchors.push(TrustAnchor {
            source: "user".into(),
            override_pins: false,
            debug: false,
        });
    }
    anchors.extend(debug.iter().cloned());
    anchors
}

/// The policy Android applies to `host` (`ApplicationConfig.getConfigForHostname`):
/// an exact domain wins, else the longest `includeSubdomains` suffix, else
/// the base config (the record without a domain).
pub fn for_host<'a>(policies: &'a [TransportPolicy], host: &str) -> Option<&'a TransportPolicy> {
    let host = host.to_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    let mut best: Option<&TransportPolicy> = None;
    for p in policies {
        let Some(d) = p.domain.as_deref() else {
            continue;
        };
        if d == host {
            return Some(p);
        }
        let below = host.strip_suffix(d).is_some_and(|rest| rest.ends_with('.'));
        if p.include_subdomains
            && below
            && best.is_none_or(|b| b.domain.as_deref().map_or(0, str::len) < d.len())
        {
            best = Some(p);
        }
    }
    best.or_else(|| policies.iter().find(|p| p.domain.is_none()))
}

/// Domains whose pins are enforced (match hosts against them with
/// [`for_host`], which knows `includeSubdomains`).
pub fn pinned_domains(policies: &[TransportPolicy]) -> Vec<String> {
    policies
        .iter()
        .filter(|p| p.pinning_enforced)
        .filter_map(|p| p.domain.clone())
        .collect()
}
