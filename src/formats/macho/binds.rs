//! Names of the symbols a slice binds at load time, from dyld's bind opcode
//! streams (`LC_DYLD_INFO`) and the chained-fixups symbol pool
//! (`LC_DYLD_CHAINED_FIXUPS`). Stripped binaries keep these even when their
//! symbol table is empty.
//!
//! goblin's `MachO::imports` is not used: it indexes segments and dylibs
//! with values from the file and loops on file-controlled counts.

use goblin::mach::load_command::CommandVariant;
use goblin::mach::MachO;

const BIND_OPCODE_MASK: u8 = 0xf0;
const SET_SYMBOL_TRAILING_FLAGS_IMM: u8 = 0x40;
/// Opcodes followed by one LEB128 operand.
const ONE_LEB: [u8; 5] = [0x20, 0x60, 0x70, 0x80, 0xa0];
const DO_BIND_ULEB_TIMES_SKIPPING_ULEB: u8 = 0xc0;
const THREADED: u8 = 0xd0;
const THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB: u8 = 0x00;
/// `symbols_offset` in `dyld_chained_fixups_header`.
const CHAINED_SYMBOLS_OFFSET: usize = 12;
/// `symbols_format` in `dyld_chained_fixups_header`; 0 is uncompressed.
const CHAINED_SYMBOLS_FORMAT: usize = 24;

/// Bound symbol names with their offsets in `slice`, in file order.
pub(super) fn bound_names<'a>(macho: &MachO, slice: &'a [u8]) -> Vec<(u64, &'a [u8])> {
    let mut out = Vec::new();
    for command in &macho.load_commands {
        match &command.command {
            CommandVariant::DyldInfo(c) | CommandVariant::DyldInfoOnly(c) => {
                for (off, size) in [
                    (c.bind_off, c.bind_size),
                    (c.weak_bind_off, c.weak_bind_size),
                    (c.lazy_bind_off, c.lazy_bind_size),
                ] {
                    if let Some(stream) = range(slice, off, size) {
                        opcode_names(stream, u64::from(off), &mut out);
                    }
                }
            }
            CommandVariant::DyldChainedFixups(c) => {
                let Some(blob) = range(slice, c.dataoff, c.datasize) else {
                    continue;
                };
                let word = |at: usize| {
                    let b: [u8; 4] = blob.get(at..at + 4)?.try_into().ok()?;
                    Some(if macho.little_endian {
                        u32::from_le_bytes(b)
                    } else {
                        u32::from_be_bytes(b)
                    })
                };
                if word(CHAINED_SYMBOLS_FORMAT) != Some(0) {
                    continue;
                }
                let Some(start) = word(CHAINED_SYMBOLS_OFFSET) else {
                    continue;
                };
                let Some(pool) = blob.get(start as usize..) else {
                    continue;
                };
                let mut at = u64::from(c.dataoff) + u64::from(start);
                for name in pool.split(|&b| b == 0) {
                    if !name.is_empty() {
                        out.push((at, name));
                    }
                    at += name.len() as u64 + 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// Collects the operands of `SET_SYMBOL_TRAILING_FLAGS_IMM` in a bind stream
/// found at `base`, skipping every other opcode's operands.
fn opcode_names<'a>(stream: &'a [u8], base: u64, out: &mut Vec<(u64, &'a [u8])>) {
    let mut i = 0;
    while let Some(&op) = stream.get(i) {
        i += 1;
        let code = op & BIND_OPCODE_MASK;
        if code == SET_SYMBOL_TRAILING_FLAGS_IMM {
            let rest = stream.get(i..).unwrap_or(&[]);
            let len = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            out.push((base + i as u64, rest.get(..len).unwrap_or(rest)));
            i += len + 1;
        } else if ONE_LEB.contains(&code)
            || (code == THREADED
                && op & !BIND_OPCODE_MASK == THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB)
        {
            i = skip_leb(stream, i);
        } else if code == DO_BIND_ULEB_TIMES_SKIPPING_ULEB {
            i = skip_leb(stream, skip_leb(stream, i));
        }
    }
}

/// Index just past the LEB128 number starting at `i`.
fn skip_leb(stream: &[u8], mut i: usize) -> usize {
    while let Some(&b) = stream.get(i) {
        i += 1;
        if b & 0x80 == 0 {
            break;
        }
    }
    i
}

fn range(slice: &[u8], off: u32, size: u32) -> Option<&[u8]> {
    let start = off as usize;
    slice.get(start..start.checked_add(size as usize)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_skips_operands() {
        // SET_DYLIB_ORDINAL_IMM 1, SET_SEGMENT_AND_OFFSET_ULEB 2 (multi-byte
        // offset), SET_SYMBOL "_SecTrustEvaluate", DO_BIND, SET_ADDEND_SLEB,
        // DO_BIND_ULEB_TIMES_SKIPPING_ULEB, SET_SYMBOL "_b", DONE.
        let mut stream = vec![0x11, 0x72, 0x90, 0x80, 0x01, 0x40];
        stream.extend(b"_SecTrustEvaluate\0");
        stream.extend([0x90, 0x60, 0x7f, 0xc0, 0x83, 0x01, 0x40, 0x40]);
        stream.extend(b"_b\0\0");
        let mut out = Vec::new();
        opcode_names(&stream, 100, &mut out);
        assert_eq!(
            out,
            vec![(106, &b"_SecTrustEvaluate"[..]), (132, &b"_b"[..])]
        );
        // Truncated streams end the walk.
        for len in 0..stream.len() {
            out.clear();
            opcode_names(&stream[..len], 0, &mut out);
            assert!(out.len() <= 2);
        }
    }
}
