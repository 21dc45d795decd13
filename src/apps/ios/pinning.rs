//! Evidence of certificate pinning and trust handling in a Mach-O file
//! (thin or universal, every slice): linked libraries, imported trust
//! APIs, Objective-C class names and selectors, and the type and key names
//! of pinning libraries (TrustKit, AFNetworking, Alamofire).
//!
//! Names prove that code is present, not that it runs: a library ships its
//! own insecure options whether or not the app uses them. Only references
//! that cross a binary boundary (an imported symbol, a selector called on a
//! class defined elsewhere) are taken as use.

use crate::formats::{macho, ScannedString};
use serde::Serialize;
use std::collections::BTreeSet;

/// At most this many linked libraries are kept.
const MAX_DYLIBS: usize = 512;

/// Imported C functions of interest besides every `SecTrust…` function.
const TRUST_FUNCTIONS: &[&str] = &[
    "SecPolicyCreateSSL",
    "SecPolicyCreateBasicX509",
    "SecCertificateCopyData",
    "SecCertificateCreateWithData",
    "SecKeyCopyExternalRepresentation",
    "SSL_set_custom_verify",
    "SSL_CTX_set_custom_verify",
    "sec_protocol_options_set_verify_block",
];

/// Selectors that show trust handling or pinning configuration.
const SELECTORS: &[&str] = &[
    "URLSession:didReceiveChallenge:completionHandler:",
    "URLSession:task:didReceiveChallenge:completionHandler:",
    "connection:willSendRequestForAuthenticationChallenge:",
    "webView:didReceiveAuthenticationChallenge:completionHandler:",
    "useCredential:forAuthenticationChallenge:",
    "credentialForTrust:",
    "policyWithPinningMode:",
    "policyWithPinningMode:withPinnedCertificates:",
    "setAllowInvalidCertificates:",
    "setValidatesDomainName:",
    "setPinnedCertificates:",
    "initSharedInstanceWithConfiguration:",
];

/// Type and key names of pinning libraries, looked for inside class names,
/// symbol names and literals.
const MARKERS: &[&str] = &[
    "TrustKit",
    "TSKPinningValidator",
    "TSKPinnedDomains",
    "TSKPublicKeyHashes",
    "TSKEnforcePinning",
    "TSKIncludeSubdomains",
    "AFSecurityPolicy",
    "ServerTrustManager",
    "ServerTrustPolicyManager",
    "PinnedCertificatesTrustEvaluator",
    "PublicKeysTrustEvaluator",
    "DisabledTrustEvaluator",
    "DisabledEvaluator",
];

