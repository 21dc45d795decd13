//! `ResTable_config`: the device configuration a type chunk's values apply
//! to, rendered as the resource directory qualifier (`de-rAT`, `night`,
//! `v26`).

use std::fmt;

use crate::formats::axml::chunk::{u16_at, u32_at, u8_at};

/// Bytes of the configuration kept; newer fields past this are ignored.
const MAX_CONFIG_LEN: usize = 64;

/// A type chunk's configuration, kept as its raw bytes (zero-extended).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Config {
    raw: [u8; MAX_CONFIG_LEN],
}

impl Default for Config {
    fn default() -> Self {
        Config {
            raw: [0; MAX_CONFIG_LEN],
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Config({:?})", self.qualifier())
    }
}

impl Config {
    /// Reads the configuration from `bytes`, which starts with its size
    /// field; fields past the declared size or the slice read as zero.
    pub(crate) fn read(bytes: &[u8]) -> Config {
        let mut c = Config::default();
        let declared = u32_at(bytes, 0).unwrap_or(0) as usize;
        let len = declared.min(bytes.len()).min(MAX_CONFIG_LEN);
        c.raw[..len].copy_from_slice(&bytes[..len]);
        // The size field is not a qualifier.
        c.raw[..4].fill(0);
        c
    }

    /// Whether this is the default configuration (no qualifier).
    pub fn is_default(&self) -> bool {
        self.raw.iter().all(|&b| b == 0)
    }

    fn u8(&self, off: usize) -> u8 {
        u8_at(&self.raw, off).unwrap_or(0)
    }

    fn u16(&self, off: usize) -> u16 {
        u16_at(&self.raw, off).unwrap_or(0)
    }

    /// The language (`en`, `fil`), if set.
    pub fn language(&self) -> Option<String> {
        unpack_locale_part([self.u8(8), self.u8(9)], b'a')
    }

    /// The region (`US`, `419`), if set.
    pub fn region(&self) -> Option<String> {
        unpack_locale_part([self.u8(10), self.u8(11)], b'0')
    }

    /// The qualifier string without a leading dash, in aapt2's order:
    /// empty for the default configuration. Fields not rendered by name but
    /// set are appended as `raw<offset>=<hex>`.
    pub fn qualifier(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut covered = [false; MAX_CONFIG_LEN];
        let mut mark = |from: usize, to: usize| covered[from..to].fill(true);
        mark(0, 4);

        let (mcc, mnc) = (self.u16(4), self.u16(6));
        if mcc != 0 {
            parts.push(format!("mcc{mcc}"));
        }
        if mnc != 0 {
            parts.push(if mnc == 0xffff {
                "mnc00".into()
            } else {
                format!("mnc{mnc}")
            });
        }
        mark(4, 8);
        if let Some(locale) = self.locale() {
            parts.push(locale);
            mark(8, 12);
            mark(36, 48);
        }
        let layout = self.u8(28);
        push_named(
            &mut parts,
            layout & 0xc0,
            &[(0x40, "ldltr"), (0x80, "ldrtl")],
        );
        let sw = self.u16(30);
        if sw != 0 {
            parts.push(format!("sw{sw}dp"));
        }
        let (wdp, hdp) = (self.u16(32), self.u16(34));
        if wdp != 0 {
            parts.push(format!("w{wdp}dp"));
        }
        if hdp != 0 {
            parts.push(format!("h{hdp}dp"));
        }
        mark(30, 36);
        push_named(
            &mut parts,
            layout & 0x0f,
            &[(1, "small"), (2, "normal"), (3, "large"), (4, "xlarge")],
        );
        push_named(
            &mut parts,
            layout & 0x30,
            &[(0x10, "notlong"), (0x20, "long")],
        );
        mark(28, 29);
        let layout2 = self.u8(48);
        push_named(&mut parts, layout2 & 0x03, &[(1, "notround"), (2, "round")]);
        mark(48, 49);
        let color = self.u8(49);
        push_named(&mut parts, color & 0x03, &[(1, "nowidecg"), (2, "widecg")]);
        push_named(&mut parts, color & 0x0c, &[(4, "lowdr"), (8, "highdr")]);
        mark(49, 52);
        push_named(
            &mut parts,
            self.u8(12),
            &[(1, "port"), (2, "land"), (3, "square")],
        );
        let ui = self.u8(29);
        push_named(
            &mut parts,
            ui & 0x0f,
            &[
                (2, "desk"),
                (3, "car"),
                (4, "television"),
                (5, "appliance"),
                (6, "watch"),
                (7, "vrheadset"),
            ],
        );
        push_named(
            &mut parts,
            ui & 0x30,
            &[(0x10, "notnight"), (0x20, "night")],
        );
        mark(29, 30);
        mark(12, 13);
        let density = self.u16(14);
        parts.extend(density_qualifier(u32::from(density)));
        mark(14, 16);
        push_named(
            &mut parts,
            self.u8(13),
            &[(1, "notouch"), (2, "stylus"), (3, "finger")],
        );
        mark(13, 14);
        let input = self.u8(18);
        push_named(
            &mut parts,
            input & 0x03,
            &[(1, "keysexposed"), (2, "keyshidden"), (3, "keyssoft")],
        );
        push_named(
            &mut parts,
            self.u8(16),
            &[(1, "nokeys"), (2, "qwerty"), (3, "12key")],
        );
        push_named(
            &mut parts,
            input & 0x0c,
            &[(4, "navexposed"), (8, "navhidden")],
        );
        push_named(
            &mut parts,
            self.u8(17),
            &[(1, "nonav"), (2, "dpad"), (3, "trackball"), (4, "wheel")],
        );
        mark(16, 20);
        let (sw_px, sh_px) = (self.u16(20), self.u16(22));
        if sw_px != 0 || sh_px != 0 {
            parts.push(format!("{sw_px}x{sh_px}"));
        }
        mark(20, 24);
        let sdk = self.u16(24);
        if sdk != 0 {
            parts.push(format!("v{sdk}"));
        }
        mark(24, 28);
        for (off, &b) in self.raw.iter().enumerate() {
            if b != 0 && !covered[off] {
                parts.push(format!("raw{off}={b:02x}"));
            }
        }
        parts.join("-")
    }

