//! resources.arsc: table parsing, reference resolution, string extraction.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mastiff::formats::{arsc, ScannedString};

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = arsc::parse(data) {
        for id in [0x7f01_0000u32, 0x7f02_0000, 0x7f03_0001, 0x0101_0000] {
            let _ = table.resolve_string(id);
            let _ = table.name(id);
        }
        let _ = table.id_of("xml", "network_security_config");
    }
    let mut n = 0usize;
    let _ = arsc::extract(data, &mut |_: ScannedString<'_>| n += 1);
});
