//! End-to-end scan of an in-memory archive: the input becomes a stored and
//! a deflated entry of an APK that also nests it one level down, so every
//! byte reaches the format parsers through the archive walker.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::fixtures::zipfile::ZipBuilder;

fuzz_target!(|data: &[u8]| {
    let inner = ZipBuilder::new().deflated("classes.dex", data).build();
    let apk = ZipBuilder::new()
        .stored("classes.dex", data)
        .deflated("lib/arm64-v8a/libx.so", data)
        .stored("assets/inner.zip", &inner)
        .build();
    let (artifact, _) = mastiff_fuzz::scanner().scan_bytes("fuzz.apk", &apk);
    mastiff_fuzz::assert_no_internal_error(&artifact);
});
