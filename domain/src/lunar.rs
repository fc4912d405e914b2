//! The Vietnamese lunar calendar, for the holidays that follow it (Tết and
//! the Hùng Kings' day). A lunar month begins on the day, in Vietnam's time
//! zone (UTC+7), of a new moon; the eleventh month is the one that holds
//! the winter solstice; a year with thirteen months repeats the first month
//! without a major solar term. New moons and the sun's longitude come from
//! the series of Jean Meeus, *Astronomical Algorithms* (the method Vietnam's
//! published calendars use; about a minute of error over 1900–2100).
//! Pure functions.

use std::f64::consts::PI;

use chrono::NaiveDate;

/// Vietnam's time zone, in hours east of UTC.
const TIME_ZONE: f64 = 7.0;
/// Mean length of a lunation, in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian day number of the new moon of 1900-01-01 (lunation 0).
const EPOCH_JDN: f64 = 2_415_021.076_998_695;

fn jdn_of(day: NaiveDate) -> i64 {
    // 0001-01-01 (proleptic Gregorian) is Julian day 1721426.
    i64::from(chrono::Datelike::num_days_from_ce(&day)) + 1_721_425
}

fn date_of(jdn: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((jdn - 1_721_425) as i32)
        .expect("lunar dates stay inside chrono's range")
}

/// The instant (Julian date, UTC) of the `k`-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = (359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3) * dr;
    let mpr = (306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3) * dr;
    let f = (21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3) * dr;
    let c1 = (0.173_4 - 0.000_393 * t) * m.sin() + 0.002_1 * (2.0 * m).sin() - 0.406_8 * mpr.sin()
        + 0.016_1 * (2.0 * mpr).sin()
        - 0.000_4 * (3.0 * mpr).sin()
        + 0.010_4 * (2.0 * f).sin()
        - 0.005_1 * (m + mpr).sin()
        - 0.007_4 * (m - mpr).sin()
        + 0.000_4 * (2.0 * f + m).sin()
        - 0.000_4 * (2.0 * f - m).sin()
        - 0.000_6 * (2.0 * f + mpr).sin()
        + 0.001_0 * (2.0 * f - mpr).sin()
        + 0.000_5 * (2.0 * mpr + m).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd + c1 - delta_t
}

/// The sun's apparent longitude, in radians within [0, 2π), at Julian date `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    ((l0 + dl) * dr).rem_euclid(2.0 * PI)
}

/// The day (Julian day number, Vietnam time) of the `k`-th new moon.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// Which twelfth of the ecliptic (0–11) the sun is in at the start of `jdn` in Vietnam.
fn sun_sector(jdn: i64) -> i64 {
    (sun_longitude(jdn as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// The first day of the eleventh lunar month (the month of the winter
/// solstice) that ends Gregorian year `year`.
fn month_11_start(year: i32) -> i64 {
    let end_of_year = jdn_of(NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid date"));
    let k = ((end_of_year as f64 - 2_415_021.0) / SYNODIC_MONTH).floor() as i64;
    let start = new_moon_day(k);
    if sun_sector(start) >= 9 {
        new_moon_day(k - 1)
    } else {
        start
    }
}

/// In a thirteen-month year beginning with the eleventh month at `a11`, how
/// many months after it the leap month comes (the first without a major term).
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - EPOCH_JDN) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The Gregorian date of day `day` of (non-leap) lunar month `month` of the
/// lunar year that begins in Gregorian year `year`.
pub fn to_solar(year: i32, month: u32, day: u32) -> NaiveDate {
    let (a11, b11) = if month < 11 {
        (month_11_start(year - 1), month_11_start(year))
    } else {
        (month_11_start(year), month_11_start(year + 1))
    };
    let k = (0.5 + (a11 as f64 - EPOCH_JDN) / SYNODIC_MONTH).floor() as i64;
    let mut offset = (i64::from(month) + 12 - 11) % 12;
    if b11 - a11 > 365 && offset >= leap_month_offset(a11) {
        offset += 1;
    }
    date_of(new_moon_day(k + offset) + i64::from(day) - 1)
}

/// Tết: the first day of the lunar year that begins in `year`.
pub fn new_year(year: i32) -> NaiveDate {
    to_solar(year, 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn tet_falls_on_the_published_days() {
        // Tết Nguyên đán in Vietnam, 2024–2030. In 2030 the new moon comes
        // at 16:07 UTC on 2 February: 23:07 in Vietnam, already 3 February
        // in China, so Vietnam's Tết is a day before China's.
        for (year, tet) in [
            (2024, day(2024, 2, 10)),
            (2025, day(2025, 1, 29)),
            (2026, day(2026, 2, 17)),
            (2027, day(2027, 2, 6)),
            (2028, day(2028, 1, 26)),
            (2029, day(2029, 2, 13)),
            (2030, day(2030, 2, 2)),
        ] {
            assert_eq!(new_year(year), tet, "{year}");
        }
    }

    #[test]
    fn the_hung_kings_day_falls_on_the_published_days() {
        // 10th day of the 3rd lunar month (Giỗ Tổ Hùng Vương), 2024–2030.
        for (year, published) in [
            (2024, day(2024, 4, 18)),
            (2025, day(2025, 4, 7)),
            (2026, day(2026, 4, 26)),
            (2027, day(2027, 4, 16)),
            (2028, day(2028, 4, 4)),
            (2029, day(2029, 4, 23)),
            (2030, day(2030, 4, 12)),
        ] {
            assert_eq!(to_solar(year, 3, 10), published, "{year}");
        }
    }

    #[test]
    fn vietnam_and_china_differ_where_the_time_zone_decides() {
        // 1985: the new moon of 21 January fell before midnight in Vietnam
        // (UTC+7) but after it in China (UTC+8); Vietnam's Tết came a month
        // earlier, on 21 January, China's on 20 February.
        assert_eq!(new_year(1985), day(1985, 1, 21));
    }
}
