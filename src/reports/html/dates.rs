//! Dates in the report: the day the report is about and how far a
//! certificate or pin-set is from expiring.

use crate::findings::ScanReport;
use time::{Date, Month};

/// Days before expiry from which a date is flagged as expiring.
pub(super) const EXPIRING_DAYS: i64 = 90;

/// How a validity end compares with the report's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Expiry {
    Expired,
    /// Within [`EXPIRING_DAYS`].
    Soon,
    Valid,
    /// The date could not be read.
    Unknown,
}

/// The day of the report: the day the scan started, else today (UTC).
pub(super) fn today(report: &ScanReport) -> Date {
    parse(&report.started).unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// The date at the start of `s` (`YYYY-MM-DD`, as RFC 3339 and pin-set
/// expirations begin).
pub(super) fn parse(s: &str) -> Option<Date> {
    let head = s.get(..10)?;
    let mut parts = head.split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if head.as_bytes().get(4) != Some(&b'-') || head.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// How `end` compares with `today`.
pub(super) fn expiry(end: Option<Date>, today: Date) -> Expiry {
    match end {
        None => Expiry::Unknown,
        Some(end) if end < today => Expiry::Expired,
        Some(end) if (end - today).whole_days() <= EXPIRING_DAYS => Expiry::Soon,
        Some(_) => Expiry::Valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_and_expiry() {
        assert_eq!(parse("2024-05-01T10:00:00Z"), Some(date!(2024 - 05 - 01)));
        assert_eq!(parse("2030-12-31"), Some(date!(2030 - 12 - 31)));
        for bad in [
            "",
            "2024-5-01xxxx",
            "2024-13-01",
            "<script>x</script>",
            "2024-02-30",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let today = date!(2024 - 05 - 01);
        assert_eq!(expiry(parse("2024-04-30"), today), Expiry::Expired);
        assert_eq!(expiry(parse("2024-05-01"), today), Expiry::Soon);
        assert_eq!(expiry(parse("2024-07-30"), today), Expiry::Soon);
        assert_eq!(expiry(parse("2024-08-01"), today), Expiry::Valid);
        assert_eq!(expiry(None, today), Expiry::Unknown);
    }
}
