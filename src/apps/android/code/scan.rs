//! One bounded pass over a DEX file's classes and method code, collecting
//! [`CodeFacts`].

use std::collections::HashMap;
use std::ops::Range;

use super::bytecode::{instructions, Insn};
use super::libraries::{library_of, CRONET, OKHTTP, PINNING_PACKAGES, UNKNOWN};
use super::lookup::{string_index, type_count, type_index, type_range, Hierarchy};
use super::trust::{accepts_any_chain, returns_true};
use super::{CodeFacts, PinningUse, TrustFinding, TrustKind};
use crate::formats::dex::{parse, ClassData, CodeItem, Dex};
use crate::formats::FormatError;

/// Class definitions visited at most.
const MAX_CLASSES: u32 = 250_000;
/// Pins and hosts kept per method.
const MAX_LITERALS: usize = 64;
/// Longest literal kept as a host or pin.
const MAX_LITERAL_LEN: usize = 256;

/// Type indices of the platform and library types the checks look for.
struct Targets {
    trust_managers: Vec<u32>,
    verifiers: Vec<u32>,
    ssl_error_handler: Option<u32>,
    insecure_factory: Option<u32>,
    /// `AllowAllHostnameVerifier`, `NoopHostnameVerifier`.
    allow_all_verifiers: Vec<u32>,
    pinner_builders: Vec<u32>,
    /// `OkHttpClient$Builder` (OkHttp 3+) and `OkHttpClient` (OkHttp 2).
    okhttp_clients: Vec<u32>,
    cronet_builders: Vec<u32>,
    pinning_packages: Vec<(Range<u32>, &'static str)>,
    names: Names,
}

/// String indices of the member names the checks look for.
#[derive(Default)]
struct Names {
    check_server_trusted: Option<u32>,
    verify: Option<u32>,
    on_received_ssl_error: Option<u32>,
    add: Option<u32>,
    certificate_pinner: Option<u32>,
    set_certificate_pinner: Option<u32>,
    add_public_key_pins: Option<u32>,
    get_insecure: Option<u32>,
    proceed: Option<u32>,
    cancel: Option<u32>,
    allow_all_field: Option<u32>,
}

impl Targets {
    fn find(dex: &Dex<'_>, types: u32) -> Self {
        let all = |descriptors: &[&str]| -> Vec<u32> {
            descriptors
                .iter()
                .filter_map(|d| type_index(dex, types, d))
                .collect()
        };
        let name = |s: &str| string_index(dex, s);
        Targets {
            trust_managers: all(&[
                "Ljavax/net/ssl/X509TrustManager;",
                "Ljavax/net/ssl/X509ExtendedTrustManager;",
            ]),
            verifiers: all(&[
                "Ljavax/net/ssl/HostnameVerifier;",
                "Lorg/apache/http/conn/ssl/X509HostnameVerifier;",
            ]),
            ssl_error_handler: type_index(dex, types, "Landroid/webkit/SslErrorHandler;"),
            insecure_factory: type_index(dex, types, "Landroid/net/SSLCertificateSocketFactory;"),
            allow_all_verifiers: all(&[
                "Lorg/apache/http/conn/ssl/AllowAllHostnameVerifier;",
                "Lorg/apache/http/conn/ssl/NoopHostnameVerifier;",
            ]),
            pinner_builders: all(&[
                "Lokhttp3/CertificatePinner$Builder;",
                "Lcom/squareup/okhttp/CertificatePinner$Builder;",
            ]),
            okhttp_clients: all(&[
                "Lokhttp3/OkHttpClient$Builder;",
                "Lcom/squareup/okhttp/OkHttpClient;",
            ]),
            cronet_builders: all(&[
                "Lorg/chromium/net/CronetEngine$Builder;",
                "Lorg/chromium/net/ExperimentalCronetEngine$Builder;",
            ]),
            pinning_packages: PINNING_PACKAGES
                .iter()
                .map(|&(prefix, lib)| (type_range(dex, types, prefix), lib))
                .filter(|(range, _)| !range.is_empty())
                .collect(),
            names: Names {
                check_server_trusted: name("checkServerTrusted"),
                verify: name("verify"),
                on_received_ssl_error: name("onReceivedSslError"),
                add: name("add"),
                certificate_pinner: name("certificatePinner"),
                set_certificate_pinner: name("setCertificatePinner"),
                add_public_key_pins: name("addPublicKeyPins"),
                get_insecure: name("getInsecure"),
                proceed: name("proceed"),
                cancel: name("cancel"),
                allow_all_field: name("ALLOW_ALL_HOSTNAME_VERIFIER"),
            },
        }
    }
}

/// `Lcom/example/Foo;` → `com.example.Foo`.
fn java_name(descriptor: &str) -> String {
    descriptor
        .strip_prefix('L')
        .and_then(|d| d.strip_suffix(';'))
        .unwrap_or(descriptor)
        .replace('/', ".")
}

/// Whether `s` looks like an OkHttp pin (`sha256/…`, `sha1/…`).
fn is_prefixed_pin(s: &str) -> bool {
    let hash = s
        .strip_prefix("sha256/")
        .or_else(|| s.strip_prefix("sha1/"));
    hash.is_some_and(|h| {
        h.len() >= 16
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    })
}

/// Whether `s` looks like a bare base64 SHA-256 (44 characters, `=`-padded).
fn is_bare_pin(s: &str) -> bool {
    s.len() == 44
        && s.ends_with('=')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
}

/// Whether `s` looks like a host name or pattern (`*.example.com`).
fn is_host(s: &str) -> bool {
    s.contains('.')
        && !s.starts_with('.')
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'*' | b'_'))
}

