//! Keystore password recovery: common defaults, then candidate strings
//! (typically the app's own strings), each checked against the store's
//! integrity check, within a bounded number of attempts.

use super::{bks, jks, pkcs12, ContainerKind};
use std::collections::HashSet;

/// Passwords tried before any candidate, in order.
pub const DEFAULT_PASSWORDS: &[&str] = &[
    "",
    "changeit",
    "password",
    "android",
    "123456",
    "secret",
    "changeme",
    "keystore",
    "12345678",
    "123456789",
    "1234",
    "000000",
    "111111",
    "pass",
    "passw0rd",
    "p@ssword",
    "test",
    "test123",
    "admin",
    "qwerty",
    "abc123",
    "storepass",
    "keypass",
    "client",
    "server",
    "default",
    "mypassword",
];

/// Longest candidate tried (longer strings are not passwords).
const MAX_PASSWORD_LEN: usize = 128;
/// Budget of MAC key-derivation rounds over all PKCS#12 attempts.
const PKCS12_ROUND_BUDGET: u64 = 20_000_000;
/// Attempts on a PKCS#12 without a MAC (each one decrypts every bag).
const PKCS12_NO_MAC_ATTEMPTS: usize = 16;

/// Checks one password against a store.
type Check = fn(&[u8], &str) -> bool;

/// Finds the password of a keystore: the empty password and
/// [`DEFAULT_PASSWORDS`] first, then `candidates` (duplicates, empty and
/// over-long strings skipped), at most `max_attempts` checks in all (fewer
/// for a PKCS#12 whose key derivation is expensive). `None` for kinds
/// without a checkable password (PEM, DER keys, UBER).
pub fn recover_password(
    bytes: &[u8],
    kind: ContainerKind,
    candidates: &mut dyn Iterator<Item = &str>,
    max_attempts: usize,
) -> Option<String> {
    let (check, limit): (Check, usize) = match kind {
        ContainerKind::Jks | ContainerKind::Jceks => (jks::verify, max_attempts),
        ContainerKind::Bks => (bks::verify, max_attempts),
        ContainerKind::Pkcs12 => {
            let limit = match pkcs12::mac_iterations(bytes) {
                Some(rounds) => {
                    usize::try_from(PKCS12_ROUND_BUDGET / rounds.max(1)).unwrap_or(usize::MAX)
                }
                None => PKCS12_NO_MAC_ATTEMPTS,
            };
            (pkcs12::verify, max_attempts.min(limit))
        }
        _ => return None,
    };
    let mut seen = HashSet::new();
    DEFAULT_PASSWORDS
        .iter()
        .copied()
        .chain(candidates.filter(|c| !c.is_empty() && c.len() <= MAX_PASSWORD_LEN))
        .filter(|c| seen.insert(c.to_string()))
        .take(limit)
        .find(|pw| check(bytes, pw))
        .map(str::to_string)
}
