//! Placeholder: string extraction for this format is being written.

use super::{FormatError, StringSink};

/// Extracts strings (not yet implemented: uses the printable fallback).
pub fn extract(bytes: &[u8], sink: &mut dyn StringSink) -> Result<(), FormatError> {
    super::printable::extract(bytes, sink);
    Ok(())
}
