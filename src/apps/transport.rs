//! Joins endpoint findings with the platform's transport policy: a
//! cleartext URL is reported once, with whether the app's own
//! configuration lets it through.

use super::AppSummary;
use crate::findings::Finding;

/// The rule of cleartext URL findings.
const CLEARTEXT_RULE: &str = "cleartext-http-url";

/// The host of an `http://` or `ws://` URL, lowercase.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host.split(':').next()?,
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Adds the platform's verdict to each cleartext URL finding of `app`:
/// permitted by its configuration (said, with where), or blocked (said,
/// and one severity step lower: the request fails on current OS versions).
pub fn annotate(app: &AppSummary, findings: &mut [Finding]) {
    for f in findings.iter_mut().filter(|f| f.rule_id == CLEARTEXT_RULE) {
        let Some(host) = host_of(&f.value) else {
            continue;
        };
        let Some((permitted, why)) = verdict(app, &host) else {
            continue;
        };
        if permitted {
            f.message
                .push_str(&format!("; {why} permits cleartext to this host"));
        } else {
            f.message.push_str(&format!(
                "; {why} blocks cleartext to this host, so the request fails there"
            ));
            f.severity = f.severity.lower();
        }
    }
}

/// Whether the platform lets cleartext through to `host`, and which
/// setting says so.
fn verdict(app: &AppSummary, host: &str) -> Option<(bool, String)> {
    if let Some(android) = &app.android {
        let policy = android.policy_for_host(host)?;
        let scope = match &policy.domain {
            Some(d) => format!("the domain config for {d}"),
            None => "the base config".to_string(),
        };
        let why = match policy.cleartext_from.as_str() {
            "network-security-config" => format!("{scope} of {} (API 24+)", policy.entry),
            "manifest" => "android:usesCleartextTraffic in the manifest".to_string(),
            _ => "the platform default for this target SDK".to_string(),
        };
        return Some((policy.cleartext_permitted, why));
    }
    let ios = app.ios.as_ref()?;
    let ats = &ios.ats.first()?.policy;
    let domain = ats.domains.iter().filter(|d| d.exception).find(|d| {
        host == d.domain || (d.include_subdomains && host.ends_with(&format!(".{}", d.domain)))
    });
    Some(match domain {
        Some(d) if d.cleartext_allowed => (true, format!("the ATS exception for {}", d.domain)),
        Some(d) => (false, format!("the ATS exception for {}", d.domain)),
        None if ats.arbitrary_loads_effective() => (true, "NSAllowsArbitraryLoads".to_string()),
        None => (false, "App Transport Security".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::apps::android::nsc::policy::TransportPolicy;
    use crate::apps::android::AndroidSummary;
    use crate::findings::{Category, Confidence, Location, Severity};

    fn cleartext(url: &str) -> Finding {
        Finding {
            rule_id: CLEARTEXT_RULE.into(),
            category: Category::Transport,
            severity: Severity::Low,
            confidence: Confidence::High,
            title: "Cleartext URL".into(),
            message: "Cleartext http:// URL".into(),
            artifact: "app.apk".into(),
            location: Location::new(vec!["app.apk".into(), "classes.dex".into()]),
            value: url.into(),
            fingerprint: String::new(),
        }
    }

    #[test]
    fn android_policy_is_joined_per_host() {
        let base = TransportPolicy {
            cleartext_permitted: false,
            cleartext_from: "network-security-config".into(),
            entry: "res/xml/nsc.xml".into(),
            ..TransportPolicy::default()
        };
        let legacy = TransportPolicy {
            domain: Some("legacy.example.com".into()),
            cleartext_permitted: true,
            cleartext_from: "network-security-config".into(),
            entry: "res/xml/nsc.xml".into(),
            ..TransportPolicy::default()
        };
        let app = AppSummary {
            platform: "android".into(),
            android: Some(AndroidSummary {
                transport: vec![base, legacy],
                ..AndroidSummary::default()
            }),
            ..AppSummary::default()
        };
        let mut findings = vec![
            cleartext("http://legacy.example.com/feed"),
            cleartext("http://api.example.com/v1"),
        ];
        annotate(&app, &mut findings);
        assert!(
            findings[0].message.contains("permits cleartext"),
            "{}",
            findings[0].message
        );
        assert!(findings[0]
            .message
            .contains("legacy.example.com of res/xml/nsc.xml"));
        assert_eq!(findings[0].severity, Severity::Low);
        assert!(
            findings[1].message.contains("blocks cleartext"),
            "{}",
            findings[1].message
        );
        assert_eq!(findings[1].severity, Severity::Info);
    }

    #[test]
    fn hosts_of_cleartext_urls() {
        assert_eq!(
            host_of("http://Api.Example.com:8080/x?y").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(
            host_of("ws://user:pw@10.0.0.2/s").as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of("no url"), None);
    }
}
