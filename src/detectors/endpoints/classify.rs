//! Which rules an extracted endpoint triggers.

use super::cloud::{cloud_endpoint, scheme_bucket};
use super::extract::{Endpoint, EndpointKind, Scheme};
use super::host::known_suffix;
use super::noise::{
    is_localhost, is_loopback_ip, is_noise, is_private_ip, is_private_name, within,
};
use super::rules::Rule;
use crate::findings::Severity;

/// One rule hit on one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hit {
    pub rule: Rule,
    pub value: String,
    /// Names the host where that does not repeat the value.
    pub message: String,
    pub severity: Option<Severity>,
}

impl Hit {
    fn new(rule: Rule, value: impl Into<String>, message: String) -> Hit {
        Hit {
            rule,
            value: value.into(),
            message,
            severity: None,
        }
    }
}

/// Appends the hits of every rule `ep` triggers.
pub(super) fn classify(ep: &Endpoint<'_>, out: &mut Vec<Hit>) {
    let host = ep.host().trim_end_matches('.').to_ascii_lowercase();
    if let Some(scheme) = ep.scheme.filter(|s| s.is_bucket()) {
        if let Some(bucket) = scheme_bucket(&host) {
            let rule = match scheme {
                Scheme::S3 => Rule::S3BucketUrl,
                _ => Rule::GcsBucketUrl,
            };
            let message = format!("Storage bucket named in a {}:// URL", scheme.as_str());
            out.push(Hit::new(rule, bucket, message));
        }
        return;
    }
    if ep.kind == EndpointKind::Custom {
        // Deep links carry credentials like any URL; no other rule applies to
        // a scheme that is not a network protocol.
        out.extend(query_credentials(ep, &host));
        return;
    }
    if is_noise(&host, ep.path(), ep.ip) {
        return;
    }
    let is_url = ep.kind == EndpointKind::Url;
    let loopback = ep.ip.map_or(is_localhost(&host), is_loopback_ip);
    if loopback {
        if is_url || ep.port.is_some() {
            let port = ep.port.map_or(String::new(), |p| format!(" on port {p}"));
            let message = format!("Endpoint on the device itself{port}");
            out.push(Hit::new(Rule::LocalhostEndpoint, ep.text.as_ref(), message));
        }
        return;
    }
    let private = match ep.ip {
        Some(ip) => is_private_ip(ip),
        None => is_private_name(&host),
    };
    if let Some(ip) = ep.ip {
        let (rule, what) = if private {
            (Rule::HardcodedPrivateIp, "Private network address")
        } else {
            (Rule::HardcodedPublicIp, "Public IP address")
        };
        let form = if is_url {
            "in a URL"
        } else {
            "written as a literal"
        };
        out.push(Hit::new(rule, ip.to_string(), format!("{what} {form}")));
    }
    let query_secrets = if is_url && !private {
        query_credentials(ep, &host)
    } else {
        Vec::new()
    };
    let cleartext = matches!(ep.scheme, Some(Scheme::Http | Scheme::Ws));
    if cleartext && !private {
        let mut hit = Hit::new(
            Rule::CleartextHttpUrl,
            ep.text.as_ref(),
            format!(
                "Cleartext {}:// URL to {host}",
                ep.scheme.map_or("", Scheme::as_str)
            ),
        );
        if !query_secrets.is_empty() || ep.has_userinfo {
            hit.severity = Some(Severity::Medium);
            hit.message.push_str(" carrying credentials");
        }
        out.push(hit);
    }
    if ep.ip.is_none() {
        if let Some(hit) = staging(&host) {
            out.push(hit);
        }
    }
    if private {
        return;
    }
    if let Some(c) = cloud_endpoint(&host, ep.port, ep.path()) {
        let message = format!("{} endpoint", c.rule.doc().name);
        out.push(Hit::new(c.rule, c.name, message));
    }
    out.extend(query_secrets);
    if is_url {
        path_rules(ep, &host, out);
    }
}

/// Labels naming a non-production environment, matched as whole labels or
/// `-` parts with trailing digits dropped (`dev2-api`, `api-staging`).
const ENV_LABELS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "internal",
    "preprod",
    "qa",
    "sandbox",
    "stage",
    "staging",
    "stg",
    "test",
    "testing",
    "uat",
];

/// Tunnel services that expose a developer machine to the internet.
const TUNNEL_DOMAINS: &[&str] = &[
    "localtunnel.me",
    "loca.lt",
    "ngrok-free.app",
    "ngrok-free.dev",
    "ngrok.app",
    "ngrok.io",
    "trycloudflare.com",
];

/// Providers whose SDKs ship their own sandbox and test endpoints (payment
/// sandboxes, store receipt validation, platform test APIs): such hosts are
/// the provider's, not the app's, and are reported at info severity.
const SANDBOX_PROVIDERS: &[&str] = &[
    "adyen.com",
    "amazon.com",
    "apple.com",
    "braintree-api.com",
    "braintreegateway.com",
    "checkout.com",
    "facebook.com",
    "google.com",
    "googleapis.com",
    "klarna.com",
    "paypal.com",
    "razorpay.com",
    "sentry.io",
    "squareup.com",
    "stripe.com",
];

