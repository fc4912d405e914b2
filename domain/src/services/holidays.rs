//! The holiday calendar that feedback deadlines follow, maintained by
//! admins: days off (public holidays, a swap's extra days off) and the
//! weekend days a swap makes working days. Each year's swaps are announced
//! by the government; until an admin has entered (or confirmed) them, the
//! year is named wherever deadlines are shown. Imported and exported as
//! iCalendar: an event whose CATEGORIES hold `WORKDAY` is a working day,
//! every other all-day event a day off.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::AppError;
use crate::entities::holiday;
use crate::model::{HolidayKind, Problem};
use crate::services::audit::{self, Actor};
use crate::services::settings;
use crate::working_days::Calendar;

/// Longest holiday name, in characters.
pub const NAME_MAX: usize = 120;
/// The setting listing the years whose swaps are entered, e.g. "2026,2027".
const SWAP_YEARS: &str = "swap_years_entered";

#[tracing::instrument(skip_all)]
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<holiday::Model>, AppError> {
    Ok(holiday::Entity::find()
        .order_by_asc(holiday::Column::Day)
        .all(db)
        .await?)
}

/// The calendar from `from` for a year and a half: enough for any deadline.
#[tracing::instrument(skip_all)]
pub async fn calendar_from(
    db: &impl ConnectionTrait,
    from: NaiveDate,
) -> Result<Calendar, AppError> {
    calendar_between(db, from, from).await
}

/// The calendar from `first` to a year and a half after `last`: enough for
/// any deadline that starts between the two.
#[tracing::instrument(skip_all)]
pub async fn calendar_between(
    db: &impl ConnectionTrait,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Calendar, AppError> {
    let (from, until) = (first, last + chrono::Duration::days(550));
    let mut calendar = Calendar::default();
    for day in holiday::Entity::find()
        .filter(holiday::Column::Day.between(from, until))
        .all(db)
        .await?
    {
        if day.kind == HolidayKind::Workday {
            calendar.workdays.insert(day.day);
        } else {
            calendar.days_off.insert(day.day);
        }
    }
    Ok(calendar)
}

/// The years whose swaps are entered (or confirmed to be none).
#[tracing::instrument(skip_all)]
pub async fn swap_years(db: &impl ConnectionTrait) -> Result<BTreeSet<i32>, AppError> {
    Ok(settings::get(db, SWAP_YEARS)
        .await?
        .unwrap_or_default()
        .split(',')
        .filter_map(|y| y.trim().parse().ok())
        .collect())
}

/// Records that the swaps of `years` are entered.
async fn mark_swap_years(
    db: &impl ConnectionTrait,
    years: impl IntoIterator<Item = i32>,
) -> Result<(), AppError> {
    let mut entered = swap_years(db).await?;
    entered.extend(years);
    let list: Vec<String> = entered.iter().map(i32::to_string).collect();
    settings::set(db, SWAP_YEARS, &list.join(",")).await
}

/// An admin confirms that `year`'s swaps are all entered (there may be none).
#[tracing::instrument(skip_all)]
pub async fn confirm_swaps(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
) -> Result<(), AppError> {
    check_year(year)?;
    mark_swap_years(db, [year]).await?;
    audit::record(
        db,
        actor,
        "holiday.confirm_swaps",
        "holiday",
        Some(year.to_string()),
        None::<&()>,
        Some(&year),
    )
    .await
}

/// The years where deadlines computed `today` may fall (this year, and the
/// next one from October on) whose swaps are not entered yet.
#[tracing::instrument(skip_all)]
pub async fn years_missing_swaps(
    db: &impl ConnectionTrait,
    today: NaiveDate,
) -> Result<Vec<i32>, AppError> {
    let entered = swap_years(db).await?;
    let mut years = vec![today.year()];
    if today.month() >= 10 {
        years.push(today.year() + 1);
    }
    Ok(years.into_iter().filter(|y| !entered.contains(y)).collect())
}

fn check_year(year: i32) -> Result<(), AppError> {
    if (2000..=2100).contains(&year) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "year",
            Problem::NumberOutOfRange {
                min: 2000,
                max: 2100,
            },
        ))
    }
}

/// Adds a day off or a swap's working day (`kind`), or changes the day when
/// it is in the calendar already. A working day marks its year's swaps as
/// entered.
#[tracing::instrument(skip_all)]
pub async fn add(
    db: &impl ConnectionTrait,
    actor: &Actor,
    day: &str,
    name: &str,
    kind: &str,
) -> Result<NaiveDate, AppError> {
    let mut violations = Vec::new();
    let kind = HolidayKind::parse(kind);
    if kind.is_none() {
        violations.push(crate::model::Violation::new("kind", Problem::InvalidValue));
    }
    let parsed = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        violations.push(crate::model::Violation::new("day", Problem::InvalidValue));
    }
    let name = name.trim();
    if name.is_empty() {
        violations.push(crate::model::Violation::new("name", Problem::Required));
    } else if name.chars().count() > NAME_MAX {
        violations.push(crate::model::Violation::new(
            "name",
            Problem::TooLong { max: NAME_MAX },
        ));
    }
    let (day, kind) = match (parsed, kind) {
        (Some(day), Some(kind)) if violations.is_empty() => (day, kind),
        _ => return Err(AppError::Invalid(violations)),
    };
    upsert(db, day, name, kind).await?;
    if kind == HolidayKind::Workday {
        mark_swap_years(db, [day.year()]).await?;
    }
    audit::record(
        db,
        actor,
        "holiday.add",
        "holiday",
        Some(day.to_string()),
        None::<&()>,
        Some(&serde_json::json!({"name": name, "kind": kind})),
    )
    .await?;
    Ok(day)
}

