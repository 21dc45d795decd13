//! Throughput of the secret rule engine, all built-in rules loaded, over a
//! large mixed string set with a few planted fabricated secrets.
//!
//! Run with `cargo bench --bench engine`.

#[path = "support/strings.rs"]
mod strings;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mastiff::detectors::rules::{RuleEngine, RuleSet};
use mastiff::detectors::{Detector, Match};
use mastiff::formats::ScannedString;
use std::hint::black_box;
use std::time::Duration;
use strings::Mix;

/// Strings in the set.
const STRINGS: usize = 200_000;

/// One generated string with the names a DEX would attach to it.
struct Item {
    text: String,
    class: String,
    field: String,
}

fn items() -> Vec<Item> {
    let mut mix = Mix::new(0x5eed);
    (0..STRINGS)
        .map(|_| {
            let (text, context) = mix.draw();
            let field = context.unwrap_or_else(|| mix.field_name());
            Item {
                text,
                class: mix.class_name(),
                field,
            }
        })
        .collect()
}

/// Runs the engine over every string and returns the number of matches.
fn run(engine: &RuleEngine, strings: &[ScannedString<'_>], out: &mut Vec<Match>) -> usize {
    let mut found = 0;
    for s in strings {
        engine.detect(s, out);
        found += out.len();
        out.clear();
    }
    found
}

fn bench(c: &mut Criterion) {
    let set = RuleSet::builtin().expect("built-in rules load");
    let rules = set.len();
    let engine = RuleEngine::new(set).expect("built-in rules compile");
    let items = items();
    let bytes: usize = items.iter().map(|i| i.text.len()).sum();
    let plain: Vec<ScannedString<'_>> = items
        .iter()
        .enumerate()
        .map(|(n, i)| ScannedString::at(i.text.as_bytes(), n as u64))
        .collect();
    let named: Vec<ScannedString<'_>> = items
        .iter()
        .enumerate()
        .map(|(n, i)| ScannedString {
            symbol: Some(&i.class),
            context: Some(&i.field),
            ..ScannedString::at(i.text.as_bytes(), n as u64)
        })
        .collect();
    let mut out = Vec::new();
    eprintln!(
        "engine: {rules} rules; {} strings, {bytes} bytes; matches: {} plain, {} with context",
        items.len(),
        run(&engine, &plain, &mut out),
        run(&engine, &named, &mut out),
    );

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("all_rules/plain", |b| {
        b.iter(|| run(&engine, black_box(&plain), &mut out))
    });
    group.bench_function("all_rules/with_context", |b| {
        b.iter(|| run(&engine, black_box(&named), &mut out))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(15));
    targets = bench
}
criterion_main!(benches);
