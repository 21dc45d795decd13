//! Certificate, key and keystore recognition, parsing and password checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::certs;

fuzz_target!(|data: &[u8]| {
    if let Some(kind) = certs::sniff(data) {
        let _ = certs::parse(data);
        let _ = certs::parse_with_password(data, "changeit");
        let _ = certs::recover_password(data, kind, &mut ["a", "b"].into_iter(), 4);
    }
    let _ = certs::signing_info(data);
    for hit in certs::find_embedded(data, 16) {
        let region = &data[hit.offset..hit.offset + hit.len];
        assert_eq!(certs::sniff(region), Some(hit.kind));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(bytes) = certs::decode_wrapped(text) {
            assert!(certs::sniff(&bytes).is_some());
        }
    }
});
