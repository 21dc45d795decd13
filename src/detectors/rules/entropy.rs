//! Shannon entropy of a byte string.

/// Shannon entropy of `bytes` in bits per byte (0.0 for an empty input).
///
/// Uniformly random base64 approaches 6.0, hex 4.0; English words and
/// repeated characters stay well below 3.0.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        let slot = &mut counts[usize::from(b)];
        *slot = slot.saturating_add(1);
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn known_values() {
        assert!(close(shannon_entropy(b""), 0.0));
        assert!(close(shannon_entropy(b"aaaaaaaa"), 0.0));
        assert!(close(shannon_entropy(b"ab"), 1.0));
        assert!(close(shannon_entropy(b"abcd"), 2.0));
        assert!(close(shannon_entropy(b"0123456789abcdef"), 4.0));
        // 3 of 'a', 1 of 'b': -(0.75 log2 0.75 + 0.25 log2 0.25)
        assert!(close(shannon_entropy(b"aaab"), 0.811_278_124_459_132_8));
    }

    #[test]
    fn random_looking_key_beats_word() {
        assert!(shannon_entropy(b"Zx9Qw2Er7Ty4Ui1Op3As") > 4.0);
        assert!(shannon_entropy(b"password") < 3.0);
    }
}
