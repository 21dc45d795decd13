//! A minimal DER reader: enough to recognise structures by their first
//! bytes and to walk the few fields this module needs. Every read is
//! bounds-checked; lengths above 4 bytes are rejected.

/// One DER element: its tag byte, its contents, and the whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub raw: &'a [u8],
}

pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OID: u8 = 0x06;
pub(crate) const SET: u8 = 0x31;

/// Reads the element at the start of `bytes`; returns it and what follows.
pub(crate) fn read(bytes: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *bytes.first()?;
    let first = *bytes.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2usize)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for b in bytes.get(2..2 + n)? {
            len = (len << 8) | usize::from(*b);
        }
        (len, 2 + n)
    };
    let end = header.checked_add(len)?;
    let raw = bytes.get(..end)?;
    let content = raw.get(header..)?;
    Some((Tlv { tag, content, raw }, bytes.get(end..)?))
}

/// Reads an element that must have tag `tag`.
pub(crate) fn expect(bytes: &[u8], tag: u8) -> Option<(Tlv<'_>, &[u8])> {
    read(bytes).filter(|(t, _)| t.tag == tag)
}

/// The header of the element at the start of `bytes` without requiring its
/// contents to be present: `(tag, content length, header length)`.
pub(crate) fn header(bytes: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *bytes.first()?;
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some((tag, usize::from(first), 2));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for b in bytes.get(2..2 + n)? {
        len = (len << 8) | usize::from(*b);
    }
    Some((tag, len, 2 + n))
}

/// The value of a small non-negative INTEGER's contents.
pub(crate) fn small_uint(content: &[u8]) -> Option<u64> {
    if content.is_empty() || content.len() > 8 || content[0] & 0x80 != 0 {
        return None;
    }
    Some(
        content
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
    )
}

/// Number of significant bits in an unsigned big-endian integer.
pub(crate) fn bit_len(mut n: &[u8]) -> u32 {
    while let [0, rest @ ..] = n {
        n = rest;
    }
    match n.first() {
        None => 0,
        Some(b) => {
            let bytes = u32::try_from(n.len()).unwrap_or(u32::MAX / 8);
            (bytes - 1)
                .saturating_mul(8)
                .saturating_add(8 - b.leading_zeros())
        }
    }
}

/// The bytes of an unsigned integer without leading zero bytes.
pub(crate) fn strip_zeros(mut n: &[u8]) -> &[u8] {
    while let [0, rest @ ..] = n {
        n = rest;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_forms() {
        let (t, rest) = read(&[0x02, 0x01, 0x05, 0xff]).unwrap();
        assert_eq!(
            (t.tag, t.content, rest),
            (INTEGER, &[5u8][..], &[0xffu8][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        let (t, rest) = read(&long).unwrap();
        assert_eq!((t.content.len(), rest.len()), (0x80, 0));
    }

    #[test]
    fn rejects_truncated_and_oversized_lengths() {
        assert!(read(&[0x30, 0x05, 1, 2]).is_none());
        assert!(read(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
        assert!(read(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(read(&[0x30]).is_none());
    }

    #[test]
    fn counts_bits() {
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_len(&[0x01]), 1);
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(small_uint(&[0x03]), Some(3));
        assert_eq!(small_uint(&[0x80]), None);
    }
}
