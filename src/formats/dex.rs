//! DEX (Dalvik executable): every string of the string table, each with the
//! class that uses it and, where the code shows it, the field it initialises.
//!
//! [`parse`] checks the header and bounds the id tables; [`Dex`] then reads
//! items on demand, checking each offset. [`extract`] walks every class's
//! static initial values and method code for `const-string` instructions,
//! keeping one small record per string, and emits the whole string table
//! once, in index order.

mod encoded;
pub(crate) mod insns;
pub(crate) mod mutf8;
mod reader;
mod refs;

use std::borrow::Cow;

use reader::{u16_at, u32_at, Cursor};

use super::{FormatError, ScannedString, StringSink};

const FORMAT: &str = "dex";
/// Size of the DEX 035–040 header; version 041 adds two fields.
const HEADER_SIZE: usize = 0x70;
const ENDIAN_CONSTANT: u32 = 0x1234_5678;
/// Longest class name or field name decoded for a symbol or context; longer
/// ones are cut, so that one huge name shared by many strings costs little.
const MAX_NAME: usize = 1024;

fn err(message: impl Into<String>) -> FormatError {
    FormatError::new(FORMAT, message)
}

/// One of the header's id tables: where it starts and how many whole items
/// of it the buffer holds.
#[derive(Debug, Clone, Copy, Default)]
struct Table {
    off: usize,
    count: u32,
}

impl Table {
    /// Item `idx`'s offset, if it exists.
    fn item(&self, idx: u32, item_size: usize) -> Option<usize> {
        if idx >= self.count {
            return None;
        }
        (idx as usize).checked_mul(item_size)?.checked_add(self.off)
    }
}

/// A `field_id_item` or `method_id_item`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberId {
    /// Type index of the defining class.
    pub class_idx: u16,
    /// Type index of a field; proto index of a method.
    pub type_or_proto_idx: u16,
    /// String index of the member's name.
    pub name_idx: u32,
}

/// A `class_def_item`, fields as the format names them: `*_idx` are type
/// (or, for `source_file_idx`, string) indices, `*_off` file offsets, 0 for none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassDef {
    pub class_idx: u32,
    pub access_flags: u32,
    pub superclass_idx: u32,
    pub interfaces_off: u32,
    pub source_file_idx: u32,
    pub annotations_off: u32,
    pub class_data_off: u32,
    pub static_values_off: u32,
}

/// An `encoded_field` of a `class_data_item`, with its index resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedField {
    pub field_idx: u32,
    pub access_flags: u32,
}

/// An `encoded_method` of a `class_data_item`, with its index resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodedMethod {
    pub method_idx: u32,
    pub access_flags: u32,
    /// Offset of the method's `code_item`; 0 for abstract and native methods.
    pub code_off: u32,
}

/// A `class_data_item`: a class's fields and methods, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassData {
    pub static_fields: Vec<EncodedField>,
    pub instance_fields: Vec<EncodedField>,
    pub direct_methods: Vec<EncodedMethod>,
    pub virtual_methods: Vec<EncodedMethod>,
}

impl ClassData {
    fn clear(&mut self) {
        self.static_fields.clear();
        self.instance_fields.clear();
        self.direct_methods.clear();
        self.virtual_methods.clear();
    }

    /// Number of fields and methods.
    fn len(&self) -> usize {
        self.static_fields.len()
            + self.instance_fields.len()
            + self.direct_methods.len()
            + self.virtual_methods.len()
    }
}

/// A `code_item`'s header and instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeItem<'a> {
    pub registers_size: u16,
    pub ins_size: u16,
    pub outs_size: u16,
    pub tries_size: u16,
    pub debug_info_off: u32,
    /// The instructions: `insns_size` 16-bit little-endian code units.
    pub insns: &'a [u8],
}

/// A DEX file whose header has been checked; items are read on demand.
#[derive(Debug, Clone)]
pub struct Dex<'a> {
    bytes: &'a [u8],
    version: u16,
    strings: Table,
    types: Table,
    fields: Table,
    methods: Table,
    classes: Table,
    /// The first id table that the buffer does not hold whole, if any.
    truncated: Option<&'static str>,
}

