//! A small bounds-checked BER/DER reader: enough to walk a CMS envelope
//! (which Apple tools write with definite or indefinite lengths) and the
//! validity dates and subject of an X.509 certificate.

/// Nesting deeper than this is refused.
const MAX_DEPTH: usize = 32;

/// Tag bytes used by the callers.
pub const SEQUENCE: u8 = 0x30;
pub const OID: u8 = 0x06;
pub const OCTET_STRING: u8 = 0x04;
pub const OCTET_STRING_CONSTRUCTED: u8 = 0x24;
pub const CONTEXT_0: u8 = 0xa0;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;

/// One element: its tag byte and its contents (for an indefinite-length
/// element, the contents without the end-of-contents marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The child elements of a constructed element.
    pub fn children(&self) -> Vec<Tlv<'a>> {
        let mut out = Vec::new();
        let mut rest = self.content;
        while !rest.is_empty() && out.len() < 4096 {
            match read(rest) {
                Some((tlv, next)) => {
                    out.push(tlv);
                    rest = next;
                }
                None => break,
            }
        }
        out
    }
}

/// Reads the element at the start of `buf`; returns it and what follows.
/// An end-of-contents marker or a malformed header reads as `None`.
pub fn read(buf: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    read_at_depth(buf, 0)
}

fn read_at_depth(buf: &[u8], depth: usize) -> Option<(Tlv<'_>, &[u8])> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (&tag, rest) = buf.split_first()?;
    // End-of-contents, and high tag numbers (never used here).
    if tag == 0 || tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, mut rest) = rest.split_first()?;
    if first == 0x80 {
        // Indefinite length: constructed only; children up to 00 00.
        if tag & 0x20 == 0 {
            return None;
        }
        let start = rest;
        let mut used = 0usize;
        loop {
            if rest.starts_with(&[0, 0]) {
                let content = start.get(..used)?;
                return Some((Tlv { tag, content }, rest.get(2..)?));
            }
            let (_, next) = read_at_depth(rest, depth + 1)?;
            used = used.checked_add(rest.len() - next.len())?;
            rest = next;
        }
    }
    let len = if first & 0x80 == 0 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = rest.get(..n)?;
        rest = rest.get(n..)?;
        bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    let content = rest.get(..len)?;
    Some((Tlv { tag, content }, rest.get(len..)?))
}

/// The bytes of an OCTET STRING, primitive or constructed from chunks
/// (as BER allows), up to `cap` bytes; `None` when malformed or larger.
pub fn octets(tlv: &Tlv<'_>, cap: usize) -> Option<Vec<u8>> {
    match tlv.tag {
        OCTET_STRING => (tlv.content.len() <= cap).then(|| tlv.content.to_vec()),
        OCTET_STRING_CONSTRUCTED => {
            let mut out = Vec::new();
            for chunk in tlv.children() {
                if chunk.tag != OCTET_STRING || out.len() + chunk.content.len() > cap {
                    return None;
                }
                out.extend_from_slice(chunk.content);
            }
            Some(out)
        }
        _ => None,
    }
}

/// Encoded OID of CMS `signedData` (1.2.840.113549.1.7.2).
pub const OID_SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
/// Encoded OID of X.520 `commonName` (2.5.4.3).
const OID_COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];

/// The encapsulated content of a CMS `ContentInfo` holding `SignedData`.
pub fn signed_data_content(bytes: &[u8], cap: usize) -> Result<Vec<u8>, String> {
    let (info, _) = read(bytes).ok_or("not a DER/BER element")?;
    let parts = info.children();
    match parts.as_slice() {
        [oid, explicit, ..]
            if info.tag == SEQUENCE
                && oid.tag == OID
                && oid.content == OID_SIGNED_DATA
                && explicit.tag == CONTEXT_0 => {}
        _ => return Err("not a CMS SignedData ContentInfo".into()),
    }
    let signed = parts[1]
        .children()
        .into_iter()
        .next()
        .filter(|s| s.tag == SEQUENCE)
        .ok_or("SignedData is not a SEQUENCE")?;
    // version, digestAlgorithms, encapContentInfo, ...
    let encap = signed
        .children()
        .into_iter()
        .nth(2)
        .filter(|s| s.tag == SEQUENCE)
        .ok_or("no encapsulated content info")?;
    let explicit = encap
        .children()
        .into_iter()
        .find(|t| t.tag == CONTEXT_0)
        .ok_or("no encapsulated content")?;
    let content = explicit
        .children()
        .into_iter()
        .next()
        .ok_or("empty encapsulated content")?;
    octets(&content, cap).ok_or_else(|| "encapsulated content is not a bounded OCTET STRING".into())
}

/// The subject common name and `notAfter` date of an X.509 certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    pub subject_cn: Option<String>,
    pub not_after: Option<time::Date>,
}

/// Reads the subject CN and expiry of a DER certificate.
pub fn certificate(bytes: &[u8]) -> Option<CertInfo> {
    let (cert, _) = read(bytes)?;
    let tbs = cert.children().into_iter().next()?;
    let mut fields = tbs.children();
    if fields.first()?.tag == CONTEXT_0 {
        fields.remove(0);
    }
    // serialNumber, signature, issuer, validity, subject, ...
    let validity = fields.get(3)?;
    let not_after = validity.children().get(1).and_then(time_of);
    let subject_cn = fields.get(4).and_then(common_name);
    Some(CertInfo {
        subject_cn,
        not_after,
    })
}

