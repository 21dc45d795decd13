//! Throughput of string extraction: DEX, Mach-O, ELF, printable runs and
//! text lines, on inputs of a few MB built with the fixture writers.
//!
//! Run with `cargo bench --bench parsers`.

#[path = "support/artifacts.rs"]
mod artifacts;
#[path = "support/strings.rs"]
mod strings;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mastiff::fixtures::macho::{Arch, MachOBuilder};
use mastiff::formats::{dex, elf, macho, printable, text, FormatError, ScannedString, StringSink};
use std::hint::black_box;
use std::time::Duration;
use strings::Mix;

/// A thin arm64 Mach-O with `strings` strings: C strings, `CFString`
/// literals (ASCII and UTF-16), selector names and imports.
fn macho_file(mix: &mut Mix, strings: usize) -> Vec<u8> {
    let mut b = MachOBuilder::new(Arch::Arm64).load_dylib("/usr/lib/libobjc.A.dylib");
    for i in 0..strings {
        let s = mix.draw().0;
        b = match i % 20 {
            0 => b.cfstring_utf16(&s),
            1..=3 => b.cfstring(&s),
            4..=7 => b.methname(&format!("{s}:")),
            8 => b.import(&format!("_{s}")),
            _ => b.cstring(&s),
        };
    }
    b.build()
}

/// Binary-looking bytes with printable strings (one in eight as UTF-16LE)
/// between runs of random bytes, until `size` bytes.
fn binary_blob(mix: &mut Mix, size: usize) -> Vec<u8> {
    let mut rng = strings::Rng::new(0xb10b);
    let mut out = Vec::with_capacity(size + 256);
    while out.len() < size {
        let gap = 8 + rng.below(120);
        out.extend((0..gap).map(|_| rng.next() as u8));
        let s = mix.draw().0;
        if rng.below(8) == 0 {
            out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        } else {
            out.extend_from_slice(s.as_bytes());
        }
    }
    out
}

/// Text of `size` bytes: one string per line, some as `key=value`.
fn text_file(mix: &mut Mix, size: usize) -> Vec<u8> {
    let mut out = String::with_capacity(size + 256);
    let mut n = 0usize;
    while out.len() < size {
        n += 1;
        if n.is_multiple_of(3) {
            out.push_str(&mix.field_name());
            out.push('=');
        }
        out.push_str(&mix.draw().0);
        out.push('\n');
    }
    out.into_bytes()
}

/// A parser under test.
type Extract = fn(&[u8], &mut dyn StringSink) -> Result<(), FormatError>;

fn printable_runs(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    printable::extract(bytes, sink);
    Ok(())
}

fn text_lines(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    text::extract(bytes, sink);
    Ok(())
}

/// Runs `extract` over `bytes`, returning the strings and bytes it pushed.
fn count(extract: Extract, bytes: &[u8]) -> (usize, usize) {
    let (mut strings, mut total) = (0, 0);
    let mut sink = |s: ScannedString<'_>| {
        strings += 1;
        total += s.text.len();
    };
    extract(bytes, &mut sink).expect("fixture parses");
    (strings, total)
}

fn bench(c: &mut Criterion) {
    let mut mix = Mix::new(0xd3c0de);
    let inputs: [(&str, Extract, Vec<u8>); 5] = [
        ("dex", dex::extract, artifacts::dex(&mut mix, 2_000, 25)),
        ("macho", macho::extract, macho_file(&mut mix, 80_000)),
        ("elf", elf::extract, artifacts::elf(&mut mix, 80_000)),
        ("printable", printable_runs, binary_blob(&mut mix, 4 << 20)),
        ("text", text_lines, text_file(&mut mix, 4 << 20)),
    ];
    let mut group = c.benchmark_group("parsers");
    for (name, extract, bytes) in &inputs {
        let (strings, total) = count(*extract, bytes);
        eprintln!(
            "{name}: {} bytes in, {strings} strings ({total} bytes) out",
            bytes.len()
        );
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(*name, |b| b.iter(|| count(*extract, black_box(bytes))));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    targets = bench
}
criterion_main!(benches);
