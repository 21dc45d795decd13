//! Scan pipeline (in progress).
