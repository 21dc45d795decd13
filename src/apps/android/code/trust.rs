//! Whether a method body accepts every certificate or host.
//!
//! The checks are conservative: a body is reported only when no path
//! through it can reject. A `throw` anywhere, or a call that may throw
//! (anything but logging, string building and Kotlin's parameter checks)
//! outside a try block whose handler catches `CertificateException` or a
//! supertype, means the method may reject, so it is not reported, even when
//! the thrown exception guards something irrelevant.

use super::bytecode::{instructions, try_blocks};
use crate::formats::dex::{CodeItem, Dex};

/// Classes whose methods cannot reject a certificate: logging, string
/// building, exception printing and Kotlin/Java null checks (which throw
/// only for null arguments).
const HARMLESS_CLASSES: &[&str] = &[
    "Landroid/util/Log;",
    "Ljava/io/PrintStream;",
    "Ljava/lang/StringBuilder;",
    "Ljava/lang/String;",
    "Ljava/lang/Throwable;",
    "Ljava/lang/Exception;",
    "Ljava/util/Objects;",
    "Lkotlin/jvm/internal/Intrinsics;",
];

/// How a `checkServerTrusted` body accepts every chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Acceptance {
    /// Nothing but `return-void`.
    Empty,
    /// No throw and no call that could reject (logging at most).
    NoCheck,
    /// Calls that could reject are inside try blocks whose handlers swallow
    /// the exception.
    ExceptionsSwallowed,
}

impl Acceptance {
    pub fn describe(self) -> &'static str {
        match self {
            Acceptance::Empty => "empty body",
            Acceptance::NoCheck => "returns without checking the chain",
            Acceptance::ExceptionsSwallowed => "catches and ignores certificate exceptions",
        }
    }
}

/// Whether the invoke of method `method_idx` cannot reject.
fn harmless_call(dex: &Dex<'_>, method_idx: u32) -> bool {
    dex.method(method_idx)
        .and_then(|m| dex.type_descriptor(u32::from(m.class_idx)))
        .is_some_and(|class| HARMLESS_CLASSES.contains(&class.as_ref()))
}

/// Classifies the body of a `checkServerTrusted` implementation (the
/// `code_item` at `code_off`); `None` if it may reject a chain or cannot be
/// read whole.
pub(super) fn accepts_any_chain(
    dex: &Dex<'_>,
    bytes: &[u8],
    code_off: u32,
    code: &CodeItem<'_>,
) -> Option<Acceptance> {
    let mut meaningful = false;
    let mut risky = Vec::new();
    let mut insns = instructions(code.insns);
    for insn in insns.by_ref() {
        match insn.op {
            0x00 | 0x0e => {}
            0x27 => return None,
            // invoke-custom: a call target resolved at run time.
            0xfc | 0xfd => return None,
            _ if insn.is_invoke() => {
                meaningful = true;
                if !harmless_call(dex, insn.index16()) {
                    risky.push(insn.pc);
                }
            }
            _ => meaningful = true,
        }
    }
    if insns.truncated() {
        return None;
    }
    if risky.is_empty() {
        return Some(if meaningful {
            Acceptance::NoCheck
        } else {
            Acceptance::Empty
        });
    }
    let blocks = try_blocks(dex, bytes, code_off)?;
    risky
        .iter()
        .all(|&pc| blocks.iter().any(|b| b.catches_broadly && b.covers(pc)))
        .then_some(Acceptance::ExceptionsSwallowed)
}

/// Whether a boolean method (a `verify` implementation) returns the
/// constant `true` on its only path: its straight-line code from the entry
/// is constants, strings and harmless calls up to `return vX` with vX last
/// set to 1. Any branch, other call or other instruction before the return
/// means no.
pub(super) fn returns_true(dex: &Dex<'_>, code: &CodeItem<'_>) -> bool {
    let mut last: Option<(u16, i32)> = None;
    for insn in instructions(code.insns) {
        match insn.op {
            0x00 => {}
            0x12..=0x14 => last = insn.literal(),
            0x1a | 0x1b => {
                if last.is_some_and(|(reg, _)| Some(reg) == insn.written()) {
                    last = None;
                }
            }
            0x0f => return last == Some((insn.a8(), 1)),
            _ if insn.is_invoke() && harmless_call(dex, insn.index16()) => {}
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::dex::{DexBuilder, Insn, MethodKind};
    use crate::formats::dex::{parse, ClassData};

    /// The first method of the only class of `bytes`, with its code offset.
    fn first_method(bytes: &[u8]) -> (Dex<'_>, u32) {
        let dex = parse(bytes).unwrap();
        let def = dex.class_def(0).unwrap();
        let mut data = ClassData::default();
        dex.class_data(def.class_data_off, &mut data).unwrap();
        let m = data.virtual_methods.first().or(data.direct_methods.first());
        let off = m.unwrap().code_off;
        (dex, off)
    }

    fn body(insns: Vec<Insn>) -> Vec<u8> {
        let mut b = DexBuilder::new();
        b.class("a.B").method("m", MethodKind::Instance, insns);
        b.build()
    }

    #[test]
    fn returns_true_needs_the_constant_on_the_return_register() {
        let check = |insns: Vec<Insn>| {
            let bytes = body(insns);
            let (dex, off) = first_method(&bytes);
            returns_true(&dex, &dex.code_item(off).unwrap())
        };
        let c4 = |reg, value| Insn::Const4 { reg, value };
        assert!(check(vec![c4(0, 1), Insn::Return { reg: 0 }]));
        assert!(!check(vec![c4(0, 0), Insn::Return { reg: 0 }]));
        assert!(!check(vec![c4(0, 1), Insn::Return { reg: 1 }]));
        assert!(!check(vec![
            c4(0, 1),
            Insn::ConstString {
                reg: 0,
                value: "x".into()
            },
            Insn::Return { reg: 0 }
        ]));
        assert!(!check(vec![]), "return-void only");
    }
}
