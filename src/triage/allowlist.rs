//! Allowlist entries: accepted findings, matched by rule, location glob,
//! value pattern or fingerprint — every given condition must hold.

use super::config::AllowEntryFile;
use crate::findings::Finding;
use globset::{GlobBuilder, GlobMatcher};
use regex::Regex;

/// One checked allowlist entry.
#[derive(Debug)]
pub struct AllowEntry {
    rule: Option<String>,
    path: Option<GlobMatcher>,
    value: Option<Regex>,
    fingerprint: Option<String>,
    /// Why these findings are accepted.
    pub reason: String,
}

impl AllowEntry {
    /// Checks and compiles an entry as written in the configuration.
    pub(super) fn compile(e: AllowEntryFile) -> Result<AllowEntry, String> {
        let reason = e.reason.unwrap_or_default().trim().to_string();
        if reason.is_empty() {
            return Err("`reason` is required: say why these findings are acceptable".to_string());
        }
        if e.rule.is_none() && e.path.is_none() && e.value.is_none() && e.fingerprint.is_none() {
            return Err(
                "give at least one of `rule`, `path`, `value` or `fingerprint`; this entry matches every finding"
                    .to_string(),
            );
        }
        let path = e
            .path
            .map(|p| {
                GlobBuilder::new(&p)
                    .literal_separator(true)
                    .build()
                    .map(|g| g.compile_matcher())
                    .map_err(|err| format!("`path` is not a valid glob: {err}"))
            })
            .transpose()?;
        let value = e
            .value
            .map(|v| Regex::new(&v).map_err(|err| format!("`value` is not a valid regex: {err}")))
            .transpose()?;
        let fingerprint = e
            .fingerprint
            .map(|f| {
                let f = f.trim().to_ascii_lowercase();
                if f.len() == 32 && f.bytes().all(|b| b.is_ascii_hexdigit()) {
                    Ok(f)
                } else {
                    Err("`fingerprint` must be 32 hexadecimal digits, as in a report".to_string())
                }
            })
            .transpose()?;
        Ok(AllowEntry {
            rule: e.rule,
            path,
            value,
            fingerprint,
            reason,
        })
    }

    /// True when every condition of this entry holds for `f`.
    ///
    /// The path glob is tried on the path inside the scanned file
    /// (`base.apk!/assets/keys.json`), on the scanned file itself
    /// (`build/app.apk`), and on both joined (`build/app.apk!/base.apk!/…`);
    /// `*` stays within one `/` segment, `**` crosses them.
    pub fn matches(&self, f: &Finding) -> bool {
        if self.rule.as_ref().is_some_and(|r| *r != f.rule_id) {
            return false;
        }
        if self
            .fingerprint
            .as_ref()
            .is_some_and(|fp| *fp != f.fingerprint)
        {
            return false;
        }
        if self.value.as_ref().is_some_and(|v| !v.is_match(&f.value)) {
            return false;
        }
        match &self.path {
            None => true,
            Some(glob) => {
                let inner = &f.location.path;
                let full = if inner.is_empty() {
                    f.artifact.clone()
                } else {
                    format!("{}!/{inner}", f.artifact)
                };
                (!inner.is_empty() && glob.is_match(inner))
                    || glob.is_match(&f.artifact)
                    || glob.is_match(&full)
            }
        }
    }
}

/// Every allowlist entry of a configuration.
#[derive(Debug, Default)]
pub struct Allowlist {
    entries: Vec<AllowEntry>,
}

impl Allowlist {
    pub(super) fn new(entries: Vec<AllowEntry>) -> Self {
        Allowlist { entries }
    }

    /// The first entry that accepts `f`.
    pub fn accepting(&self, f: &Finding) -> Option<&AllowEntry> {
        self.entries.iter().find(|e| e.matches(f))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{fingerprint, Category, Confidence, Location, Severity};

    fn finding(rule: &str, artifact: &str, chain: &[&str], value: &str) -> Finding {
        let location = Location::new(chain.iter().map(|s| s.to_string()).collect());
        Finding {
            rule_id: rule.into(),
            category: Category::Secret,
            severity: Severity::High,
            confidence: Confidence::High,
            title: rule.into(),
            message: "found".into(),
            artifact: artifact.into(),
            fingerprint: fingerprint(rule, &location.path, None, value),
            location,
            value: value.into(),
        }
    }

    fn entry(rule: Option<&str>, path: Option<&str>, value: Option<&str>) -> AllowEntry {
        AllowEntry::compile(AllowEntryFile {
            rule: rule.map(String::from),
            path: path.map(String::from),
            value: value.map(String::from),
            fingerprint: None,
            reason: Some("accepted".into()),
        })
        .unwrap()
    }

    #[test]
    fn all_given_conditions_must_hold() {
        let f = finding(
            "google-api-key",
            "build/app.apk",
            &["app.apk", "assets/test/keys.json"],
            "AIzaTEST",
        );
        assert!(entry(Some("google-api-key"), None, None).matches(&f));
        assert!(!entry(Some("aws-access-key-id"), None, None).matches(&f));
        assert!(entry(
            Some("google-api-key"),
            Some("assets/test/**"),
            Some("^AIza")
        )
        .matches(&f));
        assert!(!entry(Some("google-api-key"), Some("assets/test/**"), Some("^xyz")).matches(&f));
        assert!(!entry(None, Some("assets/prod/**"), None).matches(&f));
    }

    #[test]
    fn path_globs_see_inner_path_scanned_file_and_both() {
        let f = finding(
            "r",
            "build/app.apk",
            &["app.apk", "base.apk", "classes2.dex"],
            "v",
        );
        assert!(entry(None, Some("base.apk!/classes*.dex"), None).matches(&f));
        assert!(entry(None, Some("**/classes2.dex"), None).matches(&f));
        assert!(entry(None, Some("build/*.apk"), None).matches(&f));
        assert!(entry(None, Some("build/app.apk!/**"), None).matches(&f));
        // `*` does not cross `/`.
        assert!(!entry(None, Some("*.dex"), None).matches(&f));
    }

    #[test]
    fn fingerprints_match_exactly_and_case_insensitively() {
        let f = finding("r", "a.apk", &["a.apk", "x"], "v");
        let by_fp = |fp: &str| {
            AllowEntry::compile(AllowEntryFile {
                fingerprint: Some(fp.into()),
                reason: Some("ok".into()),
                ..Default::default()
            })
            .unwrap()
        };
        assert!(by_fp(&f.fingerprint.to_ascii_uppercase()).matches(&f));
        assert!(!by_fp(&"0".repeat(32)).matches(&f));
    }
}
