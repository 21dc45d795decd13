use std::collections::BTreeSet;

use super::*;
use crate::apps::rules;
use crate::findings::{Confidence, Severity};
use crate::fixtures::dex::{DexBuilder, Insn, InvokeKind, MethodKind, TryCatch};

const PIN: &str = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const BARE_PIN: &str = "r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E=";
const TRUST_MANAGER: &str = "javax.net.ssl.X509TrustManager";
const VERIFIER: &str = "javax.net.ssl.HostnameVerifier";

fn facts(build: impl FnOnce(&mut DexBuilder)) -> CodeFacts {
    let mut dex = DexBuilder::new();
    build(&mut dex);
    analyze_dex(&dex.build()).unwrap()
}

fn invoke(kind: InvokeKind, class: &str, method: &str, args: &[u8]) -> Insn {
    Insn::Invoke {
        kind,
        class: class.into(),
        method: method.into(),
        args: args.to_vec(),
    }
}

fn string(reg: u8, value: &str) -> Insn {
    Insn::ConstString {
        reg,
        value: value.into(),
    }
}

fn label(name: &str) -> Insn {
    Insn::Label(name.into())
}

/// (kind, class, method, detail) of every trust finding.
fn trust(f: &CodeFacts) -> Vec<(TrustKind, &str, &str, &str)> {
    f.trust
        .iter()
        .map(|t| {
            (
                t.kind,
                t.class.as_str(),
                t.method.as_str(),
                t.detail.as_str(),
            )
        })
        .collect()
}

/// A TrustManager class `name` whose `checkServerTrusted` runs `insns`.
fn trust_manager(dex: &mut DexBuilder, name: &str, insns: Vec<Insn>) {
    dex.class(name)
        .implements(TRUST_MANAGER)
        .method("checkServerTrusted", MethodKind::Instance, insns)
        .method("getAcceptedIssuers", MethodKind::Instance, vec![]);
}

/// `try { chain[0].checkValidity() } catch (<exception>) { e.printStackTrace() }`.
fn swallowing(dex: &mut DexBuilder, name: &str, exception: &str) {
    trust_manager(
        dex,
        name,
        vec![
            label("start"),
            invoke(
                InvokeKind::Virtual,
                "java.security.cert.X509Certificate",
                "checkValidity",
                &[1],
            ),
            label("end"),
            Insn::Raw(vec![0x000e]), // return-void
            label("handler"),
            Insn::Raw(vec![0x000d]), // move-exception v0
            invoke(
                InvokeKind::Virtual,
                "java.lang.Exception",
                "printStackTrace",
                &[0],
            ),
        ],
    );
    dex.class(name).try_catch(
        "checkServerTrusted",
        TryCatch {
            start: "start".into(),
            end: "end".into(),
            exception: Some(exception.into()),
            handler: "handler".into(),
        },
    );
}

#[test]
fn trust_managers_that_cannot_reject_are_reported() {
    let f = facts(|dex| {
        trust_manager(dex, "com.example.Empty", vec![]);
        trust_manager(
            dex,
            "com.example.Logs",
            vec![
                string(0, "tag"),
                invoke(InvokeKind::Static, "android.util.Log", "d", &[0, 0]),
            ],
        );
        swallowing(dex, "com.example.Swallows", "java.lang.Exception");
    });
    assert_eq!(
        trust(&f),
        [
            (
                TrustKind::TrustAllCertificates,
                "com.example.Empty",
                "checkServerTrusted",
                "empty body"
            ),
            (
                TrustKind::TrustAllCertificates,
                "com.example.Logs",
                "checkServerTrusted",
                "returns without checking the chain"
            ),
            (
                TrustKind::TrustAllCertificates,
                "com.example.Swallows",
                "checkServerTrusted",
                "catches and ignores certificate exceptions"
            ),
        ]
    );
    assert_eq!(f.classes_visited, 3);
    assert_eq!(f.incomplete, None);
}

