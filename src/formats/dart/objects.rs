//! String objects in the read-only data image of an AOT snapshot.
//!
//! AOT snapshots store their strings as ready-made heap objects in the data
//! image that follows the clustered data: a tags word (flag bits, a size
//! tag counting allocation units — 0 when the object is too big for it —
//! and the class id), then the length as a Smi (`length << 1`), then the
//! characters (one byte each for `OneByteString`, UTF-16 code units for
//! `TwoByteString`), zero-padded to the object alignment. Word sizes and tag
//! layouts differ between targets and SDK releases, and class ids between
//! releases, so the layout is not taken from a version table: every
//! candidate layout is tried on the image, and the one under which most
//! objects read as strictly valid printable one-byte strings — and that
//! string class id, with the flag bytes seen on several of those objects —
//! is used.
//! `TwoByteString` is the next class id.

use std::collections::{BTreeSet, HashMap};

use crate::formats::le::{slice, u32_at};

/// Where the length and characters sit in a string object, per word size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape {
    /// Object alignment.
    pub align: usize,
    /// Offset of the length Smi.
    pub len_at: usize,
    /// Bytes of the length Smi.
    pub len_bytes: usize,
    /// Offset of the characters.
    pub data_at: usize,
}

/// 64-bit words: tags and hash, 8-byte length, characters.
pub(super) const WORD64: Shape = Shape {
    align: 16,
    len_at: 8,
    len_bytes: 8,
    data_at: 16,
};
/// 64-bit with compressed pointers: tags and hash, 4-byte length.
pub(super) const COMPRESSED: Shape = Shape {
    align: 16,
    len_at: 8,
    len_bytes: 4,
    data_at: 12,
};
/// 32-bit words: tags, length, hash, characters.
pub(super) const WORD32: Shape = Shape {
    align: 8,
    len_at: 4,
    len_bytes: 4,
    data_at: 12,
};

/// How the tags word splits into flags, size tag and class id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tags {
    /// Size tag in bits 8..12, class id in bits 12..32 (current SDKs).
    Narrow,
    /// Size tag in bits 8..16, class id in bits 16..32 (older SDKs).
    Wide,
}

impl Tags {
    /// Flag byte, size tag and class id.
    fn split(self, tags: u32) -> (u8, usize, u32) {
        let flags = (tags & 0xff) as u8;
        match self {
            Tags::Narrow => (flags, ((tags >> 8) & 0xf) as usize, tags >> 12),
            Tags::Wide => (flags, ((tags >> 8) & 0xff) as usize, tags >> 16),
        }
    }

    fn max_size_tag(self) -> usize {
        match self {
            Tags::Narrow => 0xf,
            Tags::Wide => 0xff,
        }
    }
}

/// Longest string object accepted, in characters.
const MAX_CHARS: usize = 1 << 24;
/// Shortest printable string that counts towards choosing a layout.
const MIN_VOTE_CHARS: usize = 2;
/// Strings needed before a layout is trusted.
const MIN_VOTES: usize = 3;
/// Strings a flag byte must be seen on before objects carrying it count.
const MIN_FLAG_VOTES: usize = 2;

/// The layout of string objects in one snapshot family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Layout {
    shape: Shape,
    tags: Tags,
    one_byte_cid: u32,
    flags: BTreeSet<u8>,
}

/// A string object found in an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StringObject<'a> {
    /// Offset of the characters within the image.
    pub data_offset: usize,
    /// The characters: Latin-1 bytes, or UTF-16LE code units.
    pub raw: &'a [u8],
    pub two_byte: bool,
}

/// A validated string-shaped object at `o`: flags, class id, character
/// count and object size, when its length is a plausible Smi, its size tag
/// agrees with the size `width`-byte characters need, and its padding is zero.
fn object_at(
    image: &[u8],
    o: usize,
    shape: Shape,
    tags: Tags,
    width: usize,
) -> Option<(u8, u32, usize, usize)> {
    let (flags, size_tag, cid) = tags.split(u32_at(image, o)?);
    let raw = slice(image, o.checked_add(shape.len_at)?, shape.len_bytes)?;
    let smi = raw.iter().rev().fold(0u64, |v, &b| v << 8 | u64::from(b));
    if smi & 1 != 0 {
        return None;
    }
    let chars = usize::try_from(smi >> 1).ok()?;
    if chars == 0 || chars > MAX_CHARS {
        return None;
    }
    let used = shape.data_at.checked_add(chars.checked_mul(width)?)?;
    let size = used.checked_next_multiple_of(shape.align)?;
    let units = size / shape.align;
    let tag_ok = match size_tag {
        0 => units > tags.max_size_tag(),
        t => t == units,
    };
    if !tag_ok {
        return None;
    }
    let padding = slice(image, o.checked_add(used)?, size - used)?;
    if padding.iter().any(|&b| b != 0) {
        return None;
    }
    Some((flags, cid, chars, size))
}