fn common_name(name: &Tlv<'_>) -> Option<String> {
    name.children().iter().find_map(|rdn| {
        rdn.children()
            .iter()
            .find_map(|atv| match atv.children().as_slice() {
                [oid, value, ..] if oid.tag == OID && oid.content == OID_COMMON_NAME => {
                    Some(String::from_utf8_lossy(value.content).into_owned())
                }
                _ => None,
            })
    })
}

/// The date of a UTCTime (`YYMMDD…`) or GeneralizedTime (`YYYYMMDD…`).
fn time_of(t: &Tlv<'_>) -> Option<time::Date> {
    let digits = |s: &[u8]| -> Option<i32> {
        s.iter().try_fold(0i32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + i32::from(b - b'0'))
        })
    };
    let (year, rest) = match t.tag {
        UTC_TIME => {
            let yy = digits(t.content.get(..2)?)?;
            (
                if yy >= 50 { 1900 + yy } else { 2000 + yy },
                t.content.get(2..)?,
            )
        }
        GENERALIZED_TIME => (digits(t.content.get(..4)?)?, t.content.get(4..)?),
        _ => return None,
    };
    let month = u8::try_from(digits(rest.get(..2)?)?).ok()?;
    let day = u8::try_from(digits(rest.get(2..4)?)?).ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
pub(crate) mod build {
    //! DER writers for test fixtures.

    /// An element with a definite length.
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = (len as u32).to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (4 - skip) as u8);
            out.extend(&bytes[skip..]);
        }
        out.extend(content);
        out
    }

    /// A constructed element with an indefinite length.
    pub fn indefinite(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, 0x80];
        out.extend(content);
        out.extend([0, 0]);
        out
    }

    /// A CMS ContentInfo wrapping `content` in SignedData (no signers).
    pub fn signed_data(content: &[u8], indefinite_form: bool) -> Vec<u8> {
        let wrap = |tag: u8, c: &[u8]| {
            if indefinite_form {
                indefinite(tag, c)
            } else {
                tlv(tag, c)
            }
        };
        let data_oid = tlv(
            0x06,
            &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01],
        );
        let octets = if indefinite_form {
            // Constructed OCTET STRING in two chunks.
            let mid = content.len() / 2;
            let mut chunks = tlv(0x04, &content[..mid]);
            chunks.extend(tlv(0x04, &content[mid..]));
            indefinite(0x24, &chunks)
        } else {
            tlv(0x04, content)
        };
        let encap = wrap(0x30, &[data_oid, wrap(0xa0, &octets)].concat());
        let version = tlv(0x02, &[1]);
        let digests = tlv(0x31, &[]);
        let signers = tlv(0x31, &[]);
        let signed = wrap(0x30, &[version, digests, encap, signers].concat());
        let oid = tlv(0x06, super::OID_SIGNED_DATA);
        wrap(0x30, &[oid, wrap(0xa0, &signed)].concat())
    }

    /// A certificate skeleton with subject CN `cn` valid until `not_after`
    /// (UTCTime text such as `"200101000000Z"`).
    pub fn certificate(cn: &str, not_after: &str) -> Vec<u8> {
        let name = tlv(
            0x30,
            &tlv(
                0x31,
                &tlv(
                    0x30,
                    &[tlv(0x06, &[0x55, 0x04, 0x03]), tlv(0x0c, cn.as_bytes())].concat(),
                ),
            ),
        );
        let validity = tlv(
            0x30,
            &[tlv(0x17, b"000101000000Z"), tlv(0x17, not_after.as_bytes())].concat(),
        );
        let alg = tlv(0x30, &tlv(0x06, &[0x2a, 0x86, 0x48]));
        let tbs = tlv(
            0x30,
            &[
                tlv(0xa0, &tlv(0x02, &[2])),
                tlv(0x02, &[7]),
                alg.clone(),
                name.clone(),
                validity,
                name,
            ]
            .concat(),
        );
        tlv(0x30, &[tbs, alg, tlv(0x03, &[0])].concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_definite_and_indefinite_envelopes() {
        let payload = b"<plist>hello</plist>".to_vec();
        for indefinite in [false, true] {
            let env = build::signed_data(&payload, indefinite);
            assert_eq!(signed_data_content(&env, 1 << 20).unwrap(), payload);
            // Every truncation fails cleanly.
            for n in 0..env.len() {
                assert!(signed_data_content(&env[..n], 1 << 20).is_err());
            }
        }
    }

    #[test]
    fn caps_and_rejects() {
        let env = build::signed_data(&[7u8; 300], false);
        assert!(signed_data_content(&env, 100).is_err());
        assert!(signed_data_content(b"\x30\x03\x06\x01\x00", 100).is_err());
        // Deep indefinite nesting is refused, not recursed without bound.
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 10_000)
            .flatten()
            .collect();
        assert!(read(&deep).is_none());
    }

    #[test]
    fn reads_certificate_subject_and_expiry() {
        let cert = build::certificate("iPhone Developer: X", "200131235959Z");
        let info = certificate(&cert).unwrap();
        assert_eq!(info.subject_cn.as_deref(), Some("iPhone Developer: X"));
        assert_eq!(info.not_after, Some(time::macros::date!(2020 - 01 - 31)));
        assert!(certificate(&cert[..cert.len() - 3]).is_none());
    }
}
