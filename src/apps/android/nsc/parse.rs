//! Reads a network security config document the way the platform's
//! `android.security.net.config.XmlConfigSource` does.
//!
//! Where the platform throws a `ParserException` (and so refuses the whole
//! file), this reader records a [`Problem`] and carries on, so every problem
//! of a file is reported at once; [`Document::rejected`] says whether the
//! platform would refuse it.

use super::base64;
use crate::apps::android::manifest::typed_bool;
use crate::apps::android::resources::Resources;
use crate::formats::axml::{Element, Value, XmlDocument};
use serde::Serialize;

/// Deepest nesting of `domain-config` followed; deeper ones are a problem.
const MAX_NESTING: usize = 32;
/// Most scopes and domains kept from one file.
const MAX_ENTRIES: usize = 4096;
/// Length of a SHA-256 digest, the only pin digest the platform accepts.
const SHA256_LEN: usize = 32;

/// Which part of the file a scope comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Base,
    Domain,
    Debug,
}

impl ScopeKind {
    fn tag(self) -> &'static str {
        match self {
            ScopeKind::Base => "base-config",
            ScopeKind::Domain => "domain-config",
            ScopeKind::Debug => "debug-overrides",
        }
    }
}

/// One `base-config`, `domain-config` or `debug-overrides` element: only the
/// attributes it sets; the rest is inherited (see `policy`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub kind: ScopeKind,
    /// Index of the enclosing `domain-config` in [`Document::domain_configs`].
    pub parent: Option<usize>,
    pub domains: Vec<Domain>,
    pub cleartext: Option<bool>,
    /// The `trust-anchors` element's entries; `Some(empty)` trusts nothing.
    pub trust_anchors: Option<Vec<Anchor>>,
    pub pin_set: Option<PinSet>,
    /// `<certificateTransparency enabled>` (Android 16).
    pub certificate_transparency: Option<bool>,
}

impl Scope {
    fn new(kind: ScopeKind, parent: Option<usize>) -> Self {
        Scope {
            kind,
            parent,
            domains: Vec::new(),
            cleartext: None,
            trust_anchors: None,
            pin_set: None,
            certificate_transparency: None,
        }
    }
}

/// A `<domain>`: lower-cased and trimmed, as the platform stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub name: String,
    pub include_subdomains: bool,
}

/// A `<certificates>` entry of `trust-anchors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anchor {
    /// `system`, `user`, `wfa`, or the entry name of the `@raw` resource
    /// (`@0x7f...` when it does not resolve).
    pub source: String,
    pub override_pins: bool,
}

impl Anchor {
    /// Whether the anchor is the user-installed CA store.
    pub fn is_user(&self) -> bool {
        self.source == "user"
    }
}

/// A `<pin-set>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinSet {
    /// The `expiration` attribute as written.
    pub expiration_text: Option<String>,
    /// The day the pins stop being checked.
    pub expiration: Option<time::Date>,
    /// Distinct valid pins (the platform keeps a set).
    pub pins: Vec<Pin>,
}

/// A `<pin>`: digest algorithm and base64 value as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pin {
    pub digest: String,
    pub value: String,
}

/// What makes the platform refuse a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The same domain in two `<domain>` elements.
    DuplicateDomain,
    /// A pin whose digest is not SHA-256 or whose value is not 32 bytes of
    /// base64.
    InvalidPin,
    /// Any other structural error.
    Structure,
}

/// One reason the platform would refuse the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The evidence: a domain, a pin value, an element name.
    pub value: String,
    pub message: String,
}

/// A parsed network security config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub base: Option<Scope>,
    /// Every `domain-config`, nested ones flattened after their parent.
    pub domain_configs: Vec<Scope>,
    /// The `debug-overrides` element, parsed whatever the app's flags.
    pub debug_overrides: Option<Scope>,
    /// Problems outside `debug-overrides`.
    pub problems: Vec<Problem>,
    /// Problems inside `debug-overrides`: the platform skips that element
    /// unparsed unless the app is debuggable.
    pub debug_problems: Vec<Problem>,
}

impl Document {
    /// Whether the platform refuses the file (it then fails to set up any
    /// network security config and the app does not start).
    pub fn rejected(&self, debuggable: bool) -> bool {
        !self.problems.is_empty() || (debuggable && !self.debug_problems.is_empty())
    }
}

