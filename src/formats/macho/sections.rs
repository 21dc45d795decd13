//! The sections of one Mach-O slice with their file data, and the mapping
//! from a pointer stored in the file to the section bytes it targets.

use goblin::mach::MachO;

/// Sections read per slice at most.
const MAX_SECTIONS: usize = 1024;
/// Target bits of a chained-fixup rebase (`DYLD_CHAINED_PTR_64*`).
const CHAINED_TARGET_36: u64 = (1 << 36) - 1;
/// Target bits of an arm64e authenticated rebase (an image offset).
const CHAINED_TARGET_32: u64 = (1 << 32) - 1;

/// One section with the bytes it occupies in the file.
pub(super) struct Section<'a> {
    pub segment: String,
    pub name: String,
    /// `segment,name`, the symbol strings from this section carry.
    pub label: String,
    pub addr: u64,
    /// Offset of `data` in the whole artifact.
    pub file_offset: u64,
    /// The section's bytes (empty for zero-fill or out-of-file sections).
    pub data: &'a [u8],
}

/// The sections of a slice and its image base.
pub(super) struct Sections<'a> {
    list: Vec<Section<'a>>,
    image_base: u64,
}

impl<'a> Sections<'a> {
    /// Reads the sections of `macho`, a slice found at `base` in the artifact.
    pub fn new(macho: &MachO<'a>, base: u64) -> Self {
        let mut list = Vec::new();
        'segments: for segment in macho.segments.iter() {
            for entry in segment {
                if list.len() >= MAX_SECTIONS {
                    break 'segments;
                }
                let Ok((section, data)) = entry else { break };
                let (segment, name) = (fixed_name(&section.segname), fixed_name(&section.sectname));
                list.push(Section {
                    label: format!("{segment},{name}"),
                    segment,
                    name,
                    addr: section.addr,
                    file_offset: base + u64::from(section.offset),
                    data,
                });
            }
        }
        // The image base is where __TEXT (the segment mapping the header) sits.
        let image_base = macho
            .segments
            .iter()
            .find(|s| s.fileoff == 0 && s.filesize > 0)
            .map_or(0, |s| s.vmaddr);
        Sections { list, image_base }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Section<'a>> {
        self.list.iter()
    }

    /// The section and offset in it that a stored pointer refers to.
    ///
    /// Tries the value as a plain address first, then as a chained-fixup
    /// rebase: an arm64e authenticated rebase (bit 63) holds a 32-bit image
    /// offset; `DYLD_CHAINED_PTR_64` holds a 36-bit address and
    /// `DYLD_CHAINED_PTR_64_OFFSET` a 36-bit image offset.
    pub fn resolve(&self, ptr: u64) -> Option<(&Section<'a>, usize)> {
        let candidates = if ptr >> 63 == 1 {
            [
                self.image_base.checked_add(ptr & CHAINED_TARGET_32),
                None,
                None,
            ]
        } else {
            let low = ptr & CHAINED_TARGET_36;
            [Some(ptr), Some(low), self.image_base.checked_add(low)]
        };
        candidates
            .into_iter()
            .flatten()
            .find_map(|addr| self.locate(addr))
    }

    fn locate(&self, addr: u64) -> Option<(&Section<'a>, usize)> {
        self.list.iter().find_map(|s| {
            let at = usize::try_from(addr.checked_sub(s.addr)?).ok()?;
            (at < s.data.len()).then_some((s, at))
        })
    }
}

/// A 16-byte, NUL-padded Mach-O name (not terminated when 16 long).
fn fixed_name(raw: &[u8; 16]) -> String {
    let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
    String::from_utf8_lossy(raw.get(..end).unwrap_or(raw)).into_owned()
}
