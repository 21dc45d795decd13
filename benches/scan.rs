//! End-to-end scan of a synthetic APK built in memory, against a baseline
//! that only inflates every entry once with the `zip` crate.
//!
//! Run with `cargo bench --bench scan`.

#[path = "support/artifacts.rs"]
mod artifacts;
#[path = "support/inflate.rs"]
mod inflate;
#[path = "support/strings.rs"]
mod strings;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use inflate::{inflate_all, inflate_all_parallel};
use mastiff::archives::Limits;
use mastiff::fixtures::zipfile::ZipBuilder;
use mastiff::scan::Scanner;
use std::hint::black_box;
use std::time::Duration;
use strings::Mix;

/// The entries of an APK without its manifest and resources: three deflated
/// DEX files, a deflated native library, a deflated JSON asset and a stored
/// incompressible asset.
fn apk() -> Vec<u8> {
    let mut mix = Mix::new(0xa9c);
    let mut zip = ZipBuilder::new();
    for name in ["classes.dex", "classes2.dex", "classes3.dex"] {
        zip = zip.deflated(name, &artifacts::dex(&mut mix, 1_500, 25));
    }
    zip = zip.deflated(
        "lib/arm64-v8a/libnative.so",
        &artifacts::elf(&mut mix, 40_000),
    );
    let mut json = String::from("[\n");
    for _ in 0..10_000 {
        json.push_str(&format!("  {:?},\n", mix.draw().0));
    }
    json.push_str("  null\n]\n");
    zip = zip.deflated("assets/config.json", json.as_bytes());
    let mut rng = strings::Rng::new(7);
    let noise: Vec<u8> = (0..1 << 20).map(|_| rng.next() as u8).collect();
    zip.stored("assets/sound.bin", &noise).build()
}

fn bench(c: &mut Criterion) {
    let bytes = apk();
    let detectors = mastiff::detectors::builtin().expect("built-in rules load");
    let scanner = Scanner::new(detectors, Limits::default());
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool");
    let (artifact, findings) = scanner.scan_bytes("bench.apk", &bytes);
    eprintln!(
        "scan: {} bytes ({} inflated), kind {}, {} entries, {} findings, {} errors; {} threads",
        bytes.len(),
        inflate_all(&bytes),
        artifact.kind,
        artifact.entries,
        findings.len(),
        artifact.errors.len(),
        rayon::current_num_threads(),
    );

    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("scan_bytes", |b| {
        b.iter(|| scanner.scan_bytes("bench.apk", black_box(&bytes)).1.len())
    });
    group.bench_function("scan_bytes/1_thread", |b| {
        b.iter(|| single.install(|| scanner.scan_bytes("bench.apk", black_box(&bytes)).1.len()))
    });
    group.bench_function("inflate_only", |b| {
        b.iter(|| inflate_all(black_box(&bytes)))
    });
    group.bench_function("inflate_only/parallel", |b| {
        b.iter(|| inflate_all_parallel(black_box(&bytes)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15));
    targets = bench
}
criterion_main!(benches);