/// How `@raw` anchors are turned into entry names.
pub struct Lookup<'a> {
    pub resources: Option<&'a dyn Resources>,
    /// Prepended to resource file paths (`base/` in an AAB).
    pub prefix: &'a str,
}

impl Lookup<'_> {
    /// The file path of resource `id` in the default configuration (else
    /// the first one), relative to the prefix.
    pub fn path(&self, id: u32) -> Option<String> {
        let files = self.resources?.files(id);
        files
            .iter()
            .find(|(q, _)| q.is_empty())
            .or(files.first())
            .map(|(_, p)| p.clone())
    }

    /// The entry name of file resource `id`.
    fn file(&self, id: u32) -> Option<String> {
        Some(format!("{}{}", self.prefix, self.path(id)?))
    }

    /// `@type/name` written as text (protobuf XML without a compiled value).
    fn named(&self, text: &str) -> Option<String> {
        let (t, k) = text.strip_prefix('@')?.split_once('/')?;
        self.file(self.resources?.id_of(t, k)?)
    }
}

/// Reads `doc` as a network security config.
pub fn parse(doc: &XmlDocument, lookup: &Lookup<'_>) -> Document {
    let mut out = Document::default();
    let mut p = Parser {
        lookup,
        seen_domains: Vec::new(),
        entries: 0,
    };
    let Some(root) = doc.root() else {
        out.problems
            .push(structure("document", "the document has no element"));
        return out;
    };
    if &*root.name != "network-security-config" {
        out.problems.push(structure(
            &root.name,
            format!(
                "root element is <{}>, not <network-security-config>",
                root.name
            ),
        ));
        return out;
    }
    for e in root.elements() {
        match &*e.name {
            "base-config" => {
                if out.base.is_some() {
                    out.problems
                        .push(structure(&e.name, "only one base-config allowed"));
                    continue;
                }
                let mut scopes = Vec::new();
                p.scope(e, ScopeKind::Base, None, 0, &mut scopes, &mut out.problems);
                out.base = scopes.into_iter().next();
            }
            "domain-config" => {
                let mut scopes = std::mem::take(&mut out.domain_configs);
                p.scope(
                    e,
                    ScopeKind::Domain,
                    None,
                    0,
                    &mut scopes,
                    &mut out.problems,
                );
                out.domain_configs = scopes;
            }
            "debug-overrides" => {
                if out.debug_overrides.is_some() {
                    out.problems
                        .push(structure(&e.name, "only one debug-overrides allowed"));
                    continue;
                }
                out.debug_overrides = Some(p.debug(e, &mut out.debug_problems));
            }
            _ => {}
        }
    }
    out
}

/// Reads the `debug-overrides` of a `<name>_debug` resource file, which the
/// platform consults for a debuggable app whose main file has none.
pub fn parse_debug_file(doc: &XmlDocument, lookup: &Lookup<'_>) -> (Option<Scope>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut p = Parser {
        lookup,
        seen_domains: Vec::new(),
        entries: 0,
    };
    let Some(root) = doc.root().filter(|r| &*r.name == "network-security-config") else {
        problems.push(structure("document", "no <network-security-config> root"));
        return (None, problems);
    };
    let mut found = None;
    for e in root.elements_named("debug-overrides") {
        if found.is_some() {
            problems.push(structure(&e.name, "only one debug-overrides allowed"));
            continue;
        }
        found = Some(p.debug(e, &mut problems));
    }
    (found, problems)
}

struct Parser<'a, 'l> {
    lookup: &'a Lookup<'l>,
    seen_domains: Vec<String>,
    entries: usize,
}

impl Parser<'_, '_> {
    fn debug(&mut self, e: &Element, problems: &mut Vec<Problem>) -> Scope {
        let mut scopes = Vec::new();
        self.scope(e, ScopeKind::Debug, None, 0, &mut scopes, problems);
        scopes
            .into_iter()
            .next()
            .unwrap_or_else(|| Scope::new(ScopeKind::Debug, None))
    }