/// Checks the header of a DEX file (versions 035 to 041, little-endian) and
/// the bounds of its id tables. A table that runs past the end of the buffer
/// is cut to the items it holds (see [`Dex::truncated`]).
pub fn parse(bytes: &[u8]) -> Result<Dex<'_>, FormatError> {
    let magic = bytes
        .get(..8)
        .ok_or_else(|| err("shorter than the magic"))?;
    if &magic[..4] != b"dex\n" || magic[7] != 0 || !magic[4..7].iter().all(u8::is_ascii_digit) {
        return Err(err("bad magic"));
    }
    let version = magic[4..7]
        .iter()
        .fold(0u16, |v, d| v * 10 + u16::from(d - b'0'));
    if !(35..=41).contains(&version) {
        return Err(err(format!("unsupported version {version:03}")));
    }
    let word = |off: usize| u32_at(bytes, off).ok_or_else(|| err("truncated header"));
    let header_size = word(0x24)? as usize;
    if header_size < HEADER_SIZE || header_size > bytes.len() {
        return Err(err(format!("bad header_size {header_size:#x}")));
    }
    match word(0x28)? {
        ENDIAN_CONSTANT => {}
        0x7856_3412 => return Err(err("big-endian DEX is not supported")),
        tag => return Err(err(format!("bad endian_tag {tag:#x}"))),
    }
    let mut truncated = None;
    let mut table =
        |name: &'static str, at: usize, item_size: usize| -> Result<Table, FormatError> {
            let (size, off) = (word(at)?, word(at + 4)? as usize);
            if size == 0 {
                return Ok(Table::default());
            }
            if off > bytes.len() {
                return Err(err(format!("{name} offset {off:#x} past the end")));
            }
            let fits = u32::try_from((bytes.len() - off) / item_size).unwrap_or(u32::MAX);
            if fits < size {
                truncated.get_or_insert(name);
            }
            Ok(Table {
                off,
                count: size.min(fits),
            })
        };
    let strings = table("string_ids", 0x38, 4)?;
    let types = table("type_ids", 0x40, 4)?;
    let fields = table("field_ids", 0x50, 8)?;
    let methods = table("method_ids", 0x58, 8)?;
    let classes = table("class_defs", 0x60, 32)?;
    Ok(Dex {
        bytes,
        version,
        strings,
        types,
        fields,
        methods,
        classes,
        truncated,
    })
}

impl<'a> Dex<'a> {
    /// The format version from the magic, e.g. 35.
    pub fn version(&self) -> u16 {
        self.version
    }

    /// The first id table cut short by the end of the buffer, if any.
    pub fn truncated(&self) -> Option<&'static str> {
        self.truncated
    }

    /// Number of readable entries in the string table.
    pub fn string_count(&self) -> u32 {
        self.strings.count
    }

    /// Number of readable class definitions.
    pub fn class_count(&self) -> u32 {
        self.classes.count
    }

    /// Offset of string `idx`'s `string_data_item`.
    pub fn string_data_off(&self, idx: u32) -> Option<u32> {
        u32_at(self.bytes, self.strings.item(idx, 4)?)
    }

    /// String `idx`'s offset and raw MUTF-8 bytes up to its NUL, cut to
    /// `max` bytes if longer; `None` if the buffer ends before the NUL.
    fn string_raw(&self, idx: u32, max: usize) -> Option<(u32, &'a [u8])> {
        let off = self.string_data_off(idx)?;
        let mut cur = Cursor::new(self.bytes, off as usize);
        cur.uleb128()?; // utf16_size
        let rest = self.bytes.get(cur.pos()..)?;
        let window = &rest[..rest.len().min(max)];
        match window.iter().position(|&b| b == 0) {
            Some(len) => Some((off, &window[..len])),
            None if rest.len() > max => Some((off, window)),
            None => None,
        }
    }

    /// String `idx`, decoded from MUTF-8 (borrowed when already UTF-8).
    pub fn string(&self, idx: u32) -> Option<Cow<'a, str>> {
        self.string_raw(idx, usize::MAX)
            .map(|(_, raw)| mutf8::decode(raw))
    }

    /// String index of type `idx`'s descriptor.
    pub fn type_descriptor_idx(&self, idx: u32) -> Option<u32> {
        u32_at(self.bytes, self.types.item(idx, 4)?)
    }

    /// Type `idx`'s descriptor, e.g. `Lcom/example/Foo;`.
    pub fn type_descriptor(&self, idx: u32) -> Option<Cow<'a, str>> {
        self.string(self.type_descriptor_idx(idx)?)
    }

    fn member(&self, table: &Table, idx: u32) -> Option<MemberId> {
        let at = table.item(idx, 8)?;
        Some(MemberId {
            class_idx: u16_at(self.bytes, at)?,
            type_or_proto_idx: u16_at(self.bytes, at + 2)?,
            name_idx: u32_at(self.bytes, at + 4)?,
        })
    }

    /// Field id `idx`.
    pub fn field(&self, idx: u32) -> Option<MemberId> {
        self.member(&self.fields, idx)
    }

    /// Method id `idx`.
    pub fn method(&self, idx: u32) -> Option<MemberId> {
        self.member(&self.methods, idx)
    }

    /// Class definition `idx`.
    pub fn class_def(&self, idx: u32) -> Option<ClassDef> {
        let at = self.classes.item(idx, 32)?;
        let w = |k: usize| u32_at(self.bytes, at + 4 * k);
        Some(ClassDef {
            class_idx: w(0)?,
            access_flags: w(1)?,
            superclass_idx: w(2)?,
            interfaces_off: w(3)?,
            source_file_idx: w(4)?,
            annotations_off: w(5)?,
            class_data_off: w(6)?,
            static_values_off: w(7)?,
        })
    }

    /// Reads the `class_data_item` at `off` into `out` (cleared first, so
    /// one `ClassData` can serve many classes). On error, `out` holds the
    /// entries read before it.
    pub fn class_data(&self, off: u32, out: &mut ClassData) -> Result<(), FormatError> {
        let bad = || err(format!("class_data_item at {off:#x} runs past the end"));
        out.clear();
        let mut cur = Cursor::new(self.bytes, off as usize);
        let mut sizes = [0u32; 4];
        for s in &mut sizes {
            *s = cur.uleb128().ok_or_else(bad)?;
        }
        for (list, size) in [
            (&mut out.static_fields, sizes[0]),
            (&mut out.instance_fields, sizes[1]),
        ] {
            let mut idx = 0u32;
            for _ in 0..size {
                let diff = cur.uleb128().ok_or_else(bad)?;
                idx = idx.checked_add(diff).ok_or_else(bad)?;
                let access_flags = cur.uleb128().ok_or_else(bad)?;
                list.push(EncodedField {
                    field_idx: idx,
                    access_flags,
                });
            }
        }
        for (list, size) in [
            (&mut out.direct_methods, sizes[2]),
            (&mut out.virtual_methods, sizes[3]),
        ] {
            let mut idx = 0u32;
            for _ in 0..size {
                let diff = cur.uleb128().ok_or_else(bad)?;
                idx = idx.checked_add(diff).ok_or_else(bad)?;
                let access_flags = cur.uleb128().ok_or_else(bad)?;
                let code_off = cur.uleb128().ok_or_else(bad)?;
                list.push(EncodedMethod {
                    method_idx: idx,
                    access_flags,
                    code_off,
                });
            }
        }
        Ok(())
    }

    /// The `code_item` at `off`.
    pub fn code_item(&self, off: u32) -> Result<CodeItem<'a>, FormatError> {
        let at = off as usize;
        let bad = || err(format!("code_item at {off:#x} runs past the end"));
        let half = |k: usize| u16_at(self.bytes, at.saturating_add(k)).ok_or_else(bad);
        let insns_size = u32_at(self.bytes, at.saturating_add(12)).ok_or_else(bad)?;
        let start = at.checked_add(16).ok_or_else(bad)?;
        let end = (insns_size as usize)
            .checked_mul(2)
            .and_then(|n| n.checked_add(start))
            .ok_or_else(bad)?;
        Ok(CodeItem {
            registers_size: half(0)?,
            ins_size: half(2)?,
            outs_size: half(4)?,
            tries_size: half(6)?,
            debug_info_off: u32_at(self.bytes, at.saturating_add(8)).ok_or_else(bad)?,
            insns: self.bytes.get(start..end).ok_or_else(bad)?,
        })
    }
}