#[test]
fn trust_managers_that_may_reject_are_not_reported() {
    let f = facts(|dex| {
        // Checks something and throws.
        trust_manager(
            dex,
            "com.example.Throws",
            vec![
                Insn::NewInstance {
                    reg: 0,
                    class: "java.security.cert.CertificateException".into(),
                },
                invoke(
                    InvokeKind::Direct,
                    "java.security.cert.CertificateException",
                    "<init>",
                    &[0],
                ),
                Insn::Throw { reg: 0 },
            ],
        );
        // Delegates to the platform TrustManager.
        trust_manager(
            dex,
            "com.example.Delegates",
            vec![invoke(
                InvokeKind::Interface,
                TRUST_MANAGER,
                "checkServerTrusted",
                &[1, 2, 3],
            )],
        );
        // Catches only a narrower exception: others propagate.
        swallowing(
            dex,
            "com.example.Narrow",
            "java.security.cert.CertificateExpiredException",
        );
        // Empty, but not a TrustManager.
        dex.class("com.example.NotATrustManager").method(
            "checkServerTrusted",
            MethodKind::Instance,
            vec![],
        );
    });
    assert_eq!(trust(&f), []);
}

#[test]
fn trust_manager_through_a_superclass_in_the_same_file() {
    let f = facts(|dex| {
        trust_manager(
            dex,
            "com.example.Base",
            vec![invoke(
                InvokeKind::Virtual,
                "com.example.Base",
                "validate",
                &[0],
            )],
        );
        dex.class("com.example.Sub")
            .extends("com.example.Base")
            .method("checkServerTrusted", MethodKind::Instance, vec![]);
        dex.class("com.example.SubSub")
            .extends("com.example.Sub")
            .method("checkServerTrusted", MethodKind::Instance, vec![]);
        dex.class("javax.net.ssl.X509ExtendedTrustManager");
        dex.class("com.example.Extended")
            .extends("javax.net.ssl.X509ExtendedTrustManager")
            .method("checkServerTrusted", MethodKind::Instance, vec![]);
    });
    let classes: Vec<&str> = f.trust.iter().map(|t| t.class.as_str()).collect();
    assert_eq!(
        classes,
        [
            "com.example.Sub",
            "com.example.SubSub",
            "com.example.Extended"
        ]
    );
}

#[test]
fn hostname_verifiers_returning_constant_true() {
    let f = facts(|dex| {
        dex.class("com.example.AcceptAll")
            .implements(VERIFIER)
            .method(
                "verify",
                MethodKind::Instance,
                vec![Insn::Const4 { reg: 0, value: 1 }, Insn::Return { reg: 0 }],
            );
        // Kotlin: parameter null checks, then true.
        dex.class("com.example.KotlinAcceptAll")
            .implements(VERIFIER)
            .method(
                "verify",
                MethodKind::Instance,
                vec![
                    string(0, "hostname"),
                    invoke(
                        InvokeKind::Static,
                        "kotlin.jvm.internal.Intrinsics",
                        "checkNotNullParameter",
                        &[1, 0],
                    ),
                    Insn::Const4 { reg: 0, value: 1 },
                    Insn::Return { reg: 0 },
                ],
            );
        // Calls through to the default verifier.
        dex.class("com.example.Delegates")
            .implements(VERIFIER)
            .method(
                "verify",
                MethodKind::Instance,
                vec![
                    invoke(
                        InvokeKind::Static,
                        "javax.net.ssl.HttpsURLConnection",
                        "getDefaultHostnameVerifier",
                        &[],
                    ),
                    Insn::Raw(vec![0x000c]), // move-result-object v0
                    invoke(InvokeKind::Interface, VERIFIER, "verify", &[0, 1, 2]),
                    Insn::Raw(vec![0x000a]), // move-result v0
                    Insn::Return { reg: 0 },
                ],
            );
        // Always false.
        dex.class("com.example.RejectAll")
            .implements(VERIFIER)
            .method(
                "verify",
                MethodKind::Instance,
                vec![Insn::Const4 { reg: 0, value: 0 }, Insn::Return { reg: 0 }],
            );
    });
    let found: Vec<_> = trust(&f)
        .into_iter()
        .map(|(kind, class, method, _)| (kind, class, method))
        .collect();
    assert_eq!(
        found,
        [
            (
                TrustKind::HostnameVerifierAcceptsAll,
                "com.example.AcceptAll",
                "verify"
            ),
            (
                TrustKind::HostnameVerifierAcceptsAll,
                "com.example.KotlinAcceptAll",
                "verify"
            ),
        ]
    );
}

