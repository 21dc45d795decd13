use memmap2::Mmap;
use std::fs::File;
use std::path::Path;

/// The bytes of an input file: memory-mapped, so that a large app is never
/// copied into memory as a whole.
pub struct Source {
    map: Option<Mmap>,
}

impl Source {
    /// Opens and maps `path` read-only. Empty files need no mapping.
    pub fn open(path: &Path) -> std::io::Result<Source> {
        let file = File::open(path)?;
        if file.metadata()?.len() == 0 {
            return Ok(Source { map: None });
        }
        // SAFETY: the map is read-only and private to this process. If
        // another process truncates the file while it is mapped, reads may
        // fault; mastiff scans build outputs that are not being rewritten.
        let map = unsafe { Mmap::map(&file)? };
        Ok(Source { map: Some(map) })
    }

    /// The file's contents.
    pub fn bytes(&self) -> &[u8] {
        self.map.as_deref().unwrap_or(&[])
    }
}
