//! React Native JavaScript bundles (metro output: `index.android.bundle`,
//! `main.jsbundle`, or any other name), recognised by content.
//!
//! Metro starts a bundle with its prelude (`var __BUNDLE_START_TIME__=…`,
//! `__fbBatchedBridgeConfig` in older releases), wraps every module in
//! `__d(function(g,r,i,a,m,e,d){…},id,[deps],"path")` and ends with the
//! `__r(id)` calls that start the app. Only the head and tail are read, so
//! the test costs the same for a 50 MB bundle. Bundles are text and are
//! extracted as such ([`super::text`]), minified one-line bundles included.
//! Hermes-compiled bundles are binary: see [`super::hermes`].

/// Bytes read at each end of the file.
const PROBE: usize = 4096;

/// Markers only metro's prelude writes.
const PRELUDE: [&[u8]; 2] = [b"__BUNDLE_START_TIME__", b"__fbBatchedBridgeConfig"];

/// The start of a metro module definition, with and without the extra
/// parentheses newer minifiers add.
const MODULE: [&[u8]; 2] = [b"__d(function", b"__d((function"];

/// The call that runs a module, ending a bundle.
const REQUIRE: &[u8] = b"__r(";

/// True when `bytes` are a React Native (metro) JavaScript bundle: the
/// prelude's markers in the head, or a module definition in the head and a
/// module run in the tail.
pub fn is_react_native_bundle(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(PROBE)];
    let tail = &bytes[bytes.len().saturating_sub(PROBE)..];
    if head.contains(&0) || !head.iter().any(|b| !b.is_ascii_whitespace()) {
        return false;
    }
    PRELUDE.iter().any(|m| contains(head, m))
        || (MODULE.iter().any(|m| contains(head, m)) && contains(tail, REQUIRE))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::test_scan::findings;

    /// A one-line minified bundle of at least `size` bytes with `planted`
    /// in a module in the middle.
    fn bundle(size: usize, planted: &str) -> Vec<u8> {
        let mut js = b"var __BUNDLE_START_TIME__=this.nativePerformanceNow?nativePerformanceNow():Date.now(),__DEV__=false,process=this.process||{};".to_vec();
        let module = |id: usize, body: &str| {
            format!(
                "__d(function(g,r,i,a,m,e,d){{\"use strict\";{body}}},{id},[],\"src/m{id}.js\");"
            )
        };
        let mut id = 0;
        while js.len() < size / 2 {
            js.extend(
                module(
                    id,
                    "var a=function(n){return n*2+1},b=\"lorem ipsum dolor\";m.exports={a:a,b:b};",
                )
                .bytes(),
            );
            id += 1;
        }
        js.extend(module(id, planted).bytes());
        while js.len() < size {
            id += 1;
            js.extend(
                module(
                    id,
                    "m.exports=function(t){return t.map(function(x){return x+1})};",
                )
                .bytes(),
            );
        }
        js.extend(b"__r(78);__r(0);");
        js
    }

    #[test]
    fn recognises_metro_bundles_by_content() {
        assert!(is_react_native_bundle(&bundle(20_000, "")));
        // No prelude: module definitions at the head, module runs at the end.
        let bare = b"__d(function(g,r,i,a,m,e,d){m.exports=1},0,[],\"index.js\");\n__r(0);";
        assert!(is_react_native_bundle(bare));
        let older = b"__d((function(g,r,i,a,m,e,d){m.exports=1}),0,[]);__r(0);";
        assert!(is_react_native_bundle(older));
        let bridge = b"(function(){global.__fbBatchedBridgeConfig={remoteModuleConfig:[]}})();";
        assert!(is_react_native_bundle(bridge));
    }

    #[test]
    fn other_javascript_and_binaries_are_not_bundles() {
        assert!(!is_react_native_bundle(
            b"function main(){console.log('hi')}"
        ));
        // A module definition without the closing runs is not enough.
        assert!(!is_react_native_bundle(b"__d(function(){},0,[]);"));
        assert!(!is_react_native_bundle(b""));
        assert!(!is_react_native_bundle(b"\0__BUNDLE_START_TIME__"));
        let hermes = 0x1F19_03C1_03BC_1FC6u64.to_le_bytes();
        assert!(!is_react_native_bundle(&hermes));
    }

    #[test]
    fn a_secret_in_the_middle_of_a_multi_megabyte_line_is_found() {
        const KEY: &str = "AKIA7JBD4R6CC6PKYQJR";
        const DECOY: &str = "AKIAIOSFODNN7EXAMPLE";
        let planted = format!(
            "var c={{accessKeyId:\"{KEY}\",secretAccessKey:\"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\"}},doc=\"{DECOY}\";m.exports=c;"
        );
        let js = bundle(5 << 20, &planted);
        assert!(!js.contains(&b'\n'), "one line");
        assert!(is_react_native_bundle(&js));
        let found = findings("assets/app.bundle", &js);
        assert!(
            found
                .iter()
                .any(|f| f.rule == "aws-access-key-id" && f.value == KEY),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|f| f.value == DECOY && !f.low),
            "the documentation example is not reported as a real key: {found:?}"
        );
    }
}
