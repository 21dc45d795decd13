//! Method code as the trust and pinning checks read it: instructions with
//! their operands, and the try blocks that cover them.

use crate::formats::dex::insns::decode_at;
use crate::formats::dex::Dex;

/// Handlers of this many catch types per try block are read at most.
const MAX_HANDLERS: u32 = 64;

/// One instruction (never a payload pseudo-instruction).
#[derive(Debug, Clone, Copy)]
pub(super) struct Insn<'a> {
    /// Address in code units from the start of the method.
    pub pc: usize,
    pub op: u8,
    /// The instruction's code units, little-endian.
    units: &'a [u8],
}

impl Insn<'_> {
    /// Code unit `k` of the instruction (0 past its end).
    fn unit(&self, k: usize) -> u16 {
        let at = k.saturating_mul(2);
        match self.units.get(at..at.saturating_add(2)) {
            Some(&[lo, hi]) => u16::from_le_bytes([lo, hi]),
            _ => 0,
        }
    }

    /// Register `vAA` (bits 8..16 of the first unit).
    pub fn a8(&self) -> u16 {
        self.unit(0) >> 8
    }

    /// The register and value of `const/4`, `const/16` and `const`.
    pub fn literal(&self) -> Option<(u16, i32)> {
        let first = self.unit(0);
        match self.op {
            0x12 => Some(((first >> 8) & 0xf, i32::from((first as i16) >> 12))),
            0x13 => Some((first >> 8, i32::from(self.unit(1) as i16))),
            0x14 => Some((
                first >> 8,
                (u32::from(self.unit(1)) | u32::from(self.unit(2)) << 16) as i32,
            )),
            _ => None,
        }
    }

    /// The string of `const-string` / `const-string/jumbo`: (register, index).
    pub fn const_string(&self) -> Option<(u16, u32)> {
        match self.op {
            0x1a => Some((self.a8(), u32::from(self.unit(1)))),
            0x1b => Some((
                self.a8(),
                u32::from(self.unit(1)) | u32::from(self.unit(2)) << 16,
            )),
            _ => None,
        }
    }

    /// The 16-bit index operand: method of an invoke, field of a get or
    /// put, type of `new-instance`.
    pub fn index16(&self) -> u32 {
        u32::from(self.unit(1))
    }

    /// Whether the instruction calls a method by id (`invoke-*`,
    /// `invoke-polymorphic`), so that [`Insn::index16`] is a method index.
    pub fn is_invoke(&self) -> bool {
        matches!(self.op, 0x6e..=0x72 | 0x74..=0x78 | 0xfa | 0xfb)
    }

    /// Argument register `k` of an invoke (the receiver first).
    pub fn arg(&self, k: usize) -> Option<u16> {
        let first = self.unit(0);
        match self.op {
            0x6e..=0x72 | 0xfa => {
                let count = usize::from(first >> 12);
                let packed = self.unit(2);
                let regs = [
                    packed & 0xf,
                    (packed >> 4) & 0xf,
                    (packed >> 8) & 0xf,
                    packed >> 12,
                    (first >> 8) & 0xf,
                ];
                regs.get(k).copied().filter(|_| k < count)
            }
            0x74..=0x78 | 0xfb => {
                let k16 = u16::try_from(k).ok().filter(|&k| k < first >> 8)?;
                self.unit(2).checked_add(k16)
            }
            _ => None,
        }
    }

    /// The register the instruction writes, for the moves, constants and
    /// reads that [`super::scan`] tracks strings through; `None` for others.
    pub fn written(&self) -> Option<u16> {
        let first = self.unit(0);
        match self.op {
            0x01 | 0x04 | 0x07 | 0x12 | 0x20 | 0x21 | 0x23 | 0x52..=0x58 => {
                Some((first >> 8) & 0xf)
            }
            0x02 | 0x05 | 0x08 | 0x0a..=0x0d | 0x13..=0x1c | 0x1f | 0x22 | 0x44..=0x4a => {
                Some(first >> 8)
            }
            0x60..=0x66 => Some(first >> 8),
            0x03 | 0x06 | 0x09 => Some(self.unit(1)),
            _ => None,
        }
    }

    /// The source register of `move-object` / `move-object/from16` /
    /// `move-object/16`.
    pub fn move_source(&self) -> Option<u16> {
        match self.op {
            0x07 => Some(self.unit(0) >> 12),
            0x08 => Some(self.unit(1)),
            0x09 => Some(self.unit(2)),
            _ => None,
        }
    }
}

