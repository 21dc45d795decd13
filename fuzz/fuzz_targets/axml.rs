//! Binary XML: tree parsing, then the full string extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{axml, ScannedString};

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = axml::parse(data) {
        if let Some(root) = doc.root() {
            for e in root.elements().take(64) {
                let _ = e.attr(axml::ANDROID_NS, "name");
                let _ = e.text();
            }
        }
    }
    let mut n = 0usize;
    let _ = axml::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
