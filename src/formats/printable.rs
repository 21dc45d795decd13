//! Fallback extraction: runs of printable ASCII and of UTF-16LE-encoded
//! printable ASCII, as `strings(1)` would find them.

use super::{ScannedString, StringSink};

/// Shortest run reported. Secrets of interest are longer; shorter runs in
/// binary data are mostly noise.
pub const MIN_RUN: usize = 6;

/// Longest run reported in one piece; longer runs are split so that a
/// detector never sees an unbounded buffer.
pub const MAX_RUN: usize = 64 * 1024;

fn printable(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\t'
}

/// Pushes every printable run of at least [`MIN_RUN`] bytes, ASCII and UTF-16LE.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) {
    ascii_runs(bytes, sink);
    utf16le_runs(bytes, sink);
}

/// Pushes runs of printable ASCII.
pub fn ascii_runs(bytes: &[u8], sink: &mut dyn StringSink) {
    let mut start = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (printable(b), start) {
            (true, None) => start = Some(i),
            (true, Some(s)) if i - s == MAX_RUN => {
                sink.push(ScannedString::at(&bytes[s..i], s as u64));
                start = Some(i);
            }
            (false, Some(s)) => {
                if i - s >= MIN_RUN {
                    sink.push(ScannedString::at(&bytes[s..i], s as u64));
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        if bytes.len() - s >= MIN_RUN {
            sink.push(ScannedString::at(&bytes[s..], s as u64));
        }
    }
}

/// Pushes runs of printable ASCII stored as UTF-16LE (each char followed by
/// a zero byte), decoded to ASCII. Both byte alignments are searched.
pub fn utf16le_runs(bytes: &[u8], sink: &mut dyn StringSink) {
    let mut buf = Vec::new();
    for align in 0..2 {
        let mut start = align;
        buf.clear();
        let mut i = align;
        while i + 1 < bytes.len() {
            let (lo, hi) = (bytes[i], bytes[i + 1]);
            if hi == 0 && printable(lo) && buf.len() < MAX_RUN {
                if buf.is_empty() {
                    start = i;
                }
                buf.push(lo);
            } else {
                if buf.len() >= MIN_RUN {
                    sink.push(ScannedString::at(&buf, start as u64));
                }
                buf.clear();
                if hi == 0 && printable(lo) {
                    start = i;
                    buf.push(lo);
                }
            }
            i += 2;
        }
        if buf.len() >= MIN_RUN {
            sink.push(ScannedString::at(&buf, start as u64));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(bytes: &[u8]) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        extract(bytes, &mut |s: ScannedString<'_>| {
            out.push((
                String::from_utf8_lossy(s.text).into_owned(),
                s.offset.unwrap(),
            ))
        });
        out
    }

    #[test]
    fn finds_ascii_runs_with_offsets() {
        let got = collect(b"\0\0hello world\x01ab\x02secret-token");
        assert!(got.contains(&("hello world".into(), 2)));
        assert!(got.contains(&("secret-token".into(), 17)));
        assert!(!got.iter().any(|(s, _)| s == "ab"));
    }

    #[test]
    fn finds_utf16le_runs_at_either_alignment() {
        let mut data = vec![0xffu8];
        for c in "password123".bytes() {
            data.extend([c, 0]);
        }
        data.extend([0xff, 0xff]);
        let got = collect(&data);
        assert!(got.contains(&("password123".into(), 1)), "{got:?}");
    }

    #[test]
    fn splits_huge_runs() {
        let data = vec![b'a'; MAX_RUN * 2 + 10];
        let got = collect(&data);
        let ascii: Vec<_> = got.iter().filter(|(s, _)| s.len() == MAX_RUN).collect();
        assert_eq!(ascii.len(), 2);
    }
}
