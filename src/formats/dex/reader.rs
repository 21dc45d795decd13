//! Bounds-checked little-endian reads over a byte slice.

/// The `u16` at `off`, if the slice holds it.
pub(super) fn u16_at(bytes: &[u8], off: usize) -> Option<u16> {
    let b = bytes.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

/// The `u32` at `off`, if the slice holds it.
pub(super) fn u32_at(bytes: &[u8], off: usize) -> Option<u32> {
    let b = bytes.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A read position in a slice; every read fails (returns `None`) past the end.
pub(super) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn new(bytes: &'a [u8], pos: usize) -> Self {
        Cursor { bytes, pos }
    }

    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    pub(super) fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    /// Skips `n` bytes.
    pub(super) fn skip(&mut self, n: usize) -> Option<()> {
        let end = self.pos.checked_add(n)?;
        if end > self.bytes.len() {
            return None;
        }
        self.pos = end;
        Some(())
    }

    /// An unsigned LEB128 value of at most five bytes (bits past 32 are dropped).
    pub(super) fn uleb128(&mut self) -> Option<u32> {
        let mut value = 0u32;
        for i in 0..5 {
            let b = self.u8()?;
            value |= u32::from(b & 0x7f).checked_shl(7 * i).unwrap_or(0);
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_within_bounds_only() {
        let b = [1, 2, 3, 4, 5];
        assert_eq!(u16_at(&b, 3), Some(0x0504));
        assert_eq!(u16_at(&b, 4), None);
        assert_eq!(u32_at(&b, 1), Some(0x0504_0302));
        assert_eq!(u32_at(&b, 2), None);
        assert_eq!(u32_at(&b, usize::MAX), None);
    }

    #[test]
    fn uleb128_values_and_limits() {
        let mut c = Cursor::new(&[0x7f, 0x80, 0x7f, 0xff, 0xff, 0xff, 0xff, 0x0f], 0);
        assert_eq!(c.uleb128(), Some(0x7f));
        assert_eq!(c.uleb128(), Some(0x3f80));
        assert_eq!(c.uleb128(), Some(u32::MAX));
        assert_eq!(c.pos(), 8);
        assert_eq!(Cursor::new(&[0x80; 6], 0).uleb128(), None);
        assert_eq!(Cursor::new(&[0x80], 0).uleb128(), None);
    }
}
