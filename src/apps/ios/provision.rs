//! `embedded.mobileprovision`: a CMS SignedData envelope around an XML
//! plist naming the team, the devices, the entitlements the app may use,
//! the developer certificates and an expiry date.

use super::der;
use super::values::{parse_dict, string};
use crate::apps::Issue;
use plist::{Dictionary, Value};
use serde::Serialize;

/// Largest profile plist read.
const MAX_PLIST: usize = 4 << 20;
/// At most this many certificates and entitlement keys are listed.
const MAX_ITEMS: usize = 256;

/// What a provisioning profile says.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Provisioning {
    /// The profile's entry in the app.
    pub entry: String,
    /// `Name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First `TeamIdentifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// `development`, `ad-hoc`, `enterprise` or `app-store`.
    pub kind: String,
    /// `ExpirationDate` (YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Expired before the analysis date.
    pub expired: bool,
    /// Number of `ProvisionedDevices`.
    pub provisioned_devices: usize,
    /// The `get-task-allow` entitlement is `true` (a debuggable build).
    pub get_task_allow: bool,
    /// The `aps-environment` entitlement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aps_environment: Option<String>,
    /// Entitlement keys granted.
    pub entitlements: Vec<String>,
    /// `DeveloperCertificates`.
    pub certificates: Vec<DeveloperCertificate>,
    /// Why the profile could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One developer certificate of a profile.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DeveloperCertificate {
    /// Subject common name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// `notAfter` (YYYY-MM-DD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Expired before the analysis date.
    pub expired: bool,
}

/// Reads the profile at `entry`; expiry is judged against `as_of`.
pub fn read(entry: &str, bytes: &[u8], as_of: time::Date) -> Provisioning {
    let mut p = Provisioning {
        entry: entry.to_owned(),
        ..Provisioning::default()
    };
    let dict = der::signed_data_content(bytes, MAX_PLIST).and_then(|content| parse_dict(&content));
    match dict {
        Ok(d) => fill(&mut p, &d, as_of),
        Err(e) => p.error = Some(e),
    }
    p
}

fn fill(p: &mut Provisioning, d: &Dictionary, as_of: time::Date) {
    p.name = string(d, "Name").map(str::to_owned);
    p.team_id = d
        .get("TeamIdentifier")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(Value::as_string)
        .map(str::to_owned);
    if let Some(date) = d.get("ExpirationDate").and_then(Value::as_date) {
        let day = time::OffsetDateTime::from(std::time::SystemTime::from(date)).date();
        p.expires = Some(ymd(day));
        p.expired = day < as_of;
    }
    p.provisioned_devices = d
        .get("ProvisionedDevices")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if let Some(ents) = d.get("Entitlements").and_then(Value::as_dictionary) {
        p.get_task_allow = ents.get("get-task-allow").and_then(Value::as_boolean) == Some(true);
        p.aps_environment = string(ents, "aps-environment").map(str::to_owned);
        p.entitlements = ents.keys().take(MAX_ITEMS).cloned().collect();
    }
    let all_devices = d.get("ProvisionsAllDevices").and_then(Value::as_boolean) == Some(true);
    p.kind = match (all_devices, p.provisioned_devices > 0, p.get_task_allow) {
        (true, _, _) => "enterprise",
        (false, true, true) => "development",
        (false, true, false) => "ad-hoc",
        (false, false, _) => "app-store",
    }
    .into();
    if let Some(certs) = d.get("DeveloperCertificates").and_then(Value::as_array) {
        for cert in certs.iter().take(MAX_ITEMS).filter_map(Value::as_data) {
            let info = der::certificate(cert);
            let not_after = info.as_ref().and_then(|i| i.not_after);
            p.certificates.push(DeveloperCertificate {
                subject: info.and_then(|i| i.subject_cn),
                expires: not_after.map(ymd),
                expired: not_after.is_some_and(|n| n < as_of),
            });
        }
    }
}

