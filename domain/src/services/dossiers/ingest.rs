//! Dossiers in: a batch from `POST /api/v1/dossiers` or a file from
//! `hailong dossiers import`. Every entry is checked against the catalogue
//! and against what is stored under its code; one problem anywhere stores
//! nothing, and the problems name their entries. A dossier sent again
//! exactly so changes nothing (the one-stop software may retry); sent again
//! with its completion, it completes; sent again with other data after
//! completion, it is refused. Completed dossiers enter the tallies and get
//! their rating link in the same transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Timelike, Utc};
use sea_orm::ActiveValue::{NotSet, Unchanged};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Set, TransactionTrait,
};

use super::tallies::{self, Key};
use super::{BATCH_MAX, code_is_valid, rating_key, rating_url};
use crate::AppError;
use crate::entities::{department, dossier, dossier_contact, procedure};
use crate::i18n::Lang;
use crate::messages::DossierRatingNotice;
use crate::model::MessageChannel;
use crate::model::{
    DossierBatch, DossierOutcome, DossierReceipt, DossierResult, IncomingDossier, Problem,
    RowProblem, SubmissionMethod, Violation,
};
use crate::secrets::sha256_hex;
use crate::services::audit::{self, Actor};
use crate::services::imports::parse_submitted_at;
use crate::services::invitations::{email_is_valid, phone_is_valid};
use crate::services::outbox;
use crate::working_days::vietnam_date;

/// The columns of a dossier file (the names of [`IncomingDossier`]).
pub const COLUMNS: [&str; 10] = [
    "code",
    "procedure",
    "department",
    "channel",
    "received_at",
    "due_at",
    "completed_at",
    "result",
    "phone",
    "email",
];
const REQUIRED_COLUMNS: [&str; 4] = ["code", "procedure", "channel", "received_at"];
/// Clocks of the one-stop software may run a little ahead of ours.
const CLOCK_SLACK: Duration = Duration::minutes(10);
/// Codes looked up per query.
const LOOKUP_CHUNK: usize = 500;

/// A checked entry.
#[derive(Clone, Debug)]
struct Checked {
    line: usize,
    dossier: dossier::Model,
    phone: Option<String>,
    email: Option<String>,
}

/// A dossier completed now whose person left a contact: what its
/// rating-link notice needs.
struct ToNotify {
    code: String,
    /// Its id when it was stored before this batch.
    stored_id: Option<i32>,
    rating_key: String,
    procedure_id: i32,
    completed_at: DateTime<Utc>,
    /// E-mail when the dossier has an address, else a text message.
    channel: MessageChannel,
    recipient: String,
}

/// The catalogue by code: procedures with their department, departments;
/// and the procedures' Vietnamese names by id, for the rating-link notices.
struct Catalogue {
    procedures: HashMap<String, (i32, i32)>,
    departments: HashMap<String, i32>,
    procedure_names: HashMap<i32, String>,
}

impl Catalogue {
    async fn load(db: &impl sea_orm::ConnectionTrait) -> Result<Self, AppError> {
        let procedures = procedure::Entity::find().all(db).await?;
        Ok(Self {
            procedure_names: procedures
                .iter()
                .map(|p| (p.id, p.name_vi.clone()))
                .collect(),
            procedures: procedures
                .into_iter()
                .map(|p| (p.code, (p.id, p.department_id)))
                .collect(),
            departments: department::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|d| (d.code, d.id))
                .collect(),
        })
    }
}

/// Reads a channel as its code or as the words of the one-stop software.
pub fn parse_channel(text: &str) -> Option<SubmissionMethod> {
    let text = text.trim().to_lowercase();
    SubmissionMethod::parse(&text).or(match text.as_str() {
        "counter" | "truc tiep" | "trực tiếp" => Some(SubmissionMethod::InPerson),
        "online" | "truc tuyen" | "trực tuyến" => Some(SubmissionMethod::Online),
        "post" | "postal" | "buu chinh" | "bưu chính" => Some(SubmissionMethod::Postal),
        _ => None,
    })
}

/// A time as the one-stop software writes it, to the second.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    parse_submitted_at(text.trim()).and_then(|at| at.with_nanosecond(0))
}