/// Writes the Java form of a type descriptor: `Lcom/example/Foo;` becomes
/// `com.example.Foo`; other descriptors are copied as they are.
fn java_name_into(descriptor: &str, out: &mut String) {
    out.clear();
    match descriptor
        .strip_prefix('L')
        .and_then(|d| d.strip_suffix(';'))
    {
        Some(name) => out.extend(name.chars().map(|c| if c == '/' { '.' } else { c })),
        None => out.push_str(descriptor),
    }
}

/// Extracts every string of the string table, in index order, each once,
/// with its `string_data_item` offset, the Java name of the first class
/// whose code or static values use it (`symbol`), and the field it is stored
/// into (`context`) when that is known.
///
/// If a class's data or code cannot be read, or the string table is cut
/// short, the strings that can be read are still all pushed, then an error
/// describes what was skipped.
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let dex = parse(bytes)?;
    let refs = refs::collect(&dex);
    let mut symbol = String::new();
    // Valid string data never overlaps, so its total is below the file size;
    // more means many ids share data and the rest is not worth decoding.
    let mut budget = bytes.len().saturating_mul(2);
    let mut unreadable = 0u32;
    for idx in 0..dex.string_count() {
        let Some((off, raw)) = dex.string_raw(idx, usize::MAX) else {
            unreadable += 1;
            continue;
        };
        budget = match budget.checked_sub(raw.len()) {
            Some(left) => left,
            None => {
                return Err(err(format!(
                    "string data overlaps: stopped at string {idx}"
                )))
            }
        };
        let found = refs.get(idx);
        let name = |i: u32| {
            dex.string_raw(i, MAX_NAME)
                .map(|(_, raw)| mutf8::decode(raw))
        };
        let class = found.and_then(|r| name(r.class_descriptor));
        if let Some(descriptor) = &class {
            java_name_into(descriptor, &mut symbol);
        }
        let context = found.and_then(|r| name(r.field_name?));
        let text = mutf8::decode(raw);
        sink.push(ScannedString {
            text: text.as_bytes(),
            offset: Some(u64::from(off)),
            line: None,
            symbol: class.as_ref().map(|_| symbol.as_str()),
            context: context.as_deref(),
        });
    }
    let mut problems = Vec::new();
    if let Some(table) = dex.truncated() {
        problems.push(format!("{table} cut short by the end of the file"));
    }
    if unreadable > 0 {
        problems.push(format!("{unreadable} string data items unreadable"));
    }
    problems.extend(refs.problem());
    if problems.is_empty() {
        Ok(())
    } else {
        Err(err(problems.join("; ")))
    }
}

#[cfg(test)]
mod tests;