    /// `de-rAT`, or `b+sr+Latn` when a script or variant is set.
    fn locale(&self) -> Option<String> {
        let (lang, region) = (self.language(), self.region());
        if lang.is_none() && region.is_none() {
            return None;
        }
        let script = ascii_field(&self.raw[36..40]);
        let variant = ascii_field(&self.raw[40..48]);
        if script.is_some() || variant.is_some() {
            let parts: Vec<String> = [Some("b".to_string()), lang, script, region, variant]
                .into_iter()
                .flatten()
                .collect();
            return Some(parts.join("+"));
        }
        Some(match (lang, region) {
            (Some(l), Some(r)) => format!("{l}-r{r}"),
            (Some(l), None) => l,
            (None, r) => format!("r{}", r.unwrap_or_default()),
        })
    }
}

/// Pushes the name of `value` from `names`, or `raw=<hex>` for an unknown
/// non-zero value.
fn push_named(parts: &mut Vec<String>, value: u8, names: &[(u8, &str)]) {
    if value == 0 {
        return;
    }
    match names.iter().find(|&&(v, _)| v == value) {
        Some(&(_, n)) => parts.push(n.into()),
        None => parts.push(format!("raw=0x{value:02x}")),
    }
}

/// A NUL-padded ASCII field, if set.
fn ascii_field(b: &[u8]) -> Option<String> {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    let s = &b[..end];
    (!s.is_empty()).then(|| String::from_utf8_lossy(s).into_owned())
}

/// A two-byte language or region: two (or three) ASCII characters, or, with
/// the high bit of the first byte set, three 5-bit letters from `base`.
fn unpack_locale_part(b: [u8; 2], base: u8) -> Option<String> {
    if b == [0, 0] {
        return None;
    }
    if b[0] & 0x80 != 0 {
        let first = b[1] & 0x1f;
        let second = ((b[1] & 0xe0) >> 5) | ((b[0] & 0x03) << 3);
        let third = (b[0] & 0x7c) >> 2;
        let s: String = [first, second, third]
            .iter()
            .map(|&c| char::from(base.wrapping_add(c)))
            .collect();
        return Some(s);
    }
    Some(
        b.iter()
            .filter(|&&c| c != 0)
            .map(|&c| char::from(c))
            .collect(),
    )
}

/// The qualifier of a screen density (`xhdpi`, `anydpi`, `420dpi`); `None`
/// for the default (0).
pub(crate) fn density_qualifier(density: u32) -> Option<String> {
    Some(match density {
        0 => return None,
        120 => "ldpi".into(),
        160 => "mdpi".into(),
        213 => "tvdpi".into(),
        240 => "hdpi".into(),
        320 => "xhdpi".into(),
        480 => "xxhdpi".into(),
        640 => "xxxhdpi".into(),
        0xfffe => "anydpi".into(),
        0xffff => "nodpi".into(),
        d => format!("{d}dpi"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(fields: &[(usize, &[u8])]) -> Config {
        let mut raw = vec![0u8; 56];
        raw[..4].copy_from_slice(&56u32.to_le_bytes());
        for &(off, bytes) in fields {
            raw[off..off + bytes.len()].copy_from_slice(bytes);
        }
        Config::read(&raw)
    }

    #[test]
    fn renders_common_qualifiers() {
        assert_eq!(config(&[]).qualifier(), "");
        assert!(config(&[]).is_default());
        assert_eq!(config(&[(8, b"de")]).qualifier(), "de");
        assert_eq!(config(&[(8, b"deAT")]).qualifier(), "de-rAT");
        assert_eq!(config(&[(29, &[0x20])]).qualifier(), "night");
        assert_eq!(config(&[(24, &[26, 0])]).qualifier(), "v26");
        assert_eq!(
            config(&[(8, b"fr"), (14, &[0xe0, 0x01]), (24, &[21, 0])]).qualifier(),
            "fr-xxhdpi-v21"
        );
        assert_eq!(config(&[(30, &[0x58, 0x02])]).qualifier(), "sw600dp");
        assert_eq!(
            config(&[(8, b"sr"), (36, b"Latn")]).qualifier(),
            "b+sr+Latn"
        );
    }

    #[test]
    fn unpacks_three_letter_codes_and_numeric_regions() {
        // "fil" packed: f=5, i=8, l=11 -> 0x80 | (11 << 2) | (8 >> 3), (8 & 7) << 5 | 5
        assert_eq!(
            config(&[(8, &[0xad, 0x05])]).language().as_deref(),
            Some("fil")
        );
        // Region "419" packed with base '0': 4, 1, 9.
        let region = [0x80 | (9 << 2), (1 << 5) | 4];
        assert_eq!(config(&[(10, &region)]).region().as_deref(), Some("419"));
    }

    #[test]
    fn unknown_fields_render_raw_and_short_input_is_zero() {
        assert_eq!(config(&[(53, b"x")]).qualifier(), "raw53=78");
        assert_eq!(Config::read(&[8, 0]).qualifier(), "");
        assert_eq!(Config::read(&[]).qualifier(), "");
    }
}
