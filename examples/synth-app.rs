//! Synthetic APK-like apps for `benches/scan.sh`, built with the project's
//! fixture writers: a binary manifest, multidex `classesN.dex` full of
//! app-like strings (one in 997 a fabricated secret from the rules' own
//! examples), native libraries, compressible JSON assets and stored
//! incompressible blobs, added round by round until the archive reaches the
//! requested size.
//!
//! ```text
//! cargo run --release --example synth-app -- app OUT.apk SIZE_MB [SEED]
//! cargo run --release --example synth-app -- batch DIR COUNT [SEED]
//! ```
//!
//! `batch` writes COUNT apps whose sizes are spread log-uniformly between
//! 50 KB and 5 MB. Output is deterministic for a given size and seed.

#[path = "../benches/support/artifacts.rs"]
mod artifacts;
#[path = "../benches/support/strings.rs"]
mod strings;

use flate2::write::DeflateEncoder;
use flate2::Compression;
use mastiff::fixtures::samples::demo_manifest;
use mastiff::fixtures::zipfile::ZipBuilder;
use std::io::Write;
use std::path::Path;
use strings::{Mix, Rng};

/// DEX bytes per generated class, roughly (25 strings each).
const DEX_BYTES_PER_CLASS: usize = 1_100;
/// ELF bytes per generated string, roughly.
const ELF_BYTES_PER_STRING: usize = 40;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let seed = |i: usize| arg(i).map_or(Ok(1), str::parse::<u64>);
    match (arg(0), arg(1), arg(2)) {
        (Some("app"), Some(out), Some(mb)) => {
            let target = (mb.parse::<f64>()? * 1e6) as usize;
            let bytes = app(target, seed(3)?);
            std::fs::write(out, &bytes)?;
            println!("{out}: {} bytes", bytes.len());
        }
        (Some("batch"), Some(dir), Some(count)) => {
            let count: usize = count.parse()?;
            let mut rng = Rng::new(seed(3)?);
            std::fs::create_dir_all(dir)?;
            let mut total = 0;
            for i in 0..count {
                // log-uniform in [50 KB, 5 MB]
                let t = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
                let target = (50e3 * 100f64.powf(t)) as usize;
                let bytes = app(target, rng.next());
                total += bytes.len();
                std::fs::write(Path::new(dir).join(format!("app-{i:04}.apk")), &bytes)?;
            }
            println!("{dir}: {count} apps, {total} bytes");
        }
        _ => {
            eprintln!("usage: synth-app app OUT.apk SIZE_MB [SEED] | batch DIR COUNT [SEED]");
            std::process::exit(2);
        }
    }
    Ok(())
}

/// An APK-like archive of about `target` bytes.
fn app(target: usize, seed: u64) -> Vec<u8> {
    let mut mix = Mix::new(seed);
    let mut rng = Rng::new(seed ^ 0x5eed);
    // Each round adds about `unit` inflated bytes of DEX, so that small
    // apps get several rounds and large ones do not build huge entries.
    let unit = (target / 6).clamp(20_000, 6_000_000);
    let manifest = demo_manifest(1, "1.0.0");
    let mut size = manifest.len();
    let mut zip = ZipBuilder::new().deflated("AndroidManifest.xml", &manifest);
    let mut round = 0;
    while size < target {
        round += 1;
        let classes = (unit / DEX_BYTES_PER_CLASS).max(1);
        let dex = artifacts::dex(&mut mix, classes, 25);
        let name = match round {
            1 => "classes.dex".to_string(),
            n => format!("classes{n}.dex"),
        };
        size += deflated_len(&dex);
        zip = zip.deflated(&name, &dex);
        if round % 3 == 1 {
            let lib = artifacts::elf(&mut mix, (unit / 2 / ELF_BYTES_PER_STRING).max(1));
            size += deflated_len(&lib);
            zip = zip.deflated(&format!("lib/arm64-v8a/libmod{round}.so"), &lib);
        }
        let json = json_asset(&mut mix, unit / 2);
        size += deflated_len(json.as_bytes());
        zip = zip.deflated(&format!("assets/data{round}.json"), json.as_bytes());
        let blob: Vec<u8> = (0..unit / 4).map(|_| rng.next() as u8).collect();
        size += blob.len();
        zip = zip.stored(&format!("assets/media{round}.bin"), &blob);
    }
    zip.build()
}

/// A JSON array of strings from `mix`, about `bytes` long.
fn json_asset(mix: &mut Mix, bytes: usize) -> String {
    let mut json = String::from("[\n");
    while json.len() < bytes {
        json.push_str(&format!("  {:?},\n", mix.draw().0));
    }
    json.push_str("  null\n]\n");
    json
}

/// Size of `bytes` once deflated as the archive will store them.
fn deflated_len(bytes: &[u8]) -> usize {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    let _ = enc.write_all(bytes);
    enc.finish().map_or(bytes.len(), |v| v.len())
}
