//! Working-day arithmetic for feedback deadlines (docs/methodology.md, “Feedback”):
//! Saturdays, Sundays and the days off of the holiday calendar are skipped,
//! and the weekend days the government makes working days in a swap are
//! counted. Dates are calendar days in Vietnam (UTC+7). Pure functions.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc, Weekday};

/// Vietnam's time zone: UTC+7 all year.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// The calendar day in Vietnam at the instant `at`.
pub fn vietnam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vietnam()).date_naive()
}

/// The days that differ from the plain week: days off (public holidays and
/// the extra days of a swap) and weekend days worked (a swap's make-up days).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    pub days_off: BTreeSet<NaiveDate>,
    pub workdays: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// A calendar of days off only.
    pub fn days_off(days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self {
            days_off: days.into_iter().collect(),
            workdays: BTreeSet::new(),
        }
    }
}

pub fn is_working_day(day: NaiveDate, calendar: &Calendar) -> bool {
    calendar.workdays.contains(&day)
        || (!matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
            && !calendar.days_off.contains(&day))
}

/// The due date of a step that starts on `start` and is given `days` working
/// days: the `days`-th working day after `start` (the start day itself does
/// not count, as in "within 10 working days of receipt"). With 0 days the
/// step is due the day it starts.
pub fn add_working_days(start: NaiveDate, days: u32, holidays: &Calendar) -> NaiveDate {
    let mut day = start;
    let mut left = days;
    while left > 0 {
        day = day
            .succ_opt()
            .expect("feedback dates are far from the end of the calendar");
        if is_working_day(day, holidays) {
            left -= 1;
        }
    }
    day
}

