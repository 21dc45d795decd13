use super::{entry_label, Budget, Limits};
use std::borrow::Cow;
use std::io::{Cursor, Read};
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

        let cap_bytes = limits.entry_cap(compressed);
        let granted = budget.take(cap_bytes.saturating_add(1));
        if granted == 0 {
            return Err(err(format!(
                "not scanned: the input's total inflated size limit ({} bytes) is used up",
                limits.max_total_size
            )));
        }
        let mut file = archive.by_index(index).map_err(|e| err(e.to_string()))?;
        let claimed = file.size();
        let mut buf =
            Vec::with_capacity(usize::try_from(claimed.min(granted).min(64 << 20)).unwrap_or(0));
        let read = (&mut file).take(granted).read_to_end(&mut buf);
        budget.give_back(granted - buf.len() as u64);
        match read {
            Err(e) if buf.is_empty() => Err(err(format!("cannot inflate: {e}"))),
            Err(e) => Ok(Some(Entry {
                name,
                data: Cow::Owned(buf),
                truncated: Some(format!("inflation failed part-way, prefix scanned: {e}")),
            })),
            Ok(_) if buf.len() as u64 > cap_bytes => {
                buf.truncate(cap_bytes as usize);
                let why = if cap_bytes == limits.max_entry_size {
                    format!("entry inflates beyond the per-entry limit of {} bytes; first {} bytes scanned", limits.max_entry_size, cap_bytes)
                } else {
                    format!(
                        "entry inflates beyond {}x its compressed size ({compressed} bytes; possible zip bomb); first {cap_bytes} bytes scanned",
                        limits.max_ratio
                    )
                };
                Ok(Some(Entry {
                    name,
                    data: Cow::Owned(buf),
                    truncated: Some(why),
                }))
            }
            Ok(_) if (buf.len() as u64) == granted => Ok(Some(Entry {
                name,
                data: Cow::Owned(buf),
                truncated: Some(format!(
                    "the input's total inflated size limit ({} bytes) was reached; prefix scanned",
                    limits.max_total_size
                )),
            })),
            Ok(_) => Ok(Some(Entry {
                name,
                data: Cow::Owned(buf),
                truncated: None,
            })),
        }
    }
}

fn cap(data: &[u8], max: u64) -> (&[u8], Option<String>) {
    match usize::try_from(max) {
        Ok(max) if data.len() > max => {
            (&data[..max], Some(format!("entry is larger than the per-entry limit of {max} bytes; first {max} bytes scanned")))
        }
        _ => (data, None),
    }
}
