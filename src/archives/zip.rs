use super::audit::{self, Audit, Shadowed};
use super::{entry_label, Budget, Limits};
use std::borrow::Cow;
use std::io::{Cursor, Read};
use zip::read::read_zipfile_from_stream_with_compressed_size;
use zip::{CompressionMethod, ZipArchive};

/// A ZIP archive over an in-memory buffer (usually the input's memory map or
/// an inflated parent entry). Cheap to share between worker threads: each
/// read clones the parsed central directory handle, not the data.
#[derive(Clone)]
pub struct ZipView<'a> {
    bytes: &'a [u8],
    archive: ZipArchive<Cursor<&'a [u8]>>,
}

/// One entry's contents, ready to scan.
#[derive(Debug)]
pub struct Entry<'a> {
    /// Safe display label of the entry name.
    pub name: String,
    /// Inflated data: borrowed for stored entries, owned otherwise.
    pub data: Cow<'a, [u8]>,
    /// Set when only a prefix could be read within the limits; says why.
    pub truncated: Option<String>,
}

/// Why an entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// Safe display label of the entry name (or `#index` when unknown).
    pub name: String,
    pub message: String,
}

impl<'a> ZipView<'a> {
    /// Parses the central directory of `bytes`.
    pub fn open(bytes: &'a [u8]) -> Result<Self, String> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("not a readable ZIP archive: {e}"))?;
        Ok(ZipView { bytes, archive })
    }

    /// The whole archive.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Offset of the central directory in [`ZipView::bytes`] (where an APK
    /// signing block ends).
    pub fn central_directory_start(&self) -> u64 {
        self.archive.central_directory_start()
    }

    /// Number of entries in the central directory.
    pub fn len(&self) -> usize {
        self.archive.len()
    }

    /// True when the archive has no entries.
    pub fn is_empty(&self) -> bool {
        self.archive.len() == 0
    }

    /// Entry names (those that decode), for classification.
    pub fn names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect()
    }

    /// Reads entry `index`. Directories yield `Ok(None)`.
    ///
    /// Stored entries are borrowed from the buffer without copying; others
    /// are inflated up to [`Limits::entry_cap`] bytes and the shared
    /// `budget`. A breach yields the prefix read so far, marked truncated.
    pub fn read(
        &self,
        index: usize,
        limits: &Limits,
        budget: &Budget,
    ) -> Result<Option<Entry<'a>>, EntryError> {
        let mut archive = self.archive.clone();
        let raw = archive.by_index_raw(index).map_err(|e| EntryError {
            name: format!("#{index}"),
            message: e.to_string(),
        })?;
        let name = entry_label(raw.name_raw());
        if raw.is_dir() && raw.size() == 0 {
            return Ok(None);
        }
        let err = |message: String| EntryError {
            name: name.clone(),
            message,
        };
        if raw.encrypted() {
            return Err(err("entry is encrypted; not scanned".into()));
        }
        let compressed = raw.compressed_size();
        if raw.compression() == CompressionMethod::Stored {
            let start = raw
                .data_start()
                .ok_or_else(|| err("entry data offset unknown".into()))?;
            let data = usize::try_from(start)
                .ok()
                .zip(usize::try_from(compressed).ok())
                .and_then(|(s, n)| self.bytes.get(s..s.checked_add(n)?))
                .ok_or_else(|| err(format!("stored entry data (offset {start}, {compressed} bytes) lies outside the archive")))?;
            let (data, truncated) = cap(data, limits.max_entry_size);
            return Ok(Some(Entry {
                name,
                data: Cow::Borrowed(data),
                truncated,
            }));
        }
        drop(raw);
        let file = archive.by_index(index).map_err(|e| err(e.to_string()))?;
        inflate(name, file, compressed, limits, budget).map(Some)
    }

    /// Reads the entry named `name` (its raw name), like [`ZipView::read`];
    /// `None` when absent, a directory or unreadable.
    pub fn read_named(&self, name: &str, limits: &Limits, budget: &Budget) -> Option<Entry<'a>> {
        let index = self.archive.index_for_name(name)?;
        self.read(index, limits, budget).ok().flatten()
    }

    /// Audits the central directory and local headers (reading at most
    /// `max_records` records): duplicate names, headers that disagree,
    /// overlapping entries.
    pub fn audit(&self, max_records: usize) -> Audit {
        audit::audit(
            self.bytes,
            self.archive.central_directory_start(),
            self.archive.offset(),
            max_records,
        )
    }

    /// Reads an entry the `zip` crate cannot reach (an earlier copy of a
    /// duplicated name) from its local header, within the same limits as
    /// [`ZipView::read`].
    pub fn read_shadowed(
        &self,
        copy: &Shadowed,
        limits: &Limits,
        budget: &Budget,
    ) -> Result<Entry<'a>, EntryError> {
        let name = copy.label.clone();
        let err = |message: String| EntryError {
            name: name.clone(),
            message,
        };
        let mut at = usize::try_from(copy.header)
            .ok()
            .and_then(|h| self.bytes.get(h..))
            .ok_or_else(|| err("local header lies outside the archive".into()))?;
        let file = match read_zipfile_from_stream_with_compressed_size(&mut at, copy.compressed) {
            Ok(Some(file)) if file.encrypted() => {
                return Err(err("entry is encrypted; not scanned".into()))
            }
            Ok(Some(file)) => file,
            Ok(None) => {
                return Err(err(
                    "no local header where the central directory points".into()
                ))
            }
            Err(e) => return Err(err(e.to_string())),
        };
        inflate(name.clone(), file, copy.compressed, limits, budget)
    }
}

