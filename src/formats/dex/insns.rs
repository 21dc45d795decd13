//! Stepping through Dalvik bytecode to find `const-string` instructions.
//!
//! Instructions are 16-bit code units; the low byte of the first unit is the
//! opcode and fixes the instruction's format, hence its length. Switch and
//! array-data payloads sit inside the same array as pseudo-instructions
//! (first unit `0x0100`, `0x0200`, `0x0300`) and carry their own length.

use super::reader::{u16_at, u32_at};

/// Instructions examined after a `const-string` when looking for the field
/// that stores it.
const LOOKAHEAD: usize = 16;

/// A `const-string` found in code, with the field it is stored into, if the
/// next instruction that touches its register is `sput-object`/`iput-object`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ConstString {
    pub string_idx: u32,
    pub field_idx: Option<u32>,
}

/// Where registers sit in an instruction, by format (see the Dalvik
/// "instruction formats" reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// No register: 10x, 10t, 20t, 30t.
    None,
    /// vA in bits 8..12 (11n).
    A4,
    /// vA, vB in bits 8..12, 12..16 (12x, 22t, 22s, 22c).
    A4B4,
    /// vAA in the high byte (11x, 21t, 21s, 21h, 21c, 31t, 31i, 31c, 51l).
    A8,
    /// vAA, vBBBB in the second unit (22x).
    A8B16,
    /// vAA, vBB, vCC (23x; 22b uses only AA and BB).
    A8B8C8,
    /// vAAAA, vBBBB (32x).
    A16B16,
    /// Register list of 35c / 45cc.
    List,
    /// Register range of 3rc / 4rcc.
    Range,
}

/// Length in code units and register layout of an opcode.
fn format(op: u8) -> (usize, Format) {
    use Format::*;
    match op {
        0x00 | 0x0e | 0x3e..=0x43 | 0x73 | 0x79 | 0x7a | 0xe3..=0xf9 => (1, None),
        0x01 | 0x04 | 0x07 | 0x21 | 0x7b..=0x8f | 0xb0..=0xcf => (1, A4B4),
        0x02 | 0x05 | 0x08 => (2, A8B16),
        0x03 | 0x06 | 0x09 => (3, A16B16),
        0x0a..=0x0d | 0x0f..=0x11 | 0x1d | 0x1e | 0x27 => (1, A8),
        0x12 => (1, A4),
        0x13 | 0x15 | 0x16 | 0x19 | 0x1a | 0x1c | 0x1f | 0x22 | 0x38..=0x3d => (2, A8),
        0x60..=0x6d | 0xfe | 0xff => (2, A8),
        0x14 | 0x17 | 0x1b | 0x26 | 0x2b | 0x2c => (3, A8),
        0x18 => (5, A8),
        0x20 | 0x23 | 0x32..=0x37 | 0x52..=0x5f | 0xd0..=0xd7 => (2, A4B4),
        0x24 | 0x6e..=0x72 | 0xfc => (3, List),
        0x25 | 0x74..=0x78 | 0xfd => (3, Range),
        0x28 => (1, None),
        0x29 => (2, None),
        0x2a => (3, None),
        0x2d..=0x31 | 0x44..=0x51 | 0x90..=0xaf | 0xd8..=0xe2 => (2, A8B8C8),
        0xfa => (4, List),
        0xfb => (4, Range),
    }
}

/// Opcodes after which execution does not simply fall through: returns,
/// throw, goto, switches and conditional branches.
fn ends_straight_line(op: u8) -> bool {
    matches!(op, 0x0e..=0x11 | 0x27..=0x2c | 0x32..=0x3d)
}

/// Length in code units of the payload pseudo-instruction starting at unit
/// `pc`, or `None` if `first` is not a payload identifier.
fn payload_len(insns: &[u8], pc: usize, first: u16) -> Option<Option<usize>> {
    let unit = |k: usize| pc.checked_add(k).and_then(|u| u.checked_mul(2));
    let len = match first {
        0x0100 => {
            let size = usize::from(u16_at(insns, unit(1)?)?);
            Some(size.checked_mul(2)?.checked_add(4)?)
        }
        0x0200 => {
            let size = usize::from(u16_at(insns, unit(1)?)?);
            Some(size.checked_mul(4)?.checked_add(2)?)
        }
        0x0300 => {
            let width = usize::from(u16_at(insns, unit(1)?)?);
            let count = usize::try_from(u32_at(insns, unit(2)?)?).ok()?;
            let bytes = width.checked_mul(count)?;
            Some(bytes.checked_add(1)? / 2 + 4)
        }
        _ => return Some(None),
    };
    Some(len)
}

/// Length in code units of the instruction at unit `pc`, its opcode and its
/// first unit; `None` if it does not fit in `insns`.
pub(crate) fn decode_at(insns: &[u8], pc: usize) -> Option<(usize, Option<u8>, u16)> {
    let first = u16_at(insns, pc.checked_mul(2)?)?;
    let (len, op) = match payload_len(insns, pc, first)? {
        Some(len) => (len, None),
        None => (format(first as u8).0, Some(first as u8)),
    };
    let end = pc.checked_add(len)?;
    (end.checked_mul(2)? <= insns.len()).then_some((len, op, first))
}