#[test]
fn allow_all_verifier_and_insecure_factory_uses() {
    let apache = "org.apache.http.conn.ssl.SSLSocketFactory";
    let allow_all = "org.apache.http.conn.ssl.AllowAllHostnameVerifier";
    let f = facts(|dex| {
        dex.class("com.example.Client")
            .method(
                "constant",
                MethodKind::Static,
                vec![Insn::SgetObject {
                    reg: 0,
                    class: apache.into(),
                    field: "ALLOW_ALL_HOSTNAME_VERIFIER".into(),
                }],
            )
            .method(
                "instance",
                MethodKind::Static,
                vec![Insn::NewInstance {
                    reg: 0,
                    class: allow_all.into(),
                }],
            )
            .method(
                "strict",
                MethodKind::Static,
                vec![Insn::SgetObject {
                    reg: 0,
                    class: apache.into(),
                    field: "STRICT_HOSTNAME_VERIFIER".into(),
                }],
            )
            .method(
                "insecure",
                MethodKind::Static,
                vec![invoke(
                    InvokeKind::Static,
                    "android.net.SSLCertificateSocketFactory",
                    "getInsecure",
                    &[0, 1],
                )],
            )
            .method(
                "secure",
                MethodKind::Static,
                vec![invoke(
                    InvokeKind::Static,
                    "android.net.SSLCertificateSocketFactory",
                    "getDefault",
                    &[0, 1],
                )],
            );
        // Where the library defines the constant: not a use.
        dex.class(apache).method(
            "<clinit>",
            MethodKind::Static,
            vec![Insn::NewInstance {
                reg: 0,
                class: allow_all.into(),
            }],
        );
    });
    let found: Vec<_> = trust(&f)
        .into_iter()
        .map(|(kind, class, method, _)| (kind, class, method))
        .collect();
    assert_eq!(
        found,
        [
            (
                TrustKind::AllowAllHostnameVerifier,
                "com.example.Client",
                "constant"
            ),
            (
                TrustKind::InsecureSocketFactory,
                "com.example.Client",
                "insecure"
            ),
            (
                TrustKind::AllowAllHostnameVerifier,
                "com.example.Client",
                "instance"
            ),
        ]
    );
}

#[test]
fn webview_clients_that_proceed_on_ssl_errors() {
    let handler = "android.webkit.SslErrorHandler";
    let f = facts(|dex| {
        dex.class("com.example.Proceeds")
            .extends("android.webkit.WebViewClient")
            .method(
                "onReceivedSslError",
                MethodKind::Instance,
                vec![invoke(InvokeKind::Virtual, handler, "proceed", &[2])],
            );
        dex.class("com.example.Asks")
            .extends("android.webkit.WebViewClient")
            .method(
                "onReceivedSslError",
                MethodKind::Instance,
                vec![
                    invoke(InvokeKind::Virtual, handler, "proceed", &[2]),
                    invoke(InvokeKind::Virtual, handler, "cancel", &[2]),
                ],
            );
        // Proceeds in debug builds only, else defers to the default (Cordova).
        dex.class("com.example.DebugOnly")
            .extends("android.webkit.WebViewClient")
            .method(
                "onReceivedSslError",
                MethodKind::Instance,
                vec![
                    invoke(InvokeKind::Virtual, handler, "proceed", &[2]),
                    invoke(
                        InvokeKind::Super,
                        "android.webkit.WebViewClient",
                        "onReceivedSslError",
                        &[0, 1, 2, 3],
                    ),
                ],
            );
        dex.class("com.example.Elsewhere").method(
            "onClick",
            MethodKind::Instance,
            vec![invoke(InvokeKind::Virtual, handler, "proceed", &[2])],
        );
    });
    let found: Vec<_> = trust(&f)
        .into_iter()
        .map(|(kind, class, _, _)| (kind, class))
        .collect();
    assert_eq!(
        found,
        [(TrustKind::WebviewIgnoresSslErrors, "com.example.Proceeds")]
    );
}

