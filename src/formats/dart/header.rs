//! The header of a Dart snapshot data blob: magic `0xdcdcf5f5` (stored
//! little-endian), the length of the clustered data that follows the magic
//! (`i64`), the snapshot kind (`i64`), the 32-character version hash of the
//! VM that wrote it, then a NUL-terminated, space-separated features string
//! (`product … arm64 android compressed-pointers null-safety`).

use serde::Serialize;

use crate::formats::le::{slice, u32_at};

/// The magic number at the start of every snapshot blob.
pub const MAGIC: u32 = 0xdcdc_f5f5;
/// Bytes of the magic number.
const MAGIC_SIZE: usize = 4;
const LENGTH_AT: usize = 4;
const KIND_AT: usize = 12;
const HASH_AT: usize = 20;
const HASH_LEN: usize = 32;
const FEATURES_AT: usize = HASH_AT + HASH_LEN;
/// Longest features string read (real ones are under 300 bytes).
const MAX_FEATURES: usize = 1024;
/// Architecture names as they appear among the features.
const ARCHES: [&str; 6] = ["arm64", "arm", "x64", "ia32", "riscv64", "riscv32"];
/// Operating system names as they appear among the features.
const OSES: [&str; 6] = ["android", "ios", "linux", "macos", "windows", "fuchsia"];

/// What the header of a Dart snapshot says about the VM that wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SnapshotInfo {
    /// Version hash of the Dart VM (one per SDK release).
    pub version_hash: String,
    /// Raw snapshot kind (3 is AOT in current SDKs).
    pub kind: u64,
    /// The features the snapshot was built with, in order.
    pub features: Vec<String>,
    /// Target architecture named in the features (`arm64`, `arm`, `x64`, …).
    pub arch: Option<String>,
    /// Target operating system named in the features (`android`, `ios`, …).
    pub os: Option<String>,
    /// Built with compressed (32-bit) pointers on a 64-bit target.
    pub compressed_pointers: bool,
}

impl SnapshotInfo {
    /// True when the target has 32-bit words.
    pub(super) fn is_32_bit(&self) -> bool {
        matches!(self.arch.as_deref(), Some("arm" | "ia32" | "riscv32"))
    }
}

/// A parsed header and where the clustered data ends, relative to the blob.
#[derive(Debug, Clone)]
pub(super) struct Header {
    pub info: SnapshotInfo,
    pub clustered_end: usize,
}

/// Parses the header at the start of `blob`; `None` unless the magic,
/// length, version hash and features string are all well formed.
pub(super) fn parse(blob: &[u8]) -> Option<Header> {
    if u32_at(blob, 0)? != MAGIC {
        return None;
    }
    let length = u64_at(blob, LENGTH_AT)?;
    let clustered_end = usize::try_from(length).ok()?.checked_add(MAGIC_SIZE)?;
    if clustered_end < FEATURES_AT || clustered_end > blob.len() {
        return None;
    }
    let kind = u64_at(blob, KIND_AT)?;
    let hash = slice(blob, HASH_AT, HASH_LEN)?;
    if !hash.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let rest = blob.get(FEATURES_AT..blob.len().min(FEATURES_AT + MAX_FEATURES))?;
    let end = rest.iter().position(|&b| b == 0)?;
    let features = rest.get(..end)?;
    if !features.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        return None;
    }
    let features: Vec<String> = std::str::from_utf8(features)
        .ok()?
        .split_ascii_whitespace()
        .map(str::to_owned)
        .collect();
    let named = |names: &[&str]| {
        features
            .iter()
            .find(|f| names.contains(&f.as_str()))
            .cloned()
    };
    Some(Header {
        info: SnapshotInfo {
            version_hash: String::from_utf8_lossy(hash).into_owned(),
            kind,
            arch: named(&ARCHES),
            os: named(&OSES),
            compressed_pointers: features.iter().any(|f| f == "compressed-pointers"),
            features,
        },
        clustered_end,
    })
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let b = slice(bytes, at, 8)?;
    Some(u64::from_le_bytes(b.try_into().ok()?))
}