/// Chooses the layout under which `images` hold the most printable
/// one-byte strings, trying `shapes` with both tag layouts.
pub(super) fn calibrate(images: &[&[u8]], shapes: &[Shape]) -> Option<Layout> {
    let mut best: Option<(usize, Layout)> = None;
    for &shape in shapes {
        for tags in [Tags::Narrow, Tags::Wide] {
            let mut votes: HashMap<u32, (usize, HashMap<u8, usize>)> = HashMap::new();
            for image in images {
                let mut o = 0;
                while o < image.len() {
                    let step = match object_at(image, o, shape, tags, 1) {
                        Some((flags, cid, chars, size)) => {
                            let data = slice(image, o + shape.data_at, chars).unwrap_or(&[]);
                            if chars >= MIN_VOTE_CHARS
                                && data.iter().all(|b| (0x20..0x7f).contains(b))
                            {
                                let v = votes.entry(cid).or_default();
                                v.0 += 1;
                                *v.1.entry(flags).or_default() += 1;
                                size
                            } else {
                                shape.align
                            }
                        }
                        None => shape.align,
                    };
                    o = o.saturating_add(step);
                }
            }
            let winner = votes.into_iter().max_by_key(|(cid, (n, _))| (*n, *cid));
            if let Some((cid, (n, flags))) = winner {
                if n >= MIN_VOTES && best.as_ref().is_none_or(|(m, _)| n > *m) {
                    let layout = Layout {
                        shape,
                        tags,
                        one_byte_cid: cid,
                        flags: flags
                            .into_iter()
                            .filter(|&(_, k)| k >= MIN_FLAG_VOTES)
                            .map(|(f, _)| f)
                            .collect(),
                    };
                    best = Some((n, layout));
                }
            }
        }
    }
    best.map(|(_, layout)| layout)
}

/// Every string object of `layout` in `image`, in order.
pub(super) fn strings<'a>(image: &'a [u8], layout: &Layout) -> Vec<StringObject<'a>> {
    let shape = layout.shape;
    let mut out = Vec::new();
    let mut o = 0;
    while o < image.len() {
        let found = u32_at(image, o).and_then(|t| {
            let (flags, _, cid) = layout.tags.split(t);
            if !layout.flags.contains(&flags) {
                return None;
            }
            let width = match cid.checked_sub(layout.one_byte_cid)? {
                0 => 1,
                1 => 2,
                _ => return None,
            };
            let (_, _, chars, size) = object_at(image, o, shape, layout.tags, width)?;
            let data_offset = o + shape.data_at;
            let raw = slice(image, data_offset, chars * width)?;
            Some((
                StringObject {
                    data_offset,
                    raw,
                    two_byte: width == 2,
                },
                size,
            ))
        });
        match found {
            Some((s, size)) => {
                out.push(s);
                o = o.saturating_add(size);
            }
            None => o = o.saturating_add(shape.align),
        }
    }
    out
}

/// The text of a string object, when it decodes as text: Latin-1 or
/// UTF-16 without unpaired surrogates and without control characters other
/// than tab, line breaks and escape. A two-byte string must hold a code
/// unit above 0xFF (the VM stores every other string in one byte).
pub(super) fn decode(s: &StringObject<'_>) -> Option<String> {
    let text: String = if s.two_byte {
        let units: Vec<u16> = s
            .raw
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if units.iter().all(|&u| u <= 0xff) {
            return None;
        }
        char::decode_utf16(units).collect::<Result<_, _>>().ok()?
    } else {
        s.raw.iter().map(|&b| char::from(b)).collect()
    };
    let control = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\u{1b}'))
            || ('\u{7f}'..'\u{a0}').contains(&c)
    };
    (!text.chars().any(control)).then_some(text)
}