#[tracing::instrument(skip_all)]
pub async fn upsert(
    db: &impl ConnectionTrait,
    day: NaiveDate,
    name: &str,
    kind: HolidayKind,
) -> Result<(), AppError> {
    holiday::Entity::insert(holiday::ActiveModel {
        day: Set(day),
        name: Set(name.to_owned()),
        kind: Set(kind),
    })
    .on_conflict(
        OnConflict::column(holiday::Column::Day)
            .update_columns([holiday::Column::Name, holiday::Column::Kind])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn remove(db: &impl ConnectionTrait, actor: &Actor, day: &str) -> Result<(), AppError> {
    let day = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("day", Problem::InvalidValue))?;
    let found = holiday::Entity::find_by_id(day)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("holiday"))?;
    holiday::Entity::delete_by_id(day).exec(db).await?;
    audit::record(
        db,
        actor,
        "holiday.remove",
        "holiday",
        Some(day.to_string()),
        Some(&found.name),
        None::<&()>,
    )
    .await?;
    Ok(())
}

/// Puts the public holidays of `year` (see [`crate::public_holidays`]) in
/// the calendar; days already there keep their name (an admin may have
/// entered them). Returns how many days were added.
#[tracing::instrument(skip_all)]
pub async fn add_public(
    db: &impl ConnectionTrait,
    actor: &Actor,
    year: i32,
) -> Result<u64, AppError> {
    check_year(year)?;
    let mut added = 0;
    for holiday in crate::public_holidays::of_year(year) {
        if holiday::Entity::find_by_id(holiday.day)
            .one(db)
            .await?
            .is_none()
        {
            upsert(db, holiday.day, &holiday.name_vi, HolidayKind::DayOff).await?;
            added += 1;
        }
    }
    audit::record(
        db,
        actor,
        "holiday.add_public",
        "holiday",
        Some(year.to_string()),
        None::<&()>,
        Some(&serde_json::json!({ "added": added })),
    )
    .await?;
    Ok(added)
}

/// The calendar as iCalendar: one all-day event per day (DTEND the next
/// day), working days with CATEGORIES:WORKDAY.
#[tracing::instrument(skip_all)]
pub async fn export_ics(db: &impl ConnectionTrait) -> Result<String, AppError> {
    use icalendar::{Calendar as Ics, Component, Event, EventLike};
    let mut calendar = Ics::new();
    calendar.name("Hài Lòng");
    for day in all(db).await? {
        let category = if day.kind == HolidayKind::Workday {
            "WORKDAY"
        } else {
            "DAY-OFF"
        };
        calendar.push(
            Event::new()
                .uid(&format!(
                    "{}-{}@hailong",
                    day.day.format("%Y%m%d"),
                    day.kind
                ))
                .summary(&day.name)
                .starts(day.day)
                .ends(day.day + chrono::Days::new(1))
                .add_multi_property("CATEGORIES", category)
                .done(),
        );
    }
    Ok(calendar.done().to_string())
}

/// Reads an iCalendar file: every all-day event (each day of a several-day
/// one), a working day when its CATEGORIES hold WORKDAY. All or nothing: an
/// event without a date or name is refused naming it. The years it covers
/// count as having their swaps entered. Returns how many days were stored.
#[tracing::instrument(skip_all)]
pub async fn import_ics(
    db: &impl ConnectionTrait,
    actor: &Actor,
    text: &str,
) -> Result<usize, AppError> {
    let days = read_ics(text)?;
    for (day, name, kind) in &days {
        upsert(db, *day, name, *kind).await?;
    }
    mark_swap_years(db, days.iter().map(|(day, _, _)| day.year())).await?;
    audit::record(
        db,
        actor,
        "holiday.import",
        "holiday",
        None,
        None::<&()>,
        Some(&serde_json::json!({ "days": days.len() })),
    )
    .await?;
    Ok(days.len())
}

/// The days of an iCalendar text: (day, name, kind), or the reason it is refused.
pub fn read_ics(text: &str) -> Result<Vec<(NaiveDate, String, HolidayKind)>, AppError> {
    use icalendar::{Calendar as Ics, Component, DatePerhapsTime};
    let refused = |message: String| AppError::invalid("file", Problem::Malformed(message));
    let calendar: Ics = text
        .parse()
        .map_err(|e| refused(format!("not an iCalendar file: {e}")))?;
    let mut days = Vec::new();
    for (n, event) in calendar.events().enumerate() {
        let name = event.get_summary().unwrap_or_default().trim().to_owned();
        let label = if name.is_empty() {
            format!("event {}", n + 1)
        } else {
            name.clone()
        };
        let Some(DatePerhapsTime::Date(start)) = event.get_start() else {
            return Err(refused(format!("{label}: not an all-day event")));
        };
        if name.is_empty() || name.chars().count() > NAME_MAX {
            return Err(refused(format!(
                "{label}: needs a name of 1–{NAME_MAX} characters"
            )));
        }
        let end = match event.get_end() {
            Some(DatePerhapsTime::Date(end)) if end > start => end,
            _ => start + chrono::Days::new(1),
        };
        if (end - start).num_days() > 31 {
            return Err(refused(format!("{label}: longer than a month")));
        }
        // CATEGORIES may appear several times, each a comma-separated list.
        let workday = event
            .multi_properties()
            .get("CATEGORIES")
            .into_iter()
            .flatten()
            .chain(event.properties().get("CATEGORIES"))
            .any(|p| p.value().to_uppercase().contains("WORKDAY"));
        let kind = if workday {
            HolidayKind::Workday
        } else {
            HolidayKind::DayOff
        };
        for day in start.iter_days().take_while(|d| *d < end) {
            days.push((day, name.clone(), kind));
        }
    }
    Ok(days)
}
