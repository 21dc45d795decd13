use serde::Serialize;

/// Where a finding is: the chain of nested artifacts from the scanned file
/// down to the innermost entry, and a position inside that entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// The scanned file followed by each nested entry, outermost first:
    /// `["app.xapk", "base.apk", "classes2.dex"]`.
    pub chain: Vec<String>,
    /// The path inside the scanned file, nested levels joined with `!/`
    /// (`base.apk!/classes2.dex`); empty when the finding is in the file itself.
    pub path: String,
    /// Byte offset inside the innermost entry, when the format gives one.
    pub offset: Option<u64>,
    /// 1-based line inside the innermost entry, for text.
    pub line: Option<u32>,
    /// The class, symbol, resource or key that holds the value, when known.
    pub symbol: Option<String>,
}

impl Location {
    /// Builds a location from an artifact chain (outermost first).
    pub fn new(chain: Vec<String>) -> Self {
        let path = chain
            .iter()
            .skip(1)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("!/");
        Location {
            chain,
            path,
            offset: None,
            line: None,
            symbol: None,
        }
    }

    /// The full chain as one display string: `app.xapk!/base.apk!/classes2.dex`.
    pub fn display_chain(&self) -> String {
        self.chain.join("!/")
    }

    /// The innermost artifact name (the entry holding the finding).
    pub fn innermost(&self) -> &str {
        self.chain.last().map(String::as_str).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_joins_inner_levels_only() {
        let loc = Location::new(vec![
            "app.xapk".into(),
            "base.apk".into(),
            "classes2.dex".into(),
        ]);
        assert_eq!(loc.path, "base.apk!/classes2.dex");
        assert_eq!(loc.display_chain(), "app.xapk!/base.apk!/classes2.dex");
        assert_eq!(loc.innermost(), "classes2.dex");
        assert_eq!(Location::new(vec!["lib.so".into()]).path, "");
    }
}
