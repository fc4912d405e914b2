//! Figures weighted by population (post-stratification; docs/methodology.md,
//! "Analysis beyond the index"): the population counts staff enter for a
//! round, per respondent type or per department, and the weighted indices
//! read from the breakdown tallies of that dimension (a few hundred rows
//! however large the round). The official index stays unweighted.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

use crate::AppError;
use crate::analysis::{self, ANALYSIS_VERSION, Stratum};
use crate::entities::{department, response_tally, round, round_population};
use crate::i18n::Lang;
use crate::index_engine::{self, LevelCounts};
use crate::model::{
    ElementKind, Problem, RespondentType, StratumDimension, StratumPopulation, Violation,
    WeightedCriterion, WeightedElement, WeightedIndices,
};
use crate::services::audit::{self, Actor};
use crate::services::indices;
use crate::services::instruments::LoadedInstrument;

/// Largest population accepted for one stratum.
pub const POPULATION_MAX: u32 = 100_000_000;

/// The strata `dimension` offers: (code, label), in the order forms show them.
pub async fn strata_of(
    db: &DatabaseConnection,
    dimension: StratumDimension,
    lang: Lang,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(match dimension {
        StratumDimension::RespondentType => RespondentType::ALL
            .iter()
            .map(|t| (t.code().to_owned(), lang.respondent_type(*t).to_owned()))
            .collect(),
        StratumDimension::Department => crate::services::catalogue::active_departments(db)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), lang.pick(&d.name_vi, &d.name_en).to_owned()))
            .collect(),
    })
}

/// The round's population counts: their dimension and (code, population).
pub async fn populations(
    db: &impl ConnectionTrait,
    round_id: i32,
) -> Result<Option<(StratumDimension, Vec<(String, u64)>)>, AppError> {
    let rows = round_population::Entity::find()
        .filter(round_population::Column::RoundId.eq(round_id))
        .all(db)
        .await?;
    let Some(dimension) = rows.first().map(|r| r.dimension) else {
        return Ok(None);
    };
    Ok(Some((
        dimension,
        rows.into_iter()
            .filter(|r| r.dimension == dimension)
            .map(|r| (r.value, u64::try_from(r.population).unwrap_or(0)))
            .collect(),
    )))
}

