//! Invitation lists: imported from CSV or XLSX (name, tax code, email, phone,
//! department, procedure), each invitee with a one-use code and a personal
//! link. A code answers once: the database keeps one response per invitation.

pub mod mailing;

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::AppError;
use crate::auth::Principal;
use crate::entities::{department, invitation, procedure, response, round};
use crate::i18n::Lang;
use crate::model::{InvitationRow, RowProblem};
use crate::public_codes::{SECRET_GROUPS, normalise, random_code};
use crate::services::audit::{self, Actor};
use crate::tables::{Table, read_table_apart};

/// The columns of an invitation list; only `name` is required.
pub const COLUMNS: [&str; 6] = [
    "name",
    "tax_code",
    "email",
    "phone",
    "department",
    "procedure",
];

/// Vietnamese tax codes: 10 digits, or 10 digits, a hyphen and 3 digits for a branch.
pub fn tax_code_is_valid(code: &str) -> bool {
    let (main, branch) = code.split_once('-').unwrap_or((code, ""));
    main.len() == 10
        && main.chars().all(|c| c.is_ascii_digit())
        && (branch.is_empty() || (branch.len() == 3 && branch.chars().all(|c| c.is_ascii_digit())))
}

/// A plausible address: something@domain.tld without spaces.
pub fn email_is_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.contains(char::is_whitespace)
}

/// A Vietnamese phone number: 0 or +84 followed by 9–10 digits (spaces and dots allowed).
pub fn phone_is_valid(phone: &str) -> bool {
    let digits: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-'))
        .collect();
    let rest = digits
        .strip_prefix("+84")
        .or_else(|| digits.strip_prefix('0'));
    rest.is_some_and(|r| (9..=10).contains(&r.len()) && r.chars().all(|c| c.is_ascii_digit()))
}

#[derive(Clone, Debug)]
struct NewInvitation {
    name: String,
    tax_code: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    department_id: Option<i32>,
    procedure_id: Option<i32>,
}

/// The outcome of an import: how many were stored, or every problem found (then none is).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub stored: usize,
    pub problems: Vec<RowProblem>,
}

/// Checks every row; stores all of them only when all are valid.
#[tracing::instrument(skip_all)]
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    round: &round::Model,
    file_name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportOutcome, AppError> {
    let t = lang.texts();
    let table = match read_table_apart(file_name.to_owned(), bytes.to_vec()).await {
        Ok(table) => table,
        Err(refused) => {
            return Ok(ImportOutcome {
                stored: 0,
                problems: vec![RowProblem {
                    line: 1,
                    field: "file".to_owned(),
                    message: refused.message(lang),
                }],
            });
        }
    };
    let (valid, problems) = check_rows(db, &table, lang).await?;
    if table.column("name").is_none() {
        return Ok(ImportOutcome {
            stored: 0,
            problems: vec![RowProblem {
                line: 1,
                field: "name".to_owned(),
                message: t.err_missing_column.to_owned(),
            }],
        });
    }
    if !problems.is_empty() || valid.is_empty() {
        let problems = if valid.is_empty() && problems.is_empty() {
            vec![RowProblem {
                line: 1,
                field: "file".to_owned(),
                message: t.err_no_rows.to_owned(),
            }]
        } else {
            problems
        };
        return Ok(ImportOutcome {
            stored: 0,
            problems,
        });
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    for row in &valid {
        invitation::ActiveModel {
            round_id: Set(round.id),
            code: Set(random_code("MOI", SECRET_GROUPS)),
            name: Set(row.name.clone()),
            tax_code: Set(row.tax_code.clone()),
            email: Set(row.email.clone()),
            phone: Set(row.phone.clone()),
            department_id: Set(row.department_id),
            procedure_id: Set(row.procedure_id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let summary = serde_json::json!({"file": file_name, "invitations": valid.len()});
    audit::record(
        &txn,
        actor,
        "invitations.import",
        "round",
        Some(round.slug.clone()),
        None::<&()>,
        Some(&summary),
    )
    .await?;
    txn.commit().await?;
    Ok(ImportOutcome {
        stored: valid.len(),
        problems: Vec::new(),
    })
}

async fn check_rows(
    db: &DatabaseConnection,
    table: &Table,
    lang: Lang,
) -> Result<(Vec<NewInvitation>, Vec<RowProblem>), AppError> {
    let t = lang.texts();
    let departments: HashMap<String, i32> = department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code.to_uppercase(), d.id))
        .collect();
    let procedures: HashMap<String, (i32, i32)> = procedure::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.code.to_uppercase(), (p.id, p.department_id)))
        .collect();
    let [name, tax, email, phone, dep, proc] = COLUMNS.map(|c| table.column(c));
    let mut valid = Vec::new();
    let mut problems = Vec::new();
    for (line, cells) in &table.rows {
        let problem = |field: &str, message: &str| RowProblem {
            line: *line,
            field: field.to_owned(),
            message: message.to_owned(),
        };
        let before = problems.len();
        let name_value = table.cell(cells, name);
        if name_value.is_empty() {
            problems.push(problem("name", t.err_required));
        }
        let optional = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        let tax_value = optional(table.cell(cells, tax));
        if tax_value.as_deref().is_some_and(|v| !tax_code_is_valid(v)) {
            problems.push(problem("tax_code", t.err_tax_code));
        }
        let email_value = optional(table.cell(cells, email));
        if email_value.as_deref().is_some_and(|v| !email_is_valid(v)) {
            problems.push(problem("email", t.err_email));
        }
        let phone_value = optional(table.cell(cells, phone));
        if phone_value.as_deref().is_some_and(|v| !phone_is_valid(v)) {
            problems.push(problem("phone", t.err_phone));
        }
        let department_id = match optional(table.cell(cells, dep)) {
            None => None,
            Some(code) => match departments.get(&code.to_uppercase()) {
                Some(id) => Some(*id),
                None => {
                    problems.push(problem("department", t.err_unknown_department));
                    None
                }
            },
        };
        let procedure_id = match optional(table.cell(cells, proc)) {
            None => None,
            Some(code) => match procedures.get(&code.to_uppercase()) {
                Some((id, owner)) if department_id.is_none_or(|d| d == *owner) => {
                    Some((*id, *owner))
                }
                Some(_) => {
                    problems.push(problem("procedure", t.err_procedure_department));
                    None
                }
                None => {
                    problems.push(problem("procedure", t.err_unknown_procedure));
                    None
                }
            },
        };
        if problems.len() == before {
            valid.push(NewInvitation {
                name: name_value.to_owned(),
                tax_code: tax_value,
                email: email_value,
                phone: phone_value,
                department_id: department_id.or(procedure_id.map(|(_, owner)| owner)),
                procedure_id: procedure_id.map(|(id, _)| id),
            });
        }
    }
    Ok((valid, problems))
}

