//! Analysis beyond the index (docs/methodology.md, "Analysis beyond the
//! index"): what drives overall satisfaction, figures weighted by
//! population, and whether a criterion has really moved between rounds.
//! Pure functions, sums in and figures out, like the index engine; these
//! figures sit beside the official index and never change it.

use nalgebra::{DMatrix, DVector};

use crate::index_engine::wilson_interval_of;

/// Stored with every analysis figure so that it can be recomputed later.
pub const ANALYSIS_VERSION: &str = "sipas-analysis-v1";

/// Drivers are shown only when at least this many responses answer the
/// overall question and every index criterion validly.
pub const MIN_COMPLETE_RESPONSES: u64 = 30;

/// Eigenvalues of the correlation matrix below this are raised to it, so a
/// matrix made singular by identical criteria still has an inverse root.
const SMALLEST_EIGENVALUE: f64 = 1e-9;

/// The sums of one pair of answers (x, y) over the responses that answer
/// both validly: enough for Pearson's r, and kept up one response at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairSums {
    pub n: u64,
    pub sum_x: u64,
    pub sum_y: u64,
    pub sum_xx: u64,
    pub sum_yy: u64,
    pub sum_xy: u64,
}

impl PairSums {
    /// Adds one response's pair of valid answers (levels 1–5).
    pub fn add(&mut self, x: u8, y: u8) {
        let (x, y) = (u64::from(x), u64::from(y));
        self.n += 1;
        self.sum_x += x;
        self.sum_y += y;
        self.sum_xx += x * x;
        self.sum_yy += y * y;
        self.sum_xy += x * y;
    }

    /// The sums of a list of pairs where `None` is a blank or "not applicable":
    /// only the pairs with both answers count.
    pub fn of(pairs: impl IntoIterator<Item = (Option<u8>, Option<u8>)>) -> Self {
        let mut sums = Self::default();
        for pair in pairs {
            if let (Some(x), Some(y)) = pair {
                sums.add(x, y);
            }
        }
        sums
    }

    /// Pearson's r; `None` with fewer than two pairs or when either answer
    /// never varies.
    pub fn pearson(&self) -> Option<f64> {
        let n = self.n as f64;
        let covariance = n * self.sum_xy as f64 - self.sum_x as f64 * self.sum_y as f64;
        let variance_x = n * self.sum_xx as f64 - (self.sum_x as f64).powi(2);
        let variance_y = n * self.sum_yy as f64 - (self.sum_y as f64).powi(2);
        (self.n >= 2 && variance_x > 0.0 && variance_y > 0.0)
            .then(|| covariance / (variance_x * variance_y).sqrt())
    }
}

/// Johnson's relative weights of the predictors of one outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct RelativeWeights {
    /// Each predictor's share of R², in the predictors' order.
    pub raw: Vec<f64>,
    /// The outcome's variance the predictors explain together.
    pub r_squared: f64,
    /// Each predictor's share of R² in percent (they add up to 100).
    pub percent: Vec<f64>,
}

/// Relative weights from the predictors' correlation matrix `correlations`
/// (k × k, rows of length k) and their correlations with the outcome:
/// R = VΛVᵀ, β = R^-½ r_xy, raw weight_j = Σ_k (R^½)_jk² β_k², R² = Σ β_k².
pub fn relative_weights(correlations: &[Vec<f64>], with_outcome: &[f64]) -> RelativeWeights {
    let k = with_outcome.len();
    let matrix = DMatrix::from_fn(k, k, |i, j| correlations[i][j]);
    let eigen = matrix.symmetric_eigen();
    let roots = eigen
        .eigenvalues
        .map(|value| value.max(SMALLEST_EIGENVALUE).sqrt());
    let vectors = &eigen.eigenvectors;
    let root = vectors * DMatrix::from_diagonal(&roots) * vectors.transpose();
    let inverse_root =
        vectors * DMatrix::from_diagonal(&roots.map(|value| 1.0 / value)) * vectors.transpose();
    let beta = inverse_root * DVector::from_column_slice(with_outcome);
    let raw: Vec<f64> = (0..k)
        .map(|j| (0..k).map(|m| root[(j, m)].powi(2) * beta[m].powi(2)).sum())
        .collect();
    let r_squared = beta.iter().map(|b| b * b).sum::<f64>();
    let percent = raw
        .iter()
        .map(|weight| {
            if r_squared > 0.0 {
                100.0 * weight / r_squared
            } else {
                0.0
            }
        })
        .collect();
    RelativeWeights {
        raw,
        r_squared,
        percent,
    }
}

