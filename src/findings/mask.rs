/// Masks a secret for display: keeps the first 4 and last 2 characters of a
/// long value, fewer of a short one, and replaces the rest with `*`.
///
/// Values of 8 characters or fewer keep nothing but their length, so a short
/// password is never half-revealed.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    if n <= 8 {
        return "*".repeat(n.max(1));
    }
    let (head, tail) = if n <= 12 { (2, 1) } else { (4, 2) };
    let hidden = (n - head - tail).min(24);
    let mut out: String = chars[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', hidden));
    out.extend(&chars[n - tail..]);
    out
}

/// The value as it may be shown: masked unless `show_secrets` is set.
pub fn display_value(value: &str, show_secrets: bool) -> String {
    if show_secrets {
        value.to_string()
    } else {
        mask(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_four_and_two_of_long_values() {
        assert_eq!(mask("AKIAZ4X5Y6W7V8U9T0S1"), "AKIA**************S1");
    }

    #[test]
    fn short_values_reveal_nothing() {
        assert_eq!(mask("hunter2"), "*******");
        assert_eq!(mask(""), "*");
    }

    #[test]
    fn medium_values_keep_less() {
        assert_eq!(mask("abcdefghij"), "ab*******j");
    }

    #[test]
    fn very_long_values_are_capped_and_multibyte_safe() {
        let v = "é".repeat(200);
        let m = mask(&v);
        assert_eq!(m.chars().count(), 4 + 24 + 2);
        assert!(m.starts_with("éééé"));
    }

    #[test]
    fn show_secrets_passes_through() {
        assert_eq!(display_value("sk_live_abc", true), "sk_live_abc");
        assert_ne!(
            display_value("sk_live_abcdefghijkl", false),
            "sk_live_abcdefghijkl"
        );
    }
}