/// A `staging-host` hit for `host` (lowercase), if it names a
/// non-production environment.
fn staging(host: &str) -> Option<Hit> {
    let hit = |why: String| Some(Hit::new(Rule::StagingHost, host, why));
    if TUNNEL_DOMAINS.iter().any(|d| within(host, d) && host != *d) {
        return hit("Tunnel to a developer machine".into());
    }
    if host.contains('.') && is_private_name(host) {
        return hit("Private-network host name".into());
    }
    let suffix = known_suffix(host.as_bytes())?;
    let suffix_labels = suffix.as_bytes().iter().filter(|&&b| b == b'.').count() + 1;
    // Below an ICANN suffix the registrable label is the owner's name; below
    // a platform suffix (herokuapp.com, web.app) it is the app's own name.
    let owner_labels = usize::from(suffix.typ() == Some(psl::Type::Icann));
    let labels: Vec<&str> = host.split('.').collect();
    let keep = labels.len().checked_sub(suffix_labels + owner_labels)?;
    let env = labels[..keep].iter().find_map(|l| env_label(l))?;
    let registrable = labels[keep..].join(".");
    if owner_labels == 1 && SANDBOX_PROVIDERS.iter().any(|d| within(&registrable, d)) {
        let mut h = Hit::new(
            Rule::StagingHost,
            host,
            format!("Provider `{env}` endpoint of {registrable}, shipped by its SDK"),
        );
        h.severity = Some(Severity::Info);
        return Some(h);
    }
    hit(format!("Host label names a `{env}` environment"))
}

/// The environment a label names, if any.
fn env_label(label: &str) -> Option<&'static str> {
    if label.contains("pre-prod") {
        return Some("preprod");
    }
    label.split('-').find_map(|part| {
        let part = part.trim_end_matches(|c: char| c.is_ascii_digit());
        ENV_LABELS.iter().find(|e| **e == part).copied()
    })
}

/// Query keys that carry credentials, with the shortest value taken.
const CREDENTIAL_KEYS: &[(&str, usize)] = &[
    ("access_token", 8),
    ("accesstoken", 8),
    ("api-key", 8),
    ("api_key", 8),
    ("apikey", 8),
    ("auth_token", 8),
    ("client_secret", 8),
    ("key", 20),
    ("passwd", 6),
    ("password", 6),
    ("secret", 8),
    ("sig", 16),
    ("token", 8),
];

/// `credentials-in-url-query` hits for a URL's query.
fn query_credentials(ep: &Endpoint<'_>, host: &str) -> Vec<Hit> {
    let azure_sas = ep.query_keys().any(|k| k == "sv") && ep.query_keys().any(|k| k == "sig");
    ep.query_pairs()
        .filter_map(|(key, value)| {
            let lower = key.to_ascii_lowercase();
            let min = CREDENTIAL_KEYS
                .iter()
                .find(|(k, _)| *k == lower)
                .map(|(_, min)| *min)?;
            if value.len() < min
                || is_placeholder(value)
                || (lower == "sig" && azure_sas)
                || value.starts_with("AIza")
                || (lower == "key" && !has_letter_and_digit(value))
            {
                return None;
            }
            Some(Hit::new(
                Rule::CredentialsInUrlQuery,
                value,
                format!(
                    "URL to {} carries a credential in query parameter `{key}`",
                    shown_host(ep, host)
                ),
            ))
        })
        .collect()
}

/// The host for messages; a custom-scheme URL without one is named by its
/// scheme (`myapp://`).
fn shown_host(ep: &Endpoint<'_>, host: &str) -> String {
    match (host.is_empty(), ep.scheme_name()) {
        (true, Some(scheme)) => format!("{scheme}://"),
        _ => host.to_string(),
    }
}

/// Template, example and empty-looking values.
fn is_placeholder(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    value.contains(['%', '{', '}', '$', '<', '>', '*', '[', '('])
        || value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-')
        || value.bytes().all(|b| b == value.as_bytes()[0])
        || [
            "your",
            "xxxx",
            "null",
            "undefined",
            "example",
            "placeholder",
            "token",
            "secret",
        ]
        .iter()
        .any(|w| v.contains(w))
}

fn has_letter_and_digit(value: &str) -> bool {
    value.bytes().any(|b| b.is_ascii_alphabetic()) && value.bytes().any(|b| b.is_ascii_digit())
}

/// Path segments that name administrative or debugging interfaces.
const ADMIN_SEGMENTS: &[&str] = &[
    "actuator",
    "admin",
    "api-docs",
    "console",
    "debug",
    "phpmyadmin",
    "swagger",
    "swagger-ui",
    "swagger-ui.html",
];

/// `graphql-endpoint` and `admin-debug-path` hits for a URL's path.
fn path_rules(ep: &Endpoint<'_>, host: &str, out: &mut Vec<Hit>) {
    let mut graphql = false;
    let mut admin = None;
    for seg in ep.path().split('/').filter(|s| !s.is_empty()) {
        let seg = seg.to_ascii_lowercase();
        graphql |= seg == "graphql" || seg == "graphiql";
        if admin.is_none() {
            admin = ADMIN_SEGMENTS.iter().find(|a| **a == seg);
        }
    }
    if graphql {
        let message = format!("GraphQL endpoint on {host}");
        out.push(Hit::new(Rule::GraphqlEndpoint, ep.text.as_ref(), message));
    }
    if let Some(seg) = admin {
        let message = format!("Path segment `/{seg}` on {host}");
        out.push(Hit::new(Rule::AdminDebugPath, ep.text.as_ref(), message));
    }
}
