//! Mach-O, thin and fat: load commands, sections, __cfstring, binds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{macho, ScannedString};

fuzz_target!(|data: &[u8]| {
    let mut n = 0usize;
    let _ = macho::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
