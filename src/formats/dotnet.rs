//! .NET assemblies as Xamarin and .NET MAUI apps ship them: plain PE
//! images (`assemblies/*.dll`), `XALZ` LZ4-compressed images, and `XABA`
//! assembly stores (`assemblies.blob`, or the `payload` section of
//! `lib/<abi>/libassemblies.<abi>.blob.so`).
//!
//! From each image the CLI metadata is read far enough to hand over the
//! `#US` heap (string literals of the code, UTF-16) and the `#Strings` heap
//! (type, member and namespace names), labelled with the heap and, inside a
//! store, the assembly's name.

mod metadata;
mod pe;
mod store;
mod xalz;

pub use pe::is_pe;
pub use store::elf_payload;

use super::{FormatError, StringSink};

/// Largest decompressed assembly accepted (the biggest framework
/// assemblies are tens of megabytes).
pub const MAX_ASSEMBLY_SIZE: usize = 128 << 20;

/// Extracts the metadata strings of a .NET PE image; a native PE image
/// (no CLI metadata) gets printable-run extraction instead.
pub fn extract_pe(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    if pe::metadata_root(bytes).is_none() {
        super::printable::extract(bytes, sink);
        return Ok(());
    }
    metadata::extract(bytes, Some(0), "", sink)
}

/// Decompresses an `XALZ` image and extracts its metadata strings (offsets
/// are not given: they would point into the decompressed image).
pub fn extract_xalz(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    let image = xalz::decompress(bytes)?;
    metadata::extract(&image, None, "", sink)
}

/// Extracts the metadata strings of every assembly in an `XABA` store
/// found at `base` in the scanned file.
pub fn extract_store(
    bytes: &[u8],
    base: u64,
    sink: &mut dyn StringSink,
) -> Result<(), FormatError> {
    store::extract(bytes, base, sink)
}

#[cfg(test)]
mod tests;
