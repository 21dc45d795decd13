//! Walk ZIP-family containers (APK, AAB, XAPK/APKS, JAR, AAR, IPA, ZIP) in
//! memory, within bounds.
//!
//! Nothing is ever extracted to disk and entry names are only ever labels.
//! Stored entries are borrowed straight from the input's memory map;
//! compressed ones are inflated into a buffer capped by [`Limits`].

mod audit;
mod classify;
mod limits;
mod zip;

pub use audit::{Audit, Shadowed};
pub use classify::{classify, ArchiveKind};
pub use limits::{Budget, Limits};
pub use zip::{Entry, EntryError, ZipView};

/// Renders an archive entry name as a safe label: lossy UTF-8 with control
/// characters escaped (`\n`, `\0`, …) and very long names shortened.
pub fn entry_label(raw: &[u8]) -> String {
    const MAX: usize = 512;
    let lossy = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(lossy.len().min(MAX + 16));
    for (i, c) in lossy.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_escape_controls_and_cap_length() {
        assert_eq!(entry_label(b"a\0b\nc"), "a\\u{0}b\\nc");
        assert_eq!(entry_label(b"../../etc/passwd"), "../../etc/passwd");
        assert_eq!(entry_label(&[0xff, b'x']), "\u{fffd}x");
        assert_eq!(entry_label(&[b'a'; 4000]).chars().count(), 513);
    }
}