/// What one Mach-O file shows about trust handling.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BinaryFacts {
    /// Linked dylib paths.
    pub dylibs: Vec<String>,
    /// Imported trust functions (`SecTrustEvaluateWithError`…), without
    /// the leading underscore.
    pub trust_imports: Vec<String>,
    /// Objective-C class names (`__objc_classname`) containing a marker.
    pub objc_classes: Vec<String>,
    /// Selectors of interest found in `__objc_methname`.
    pub selectors: Vec<String>,
    /// Markers named inside this binary (defined types, literals, class
    /// names): the code is present, not necessarily used.
    pub markers: Vec<String>,
    /// Markers named by imported symbols: types this binary uses from
    /// another one.
    pub imported_markers: Vec<String>,
    /// Why (part of) the file could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl BinaryFacts {
    fn has(list: &[String], s: &str) -> bool {
        list.iter().any(|x| x == s)
    }

    /// The file defines AFNetworking's `AFSecurityPolicy` class itself.
    pub fn defines_af_security_policy(&self) -> bool {
        Self::has(&self.objc_classes, "AFSecurityPolicy")
    }

    /// Calls `setAllowInvalidCertificates:` without defining
    /// `AFSecurityPolicy` (the argument is not visible statically).
    pub fn sets_allow_invalid_certificates(&self) -> bool {
        Self::has(&self.selectors, "setAllowInvalidCertificates:")
            && !self.defines_af_security_policy()
    }

    /// Uses Alamofire's `DisabledTrustEvaluator` through an imported symbol.
    pub fn uses_disabled_trust_evaluator(&self) -> bool {
        Self::has(&self.imported_markers, "DisabledTrustEvaluator")
            || Self::has(&self.imported_markers, "DisabledEvaluator")
    }

    /// Pinning and trust libraries or APIs present, each with how strong
    /// the evidence is.
    pub fn libraries(&self) -> Vec<String> {
        let any = |names: &[&str]| {
            names
                .iter()
                .any(|n| Self::has(&self.markers, n) || Self::has(&self.imported_markers, n))
        };
        let mut out = Vec::new();
        if any(&[
            "TrustKit",
            "TSKPinningValidator",
            "TSKPinnedDomains",
            "TSKPublicKeyHashes",
        ]) {
            out.push("TrustKit".to_string());
        }
        if any(&["AFSecurityPolicy"]) || Self::has(&self.selectors, "policyWithPinningMode:") {
            out.push("AFNetworking AFSecurityPolicy".into());
        }
        if any(&[
            "ServerTrustManager",
            "PinnedCertificatesTrustEvaluator",
            "PublicKeysTrustEvaluator",
        ]) {
            out.push("Alamofire ServerTrustManager".into());
        }
        if any(&["ServerTrustPolicyManager"]) {
            out.push("Alamofire 4 ServerTrustPolicyManager".into());
        }
        let challenge = SELECTORS[..4].iter().any(|s| Self::has(&self.selectors, s));
        let evaluates = self
            .trust_imports
            .iter()
            .any(|i| i.starts_with("SecTrustEvaluate"))
            || Self::has(&self.selectors, "useCredential:forAuthenticationChallenge:")
            || Self::has(&self.selectors, "credentialForTrust:");
        if challenge && evaluates {
            out.push(
                "custom server-trust handling (authentication challenge delegate; weak evidence)"
                    .into(),
            );
        }
        if self
            .trust_imports
            .iter()
            .any(|i| i.starts_with("SecTrustSetAnchorCertificates"))
        {
            out.push("SecTrustSetAnchorCertificates (custom trust anchors)".into());
        }
        out
    }
}

/// Reads what a Mach-O file shows about trust handling. Never panics; a
/// file that cannot be parsed yields the facts read so far and an error.
pub fn binary_facts(bytes: &[u8]) -> BinaryFacts {
    let mut dylibs = Vec::new();
    let mut sets: [BTreeSet<String>; 5] = Default::default();
    let [imports, classes, selectors, markers, imported] = &mut sets;
    let result = macho::extract(bytes, &mut |s: ScannedString<'_>| {
        let Ok(text) = std::str::from_utf8(s.text) else {
            return;
        };
        match s.symbol.unwrap_or_default() {
            "dylibs" => {
                if dylibs.len() < MAX_DYLIBS && !dylibs.iter().any(|d| d == text) {
                    dylibs.push(text.to_owned());
                }
            }
            "imports" => {
                let name = text.strip_prefix('_').unwrap_or(text);
                if name.starts_with("SecTrust") || TRUST_FUNCTIONS.contains(&name) {
                    imports.insert(name.to_owned());
                }
                add_markers(text, imported);
            }
            "__TEXT,__objc_methname" => {
                if let Some(sel) = SELECTORS.iter().find(|s| **s == text) {
                    selectors.insert((*sel).to_owned());
                }
            }
            label => {
                if label == "__TEXT,__objc_classname" && MARKERS.iter().any(|m| text.contains(m)) {
                    classes.insert(text.to_owned());
                }
                add_markers(text, markers);
            }
        }
    });
    let take = |s: &mut BTreeSet<String>| std::mem::take(s).into_iter().collect();
    BinaryFacts {
        dylibs,
        trust_imports: take(imports),
        objc_classes: take(classes),
        selectors: take(selectors),
        markers: take(markers),
        imported_markers: take(imported),
        error: result.err().map(|e| e.to_string()),
    }
}

