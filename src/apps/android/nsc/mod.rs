//! The network security config (`android:networkSecurityConfig`): read as
//! the platform reads it, resolved into the policy each domain gets, and
//! checked.
//!
//! Platform behaviour modelled (AOSP `XmlConfigSource`, `ManifestConfigSource`,
//! `NetworkSecurityConfig`):
//! * with a config present (API 24+) `android:usesCleartextTraffic` is
//!   ignored; the config's unset values fall back to the platform default
//!   (cleartext only for targetSdk <= 27, user CAs only for targetSdk <= 23);
//! * `debug-overrides` (or, when the file has none, the `<name>_debug` XML
//!   resource) applies only to a debuggable app, and only its trust anchors,
//!   which are added to every config that has its own;
//! * any structural error, duplicate domain or bad pin makes the platform
//!   refuse the whole file;
//! * an expired pin-set is not checked at all.

mod base64;
pub mod checks;
pub mod parse;
pub mod policy;
#[cfg(test)]
mod tests;

use super::manifest::Manifest;
use super::AndroidApp;
use crate::apps::Issue;
use crate::formats::axml::Value;
use parse::{Lookup, Scope};
use policy::{Platform, TransportPolicy};
use serde::Serialize;

/// The debug overrides found for an app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DebugOverrides {
    /// The entry holding them (the config itself or its `_debug` companion).
    pub entry: String,
    /// Whether the platform applies them (the app is debuggable).
    pub effective: bool,
    pub trust_anchors: Vec<parse::Anchor>,
}

/// What reading an app's network security config produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The config's entry name, when the manifest names one that resolves.
    pub entry: Option<String>,
    /// The policy per domain, base config first.
    pub transport: Vec<TransportPolicy>,
    pub debug_overrides: Option<DebugOverrides>,
    /// Why the platform would refuse the config (empty when it is accepted).
    pub errors: Vec<String>,
    pub issues: Vec<Issue>,
}

/// Reads, resolves and checks the network security config `manifest`
/// names, or the platform default when it names none.
pub fn analyze(app: &AndroidApp<'_>, manifest: &Manifest, as_of: time::Date) -> Outcome {
    let platform = Platform {
        target_sdk: manifest.effective_target_sdk(),
        debuggable: manifest.debuggable,
    };
    let mut out = Outcome::default();
    let Some(reference) = &manifest.network_security_config else {
        out.transport = vec![policy::without_config(
            &platform,
            manifest.uses_cleartext_traffic,
            &app.manifest_entry,
        )];
        out.issues = checks::transport(&out.transport, &platform, as_of);
        return out;
    };
    let resources = app.resources.as_deref();
    let lookup = Lookup {
        resources,
        prefix: &app.prefix,
    };
    let id = reference.as_reference();
    let file = id.and_then(|id| lookup.path(id));
    let Some((entry, decoded)) = file.and_then(|path| app.xml_resource(&path)) else {
        out.issues.push(missing(app, reference));
        out.errors.push(format!("{reference} cannot be read"));
        return out;
    };
    out.entry = Some(entry.clone());
    let doc = match decoded {
        Ok(xml) => parse::parse(&xml, &lookup),
        Err(e) => {
            out.errors.push(e.to_string());
            out.issues.push(
                Issue::new(
                    "android-nsc-rejected",
                    &entry,
                    "network-security-config",
                    format!("The network security config cannot be decoded ({e}); Android refuses it and the app fails to start its networking."),
                ),
            );
            return out;
        }
    };

    let (debug, debug_entry, debug_problems) = match &doc.debug_overrides {
        Some(d) => (Some(d.clone()), entry.clone(), doc.debug_problems.clone()),
        None => companion(app, id, &lookup),
    };
    let mut problems = doc.problems.clone();
    if platform.debuggable {
        problems.extend(debug_problems);
    }
    out.errors = problems.iter().map(|p| p.message.clone()).collect();
    out.issues.extend(checks::problems(&problems, &entry));
    if let Some(d) = &debug {
        out.debug_overrides = Some(DebugOverrides {
            entry: debug_entry.clone(),
            effective: platform.debuggable,
            trust_anchors: d.trust_anchors.clone().unwrap_or_default(),
        });
        if !platform.debuggable {
            out.issues
                .extend(checks::inert_debug_overrides(d, &debug_entry));
        }
    }
    let active_debug = debug.as_ref().filter(|_| platform.debuggable);
    out.transport = policy::resolve(&doc, active_debug, &platform, &entry, as_of);
    if problems.is_empty() {
        out.issues
            .extend(checks::transport(&out.transport, &platform, as_of));
    }
    out
}

/// The `debug-overrides` of the `<name>_debug` XML resource beside config
/// `id`, if any: (scope, entry, problems).
fn companion(
    app: &AndroidApp<'_>,
    id: Option<u32>,
    lookup: &Lookup<'_>,
) -> (Option<Scope>, String, Vec<parse::Problem>) {
    let none = (None, String::new(), Vec::new());
    let Some(res) = app.resources.as_deref() else {
        return none;
    };
    let Some((_, key)) = id.and_then(|id| res.name(id)) else {
        return none;
    };
    let Some(path) = res
        .id_of("xml", &format!("{key}_debug"))
        .and_then(|id| lookup.path(id))
    else {
        return none;
    };
    match app.xml_resource(&path) {
        Some((entry, Ok(xml))) => {
            let (scope, problems) = parse::parse_debug_file(&xml, lookup);
            (scope, entry, problems)
        }
        Some((entry, Err(e))) => {
            let problem = parse::Problem {
                kind: parse::ProblemKind::Structure,
                value: "network-security-config".into(),
                message: format!("{entry}: {e}"),
            };
            (None, entry, vec![problem])
        }
        None => none,
    }
}

fn missing(app: &AndroidApp<'_>, reference: &Value) -> Issue {
    Issue::new(
        "android-nsc-missing",
        &app.manifest_entry,
        reference.to_string(),
        format!(
            "android:networkSecurityConfig names {reference}, but no such file is in the app: Android fails to load the config and the app does not start its networking (or the resource table could not be read)."
        ),
    )
    .with_symbol("application")
}