/// `new CertificatePinner.Builder().add(host, pin)`, optionally attached.
fn okhttp_pinner(dex: &mut DexBuilder, host_insns: Vec<Insn>, attach: bool) {
    let builder = "okhttp3.CertificatePinner$Builder";
    let mut insns = vec![Insn::NewInstance {
        reg: 0,
        class: builder.into(),
    }];
    insns.extend(host_insns);
    insns.push(string(2, PIN));
    insns.push(invoke(InvokeKind::Virtual, builder, "add", &[0, 1, 2]));
    if attach {
        insns.push(invoke(
            InvokeKind::Virtual,
            "okhttp3.OkHttpClient$Builder",
            "certificatePinner",
            &[3, 4],
        ));
    }
    dex.class("com.example.Net")
        .method("client", MethodKind::Static, insns);
}

#[test]
fn okhttp_pinning_with_literal_host_and_pin() {
    let f = facts(|dex| okhttp_pinner(dex, vec![string(1, "api.example.com")], true));
    assert_eq!(
        f.pinning,
        [PinningUse {
            library: "OkHttp".into(),
            class: "com.example.Net".into(),
            method: "client".into(),
            hosts: vec!["api.example.com".into()],
            pins: vec![PIN.into()],
            in_library: None,
        }]
    );
    assert!(f.okhttp_pinner_attached);
    assert!(issues(&[("classes.dex".into(), f)]).is_empty());
}

#[test]
fn okhttp_host_is_dropped_when_its_register_is_overwritten() {
    let f = facts(|dex| {
        okhttp_pinner(
            dex,
            vec![
                string(1, "api.example.com"),
                invoke(InvokeKind::Static, "com.example.Config", "host", &[]),
                Insn::Raw(vec![0x010c]), // move-result-object v1
            ],
            false,
        )
    });
    assert_eq!(f.pinning.len(), 1);
    assert_eq!(f.pinning[0].hosts, Vec::<String>::new());
    assert_eq!(f.pinning[0].pins, [PIN]);
    assert!(!f.okhttp_pinner_attached);
}

#[test]
fn cronet_trustkit_and_bare_pin_literals() {
    let f = facts(|dex| {
        dex.class("com.example.Cronet").method(
            "engine",
            MethodKind::Static,
            vec![
                string(1, "cdn.example.org"),
                string(2, BARE_PIN),
                invoke(
                    InvokeKind::Virtual,
                    "org.chromium.net.CronetEngine$Builder",
                    "addPublicKeyPins",
                    &[0, 1, 2, 3, 4],
                ),
            ],
        );
        dex.class("com.example.App").method(
            "onCreate",
            MethodKind::Instance,
            vec![invoke(
                InvokeKind::Static,
                "com.datatheorem.android.trustkit.TrustKit",
                "initializeWithNetworkSecurityConfiguration",
                &[0],
            )],
        );
        // The library calling itself is not a use.
        dex.class("com.datatheorem.android.trustkit.TrustKit")
            .method(
                "getInstance",
                MethodKind::Static,
                vec![invoke(
                    InvokeKind::Static,
                    "com.datatheorem.android.trustkit.TrustKit",
                    "initializeWithNetworkSecurityConfiguration",
                    &[0],
                )],
            );
        dex.class("com.example.Pins")
            .method_with_strings("pins", &[PIN, BARE_PIN]);
    });
    let uses: Vec<_> = f
        .pinning
        .iter()
        .map(|u| {
            (
                u.library.as_str(),
                u.class.as_str(),
                u.hosts.clone(),
                u.pins.clone(),
            )
        })
        .collect();
    assert_eq!(
        uses,
        [
            (
                "Cronet",
                "com.example.Cronet",
                vec!["cdn.example.org".to_string()],
                vec![BARE_PIN.to_string()]
            ),
            ("TrustKit", "com.example.App", vec![], vec![]),
            (
                "unknown (pin literals)",
                "com.example.Pins",
                vec![],
                vec![PIN.to_string()]
            ),
        ]
    );
    assert_eq!(f.pinning_libraries_present, ["TrustKit"]);
}

