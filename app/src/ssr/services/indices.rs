//! The indices of a round, read from the tallies (never from raw answers)
//! and computed by the pure functions of `index_engine`.

use std::collections::HashMap;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Select};

use crate::index_engine::{self, FORMULA_VERSION, LevelCounts};
use crate::model::{CriterionIndex, ElementIndex, ElementKind, IndicesReport};
use crate::ssr::AppError;
use crate::ssr::entities::{response_tally, round, tally};
use crate::ssr::services::instruments::{self, LoadedInstrument};

/// Restricts the figures to part of a round's responses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub department_id: Option<i32>,
    pub procedure_id: Option<i32>,
    pub respondent_type: Option<String>,
    pub channel: Option<String>,
}

pub async fn report(
    db: &DatabaseConnection,
    round: &round::Model,
    filter: &Filter,
) -> Result<IndicesReport, AppError> {
    let instrument = instruments::load(db, round.instrument_id).await?;
    let counts = level_counts(db, round.id, filter).await?;
    let n_responses = response_count(db, round.id, filter).await?;
    Ok(build_report(&round.slug, &instrument, &counts, n_responses))
}

/// Answers per criterion and level, summed over the tallies that match `filter`.
pub async fn level_counts(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &Filter,
) -> Result<HashMap<i32, LevelCounts>, AppError> {
    let query = tally::Entity::find()
        .select_only()
        .column(tally::Column::CriterionId)
        .column(tally::Column::Level)
        .column_as(Expr::cust("CAST(SUM(tallies.count) AS BIGINT)"), "total")
        .filter(tally::Column::RoundId.eq(round_id))
        .group_by(tally::Column::CriterionId)
        .group_by(tally::Column::Level);
    let rows: Vec<(i32, i16, i64)> = apply_tally_filter(query, filter)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<i32, LevelCounts> = HashMap::new();
    for (criterion_id, level, total) in rows {
        let level = u8::try_from(level).ok().filter(|l| *l > 0);
        counts
            .entry(criterion_id)
            .or_default()
            .add(level, u64::try_from(total).unwrap_or(0));
    }
    Ok(counts)
}

fn apply_tally_filter(mut query: Select<tally::Entity>, filter: &Filter) -> Select<tally::Entity> {
    if let Some(id) = filter.department_id {
        query = query.filter(tally::Column::DepartmentId.eq(id));
    }
    if let Some(id) = filter.procedure_id {
        query = query.filter(tally::Column::ProcedureId.eq(id));
    }
    if let Some(code) = &filter.respondent_type {
        query = query.filter(tally::Column::RespondentType.eq(code.as_str()));
    }
    if let Some(code) = &filter.channel {
        query = query.filter(tally::Column::Channel.eq(code.as_str()));
    }
    query
}

/// Responses counted in the round (after `filter`).
pub async fn response_count(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &Filter,
) -> Result<u64, AppError> {
    let mut query = response_tally::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(response_tallies.count), 0) AS BIGINT)"),
            "total",
        )
        .filter(response_tally::Column::RoundId.eq(round_id));
    if let Some(id) = filter.department_id {
        query = query.filter(response_tally::Column::DepartmentId.eq(id));
    }
    if let Some(id) = filter.procedure_id {
        query = query.filter(response_tally::Column::ProcedureId.eq(id));
    }
    if let Some(code) = &filter.respondent_type {
        query = query.filter(response_tally::Column::RespondentType.eq(code.as_str()));
    }
    if let Some(code) = &filter.channel {
        query = query.filter(response_tally::Column::Channel.eq(code.as_str()));
    }
    let total: Option<i64> = query.into_tuple().one(db).await?;
    Ok(total.and_then(|t| u64::try_from(t).ok()).unwrap_or(0))
}

/// Assembles the report of methodology.md §4 from counts (no I/O).
pub fn build_report(
    round_slug: &str,
    instrument: &LoadedInstrument,
    counts: &HashMap<i32, LevelCounts>,
    n_responses: u64,
) -> IndicesReport {
    let figures_of =
        |element_code: &str, criterion: &instruments::LoadedCriterion| CriterionIndex {
            code: criterion.code.clone(),
            element: element_code.to_owned(),
            text_vi: criterion.text_vi.clone(),
            text_en: criterion.text_en.clone(),
            figures: index_engine::criterion_figures(
                &counts.get(&criterion.id).copied().unwrap_or_default(),
            ),
        };

    let mut elements = Vec::new();
    let mut criteria = Vec::new();
    let mut overall_satisfaction = None;
    for element in &instrument.elements {
        match element.kind {
            ElementKind::Index => {
                let element_criteria: Vec<CriterionIndex> = element
                    .criteria
                    .iter()
                    .map(|c| figures_of(&element.code, c))
                    .collect();
                let figures: Vec<_> = element_criteria.iter().map(|c| c.figures.clone()).collect();
                elements.push(ElementIndex {
                    code: element.code.clone(),
                    title_vi: element.title_vi.clone(),
                    title_en: element.title_en.clone(),
                    index: index_engine::element_index(&figures),
                });
                criteria.extend(element_criteria);
            }
            ElementKind::Overall => {
                overall_satisfaction = element
                    .criteria
                    .first()
                    .map(|c| figures_of(&element.code, c));
            }
            ElementKind::Perception | ElementKind::Expectation => {}
        }
    }
    let element_indices: Vec<Option<f64>> = elements.iter().map(|e| e.index).collect();
    IndicesReport {
        round: round_slug.to_owned(),
        formula_version: FORMULA_VERSION.to_owned(),
        n_responses,
        overall: index_engine::overall_index(&element_indices),
        elements,
        criteria,
        overall_satisfaction,
    }
}
