//! Dart AOT snapshot location, header and string objects on hostile input
//! (seed it with a small Flutter ELF so mutations reach the snapshot).

#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{dart, ScannedString};

fuzz_target!(|data: &[u8]| {
    let _ = dart::snapshot_info(data);
    let mut n = 0usize;
    let _ = dart::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
