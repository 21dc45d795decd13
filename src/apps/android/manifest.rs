//! The manifest attributes app-level checks depend on, read as the package
//! manager reads them, and the checks on them alone.

use super::resources::Resources;
use crate::apps::Issue;
use crate::findings::Severity;
use crate::formats::axml::{Element, Value, XmlDocument, ANDROID_NS};

/// `Build.VERSION_CODES.CUR_DEVELOPMENT`: what a preview codename such as
/// `targetSdkVersion="Baklava"` counts as.
const CODENAME_SDK: u32 = 10_000;
/// The first API level whose default forbids cleartext traffic (Android 9).
const CLEARTEXT_OFF_SDK: u32 = 28;
/// From Android 12 (API 31) `adb backup` leaves out the data of apps
/// targeting it.
const ADB_BACKUP_OFF_SDK: u32 = 31;
/// URL schemes kept per app.
const MAX_SCHEMES: usize = 64;
/// Longest URL scheme kept.
const MAX_SCHEME_LEN: usize = 64;
/// Components that take intent filters.
const COMPONENTS: &[&str] = &["activity", "activity-alias", "receiver", "service"];

/// What the checks need from `AndroidManifest.xml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Manifest {
    /// `<manifest package>`.
    pub package: Option<String>,
    /// `android:versionName`, resolved when it is a string resource.
    pub version_name: Option<String>,
    pub version_code: Option<i64>,
    /// `<uses-sdk android:minSdkVersion>`; the platform assumes 1 when absent.
    pub min_sdk: Option<u32>,
    /// `<uses-sdk android:targetSdkVersion>` as declared.
    pub target_sdk: Option<u32>,
    /// `android:debuggable` (default false).
    pub debuggable: bool,
    /// `android:testOnly` (default false).
    pub test_only: bool,
    /// `android:allowBackup` as declared; the platform default is true.
    pub allow_backup: Option<bool>,
    /// `android:usesCleartextTraffic` as declared.
    pub uses_cleartext_traffic: Option<bool>,
    /// `android:networkSecurityConfig` as stored (normally `@xml/...`).
    pub network_security_config: Option<Value>,
    /// The URL schemes the app's intent filters register (see
    /// [`url_schemes`]).
    pub url_schemes: Vec<String>,
}

impl Manifest {
    /// Reads the manifest; attributes are found by resource id, as Android
    /// does, so renamed attribute strings do not hide them.
    pub fn read(doc: &XmlDocument, resources: Option<&dyn Resources>) -> Self {
        let mut m = Manifest::default();
        let Some(root) = doc.root() else {
            return m;
        };
        m.package = root.attr_str("", "package").map(str::to_string);
        m.version_code = root
            .attr(ANDROID_NS, "versionCode")
            .and_then(|a| a.value.as_int().or_else(|| a.value.as_str()?.parse().ok()));
        m.version_name =
            root.attr(ANDROID_NS, "versionName")
                .and_then(|a| match a.value.as_reference() {
                    Some(id) => resources?.string(id),
                    None => a
                        .value
                        .as_str()
                        .or(a.raw_value.as_deref())
                        .map(str::to_string),
                });
        if let Some(sdk) = root.elements_named("uses-sdk").next() {
            m.min_sdk = sdk_attr(sdk, "minSdkVersion");
            m.target_sdk = sdk_attr(sdk, "targetSdkVersion");
        }
        if let Some(app) = root.elements_named("application").next() {
            let flag = |name| {
                app.attr(ANDROID_NS, name)
                    .and_then(|a| typed_bool(&a.value, a.raw_value.as_deref()))
            };
            m.debuggable = flag("debuggable").unwrap_or(false);
            m.test_only = flag("testOnly").unwrap_or(false);
            m.allow_backup = flag("allowBackup");
            m.uses_cleartext_traffic = flag("usesCleartextTraffic");
            m.network_security_config = app
                .attr(ANDROID_NS, "networkSecurityConfig")
                .map(|a| a.value.clone());
            m.url_schemes = url_schemes(app, resources);
        }
        m
    }

    /// The target API level the platform applies: the declared one, else
    /// `minSdkVersion`, else 1.
    pub fn effective_target_sdk(&self) -> u32 {
        self.target_sdk.or(self.min_sdk).unwrap_or(1)
    }
}

