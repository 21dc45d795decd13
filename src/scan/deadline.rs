use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The time budget of one input file, checked cooperatively: between
/// archive entries, before each buffer is parsed, and every few hundred
/// strings in the collector. Once passed, it stays passed and remembers
/// that it cut the scan short.
#[derive(Debug)]
pub(super) struct Deadline {
    at: Option<Instant>,
    budget: Option<Duration>,
    hit: AtomicBool,
}

impl Deadline {
    /// A deadline `budget` from now; `None` never passes.
    pub(super) fn start(budget: Option<Duration>) -> Self {
        Deadline {
            at: budget.and_then(|b| Instant::now().checked_add(b)),
            budget,
            hit: AtomicBool::new(false),
        }
    }

    /// True once the budget is spent; records that work was skipped.
    pub(super) fn passed(&self) -> bool {
        if self.hit.load(Ordering::Relaxed) {
            return true;
        }
        // A budget too large for the clock (no `at`) never passes.
        let passed = self.at.is_some_and(|at| Instant::now() >= at);
        if passed {
            self.hit.store(true, Ordering::Relaxed);
        }
        passed
    }

    /// The error to report when the budget cut the scan short.
    pub(super) fn report(&self) -> Option<String> {
        let budget = self.budget?;
        self.hit.load(Ordering::Relaxed).then(|| {
            format!(
                "partially scanned: time budget of {} s exceeded",
                budget.as_secs_f64()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_budget_passes_at_once_and_reports() {
        let d = Deadline::start(Some(Duration::ZERO));
        assert_eq!(d.report(), None, "nothing skipped yet");
        assert!(d.passed());
        assert_eq!(
            d.report().as_deref(),
            Some("partially scanned: time budget of 0 s exceeded")
        );
    }

    #[test]
    fn no_budget_never_passes() {
        let d = Deadline::start(None);
        assert!(!d.passed());
        assert_eq!(d.report(), None);
        let huge = Deadline::start(Some(Duration::MAX));
        assert!(!huge.passed());
    }
}
