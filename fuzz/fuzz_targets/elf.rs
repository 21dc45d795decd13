//! ELF string extraction: sections, dynamic symbols, fallbacks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{elf, ScannedString};

fuzz_target!(|data: &[u8]| {
    let mut n = 0usize;
    let _ = elf::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
