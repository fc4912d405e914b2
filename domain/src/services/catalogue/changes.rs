//! Changing the catalogue: one entry from a form or the API, or a whole
//! file (CSV or XLSX with the columns of [`COLUMNS`]). Every change goes
//! through [`plan`], a pure function that checks the incoming entries
//! against the stored catalogue and says what would change; [`apply`]
//! stores all of it in one transaction, or nothing when any row has a
//! problem. Entries are never deleted and codes never change: retiring keeps
//! the history of past responses, and renaming leaves published results as
//! they were approved.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::ActiveValue::{NotSet, Unchanged};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use crate::AppError;
use crate::entities::{department, procedure};
use crate::i18n::Lang;
use crate::model::{
    CatalogueChange, CatalogueChangeKind, CatalogueEntry, CatalogueKind, CataloguePlan, Problem,
    RowProblem, Violation,
};
use crate::services::audit::{self, Actor};
use crate::tables::read_table_apart;

/// The columns of a catalogue file, in the order exports write them.
pub const COLUMNS: [&str; 7] = [
    "kind",
    "code",
    "name_vi",
    "name_en",
    "field",
    "department",
    "active",
];
/// Columns a file must have; the others default (English name empty, active).
const REQUIRED_COLUMNS: [&str; 3] = ["kind", "code", "name_vi"];
pub const CODE_MAX: usize = 40;
pub const NAME_MAX: usize = 200;

