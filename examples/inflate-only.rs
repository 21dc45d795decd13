//! The inflate-only baseline of `benches/scan.sh`: memory-maps each file and
//! inflates every ZIP entry once with the `zip` crate, entries in parallel on
//! all cores as `mastiff scan` reads them (`--sequential`: one thread).
//!
//! `cargo run --release --example inflate-only -- [--sequential] FILE...`

#[path = "../benches/support/inflate.rs"]
mod inflate;

use std::time::Instant;

fn main() -> std::io::Result<()> {
    let mut sequential = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--sequential" => sequential = true,
            _ => files.push(arg),
        }
    }
    let started = Instant::now();
    let (mut archived, mut inflated) = (0u64, 0u64);
    for path in &files {
        let file = std::fs::File::open(path)?;
        // SAFETY: the file is only read, and is not modified while mapped.
        let map = unsafe { memmap2::Mmap::map(&file)? };
        archived += map.len() as u64;
        inflated += if sequential {
            inflate::inflate_all(&map)
        } else {
            inflate::inflate_all_parallel(&map)
        } as u64;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "inflate-only: {} files, {archived} bytes, {inflated} inflated, {secs:.3} s, {:.1} MB/s, {} threads",
        files.len(),
        archived as f64 / 1e6 / secs.max(1e-9),
        if sequential { 1 } else { rayon::current_num_threads() },
    );
    Ok(())
}
