//! Work alerts by e-mail (docs/operations.md, "Work alerts"): the staff of a
//! department hear when an item is assigned to it; whoever must act on an
//! item hears on the working day before its step's deadline and once the
//! deadline has passed; leaders get a weekly digest. Alerts go to the
//! address each account gave on its own page (`/account`); an account
//! without one gets none. Every alert has a key (what it is about, for
//! whom) that the outbox keeps unique, so the scans, which each server runs
//! once a minute, queue an alert once however often or wherever they run.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

use crate::AppError;
use crate::entities::{department, feedback_item, outbox_message, user, user_department};
use crate::messages::{DigestDepartment, DigestRound, LeadersDigest, WorkAlert};
use crate::model::{FeedbackStatus, MessageKind, Role};
use crate::services::{holidays, indices, outbox, rounds, settings};
use crate::working_days::{add_working_days, is_working_day, vietnam, vietnam_date};

/// Alerts of a day, and the digest, go from this hour on (Vietnam time).
pub const ALERT_HOUR: u32 = 7;

/// What one scan queued.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queued {
    pub due_soon: u64,
    pub overdue: u64,
    pub digests: u64,
}

/// Accounts that may receive alerts (active, with an address), and the
/// departments of each.
struct Addressees {
    users: Vec<user::Model>,
    departments: BTreeMap<i32, BTreeSet<i32>>,
}

impl Addressees {
    async fn load(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        let users = user::Entity::find()
            .filter(user::Column::Active.eq(true))
            .filter(user::Column::AlertEmail.is_not_null())
            .all(db)
            .await?;
        let ids: Vec<i32> = users.iter().map(|u| u.id).collect();
        let mut departments: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
        if !ids.is_empty() {
            for link in user_department::Entity::find()
                .filter(user_department::Column::UserId.is_in(ids))
                .all(db)
                .await?
            {
                departments
                    .entry(link.user_id)
                    .or_default()
                    .insert(link.department_id);
            }
        }
        Ok(Self { users, departments })
    }

    /// The staff of `department_id`.
    fn staff_of(&self, department_id: i32) -> Vec<&user::Model> {
        self.users
            .iter()
            .filter(|u| u.role == Role::Staff)
            .filter(|u| {
                self.departments
                    .get(&u.id)
                    .is_some_and(|d| d.contains(&department_id))
            })
            .collect()
    }

    /// Who must act on `item` now: leaders while it waits for review or
    /// publication, else the staff of its department, else those who
    /// route items without a department.
    fn responsible_for(&self, item: &feedback_item::Model) -> Vec<&user::Model> {
        match (item.status, item.department_id) {
            (FeedbackStatus::Answered | FeedbackStatus::Reviewed, _) => self.of_role(Role::Leader),
            (_, Some(department_id)) => self.staff_of(department_id),
            (_, None) => self.users.iter().filter(|u| u.can_triage).collect(),
        }
    }

    fn of_role(&self, role: Role) -> Vec<&user::Model> {
        self.users.iter().filter(|u| u.role == role).collect()
    }
}

/// The ISO week of `day`, as "2026-W49".
pub fn iso_week(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// Which alert an open item's deadline `due_on` calls for `today`: due on
/// the next working day (said on working days only), or past.
pub fn alert_for(
    due_on: NaiveDate,
    today: NaiveDate,
    next_working_day: NaiveDate,
    today_is_working: bool,
) -> Option<MessageKind> {
    if due_on < today {
        Some(MessageKind::WorkOverdue)
    } else if today_is_working && due_on == next_working_day && due_on > today {
        Some(MessageKind::WorkDueSoon)
    } else {
        None
    }
}

async fn alert_of(
    db: &impl ConnectionTrait,
    item: &feedback_item::Model,
) -> Result<WorkAlert, AppError> {
    let department = match item.department_id {
        Some(id) => department::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|d| d.name_vi),
        None => None,
    };
    Ok(WorkAlert {
        item_id: item.id,
        tracking_code: item.tracking_code.clone(),
        department,
        due_on: item.due_on,
    })
}

fn key(kind: MessageKind, item: &feedback_item::Model, user_id: i32) -> String {
    let due = item.due_on.map_or_else(String::new, |d| d.to_string());
    format!("{kind}:{}:{due}:{user_id}", item.id)
}