/// The URL schemes the components of `application` register in their
/// intent filters (`<data android:scheme>`, string resources resolved):
/// lowercase, sorted, deduplicated, without `http` and `https`, at most
/// [`MAX_SCHEMES`].
pub fn url_schemes(application: &Element, resources: Option<&dyn Resources>) -> Vec<String> {
    let mut out = Vec::new();
    let data = application
        .elements()
        .filter(|c| COMPONENTS.contains(&&*c.name))
        .flat_map(|c| c.elements_named("intent-filter"))
        .flat_map(|f| f.elements_named("data"));
    for d in data {
        let Some(a) = d.attr(ANDROID_NS, "scheme") else {
            continue;
        };
        let scheme = match a.value.as_reference() {
            Some(id) => resources.and_then(|r| r.string(id)),
            None => a
                .value
                .as_str()
                .or(a.raw_value.as_deref())
                .map(str::to_string),
        };
        let Some(scheme) = scheme.map(|s| s.trim().to_ascii_lowercase()) else {
            continue;
        };
        let valid = scheme.len() <= MAX_SCHEME_LEN
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'));
        if valid && scheme != "http" && scheme != "https" && !out.contains(&scheme) {
            out.push(scheme);
            if out.len() >= MAX_SCHEMES {
                break;
            }
        }
    }
    out.sort();
    out
}

/// An SDK level: a number, or a preview codename.
fn sdk_attr(e: &Element, name: &str) -> Option<u32> {
    let a = e.attr(ANDROID_NS, name)?;
    if let Some(i) = a.value.as_int() {
        return u32::try_from(i).ok();
    }
    let text = a.value.as_str().or(a.raw_value.as_deref())?.trim();
    match text.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) if !text.is_empty() => Some(CODENAME_SDK),
        Err(_) => None,
    }
}

/// A boolean attribute as `getAttributeBooleanValue` reads it (integer
/// types count; `None` means the default applies). `true`/`false` text is
/// read as well, as protobuf XML may keep it uncompiled.
pub(crate) fn typed_bool(v: &Value, raw: Option<&str>) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::Hex(h) => Some(*h != 0),
        v => match v.as_str().or(raw)?.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
    }
}

