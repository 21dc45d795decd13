//! Property lists, binary and XML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{plist, ScannedString};

fuzz_target!(|data: &[u8]| {
    let mut n = 0usize;
    let _ = plist::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