/// Whether the instruction at unit `pc` (opcode `op`, fully in bounds)
/// names register `reg`.
fn touches(insns: &[u8], pc: usize, op: u8, reg: u16) -> bool {
    let unit = |k: usize| u16_at(insns, (pc + k) * 2).unwrap_or(0);
    let u0 = unit(0);
    let hi = u0 >> 8;
    match format(op).1 {
        Format::None => false,
        Format::A4 => hi & 0xf == reg,
        Format::A4B4 => hi & 0xf == reg || hi >> 4 == reg,
        Format::A8 => hi == reg,
        Format::A8B16 => hi == reg || unit(1) == reg,
        Format::A8B8C8 => hi == reg || unit(1) & 0xff == reg || unit(1) >> 8 == reg,
        Format::A16B16 => unit(1) == reg || unit(2) == reg,
        Format::List => {
            let count = usize::from(hi >> 4);
            let u2 = unit(2);
            let regs = [
                u2 & 0xf,
                (u2 >> 4) & 0xf,
                (u2 >> 8) & 0xf,
                u2 >> 12,
                hi & 0xf,
            ];
            regs.iter().take(count).any(|&r| r == reg)
        }
        Format::Range => {
            let first = u32::from(unit(2));
            (first..first + u32::from(hi)).contains(&u32::from(reg))
        }
    }
}

/// The field that the value in `reg` is stored into, if the next instruction
/// from unit `pc` that names `reg` is a `sput-object` or `iput-object` of it.
fn stored_field(insns: &[u8], mut pc: usize, reg: u16) -> Option<u32> {
    for _ in 0..LOOKAHEAD {
        let (len, op, first) = decode_at(insns, pc)?;
        let op = op?;
        let hi = first >> 8;
        match op {
            0x69 if hi == reg => return u16_at(insns, (pc + 1) * 2).map(u32::from),
            0x5b if hi & 0xf == reg => return u16_at(insns, (pc + 1) * 2).map(u32::from),
            _ if touches(insns, pc, op, reg) || ends_straight_line(op) => return None,
            _ => pc += len,
        }
    }
    None
}

/// Walks the instruction array `insns` (raw little-endian code units) and
/// calls `found` for each `const-string` and `const-string/jumbo`. Returns
/// the unit index at which decoding failed, if an instruction runs past the
/// end; everything before it has been reported.
pub(super) fn const_strings(insns: &[u8], mut found: impl FnMut(ConstString)) -> Result<(), usize> {
    let units = insns.len() / 2;
    let mut pc = 0;
    while pc < units {
        let (len, op, first) = decode_at(insns, pc).ok_or(pc)?;
        let index = match op {
            Some(0x1a) => u16_at(insns, (pc + 1) * 2).map(u32::from),
            Some(0x1b) => u32_at(insns, (pc + 1) * 2),
            _ => None,
        };
        if let Some(string_idx) = index {
            let field_idx = stored_field(insns, pc + len, first >> 8);
            found(ConstString {
                string_idx,
                field_idx,
            });
        }
        pc += len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(units: &[u16]) -> Vec<u8> {
        units.iter().flat_map(|u| u.to_le_bytes()).collect()
    }

    fn walk(units: &[u16]) -> (Vec<ConstString>, Result<(), usize>) {
        let mut got = Vec::new();
        let r = const_strings(&bytes(units), |c| got.push(c));
        (got, r)
    }

    fn cs(string_idx: u32, field_idx: Option<u32>) -> ConstString {
        ConstString {
            string_idx,
            field_idx,
        }
    }

    #[test]
    fn every_opcode_has_a_length() {
        for op in 0..=255u8 {
            let (len, _) = format(op);
            assert!((1..=5).contains(&len), "opcode {op:#x}");
        }
        assert_eq!(format(0x18).0, 5);
        assert_eq!(format(0x1b).0, 3);
        assert_eq!(format(0xfa).0, 4);
    }

    #[test]
    fn const_string_then_sput_and_iput() {
        let (got, r) = walk(&[
            0x011a, 7, // const-string v1, string@7
            0x0069, 3, // sput-object v0, field@3 (other register)
            0x0169, 4, // sput-object v1, field@4
            0x021b, 0x0002, 0x0001, // const-string/jumbo v2, string@0x10002
            0x325b, 9, // iput-object v2, v3, field@9
            0x000e,
        ]);
        assert_eq!(r, Ok(()));
        assert_eq!(got, vec![cs(7, Some(4)), cs(0x10002, Some(9))]);
    }

    #[test]
    fn other_use_or_branch_stops_the_lookahead() {
        let (got, _) = walk(&[
            0x001a, 1, // const-string v0
            0x1071, 5, 0x0000, // invoke-static {v0}
            0x0069, 2, // sput-object v0
            0x001a, 3,      // const-string v0
            0x0028, // goto
            0x0069, 4, // sput-object v0
            0x001a, 5,      // const-string v0
            0x0012, // const/4 v0, 0
            0x0069, 6, // sput-object v0
        ]);
        assert_eq!(got, vec![cs(1, None), cs(3, None), cs(5, None)]);
    }

    #[test]
    fn steps_over_payloads() {
        let (got, r) = walk(&[
            0x0000, // nop
            0x0100, 2, 0, 0, 1, 0, 2, 0, // packed-switch payload, 2 targets
            0x0200, 1, 5, 0, 9, 0, // sparse-switch payload, 1 entry
            0x0300, 1, 3, 0, 0x1a1a, 0x001a, // fill-array-data, 3 bytes
            0x001a, 42, // const-string v0, string@42
            0x000e,
        ]);
        assert_eq!(r, Ok(()));
        assert_eq!(got, vec![cs(42, None)]);
    }

    #[test]
    fn truncated_instruction_reports_where() {
        let (got, r) = walk(&[0x001a, 1, 0x0018, 0, 0]);
        assert_eq!(got, vec![cs(1, None)]);
        assert_eq!(r, Err(2));
        let (_, r) = walk(&[0x0300, 4, 0xffff, 0xffff]);
        assert_eq!(r, Err(0));
    }
}