    /// Parses one config element into `out` (itself first, then nested
    /// domain-configs), as `XmlConfigSource.parseConfigEntry` does.
    fn scope(
        &mut self,
        e: &Element,
        kind: ScopeKind,
        parent: Option<usize>,
        depth: usize,
        out: &mut Vec<Scope>,
        problems: &mut Vec<Problem>,
    ) {
        if depth > MAX_NESTING || self.entries >= MAX_ENTRIES {
            problems.push(structure(&e.name, "too many or too deeply nested configs"));
            return;
        }
        self.entries += 1;
        let me = out.len();
        let mut scope = Scope::new(kind, parent);
        // Attributes are matched by name whatever their namespace.
        for a in &e.attributes {
            if &*a.raw_name == "cleartextTrafficPermitted" {
                scope.cleartext =
                    Some(typed_bool(&a.value, a.raw_value.as_deref()).unwrap_or(true));
            }
        }
        out.push(scope);
        let mut seen_pin_set = false;
        let mut seen_anchors = false;
        let mut children = Vec::new();
        for c in e.elements() {
            let tag = kind.tag();
            match &*c.name {
                "domain" if kind != ScopeKind::Domain => {
                    problems.push(structure("domain", format!("domain not allowed in {tag}")));
                }
                "domain" => {
                    if let Some(d) = self.domain(c, problems) {
                        out[me].domains.push(d);
                    }
                }
                "trust-anchors" if seen_anchors => {
                    problems.push(structure(&c.name, "multiple trust-anchors not allowed"));
                }
                "trust-anchors" => {
                    seen_anchors = true;
                    let anchors = self.anchors(c, kind == ScopeKind::Debug, problems);
                    out[me].trust_anchors = Some(anchors);
                }
                "pin-set" if kind != ScopeKind::Domain => {
                    problems.push(structure(&c.name, format!("pin-set not allowed in {tag}")));
                }
                "pin-set" if seen_pin_set => {
                    problems.push(structure(&c.name, "multiple pin-set elements not allowed"));
                }
                "pin-set" => {
                    seen_pin_set = true;
                    out[me].pin_set = Some(pin_set(c, problems));
                }
                "domain-config" if kind != ScopeKind::Domain => {
                    problems.push(structure(
                        &c.name,
                        format!("nested domain-config not allowed in {tag}"),
                    ));
                }
                "domain-config" => children.push(c),
                "certificateTransparency" if kind == ScopeKind::Debug => {
                    problems.push(structure(&c.name, format!("not allowed in {tag}")));
                }
                "certificateTransparency" => {
                    let enabled = bool_attr(c, "enabled").unwrap_or(false);
                    out[me].certificate_transparency = Some(enabled);
                }
                _ => {}
            }
        }
        // The platform parses nested configs in document order, after the
        // domains before them; the duplicate check depends only on the set
        // of domains, so children are read once the parent is complete.
        for c in children {
            self.scope(c, ScopeKind::Domain, Some(me), depth + 1, out, problems);
        }
        if kind == ScopeKind::Domain && out[me].domains.is_empty() {
            problems.push(structure(&e.name, "domain-config without a domain"));
        }
    }

    fn domain(&mut self, e: &Element, problems: &mut Vec<Problem>) -> Option<Domain> {
        if e.elements().next().is_some() {
            problems.push(structure("domain", "domain contains elements"));
            return None;
        }
        let has_text = e.children.iter().any(|n| n.as_element().is_none());
        if !has_text {
            problems.push(structure("domain", "domain name missing"));
            return None;
        }
        let name = e.text().trim().to_lowercase();
        if self.seen_domains.contains(&name) {
            problems.push(Problem {
                kind: ProblemKind::DuplicateDomain,
                value: name.clone(),
                message: format!("{name} is listed in more than one <domain>"),
            });
        }
        if self.entries >= MAX_ENTRIES {
            problems.push(structure("domain", "too many domains"));
            return None;
        }
        self.entries += 1;
        if !self.seen_domains.contains(&name) {
            self.seen_domains.push(name.clone());
        }
        Some(Domain {
            name,
            include_subdomains: bool_attr(e, "includeSubdomains").unwrap_or(false),
        })
    }

