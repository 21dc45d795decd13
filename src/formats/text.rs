//! Text artifacts (JSON, XML, JS, properties, HTML, …): one string per line.

use super::{ScannedString, StringSink};

/// Bytes shared by consecutive pieces of a split line; longer than any token
/// a rule looks for.
const OVERLAP: usize = 256;

/// Longest PEM block (`-----BEGIN …-----` to `-----END …-----`) handed on
/// whole; a 16 kbit RSA key in PEM is under 13 KiB.
const MAX_PEM_BLOCK: usize = 64 * 1024;

/// Pushes each line (without its terminator) with its 1-based number and
/// byte offset. Lines longer than [`printable::MAX_RUN`](super::printable::MAX_RUN)
/// are split into pieces, each reported at the same line number, so that
/// minified code with one enormous line is still scanned in bounded pieces.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) {
    let max = super::printable::MAX_RUN;
    let mut offset = 0usize;
    for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let number = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let mut piece_start = 0;
        while piece_start < line.len() {
            let end = (piece_start + max).min(line.len());
            sink.push(ScannedString {
                text: &line[piece_start..end],
                offset: Some((offset + piece_start) as u64),
                line: Some(number),
                symbol: None,
                context: None,
            });
            if end == line.len() {
                break;
            }
            // Overlap pieces so a token on a boundary is whole in one of them.
            piece_start = end - OVERLAP;
        }
        offset += raw.len() + 1;
    }
    pem_blocks(bytes, sink);
}

/// Pushes every PEM block whole, at the line of its `-----BEGIN`, so that
/// rules can see a key's header, body and footer together.
fn pem_blocks(bytes: &[u8], sink: &mut dyn StringSink) {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let mut from = 0;
    while let Some(start) = find(&bytes[from..], BEGIN).map(|i| from + i) {
        let window = &bytes[start..bytes.len().min(start + MAX_PEM_BLOCK)];
        let block_end = find(window, END).and_then(|e| {
            // The footer runs to the end of its `-----` marker.
            let footer = &window[e + END.len()..];
            find(footer, b"-----").map(|d| e + END.len() + d + 5)
        });
        let Some(len) = block_end else {
            from = start + BEGIN.len();
            continue;
        };
        let line = bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1;
        sink.push(ScannedString {
            text: &window[..len],
            offset: Some(start as u64),
            line: Some(u32::try_from(line).unwrap_or(u32::MAX)),
            symbol: None,
            context: None,
        });
        from = start + len;
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lines_and_offsets() {
        let mut got = Vec::new();
        extract(b"a=1\r\n\nkey=AKIA\n", &mut |s: ScannedString<'_>| {
            got.push((s.text.to_vec(), s.line.unwrap(), s.offset.unwrap()))
        });
        assert_eq!(
            got,
            vec![(b"a=1".to_vec(), 1, 0), (b"key=AKIA".to_vec(), 3, 6)]
        );
    }

    #[test]
    fn pem_blocks_are_also_pushed_whole() {
        let text = b"name: demo\n-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n";
        let mut got = Vec::new();
        extract(text, &mut |s: ScannedString<'_>| {
            got.push((s.text.to_vec(), s.line.unwrap()))
        });
        let block =
            b"-----BEGIN RSA PRIVATE KEY-----\nQUJD\n-----END RSA PRIVATE KEY-----".to_vec();
        assert!(got.contains(&(block, 2)), "{got:?}");
        // The unterminated certificate yields only its line.
        assert_eq!(got.len(), 5 + 1);
    }

    #[test]
    fn splits_enormous_lines_with_overlap() {
        let max = crate::formats::printable::MAX_RUN;
        let line = vec![b'x'; max * 2];
        let mut pieces = Vec::new();
        extract(&line, &mut |s: ScannedString<'_>| {
            pieces.push((s.offset.unwrap(), s.text.len()))
        });
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0], (0, max));
        assert_eq!(pieces[1].0, (max - 256) as u64);
        let last = pieces.last().unwrap();
        assert_eq!(last.0 as usize + last.1, max * 2);
    }
}
