//! Departments and the catalogue of administrative procedures: what forms
//! offer, and (in [`changes`]) how admins change it.

pub mod changes;

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::AppError;
use crate::entities::{department, procedure};
use crate::i18n::Lang;
use crate::model::{Choice, ProcedureChoice};

#[tracing::instrument(skip_all)]
pub async fn active_departments(
    db: &DatabaseConnection,
) -> Result<Vec<department::Model>, AppError> {
    Ok(department::Entity::find()
        .filter(department::Column::Active.eq(true))
        .order_by_asc(department::Column::Id)
        .all(db)
        .await?)
}

#[tracing::instrument(skip_all)]
pub async fn active_procedures(db: &DatabaseConnection) -> Result<Vec<procedure::Model>, AppError> {
    Ok(procedure::Entity::find()
        .filter(procedure::Column::Active.eq(true))
        .order_by_asc(procedure::Column::Code)
        .all(db)
        .await?)
}

#[tracing::instrument(skip_all)]
pub async fn department_by_code(
    db: &impl sea_orm::ConnectionTrait,
    code: &str,
) -> Result<Option<department::Model>, AppError> {
    Ok(department::Entity::find()
        .filter(department::Column::Code.eq(code))
        .one(db)
        .await?)
}

#[tracing::instrument(skip_all)]
pub async fn procedure_by_code(
    db: &impl sea_orm::ConnectionTrait,
    code: &str,
) -> Result<Option<procedure::Model>, AppError> {
    Ok(procedure::Entity::find()
        .filter(procedure::Column::Code.eq(code))
        .one(db)
        .await?)
}

/// Inserts the department, or renames it when the code exists.
#[tracing::instrument(skip_all)]
pub async fn upsert_department(
    db: &DatabaseConnection,
    code: &str,
    name_vi: &str,
    name_en: &str,
) -> Result<department::Model, AppError> {
    department::Entity::insert(department::ActiveModel {
        code: Set(code.to_owned()),
        name_vi: Set(name_vi.to_owned()),
        name_en: Set(name_en.to_owned()),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(department::Column::Code)
            .update_columns([department::Column::NameVi, department::Column::NameEn])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    department_by_code(db, code)
        .await?
        .ok_or(AppError::NotFound("department"))
}

/// Inserts the procedure, or updates its names and department when the code exists.
#[tracing::instrument(skip_all)]
pub async fn upsert_procedure(
    db: &DatabaseConnection,
    code: &str,
    name_vi: &str,
    name_en: &str,
    department_id: i32,
) -> Result<procedure::Model, AppError> {
    procedure::Entity::insert(procedure::ActiveModel {
        code: Set(code.to_owned()),
        name_vi: Set(name_vi.to_owned()),
        name_en: Set(name_en.to_owned()),
        department_id: Set(department_id),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(procedure::Column::Code)
            .update_columns([
                procedure::Column::NameVi,
                procedure::Column::NameEn,
                procedure::Column::DepartmentId,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    procedure_by_code(db, code)
        .await?
        .ok_or(AppError::NotFound("procedure"))
}

/// Departments and procedures as choices of the survey form.
#[tracing::instrument(skip_all)]
pub async fn choices(
    db: &DatabaseConnection,
    lang: Lang,
) -> Result<(Vec<Choice>, Vec<ProcedureChoice>), AppError> {
    Ok(choices_of(
        active_departments(db).await?,
        active_procedures(db).await?,
        lang,
    ))
}

/// The choices of a round's form: the active departments of its scope and
/// their procedures.
#[tracing::instrument(skip_all)]
pub async fn round_choices(
    db: &DatabaseConnection,
    scope: &crate::services::rounds::RoundScope,
    lang: Lang,
) -> Result<(Vec<Choice>, Vec<ProcedureChoice>), AppError> {
    let departments = active_departments(db)
        .await?
        .into_iter()
        .filter(|d| scope.admits_department(d.id))
        .collect();
    Ok(choices_of(departments, active_procedures(db).await?, lang))
}

/// Procedures whose department is not among `departments` are left out.
fn choices_of(
    departments: Vec<department::Model>,
    procedures: Vec<procedure::Model>,
    lang: Lang,
) -> (Vec<Choice>, Vec<ProcedureChoice>) {
    let department_choices = departments
        .iter()
        .map(|d| Choice {
            code: d.code.clone(),
            label: lang.pick(&d.name_vi, &d.name_en).to_owned(),
        })
        .collect();
    let procedure_choices = procedures
        .iter()
        .filter_map(|p| {
            let department = departments.iter().find(|d| d.id == p.department_id)?;
            Some(ProcedureChoice {
                code: p.code.clone(),
                label: format!("{} — {}", p.code, lang.pick(&p.name_vi, &p.name_en)),
                department_code: department.code.clone(),
            })
        })
        .collect();
    (department_choices, procedure_choices)
}
