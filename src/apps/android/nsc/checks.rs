//! Issues in an effective transport policy and in a network security config
//! the platform would refuse.

use super::parse::{parse_date, Problem, ProblemKind, Scope};
use super::policy::{Platform, TransportPolicy, EXPIRY_WARNING_DAYS};
use crate::apps::Issue;
use crate::findings::Severity;

/// Issues in `policies` (base first, as [`super::policy::resolve`] returns
/// them) on `as_of`.
pub fn transport(
    policies: &[TransportPolicy],
    platform: &Platform,
    as_of: time::Date,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    let base = policies.iter().find(|p| p.domain.is_none());
    if let Some(b) = base.filter(|b| b.cleartext_permitted) {
        issues.push(global_cleartext(b, platform));
    }
    let base_cleartext = base.is_some_and(|b| b.cleartext_permitted);
    let base_user = base.is_some_and(trusts_user_cas);
    if let Some(b) = base.filter(|b| trusts_user_cas(b)) {
        issues.push(user_cas(b, platform));
    }
    for p in policies {
        // The base config cannot hold a pin-set.
        let Some(domain) = p.domain.as_deref() else {
            continue;
        };
        if p.cleartext_permitted && !base_cleartext {
            let mut i = Issue::new(
                "android-cleartext-domain",
                &p.entry,
                domain,
                format!(
                    "Cleartext (http://) traffic is permitted to {}: anyone on the network path can read and change it.",
                    scope_label(p)
                ),
            )
            .with_symbol(domain);
            if is_local(domain) {
                i = i.with_severity(Severity::Info);
            }
            issues.push(i);
        }
        if trusts_user_cas(p) && !base_user {
            issues.push(user_cas(p, platform));
        }
        pins(p, domain, as_of, &mut issues);
    }
    issues
}

/// An issue for each reason the platform refuses the file at `entry`.
pub fn problems(problems: &[Problem], entry: &str) -> Vec<Issue> {
    problems
        .iter()
        .map(|p| {
            let (rule, why) = match p.kind {
                ProblemKind::DuplicateDomain => ("android-nsc-duplicate-domain", "a domain may appear once"),
                ProblemKind::InvalidPin => ("android-nsc-invalid-pin", "every pin must be a base64 SHA-256 digest"),
                ProblemKind::Structure => ("android-nsc-rejected", "the file breaks the format"),
            };
            Issue::new(
                rule,
                entry,
                p.value.clone(),
                format!(
                    "Android refuses this network security config ({}: {why}); the app fails to start its networking.",
                    p.message
                ),
            )
        })
        .collect()
}

/// Anchors in debug-overrides of an app that is not debuggable: inert, noted.
pub fn inert_debug_overrides(debug: &Scope, entry: &str) -> Option<Issue> {
    let anchors = debug.trust_anchors.as_ref().filter(|a| !a.is_empty())?;
    let sources: Vec<&str> = anchors.iter().map(|a| a.source.as_str()).collect();
    Some(
        Issue::new(
            "android-nsc-debug-overrides-inert",
            entry,
            sources.join(","),
            format!(
                "debug-overrides trusts {} but the app is not debuggable, so the platform ignores it; a debuggable build of the same code would trust them.",
                sources.join(", ")
            ),
        )
        .with_symbol("debug-overrides"),
    )
}

fn global_cleartext(b: &TransportPolicy, platform: &Platform) -> Issue {
    let (symbol, value, how) = match b.cleartext_from.as_str() {
        "network-security-config" => (
            "base-config",
            "cleartextTrafficPermitted=true",
            "base-config sets cleartextTrafficPermitted=\"true\"".to_string(),
        ),
        "manifest" => (
            "application",
            "android:usesCleartextTraffic=true",
            "the manifest sets android:usesCleartextTraffic=\"true\" and there is no network security config".to_string(),
        ),
        _ => (
            "uses-sdk",
            "targetSdkVersion<=27",
            format!(
                "the app targets API {} and sets nothing else, and apps targeting API 27 or lower permit it by default",
                platform.target_sdk
            ),
        ),
    };
    Issue::new(
        "android-cleartext-global",
        &b.entry,
        value,
        format!(
            "Cleartext (http://) traffic is permitted to every host without its own domain-config: {how}. Anyone on the network path can read and change it."
        ),
    )
    .with_symbol(symbol)
}

fn trusts_user_cas(p: &TransportPolicy) -> bool {
    p.trust_anchors
        .iter()
        .any(|a| !a.debug && a.source == "user")
}

fn user_cas(p: &TransportPolicy, platform: &Platform) -> Issue {
    let label = scope_label(p);
    let default = if platform.trusts_user_cas_by_default() {
        " (apps targeting API 23 or lower trust them by default)"
    } else {
        ""
    };
    Issue::new(
        "android-user-ca-trusted",
        &p.entry,
        p.domain.clone().unwrap_or_else(|| "base-config".into()),
        format!(
            "User-installed CAs are trusted for {label}{default}: a CA the user (or malware, or an MDM) adds lets its holder intercept TLS."
        ),
    )
    .with_symbol(p.domain.clone().unwrap_or_else(|| "base-config".into()))
}

/// The pin-related issues of one policy.
fn pins(p: &TransportPolicy, symbol: &str, as_of: time::Date, issues: &mut Vec<Issue>) {
    if p.pins.is_empty() {
        return;
    }
    let label = scope_label(p);
    let issue =
        |rule, message: String| Issue::new(rule, &p.entry, symbol, message).with_symbol(symbol);
    let expiry = p.pin_expiration.as_deref().and_then(parse_date);
    if !p.pinning_enforced {
        let date = p.pin_expiration.as_deref().unwrap_or_default();
        issues.push(issue(
            "android-pins-expired",
            format!("The pin-set for {label} expired on {date}: Android no longer checks these pins, so pinning is off."),
        ));
        return;
    }
    if let Some(d) = expiry {
        let days = (d - as_of).whole_days();
        if days <= EXPIRY_WARNING_DAYS {
            issues.push(issue(
                "android-pins-expiring",
                format!("The pin-set for {label} expires on {d} ({days} days away); pinning stops then unless an update ships."),
            ));
        }
    }
    if p.pins.len() == 1 {
        issues.push(issue(
            "android-pin-no-backup",
            format!("The pin-set for {label} has a single pin: a key rotation or CA change breaks every connection until an update ships. Add a backup pin."),
        ));
    }
    if let Some(a) = p.trust_anchors.iter().find(|a| a.override_pins && !a.debug) {
        let mut i = issue(
            "android-pins-overridden",
            format!(
                "Pins for {label} are skipped for chains ending at trust anchor \"{}\" (overridePins=\"true\").",
                a.source
            ),
        );
        if a.source == "user" {
            i = i.with_severity(Severity::Medium);
        }
        issues.push(i);
    }
}

fn scope_label(p: &TransportPolicy) -> String {
    match (&p.domain, p.include_subdomains) {
        (None, _) => "every host without its own domain-config".into(),
        (Some(d), true) => format!("{d} and its subdomains"),
        (Some(d), false) => d.clone(),
    }
}

/// Hosts only reachable on the device or from an emulator.
fn is_local(domain: &str) -> bool {
    matches!(domain, "localhost" | "10.0.2.2" | "::1" | "[::1]") || domain.starts_with("127.")
}