    fn anchors(&self, e: &Element, debug: bool, problems: &mut Vec<Problem>) -> Vec<Anchor> {
        let mut anchors = Vec::new();
        for c in e.elements_named("certificates") {
            // overridePins defaults to true only inside debug-overrides.
            let override_pins = bool_attr(c, "overridePins").unwrap_or(debug);
            let Some(a) = c.attr("", "src") else {
                problems.push(structure("certificates", "certificates without src"));
                continue;
            };
            let text = attr_text(&a.value, a.raw_value.as_deref());
            let source = match (&a.value, text.as_str()) {
                (Value::Reference(id), _) => self
                    .lookup
                    .file(*id)
                    .unwrap_or_else(|| format!("@0x{id:08x}")),
                (_, "system" | "user" | "wfa") => text.clone(),
                (_, t) => match self.lookup.named(t) {
                    Some(path) => path,
                    None => {
                        problems.push(structure(
                            &text,
                            format!("unknown certificates src \"{text}\""),
                        ));
                        continue;
                    }
                },
            };
            anchors.push(Anchor {
                source,
                override_pins,
            });
        }
        anchors
    }
}

fn pin_set(e: &Element, problems: &mut Vec<Problem>) -> PinSet {
    let expiration_text = e
        .attr("", "expiration")
        .map(|a| attr_text(&a.value, a.raw_value.as_deref()));
    let expiration = expiration_text.as_deref().and_then(|t| {
        let d = parse_date(t);
        if d.is_none() {
            problems.push(structure(t, "invalid pin-set expiration date"));
        }
        d
    });
    let mut pins: Vec<(Pin, Vec<u8>)> = Vec::new();
    for c in e.elements_named("pin") {
        if let Some(p) = pin(c, problems) {
            if !pins
                .iter()
                .any(|(q, b)| q.digest == p.0.digest && *b == p.1)
            {
                pins.push(p);
            }
        }
    }
    PinSet {
        expiration_text,
        expiration,
        pins: pins.into_iter().map(|(p, _)| p).collect(),
    }
}

/// A `<pin>` as `XmlConfigSource.parsePin` accepts it, with its bytes.
fn pin(e: &Element, problems: &mut Vec<Problem>) -> Option<(Pin, Vec<u8>)> {
    let digest = e
        .attr("", "digest")
        .map(|a| attr_text(&a.value, a.raw_value.as_deref()))
        .unwrap_or_default();
    let value = e.text().trim().to_string();
    let invalid = |message: String| Problem {
        kind: ProblemKind::InvalidPin,
        value: value.clone(),
        message,
    };
    if !digest.eq_ignore_ascii_case("SHA-256") {
        problems.push(invalid(format!(
            "pin digest \"{digest}\" is not supported (only SHA-256)"
        )));
        return None;
    }
    if e.elements().next().is_some() || !e.children.iter().any(|n| n.as_element().is_none()) {
        problems.push(invalid("pin has no digest text".into()));
        return None;
    }
    match base64::decode(&value) {
        Some(bytes) if bytes.len() == SHA256_LEN => Some((Pin { digest, value }, bytes)),
        Some(bytes) => {
            problems.push(invalid(format!(
                "pin decodes to {} bytes; a SHA-256 digest has {SHA256_LEN}",
                bytes.len()
            )));
            None
        }
        None => {
            problems.push(invalid("pin is not valid base64".into()));
            None
        }
    }
}

/// Parses `yyyy-MM-dd` as Java's non-lenient `SimpleDateFormat.parse`
/// does: each field takes all its digits, fields must be in range, and text
/// after the day is ignored.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let mut rest = text;
    let mut field = |last: bool| -> Option<i64> {
        let end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if end == 0 || end > 9 {
            return None;
        }
        let n = rest.get(..end)?.parse().ok()?;
        rest = rest.get(end..)?;
        if !last {
            rest = rest.strip_prefix('-')?;
        }
        Some(n)
    };
    let (y, m, d) = (field(false)?, field(false)?, field(true)?);
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()
}

/// A boolean attribute with no namespace, as
/// `getAttributeBooleanValue(null, name, default)` reads it (`None` for the
/// default).
fn bool_attr(e: &Element, name: &str) -> Option<bool> {
    let a = e.attr("", name)?;
    typed_bool(&a.value, a.raw_value.as_deref())
}

/// An attribute as `getAttributeValue` returns it: the string, or the typed
/// value formatted.
fn attr_text(v: &Value, raw: Option<&str>) -> String {
    v.as_str()
        .or(raw)
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

fn structure(value: &str, message: impl Into<String>) -> Problem {
    Problem {
        kind: ProblemKind::Structure,
        value: value.to_string(),
        message: message.into(),
    }
}
