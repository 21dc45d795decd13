//! ATS `NSPinnedDomains` (iOS 14+): per-domain public-key pins, each an
//! `SPKI-SHA256-BASE64` value that must be the base64 of a 32-byte hash.

use super::values::{flag, render, truncate, Flag};
use base64::Engine;
use plist::{Dictionary, Value};
use serde::Serialize;

/// At most this many identities are read per domain and array.
const MAX_IDENTITIES: usize = 256;

/// The pins of one domain.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DomainPins {
    /// `NSIncludesSubdomains` of the pinned-domain entry.
    pub include_subdomains: bool,
    /// Valid `NSPinnedLeafIdentities` hashes.
    pub leaf: Vec<String>,
    /// Valid `NSPinnedCAIdentities` hashes.
    pub ca: Vec<String>,
    /// What is wrong with the entry (invalid hashes, empty or missing
    /// identity arrays).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl DomainPins {
    /// Valid pins of both kinds.
    pub fn count(&self) -> usize {
        self.leaf.len() + self.ca.len()
    }
}

/// Reads one `NSPinnedDomains` entry.
pub fn domain_pins(entry: &Value) -> DomainPins {
    let mut pins = DomainPins::default();
    let Some(dict) = entry.as_dictionary() else {
        pins.problems
            .push(format!("entry is a {}, not a dictionary", render(entry)));
        return pins;
    };
    match flag(dict, "NSIncludesSubdomains") {
        Some(Flag::Bool(b)) => pins.include_subdomains = b,
        Some(Flag::NotBoolean(v)) => pins.problems.push(format!(
            "NSIncludesSubdomains is a {v}, not a Boolean: no effect"
        )),
        None => {}
    }
    let mut any = false;
    for (key, out) in [
        ("NSPinnedLeafIdentities", &mut pins.leaf),
        ("NSPinnedCAIdentities", &mut pins.ca),
    ] {
        let Some(v) = dict.get(key) else { continue };
        any = true;
        read_identities(key, v, out, &mut pins.problems);
    }
    if !any {
        pins.problems
            .push("neither NSPinnedLeafIdentities nor NSPinnedCAIdentities is present".into());
    }
    pins
}

fn read_identities(key: &str, v: &Value, out: &mut Vec<String>, problems: &mut Vec<String>) {
    let Some(items) = v.as_array() else {
        problems.push(format!("{key} is a {}, not an array", render(v)));
        return;
    };
    if items.is_empty() {
        problems.push(format!("{key} is an empty array: it pins nothing"));
    }
    for (i, item) in items.iter().take(MAX_IDENTITIES).enumerate() {
        let hash = item
            .as_dictionary()
            .and_then(|d: &Dictionary| d.get("SPKI-SHA256-BASE64"))
            .and_then(Value::as_string);
        match hash {
            Some(h) if is_sha256_base64(h) => out.push(h.to_owned()),
            Some(h) => problems.push(format!(
                "{key}[{i}] SPKI-SHA256-BASE64 \"{}\" is not the base64 of a 32-byte SHA-256",
                truncate(h, 64)
            )),
            None => problems.push(format!("{key}[{i}] has no SPKI-SHA256-BASE64 string")),
        }
    }
}

/// The entries of `TSKConfiguration.TSKPinnedDomains` in Info.plist (a
/// TrustKit configuration), at most [`MAX_IDENTITIES`] of them.
fn trustkit_entries(info: &Dictionary) -> impl Iterator<Item = (&String, &Value)> {
    info.get("TSKConfiguration")
        .and_then(Value::as_dictionary)
        .and_then(|c| c.get("TSKPinnedDomains"))
        .and_then(Value::as_dictionary)
        .into_iter()
        .flat_map(|domains| domains.iter())
        .take(MAX_IDENTITIES)
}