fn ymd(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The issues of a profile.
pub fn issues(p: &Provisioning) -> Vec<Issue> {
    let mut out = Vec::new();
    let entry = p.entry.as_str();
    if p.get_task_allow {
        out.push(
            Issue::new(
                "ios-get-task-allow",
                entry,
                "get-task-allow=true",
                "The provisioning profile grants get-task-allow: this is a development build \
                 that a debugger may attach to, not one signed for distribution.",
            )
            .with_symbol("Entitlements.get-task-allow"),
        );
    }
    if let (true, Some(date)) = (p.expired, &p.expires) {
        out.push(
            Issue::new(
                "ios-profile-expired",
                entry,
                date.clone(),
                format!("The provisioning profile expired on {date}; the app no longer launches on devices."),
            )
            .with_symbol("ExpirationDate"),
        );
    }
    let expired: Vec<String> = p
        .certificates
        .iter()
        .filter(|c| c.expired)
        .map(|c| {
            let subject = c.subject.as_deref().unwrap_or("(no subject)");
            format!(
                "{subject} (expired {})",
                c.expires.as_deref().unwrap_or("?")
            )
        })
        .collect();
    if !expired.is_empty() {
        out.push(
            Issue::new(
                "ios-developer-certificate-expired",
                entry,
                expired.join("; "),
                format!(
                    "{} of the profile's {} developer certificates expired: {}.",
                    expired.len(),
                    p.certificates.len(),
                    expired
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
            .with_symbol("DeveloperCertificates"),
        );
    }
    if p.aps_environment.as_deref() == Some("development") {
        out.push(
            Issue::new(
                "ios-aps-development",
                entry,
                "aps-environment=development",
                "Push notifications use Apple's development (sandbox) environment: a \
                 development-signed build, and pushes from the production service will not arrive.",
            )
            .with_symbol("Entitlements.aps-environment"),
        );
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::apps::ios::der::build;
    use time::macros::date;

    pub(crate) fn profile(
        get_task_allow: bool,
        aps: Option<&str>,
        devices: usize,
        expires: &str,
        cert_expiry: &str,
    ) -> Vec<u8> {
        let mut ents = Dictionary::new();
        ents.insert("get-task-allow".into(), Value::Boolean(get_task_allow));
        ents.insert(
            "application-identifier".into(),
            Value::String("TEAM.com.example".into()),
        );
        if let Some(a) = aps {
            ents.insert("aps-environment".into(), Value::String(a.into()));
        }
        let mut d = Dictionary::new();
        d.insert("Name".into(), Value::String("Example Profile".into()));
        d.insert(
            "TeamIdentifier".into(),
            Value::Array(vec![Value::String("TEAM123".into())]),
        );
        d.insert("Entitlements".into(), Value::Dictionary(ents));
        let date: plist::Date = std::time::SystemTime::from(
            time::OffsetDateTime::parse(expires, &time::format_description::well_known::Rfc3339)
                .unwrap(),
        )
        .into();
        d.insert("ExpirationDate".into(), Value::Date(date));
        if devices > 0 {
            d.insert(
                "ProvisionedDevices".into(),
                Value::Array(
                    (0..devices)
                        .map(|i| Value::String(format!("udid{i}")))
                        .collect(),
                ),
            );
        }
        d.insert(
            "DeveloperCertificates".into(),
            Value::Array(vec![Value::Data(build::certificate(
                "Apple Development: X",
                cert_expiry,
            ))]),
        );
        let mut xml = Vec::new();
        Value::Dictionary(d).to_writer_xml(&mut xml).unwrap();
        build::signed_data(&xml, devices % 2 == 1)
    }

    fn ids(p: &Provisioning) -> Vec<&'static str> {
        issues(p).iter().map(|i| i.rule_id).collect()
    }

    #[test]
    fn development_profile_fires_every_rule() {
        let bytes = profile(
            true,
            Some("development"),
            3,
            "2020-01-01T00:00:00Z",
            "191231000000Z",
        );
        let p = read(
            "Payload/A.app/embedded.mobileprovision",
            &bytes,
            date!(2024 - 01 - 01),
        );
        assert_eq!(p.error, None);
        assert_eq!(p.name.as_deref(), Some("Example Profile"));
        assert_eq!(p.team_id.as_deref(), Some("TEAM123"));
        assert_eq!((p.kind.as_str(), p.provisioned_devices), ("development", 3));
        assert_eq!(p.expires.as_deref(), Some("2020-01-01"));
        assert_eq!(p.certificates[0].expires.as_deref(), Some("2019-12-31"));
        assert!(p.entitlements.contains(&"aps-environment".to_string()));
        assert_eq!(
            ids(&p),
            [
                "ios-get-task-allow",
                "ios-profile-expired",
                "ios-developer-certificate-expired",
                "ios-aps-development"
            ]
        );
    }

    #[test]
    fn distribution_profile_in_date_is_clean() {
        let bytes = profile(
            false,
            Some("production"),
            0,
            "2030-01-01T00:00:00Z",
            "291231000000Z",
        );
        let p = read("e", &bytes, date!(2024 - 01 - 01));
        assert_eq!(p.kind, "app-store");
        assert!(!p.expired && !p.certificates[0].expired);
        assert!(ids(&p).is_empty());
        // Ad hoc: devices but no get-task-allow.
        let adhoc = read(
            "e",
            &profile(false, None, 2, "2030-01-01T00:00:00Z", "291231000000Z"),
            date!(2024 - 01 - 01),
        );
        assert_eq!(adhoc.kind, "ad-hoc");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let p = read("e", b"\x30\x80\x06", date!(2024 - 01 - 01));
        assert!(p.error.is_some());
        assert!(issues(&p).is_empty());
        let not_plist = build::signed_data(b"not a plist", false);
        assert!(read("e", &not_plist, date!(2024 - 01 - 01)).error.is_some());
    }
}