/// The instructions of `insns`, payloads skipped. Iteration ends at the end
/// of the array or at an instruction that runs past it (see
/// [`Instructions::truncated`]).
pub(super) struct Instructions<'a> {
    insns: &'a [u8],
    pc: usize,
    truncated: bool,
}

/// Iterates over the instructions of a code item's `insns`.
pub(super) fn instructions(insns: &[u8]) -> Instructions<'_> {
    Instructions {
        insns,
        pc: 0,
        truncated: false,
    }
}

impl Instructions<'_> {
    /// Whether decoding stopped at an instruction cut short by the end.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

impl<'a> Iterator for Instructions<'a> {
    type Item = Insn<'a>;

    fn next(&mut self) -> Option<Insn<'a>> {
        while self.pc.checked_mul(2)? < self.insns.len() {
            let Some((len, op, _)) = decode_at(self.insns, self.pc) else {
                self.truncated = true;
                return None;
            };
            let pc = self.pc;
            self.pc = pc.checked_add(len)?;
            if let Some(op) = op {
                let units = self.insns.get(pc * 2..self.pc * 2)?;
                return Some(Insn { pc, op, units });
            }
        }
        None
    }
}

/// A try block: the code units it covers and whether a handler catches
/// every exception that a failed certificate check raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TryBlock {
    pub start: usize,
    pub end: usize,
    pub catches_broadly: bool,
}

impl TryBlock {
    /// Whether the block covers the instruction at `pc`.
    pub fn covers(&self, pc: usize) -> bool {
        (self.start..self.end).contains(&pc)
    }
}

/// Catch types that include `CertificateException`.
const BROAD_CATCHES: &[&str] = &[
    "Ljava/lang/Throwable;",
    "Ljava/lang/Exception;",
    "Ljava/security/GeneralSecurityException;",
    "Ljava/security/cert/CertificateException;",
];

/// The try blocks of the `code_item` at `code_off`; `None` if they cannot
/// be read.
pub(super) fn try_blocks(dex: &Dex<'_>, bytes: &[u8], code_off: u32) -> Option<Vec<TryBlock>> {
    let off = usize::try_from(code_off).ok()?;
    let tries_size = usize::from(u16_at(bytes, off.checked_add(6)?)?);
    let insns_size = usize::try_from(u32_at(bytes, off.checked_add(12)?)?).ok()?;
    let padding = if insns_size % 2 == 1 { 2 } else { 0 };
    let tries_off = insns_size
        .checked_mul(2)?
        .checked_add(padding)?
        .checked_add(off)?
        .checked_add(16)?;
    let handlers_off = tries_off.checked_add(tries_size.checked_mul(8)?)?;
    let mut blocks = Vec::with_capacity(tries_size.min(1024));
    for k in 0..tries_size {
        let at = tries_off.checked_add(k * 8)?;
        let start = usize::try_from(u32_at(bytes, at)?).ok()?;
        let count = usize::from(u16_at(bytes, at + 4)?);
        let handler = handlers_off.checked_add(usize::from(u16_at(bytes, at + 6)?))?;
        blocks.push(TryBlock {
            start,
            end: start.checked_add(count)?,
            catches_broadly: catches_broadly(dex, bytes, handler)?,
        });
    }
    Some(blocks)
}