/// The checks on manifest flags alone (cleartext is judged with the network
/// security config, in `nsc`).
pub fn check(m: &Manifest, entry: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    if m.debuggable {
        issues.push(
            Issue::new(
                "android-debuggable",
                entry,
                "android:debuggable=true",
                "The app is debuggable: anyone with ADB access can attach a debugger, run code \
                 as the app (run-as) and read its private data.",
            )
            .with_symbol("application"),
        );
    }
    if m.test_only {
        issues.push(
            Issue::new(
                "android-test-only",
                entry,
                "android:testOnly=true",
                "The app is marked testOnly: it is a test build, installable only with \
                 `adb install -t` and refused by app stores.",
            )
            .with_symbol("application"),
        );
    }
    let target = m.effective_target_sdk();
    if m.allow_backup != Some(false) {
        let how = match m.allow_backup {
            Some(_) => "android:allowBackup=true",
            None => "android:allowBackup not set (defaults to true)",
        };
        let adb = if target >= ADB_BACKUP_OFF_SDK {
            "cloud backup and device-to-device transfer copy its data (adb backup no longer \
             does for apps targeting API 31+)"
        } else {
            "`adb backup` can copy its private data off a device with USB debugging enabled"
        };
        issues.push(
            Issue::new(
                "android-allow-backup",
                entry,
                how,
                format!("Backup is allowed ({how}): {adb}. Exclude secrets with backup rules or disable backup."),
            )
            .with_symbol("application"),
        );
    }
    if target < CLEARTEXT_OFF_SDK {
        let mut effects = vec!["cleartext traffic is permitted by default"];
        if target <= 23 {
            effects.push("user-installed CAs are trusted by default");
        }
        let declared = match m.target_sdk {
            Some(t) => format!("targetSdkVersion={t}"),
            None => format!("targetSdkVersion absent (minSdkVersion {target} applies)"),
        };
        let mut issue = Issue::new(
            "android-target-sdk-low",
            entry,
            declared.clone(),
            format!(
                "The app targets API {target} ({declared}): {}, and newer platform protections do not apply.",
                effects.join(" and ")
            ),
        )
        .with_symbol("uses-sdk");
        if target <= 23 {
            issue = issue.with_severity(Severity::Medium);
        }
        issues.push(issue);
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::axml::{Element as E, Encoding, ANDROID};
    use crate::formats::axml;

    fn manifest(uses_sdk: Option<E>, app: E) -> Manifest {
        let mut root = E::new("manifest")
            .ns("android", ANDROID)
            .attr_str("", "package", "com.example.app")
            .attr_int(ANDROID, "versionCode", 42)
            .attr_str(ANDROID, "versionName", "4.2");
        if let Some(s) = uses_sdk {
            root = root.child(s);
        }
        let doc = axml::parse(&root.child(app).to_axml(Encoding::Utf16)).unwrap();
        Manifest::read(&doc, None)
    }

    fn sdk(min: i32, target: Option<i32>) -> E {
        let e = E::new("uses-sdk").attr_int(ANDROID, "minSdkVersion", min);
        match target {
            Some(t) => e.attr_int(ANDROID, "targetSdkVersion", t),
            None => e,
        }
    }

    fn rules(m: &Manifest) -> Vec<&'static str> {
        check(m, "AndroidManifest.xml")
            .iter()
            .map(|i| i.rule_id)
            .collect()
    }

    #[test]
    fn reads_identity_sdk_and_flags() {
        let app = E::new("application")
            .attr_bool(ANDROID, "debuggable", true)
            .attr_bool(ANDROID, "testOnly", true)
            .attr_bool(ANDROID, "allowBackup", false)
            .attr_bool(ANDROID, "usesCleartextTraffic", false)
            .attr_ref(ANDROID, "networkSecurityConfig", 0x7f02_0000);
        let m = manifest(Some(sdk(21, Some(34))), app);
        assert_eq!(m.package.as_deref(), Some("com.example.app"));
        assert_eq!(m.version_name.as_deref(), Some("4.2"));
        assert_eq!(m.version_code, Some(42));
        assert_eq!((m.min_sdk, m.target_sdk), (Some(21), Some(34)));
        assert!(m.debuggable && m.test_only);
        assert_eq!(m.allow_backup, Some(false));
        assert_eq!(m.uses_cleartext_traffic, Some(false));
        assert_eq!(
            m.network_security_config
                .as_ref()
                .and_then(Value::as_reference),
            Some(0x7f02_0000)
        );
        assert_eq!(
            rules(&m),
            ["android-debuggable", "android-test-only"],
            "backup off and a modern target raise nothing else"
        );
    }

    #[test]
    fn target_defaults_to_min_and_codenames_count_as_newest() {
        let m = manifest(Some(sdk(26, None)), E::new("application"));
        assert_eq!((m.target_sdk, m.effective_target_sdk()), (None, 26));
        let m = manifest(None, E::new("application"));
        assert_eq!(m.effective_target_sdk(), 1);
        let preview = E::new("uses-sdk").attr_str(ANDROID, "targetSdkVersion", "Baklava");
        assert_eq!(
            manifest(Some(preview), E::new("application")).target_sdk,
            Some(CODENAME_SDK)
        );
    }

    #[test]
    fn low_target_sdk_is_reported_with_its_consequences() {
        let m = manifest(
            Some(sdk(21, Some(27))),
            E::new("application").attr_bool(ANDROID, "allowBackup", false),
        );
        let issues = check(&m, "AndroidManifest.xml");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].rule_id, "android-target-sdk-low");
        assert!(issues[0].message.contains("cleartext"));
        assert_eq!(issues[0].severity, None);
        let m = manifest(
            Some(sdk(21, Some(23))),
            E::new("application").attr_bool(ANDROID, "allowBackup", false),
        );
        let issues = check(&m, "AndroidManifest.xml");
        assert!(issues[0].message.contains("user-installed CAs"));
        assert_eq!(issues[0].severity, Some(Severity::Medium));
        let m = manifest(
            Some(sdk(21, Some(28))),
            E::new("application").attr_bool(ANDROID, "allowBackup", false),
        );
        assert!(rules(&m).is_empty());
    }

    #[test]
    fn backup_is_reported_when_enabled_or_defaulted() {
        let on = manifest(
            Some(sdk(24, Some(34))),
            E::new("application").attr_bool(ANDROID, "allowBackup", true),
        );
        assert_eq!(rules(&on), ["android-allow-backup"]);
        let default = manifest(Some(sdk(24, Some(30))), E::new("application"));
        let issues = check(&default, "AndroidManifest.xml");
        assert_eq!(issues[0].rule_id, "android-allow-backup");
        assert!(issues[0].value.contains("defaults to true"));
        assert!(issues[0].message.contains("adb backup"));
    }

    fn filter(schemes: &[&str]) -> E {
        let mut f = E::new("intent-filter").child(E::new("action").attr_str(
            ANDROID,
            "name",
            "android.intent.action.VIEW",
        ));
        for s in schemes {
            f = f.child(E::new("data").attr_str(ANDROID, "scheme", s));
        }
        f
    }

    #[test]
    fn url_schemes_of_intent_filters() {
        let app = E::new("application")
            .child(E::new("activity").child(filter(&["MyApp", "https", "fb123"])))
            .child(E::new("activity-alias").child(filter(&["myapp", "com.acme.app"])))
            .child(E::new("receiver").child(filter(&["bad scheme", "1abc"])))
            .child(E::new("meta-data").child(filter(&["notacomponent"])));
        let m = manifest(None, app);
        assert_eq!(m.url_schemes, ["com.acme.app", "fb123", "myapp"]);
        let none = manifest(None, E::new("application").child(E::new("activity")));
        assert!(none.url_schemes.is_empty());
    }

    #[test]
    fn flags_are_found_by_resource_id_and_text_booleans_are_read() {
        // An obfuscated name string does not hide android:debuggable.
        let app = E::new("application").attr_with_id(
            ANDROID,
            "x",
            axml::android_attr_id("debuggable"),
            crate::fixtures::axml::Value::Str("true".into()),
        );
        let m = manifest(Some(sdk(24, Some(34))), app);
        assert!(m.debuggable);
    }
}
