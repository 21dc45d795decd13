//! iOS app-level checks: bundle layout, App Transport Security per bundle,
//! the provisioning profile, and pinning evidence in the executables.
//!
//! Call [`binary_entries`] to learn which entries to read with
//! [`pinning::binary_facts`], then [`analyze`] with those facts.

pub mod ats;
mod der;
pub mod layout;
pub mod pinning;
pub mod pins;
pub mod provision;
mod values;

use super::{AppFiles, Issue, Options};
use crate::findings::Confidence;
use ats::AtsPolicy;
use layout::{Bundle, Layout};
use pinning::BinaryFacts;
use provision::Provisioning;
use serde::Serialize;
use values::{parse_dict, string};

/// What the analysis of one iOS app found.
#[derive(Debug, Clone, Default)]
pub struct IosAnalysis {
    pub issues: Vec<Issue>,
    pub summary: IosSummary,
}

/// The facts about one iOS app shown in JSON reports.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct IosSummary {
    /// `CFBundleIdentifier` of the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle_id: Option<String>,
    /// `CFBundleShortVersionString`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `CFBundleVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Entry of the main executable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executable: Option<String>,
    /// `MinimumOSVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_os: Option<String>,
    /// URL schemes the app registers (`CFBundleURLTypes[].CFBundleURLSchemes`),
    /// lowercase and sorted; `http` and `https` left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub url_schemes: Vec<String>,
    /// App extensions (`PlugIns/*.appex`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<BundleInfo>,
    /// Embedded frameworks (`Frameworks/*.framework`), by folder name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<String>,
    /// The ATS policy of the app and of each extension that declares one.
    pub ats: Vec<BundleAts>,
    /// Provisioning profiles of the app and its extensions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisioning: Vec<Provisioning>,
    /// Pinning libraries and trust APIs found, per executable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pinning: Vec<BinaryPinning>,
    /// Domains with pins visible in configuration.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pinned_domains: Vec<PinnedDomain>,
    /// What could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

/// One extension bundle.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BundleInfo {
    /// Bundle folder inside the archive.
    pub dir: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executable: Option<String>,
    /// `NSExtension.NSExtensionPointIdentifier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_point: Option<String>,
}

/// The ATS policy of one bundle.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BundleAts {
    /// Info.plist entry the policy comes from.
    pub info_plist: String,
    pub policy: AtsPolicy,
}

/// Pinning evidence in one executable.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BinaryPinning {
    pub entry: String,
    pub libraries: Vec<String>,
}

/// A domain with pins in configuration.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PinnedDomain {
    pub domain: String,
    /// `NSPinnedDomains` or `TSKConfiguration`.
    pub source: String,
    /// Info.plist entry declaring it.
    pub info_plist: String,
    /// Number of valid pins (TrustKit: hashes listed).
    pub pins: usize,
    /// TrustKit `TSKExcludeSubdomainFromParentPolicy`: the domain is left
    /// out of its parent domain's pinning.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
}

/// The executables of the app, its extensions and its frameworks: the
/// entries whose [`BinaryFacts`] [`analyze`] wants.
pub fn binary_entries(files: &dyn AppFiles) -> Vec<String> {
    let names = files.names();
    let Some(layout) = layout::locate(names) else {
        return Vec::new();
    };
    bundles(&layout)
        .chain(&layout.frameworks)
        .filter_map(|b| {
            let info = read_info(files, b).ok();
            let exe = info.as_ref().and_then(|d| string(d, "CFBundleExecutable"));
            b.executable(exe, names)
        })
        .collect()
}

fn bundles(layout: &Layout) -> impl Iterator<Item = &Bundle> {
    std::iter::once(&layout.app).chain(&layout.extensions)
}

fn read_info(files: &dyn AppFiles, b: &Bundle) -> Result<plist::Dictionary, String> {
    let entry = b
        .info_plist
        .as_deref()
        .ok_or_else(|| format!("{}: no Info.plist", b.dir))?;
    let bytes = files
        .read(entry)
        .ok_or_else(|| format!("{entry}: cannot be read"))?;
    parse_dict(&bytes).map_err(|e| format!("{entry}: {e}"))
}