/// Whether the `encoded_catch_handler` at `at` has a catch-all or catches
/// one of [`BROAD_CATCHES`].
fn catches_broadly(dex: &Dex<'_>, bytes: &[u8], at: usize) -> Option<bool> {
    let mut pos = at;
    let size = sleb128(bytes, &mut pos)?;
    if size <= 0 {
        return Some(true);
    }
    for _ in 0..size.unsigned_abs().min(MAX_HANDLERS) {
        let type_idx = uleb128(bytes, &mut pos)?;
        uleb128(bytes, &mut pos)?; // handler address
        let caught = dex.type_descriptor(type_idx)?;
        if BROAD_CATCHES.contains(&caught.as_ref()) {
            return Some(true);
        }
    }
    Some(false)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// An unsigned LEB128 value of at most five bytes.
fn uleb128(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut value = 0u32;
    for i in 0..5 {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= u32::from(b & 0x7f).checked_shl(7 * i).unwrap_or(0);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// A signed LEB128 value of at most five bytes.
fn sleb128(bytes: &[u8], pos: &mut usize) -> Option<i32> {
    let start = *pos;
    let value = uleb128(bytes, pos)?;
    let bits = (*pos - start).saturating_mul(7).min(32) as u32;
    let shift = 32 - bits;
    Some(((value << shift) as i32) >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(units: &[u16]) -> Vec<u8> {
        units.iter().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn operands_of_common_instructions() {
        let code = bytes(&[
            0xf012, // const/4 v0, -1
            0x0113, 0x8000, // const/16 v1, -32768
            0x021a, 7, // const-string v2, string@7
            0x3070, 9, 0x0210, // invoke-direct {v0, v1, v2}, method@9
            0x0374, 4, 0x0005, // invoke-virtual/range {v5..v7}, method@4
            0x0100, 1, 0, 0, 0, 0, // packed-switch payload (skipped)
            0x000e,
        ]);
        let all: Vec<Insn<'_>> = instructions(&code).collect();
        let ops: Vec<u8> = all.iter().map(|i| i.op).collect();
        assert_eq!(ops, [0x12, 0x13, 0x1a, 0x70, 0x74, 0x0e]);
        assert_eq!(all[0].literal(), Some((0, -1)));
        assert_eq!(all[1].literal(), Some((1, -32768)));
        assert_eq!(all[2].const_string(), Some((2, 7)));
        assert_eq!(all[2].written(), Some(2));
        let args = |i: &Insn<'_>| (0..6).map_while(|k| i.arg(k)).collect::<Vec<_>>();
        assert_eq!((all[3].index16(), args(&all[3])), (9, vec![0, 1, 2]));
        assert_eq!((all[4].index16(), args(&all[4])), (4, vec![5, 6, 7]));
        assert!(all[3].is_invoke() && !all[2].is_invoke());
        assert_eq!(all[5].pc, 17);
    }

    #[test]
    fn truncated_code_stops_iteration() {
        let code = bytes(&[0x000e, 0x0070, 1]);
        let mut it = instructions(&code);
        assert_eq!(it.next().map(|i| i.op), Some(0x0e));
        assert!(it.next().is_none());
        assert!(it.truncated());
    }

    #[test]
    fn leb128_limits() {
        let mut pos = 0;
        assert_eq!(sleb128(&[0x7f], &mut pos), Some(-1));
        pos = 0;
        assert_eq!(sleb128(&[0x80, 0x7f], &mut pos), Some(-128));
        pos = 0;
        assert_eq!(sleb128(&[0x02], &mut pos), Some(2));
        pos = 0;
        assert_eq!(uleb128(&[0x80; 5], &mut pos), None);
        pos = 0;
        assert_eq!(
            sleb128(&[0xff, 0xff, 0xff, 0xff, 0x07], &mut pos),
            Some(i32::MAX)
        );
    }
}