/// Queues the alert that `item` was just assigned to its department, to
/// that department's staff, inside the assignment's transaction (which has
/// written first).
pub async fn queue_assigned(
    txn: &impl ConnectionTrait,
    item: &feedback_item::Model,
) -> Result<(), AppError> {
    let Some(department_id) = item.department_id else {
        return Ok(());
    };
    let addressees = Addressees::load(txn).await?;
    let staff = addressees.staff_of(department_id);
    if staff.is_empty() {
        return Ok(());
    }
    let alert = alert_of(txn, item).await?;
    let kind = MessageKind::WorkAssigned;
    for user in staff {
        let email = user.alert_email.as_deref().unwrap_or_default();
        outbox::enqueue_alert(
            txn,
            kind,
            email,
            &alert,
            Some(item.id),
            &key(kind, item, user.id),
        )
        .await?;
    }
    Ok(())
}

/// The scan every server runs once a minute: from [`ALERT_HOUR`] on, the
/// alerts of items due on the next working day or overdue, and once a week
/// the leaders' digest.
#[tracing::instrument(skip_all)]
pub async fn queue_due(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Queued, AppError> {
    let local = now.with_timezone(&vietnam());
    if local.hour() < ALERT_HOUR {
        return Ok(Queued::default());
    }
    let addressees = Addressees::load(db).await?;
    if addressees.users.is_empty() {
        return Ok(Queued::default());
    }
    let today = vietnam_date(now);
    let calendar = holidays::calendar_from(db, today).await?;
    let next_working_day = add_working_days(today, 1, &calendar);
    let today_is_working = is_working_day(today, &calendar);
    let items = feedback_item::Entity::find()
        .filter(feedback_item::Column::DueOn.lte(next_working_day))
        .filter(
            feedback_item::Column::Status
                .is_not_in([FeedbackStatus::Published, FeedbackStatus::Closed]),
        )
        .all(db)
        .await?;
    // Alerts queued by an earlier scan are not tried again: once the day's
    // alerts are out, a scan only reads.
    let queued_before = existing_keys(db, &items).await?;
    let mut queued = Queued::default();
    for item in &items {
        let Some(due_on) = item.due_on else { continue };
        let Some(kind) = alert_for(due_on, today, next_working_day, today_is_working) else {
            continue;
        };
        let responsible = addressees.responsible_for(item);
        if responsible.is_empty() {
            continue;
        }
        if responsible
            .iter()
            .all(|user| queued_before.contains(&key(kind, item, user.id)))
        {
            continue;
        }
        let alert = alert_of(db, item).await?;
        for user in responsible {
            let email = user.alert_email.as_deref().unwrap_or_default();
            let key = key(kind, item, user.id);
            if queued_before.contains(&key) {
                continue;
            }
            if outbox::enqueue_alert(db, kind, email, &alert, Some(item.id), &key).await? {
                match kind {
                    MessageKind::WorkOverdue => queued.overdue += 1,
                    _ => queued.due_soon += 1,
                }
            }
        }
    }
    queued.digests = queue_digest(db, &addressees, now, today).await?;
    Ok(queued)
}

/// The alert keys already in the outbox for `items`.
async fn existing_keys(
    db: &impl ConnectionTrait,
    items: &[feedback_item::Model],
) -> Result<HashSet<String>, AppError> {
    let ids: Vec<i32> = items.iter().map(|i| i.id).collect();
    let mut keys = HashSet::new();
    for chunk in ids.chunks(500) {
        let found: Vec<Option<String>> = outbox_message::Entity::find()
            .select_only()
            .column(outbox_message::Column::AlertKey)
            .filter(outbox_message::Column::FeedbackId.is_in(chunk.to_vec()))
            .filter(outbox_message::Column::AlertKey.is_not_null())
            .into_tuple()
            .all(db)
            .await?;
        keys.extend(found.into_iter().flatten());
    }
    Ok(keys)
}

/// The leaders' digest of `today`'s ISO week, to each leader who has not
/// had it yet (normally on Monday morning).
async fn queue_digest(
    db: &DatabaseConnection,
    addressees: &Addressees,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<u64, AppError> {
    let leaders = addressees.of_role(Role::Leader);
    let week = iso_week(today);
    let keys: Vec<(i32, String)> = leaders
        .iter()
        .map(|u| {
            (
                u.id,
                format!("{}:{week}:{}", MessageKind::LeadersDigest, u.id),
            )
        })
        .collect();
    if keys.is_empty() {
        return Ok(0);
    }
    let sent = outbox_message::Entity::find()
        .filter(outbox_message::Column::AlertKey.is_in(keys.iter().map(|(_, k)| k.clone())))
        .all(db)
        .await?
        .len();
    if sent == keys.len() {
        return Ok(0);
    }
    let digest = digest(db, now, today, week).await?;
    let mut queued = 0;
    for (user, (_, key)) in leaders.iter().zip(&keys) {
        let email = user.alert_email.as_deref().unwrap_or_default();
        if outbox::enqueue_alert(db, MessageKind::LeadersDigest, email, &digest, None, key).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The digest's figures: each open round's responses and index so far, and
/// the open and overdue items of each department.
pub async fn digest(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    today: NaiveDate,
    week: String,
) -> Result<LeadersDigest, AppError> {
    let mut open_rounds = Vec::new();
    for round in rounds::list_open(db, now).await? {
        let report = indices::report(db, &round, &indices::Filter::default()).await?;
        open_rounds.push(DigestRound {
            slug: round.slug.clone(),
            title: round.title_vi.clone(),
            responses: report.n_responses,
            overall: report.overall,
        });
    }
    let open: Vec<(Option<i32>, Option<NaiveDate>)> = feedback_item::Entity::find()
        .select_only()
        .column(feedback_item::Column::DepartmentId)
        .column(feedback_item::Column::DueOn)
        .filter(
            feedback_item::Column::Status
                .is_not_in([FeedbackStatus::Published, FeedbackStatus::Closed]),
        )
        .into_tuple()
        .all(db)
        .await?;
    let names: BTreeMap<i32, String> = department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name_vi))
        .collect();
    Ok(LeadersDigest {
        week,
        agency: settings::agency_name(db).await?,
        rounds: open_rounds,
        departments: by_department(&open, &names, today),
    })
}

/// Open and overdue items by department, by name (those without one last).
pub fn by_department(
    open: &[(Option<i32>, Option<NaiveDate>)],
    names: &BTreeMap<i32, String>,
    today: NaiveDate,
) -> Vec<DigestDepartment> {
    let mut counts: BTreeMap<Option<i32>, (u64, u64)> = BTreeMap::new();
    for (department, due_on) in open {
        let entry = counts.entry(*department).or_default();
        entry.0 += 1;
        if due_on.is_some_and(|d| d < today) {
            entry.1 += 1;
        }
    }
    let mut rows: Vec<DigestDepartment> = counts
        .into_iter()
        .map(|(department, (open, overdue))| DigestDepartment {
            name: department.and_then(|id| names.get(&id).cloned()),
            open,
            overdue,
        })
        .collect();
    rows.sort_by(|a, b| match (&a.name, &b.name) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn an_item_is_announced_the_working_day_before_and_once_past() {
        // Friday 4 December: the next working day is Monday 7.
        let (friday, monday) = (day(4), day(7));
        assert_eq!(
            alert_for(monday, friday, monday, true),
            Some(MessageKind::WorkDueSoon)
        );
        assert_eq!(alert_for(friday, friday, monday, true), None, "due today");
        assert_eq!(
            alert_for(day(3), friday, monday, true),
            Some(MessageKind::WorkOverdue)
        );
        // Saturday says nothing of Monday; Friday did.
        assert_eq!(alert_for(monday, day(5), monday, false), None);
    }

    #[test]
    fn the_digest_counts_open_and_overdue_items_by_department() {
        let names = BTreeMap::from([(1, "Phòng B".to_owned()), (2, "Phòng A".to_owned())]);
        let today = day(7);
        let open = [
            (Some(1), Some(day(4))),
            (Some(1), Some(day(8))),
            (Some(2), None),
            (None, Some(day(1))),
        ];
        let rows = by_department(&open, &names, today);
        let summary: Vec<(Option<&str>, u64, u64)> = rows
            .iter()
            .map(|r| (r.name.as_deref(), r.open, r.overdue))
            .collect();
        assert_eq!(
            summary,
            [
                (Some("Phòng A"), 1, 0),
                (Some("Phòng B"), 2, 1),
                (None, 1, 1)
            ]
        );
        assert_eq!(iso_week(day(7)), "2026-W50");
    }
}