/// What drives the outcome: each predictor's r with it and relative weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Drivers {
    /// Each predictor's Pearson r with the outcome.
    pub r: Vec<f64>,
    pub weights: RelativeWeights,
}

/// Drivers from pairwise sums: `between(i, j)` for predictors i and j,
/// `with_outcome(i)` for predictor i and the outcome. `None` when a
/// correlation cannot be computed (too few pairs, or an answer never varies).
pub fn drivers(
    k: usize,
    between: impl Fn(usize, usize) -> PairSums,
    with_outcome: impl Fn(usize) -> PairSums,
) -> Option<Drivers> {
    let r = (0..k)
        .map(|i| with_outcome(i).pearson())
        .collect::<Option<Vec<f64>>>()?;
    let correlations = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    if i == j {
                        Some(1.0)
                    } else {
                        between(i.max(j), i.min(j)).pearson()
                    }
                })
                .collect::<Option<Vec<f64>>>()
        })
        .collect::<Option<Vec<Vec<f64>>>>()?;
    let weights = relative_weights(&correlations, &r);
    Some(Drivers { r, weights })
}

pub use crate::model::Quadrant;

/// The quadrant of a criterion with `percent_weight` among `criteria`
/// criteria (the line sits at the mean weight, 100 / criteria) and index
/// `index` against `target` (the element's target).
pub fn quadrant(percent_weight: f64, criteria: usize, index: f64, target: f64) -> Quadrant {
    let heavy = percent_weight > 100.0 / criteria.max(1) as f64;
    match (heavy, index >= target) {
        (true, false) => Quadrant::FixFirst,
        (true, true) => Quadrant::KeepUp,
        (false, false) => Quadrant::LowPriority,
        (false, true) => Quadrant::PossibleOverkill,
    }
}

/// One stratum of a post-stratified figure: its population (entered for
/// the round) and the satisfied and valid answers from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stratum {
    pub population: u64,
    pub satisfied: u64,
    pub valid: u64,
}

/// A figure weighted by population, with Kish's effective n and its interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weighted {
    /// Σ N_h·p_h / Σ N_h on the 0–100 scale.
    pub index: f64,
    /// (Σ N_h)² / Σ (N_h² / n_h).
    pub effective_n: f64,
    /// Wilson's 95% interval on (index, effective n), 0–100.
    pub interval: (f64, f64),
}

/// Post-stratified share of satisfied answers over the strata with at
/// least one valid answer; `None` when no stratum has one.
pub fn post_stratified(strata: &[Stratum]) -> Option<Weighted> {
    let answered: Vec<&Stratum> = strata
        .iter()
        .filter(|s| s.valid > 0 && s.population > 0)
        .collect();
    let population: f64 = answered.iter().map(|s| s.population as f64).sum();
    if answered.is_empty() {
        return None;
    }
    let share = answered
        .iter()
        .map(|s| s.population as f64 * s.satisfied as f64 / s.valid as f64)
        .sum::<f64>()
        / population;
    let effective_n = population.powi(2)
        / answered
            .iter()
            .map(|s| (s.population as f64).powi(2) / s.valid as f64)
            .sum::<f64>();
    Some(Weighted {
        index: 100.0 * share,
        effective_n,
        interval: wilson_interval_of(share, effective_n)?,
    })
}

/// How a criterion's share of satisfied answers changed between two rounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// p₂ − p₁ in percentage points.
    pub difference: f64,
    /// Newcombe's hybrid score interval of the difference (method 10).
    pub interval: (f64, f64),
}