/// The invitation with this code in this round.
#[tracing::instrument(skip_all)]
pub async fn find(
    db: &impl sea_orm::ConnectionTrait,
    round_id: i32,
    code: &str,
) -> Result<Option<invitation::Model>, AppError> {
    Ok(invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(round_id))
        .filter(invitation::Column::Code.eq(normalise(code)))
        .one(db)
        .await?)
}

/// The invitations of `round` that `principal` may see (staff: their
/// departments', and unassigned ones with the triage permission), each
/// with its contact only where the reader may see it (a leader sees who
/// answered, not how to reach them). A list read with contacts is recorded
/// in the audit log with `purpose`: why it was read ("page", "download"…).
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    principal: &Principal,
    ip: &str,
    round: &round::Model,
    purpose: &str,
) -> Result<Vec<InvitationRow>, AppError> {
    let invitations: Vec<invitation::Model> = invitation::Entity::find()
        .filter(invitation::Column::RoundId.eq(round.id))
        .order_by_asc(invitation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|i| principal.sees_item_of(i.department_id))
        .collect();
    let with_contacts = invitations
        .iter()
        .filter(|i| principal.sees_contacts_of(i.department_id))
        .count();
    if with_contacts > 0 {
        audit::record(
            db,
            &Actor::of(principal, ip),
            "invitation.contact.read",
            "round",
            Some(round.slug.clone()),
            None::<&()>,
            Some(&serde_json::json!({ "invitations": with_contacts, "why": purpose })),
        )
        .await?;
    }
    let used: std::collections::HashSet<i32> = response::Entity::find()
        .filter(response::Column::RoundId.eq(round.id))
        .filter(response::Column::InvitationId.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| r.invitation_id)
        .collect();
    let departments: HashMap<i32, String> = department::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.code))
        .collect();
    let procedures: HashMap<i32, String> = procedure::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    Ok(invitations
        .into_iter()
        .map(|i| {
            let row = InvitationRow {
                link: format!("/s/{}?code={}", round.slug, i.code),
                used: used.contains(&i.id),
                department: i.department_id.and_then(|id| departments.get(&id).cloned()),
                procedure: i.procedure_id.and_then(|id| procedures.get(&id).cloned()),
                code: i.code,
                name: i.name,
                tax_code: i.tax_code,
                email: i.email,
                phone: i.phone,
                contact_hidden: false,
            };
            if principal.sees_contacts_of(i.department_id) {
                row
            } else {
                without_contact(row)
            }
        })
        .collect())
}

fn without_contact(row: InvitationRow) -> InvitationRow {
    InvitationRow {
        code: String::new(),
        name: String::new(),
        tax_code: None,
        email: None,
        phone: None,
        link: String::new(),
        contact_hidden: true,
        ..row
    }
}

/// The list as CSV with each invitee's code and full personal link, for
/// mail merge; rows whose contact the reader may not see are left out.
pub fn to_csv(rows: &[InvitationRow], base_url: &str) -> Result<String, AppError> {
    let mut writer = crate::tables::csv_writer(Vec::new());
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    writer
        .write_record([
            "code",
            "name",
            "tax_code",
            "email",
            "phone",
            "department",
            "procedure",
            "link",
            "used",
        ])
        .map_err(internal)?;
    for row in rows.iter().filter(|r| !r.contact_hidden) {
        let link = format!("{base_url}{}", row.link);
        writer
            .write_record([
                row.code.as_str(),
                &crate::tables::neutralise_formula(&row.name),
                row.tax_code.as_deref().unwrap_or(""),
                &crate::tables::neutralise_formula(row.email.as_deref().unwrap_or("")),
                &crate::tables::neutralise_formula(row.phone.as_deref().unwrap_or("")),
                row.department.as_deref().unwrap_or(""),
                row.procedure.as_deref().unwrap_or(""),
                &link,
                if row.used { "yes" } else { "no" },
            ])
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_checked_the_vietnamese_way() {
        assert!(tax_code_is_valid("0101234567"));
        assert!(tax_code_is_valid("0101234567-001"));
        assert!(!tax_code_is_valid("010123456"));
        assert!(!tax_code_is_valid("0101234567-1"));
        assert!(email_is_valid("ketoan@congty.vn"));
        assert!(!email_is_valid("ketoan@congty"));
        assert!(!email_is_valid("ke toan@congty.vn"));
        assert!(phone_is_valid("0912 345 678"));
        assert!(phone_is_valid("+84912345678"));
        assert!(phone_is_valid("0236.3822.123"));
        assert!(!phone_is_valid("12345"));
    }
}
