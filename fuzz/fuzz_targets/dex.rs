//! DEX: header and table parsing, then the full string extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{dex, ScannedString};

fuzz_target!(|data: &[u8]| {
    if let Ok(d) = dex::parse(data) {
        for i in 0..d.string_count().min(64) {
            let _ = d.string(i);
        }
        for i in 0..d.class_count().min(16) {
            let _ = d.class_def(i);
        }
    }
    let mut n = 0usize;
    let _ = dex::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