/// Analyses one IPA: `binaries` holds the facts of the entries named by
/// [`binary_entries`] (entry name, facts).
pub fn analyze(
    files: &dyn AppFiles,
    binaries: &[(String, BinaryFacts)],
    options: &Options,
) -> IosAnalysis {
    let mut out = IosAnalysis::default();
    let names = files.names();
    let Some(layout) = layout::locate(names) else {
        out.summary
            .errors
            .push("no Payload/<name>.app/ folder".into());
        return out;
    };
    let s = &mut out.summary;
    s.frameworks = layout
        .frameworks
        .iter()
        .map(|b| b.name().to_owned())
        .collect();
    let mut app_minimum_os = None;
    for (i, bundle) in bundles(&layout).enumerate() {
        let info = match read_info(files, bundle) {
            Ok(d) => d,
            Err(e) => {
                s.errors.push(e);
                continue;
            }
        };
        let entry = bundle.info_plist.clone().unwrap_or_default();
        let get = |k: &str| string(&info, k).map(str::to_owned);
        let executable = bundle.executable(string(&info, "CFBundleExecutable"), names);
        if i == 0 {
            s.bundle_id = get("CFBundleIdentifier");
            s.version = get("CFBundleShortVersionString");
            s.build = get("CFBundleVersion");
            s.minimum_os = get("MinimumOSVersion");
            s.url_schemes = url_schemes(&info);
            s.executable = executable;
            app_minimum_os = s.minimum_os.clone();
        } else {
            s.extensions.push(BundleInfo {
                dir: bundle.dir.clone(),
                bundle_id: get("CFBundleIdentifier"),
                executable,
                extension_point: info
                    .get("NSExtension")
                    .and_then(plist::Value::as_dictionary)
                    .and_then(|d| string(d, "NSExtensionPointIdentifier"))
                    .map(str::to_owned),
            });
        }
        let policy = ats::policy(&info);
        let minimum_os = get("MinimumOSVersion").or_else(|| app_minimum_os.clone());
        out.issues
            .extend(ats::issues(&policy, &entry, minimum_os.as_deref()));
        for d in &policy.domains {
            if let Some(p) = &d.pins {
                s.pinned_domains.push(PinnedDomain {
                    domain: d.domain.clone(),
                    source: "NSPinnedDomains".into(),
                    info_plist: entry.clone(),
                    pins: p.count(),
                    excluded: false,
                });
            }
        }
        let excluded = pins::trustkit_excluded(&info);
        for (domain, pins) in pins::trustkit_domains(&info) {
            s.pinned_domains.push(PinnedDomain {
                excluded: excluded.contains(&domain),
                domain,
                source: "TSKConfiguration".into(),
                info_plist: entry.clone(),
                pins,
            });
        }
        if i == 0 || policy.declared {
            s.ats.push(BundleAts {
                info_plist: entry,
                policy,
            });
        }
        if let Some(prov) = &bundle.provision {
            match files.read(prov) {
                Some(bytes) => {
                    let p = provision::read(prov, &bytes, options.as_of);
                    out.issues.extend(provision::issues(&p));
                    s.provisioning.push(p);
                }
                None => s.errors.push(format!("{prov}: cannot be read")),
            }
        }
    }
    for (entry, facts) in binaries {
        out.issues.extend(binary_issues(entry, facts));
        let libraries = facts.libraries();
        if !libraries.is_empty() {
            s.pinning.push(BinaryPinning {
                entry: entry.clone(),
                libraries,
            });
        }
        if let Some(e) = &facts.error {
            s.errors.push(format!("{entry}: {e}"));
        }
    }
    out
}

/// URL schemes kept per app.
const MAX_SCHEMES: usize = 64;
/// Longest URL scheme kept.
const MAX_SCHEME_LEN: usize = 64;

/// The URL schemes an Info.plist registers
/// (`CFBundleURLTypes[].CFBundleURLSchemes[]`): lowercase, sorted,
/// deduplicated, without `http` and `https`, at most [`MAX_SCHEMES`].
pub fn url_schemes(info: &plist::Dictionary) -> Vec<String> {
    let types = info
        .get("CFBundleURLTypes")
        .and_then(plist::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out: Vec<String> = types
        .iter()
        .filter_map(plist::Value::as_dictionary)
        .filter_map(|t| t.get("CFBundleURLSchemes")?.as_array())
        .flatten()
        .filter_map(plist::Value::as_string)
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| {
            s.len() <= MAX_SCHEME_LEN
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
                && s != "http"
                && s != "https"
        })
        .take(MAX_SCHEMES)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn binary_issues(entry: &str, f: &BinaryFacts) -> Vec<Issue> {
    let mut out = Vec::new();
    if f.uses_disabled_trust_evaluator() {
        out.push(
            Issue::new(
                "ios-alamofire-disabled-trust-evaluator",
                entry,
                "DisabledTrustEvaluator",
                "The code uses Alamofire's DisabledTrustEvaluator: server certificates are not \
                 validated for the hosts it is mapped to, so anyone on the network can intercept \
                 that traffic.",
            )
            .with_symbol("Alamofire.DisabledTrustEvaluator"),
        );
    }
    if f.sets_allow_invalid_certificates() {
        let mut issue = Issue::new(
            "ios-afnetworking-allow-invalid-certificates",
            entry,
            "setAllowInvalidCertificates:",
            "The code sets AFSecurityPolicy.allowInvalidCertificates; if set to YES, invalid and \
             self-signed server certificates are accepted. The value passed is not visible in \
             the binary: check the call.",
        )
        .with_symbol("AFSecurityPolicy.allowInvalidCertificates");
        issue.confidence = Some(Confidence::Low);
        out.push(issue);
    }
    out
}

#[cfg(test)]
mod tests;