/// Codes are printed on forms and typed in files: ASCII letters, digits,
/// dots, hyphens and underscores (the national catalogue's codes are
/// dotted, such as `1.001234.000.00.00.H12`).
pub fn code_is_valid(code: &str) -> bool {
    (1..=CODE_MAX).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The stored catalogue, departments first, each kind by code.
#[tracing::instrument(skip_all)]
pub async fn entries(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<CatalogueEntry>, AppError> {
    let departments = department::Entity::find().all(db).await?;
    let procedures = procedure::Entity::find().all(db).await?;
    let code_of: BTreeMap<i32, &str> = departments
        .iter()
        .map(|d| (d.id, d.code.as_str()))
        .collect();
    let mut out: Vec<CatalogueEntry> = departments
        .iter()
        .map(|d| CatalogueEntry {
            kind: CatalogueKind::Department.code().to_owned(),
            code: d.code.clone(),
            name_vi: d.name_vi.clone(),
            name_en: d.name_en.clone(),
            field: String::new(),
            department: String::new(),
            active: d.active,
        })
        .collect();
    out.extend(procedures.iter().map(|p| {
        CatalogueEntry {
            kind: CatalogueKind::Procedure.code().to_owned(),
            code: p.code.clone(),
            name_vi: p.name_vi.clone(),
            name_en: p.name_en.clone(),
            field: p.field.clone(),
            department: code_of
                .get(&p.department_id)
                .copied()
                .unwrap_or_default()
                .to_owned(),
            active: p.active,
        }
    }));
    out.sort_by(|a, b| (&a.kind, &a.code).cmp(&(&b.kind, &b.code)));
    Ok(out)
}

/// What storing `incoming` (each with its line) over `stored` would change,
/// and every problem found. Pure: the same inputs give the same plan.
pub fn plan(
    stored: &[CatalogueEntry],
    incoming: &[(usize, CatalogueEntry)],
    lang: Lang,
) -> (Vec<CatalogueChange>, Vec<RowProblem>) {
    let t = lang.texts();
    let mut problems = Vec::new();
    let mut problem = |line: usize, field: &str, message: String| {
        problems.push(RowProblem {
            line,
            field: field.to_owned(),
            message,
        })
    };
    let key = |e: &CatalogueEntry| (e.kind.clone(), e.code.clone());
    let before: BTreeMap<_, &CatalogueEntry> = stored.iter().map(|e| (key(e), e)).collect();
    // The catalogue as it would be, to check departments against it.
    let mut after: BTreeMap<_, CatalogueEntry> =
        stored.iter().map(|e| (key(e), e.clone())).collect();
    let mut first_line: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (line, entry) in incoming {
        let line = *line;
        let kind = CatalogueKind::parse(&entry.kind);
        if kind.is_none() {
            problem(line, "kind", t.err_catalogue_kind.to_owned());
        }
        if !code_is_valid(&entry.code) {
            problem(line, "code", t.err_catalogue_code.to_owned());
        }
        if entry.name_vi.is_empty() {
            problem(
                line,
                "name_vi",
                Violation::new("name_vi", Problem::Required).message(lang),
            );
        }
        for (field, value) in [
            ("name_vi", &entry.name_vi),
            ("name_en", &entry.name_en),
            ("field", &entry.field),
        ] {
            if value.chars().count() > NAME_MAX {
                problem(line, field, lang.too_long(NAME_MAX));
            }
        }
        if let Some(earlier) = first_line.get(&key(entry)) {
            problem(line, "code", lang.repeated_on_line(*earlier));
        } else {
            first_line.insert(key(entry), line);
        }
        if kind.is_some() {
            after.insert(key(entry), entry.clone());
        }
    }
    // Departments as they would be: procedures need an active one.
    let department_active = |code: &str| {
        after
            .get(&(CatalogueKind::Department.code().to_owned(), code.to_owned()))
            .map(|d| d.active)
    };
    for (line, entry) in incoming {
        match CatalogueKind::parse(&entry.kind) {
            Some(CatalogueKind::Procedure) => match department_active(&entry.department) {
                None => problem(
                    *line,
                    "department",
                    t.err_procedure_needs_department.to_owned(),
                ),
                Some(false) if entry.active => problem(
                    *line,
                    "department",
                    t.err_procedure_department_retired.to_owned(),
                ),
                _ => {}
            },
            Some(CatalogueKind::Department) if !entry.active => {
                let keeps_procedures = after.values().any(|p| {
                    p.kind == CatalogueKind::Procedure.code()
                        && p.department == entry.code
                        && p.active
                });
                if keeps_procedures {
                    problem(*line, "active", t.err_department_has_procedures.to_owned());
                }
            }
            _ => {}
        }
    }
    let mut changes = Vec::new();
    for (_, entry) in incoming {
        let Some(kind) = CatalogueKind::parse(&entry.kind) else {
            continue;
        };
        let change = |change, before: Option<&str>| CatalogueChange {
            kind,
            code: entry.code.clone(),
            change,
            before: before.map(str::to_owned),
            name: entry.name_vi.clone(),
        };
        match before.get(&key(entry)) {
            None => changes.push(change(CatalogueChangeKind::Added, None)),
            Some(old) => {
                let renamed = old.name_vi != entry.name_vi
                    || old.name_en != entry.name_en
                    || old.field != entry.field
                    || old.department != entry.department;
                if renamed {
                    changes.push(change(CatalogueChangeKind::Renamed, Some(&old.name_vi)));
                }
                if old.active && !entry.active {
                    changes.push(change(CatalogueChangeKind::Retired, None));
                }
                if !old.active && entry.active {
                    changes.push(change(CatalogueChangeKind::Reactivated, None));
                }
            }
        }
    }
    problems.sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
    (changes, problems)
}

/// Checks `incoming` and, unless `dry_run` or a problem was found, stores
/// every change in one transaction with one audit entry naming `source`.
#[tracing::instrument(skip_all)]
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    source: &str,
    incoming: Vec<(usize, CatalogueEntry)>,
    dry_run: bool,
    lang: Lang,
) -> Result<CataloguePlan, AppError> {
    let incoming: Vec<_> = incoming
        .into_iter()
        .map(|(line, entry)| (line, tidy(entry)))
        .collect();
    let txn = db.begin().await?;
    let stored = entries(&txn).await?;
    let (changes, problems) = plan(&stored, &incoming, lang);
    if dry_run || !problems.is_empty() || changes.is_empty() {
        return Ok(CataloguePlan {
            changes,
            problems,
            applied: false,
        });
    }
    let changed: Vec<&CatalogueEntry> = incoming
        .iter()
        .map(|(_, e)| e)
        .filter(|e| {
            changes
                .iter()
                .any(|c| c.code == e.code && c.kind.code() == e.kind)
        })
        .collect();
    // Departments first: a procedure may name one added by the same file.
    for entry in changed
        .iter()
        .filter(|e| e.kind == CatalogueKind::Department.code())
    {
        store_department(&txn, entry).await?;
    }
    for entry in changed
        .iter()
        .filter(|e| e.kind == CatalogueKind::Procedure.code())
    {
        store_procedure(&txn, entry).await?;
    }
    audit::record(
        &txn,
        actor,
        "catalogue.change",
        "catalogue",
        Some(source.to_owned()),
        None::<&()>,
        Some(&changes),
    )
    .await?;
    txn.commit().await?;
    Ok(CataloguePlan {
        changes,
        problems,
        applied: true,
    })
}

/// Reads a catalogue file and applies it (see [`apply`]). A file that cannot
/// be read, or lacks a required column, is one problem on line 1.
#[tracing::instrument(skip_all)]
pub async fn import_file(
    db: &DatabaseConnection,
    actor: &Actor,
    file_name: &str,
    bytes: Vec<u8>,
    dry_run: bool,
    lang: Lang,
) -> Result<CataloguePlan, AppError> {
    let file_problem = |message: String| CataloguePlan {
        problems: vec![RowProblem {
            line: 1,
            field: "file".to_owned(),
            message,
        }],
        ..Default::default()
    };
    let table = match read_table_apart(file_name.to_owned(), bytes).await {
        Ok(table) => table,
        Err(refused) => return Ok(file_problem(refused.message(lang))),
    };
    if let Some(missing) = REQUIRED_COLUMNS.iter().find(|c| table.column(c).is_none()) {
        return Ok(file_problem(lang.missing_column(missing)));
    }
    let column = |name: &str| table.column(name);
    let mut incoming = Vec::new();
    let mut unreadable = Vec::new();
    for (line, row) in &table.rows {
        let cell = |name: &str| table.cell(row, column(name)).to_owned();
        let active = match parse_active(&cell("active")) {
            Some(active) => active,
            None => {
                unreadable.push(RowProblem {
                    line: *line,
                    field: "active".to_owned(),
                    message: lang.texts().err_catalogue_active.to_owned(),
                });
                true
            }
        };
        incoming.push((
            *line,
            CatalogueEntry {
                kind: cell("kind").to_lowercase(),
                code: cell("code"),
                name_vi: cell("name_vi"),
                name_en: cell("name_en"),
                field: cell("field"),
                department: cell("department"),
                active,
            },
        ));
    }
    let dry_run = dry_run || !unreadable.is_empty();
    let mut outcome = apply(db, actor, file_name, incoming, dry_run, lang).await?;
    if !unreadable.is_empty() {
        outcome.problems.extend(unreadable);
        outcome
            .problems
            .sort_by(|a, b| (a.line, &a.field).cmp(&(b.line, &b.field)));
    }
    Ok(outcome)
}

/// The catalogue as a CSV file in the format [`import_file`] reads (UTF-8
/// with a byte-order mark, so that spreadsheets show Vietnamese right).
#[tracing::instrument(skip_all)]
pub async fn export_csv(db: &DatabaseConnection) -> Result<Vec<u8>, AppError> {
    let mut out = crate::tables::csv_writer("\u{feff}".as_bytes().to_vec());
    let failed = |e: csv::Error| AppError::Internal(format!("writing the catalogue: {e}"));
    out.write_record(COLUMNS).map_err(failed)?;
    for e in entries(db).await? {
        let active = if e.active { "1" } else { "0" };
        out.write_record([
            e.kind.as_str(),
            &crate::tables::neutralise_formula(&e.code),
            &crate::tables::neutralise_formula(&e.name_vi),
            &crate::tables::neutralise_formula(&e.name_en),
            &crate::tables::neutralise_formula(&e.field),
            &crate::tables::neutralise_formula(&e.department),
            active,
        ])
        .map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| AppError::Internal(format!("writing the catalogue: {e}")))
}

/// `1`, `0`, yes/no in either language; empty means in use.
fn parse_active(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "1" | "true" | "yes" | "có" | "x" => Some(true),
        "0" | "false" | "no" | "không" => Some(false),
        _ => None,
    }
}

