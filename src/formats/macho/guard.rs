//! Checks a slice for load commands that make goblin's parser panic, so the
//! slice can be refused before it is handed over.
//!
//! goblin 0.10 computes the `LC_MAIN` entry address as
//! `__TEXT.vmaddr - __TEXT.fileoff + entryoff` with unchecked arithmetic,
//! which panics on overflow in builds with overflow checks.

use goblin::mach::load_command::{CommandVariant, LoadCommand};
use goblin::mach::parse_magic_and_ctx;

/// Whether the `LC_MAIN` entry address of `slice` does not fit in 64 bits.
///
/// Walks the load commands as goblin does; anything goblin would reject
/// anyway yields `false`.
pub(super) fn entry_point_overflows(slice: &[u8]) -> bool {
    let Ok((_, Some(ctx))) = parse_magic_and_ctx(slice, 0) else {
        return false;
    };
    let Some(ncmds) = slice.get(16..20).and_then(|b| b.try_into().ok()) else {
        return false;
    };
    let ncmds = if ctx.le.is_little() {
        u32::from_le_bytes(ncmds)
    } else {
        u32::from_be_bytes(ncmds)
    };
    if ncmds as usize > slice.len() / 8 {
        return false;
    }
    let mut offset = if ctx.container.is_big() { 32 } else { 28 };
    let (mut text, mut entry) = (None, None);
    for _ in 0..ncmds {
        let Ok(command) = LoadCommand::parse(slice, &mut offset, ctx.le) else {
            return false;
        };
        let segment = match command.command {
            CommandVariant::Segment32(s) => {
                Some((s.segname, u64::from(s.vmaddr), u64::from(s.fileoff)))
            }
            CommandVariant::Segment64(s) => Some((s.segname, s.vmaddr, s.fileoff)),
            CommandVariant::Main(m) => {
                entry = entry.or(Some(m.entryoff));
                None
            }
            _ => None,
        };
        if let Some((name, vmaddr, fileoff)) = segment {
            if text.is_none() && name.starts_with(b"__TEXT\0") {
                text = Some((vmaddr, fileoff));
            }
        }
    }
    match (entry, text) {
        (Some(entry), Some((vmaddr, fileoff))) => vmaddr
            .checked_sub(fileoff)
            .and_then(|base| base.checked_add(entry))
            .is_none(),
        _ => false,
    }
}
