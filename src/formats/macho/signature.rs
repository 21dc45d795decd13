//! Where the code signature (`LC_CODE_SIGNATURE`) of each slice lies: its
//! CMS blob carries the signer's certificate chain, which is the binary's
//! own signature, not material embedded by the app.

use std::ops::Range;

const LC_CODE_SIGNATURE: u32 = 0x1d;
/// More load commands than any real binary has.
const MAX_COMMANDS: u32 = 1 << 16;

/// Magic of an embedded code signature SuperBlob (big-endian).
const EMBEDDED_SIGNATURE: [u8; 4] = [0xfa, 0xde, 0x0c, 0xc0];
/// SuperBlobs looked at, at most, when load commands do not say where the
/// signature is.
const MAX_BLOBS: usize = 16;

/// The byte ranges of the code signatures of a thin or universal Mach-O
/// file: where `LC_CODE_SIGNATURE` says, and any embedded-signature
/// SuperBlob (self-describing, so found even when the load commands are
/// damaged). Empty for anything else.
pub fn code_signature_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    superblobs(bytes, &mut out);
    match super::be_u32(bytes, 0) {
        Some(super::FAT_MAGIC | super::FAT_MAGIC_64) => {
            let wide = super::be_u32(bytes, 0) == Some(super::FAT_MAGIC_64);
            let count = super::be_u32(bytes, 4).unwrap_or(0).min(super::MAX_ARCHES);
            let entry = if wide { 32 } else { 20 };
            for i in 0..count as usize {
                let at = 8 + i * entry;
                let offset = if wide {
                    super::be_u64(bytes, at + 8)
                } else {
                    super::be_u32(bytes, at + 8).map(u64::from)
                };
                let Some(base) = offset.and_then(|o| usize::try_from(o).ok()) else {
                    continue;
                };
                if let Some(slice) = bytes.get(base..) {
                    thin(slice, base, &mut out);
                }
            }
        }
        _ => thin(bytes, 0, &mut out),
    }
    out
}

/// Adds the ranges of SuperBlobs: magic, then their big-endian length.
fn superblobs(bytes: &[u8], out: &mut Vec<Range<usize>>) {
    let finder = memchr::memmem::Finder::new(&EMBEDDED_SIGNATURE);
    for at in finder.find_iter(bytes).take(MAX_BLOBS) {
        let Some(len) = super::be_u32(bytes, at + 4) else {
            continue;
        };
        let end = at.saturating_add(len as usize).min(bytes.len());
        if len >= 12 {
            out.push(at..end);
        }
    }
}

/// Adds the code signature range of the thin file `slice` found at `base`.
fn thin(slice: &[u8], base: usize, out: &mut Vec<Range<usize>>) {
    let (little, header) = match slice.get(..4) {
        Some([0xce, 0xfa, 0xed, 0xfe]) => (true, 28),
        Some([0xcf, 0xfa, 0xed, 0xfe]) => (true, 32),
        Some([0xfe, 0xed, 0xfa, 0xce]) => (false, 28),
        Some([0xfe, 0xed, 0xfa, 0xcf]) => (false, 32),
        _ => return,
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = slice.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let Some(ncmds) = u32_at(16) else { return };
    let mut at = header;
    for _ in 0..ncmds.min(MAX_COMMANDS) {
        let (Some(cmd), Some(size)) = (u32_at(at), u32_at(at + 4)) else {
            return;
        };
        if cmd == LC_CODE_SIGNATURE {
            if let (Some(off), Some(len)) = (u32_at(at + 8), u32_at(at + 12)) {
                let start = base.saturating_add(off as usize);
                out.push(start..start.saturating_add(len as usize));
            }
            return;
        }
        if size < 8 {
            return;
        }
        at = at.saturating_add(size as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A little-endian 64-bit header with one segment-like command and a
    /// code signature command.
    fn thin_with_signature(dataoff: u32, datasize: u32) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&[0xcf, 0xfa, 0xed, 0xfe]);
        b.extend_from_slice(&[0; 12]);
        b.extend_from_slice(&2u32.to_le_bytes()); // ncmds
        b.extend_from_slice(&[0; 12]);
        b.extend_from_slice(&0x19u32.to_le_bytes());
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(&LC_CODE_SIGNATURE.to_le_bytes());
        b.extend_from_slice(&16u32.to_le_bytes());
        b.extend_from_slice(&dataoff.to_le_bytes());
        b.extend_from_slice(&datasize.to_le_bytes());
        b
    }

    #[test]
    fn finds_the_signature_of_thin_and_fat_files() {
        let thin = thin_with_signature(0x100, 0x40);
        assert_eq!(code_signature_ranges(&thin).first(), Some(&(0x100..0x140)));
        let mut fat = vec![0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 1];
        fat.extend_from_slice(&[0; 8]);
        fat.extend_from_slice(&0x1000u32.to_be_bytes());
        fat.extend_from_slice(&(thin.len() as u32).to_be_bytes());
        fat.extend_from_slice(&[0; 4]);
        fat.resize(0x1000, 0);
        fat.extend_from_slice(&thin);
        assert_eq!(code_signature_ranges(&fat).first(), Some(&(0x1100..0x1140)));
    }

    #[test]
    fn a_signature_blob_is_found_without_its_load_command() {
        let mut bytes = vec![0u8; 64];
        bytes.extend_from_slice(&EMBEDDED_SIGNATURE);
        bytes.extend_from_slice(&100u32.to_be_bytes());
        bytes.resize(400, 7);
        assert_eq!(code_signature_ranges(&bytes).first(), Some(&(64..164)));
        // A magic with an implausible length is ignored.
        let mut short = vec![0u8; 8];
        short.extend_from_slice(&EMBEDDED_SIGNATURE);
        short.extend_from_slice(&4u32.to_be_bytes());
        assert!(code_signature_ranges(&short).is_empty());
    }

    #[test]
    fn hostile_headers_yield_nothing_and_do_not_panic() {
        assert!(code_signature_ranges(b"").is_empty());
        assert!(code_signature_ranges(b"\x7fELF....").is_empty());
        let mut thin = thin_with_signature(u32::MAX, u32::MAX);
        assert_eq!(code_signature_ranges(&thin).len(), 1);
        thin.truncate(40);
        assert!(code_signature_ranges(&thin).is_empty());
        let mut endless = thin_with_signature(0, 0);
        endless[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        endless[36..40].copy_from_slice(&0u32.to_le_bytes()); // cmdsize 0
        assert!(code_signature_ranges(&endless).is_empty());
    }
}
