use sha2::{Digest, Sha256};

/// Stable identity of a finding, as 32 lowercase hex digits.
///
/// Derived from the rule id, the path inside the scanned app (not the scanned
/// file's own name, which often carries a version number), the symbol that
/// holds the value, and the value itself — never from byte offsets, which
/// move with every rebuild.
pub fn fingerprint(rule_id: &str, inner_path: &str, symbol: Option<&str>, value: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        "mastiff/v1",
        rule_id,
        inner_path,
        symbol.unwrap_or(""),
        value,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_sensitive_to_each_part() {
        let a = fingerprint("r", "classes.dex", Some("Lcom/a/B;"), "v");
        assert_eq!(a, fingerprint("r", "classes.dex", Some("Lcom/a/B;"), "v"));
        assert_eq!(a.len(), 32);
        assert_ne!(a, fingerprint("r2", "classes.dex", Some("Lcom/a/B;"), "v"));
        assert_ne!(a, fingerprint("r", "classes2.dex", Some("Lcom/a/B;"), "v"));
        assert_ne!(a, fingerprint("r", "classes.dex", None, "v"));
        assert_ne!(a, fingerprint("r", "classes.dex", Some("Lcom/a/B;"), "w"));
        // Length-prefixing keeps part boundaries unambiguous.
        assert_ne!(
            fingerprint("ab", "c", None, ""),
            fingerprint("a", "bc", None, "")
        );
    }
}