/// The class being walked.
struct Caller<'a> {
    descriptor: &'a str,
    type_idx: u32,
}

/// What one method's code does that the checks care about.
#[derive(Default)]
struct MethodScan {
    proceeds: bool,
    cancels: bool,
    /// Calls an `onReceivedSslError` (usually `super`'s, which cancels).
    defers: bool,
    insecure_factory: bool,
    allow_all: bool,
    attaches_pinner: bool,
    /// Libraries called, each with the literal hosts passed to it.
    pinning_calls: Vec<(&'static str, Vec<String>)>,
    prefixed_pins: Vec<String>,
    bare_pins: Vec<String>,
}

impl MethodScan {
    fn call(&mut self, library: &'static str, host: Option<String>) {
        let hosts = match self.pinning_calls.iter_mut().find(|(l, _)| *l == library) {
            Some((_, hosts)) => hosts,
            None => {
                self.pinning_calls.push((library, Vec::new()));
                &mut self.pinning_calls.last_mut().expect("just pushed").1
            }
        };
        if let Some(host) = host {
            if !hosts.contains(&host) && hosts.len() < MAX_LITERALS {
                hosts.push(host);
            }
        }
    }
}

fn keep(list: &mut Vec<String>, s: &str) {
    if list.len() < MAX_LITERALS && s.len() <= MAX_LITERAL_LEN && !list.iter().any(|x| x == s) {
        list.push(s.to_string());
    }
}

struct Scanner<'d, 'a> {
    dex: &'d Dex<'a>,
    targets: Targets,
    /// Register → string index of the last `const-string` it holds.
    regs: HashMap<u16, u32>,
}

impl Scanner<'_, '_> {
    /// The literal host in argument register `k` of `insn`, if known.
    fn host_arg(&self, insn: &Insn<'_>, k: usize) -> Option<String> {
        let string = *self.regs.get(&insn.arg(k)?)?;
        let s = self.dex.string(string)?;
        is_host(&s).then(|| s.into_owned())
    }

