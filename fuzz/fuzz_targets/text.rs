//! Text lines and printable runs (ASCII and UTF-16LE), plus sniffing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{printable, sniff, text, ScannedString};

fuzz_target!(|data: &[u8]| {
    let _ = sniff(data);
    let mut n = 0usize;
    text::extract(data, &mut |_: ScannedString<'_>| n += 1);
    printable::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
