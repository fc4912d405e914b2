//! What drives overall satisfaction in a round: Johnson's relative weights
//! of the index criteria for the overall question, from the pair sums kept
//! in each response's transaction (so the cost does not grow with the
//! round), and where each criterion sits on the importance–performance
//! matrix.

use std::collections::BTreeMap;

use sea_orm::DatabaseConnection;

use crate::AppError;
use crate::analysis::{self, ANALYSIS_VERSION, MIN_COMPLETE_RESPONSES, PairSums};
use crate::entities::round;
use crate::model::{DriverAnalysis, DriverRow, DriversHidden, IndicesReport};
use crate::services::instruments::LoadedInstrument;
use crate::services::pair_sums::{self, DriverCriteria};

/// The drivers of `round` (on its `instrument`), with each criterion's
/// index taken from `report` (the whole round's) and its target from
/// `element_targets` or `target`.
#[tracing::instrument(skip_all)]
pub async fn of_round(
    db: &DatabaseConnection,
    round: &round::Model,
    instrument: &LoadedInstrument,
    report: &IndicesReport,
    target: f64,
    element_targets: &BTreeMap<String, f64>,
) -> Result<DriverAnalysis, AppError> {
    let (sums, complete) = pair_sums::of_round(db, round.id).await?;
    Ok(analyse(
        instrument,
        |x, y| sums.get(&(x, y)).copied().unwrap_or_default(),
        complete,
        report,
        target,
        element_targets,
    ))
}

/// The analysis from the sums (no I/O): `sums(x, y)` gives the stored sums
/// of criterion ids x and y (x the lower id for two index criteria, y the
/// overall question otherwise).
pub fn analyse(
    instrument: &LoadedInstrument,
    sums: impl Fn(i32, i32) -> PairSums,
    complete_responses: u64,
    report: &IndicesReport,
    target: f64,
    element_targets: &BTreeMap<String, f64>,
) -> DriverAnalysis {
    let drivers = DriverCriteria::of(instrument);
    let k = drivers.predictors.len();
    let mut analysis = DriverAnalysis {
        analysis_version: ANALYSIS_VERSION.to_owned(),
        complete_responses,
        minimum_responses: MIN_COMPLETE_RESPONSES,
        hidden: None,
        r_squared: None,
        mean_weight: 100.0 / k.max(1) as f64,
        criteria: Vec::new(),
    };
    let Some(outcome) = drivers.outcome.filter(|_| k > 0) else {
        analysis.hidden = Some(DriversHidden::NoOverallQuestion);
        return analysis;
    };
    if complete_responses < MIN_COMPLETE_RESPONSES {
        analysis.hidden = Some(DriversHidden::TooFewResponses);
        return analysis;
    }
    let ids = &drivers.predictors;
    let between = |i: usize, j: usize| {
        let (low, high) = if ids[i] < ids[j] {
            (ids[i], ids[j])
        } else {
            (ids[j], ids[i])
        };
        sums(low, high)
    };
    let with_outcome = |i: usize| sums(ids[i], outcome);
    let Some(found) = analysis::drivers(k, between, with_outcome) else {
        analysis.hidden = Some(DriversHidden::NoVariation);
        return analysis;
    };
    analysis.r_squared = Some(found.weights.r_squared);
    for (i, id) in ids.iter().enumerate() {
        let Some((element, criterion)) = instrument.criteria().find(|(_, c)| c.id == *id) else {
            continue;
        };
        let index = report
            .criteria
            .iter()
            .find(|c| c.code == criterion.code)
            .and_then(|c| c.figures.index);
        let criterion_target = element_targets
            .get(&element.code)
            .copied()
            .unwrap_or(target);
        let weight = found.weights.percent[i];
        analysis.criteria.push(DriverRow {
            code: criterion.code.clone(),
            element: element.code.clone(),
            text_vi: criterion.text_vi.clone(),
            text_en: criterion.text_en.clone(),
            r: found.r[i],
            n_pairs: with_outcome(i).n,
            weight,
            raw_weight: found.weights.raw[i],
            index,
            target: criterion_target,
            quadrant: index.map(|index| analysis::quadrant(weight, k, index, criterion_target)),
        });
    }
    analysis
        .criteria
        .sort_by(|a, b| b.weight.total_cmp(&a.weight));
    analysis
}