/// Working days after `from` up to and including `to`; negative when `to`
/// is before `from`. `working_days_between(d, add_working_days(d, n)) == n`.
pub fn working_days_between(from: NaiveDate, to: NaiveDate, holidays: &Calendar) -> i64 {
    let (low, high, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let count = low
        .iter_days()
        .skip(1)
        .take_while(|d| *d <= high)
        .filter(|d| is_working_day(*d, holidays))
        .count();
    sign * i64::try_from(count).unwrap_or(i64::MAX)
}

/// The half-year `half` (1 or 2) of `year` in Vietnam, as instants:
/// [1 January, 1 July) or [1 July, 1 January of the next year).
pub fn half_year_bounds(year: i32, half: i16) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |year: i32, month: u32| {
        NaiveDate::from_ymd_opt(year, month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .and_then(|t| t.and_local_timezone(vietnam()).single())
            .map(|t| t.with_timezone(&Utc))
            .expect("the first of January and July exist")
    };
    if half == 1 {
        (start(year, 1), start(year, 7))
    } else {
        (start(year, 7), start(year + 1, 1))
    }
}

/// The day `day` in Vietnam, as instants: [its midnight, the next midnight).
pub fn day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let midnight = |d: NaiveDate| {
        d.and_time(chrono::NaiveTime::MIN)
            .and_local_timezone(vietnam())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .expect("UTC+7 has no gaps")
    };
    (midnight(day), midnight(day + chrono::Days::new(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn no_holidays() -> Calendar {
        Calendar::default()
    }

    fn public_holidays(year: i32) -> Calendar {
        Calendar::days_off(
            crate::public_holidays::of_year(year)
                .into_iter()
                .map(|h| h.day),
        )
    }

    #[test]
    fn weekends_are_skipped() {
        // Friday 27 November 2026 + 1 working day = Monday 30 November.
        assert_eq!(
            add_working_days(date(2026, 11, 27), 1, &no_holidays()),
            date(2026, 11, 30)
        );
        // Saturday + 1 = Monday; Sunday + 1 = Monday.
        assert_eq!(
            add_working_days(date(2026, 11, 28), 1, &no_holidays()),
            date(2026, 11, 30)
        );
        assert_eq!(
            add_working_days(date(2026, 11, 29), 1, &no_holidays()),
            date(2026, 11, 30)
        );
        // Monday + 10 = the Monday two weeks later.
        assert_eq!(
            add_working_days(date(2026, 11, 30), 10, &no_holidays()),
            date(2026, 12, 14)
        );
        assert_eq!(
            add_working_days(date(2026, 11, 30), 0, &no_holidays()),
            date(2026, 11, 30)
        );
    }

    #[test]
    fn holidays_are_skipped() {
        // 30/4 and 1/5/2026 are Thursday and Friday: Wednesday 29/4 + 1 = Monday 4/5.
        let holidays = public_holidays(2026);
        assert_eq!(
            add_working_days(date(2026, 4, 29), 1, &holidays),
            date(2026, 5, 4)
        );
        assert_eq!(
            add_working_days(date(2026, 4, 29), 3, &holidays),
            date(2026, 5, 6)
        );
        // A holiday on a weekend changes nothing.
        let mut saturday_holiday = no_holidays();
        saturday_holiday.days_off.insert(date(2026, 12, 5));
        assert_eq!(
            add_working_days(date(2026, 12, 4), 1, &saturday_holiday),
            date(2026, 12, 7)
        );
    }

    #[test]
    fn a_deadline_skips_tet_2027() {
        // Thursday 4/2/2027 + 1 working day: Tết keeps 5–11 February off
        // (the five days and two substitutes), so Friday 12 February.
        let holidays = public_holidays(2027);
        assert_eq!(
            add_working_days(date(2027, 2, 4), 1, &holidays),
            date(2027, 2, 12)
        );
    }

    #[test]
    fn a_make_up_saturday_counts_and_an_extra_day_off_does_not() {
        // A swap: Monday 4/1/2027 off, Saturday 9/1/2027 worked instead.
        let mut swap = no_holidays();
        swap.days_off.insert(date(2027, 1, 4));
        swap.workdays.insert(date(2027, 1, 9));
        // Friday 8/1 + 1 working day = the make-up Saturday 9/1.
        assert_eq!(
            add_working_days(date(2027, 1, 8), 1, &swap),
            date(2027, 1, 9)
        );
        // Friday 1/1 + 1 = Tuesday 5/1 (Monday is off).
        assert_eq!(
            add_working_days(date(2027, 1, 1), 1, &swap),
            date(2027, 1, 5)
        );
        assert_eq!(
            working_days_between(date(2027, 1, 1), date(2027, 1, 11), &swap),
            6
        );
    }

    #[test]
    fn the_year_end_is_crossed() {
        // Thursday 31/12/2026; 1/1/2027 is a Friday holiday: the next working day is Monday 4/1/2027.
        let holidays = public_holidays(2027);
        assert_eq!(
            add_working_days(date(2026, 12, 31), 1, &holidays),
            date(2027, 1, 4)
        );
        // Ten working days from Tuesday 22/12/2026 with 1/1 off, counted by hand:
        // 23, 24, 25, 28, 29, 30, 31 Dec (7), 4, 5, 6 Jan (10).
        assert_eq!(
            add_working_days(date(2026, 12, 22), 10, &holidays),
            date(2027, 1, 6)
        );
        assert_eq!(
            working_days_between(date(2026, 12, 22), date(2027, 1, 6), &holidays),
            10
        );
        // A Tết week entered by staff.
        let mut tet = holidays.clone();
        for day in 5..=12 {
            tet.days_off.insert(date(2027, 2, day));
        }
        // Thursday 4/2/2027 + 1: 5–12 off (Fri–Fri), 13–14 weekend → Monday 15/2.
        assert_eq!(
            add_working_days(date(2027, 2, 4), 1, &tet),
            date(2027, 2, 15)
        );
    }

    #[test]
    fn half_years_start_at_midnight_in_vietnam() {
        let (start, end) = half_year_bounds(2026, 2);
        assert_eq!(start.to_rfc3339(), "2026-06-30T17:00:00+00:00");
        assert_eq!(end.to_rfc3339(), "2026-12-31T17:00:00+00:00");
        assert_eq!(half_year_bounds(2027, 1).0, end);
    }

    #[test]
    fn vietnam_dates_follow_utc_plus_seven() {
        let late_evening_utc = DateTime::parse_from_rfc3339("2026-12-31T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(vietnam_date(late_evening_utc), date(2027, 1, 1));
    }

    proptest! {
        #[test]
        fn counting_back_gives_the_days_added(offset in 0i64..2000, days in 0u32..60, holiday_offsets in proptest::collection::vec(0i64..2100, 0..40), workday_offsets in proptest::collection::vec(0i64..2100, 0..10)) {
            let start = date(2025, 1, 1) + chrono::Duration::days(offset);
            let day = |o: &i64| date(2025, 1, 1) + chrono::Duration::days(*o);
            let holidays = Calendar {
                days_off: holiday_offsets.iter().map(day).collect(),
                workdays: workday_offsets.iter().map(day).collect(),
            };
            let due = add_working_days(start, days, &holidays);
            prop_assert!(due >= start);
            prop_assert_eq!(working_days_between(start, due, &holidays), i64::from(days));
            prop_assert_eq!(working_days_between(due, start, &holidays), -i64::from(days));
            if days > 0 {
                prop_assert!(is_working_day(due, &holidays));
            }
        }
    }
}
