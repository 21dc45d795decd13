use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a leak or misconfiguration would cost, from `info` to `critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// One step down, `info` at the floor.
    pub fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            Severity::Medium => Severity::Low,
            Severity::Low | Severity::Info => Severity::Info,
        }
    }
}

/// How likely a finding is to be real (not a placeholder or a coincidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// The kind of problem a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Secret,
    Certificate,
    Transport,
    Pinning,
    Endpoint,
    Config,
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in ascending order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The lower-case name used in every output format.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s.to_ascii_lowercase().as_str() {
                    $($text => Ok($ty::$variant),)+
                    other => Err(format!(
                        "unknown {} `{other}` (expected one of: {})",
                        stringify!($ty).to_ascii_lowercase(),
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

text_enum!(Severity { Info => "info", Low => "low", Medium => "medium", High => "high", Critical => "critical" });
text_enum!(Confidence { Low => "low", Medium => "medium", High => "high" });
text_enum!(Category {
    Secret => "secret",
    Certificate => "certificate",
    Transport => "transport",
    Pinning => "pinning",
    Endpoint => "endpoint",
    Config => "config",
});

impl Severity {
    /// GitHub's `security-severity` score (0.0–10.0) for this level.
    pub fn security_severity(self) -> &'static str {
        match self {
            Severity::Critical => "9.5",
            Severity::High => "8.0",
            Severity::Medium => "5.5",
            Severity::Low => "3.0",
            Severity::Info => "0.0",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_orders_from_info_to_critical() {
        assert!(Severity::Info < Severity::Low);
        assert!(Severity::High < Severity::Critical);
        assert_eq!(Severity::ALL.len(), 5);
    }

    #[test]
    fn parses_case_insensitively_and_rejects_unknown() {
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert_eq!("secret".parse::<Category>(), Ok(Category::Secret));
        let err = "severe".parse::<Severity>().unwrap_err();
        assert!(err.contains("info, low, medium, high, critical"), "{err}");
    }
}
