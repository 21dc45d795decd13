//! Missing pinning: one finding per app that talks HTTPS to its own
//! backends with no pinning in configuration or code.
//!
//! Pinning protects the channel, not the backend, so this is information by
//! default: a layer that is absent, not a hole.

use super::{AppSummary, Issue};

/// Hosts listed in the message at most.
const MAX_HOSTS: usize = 10;

/// The missing-pinning issue of an app whose summary is `app` and whose own
/// HTTPS hosts are `own_hosts`, when it pins nothing.
pub fn missing(app: &AppSummary, own_hosts: &[String]) -> Option<Issue> {
    if app.pins || own_hosts.is_empty() {
        return None;
    }
    let rule = match app.platform.as_str() {
        "android" => "android-pinning-missing",
        "ios" => "ios-pinning-missing",
        _ => return None,
    };
    let mut hosts = own_hosts.to_vec();
    hosts.sort();
    hosts.dedup();
    let shown: Vec<&str> = hosts.iter().take(MAX_HOSTS).map(String::as_str).collect();
    let more = hosts.len().saturating_sub(MAX_HOSTS);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(Issue::new(
        rule,
        "",
        hosts.join(","),
        format!(
            "The app talks HTTPS to its own backend ({}{more}) but pins no certificate or key in configuration or code.",
            shown.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(platform: &str, pins: bool) -> AppSummary {
        AppSummary {
            platform: platform.into(),
            pins,
            ..AppSummary::default()
        }
    }

    #[test]
    fn reported_only_without_pins_and_with_own_hosts() {
        let hosts = vec!["api.example.com".to_string()];
        let issue = missing(&app("android", false), &hosts).unwrap();
        assert_eq!(issue.rule_id, "android-pinning-missing");
        assert!(issue.message.contains("api.example.com"));
        assert_eq!(
            missing(&app("ios", false), &hosts).unwrap().rule_id,
            "ios-pinning-missing"
        );
        assert!(missing(&app("android", true), &hosts).is_none());
        assert!(missing(&app("android", false), &[]).is_none());
        for id in ["android-pinning-missing", "ios-pinning-missing"] {
            assert!(crate::apps::rules::get(id).is_some(), "{id} undeclared");
        }
    }
}