/// Trimmed text; departments have no field or department.
fn tidy(entry: CatalogueEntry) -> CatalogueEntry {
    let is_department = entry.kind.trim() == CatalogueKind::Department.code();
    CatalogueEntry {
        kind: entry.kind.trim().to_lowercase(),
        code: entry.code.trim().to_owned(),
        name_vi: entry.name_vi.trim().to_owned(),
        name_en: entry.name_en.trim().to_owned(),
        field: if is_department {
            String::new()
        } else {
            entry.field.trim().to_owned()
        },
        department: if is_department {
            String::new()
        } else {
            entry.department.trim().to_owned()
        },
        active: entry.active,
    }
}

/// Adds the department, or changes the one with its code (`save` updates
/// when the id is known, inserts otherwise).
async fn store_department(
    db: &impl sea_orm::ConnectionTrait,
    entry: &CatalogueEntry,
) -> Result<(), AppError> {
    let found = super::department_by_code(db, &entry.code).await?;
    department::ActiveModel {
        id: found.as_ref().map_or(NotSet, |d| Unchanged(d.id)),
        code: Set(entry.code.clone()),
        name_vi: Set(entry.name_vi.clone()),
        name_en: Set(entry.name_en.clone()),
        active: Set(entry.active),
        created_at: if found.is_some() {
            NotSet
        } else {
            Set(Utc::now())
        },
    }
    .save(db)
    .await?;
    Ok(())
}

