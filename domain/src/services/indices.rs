//! The indices of a round, read from the tallies (never from raw answers)
//! and computed by the pure functions of `index_engine`: the report, its
//! breakdowns, the trend over rounds and the comparison of two rounds.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::AppError;
use crate::entities::{breakdown_tally, department, procedure, response_tally, round, tally};
use crate::i18n::Lang;
use crate::index_engine::{self, FORMULA_VERSION, LevelCounts};
use crate::model::{
    Breakdown, BreakdownRow, Comparison, CriterionChange, CriterionIndex, ElementIndex,
    ElementKind, ExpectationIndex, IndexChange, IndexFilter, IndicesReport, PerceptionShare,
    Problem, RespondentType, RoundStatus, SurveyChannel, TrendPoint, Violation,
};
use crate::services::instruments::{self, LoadedInstrument};
use crate::services::{catalogue, settings, tallies};

/// Restricts the figures to part of a round's responses, in storage terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub department_id: Option<i32>,
    pub procedure_id: Option<i32>,
    pub respondent_type: Option<String>,
    pub channel: Option<String>,
}

impl Filter {
    /// Whether the filter keeps every response of the round: then the
    /// figures come from the breakdown tallies, a few hundred rows however
    /// large the round.
    pub fn is_whole_round(&self) -> bool {
        *self == Filter::default()
    }

