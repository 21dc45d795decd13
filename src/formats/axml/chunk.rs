//! Little-endian reads and chunk headers (`ResChunk_header`), shared by the
//! binary XML and resource table parsers.
//!
//! Every chunk starts with `type: u16, headerSize: u16, size: u32`. Sizes
//! come from the file, so [`read`] clamps them to the enclosing chunk and
//! records what it had to fix.

pub(crate) const RES_STRING_POOL_TYPE: u16 = 0x0001;
pub(crate) const RES_TABLE_TYPE: u16 = 0x0002;
pub(crate) const RES_XML_TYPE: u16 = 0x0003;
pub(crate) const RES_XML_START_NAMESPACE_TYPE: u16 = 0x0100;
pub(crate) const RES_XML_END_NAMESPACE_TYPE: u16 = 0x0101;
pub(crate) const RES_XML_START_ELEMENT_TYPE: u16 = 0x0102;
pub(crate) const RES_XML_END_ELEMENT_TYPE: u16 = 0x0103;
pub(crate) const RES_XML_CDATA_TYPE: u16 = 0x0104;
pub(crate) const RES_XML_RESOURCE_MAP_TYPE: u16 = 0x0180;
pub(crate) const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
pub(crate) const RES_TABLE_TYPE_TYPE: u16 = 0x0201;
pub(crate) const RES_TABLE_TYPE_SPEC_TYPE: u16 = 0x0202;

/// Size of `ResChunk_header`.
pub(crate) const HEADER_LEN: usize = 8;

/// Most warnings kept per parse; a hostile file could otherwise produce one
/// per byte.
const MAX_WARNINGS: usize = 64;

/// Records a warning unless the list is full.
pub(crate) fn warn(warnings: &mut Vec<String>, message: impl Into<String>) {
    if warnings.len() < MAX_WARNINGS {
        warnings.push(message.into());
    }
}

pub(crate) fn u8_at(b: &[u8], off: usize) -> Option<u8> {
    b.get(off).copied()
}

pub(crate) fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub(crate) fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// A chunk located in the buffer. `start <= header_end <= end`, and `end`
/// never passes the enclosing chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub kind: u16,
    pub start: usize,
    pub header_end: usize,
    pub end: usize,
}

impl Chunk {
    /// The chunk's bytes, header included.
    pub fn bytes<'a>(&self, buf: &'a [u8]) -> &'a [u8] {
        buf.get(self.start..self.end).unwrap_or_default()
    }

    /// Declared header size.
    pub fn header_size(&self) -> usize {
        self.header_end - self.start
    }
}

/// Reads the chunk header at `start` inside a parent that ends at `limit`.
///
/// A size running past `limit` is cut to it and a header size larger than
/// the chunk is cut to the chunk, each with a warning. Returns `None` (the
/// caller stops walking) when no whole header fits or the size is below 8,
/// since such a chunk gives no way to find the next one.
pub(crate) fn read(
    buf: &[u8],
    start: usize,
    limit: usize,
    warnings: &mut Vec<String>,
) -> Option<Chunk> {
    let limit = limit.min(buf.len());
    if start.checked_add(HEADER_LEN)? > limit {
        return None;
    }
    let kind = u16_at(buf, start)?;
    let header_size = usize::from(u16_at(buf, start + 2)?);
    let size = u32_at(buf, start + 4)? as usize;
    if size < HEADER_LEN {
        warn(
            warnings,
            format!("chunk 0x{kind:04x} at {start}: size {size} is below 8; stopped"),
        );
        return None;
    }
    let end = match start.checked_add(size) {
        Some(end) if end <= limit => end,
        _ => {
            warn(
                warnings,
                format!("chunk 0x{kind:04x} at {start}: size {size} runs past its parent; cut"),
            );
            limit
        }
    };
    let header_size = if header_size < HEADER_LEN {
        warn(
            warnings,
            format!("chunk 0x{kind:04x} at {start}: header size {header_size} below 8"),
        );
        HEADER_LEN
    } else if header_size > end - start {
        warn(
            warnings,
            format!("chunk 0x{kind:04x} at {start}: header size {header_size} exceeds chunk"),
        );
        end - start
    } else {
        header_size
    };
    Some(Chunk {
        kind,
        start,
        header_end: start + header_size,
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(kind: u16, header_size: u16, size: u32) -> Vec<u8> {
        let mut v = kind.to_le_bytes().to_vec();
        v.extend_from_slice(&header_size.to_le_bytes());
        v.extend_from_slice(&size.to_le_bytes());
        v
    }

    #[test]
    fn reads_a_well_formed_header() {
        let mut b = header(RES_XML_TYPE, 8, 16);
        b.resize(16, 0);
        let mut w = Vec::new();
        let c = read(&b, 0, b.len(), &mut w).unwrap();
        assert_eq!((c.kind, c.header_end, c.end), (RES_XML_TYPE, 8, 16));
        assert!(w.is_empty());
    }

    #[test]
    fn clamps_size_and_header_size() {
        let mut b = header(7, 0x4000, 0xffff_ffff);
        b.resize(20, 0);
        let mut w = Vec::new();
        let c = read(&b, 0, b.len(), &mut w).unwrap();
        assert_eq!((c.header_end, c.end), (20, 20));
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn stops_on_tiny_size_or_short_buffer() {
        let b = header(1, 8, 4);
        let mut w = Vec::new();
        assert!(read(&b, 0, b.len(), &mut w).is_none());
        assert!(read(&b[..7], 0, 7, &mut w).is_none());
        assert!(read(&b, usize::MAX - 2, b.len(), &mut w).is_none());
    }

    #[test]
    fn warnings_are_capped() {
        let mut w = Vec::new();
        for i in 0..1000 {
            warn(&mut w, format!("{i}"));
        }
        assert_eq!(w.len(), MAX_WARNINGS);
    }
}