    fn scan(&mut self, caller: &Caller<'_>, code: &CodeItem<'_>) -> (MethodScan, bool) {
        let mut out = MethodScan::default();
        self.regs.clear();
        let in_okhttp = caller.descriptor.starts_with("Lokhttp3/")
            || caller.descriptor.starts_with("Lcom/squareup/okhttp/");
        let defines_allow_all = caller.descriptor.starts_with("Lorg/apache/http/conn/ssl/");
        let mut insns = instructions(code.insns);
        for insn in insns.by_ref() {
            let dex = self.dex;
            let t = &self.targets;
            match insn.op {
                0x1a | 0x1b => {
                    if let Some((reg, idx)) = insn.const_string() {
                        if let Some(s) = dex.string(idx) {
                            if is_prefixed_pin(&s) {
                                keep(&mut out.prefixed_pins, &s);
                            } else if is_bare_pin(&s) {
                                keep(&mut out.bare_pins, &s);
                            }
                        }
                        self.regs.insert(reg, idx);
                    }
                    continue;
                }
                0x22 if !defines_allow_all => {
                    out.allow_all |= t.allow_all_verifiers.contains(&insn.index16());
                }
                0x62 if !defines_allow_all => {
                    if let Some(field) = dex.field(insn.index16()) {
                        out.allow_all |= t.names.allow_all_field == Some(field.name_idx)
                            || t.allow_all_verifiers.contains(&u32::from(field.class_idx));
                    }
                }
                _ if insn.is_invoke() => {
                    if let Some(m) = dex.method(insn.index16()) {
                        let (class, name) = (u32::from(m.class_idx), Some(m.name_idx));
                        let n = &t.names;
                        out.defers |= name == n.on_received_ssl_error;
                        if Some(class) == t.ssl_error_handler {
                            out.proceeds |= name == n.proceed;
                            out.cancels |= name == n.cancel;
                        } else if Some(class) == t.insecure_factory {
                            out.insecure_factory |= name == n.get_insecure;
                        } else if in_okhttp {
                        } else if t.pinner_builders.contains(&class) && name == n.add {
                            let host = self.host_arg(&insn, 1);
                            out.call(OKHTTP, host);
                        } else if t.okhttp_clients.contains(&class)
                            && (name == n.certificate_pinner || name == n.set_certificate_pinner)
                        {
                            out.attaches_pinner = true;
                        } else if t.cronet_builders.contains(&class)
                            && name == n.add_public_key_pins
                        {
                            let host = self.host_arg(&insn, 1);
                            out.call(CRONET, host);
                        } else if let Some((_, lib)) =
                            t.pinning_packages.iter().find(|(range, _)| {
                                range.contains(&class) && !range.contains(&caller.type_idx)
                            })
                        {
                            out.call(lib, None);
                        }
                    }
                }
                _ => {}
            }
            if !self.regs.is_empty() {
                if let Some(reg) = insn.written() {
                    match insn.move_source().and_then(|s| self.regs.get(&s).copied()) {
                        Some(string) => self.regs.insert(reg, string),
                        None => self.regs.remove(&reg),
                    };
                }
            }
        }
        (out, insns.truncated())
    }
}

/// Problems met while walking, summarised in [`CodeFacts::incomplete`].
#[derive(Default)]
struct Problems {
    count: u32,
    first: Option<String>,
}

impl Problems {
    fn report(&mut self, problem: impl FnOnce() -> String) {
        self.count = self.count.saturating_add(1);
        if self.first.is_none() {
            self.first = Some(problem());
        }
    }