fn add_markers(text: &str, into: &mut BTreeSet<String>) {
    for m in MARKERS {
        if text.contains(m) {
            into.insert((*m).to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::macho::{fat, Arch, MachOBuilder};

    #[test]
    fn app_using_frameworks_through_imports() {
        let app = MachOBuilder::new(Arch::Arm64)
            .load_dylib("@rpath/Alamofire.framework/Alamofire")
            .load_dylib("/System/Library/Frameworks/Security.framework/Security")
            .import("_SecTrustEvaluateWithError")
            .import("_SecTrustSetAnchorCertificates")
            .import("_objc_msgSend")
            .import("_$s9Alamofire23DisabledTrustEvaluatorCACycfC")
            .import("_OBJC_CLASS_$_AFSecurityPolicy")
            .methname("URLSession:didReceiveChallenge:completionHandler:")
            .methname("useCredential:forAuthenticationChallenge:")
            .methname("setAllowInvalidCertificates:")
            .methname("viewDidLoad")
            .build();
        let f = binary_facts(&app);
        assert_eq!(f.error, None);
        assert_eq!(f.dylibs.len(), 2);
        assert_eq!(
            f.trust_imports,
            ["SecTrustEvaluateWithError", "SecTrustSetAnchorCertificates"]
        );
        assert_eq!(
            f.imported_markers,
            ["AFSecurityPolicy", "DisabledTrustEvaluator"]
        );
        assert_eq!(f.selectors.len(), 3);
        assert!(f.uses_disabled_trust_evaluator());
        assert!(f.sets_allow_invalid_certificates());
        let libs = f.libraries();
        assert!(
            libs.iter().any(|l| l.starts_with("AFNetworking")),
            "{libs:?}"
        );
        assert!(libs.iter().any(|l| l.contains("weak evidence")), "{libs:?}");
    }

    #[test]
    fn library_copies_are_presence_not_use() {
        // A statically linked AFNetworking and Alamofire: the selector and
        // the insecure evaluator are the libraries' own.
        let thin = |arch| {
            MachOBuilder::new(arch)
                .classname("AFSecurityPolicy")
                .classname("TSKPinningValidator")
                .methname("setAllowInvalidCertificates:")
                .methname("policyWithPinningMode:")
                .cstring("TSKPinnedDomains")
                .cstring("9Alamofire24ServerTrustPolicyManagerC")
                .export("_$s9Alamofire23DisabledTrustEvaluatorCMn")
                .export("_$s9Alamofire18ServerTrustManagerCMn")
                .build()
        };
        let f = binary_facts(&fat(&[&thin(Arch::Armv7), &thin(Arch::Arm64)]));
        assert_eq!(f.error, None);
        assert_eq!(f.objc_classes, ["AFSecurityPolicy", "TSKPinningValidator"]);
        assert!(f.markers.contains(&"DisabledTrustEvaluator".to_string()));
        assert!(f.imported_markers.is_empty());
        assert!(!f.uses_disabled_trust_evaluator());
        assert!(!f.sets_allow_invalid_certificates());
        let libs = f.libraries();
        assert_eq!(libs.len(), 4, "{libs:?}");
        assert!(
            libs.iter().any(|l| l.starts_with("Alamofire 4")),
            "{libs:?}"
        );
        // A challenge delegate alone is not reported as trust handling.
        let delegate = MachOBuilder::new(Arch::Arm64)
            .methname("URLSession:didReceiveChallenge:completionHandler:")
            .build();
        assert!(binary_facts(&delegate).libraries().is_empty());
    }

    #[test]
    fn garbage_and_truncation_do_not_panic() {
        let app = MachOBuilder::new(Arch::Arm64)
            .import("_SecTrustEvaluate")
            .methname("setAllowInvalidCertificates:")
            .build();
        for n in (0..app.len()).step_by(7) {
            let _ = binary_facts(&app[..n]);
        }
        assert!(binary_facts(b"not a mach-o").error.is_some());
    }

    /// Every Mach-O and odd file of the corpus reads without panicking.
    #[test]
    fn corpus_binaries() {
        let Some(dir) = crate::test_support::corpus_dir() else {
            return;
        };
        for sub in ["macho", "odd", "vuln-ios"] {
            let Ok(list) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for path in list.flatten().map(|e| e.path()) {
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let f = binary_facts(&bytes);
                if std::env::var_os("MASTIFF_IOS_DUMP").is_some() && f.error.is_none() {
                    println!(
                        "{}: libs={:?} imports={:?} classes={:?} sels={:?} markers={:?} imported={:?}",
                        path.display(),
                        f.libraries(),
                        f.trust_imports,
                        f.objc_classes,
                        f.selectors,
                        f.markers,
                        f.imported_markers
                    );
                }
            }
        }
    }
}