/// Replaces the round's population counts by `counts` (code → the number
/// as typed) of `dimension`; blank fields are left out, and an empty form
/// removes the weighting. Each field that is not a whole number from 0 to
/// [`POPULATION_MAX`], or an unknown code, is named; nothing is stored then.
#[tracing::instrument(skip_all)]
pub async fn save(
    db: &DatabaseConnection,
    actor: &Actor,
    round: &round::Model,
    dimension: StratumDimension,
    counts: &BTreeMap<String, String>,
) -> Result<(), AppError> {
    let known: Vec<String> = strata_of(db, dimension, Lang::Vi)
        .await?
        .into_iter()
        .map(|(code, _)| code)
        .collect();
    let mut violations = Vec::new();
    let mut parsed = Vec::new();
    for (code, typed) in counts {
        let field = format!("populations[{code}]");
        let typed = typed.trim().replace(['.', ' '], "");
        if typed.is_empty() {
            continue;
        }
        if !known.contains(code) {
            violations.push(Violation::new(&field, Problem::InvalidValue));
            continue;
        }
        match typed.parse::<u64>() {
            Ok(n) if n <= u64::from(POPULATION_MAX) => parsed.push((code.clone(), n)),
            _ => violations.push(Violation::new(
                &field,
                Problem::NumberOutOfRange {
                    min: 0,
                    max: POPULATION_MAX,
                },
            )),
        }
    }
    if violations.is_empty() && !parsed.is_empty() && parsed.iter().all(|(_, n)| *n == 0) {
        violations.push(Violation::new("populations", Problem::Required));
    }
    if !violations.is_empty() {
        return Err(AppError::Invalid(violations));
    }
    let before = populations(db, round.id).await?;
    let txn = db.begin().await?;
    round_population::Entity::delete_many()
        .filter(round_population::Column::RoundId.eq(round.id))
        .exec(&txn)
        .await?;
    if !parsed.is_empty() {
        round_population::Entity::insert_many(parsed.iter().map(|(code, n)| {
            round_population::ActiveModel {
                round_id: Set(round.id),
                dimension: Set(dimension),
                value: Set(code.clone()),
                population: Set(*n as i64),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let after = (!parsed.is_empty()).then_some((dimension, parsed));
    audit::record(
        &txn,
        actor,
        "round.populations",
        "round",
        Some(round.slug.clone()),
        Some(&before),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The round's weighted indices, or `None` when no population counts are
/// entered. Strata with a population but no valid answer to a criterion
/// are left out of that criterion's figure.
#[tracing::instrument(skip_all)]
pub async fn weighted(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    lang: Lang,
) -> Result<Option<WeightedIndices>, AppError> {
    let Some((dimension, counts)) = populations(db, round.id).await? else {
        return Ok(None);
    };
    // The breakdown tallies key departments by id, respondent types by code.
    let departments: HashMap<String, department::Model> = match dimension {
        StratumDimension::Department => department::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), d))
            .collect(),
        StratumDimension::RespondentType => HashMap::new(),
    };
    let key_of = |code: &str| match dimension {
        StratumDimension::RespondentType => Some(code.to_owned()),
        StratumDimension::Department => departments.get(code).map(|d| d.id.to_string()),
    };
    let tallies = indices::breakdown_counts(db, round.id, dimension.code()).await?;
    let responses = responses_by_stratum(db, round.id, dimension).await?;
    let labels: HashMap<String, String> =
        strata_of(db, dimension, lang).await?.into_iter().collect();
    let strata: Vec<StratumPopulation> = counts
        .iter()
        .map(|(code, population)| StratumPopulation {
            code: code.clone(),
            label: labels.get(code).cloned().unwrap_or_else(|| code.clone()),
            population: *population,
            responses: key_of(code)
                .and_then(|key| responses.get(&key).copied())
                .unwrap_or(0),
        })
        .collect();
    let empty = HashMap::new();
    let counts_in = |code: &str| -> &HashMap<i32, LevelCounts> {
        key_of(code)
            .and_then(|key| tallies.get(&key))
            .unwrap_or(&empty)
    };
    let mut criteria = Vec::new();
    let mut elements = Vec::new();
    for element in instrument
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Index)
    {
        let mut indices_of_element = Vec::new();
        for criterion in &element.criteria {
            let per_stratum: Vec<Stratum> = counts
                .iter()
                .map(|(code, population)| {
                    let level_counts = counts_in(code)
                        .get(&criterion.id)
                        .copied()
                        .unwrap_or_default();
                    Stratum {
                        population: *population,
                        satisfied: level_counts.satisfied(),
                        valid: level_counts.valid(),
                    }
                })
                .collect();
            let figure = analysis::post_stratified(&per_stratum);
            indices_of_element.push(figure.map(|f| f.index));
            criteria.push(WeightedCriterion {
                code: criterion.code.clone(),
                element: element.code.clone(),
                index: figure.map(|f| f.index),
                effective_n: figure.map(|f| f.effective_n),
                ci_low: figure.map(|f| f.interval.0),
                ci_high: figure.map(|f| f.interval.1),
            });
        }
        elements.push(WeightedElement {
            code: element.code.clone(),
            index: index_engine::mean_of_present(indices_of_element),
        });
    }
    let overall =
        index_engine::overall_index(&elements.iter().map(|e| e.index).collect::<Vec<_>>());
    Ok(Some(WeightedIndices {
        analysis_version: ANALYSIS_VERSION.to_owned(),
        dimension,
        strata,
        overall,
        elements,
        criteria,
    }))
}

/// The round's counted responses per stratum key (respondent type code, or
/// department id as text), from the response tallies.
async fn responses_by_stratum(
    db: &DatabaseConnection,
    round_id: i32,
    dimension: StratumDimension,
) -> Result<HashMap<String, u64>, AppError> {
    let key = match dimension {
        StratumDimension::RespondentType => "respondent_type",
        StratumDimension::Department => "CAST(department_id AS TEXT)",
    };
    let rows: Vec<(String, i64)> = response_tally::Entity::find()
        .select_only()
        .column_as(Expr::cust(key), "key")
        .column_as(
            Expr::cust("CAST(SUM(response_tallies.count) AS BIGINT)"),
            "total",
        )
        .filter(response_tally::Column::RoundId.eq(round_id))
        .group_by(Expr::cust(key))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(key, total)| (key, u64::try_from(total).unwrap_or(0)))
        .collect())
}