    fn summary(self) -> Option<String> {
        let first = self.first?;
        Some(match self.count {
            1 => first,
            n => format!("{first} (and {} more)", n - 1),
        })
    }
}

/// See [`super::analyze_dex`].
pub(super) fn analyze(bytes: &[u8]) -> Result<CodeFacts, FormatError> {
    let dex = parse(bytes)?;
    let types = type_count(bytes);
    let hierarchy = Hierarchy::new(&dex, bytes, MAX_CLASSES);
    let mut scanner = Scanner {
        dex: &dex,
        targets: Targets::find(&dex, types),
        regs: HashMap::new(),
    };
    let mut facts = CodeFacts::default();
    let mut problems = Problems::default();
    if let Some(table) = dex.truncated() {
        problems.report(|| format!("{table} cut short by the end of the file"));
    }
    let mut budget = bytes.len().saturating_mul(4);
    let mut data = ClassData::default();
    let classes = dex.class_count();
    if classes > MAX_CLASSES {
        problems.report(|| format!("only the first {MAX_CLASSES} of {classes} classes read"));
    }
    'classes: for c in 0..classes.min(MAX_CLASSES) {
        let Some(def) = dex.class_def(c) else {
            problems.report(|| format!("class_def {c} unreadable"));
            continue;
        };
        let Some(descriptor) = dex.type_descriptor(def.class_idx) else {
            problems.report(|| format!("class_def {c}: bad type index {}", def.class_idx));
            continue;
        };
        facts.classes_visited += 1;
        if let Some(&(_, lib)) = PINNING_PACKAGES
            .iter()
            .find(|(prefix, _)| descriptor.starts_with(prefix))
        {
            if !facts.pinning_libraries_present.iter().any(|l| l == lib) {
                facts.pinning_libraries_present.push(lib.to_string());
            }
        }
        if def.class_data_off == 0 {
            continue;
        }
        if let Err(e) = dex.class_data(def.class_data_off, &mut data) {
            problems.report(|| e.message);
        }
        let t = &scanner.targets;
        let is_trust_manager =
            !t.trust_managers.is_empty() && hierarchy.is_a(def.class_idx, &t.trust_managers);
        let is_verifier = !t.verifiers.is_empty() && hierarchy.is_a(def.class_idx, &t.verifiers);
        let caller = Caller {
            descriptor: &descriptor,
            type_idx: def.class_idx,
        };
        let library = library_of(&descriptor).map(str::to_string);
        let class = java_name(&descriptor);
        for method in data.direct_methods.iter().chain(&data.virtual_methods) {
            if method.code_off == 0 {
                continue;
            }
            let code = match dex.code_item(method.code_off) {
                Ok(code) => code,
                Err(e) => {
                    problems.report(|| e.message);
                    continue;
                }
            };
            budget = match budget.checked_sub(code.insns.len().max(1)) {
                Some(left) => left,
                None => {
                    problems.report(|| format!("work limit reached at class {c}"));
                    break 'classes;
                }
            };
            let name_idx = dex.method(method.method_idx).map(|m| m.name_idx);
            let method_name = || {
                name_idx
                    .and_then(|n| dex.string(n))
                    .map_or_else(|| "?".to_string(), |n| n.into_owned())
            };
            let names = &scanner.targets.names;
            let mut trust = |kind, detail: &str| {
                facts.trust.push(TrustFinding {
                    kind,
                    class: class.clone(),
                    method: method_name(),
                    detail: detail.to_string(),
                    library: library.clone(),
                });
            };
            if is_trust_manager && name_idx.is_some() && name_idx == names.check_server_trusted {
                if let Some(how) = accepts_any_chain(&dex, bytes, method.code_off, &code) {
                    trust(TrustKind::TrustAllCertificates, how.describe());
                }
            }
            if is_verifier
                && name_idx.is_some()
                && name_idx == names.verify
                && returns_true(&dex, &code)
            {
                trust(
                    TrustKind::HostnameVerifierAcceptsAll,
                    "returns true for every host",
                );
            }
            let on_ssl_error = name_idx.is_some() && name_idx == names.on_received_ssl_error;
            let (found, truncated) = scanner.scan(&caller, &code);
            if truncated {
                problems.report(|| {
                    format!(
                        "code_item at {:#x}: instruction runs past the end",
                        method.code_off
                    )
                });
            }
            if on_ssl_error && found.proceeds && !found.cancels && !found.defers {
                trust(
                    TrustKind::WebviewIgnoresSslErrors,
                    "calls SslErrorHandler.proceed(), never cancel() or the default handler",
                );
            }
            if found.insecure_factory {
                trust(
                    TrustKind::InsecureSocketFactory,
                    "calls SSLCertificateSocketFactory.getInsecure()",
                );
            }
            if found.allow_all {
                trust(
                    TrustKind::AllowAllHostnameVerifier,
                    "uses ALLOW_ALL_HOSTNAME_VERIFIER / AllowAllHostnameVerifier",
                );
            }
            facts.okhttp_pinner_attached |= found.attaches_pinner;
            record_pinning(&mut facts.pinning, found, &class, &method_name, &library);
        }
    }
    facts.incomplete = problems.summary();
    Ok(facts)
}

/// Turns one method's pinning calls and literals into [`PinningUse`]s.
fn record_pinning(
    out: &mut Vec<PinningUse>,
    found: MethodScan,
    class: &str,
    method_name: &dyn Fn() -> String,
    library: &Option<String>,
) {
    let MethodScan {
        pinning_calls,
        prefixed_pins,
        bare_pins,
        ..
    } = found;
    let mut uses: Vec<PinningUse> = pinning_calls
        .into_iter()
        .map(|(lib, hosts)| PinningUse {
            library: lib.to_string(),
            class: class.to_string(),
            method: method_name(),
            hosts,
            pins: if lib == OKHTTP {
                prefixed_pins.clone()
            } else {
                prefixed_pins.iter().chain(&bare_pins).cloned().collect()
            },
            in_library: library.clone(),
        })
        .collect();
    if uses.is_empty() && !prefixed_pins.is_empty() {
        uses.push(PinningUse {
            library: UNKNOWN.to_string(),
            class: class.to_string(),
            method: method_name(),
            hosts: Vec::new(),
            pins: prefixed_pins,
            in_library: library.clone(),
        });
    }
    out.extend(uses);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_shapes() {
        assert!(is_prefixed_pin(
            "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        ));
        assert!(is_prefixed_pin("sha1/BOGUSBOGUSBOGUSBOGUSBOGUSA="));
        assert!(!is_prefixed_pin("sha256/"));
        assert!(!is_prefixed_pin("sha256/not a pin at all, spaces"));
        assert!(is_bare_pin("r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E="));
        assert!(!is_bare_pin("r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E"));
        assert!(is_host("*.example.com") && is_host("api.example.com"));
        assert!(!is_host("hello world.") && !is_host("localhost") && !is_host(".x.y"));
        assert_eq!(java_name("Lcom/a/B$1;"), "com.a.B$1");
    }
}
