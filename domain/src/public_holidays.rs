//! Vietnam's public holidays of a year, from the list of the Labour Code
//! (2019, article 112): New Year's Day; Tết, five days (the last day of
//! the old lunar year and the first four of the new); the Hùng Kings' day
//! (10th day of the 3rd lunar month); 30 April; 1 May; National Day, 2
//! September and a day next to it. A holiday on a Saturday or Sunday gives
//! a substitute day off, the next working day after it. The government's
//! yearly swaps (a make-up Saturday for an extra bridge day) are announced
//! each year and added by admins on top. Pure functions.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::lunar;

/// One day off in the generated calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicHoliday {
    pub day: NaiveDate,
    pub name_vi: String,
    pub name_en: String,
}

fn weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The day next to National Day that is off with it: the one that joins the
/// holiday to a weekend where one does, else the day before.
fn national_day_companion(national_day: NaiveDate) -> NaiveDate {
    let before = national_day - Duration::days(1);
    let after = national_day + Duration::days(1);
    let joins_weekend = |d: NaiveDate, step: i64| !weekend(d) && weekend(d + Duration::days(step));
    if weekend(before) {
        after
    } else if weekend(after) || joins_weekend(before, -1) {
        before
    } else if joins_weekend(after, 1) {
        after
    } else {
        before
    }
}

/// The public holidays of Gregorian `year`, with their substitute days, in date order.
pub fn of_year(year: i32) -> Vec<PublicHoliday> {
    let date = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).expect("a valid date");
    let named = |day: NaiveDate, vi: &str, en: &str| PublicHoliday {
        day,
        name_vi: vi.to_owned(),
        name_en: en.to_owned(),
    };
    let tet = lunar::new_year(year);
    let national_day = date(9, 2);
    let mut days = vec![named(date(1, 1), "Tết Dương lịch", "New Year's Day")];
    days.push(named(
        tet - Duration::days(1),
        "Tết Nguyên đán (ngày cuối năm)",
        "Lunar New Year (last day of the old year)",
    ));
    for n in 0..4 {
        days.push(named(
            tet + Duration::days(n),
            &format!("Tết Nguyên đán (mùng {})", n + 1),
            &format!("Lunar New Year (day {})", n + 1),
        ));
    }
    days.push(named(
        lunar::to_solar(year, 3, 10),
        "Giỗ Tổ Hùng Vương",
        "Hùng Kings' Commemoration Day",
    ));
    days.push(named(date(4, 30), "Ngày Chiến thắng", "Reunification Day"));
    days.push(named(
        date(5, 1),
        "Ngày Quốc tế Lao động",
        "International Labour Day",
    ));
    days.push(named(national_day, "Quốc khánh", "National Day"));
    days.push(named(
        national_day_companion(national_day),
        "Quốc khánh (ngày liền kề)",
        "National Day (adjacent day)",
    ));
    days.sort_by_key(|h| h.day);
    days.dedup_by_key(|h| h.day);
    with_substitutes(days)
}

/// Adds, for each holiday on a weekend, a day off on the next working day
/// that is neither a holiday nor already a substitute.
fn with_substitutes(holidays: Vec<PublicHoliday>) -> Vec<PublicHoliday> {
    let mut taken: BTreeSet<NaiveDate> = holidays.iter().map(|h| h.day).collect();
    let mut all = holidays.clone();
    for holiday in holidays.iter().filter(|h| weekend(h.day)) {
        let mut day = holiday.day + Duration::days(1);
        while weekend(day) || taken.contains(&day) {
            day += Duration::days(1);
        }
        taken.insert(day);
        all.push(PublicHoliday {
            day,
            name_vi: format!("Nghỉ bù {}", holiday.name_vi),
            name_en: format!("Substitute day for {}", holiday.name_en),
        });
    }
    all.sort_by_key(|h| h.day);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn days_of(year: i32) -> Vec<NaiveDate> {
        of_year(year).into_iter().map(|h| h.day).collect()
    }

    #[test]
    fn the_2027_calendar_has_tet_the_hung_kings_and_national_day() {
        let days = days_of(2027);
        // Tết 2027 is Saturday 6 February: 5–9 February off, and the
        // Saturday and Sunday among them give substitute days 10 and 11 February.
        for d in [
            day(2027, 1, 1),
            day(2027, 2, 5),
            day(2027, 2, 6),
            day(2027, 2, 9),
            day(2027, 2, 10),
            day(2027, 2, 11),
            day(2027, 4, 16),
            day(2027, 4, 30),
            day(2027, 5, 1),
            day(2027, 9, 2),
        ] {
            assert!(days.contains(&d), "{d} is off in 2027: {days:?}");
        }
        // 1 May 2027 is a Saturday: Monday 3 May is its substitute.
        assert!(days.contains(&day(2027, 5, 3)));
        // 2 September 2027 is a Thursday: Friday 3 September joins the weekend.
        assert!(days.contains(&day(2027, 9, 3)));
        assert!(!days.contains(&day(2027, 9, 1)));
    }

    #[test]
    fn every_year_has_eleven_days_off_plus_its_substitutes() {
        for year in 2024..=2035 {
            let all = of_year(year);
            let originals = all
                .iter()
                .filter(|h| !h.name_en.starts_with("Substitute"))
                .count();
            assert_eq!(originals, 11, "{year}");
            let weekend_originals = all
                .iter()
                .filter(|h| !h.name_en.starts_with("Substitute") && weekend(h.day))
                .count();
            assert_eq!(all.len(), 11 + weekend_originals, "{year}");
            assert!(
                all.iter()
                    .filter(|h| h.name_en.starts_with("Substitute"))
                    .all(|h| !weekend(h.day))
            );
            assert!(
                all.windows(2).all(|w| w[0].day < w[1].day),
                "{year}: sorted, no repeats"
            );
        }
    }

    #[test]
    fn national_day_is_joined_to_the_nearest_weekend() {
        // Tuesday 2 Sept 2025 → Monday 1 Sept; Monday 2 Sept 2024 → Tuesday 3 Sept.
        assert_eq!(national_day_companion(day(2025, 9, 2)), day(2025, 9, 1));
        assert_eq!(national_day_companion(day(2024, 9, 2)), day(2024, 9, 3));
        assert_eq!(national_day_companion(day(2027, 9, 2)), day(2027, 9, 3));
    }
}