/// What a change shows: the verdict on an action plan's criterion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The interval lies above 0.
    Moved,
    /// The interval holds 0.
    NotShownToMove,
    /// The interval lies below 0.
    Fell,
}

impl Change {
    pub fn verdict(&self) -> Verdict {
        match self.interval {
            (lower, _) if lower > 0.0 => Verdict::Moved,
            (_, upper) if upper < 0.0 => Verdict::Fell,
            _ => Verdict::NotShownToMove,
        }
    }
}

/// The change from `before` to `after`, each (satisfied, valid); `None`
/// when either has no valid answer.
pub fn change(before: (u64, u64), after: (u64, u64)) -> Option<Change> {
    let share = |(satisfied, valid): (u64, u64)| 100.0 * satisfied as f64 / valid as f64;
    let interval = |(satisfied, valid): (u64, u64)| {
        (valid > 0)
            .then(|| wilson_interval_of(satisfied as f64 / valid as f64, valid as f64))
            .flatten()
    };
    let (l1, u1) = interval(before)?;
    let (l2, u2) = interval(after)?;
    let (p1, p2) = (share(before), share(after));
    let difference = p2 - p1;
    Some(Change {
        difference,
        interval: (
            difference - ((p2 - l2).powi(2) + (u1 - p1).powi(2)).sqrt(),
            difference + ((u2 - p2).powi(2) + (p1 - l1).powi(2)).sqrt(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round2(value: f64) -> f64 {
        (value * 100.0).round() / 100.0
    }

    /// The 16 responses of (C1, C2, C3, O1) of the methodology's example,
    /// with one blank each in C1 and C2.
    fn example_responses() -> Vec<[Option<u8>; 4]> {
        let rows: [[u8; 4]; 16] = [
            [5, 4, 5, 5],
            [4, 4, 5, 4],
            [4, 3, 4, 4],
            [3, 3, 4, 3],
            [5, 5, 5, 5],
            [2, 2, 3, 2],
            [4, 4, 4, 4],
            [0, 5, 5, 5],
            [5, 5, 4, 5],
            [4, 0, 4, 4],
            [3, 3, 4, 3],
            [4, 4, 4, 4],
            [2, 3, 3, 2],
            [5, 4, 4, 4],
            [3, 2, 4, 3],
            [4, 5, 5, 5],
        ];
        rows.iter()
            .map(|row| row.map(|answer| (answer > 0).then_some(answer)))
            .collect()
    }

    #[test]
    fn drivers_of_the_worked_example() {
        let responses = example_responses();
        let pair = |a: usize, b: usize| PairSums::of(responses.iter().map(|r| (r[a], r[b])));
        let found = drivers(3, pair, |i| pair(i, 3)).unwrap();
        assert_eq!(
            found.r.iter().map(|r| round2(*r)).collect::<Vec<_>>(),
            [0.93, 0.88, 0.83]
        );
        assert_eq!(round2(found.weights.r_squared), 0.95);
        assert_eq!(
            found
                .weights
                .percent
                .iter()
                .map(|p| round2(*p))
                .collect::<Vec<_>>(),
            [39.45, 31.74, 28.81]
        );
        let total: f64 = found.weights.percent.iter().sum();
        assert!((total - 100.0).abs() < 1e-9);
    }

    #[test]
    fn relative_weights_of_the_worked_example_add_up_to_the_least_squares_r_squared() {
        let correlations = vec![
            vec![1.0, 0.5, 0.3],
            vec![0.5, 1.0, 0.2],
            vec![0.3, 0.2, 1.0],
        ];
        let weights = relative_weights(&correlations, &[0.6, 0.5, 0.4]);
        let round4 = |v: f64| (v * 10_000.0).round() / 10_000.0;
        assert_eq!(
            weights.raw.iter().map(|w| round4(*w)).collect::<Vec<_>>(),
            [0.2255, 0.1392, 0.0957]
        );
        assert_eq!(round4(weights.r_squared), 0.4604);
        // The least-squares R² = r_xyᵀ R⁻¹ r_xy, worked out separately.
        let matrix = DMatrix::from_fn(3, 3, |i, j| correlations[i][j]);
        let r_xy = DVector::from_column_slice(&[0.6, 0.5, 0.4]);
        let least_squares = (r_xy.transpose() * matrix.try_inverse().unwrap() * &r_xy)[(0, 0)];
        assert!((weights.r_squared - least_squares).abs() < 1e-12);
        assert!((weights.raw.iter().sum::<f64>() - weights.r_squared).abs() < 1e-12);
    }

    #[test]
    fn identical_criteria_do_not_break_the_weights() {
        // Two criteria answered the same way: R is singular.
        let correlations = vec![vec![1.0, 1.0], vec![1.0, 1.0]];
        let weights = relative_weights(&correlations, &[0.7, 0.7]);
        assert!(weights.percent.iter().all(|p| p.is_finite()));
        assert!((weights.percent[0] - weights.percent[1]).abs() < 1e-6);
    }

    #[test]
    fn pearson_needs_two_pairs_and_some_variation() {
        assert_eq!(PairSums::of([(Some(3), Some(4))]).pearson(), None);
        assert_eq!(
            PairSums::of([(Some(3), Some(4)), (Some(3), Some(5))]).pearson(),
            None
        );
        let perfect = PairSums::of([(Some(1), Some(2)), (Some(2), Some(3)), (Some(3), Some(4))]);
        assert!((perfect.pearson().unwrap() - 1.0).abs() < 1e-12);
        let blank = PairSums::of([(None, Some(2)), (Some(2), None)]);
        assert_eq!(blank.n, 0);
    }

    #[test]
    fn newcombe_of_the_worked_examples() {
        let moved = change((48, 80), (56, 70)).unwrap();
        assert_eq!(round2(moved.difference), 20.00);
        assert_eq!(
            (round2(moved.interval.0), round2(moved.interval.1)),
            (5.24, 33.39)
        );
        assert_eq!(moved.verdict(), Verdict::Moved);

        let not_shown = change((40, 50), (44, 50)).unwrap();
        assert_eq!(round2(not_shown.difference), 8.00);
        assert_eq!(
            (round2(not_shown.interval.0), round2(not_shown.interval.1)),
            (-6.70, 22.52)
        );
        assert_eq!(not_shown.verdict(), Verdict::NotShownToMove);

        assert_eq!(change((56, 70), (48, 80)).unwrap().verdict(), Verdict::Fell);
        assert_eq!(change((0, 0), (1, 2)), None);
    }

    #[test]
    fn post_stratified_index_of_the_worked_example() {
        let weighted = post_stratified(&[
            Stratum {
                population: 800,
                satisfied: 30,
                valid: 40,
            },
            Stratum {
                population: 200,
                satisfied: 45,
                valid: 50,
            },
            Stratum {
                population: 100,
                satisfied: 9,
                valid: 10,
            },
        ])
        .unwrap();
        assert_eq!(round2(weighted.index), 79.09);
        assert_eq!(round2(weighted.effective_n), 67.98);
        assert_eq!(
            (round2(weighted.interval.0), round2(weighted.interval.1)),
            (68.00, 87.07)
        );
    }

    #[test]
    fn strata_without_answers_leave_the_weighting() {
        let only = Stratum {
            population: 50,
            satisfied: 3,
            valid: 4,
        };
        let empty = Stratum {
            population: 950,
            satisfied: 0,
            valid: 0,
        };
        let weighted = post_stratified(&[only, empty]).unwrap();
        assert_eq!(weighted.index, 75.0);
        assert_eq!(weighted.effective_n, 4.0);
        assert_eq!(post_stratified(&[empty]), None);
    }

    #[test]
    fn quadrants_split_at_the_mean_weight_and_the_target() {
        assert_eq!(quadrant(40.0, 3, 70.0, 80.0), Quadrant::FixFirst);
        assert_eq!(quadrant(40.0, 3, 85.0, 80.0), Quadrant::KeepUp);
        assert_eq!(quadrant(20.0, 3, 70.0, 80.0), Quadrant::LowPriority);
        assert_eq!(quadrant(20.0, 3, 85.0, 80.0), Quadrant::PossibleOverkill);
    }
}