/// The domains of a TrustKit configuration given in Info.plist
/// (`TSKConfiguration.TSKPinnedDomains`), each with its number of
/// `TSKPublicKeyHashes`.
pub fn trustkit_domains(info: &Dictionary) -> Vec<(String, usize)> {
    trustkit_entries(info)
        .map(|(name, v)| {
            let hashes = v
                .as_dictionary()
                .and_then(|d| d.get("TSKPublicKeyHashes"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            (name.clone(), hashes)
        })
        .collect()
}

/// The domains of a TrustKit configuration in Info.plist marked
/// `TSKExcludeSubdomainFromParentPolicy` (a plist Boolean `true`): left out
/// of their parent domain's pinning.
pub fn trustkit_excluded(info: &Dictionary) -> Vec<String> {
    trustkit_entries(info)
        .filter(|(_, v)| {
            v.as_dictionary()
                .and_then(|d| d.get("TSKExcludeSubdomainFromParentPolicy"))
                .and_then(Value::as_boolean)
                == Some(true)
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// Whether `s` is standard base64 of exactly 32 bytes.
pub fn is_sha256_base64(s: &str) -> bool {
    s.len() == 44
        && base64::engine::general_purpose::STANDARD
            .decode(s)
            .is_ok_and(|b| b.len() == 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const PIN_A: &str = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    fn ids(hashes: &[&str]) -> Value {
        Value::Array(
            hashes
                .iter()
                .map(|h| {
                    let mut d = Dictionary::new();
                    d.insert("SPKI-SHA256-BASE64".into(), Value::String(h.to_string()));
                    Value::Dictionary(d)
                })
                .collect(),
        )
    }

    #[test]
    fn validates_hashes_and_arrays() {
        assert!(is_sha256_base64(PIN_A));
        assert!(!is_sha256_base64("AAAA"));
        assert!(!is_sha256_base64(
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuF!="
        ));
        let mut d = Dictionary::new();
        d.insert("NSIncludesSubdomains".into(), Value::Boolean(true));
        d.insert("NSPinnedCAIdentities".into(), ids(&[PIN_A, "short"]));
        d.insert("NSPinnedLeafIdentities".into(), ids(&[]));
        let p = domain_pins(&Value::Dictionary(d));
        assert!(p.include_subdomains);
        assert_eq!(p.ca, vec![PIN_A.to_string()]);
        assert_eq!(p.count(), 1);
        assert_eq!(p.problems.len(), 2, "{:?}", p.problems);
        let none = domain_pins(&Value::Dictionary(Dictionary::new()));
        assert_eq!(none.count(), 0);
        assert_eq!(none.problems.len(), 1);
    }

    #[test]
    fn trustkit_exclusions_need_a_real_boolean() {
        let domain = |flag: Option<Value>| {
            let mut d = Dictionary::new();
            if let Some(f) = flag {
                d.insert("TSKExcludeSubdomainFromParentPolicy".into(), f);
            }
            Value::Dictionary(d)
        };
        let mut domains = Dictionary::new();
        domains.insert("cdn.example.com".into(), domain(Some(Value::Boolean(true))));
        domains.insert(
            "img.example.com".into(),
            domain(Some(Value::String("YES".into()))),
        );
        domains.insert("example.com".into(), domain(None));
        let mut config = Dictionary::new();
        config.insert("TSKPinnedDomains".into(), Value::Dictionary(domains));
        let mut info = Dictionary::new();
        info.insert("TSKConfiguration".into(), Value::Dictionary(config));
        assert_eq!(trustkit_excluded(&info), ["cdn.example.com"]);
        assert!(trustkit_excluded(&Dictionary::new()).is_empty());
    }

    #[test]
    fn two_valid_pins_have_no_problems() {
        let mut d = Dictionary::new();
        d.insert("NSPinnedLeafIdentities".into(), ids(&[PIN_A, PIN_A]));
        let p = domain_pins(&Value::Dictionary(d));
        assert_eq!((p.count(), p.problems.len()), (2, 0));
    }
}