#[test]
fn issues_rules_symbols_and_library_severity() {
    let app = facts(|dex| {
        trust_manager(dex, "com.example.TrustAll", vec![]);
        okhttp_pinner(dex, vec![string(1, "api.example.com")], false);
    });
    let library = facts(|dex| {
        trust_manager(dex, "com.facebook.internal.TrustAll", vec![]);
        dex.class("com.example.Web")
            .extends("android.webkit.WebViewClient")
            .method(
                "onReceivedSslError",
                MethodKind::Instance,
                vec![invoke(
                    InvokeKind::Virtual,
                    "android.webkit.SslErrorHandler",
                    "proceed",
                    &[2],
                )],
            );
    });
    let all = [
        ("classes.dex".to_string(), app),
        ("classes2.dex".to_string(), library),
    ];
    let got = issues(&all);
    let summary: Vec<_> = got
        .iter()
        .map(|i| {
            (
                i.rule_id,
                i.entry.as_str(),
                i.symbol.as_deref().unwrap(),
                i.severity,
                i.confidence,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "android-trust-all-certificates",
                "classes.dex",
                "com.example.TrustAll.checkServerTrusted",
                None,
                None
            ),
            (
                "android-trust-all-certificates",
                "classes2.dex",
                "com.facebook.internal.TrustAll.checkServerTrusted",
                Some(Severity::Medium),
                Some(Confidence::Medium)
            ),
            (
                "android-webview-ignores-ssl-errors",
                "classes2.dex",
                "com.example.Web.onReceivedSslError",
                None,
                None
            ),
            (
                "android-pinning-not-attached",
                "classes.dex",
                "com.example.Net.client",
                None,
                None
            ),
        ]
    );
    assert!(
        got[1].message.contains("Facebook SDK"),
        "{}",
        got[1].message
    );
    assert!(got[3].message.contains("api.example.com"));
    for issue in &got {
        assert!(rules::get(issue.rule_id).is_some(), "{}", issue.rule_id);
    }
}