/// Adds the procedure, or changes the one with its code.
async fn store_procedure(
    db: &impl sea_orm::ConnectionTrait,
    entry: &CatalogueEntry,
) -> Result<(), AppError> {
    let department_id = super::department_by_code(db, &entry.department)
        .await?
        .ok_or(AppError::NotFound("department"))?
        .id;
    let found = super::procedure_by_code(db, &entry.code).await?;
    procedure::ActiveModel {
        id: found.as_ref().map_or(NotSet, |p| Unchanged(p.id)),
        code: Set(entry.code.clone()),
        name_vi: Set(entry.name_vi.clone()),
        name_en: Set(entry.name_en.clone()),
        field: Set(entry.field.clone()),
        department_id: Set(department_id),
        active: Set(entry.active),
        created_at: if found.is_some() {
            NotSet
        } else {
            Set(Utc::now())
        },
    }
    .save(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, code: &str, name: &str, department: &str, active: bool) -> CatalogueEntry {
        CatalogueEntry {
            kind: kind.to_owned(),
            code: code.to_owned(),
            name_vi: name.to_owned(),
            name_en: String::new(),
            field: String::new(),
            department: department.to_owned(),
            active,
        }
    }

    #[test]
    fn a_plan_names_what_changes() {
        let stored = vec![
            entry("department", "QLDN", "Phòng Quản lý doanh nghiệp", "", true),
            entry("procedure", "1.001", "Cấp giấy phép", "QLDN", true),
            entry("procedure", "1.002", "Gia hạn", "QLDN", true),
        ];
        let incoming = vec![
            (
                2,
                entry("department", "QLDT", "Phòng Quản lý đầu tư", "", true),
            ),
            (
                3,
                entry("procedure", "1.001", "Cấp giấy phép lao động", "QLDN", true),
            ),
            (4, entry("procedure", "1.002", "Gia hạn", "QLDN", false)),
            (
                5,
                entry("procedure", "2.001", "Đăng ký đầu tư", "QLDT", true),
            ),
            // Unchanged: no change listed.
            (
                6,
                entry("department", "QLDN", "Phòng Quản lý doanh nghiệp", "", true),
            ),
        ];
        let (changes, problems) = plan(&stored, &incoming, Lang::Vi);
        assert!(problems.is_empty(), "{problems:?}");
        let summary: Vec<_> = changes
            .iter()
            .map(|c| (c.code.as_str(), c.change, c.before.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("QLDT", CatalogueChangeKind::Added, None),
                ("1.001", CatalogueChangeKind::Renamed, Some("Cấp giấy phép")),
                ("1.002", CatalogueChangeKind::Retired, None),
                ("2.001", CatalogueChangeKind::Added, None),
            ]
        );
    }

    #[test]
    fn problems_name_their_line() {
        let stored = vec![
            entry("department", "QLDN", "Phòng Quản lý doanh nghiệp", "", true),
            entry("procedure", "1.001", "Cấp giấy phép", "QLDN", true),
        ];
        let incoming = vec![
            (
                2,
                entry("department", "QLDT", "Phòng Quản lý đầu tư", "", true),
            ),
            (3, entry("department", "QLDT", "Trùng mã", "", true)),
            (4, entry("procedure", "2.001", "Thủ tục", "KHONGCO", true)),
            (5, entry("phong", "X", "Sai loại", "", true)),
            (6, entry("procedure", "mã có dấu", "", "QLDN", true)),
            // Retiring a department whose procedure stays in use.
            (
                7,
                entry(
                    "department",
                    "QLDN",
                    "Phòng Quản lý doanh nghiệp",
                    "",
                    false,
                ),
            ),
        ];
        let (_, problems) = plan(&stored, &incoming, Lang::En);
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (3, "code"),
                (4, "department"),
                (5, "kind"),
                (6, "code"),
                // QLDN retires on line 7: the procedure would have none in use.
                (6, "department"),
                (6, "name_vi"),
                (7, "active"),
            ]
        );
        assert!(problems[0].message.contains("line 2"), "{:?}", problems[0]);
    }

    #[test]
    fn a_procedure_may_move_to_a_department_of_the_same_file_and_both_retire_together() {
        let stored = vec![
            entry("department", "QLDN", "Phòng Quản lý doanh nghiệp", "", true),
            entry("procedure", "1.001", "Cấp giấy phép", "QLDN", true),
        ];
        let incoming = vec![
            (
                2,
                entry(
                    "department",
                    "QLDN",
                    "Phòng Quản lý doanh nghiệp",
                    "",
                    false,
                ),
            ),
            (
                3,
                entry("procedure", "1.001", "Cấp giấy phép", "QLDN", false),
            ),
        ];
        let (changes, problems) = plan(&stored, &incoming, Lang::Vi);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(changes.len(), 2);
        let incoming = vec![
            (2, entry("department", "DAUTU", "Phòng Đầu tư", "", true)),
            (
                3,
                entry("procedure", "1.001", "Cấp giấy phép", "DAUTU", true),
            ),
        ];
        let (changes, problems) = plan(&stored, &incoming, Lang::Vi);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(changes[1].change, CatalogueChangeKind::Renamed);
    }

    #[test]
    fn codes_are_plain() {
        assert!(code_is_valid("1.001234.000.00.00.H12"));
        assert!(code_is_valid("QLDN"));
        assert!(!code_is_valid(""));
        assert!(!code_is_valid("Phòng"));
        assert!(!code_is_valid("A B"));
        assert!(!code_is_valid(&"A".repeat(41)));
    }
}
