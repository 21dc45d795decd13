//! `encoded_value` / `encoded_array` reading, as used by a class's
//! `static_values` (the initial values of its static fields).

use super::reader::Cursor;

/// Deepest nesting of arrays and annotations followed.
const MAX_DEPTH: u32 = 16;

const VALUE_STRING: u8 = 0x17;
const VALUE_ARRAY: u8 = 0x1c;
const VALUE_ANNOTATION: u8 = 0x1d;

/// Reads the `encoded_array` at the cursor and calls `found(position,
/// string_idx)` for each top-level `VALUE_STRING` element. Returns `None`
/// if the array is malformed or runs past the end; strings before that point
/// have been reported.
pub(super) fn array_strings(cur: &mut Cursor<'_>, mut found: impl FnMut(usize, u32)) -> Option<()> {
    let size = cur.uleb128()?;
    for position in 0..size {
        if let Some(string_idx) = value(cur, 0)? {
            found(usize::try_from(position).ok()?, string_idx);
        }
    }
    Some(())
}

/// Reads one `encoded_value`; returns the string index if it is a string.
fn value(cur: &mut Cursor<'_>, depth: u32) -> Option<Option<u32>> {
    let header = cur.u8()?;
    let (kind, arg) = (header & 0x1f, usize::from(header >> 5));
    match kind {
        VALUE_STRING => {
            if arg > 3 {
                return None;
            }
            let mut idx = 0u32;
            for i in 0..=arg {
                idx |= u32::from(cur.u8()?) << (8 * i);
            }
            return Some(Some(idx));
        }
        // byte, short, char, int, long, float, double, method type/handle,
        // type, field, method, enum: arg + 1 bytes of payload.
        0x00 | 0x02 | 0x03 | 0x04 | 0x06 | 0x10 | 0x11 | 0x15 | 0x16 | 0x18..=0x1b => {
            cur.skip(arg + 1)?
        }
        VALUE_ARRAY | VALUE_ANNOTATION if depth >= MAX_DEPTH => return None,
        VALUE_ARRAY => {
            for _ in 0..cur.uleb128()? {
                value(cur, depth + 1)?;
            }
        }
        VALUE_ANNOTATION => {
            cur.uleb128()?; // type_idx
            for _ in 0..cur.uleb128()? {
                cur.uleb128()?; // name_idx
                value(cur, depth + 1)?;
            }
        }
        0x1e | 0x1f => {} // null, boolean: no payload
        _ => return None,
    }
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(bytes: &[u8]) -> (Vec<(usize, u32)>, Option<()>) {
        let mut got = Vec::new();
        let r = array_strings(&mut Cursor::new(bytes, 0), |p, s| got.push((p, s)));
        (got, r)
    }

    #[test]
    fn top_level_strings_with_positions() {
        let bytes = [
            5, // five elements
            0x17, 9,    // string@9
            0x1e, // null
            0x24, 1, 2, // int (2 bytes)
            0x1c, 1, 0x17, 3, // array [string@3] (nested: not reported)
            0x37, 0x34, 0x12, // string@0x1234
        ];
        assert_eq!(strings(&bytes), (vec![(0, 9), (4, 0x1234)], Some(())));
    }

    #[test]
    fn annotation_is_skipped() {
        // [annotation{type 1, 1 element: name 2 = boolean}, string@7]
        let bytes = [2, 0x1d, 1, 1, 2, 0x3f, 0x17, 7];
        assert_eq!(strings(&bytes), (vec![(1, 7)], Some(())));
    }

    #[test]
    fn malformed_or_too_deep_stops() {
        assert_eq!(strings(&[2, 0x17, 1, 0x17]), (vec![(0, 1)], None));
        assert_eq!(strings(&[1, 0x05]).1, None); // unknown value type
        assert_eq!(strings(&[1, 0x97, 0, 0, 0, 0, 0]).1, None); // 5-byte string index
        let mut deep = vec![1];
        deep.extend(std::iter::repeat_n([0x1c, 1], 40).flatten());
        deep.push(0x1e);
        assert_eq!(strings(&deep).1, None);
        assert_eq!(strings(&[0xff, 0xff, 0xff, 0xff, 0x0f]).1, None); // huge count, no data
    }
}