fn optional(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Checks one entry against the catalogue and the clock; the problems name its fields.
fn check(
    line: usize,
    entry: &IncomingDossier,
    catalogue: &Catalogue,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<Checked, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, problem: Problem| {
        problems.push(RowProblem {
            line,
            field: field.to_owned(),
            message: Violation::new(field, problem).message(lang),
        });
    };
    let code = entry.code.trim();
    if code.is_empty() {
        problem("code", Problem::Required);
    } else if !code_is_valid(code) {
        problem("code", Problem::InvalidValue);
    }
    let procedure = catalogue.procedures.get(entry.procedure.trim()).copied();
    if entry.procedure.trim().is_empty() {
        problem("procedure", Problem::Required);
    } else if procedure.is_none() {
        problem("procedure", Problem::UnknownProcedure);
    }
    let department = match optional(&entry.department) {
        None => procedure.map(|(_, department)| department),
        Some(code) => match catalogue.departments.get(code).copied() {
            None => {
                problem("department", Problem::UnknownDepartment);
                None
            }
            Some(id) if procedure.is_some_and(|(_, own)| own != id) => {
                problem("department", Problem::ProcedureDepartmentMismatch);
                None
            }
            Some(id) => Some(id),
        },
    };
    let channel = parse_channel(&entry.channel);
    if channel.is_none() {
        problem("channel", Problem::InvalidValue);
    }
    let mut time = |field: &str, text: Option<&str>, required: bool| match text {
        None if required => {
            problem(field, Problem::Required);
            None
        }
        None => None,
        Some(text) => match parse_time(text) {
            None => {
                problem(field, Problem::UnreadableTime);
                None
            }
            Some(at) if at > now + CLOCK_SLACK && field != "due_at" => {
                problem(field, Problem::InTheFuture);
                None
            }
            Some(at) => Some(at),
        },
    };
    let received_at = time(
        "received_at",
        optional(&Some(entry.received_at.clone())),
        true,
    );
    let due_at = time("due_at", optional(&entry.due_at), false);
    let completed_at = time("completed_at", optional(&entry.completed_at), false);
    for (field, at) in [("due_at", due_at), ("completed_at", completed_at)] {
        if let (Some(at), Some(received)) = (at, received_at)
            && at < received
        {
            problem(field, Problem::BeforeReceived);
        }
    }
    let result = match optional(&entry.result) {
        None => None,
        Some(text) => {
            let result = DossierResult::parse(&text.to_lowercase());
            if result.is_none() {
                problem("result", Problem::InvalidValue);
            }
            result
        }
    };
    let phone = optional(&entry.phone).map(str::to_owned);
    if phone.as_deref().is_some_and(|p| !phone_is_valid(p)) {
        problem("phone", Problem::InvalidPhone);
    }
    let email = optional(&entry.email).map(str::to_owned);
    if email
        .as_deref()
        .is_some_and(|e| !email_is_valid(e) || e.len() > 254)
    {
        problem("email", Problem::InvalidEmail);
    }
    match (procedure, department, channel, received_at) {
        (Some((procedure_id, _)), Some(department_id), Some(channel), Some(received_at))
            if problems.is_empty() =>
        {
            Ok(Checked {
                line,
                dossier: dossier::Model {
                    id: 0,
                    code: code.to_owned(),
                    procedure_id,
                    department_id,
                    channel,
                    received_at,
                    due_at,
                    completed_at,
                    result,
                    rating_key_hash: None,
                    created_at: now,
                    updated_at: now,
                },
                phone,
                email,
            })
        }
        _ => Err(problems),
    }
}

/// What storing `incoming` over `stored` does, or the field that may not change.
fn outcome_over(
    stored: &dossier::Model,
    incoming: &dossier::Model,
) -> Result<DossierOutcome, &'static str> {
    let fixed = [
        ("procedure", stored.procedure_id == incoming.procedure_id),
        ("department", stored.department_id == incoming.department_id),
        ("channel", stored.channel == incoming.channel),
        ("received_at", stored.received_at == incoming.received_at),
    ];
    if let Some((field, _)) = fixed.iter().find(|(_, same)| !same) {
        return Err(field);
    }
    let same_due = stored.due_at == incoming.due_at;
    let same_result = stored.result == incoming.result;
    match (stored.completed_at, incoming.completed_at) {
        (Some(before), Some(now)) if before == now && same_due && same_result => {
            Ok(DossierOutcome::Unchanged)
        }
        (Some(before), Some(now)) if before != now => Err("completed_at"),
        (Some(_), None) => Err("completed_at"),
        (Some(_), Some(_)) if !same_due => Err("due_at"),
        (Some(_), Some(_)) => Err("result"),
        (None, Some(_)) => Ok(DossierOutcome::Completed),
        (None, None) if same_due && same_result => Ok(DossierOutcome::Unchanged),
        (None, None) => Ok(DossierOutcome::Updated),
    }
}