#[test]
fn every_declared_rule_fires() {
    let f = facts(|dex| {
        trust_manager(dex, "a.Tm", vec![]);
        dex.class("a.Hv").implements(VERIFIER).method(
            "verify",
            MethodKind::Instance,
            vec![Insn::Const4 { reg: 0, value: 1 }, Insn::Return { reg: 0 }],
        );
        dex.class("a.F").method(
            "f",
            MethodKind::Static,
            vec![invoke(
                InvokeKind::Static,
                "android.net.SSLCertificateSocketFactory",
                "getInsecure",
                &[],
            )],
        );
        dex.class("a.W").method(
            "onReceivedSslError",
            MethodKind::Instance,
            vec![invoke(
                InvokeKind::Virtual,
                "android.webkit.SslErrorHandler",
                "proceed",
                &[2],
            )],
        );
        okhttp_pinner(dex, vec![], false);
    });
    let fired: BTreeSet<&str> = issues(&[("classes.dex".into(), f)])
        .iter()
        .map(|i| i.rule_id)
        .collect();
    let file: toml::Table = toml::from_str(include_str!(
        "../../../../signatures/checks/android-code.toml"
    ))
    .unwrap();
    let declared: BTreeSet<&str> = file["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(declared.iter().all(|id| rules::get(id).is_some()));
    assert_eq!(fired, declared);
}

#[test]
fn pinning_summary_merges_entries() {
    let one = facts(|dex| okhttp_pinner(dex, vec![string(1, "b.example.com")], false));
    let two = facts(|dex| {
        okhttp_pinner(dex, vec![string(1, "a.example.com")], true);
        dex.class("com.wultra.android.sslpinning.CertStore");
    });
    let s = pinning_summary(&[("classes.dex".into(), one), ("classes2.dex".into(), two)]);
    assert_eq!(
        s,
        PinningSummary {
            libraries: vec!["OkHttp".into()],
            libraries_present: vec!["Wultra SSL pinning".into()],
            hosts: vec!["a.example.com".into(), "b.example.com".into()],
            pins: vec![PIN.into()],
            okhttp_pinner_attached: true,
            uses: 2,
        }
    );
    assert_eq!(pinning_summary(&[]), PinningSummary::default());
}

#[test]
fn damaged_files_never_panic() {
    let mut dex = DexBuilder::new();
    swallowing(&mut dex, "com.example.Swallows", "java.lang.Exception");
    okhttp_pinner(&mut dex, vec![string(1, "api.example.com")], true);
    dex.class("com.example.Hv").implements(VERIFIER).method(
        "verify",
        MethodKind::Instance,
        vec![Insn::Const4 { reg: 0, value: 1 }, Insn::Return { reg: 0 }],
    );
    let bytes = dex.build();
    let whole = analyze_dex(&bytes).unwrap();
    assert_eq!(whole.trust.len(), 2);
    for cut in 0..bytes.len() {
        let _ = analyze_dex(&bytes[..cut]);
    }
    for at in 0x70..bytes.len() {
        for value in [0x00, 0xff, 0x80] {
            let mut damaged = bytes.clone();
            damaged[at] = value;
            let _ = analyze_dex(&damaged);
        }
    }
    assert!(analyze_dex(b"dex\n035\0").is_err());
}

/// Runs over every DEX, JAR and APK of the corpus and prints what it finds
/// (`cargo test corpus_trust_and_pinning -- --nocapture`).
#[test]
fn corpus_trust_and_pinning() {
    let Some(root) = crate::test_support::corpus_dir() else {
        eprintln!("corpus absent; skipping");
        return;
    };
    let mut files = Vec::new();
    for dir in ["dex", "real-android", "vuln-android"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        files.extend(entries.flatten().map(|e| e.path()));
    }
    files.sort();
    let mut dexes = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let mut per_file: Vec<(String, CodeFacts)> = Vec::new();
        let started = std::time::Instant::now();
        if bytes.starts_with(b"dex\n") {
            if let Ok(f) = analyze_dex(&bytes) {
                per_file.push(("classes.dex".into(), f));
            }
        } else if let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) {
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).unwrap();
                let Ok(name) = entry.name().map(|n| n.to_string()) else {
                    continue;
                };
                if !name.ends_with(".dex") {
                    continue;
                }
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut entry, &mut data).unwrap();
                match analyze_dex(&data) {
                    Ok(f) => per_file.push((name, f)),
                    Err(e) => eprintln!("{}: {name}: {e}", path.display()),
                }
            }
        }
        if per_file.is_empty() {
            continue;
        }
        dexes += per_file.len();
        let elapsed = started.elapsed();
        let found = issues(&per_file);
        let summary = pinning_summary(&per_file);
        let classes: u32 = per_file.iter().map(|(_, f)| f.classes_visited).sum();
        eprintln!(
            "{} ({} dex, {classes} classes, {elapsed:.1?}): {} issues, pinning {}",
            path.display(),
            per_file.len(),
            found.len(),
            serde_json::to_string(&summary).unwrap()
        );
        for i in &found {
            eprintln!(
                "    {} {} {} {:?}",
                i.rule_id,
                i.entry,
                i.symbol.as_deref().unwrap_or(""),
                i.severity
            );
        }
        for (name, f) in &per_file {
            if let Some(problem) = &f.incomplete {
                eprintln!("    {name}: incomplete: {problem}");
            }
            // Every finding names a class and a method.
            assert!(f
                .trust
                .iter()
                .all(|t| !t.class.is_empty() && !t.method.is_empty()));
        }
    }
    eprintln!("{dexes} DEX files analysed");
}
