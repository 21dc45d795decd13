use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Bounds on what one input may make mastiff read. Every breach is reported
/// as a scan error on the entry concerned; the scan goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest archive nesting walked (an APK in an XAPK is depth 2).
    pub max_depth: usize,
    /// Largest inflated size of one entry, in bytes.
    pub max_entry_size: u64,
    /// Largest total of inflated bytes for one input file.
    pub max_total_size: u64,
    /// Largest inflated/compressed ratio of an entry that inflates to more
    /// than [`Limits::RATIO_FLOOR`] bytes.
    pub max_ratio: u64,
    /// Most entries read from one archive.
    pub max_entries: usize,
    /// Wall-clock budget for one input file; past it the file is reported
    /// as partially scanned. `None`: no budget.
    pub time_per_file: Option<Duration>,
}

impl Limits {
    /// Entries that inflate to at most this many bytes are exempt from the
    /// ratio check: small, highly compressible files are normal.
    pub const RATIO_FLOOR: u64 = 1 << 20;

    /// The cap for an entry with `compressed` bytes of data.
    pub fn entry_cap(&self, compressed: u64) -> u64 {
        let by_ratio = compressed
            .saturating_mul(self.max_ratio)
            .max(Self::RATIO_FLOOR);
        by_ratio.min(self.max_entry_size)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 6,
            max_entry_size: 512 << 20,
            max_total_size: 4 << 30,
            max_ratio: 1000,
            max_entries: 1_000_000,
            time_per_file: None,
        }
    }
}

/// The inflated-bytes budget shared by every entry of one input file.
#[derive(Debug)]
pub struct Budget {
    remaining: AtomicU64,
}

impl Budget {
    pub fn new(total: u64) -> Self {
        Budget {
            remaining: AtomicU64::new(total),
        }
    }

    /// Takes up to `want` bytes from the budget; returns how many were granted.
    pub fn take(&self, want: u64) -> u64 {
        let mut cur = self.remaining.load(Ordering::Relaxed);
        loop {
            let grant = want.min(cur);
            match self.remaining.compare_exchange_weak(
                cur,
                cur - grant,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return grant,
                Err(actual) => cur = actual,
            }
        }
    }

    /// Returns unused bytes to the budget.
    pub fn give_back(&self, bytes: u64) {
        self.remaining.fetch_add(bytes, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_cap_applies_ratio_above_floor_only() {
        let l = Limits {
            max_ratio: 100,
            max_entry_size: 1 << 30,
            ..Limits::default()
        };
        assert_eq!(l.entry_cap(10), Limits::RATIO_FLOOR);
        assert_eq!(l.entry_cap(1 << 20), 100 << 20);
        assert_eq!(l.entry_cap(u64::MAX), 1 << 30);
    }

    #[test]
    fn budget_grants_at_most_what_remains() {
        let b = Budget::new(100);
        assert_eq!(b.take(60), 60);
        assert_eq!(b.take(60), 40);
        assert_eq!(b.take(1), 0);
        b.give_back(10);
        assert_eq!(b.take(60), 10);
    }
}