    /// The one dimension the filter restricts and its value as the
    /// breakdown tallies spell it, when it restricts exactly one: then the
    /// figures come from the breakdown tallies too.
    pub fn single_dimension(&self) -> Option<(&'static str, String)> {
        let restricted: Vec<(&'static str, String)> = [
            self.department_id.map(|id| ("department", id.to_string())),
            self.procedure_id.map(|id| ("procedure", id.to_string())),
            self.respondent_type.clone().map(|t| ("respondent_type", t)),
            self.channel.clone().map(|c| ("channel", c)),
        ]
        .into_iter()
        .flatten()
        .collect();
        match restricted.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// Reads a filter given by codes; unknown codes are named.
#[tracing::instrument(skip_all)]
pub async fn resolve_filter(
    db: &DatabaseConnection,
    input: &IndexFilter,
) -> Result<Filter, AppError> {
    let mut violations = Vec::new();
    let mut filter = Filter::default();
    if !input.department.is_empty() {
        match catalogue::department_by_code(db, &input.department).await? {
            Some(d) => filter.department_id = Some(d.id),
            None => violations.push(Violation::new("department", Problem::UnknownDepartment)),
        }
    }
    if !input.procedure.is_empty() {
        match catalogue::procedure_by_code(db, &input.procedure).await? {
            Some(p) => filter.procedure_id = Some(p.id),
            None => violations.push(Violation::new("procedure", Problem::UnknownProcedure)),
        }
    }
    if !input.respondent_type.is_empty() {
        match RespondentType::parse(&input.respondent_type) {
            Some(t) => filter.respondent_type = Some(t.code().to_owned()),
            None => violations.push(Violation::new("respondent_type", Problem::InvalidValue)),
        }
    }
    if !input.channel.is_empty() {
        match SurveyChannel::parse(&input.channel) {
            Some(c) => filter.channel = Some(c.code().to_owned()),
            None => violations.push(Violation::new("channel", Problem::InvalidValue)),
        }
    }
    if violations.is_empty() {
        Ok(filter)
    } else {
        Err(AppError::Invalid(violations))
    }
}

#[tracing::instrument(skip_all)]
pub async fn report(
    db: &DatabaseConnection,
    round: &round::Model,
    filter: &Filter,
) -> Result<IndicesReport, AppError> {
    let instrument = instruments::load(db, round.instrument_id).await?;
    report_on(db, round, &instrument, filter).await
}

/// [`report`] for a caller that has loaded the round's `instrument` already.
#[tracing::instrument(skip_all)]
pub async fn report_on(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    filter: &Filter,
) -> Result<IndicesReport, AppError> {
    let counts = level_counts(db, round.id, filter).await?;
    let n_responses = response_count(db, round.id, filter).await?;
    let threshold = settings::suppression_threshold(db).await?;
    let mut report = build_report(&round.slug, instrument, &counts, n_responses, threshold);
    report.n_excluded = crate::services::responses::excluded_count(db, round.id, filter).await?;
    report.n_flagged = flagged_count(db, round.id, filter).await?;
    report.flags = crate::services::quality::tallies(db, round.id).await?;
    Ok(report)
}

fn tally_filter(mut query: Select<tally::Entity>, filter: &Filter) -> Select<tally::Entity> {
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

fn response_tally_filter(
    mut query: Select<response_tally::Entity>,
    filter: &Filter,
) -> Select<response_tally::Entity> {
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
    query
}

fn add_counts(counts: &mut HashMap<i32, LevelCounts>, criterion_id: i32, level: i16, total: i64) {
    let level = u8::try_from(level).ok().filter(|l| *l > 0);
    counts
        .entry(criterion_id)
        .or_default()
        .add(level, u64::try_from(total).unwrap_or(0));
}

/// Answers per criterion and level of the round's responses that match `filter`.
#[tracing::instrument(skip_all)]
pub async fn level_counts(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &Filter,
) -> Result<HashMap<i32, LevelCounts>, AppError> {
    if filter.is_whole_round() {
        let per_value = breakdown_counts(db, round_id, "round").await?;
        Ok(per_value.into_values().next().unwrap_or_default())
    } else if let Some((dimension, value)) = filter.single_dimension() {
        let mut per_value = breakdown_counts_of(db, round_id, dimension, Some(&value)).await?;
        Ok(per_value.remove(&value).unwrap_or_default())
    } else {
        level_counts_in_tallies(db, round_id, filter).await
    }
}

/// Answers per criterion and level, summed over the full tallies that match `filter`.
#[tracing::instrument(skip_all)]
pub async fn level_counts_in_tallies(
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
    let rows: Vec<(i32, i16, i64)> = tally_filter(query, filter).into_tuple().all(db).await?;
    let mut counts = HashMap::new();
    for (criterion_id, level, total) in rows {
        add_counts(&mut counts, criterion_id, level, total);
    }
    Ok(counts)
}

/// Answers per criterion and level for each value of `dimension` (or of
/// the whole round, `round`), from the breakdown tallies: no filter.
#[tracing::instrument(skip_all)]
pub async fn breakdown_counts(
    db: &DatabaseConnection,
    round_id: i32,
    dimension: &str,
) -> Result<BTreeMap<String, HashMap<i32, LevelCounts>>, AppError> {
    breakdown_counts_of(db, round_id, dimension, None).await
}

/// [`breakdown_counts`] of one `value` of `dimension`, or of all.
async fn breakdown_counts_of(
    db: &DatabaseConnection,
    round_id: i32,
    dimension: &str,
    value: Option<&str>,
) -> Result<BTreeMap<String, HashMap<i32, LevelCounts>>, AppError> {
    let mut query = breakdown_tally::Entity::find()
        .select_only()
        .column(breakdown_tally::Column::Value)
        .column(breakdown_tally::Column::CriterionId)
        .column(breakdown_tally::Column::Level)
        .column(breakdown_tally::Column::Count)
        .filter(breakdown_tally::Column::RoundId.eq(round_id))
        .filter(breakdown_tally::Column::Dimension.eq(dimension));
    if let Some(value) = value {
        query = query.filter(breakdown_tally::Column::Value.eq(value));
    }
    let rows: Vec<(String, i32, i16, i64)> = query.into_tuple().all(db).await?;
    Ok(counts_by_value(rows))
}

/// Rows of (dimension value, criterion, level, count) as counts per value.
fn counts_by_value(
    rows: Vec<(String, i32, i16, i64)>,
) -> BTreeMap<String, HashMap<i32, LevelCounts>> {
    let mut per_value: BTreeMap<String, HashMap<i32, LevelCounts>> = BTreeMap::new();
    for (value, criterion_id, level, count) in rows {
        add_counts(
            per_value.entry(value).or_default(),
            criterion_id,
            level,
            count,
        );
    }
    per_value
}

/// The tally and response tally columns of a breakdown dimension.
fn dimension_columns(dimension: &str) -> Result<(&'static str, &'static str), AppError> {
    match dimension {
        "department" => Ok(("tallies.department_id", "response_tallies.department_id")),
        "procedure" => Ok(("tallies.procedure_id", "response_tallies.procedure_id")),
        "respondent_type" => Ok((
            "tallies.respondent_type",
            "response_tallies.respondent_type",
        )),
        "channel" => Ok(("tallies.channel", "response_tallies.channel")),
        _ => Err(AppError::invalid("dimension", Problem::InvalidValue)),
    }
}

/// Answers per criterion and level for each value of `dimension`, summed
/// over the full tallies that match `filter`.
#[tracing::instrument(skip_all)]
pub async fn breakdown_counts_in_tallies(
    db: &DatabaseConnection,
    round_id: i32,
    dimension: &str,
    filter: &Filter,
) -> Result<BTreeMap<String, HashMap<i32, LevelCounts>>, AppError> {
    let (tally_column, _) = dimension_columns(dimension)?;
    let key = format!("CAST({tally_column} AS TEXT)");
    let query = tally::Entity::find()
        .select_only()
        .column_as(Expr::cust(key.clone()), "key")
        .column(tally::Column::CriterionId)
        .column(tally::Column::Level)
        .column_as(Expr::cust("CAST(SUM(tallies.count) AS BIGINT)"), "total")
        .filter(tally::Column::RoundId.eq(round_id))
        .group_by(Expr::cust(key))
        .group_by(tally::Column::CriterionId)
        .group_by(tally::Column::Level);
    let rows: Vec<(String, i32, i16, i64)> =
        tally_filter(query, filter).into_tuple().all(db).await?;
    Ok(counts_by_value(rows))
}

/// Answers per criterion and level for each value of `dimension` among the
/// responses `filter` keeps, from the fewest rows that hold them: the
/// breakdown tallies when the filter keeps the whole round, restricts this
/// very dimension, or restricts the department alone (the dimension's
/// breakdown within that department); the full tallies summed otherwise.
#[tracing::instrument(skip_all)]
pub async fn breakdown_counts_for(
    db: &DatabaseConnection,
    round_id: i32,
    dimension: &str,
    filter: &Filter,
) -> Result<BTreeMap<String, HashMap<i32, LevelCounts>>, AppError> {
    dimension_columns(dimension)?;
    match (filter.single_dimension(), filter.department_id) {
        _ if filter.is_whole_round() => breakdown_counts(db, round_id, dimension).await,
        (Some((only, value)), _) if only == dimension => {
            breakdown_counts_of(db, round_id, dimension, Some(&value)).await
        }
        (Some(("department", _)), Some(department_id)) => {
            let within = tallies::within_department(department_id.into(), dimension);
            breakdown_counts(db, round_id, &within).await
        }
        _ => breakdown_counts_in_tallies(db, round_id, dimension, filter).await,
    }
}

/// Responses counted in the round (after `filter`).
#[tracing::instrument(skip_all)]
pub async fn response_count(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &Filter,
) -> Result<u64, AppError> {
    response_tally_sum(db, round_id, filter, "count").await
}

/// Responses of the round (restricted by `filter`) still counted with a
/// flag waiting for a decision, from the response tallies.
pub async fn flagged_count(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &Filter,
) -> Result<u64, AppError> {
    response_tally_sum(db, round_id, filter, "flagged").await
}

/// The sum of `column` (`count` or `flagged`) over the round's response
/// tallies that `filter` selects.
async fn response_tally_sum(
    db: &DatabaseConnection,
    round_id: i32,
    filter: &Filter,
    column: &'static str,
) -> Result<u64, AppError> {
    let query = response_tally::Entity::find()
        .select_only()
        .column_as(
            Expr::cust(format!(
                "CAST(COALESCE(SUM(response_tallies.{column}), 0) AS BIGINT)"
            )),
            "total",
        )
        .filter(response_tally::Column::RoundId.eq(round_id));
    let total: Option<i64> = response_tally_filter(query, filter)
        .into_tuple()
        .one(db)
        .await?;
    Ok(total.and_then(|t| u64::try_from(t).ok()).unwrap_or(0))
}

/// Assembles the report of docs/methodology.md, “Formulas” from counts (no I/O).
pub fn build_report(
    round_slug: &str,
    instrument: &LoadedInstrument,
    counts: &HashMap<i32, LevelCounts>,
    n_responses: u64,
    suppression_threshold: u64,
) -> IndicesReport {
    let counts_of = |id: i32| counts.get(&id).copied().unwrap_or_default();
    let figures_of =
        |element_code: &str, criterion: &instruments::LoadedCriterion| CriterionIndex {
            code: criterion.code.clone(),
            element: element_code.to_owned(),
            text_vi: criterion.text_vi.clone(),
            text_en: criterion.text_en.clone(),
            figures: index_engine::criterion_figures(&counts_of(criterion.id)),
        };

    let mut elements = Vec::new();
    let mut criteria = Vec::new();
    let mut proportions = Vec::new();
    let mut overall_satisfaction = None;
    let mut expectations = Vec::new();
    let mut perceptions = Vec::new();
    for element in &instrument.elements {
        match element.kind {
            ElementKind::Index => {
                let element_criteria: Vec<CriterionIndex> = element
                    .criteria
                    .iter()
                    .map(|c| figures_of(&element.code, c))
                    .collect();
                let figures: Vec<_> = element_criteria.iter().map(|c| c.figures.clone()).collect();
                proportions.push(
                    figures
                        .iter()
                        .map(|f| (f.n_satisfied, f.n_valid))
                        .collect::<Vec<_>>(),
                );
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
            ElementKind::Expectation => {
                for c in &element.criteria {
                    let level_counts = counts_of(c.id);
                    expectations.push(ExpectationIndex {
                        code: c.code.clone(),
                        text_vi: c.text_vi.clone(),
                        text_en: c.text_en.clone(),
                        n_valid: level_counts.levels[..3].iter().sum(),
                        share: index_engine::priority_share(&level_counts),
                    });
                }
            }
            ElementKind::Perception => {
                for c in &element.criteria {
                    perceptions.push(perception_share(c, &counts_of(c.id), suppression_threshold));
                }
            }
        }
    }
    expectations.sort_by(|a, b| b.share.unwrap_or(-1.0).total_cmp(&a.share.unwrap_or(-1.0)));
    let element_indices: Vec<Option<f64>> = elements.iter().map(|e| e.index).collect();
    let interval = index_engine::overall_interval(&proportions);
    IndicesReport {
        round: round_slug.to_owned(),
        formula_version: FORMULA_VERSION.to_owned(),
        n_responses,
        n_excluded: 0,
        n_flagged: 0,
        flags: Vec::new(),
        overall: index_engine::overall_index(&element_indices),
        overall_ci_low: interval.map(|(low, _)| low),
        overall_ci_high: interval.map(|(_, high)| high),
        elements,
        criteria,
        overall_satisfaction,
        expectations,
        perceptions,
        weighted: None,
        suppression_threshold,
    }
}

/// The share that met a perception question at least once, with its
/// interval, or only its valid count when below the suppression threshold.
fn perception_share(
    criterion: &instruments::LoadedCriterion,
    counts: &LevelCounts,
    suppression_threshold: u64,
) -> PerceptionShare {
    let (met, valid) = index_engine::experienced(counts);
    let suppressed = index_engine::is_suppressed(valid, suppression_threshold);
    let shown = !suppressed && valid > 0;
    let interval = shown
        .then(|| index_engine::wilson_interval(met, valid))
        .flatten();
    PerceptionShare {
        code: criterion.code.clone(),
        text_vi: criterion.text_vi.clone(),
        text_en: criterion.text_en.clone(),
        n_valid: valid,
        suppressed,
        n_experienced: shown.then_some(met),
        share: shown.then(|| 100.0 * met as f64 / valid as f64),
        ci_low: interval.map(|(low, _)| low),
        ci_high: interval.map(|(_, high)| high),
    }
}

/// The dimensions a round breaks down by.
pub const DIMENSIONS: [&str; 4] = ["department", "procedure", "respondent_type", "channel"];

/// The round's overall index for each value of `dimension`, suppressed
/// where fewer responses than the threshold stand behind it.
#[tracing::instrument(skip_all)]
pub async fn breakdown(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    dimension: &str,
    filter: &Filter,
    lang: Lang,
) -> Result<Breakdown, AppError> {
    let threshold = settings::suppression_threshold(db).await?;
    let (_, response_column) = dimension_columns(dimension)?;
    let per_key = breakdown_counts_for(db, round.id, dimension, filter).await?;
    let response_key = format!("CAST({response_column} AS TEXT)");
    let query = response_tally::Entity::find()
        .select_only()
        .column_as(Expr::cust(response_key.clone()), "key")
        .column_as(
            Expr::cust("CAST(SUM(response_tallies.count) AS BIGINT)"),
            "total",
        )
        .filter(response_tally::Column::RoundId.eq(round.id))
        .group_by(Expr::cust(response_key));
    let responses: HashMap<String, i64> = response_tally_filter(query, filter)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();

    // (code, label) of each department or procedure id, as the keys spell it.
    let names: HashMap<String, (String, String)> = match dimension {
        "department" => department::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| {
                (
                    d.id.to_string(),
                    (d.code.clone(), lang.pick(&d.name_vi, &d.name_en).to_owned()),
                )
            })
            .collect(),
        "procedure" => procedure::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|p| {
                (
                    p.id.to_string(),
                    (p.code.clone(), lang.pick(&p.name_vi, &p.name_en).to_owned()),
                )
            })
            .collect(),
        _ => HashMap::new(),
    };
    let t = lang.texts();
    let mut out = Vec::new();
    for (key, counts) in per_key {
        let n_responses = responses.get(&key).copied().unwrap_or(0).max(0) as u64;
        let (code, label) = match dimension {
            "department" | "procedure" if key == "0" => (String::new(), t.not_given.to_owned()),
            "department" | "procedure" => names
                .get(&key)
                .cloned()
                .unwrap_or((key.clone(), key.clone())),
            "respondent_type" => (
                key.clone(),
                RespondentType::parse(&key)
                    .map_or(key.clone(), |r| lang.respondent_type(r).to_owned()),
            ),
            _ => (
                key.clone(),
                SurveyChannel::parse(&key).map_or(key.clone(), |c| lang.channel(c).to_owned()),
            ),
        };
        let suppressed = index_engine::is_suppressed(n_responses, threshold);
        let report = build_report(&round.slug, instrument, &counts, n_responses, threshold);
        out.push(BreakdownRow {
            code,
            label,
            n_responses,
            overall: if suppressed { None } else { report.overall },
            suppressed,
        });
    }
    out.sort_by(|a, b| {
        b.n_responses
            .cmp(&a.n_responses)
            .then(a.label.cmp(&b.label))
    });
    Ok(Breakdown {
        dimension: dimension.to_owned(),
        rows: out,
    })
}

/// The overall index of every round on the same questionnaire, oldest first.
/// `current_report` is `current`'s (with `filter`), already computed by the
/// caller; the earlier rounds' are computed here.
#[tracing::instrument(skip_all)]
pub async fn trend(
    db: &DatabaseConnection,
    current: &round::Model,
    current_report: &IndicesReport,
    filter: &Filter,
    lang: Lang,
) -> Result<Vec<TrendPoint>, AppError> {
    let related = same_questionnaire(db, current).await?;
    let mut points = Vec::new();
    for other in related
        .iter()
        .filter(|r| (r.year, r.half) <= (current.year, current.half))
    {
        let earlier;
        let report = if other.id == current.id {
            current_report
        } else {
            earlier = report(db, other, filter).await?;
            &earlier
        };
        points.push(TrendPoint {
            slug: other.slug.clone(),
            period: lang.period(other.year, other.half),
            n_responses: report.n_responses,
            overall: report.overall,
            ci_low: report.overall_ci_low,
            ci_high: report.overall_ci_high,
        });
    }
    Ok(points)
}

/// `other` against `base`: criteria matched by their stable codes, with a
/// two-proportion z-test each; elements and overall as differences.
pub fn compare(base: &IndicesReport, other: &IndicesReport) -> Comparison {
    let criteria = other
        .criteria
        .iter()
        .map(|o| {
            let b = base.criteria.iter().find(|b| b.code == o.code);
            let test = b.and_then(|b| {
                index_engine::two_proportion_z_test(
                    b.figures.n_satisfied,
                    b.figures.n_valid,
                    o.figures.n_satisfied,
                    o.figures.n_valid,
                )
            });
            let base_index = b.and_then(|b| b.figures.index);
            CriterionChange {
                code: o.code.clone(),
                text_vi: o.text_vi.clone(),
                text_en: o.text_en.clone(),
                base: base_index,
                other: o.figures.index,
                delta: base_index.zip(o.figures.index).map(|(b, o)| o - b),
                z: test.map(|t| t.z),
                p_value: test.map(|t| t.p_value),
                significant: test.is_some_and(|t| t.significant),
            }
        })
        .collect();
    let elements = other
        .elements
        .iter()
        .map(|o| {
            let b = base
                .elements
                .iter()
                .find(|b| b.code == o.code)
                .and_then(|b| b.index);
            IndexChange {
                code: o.code.clone(),
                base: b,
                other: o.index,
                delta: b.zip(o.index).map(|(b, o)| o - b),
            }
        })
        .collect();
    Comparison {
        base: base.round.clone(),
        other: other.round.clone(),
        formula_version: FORMULA_VERSION.to_owned(),
        overall: IndexChange {
            code: "overall".to_owned(),
            base: base.overall,
            other: other.overall,
            delta: base.overall.zip(other.overall).map(|(b, o)| o - b),
        },
        elements,
        criteria,
    }
}

/// The round before `current` on the same questionnaire, if any.
#[tracing::instrument(skip_all)]
pub async fn previous(
    db: &DatabaseConnection,
    current: &round::Model,
) -> Result<Option<round::Model>, AppError> {
    let related = same_questionnaire(db, current).await?;
    Ok(related
        .into_iter()
        .rev()
        .find(|r| (r.year, r.half) < (current.year, current.half)))
}

/// The round after `current` on the same questionnaire, if any: the one
/// that measures again what `current`'s action plan set out to change.
pub async fn next(
    db: &DatabaseConnection,
    current: &round::Model,
) -> Result<Option<round::Model>, AppError> {
    let related = same_questionnaire(db, current).await?;
    Ok(related
        .into_iter()
        .find(|r| (r.year, r.half) > (current.year, current.half)))
}

/// Every round (drafts left out) on a version of `current`'s questionnaire,
/// oldest half-year first; criteria keep their codes across versions.
pub async fn same_questionnaire(
    db: &DatabaseConnection,
    current: &round::Model,
) -> Result<Vec<round::Model>, AppError> {
    let code = crate::entities::instrument::Entity::find_by_id(current.instrument_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("instrument"))?
        .code;
    let same_code: Vec<i32> = crate::entities::instrument::Entity::find()
        .filter(crate::entities::instrument::Column::Code.eq(&code))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    Ok(round::Entity::find()
        .filter(round::Column::InstrumentId.is_in(same_code))
        .filter(round::Column::Status.ne(RoundStatus::Draft.code()))
        .order_by_asc(round::Column::Year)
        .order_by_asc(round::Column::Half)
        .all(db)
        .await?)
}