/// Reads (inflating if need be) `file`, up to
/// [`Limits::entry_cap`] bytes and the shared `budget`. A breach yields the
/// prefix read so far, marked truncated.
fn inflate<'a>(
    name: String,
    mut file: impl Read,
    compressed: u64,
    limits: &Limits,
    budget: &Budget,
) -> Result<Entry<'a>, EntryError> {
    let err = |message: String| EntryError {
        name: name.clone(),
        message,
    };
    let cap_bytes = limits.entry_cap(compressed);
    let granted = budget.take(cap_bytes.saturating_add(1));
    if granted == 0 {
        return Err(err(format!(
            "not scanned: the input's total inflated size limit ({} bytes) is used up",
            limits.max_total_size
        )));
    }
    let mut buf = Vec::with_capacity(usize::try_from(granted.min(1 << 20)).unwrap_or(0));
    let read = (&mut file).take(granted).read_to_end(&mut buf);
    budget.give_back(granted - buf.len() as u64);
    let truncated = match read {
        Err(e) if buf.is_empty() => return Err(err(format!("cannot inflate: {e}"))),
        Err(e) => Some(format!("inflation failed part-way, prefix scanned: {e}")),
        Ok(_) if buf.len() as u64 > cap_bytes => {
            buf.truncate(usize::try_from(cap_bytes).unwrap_or(usize::MAX));
            Some(if cap_bytes == limits.max_entry_size {
                format!("entry inflates beyond the per-entry limit of {} bytes; first {cap_bytes} bytes scanned", limits.max_entry_size)
            } else {
                format!(
                    "entry inflates beyond {}x its compressed size ({compressed} bytes; possible zip bomb); first {cap_bytes} bytes scanned",
                    limits.max_ratio
                )
            })
        }
        Ok(_) if (buf.len() as u64) == granted => Some(format!(
            "the input's total inflated size limit ({} bytes) was reached; prefix scanned",
            limits.max_total_size
        )),
        Ok(_) => None,
    };
    Ok(Entry {
        name,
        data: Cow::Owned(buf),
        truncated,
    })
}

fn cap(data: &[u8], max: u64) -> (&[u8], Option<String>) {
    match usize::try_from(max) {
        Ok(max) if data.len() > max => {
            (&data[..max], Some(format!("entry is larger than the per-entry limit of {max} bytes; first {max} bytes scanned")))
        }
        _ => (data, None),
    }
}
