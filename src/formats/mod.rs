//! Recognise an artifact by its content and extract located strings from it.
//!
//! Every parser here takes `&[u8]`, checks every offset before use, and hands
//! each string it finds to a [`StringSink`] with the best position the format
//! gives (byte offset, line, symbol). A parser that fails part-way returns an
//! error; the caller reports it and falls back to [`printable`] extraction so
//! nothing in the entry goes unscanned.

pub mod aapt_proto;
pub mod arsc;
pub mod axml;
pub mod certs;
pub mod dart;
pub mod dex;
pub mod dotnet;
pub mod elf;
pub mod hermes;
pub mod il2cpp;
pub mod json;
mod le;
pub mod macho;
pub mod plist;
pub mod printable;
pub mod rn_bundle;
mod sniff;
pub mod text;

#[cfg(test)]
mod test_scan;

pub use sniff::sniff_named;
pub use sniff::{sniff, Kind};

/// A string found in an artifact, with where it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScannedString<'a> {
    /// The string's bytes (UTF-8 where the format allows; arbitrary otherwise).
    pub text: &'a [u8],
    /// Byte offset of the string inside the artifact, when meaningful.
    pub offset: Option<u64>,
    /// 1-based line number, for text.
    pub line: Option<u32>,
    /// The class, symbol or section that holds the string, when known.
    pub symbol: Option<&'a str>,
    /// A name the format attaches to this value (a field, resource, plist or
    /// JSON key) that tells detectors what the value is meant to be.
    pub context: Option<&'a str>,
}

impl<'a> ScannedString<'a> {
    /// A string with only an offset.
    pub fn at(text: &'a [u8], offset: u64) -> Self {
        ScannedString {
            text,
            offset: Some(offset),
            line: None,
            symbol: None,
            context: None,
        }
    }
}

/// Receives the strings a parser finds.
pub trait StringSink {
    fn push(&mut self, s: ScannedString<'_>);
}

impl<F: FnMut(ScannedString<'_>)> StringSink for F {
    fn push(&mut self, s: ScannedString<'_>) {
        self(s)
    }
}

/// Why a parser could not read (all of) an artifact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{format}: {message}")]
pub struct FormatError {
    pub format: &'static str,
    pub message: String,
}

impl FormatError {
    pub fn new(format: &'static str, message: impl Into<String>) -> Self {
        FormatError {
            format,
            message: message.into(),
        }
    }
}

/// Extracts strings from a non-archive artifact of the given kind.
///
/// On a parser error the strings already pushed stay pushed, the whole
/// buffer is also scanned with the printable-run fallback, and the error is
/// returned for the caller to report.
pub fn extract(kind: Kind, bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let result = match kind {
        Kind::Dex => dex::extract(bytes, sink),
        Kind::MachO | Kind::MachOFat => dart::extract_with(bytes, sink, macho::extract),
        Kind::Elf => match dotnet::elf_payload(bytes) {
            // libassemblies.<abi>.blob.so: the store, then the ELF itself.
            Some((base, store)) => {
                let store = dotnet::extract_store(store, base, sink);
                elf::extract(bytes, sink).and(store)
            }
            None => dart::extract_with(bytes, sink, elf::extract),
        },
        Kind::Hermes => hermes::extract(bytes, sink),
        Kind::Pe => dotnet::extract_pe(bytes, sink),
        Kind::Xalz => dotnet::extract_xalz(bytes, sink),
        Kind::AssemblyStore => dotnet::extract_store(bytes, 0, sink),
        Kind::Il2cppMetadata => il2cpp::extract(bytes, sink),
        Kind::BinaryPlist | Kind::XmlPlist => plist::extract(bytes, sink),
        Kind::Text => {
            // JSON gets key names as context; anything else (or JSON that
            // does not parse) is scanned line by line.
            if !(json::looks_like_json(bytes) && json::extract(bytes, sink).is_ok()) {
                text::extract(bytes, sink);
            }
            Ok(())
        }
        Kind::Axml => axml::extract(bytes, sink),
        Kind::Arsc => arsc::extract(bytes, sink),
        Kind::ProtoXml => aapt_proto::extract_xml(bytes, sink),
        Kind::ProtoTable => aapt_proto::extract_table(bytes, sink),
        Kind::Zip | Kind::JavaClass | Kind::Binary => {
            printable::extract(bytes, sink);
            Ok(())
        }
    };
    if result.is_err() {
        printable::extract(bytes, sink);
    }
    result
}
