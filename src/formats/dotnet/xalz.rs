//! `XALZ`: an assembly compressed as one LZ4 block, behind a 12-byte
//! header (magic, descriptor index, uncompressed size).

use super::MAX_ASSEMBLY_SIZE;
use crate::formats::le::usize_at;
use crate::formats::FormatError;

const FORMAT: &str = "xalz";
const HEADER: usize = 12;

/// True when `bytes` starts with the `XALZ` magic.
pub fn is_xalz(bytes: &[u8]) -> bool {
    bytes.starts_with(b"XALZ")
}

/// The decompressed image.
pub fn decompress(bytes: &[u8]) -> Result<Vec<u8>, FormatError> {
    if !is_xalz(bytes) {
        return Err(FormatError::new(FORMAT, "bad magic"));
    }
    let size = usize_at(bytes, 8).ok_or_else(|| FormatError::new(FORMAT, "header truncated"))?;
    if size > MAX_ASSEMBLY_SIZE {
        return Err(FormatError::new(
            FORMAT,
            format!("uncompressed size {size} exceeds the limit"),
        ));
    }
    let block = bytes.get(HEADER..).unwrap_or(&[]);
    let mut out = vec![0; size];
    let n = lz4_flex::block::decompress_into(block, &mut out)
        .map_err(|e| FormatError::new(FORMAT, e.to_string()))?;
    out.truncate(n);
    Ok(out)
}
