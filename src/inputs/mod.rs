//! Input discovery (in progress).
