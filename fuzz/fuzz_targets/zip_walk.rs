//! The whole scan of one file, given arbitrary bytes: sniffing, the ZIP
//! walker (central directory audit, limits, nesting), every format parser
//! and the detectors.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (artifact, _) = mastiff_fuzz::scanner().scan_bytes("fuzz.apk", data);
    mastiff_fuzz::assert_no_internal_error(&artifact);
});