/// Checks `incoming` (each with its entry or line number) and stores all
/// of it in one transaction, or nothing when any entry has a problem.
#[tracing::instrument(skip_all, fields(dossiers = incoming.len()))]
pub async fn store(
    db: &DatabaseConnection,
    actor: &Actor,
    incoming: Vec<(usize, IncomingDossier)>,
    base_url: &str,
    lang: Lang,
) -> Result<DossierBatch, AppError> {
    let now = Utc::now().with_nanosecond(0).unwrap_or_else(Utc::now);
    // What every batch reads before it writes, read at once: the reads are
    // independent, and each goes to a pooled connection of its own.
    let (catalogue, signing_key, rating_days, agency) = futures::try_join!(
        Catalogue::load(db),
        crate::services::quality::signing_key(db),
        super::rating_days(db),
        crate::services::settings::agency_name_in(db, Lang::Vi),
    )?;
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (line, entry) in &incoming {
        match check(*line, entry, &catalogue, now, lang) {
            Ok(entry) => {
                if let Some(first) = first_line.get(&entry.dossier.code) {
                    problems.push(RowProblem {
                        line: *line,
                        field: "code".to_owned(),
                        message: lang.dossier_texts().twice_in_batch(*first),
                    });
                } else {
                    first_line.insert(entry.dossier.code.clone(), *line);
                    checked.push(entry);
                }
            }
            Err(found) => problems.extend(found),
        }
    }
    if !problems.is_empty() {
        return Ok(refused(problems));
    }
    // A completed dossier's rating key; only its hash is stored.
    let keys: Vec<Option<String>> = checked
        .iter_mut()
        .map(|entry| {
            let key = entry
                .dossier
                .completed_at
                .map(|_| rating_key(&signing_key, &entry.dossier.code));
            entry.dossier.rating_key_hash = key.as_deref().map(sha256_hex);
            key
        })
        .collect();
    let txn = db.begin().await?;
    crate::db::write_first(&txn).await?;
    // New codes are inserted at once; a code stored before is skipped by the
    // insert and looked up, to be compared with what was sent.
    let new_ids = insert_new(&txn, &checked, now).await?;
    // The stored rows are locked before they are compared (PostgreSQL), so
    // that a batch completing them at the same time waits and then finds
    // them completed; codes are taken in order, as the inserts are.
    let mut stored: HashMap<String, dossier::Model> = HashMap::new();
    let mut known: Vec<String> = checked
        .iter()
        .map(|c| &c.dossier.code)
        .filter(|code| !new_ids.contains_key(*code))
        .cloned()
        .collect();
    known.sort_unstable();
    for chunk in known.chunks(LOOKUP_CHUNK) {
        for found in dossier::Entity::find()
            .filter(dossier::Column::Code.is_in(chunk.to_vec()))
            .order_by_asc(dossier::Column::Code)
            .lock_exclusive()
            .all(&txn)
            .await?
        {
            stored.insert(found.code.clone(), found);
        }
    }
    let mut receipts = Vec::with_capacity(checked.len());
    let mut to_complete = Vec::new();
    let mut tally_changes: BTreeMap<Key, i64> = BTreeMap::new();
    let mut to_notify: Vec<ToNotify> = Vec::new();
    for (mut entry, key) in checked.into_iter().zip(keys) {
        let code = entry.dossier.code.clone();
        let outcome = match stored.get(&code) {
            None => DossierOutcome::Added,
            Some(before) => match outcome_over(before, &entry.dossier) {
                Ok(outcome) => outcome,
                Err(field) => {
                    problems.push(RowProblem {
                        line: entry.line,
                        field: field.to_owned(),
                        message: lang.dossier_texts().stored_differently.to_owned(),
                    });
                    continue;
                }
            },
        };
        let completed_now = outcome == DossierOutcome::Completed
            || (outcome == DossierOutcome::Added && entry.dossier.completed_at.is_some());
        let contact = match (&entry.email, &entry.phone) {
            (Some(email), _) => Some((MessageChannel::Email, email)),
            (None, Some(phone)) => Some((MessageChannel::Sms, phone)),
            (None, None) => None,
        };
        if completed_now
            && let (Some((channel, recipient)), Some(key), Some(completed_at)) =
                (contact, &key, entry.dossier.completed_at)
        {
            to_notify.push(ToNotify {
                code: code.clone(),
                stored_id: stored.get(&code).map(|before| before.id),
                rating_key: key.clone(),
                procedure_id: entry.dossier.procedure_id,
                completed_at,
                channel,
                recipient: recipient.clone(),
            });
        }
        match outcome {
            DossierOutcome::Added => {
                if let Some(key) = Key::of(&entry.dossier, None) {
                    *tally_changes.entry(key).or_insert(0) += 1;
                }
            }
            DossierOutcome::Completed | DossierOutcome::Updated => {
                if outcome == DossierOutcome::Completed
                    && let Some(key) = Key::of(&entry.dossier, None)
                {
                    *tally_changes.entry(key).or_insert(0) += 1;
                }
                entry.dossier.id = stored[&code].id;
                entry.dossier.created_at = stored[&code].created_at;
                to_complete.push(entry);
            }
            DossierOutcome::Unchanged => {}
        }
        receipts.push(DossierReceipt {
            code,
            outcome,
            rating_url: key.map(|key| rating_url(Some(base_url), &key)),
        });
    }
    if !problems.is_empty() {
        // Dropping the transaction undoes the inserts.
        return Ok(refused(problems));
    }
    for entry in &to_complete {
        let d = &entry.dossier;
        dossier::Entity::update(dossier::ActiveModel {
            id: Unchanged(d.id),
            due_at: Set(d.due_at),
            completed_at: Set(d.completed_at),
            result: Set(d.result),
            rating_key_hash: Set(d.rating_key_hash.clone()),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?;
        store_contact(&txn, entry.dossier.id, entry, now).await?;
    }
    tallies::add(&txn, &tally_changes).await?;
    if !to_notify.is_empty() {
        let notices = notices(
            &agency,
            &to_notify,
            &new_ids,
            &catalogue.procedure_names,
            rating_days,
        );
        outbox::enqueue_dossier_notices(&txn, &notices, Lang::Vi).await?;
    }
    let count = |outcome| receipts.iter().filter(|r| r.outcome == outcome).count();
    let summary: BTreeMap<&str, usize> = DossierOutcome::ALL
        .iter()
        .map(|o| (o.code(), count(*o)))
        .collect();
    audit::record(
        &txn,
        actor,
        "dossiers.store",
        "dossiers",
        None,
        None::<&()>,
        Some(&summary),
    )
    .await?;
    txn.commit().await?;
    Ok(DossierBatch {
        stored: true,
        dossiers: receipts,
        problems: Vec::new(),
    })
}

fn refused(mut problems: Vec<RowProblem>) -> DossierBatch {
    problems.sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
    DossierBatch {
        stored: false,
        dossiers: Vec::new(),
        problems,
    }
}

/// The rating-link notices of the dossiers completed now, each to the
/// dossier's e-mail address, else to its phone. `new_ids` holds the ids
/// of the dossiers stored now.
fn notices(
    agency: &str,
    to_notify: &[ToNotify],
    new_ids: &HashMap<String, i32>,
    procedures: &HashMap<i32, String>,
    rating_days: u32,
) -> Vec<outbox::DossierNotice> {
    let mut notices = Vec::with_capacity(to_notify.len());
    for entry in to_notify {
        let Some(dossier_id) = entry
            .stored_id
            .or_else(|| new_ids.get(&entry.code).copied())
        else {
            continue;
        };
        notices.push(outbox::DossierNotice {
            dossier_id,
            channel: entry.channel,
            recipient: entry.recipient.clone(),
            notice: DossierRatingNotice {
                agency: agency.to_owned(),
                procedure: procedures
                    .get(&entry.procedure_id)
                    .cloned()
                    .unwrap_or_default(),
                completed_on: vietnam_date(entry.completed_at),
                open_until: super::rating::open_until(entry.completed_at, rating_days),
                rating_key: entry.rating_key.clone(),
            },
        });
    }
    notices
}

/// Inserts the dossiers whose code is not stored yet, then the contacts of
/// those that have one; returns the ids of the dossiers inserted, by code.
/// An entry whose code is stored already is left for the caller to compare.
///
/// The rows go in by code: two batches of the same new codes sent at once
/// then take them in the same order, and on PostgreSQL the second waits for
/// the first instead of both waiting for each other (a deadlock).
async fn insert_new(
    txn: &impl sea_orm::ConnectionTrait,
    entries: &[Checked],
    now: DateTime<Utc>,
) -> Result<HashMap<String, i32>, AppError> {
    let mut new_ids = HashMap::with_capacity(entries.len());
    let mut by_code: Vec<&Checked> = entries.iter().collect();
    by_code.sort_unstable_by(|a, b| a.dossier.code.cmp(&b.dossier.code));
    for chunk in by_code.chunks(LOOKUP_CHUNK) {
        let rows: Vec<dossier::ActiveModel> = chunk
            .iter()
            .map(|entry| {
                let d = &entry.dossier;
                dossier::ActiveModel {
                    id: NotSet,
                    code: Set(d.code.clone()),
                    procedure_id: Set(d.procedure_id),
                    department_id: Set(d.department_id),
                    channel: Set(d.channel),
                    received_at: Set(d.received_at),
                    due_at: Set(d.due_at),
                    completed_at: Set(d.completed_at),
                    result: Set(d.result),
                    rating_key_hash: Set(d.rating_key_hash.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
            })
            .collect();
        // The ids come back from the insert itself (both backends know
        // RETURNING), by code, so the rows are not looked up again; a code
        // stored before is skipped and returns nothing. The conflict has no
        // target: a dossier's rating key is unique too, and when a batch
        // sending the same code at once commits first, PostgreSQL may find
        // the rating key taken before the code, which a conflict on the code
        // alone does not cover. The key comes from the code, so either
        // conflict means the same dossier.
        let mut insert = dossier::Entity::insert_many(rows)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .into_query();
        insert.returning(Query::returning().columns([dossier::Column::Id, dossier::Column::Code]));
        for row in txn.query_all(&insert).await? {
            new_ids.insert(
                row.try_get::<String>("", "code")?,
                row.try_get::<i32>("", "id")?,
            );
        }
        // New dossiers have no contact yet: one plain insert for the chunk.
        let contacts: Vec<dossier_contact::ActiveModel> = chunk
            .iter()
            .filter(|e| e.phone.is_some() || e.email.is_some())
            .filter_map(|entry| {
                let id = new_ids.get(&entry.dossier.code)?;
                Some(contact_row(*id, entry, now))
            })
            .collect();
        if !contacts.is_empty() {
            dossier_contact::Entity::insert_many(contacts)
                .exec_without_returning(txn)
                .await?;
        }
    }
    Ok(new_ids)
}

fn contact_row(
    dossier_id: i32,
    entry: &Checked,
    now: DateTime<Utc>,
) -> dossier_contact::ActiveModel {
    dossier_contact::ActiveModel {
        dossier_id: Set(dossier_id),
        phone: Set(entry.phone.clone()),
        email: Set(entry.email.clone()),
        created_at: Set(now),
    }
}

/// Keeps the contact of a dossier, when the entry has one.
async fn store_contact(
    txn: &impl sea_orm::ConnectionTrait,
    dossier_id: i32,
    entry: &Checked,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if entry.phone.is_none() && entry.email.is_none() {
        return Ok(());
    }
    dossier_contact::Entity::insert(contact_row(dossier_id, entry, now))
        .on_conflict(
            OnConflict::column(dossier_contact::Column::DossierId)
                .update_columns([
                    dossier_contact::Column::Phone,
                    dossier_contact::Column::Email,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    Ok(())
}

/// Reads a dossier file (CSV or XLSX with the columns of [`COLUMNS`]) and
/// stores it (see [`store`]); all rows or none. A file that cannot be read,
/// or lacks a required column, is one problem on line 1.
#[tracing::instrument(skip_all)]
pub async fn import_file(
    db: &DatabaseConnection,
    actor: &Actor,
    file_name: &str,
    bytes: Vec<u8>,
    base_url: &str,
    lang: Lang,
) -> Result<DossierBatch, AppError> {
    let file_problem = |message: String| {
        refused(vec![RowProblem {
            line: 1,
            field: "file".to_owned(),
            message,
        }])
    };
    let table = match crate::tables::read_table_apart(file_name.to_owned(), bytes).await {
        Ok(table) => table,
        Err(refused) => return Ok(file_problem(refused.message(lang))),
    };
    if let Some(missing) = REQUIRED_COLUMNS.iter().find(|c| table.column(c).is_none()) {
        return Ok(file_problem(lang.missing_column(missing)));
    }
    let incoming = table
        .rows
        .iter()
        .map(|(line, row)| {
            let cell = |name: &str| table.cell(row, table.column(name)).to_owned();
            let maybe = |name: &str| Some(cell(name)).filter(|v| !v.is_empty());
            (
                *line,
                IncomingDossier {
                    code: cell("code"),
                    procedure: cell("procedure"),
                    department: maybe("department"),
                    channel: cell("channel"),
                    received_at: cell("received_at"),
                    due_at: maybe("due_at"),
                    completed_at: maybe("completed_at"),
                    result: maybe("result"),
                    phone: maybe("phone"),
                    email: maybe("email"),
                },
            )
        })
        .collect();
    store(db, actor, incoming, base_url, lang).await
}

/// Refuses a batch over [`BATCH_MAX`] entries before reading it further.
pub fn check_batch_size(count: usize) -> Result<(), AppError> {
    if count > BATCH_MAX {
        return Err(AppError::Malformed {
            field: "dossiers".to_owned(),
            message: format!("At most {BATCH_MAX} dossiers per request; send the rest in another."),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier(completed: Option<&str>, due: Option<&str>) -> dossier::Model {
        let at = |t: &str| parse_time(t).unwrap();
        dossier::Model {
            id: 1,
            code: "HS-1".to_owned(),
            procedure_id: 1,
            department_id: 1,
            channel: SubmissionMethod::InPerson,
            received_at: at("2026-11-02 08:00"),
            due_at: due.map(at),
            completed_at: completed.map(at),
            result: None,
            rating_key_hash: None,
            created_at: at("2026-11-02 08:00"),
            updated_at: at("2026-11-02 08:00"),
        }
    }

    #[test]
    fn a_dossier_may_complete_once_and_then_not_change() {
        let open = dossier(None, Some("2026-11-10 17:00"));
        let done = dossier(Some("2026-11-09 10:00"), Some("2026-11-10 17:00"));
        assert_eq!(outcome_over(&open, &open), Ok(DossierOutcome::Unchanged));
        assert_eq!(outcome_over(&open, &done), Ok(DossierOutcome::Completed));
        assert_eq!(outcome_over(&done, &done), Ok(DossierOutcome::Unchanged));
        assert_eq!(outcome_over(&done, &open), Err("completed_at"));
        let later = dossier(Some("2026-11-11 10:00"), Some("2026-11-10 17:00"));
        assert_eq!(outcome_over(&done, &later), Err("completed_at"));
        let moved = dossier(None, Some("2026-11-12 17:00"));
        assert_eq!(outcome_over(&open, &moved), Ok(DossierOutcome::Updated));
        let mut other = done.clone();
        other.channel = SubmissionMethod::Online;
        assert_eq!(outcome_over(&done, &other), Err("channel"));
    }

    #[test]
    fn channels_are_read_in_either_wording() {
        assert_eq!(parse_channel("counter"), Some(SubmissionMethod::InPerson));
        assert_eq!(
            parse_channel(" Truc-tuyen "),
            Some(SubmissionMethod::Online)
        );
        assert_eq!(parse_channel("post"), Some(SubmissionMethod::Postal));
        assert_eq!(parse_channel("fax"), None);
    }
}
