//! Locating the CLI metadata root (`BSJB`) of a PE image.

use crate::formats::le::{u16_at, u32_at, usize_at};

const PE32: u16 = 0x10b;
const PE32_PLUS: u16 = 0x20b;
/// Index of the CLI header in the optional header's data directories.
const CLI_DIRECTORY: usize = 14;
const SECTION_HEADER: usize = 40;
/// Most section headers read (PE allows 96).
const MAX_SECTIONS: usize = 96;

/// True when `bytes` is a PE image: `MZ`, then `PE\0\0` where `e_lfanew`
/// points.
pub fn is_pe(bytes: &[u8]) -> bool {
    pe_header(bytes).is_some()
}

/// Offset of the `PE\0\0` signature.
fn pe_header(bytes: &[u8]) -> Option<usize> {
    if bytes.get(..2) != Some(b"MZ") {
        return None;
    }
    let at = usize_at(bytes, 0x3c)?;
    (bytes.get(at..at.checked_add(4)?)? == b"PE\0\0").then_some(at)
}

/// File offset of the metadata root named by the CLI header, if the image
/// has one.
pub fn metadata_root(bytes: &[u8]) -> Option<usize> {
    let coff = pe_header(bytes)?.checked_add(4)?;
    let sections = usize::from(u16_at(bytes, coff + 2)?).min(MAX_SECTIONS);
    let opt = coff.checked_add(20)?;
    let opt_size = usize::from(u16_at(bytes, coff + 16)?);
    let dirs = match u16_at(bytes, opt)? {
        PE32 => opt + 96,
        PE32_PLUS => opt + 112,
        _ => return None,
    };
    let cli_rva = u32_at(bytes, dirs.checked_add(CLI_DIRECTORY * 8)?)?;
    let table = opt.checked_add(opt_size)?;
    let to_offset = |rva: u32| -> Option<usize> {
        (0..sections).find_map(|i| {
            let s = table.checked_add(i.checked_mul(SECTION_HEADER)?)?;
            let size = u32_at(bytes, s + 8)?.max(u32_at(bytes, s + 16)?);
            let va = u32_at(bytes, s + 12)?;
            let raw = u32_at(bytes, s + 20)?;
            let delta = rva.checked_sub(va).filter(|&d| d < size)?;
            usize::try_from(raw.checked_add(delta)?).ok()
        })
    };
    let cli = to_offset(cli_rva)?;
    let root = to_offset(u32_at(bytes, cli.checked_add(8)?)?)?;
    (bytes.get(root..root.checked_add(4)?)? == b"BSJB").then_some(root)
}
