//! The satisfaction index engine of docs/methodology.md, “Formulas”: pure functions, counts
//! in, figures out. Nothing here touches storage, so every formula can be
//! tested with numbers worked out by hand.

use serde::{Deserialize, Serialize};

/// Stored with every published figure so that it can be recomputed later.
pub const FORMULA_VERSION: &str = "sipas-mean-v1";

/// z for a two-sided 95% interval.
const Z_95: f64 = 1.959_963_984_540_054;

/// Answers to one criterion, by level. `levels[0]` counts answers of 1,
/// `levels[4]` answers of 5; "not applicable" is kept apart and never valid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    pub levels: [u64; 5],
    pub not_applicable: u64,
}

impl LevelCounts {
    /// Counts the answers of a list where `None` or `Some(0)` means not applicable.
    pub fn from_answers(answers: impl IntoIterator<Item = Option<u8>>) -> Self {
        let mut counts = Self::default();
        for answer in answers {
            counts.add(answer, 1);
        }
        counts
    }

    /// Adds `count` answers of `value` (1..=5); anything else is not applicable.
    pub fn add(&mut self, value: Option<u8>, count: u64) {
        match value {
            Some(v @ 1..=5) => self.levels[usize::from(v - 1)] += count,
            _ => self.not_applicable += count,
        }
    }

    pub fn valid(&self) -> u64 {
        self.levels.iter().sum()
    }

    /// Answers of 4 (Hài lòng) or 5 (Rất hài lòng).
    pub fn satisfied(&self) -> u64 {
        self.levels[3] + self.levels[4]
    }
}

/// Every figure of one criterion. Figures are `None` where there is no valid answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CriterionFigures {
    pub n_valid: u64,
    pub n_satisfied: u64,
    pub n_not_applicable: u64,
    /// 100 × satisfied / valid.
    pub index: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// 100 × (mean of valid answers − 1) / 4.
    pub mean_score: Option<f64>,
    /// Counts of answers 1..5.
    pub distribution: [u64; 5],
}

pub fn criterion_figures(counts: &LevelCounts) -> CriterionFigures {
    let n_valid = counts.valid();
    let n_satisfied = counts.satisfied();
    let interval = wilson_interval(n_satisfied, n_valid);
    CriterionFigures {
        n_valid,
        n_satisfied,
        n_not_applicable: counts.not_applicable,
        index: criterion_index(n_satisfied, n_valid),
        ci_low: interval.map(|(low, _)| low),
        ci_high: interval.map(|(_, high)| high),
        mean_score: mean_score(counts),
        distribution: counts.levels,
    }
}

/// Criterion index: 100 × satisfied / valid.
pub fn criterion_index(satisfied: u64, valid: u64) -> Option<f64> {
    (valid > 0).then(|| 100.0 * satisfied as f64 / valid as f64)
}

/// Mean score on 0–100: 100 × (mean of valid answers − 1) / 4.
pub fn mean_score(counts: &LevelCounts) -> Option<f64> {
    let valid = counts.valid();
    if valid == 0 {
        return None;
    }
    let total: u64 = counts
        .levels
        .iter()
        .zip(1u64..)
        .map(|(count, level)| count * level)
        .sum();
    let mean = total as f64 / valid as f64;
    Some(100.0 * (mean - 1.0) / 4.0)
}

/// 95% Wilson score interval for satisfied / valid, on the 0–100 scale.
pub fn wilson_interval(satisfied: u64, valid: u64) -> Option<(f64, f64)> {
    if valid == 0 {
        return None;
    }
    wilson_interval_of(satisfied as f64 / valid as f64, valid as f64)
}

/// 95% Wilson score interval for a share `p` (0–1) of `n` answers, on the
/// 0–100 scale; `n` need not be whole (an effective n of weighted figures).
pub fn wilson_interval_of(p: f64, n: f64) -> Option<(f64, f64)> {
    if n <= 0.0 {
        return None;
    }
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half_width = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some((
        100.0 * (centre - half_width).max(0.0),
        100.0 * (centre + half_width).min(1.0),
    ))
}

/// Unweighted mean of the indices that exist (criteria with at least one valid answer).
pub fn mean_of_present(indices: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let (sum, count) = indices
        .into_iter()
        .flatten()
        .fold((0.0, 0u32), |(sum, count), index| (sum + index, count + 1));
    (count > 0).then(|| sum / f64::from(count))
}

/// Element index: unweighted mean of its criterion indices that have a valid answer.
pub fn element_index(criteria: &[CriterionFigures]) -> Option<f64> {
    mean_of_present(criteria.iter().map(|c| c.index))
}

/// Overall index: unweighted mean of the element indices.
pub fn overall_index(elements: &[Option<f64>]) -> Option<f64> {
    mean_of_present(elements.iter().copied())
}

/// An approximate 95% interval for the overall index, by the delta method:
/// each criterion's proportion varies as p(1−p)/n, an element averages its
/// criteria and the overall averages the elements. Criteria are treated as
/// independent, which they are not (one respondent answers them all), so
/// the interval is indicative; the criterion intervals are exact Wilson
/// intervals. `elements` holds, per element, (satisfied, valid) per criterion.
pub fn overall_interval(elements: &[Vec<(u64, u64)>]) -> Option<(f64, f64)> {
    let mut means = Vec::new();
    let mut variances = Vec::new();
    for criteria in elements {
        let present: Vec<(f64, f64)> = criteria
            .iter()
            .filter(|(_, valid)| *valid > 0)
            .map(|(satisfied, valid)| {
                let p = *satisfied as f64 / *valid as f64;
                (p, p * (1.0 - p) / *valid as f64)
            })
            .collect();
        if present.is_empty() {
            continue;
        }
        let k = present.len() as f64;
        means.push(present.iter().map(|(p, _)| p).sum::<f64>() / k);
        variances.push(present.iter().map(|(_, v)| v).sum::<f64>() / (k * k));
    }
    if means.is_empty() {
        return None;
    }
    let m = means.len() as f64;
    let centre = means.iter().sum::<f64>() / m;
    let half_width = Z_95 * (variances.iter().sum::<f64>() / (m * m)).sqrt();
    Some((
        100.0 * (centre - half_width).max(0.0),
        100.0 * (centre + half_width).min(1.0),
    ))
}

/// Share (0–100) of valid answers on a three-level priority scale that ask
/// for improvement "very much" (1) or "much" (2): how expectations rank.
pub fn priority_share(counts: &LevelCounts) -> Option<f64> {
    let valid = counts.levels[0] + counts.levels[1] + counts.levels[2];
    (valid > 0).then(|| 100.0 * (counts.levels[0] + counts.levels[1]) as f64 / valid as f64)
}

/// Answers on the three-level frequency scale (1 never, 2 a few times,
/// 3 many times) of a perception question: (met at least once, valid).
pub fn experienced(counts: &LevelCounts) -> (u64, u64) {
    let valid = counts.levels[0] + counts.levels[1] + counts.levels[2];
    (counts.levels[1] + counts.levels[2], valid)
}

/// Result of a two-proportion z-test between two rounds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProportionTest {
    /// Positive when the second proportion is higher.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// p < 0.05.
    pub significant: bool,
}

/// Two-proportion z-test (pooled) between `s1 / n1` and `s2 / n2`.
pub fn two_proportion_z_test(s1: u64, n1: u64, s2: u64, n2: u64) -> Option<ProportionTest> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (s1 + s2) as f64 / (n1f + n2f);
    let standard_error = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    if standard_error == 0.0 {
        return None;
    }
    let z = (s2 as f64 / n2f - s1 as f64 / n1f) / standard_error;
    let p_value = libm::erfc(z.abs() / std::f64::consts::SQRT_2);
    Some(ProportionTest {
        z,
        p_value,
        significant: p_value < 0.05,
    })
}

/// Yamane's target sample size n = ⌈N / (1 + N·e²)⌉ for N dossiers handled.
pub fn yamane_sample(population: u64, margin: f64) -> u64 {
    if population == 0 {
        return 0;
    }
    let n = population as f64;
    // Rounded to 9 decimals first so that 300.0000000001 from floating point
    // error does not become 301.
    let exact = n / (1.0 + n * margin * margin);
    ((exact * 1e9).round() / 1e9).ceil() as u64
}

/// A figure computed over fewer valid answers than the threshold is suppressed in breakdowns.
pub fn is_suppressed(n_valid: u64, threshold: u64) -> bool {
    n_valid < threshold
}

/// Rounds for display: two decimals, as the methodology's worked example.
pub fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perception_share_counts_a_few_times_and_many_times() {
        let mut counts = LevelCounts::default();
        counts.add(Some(1), 70);
        counts.add(Some(2), 20);
        counts.add(Some(3), 10);
        counts.add(None, 5);
        assert_eq!(experienced(&counts), (30, 100));
    }

    fn counts(values: &[u8]) -> LevelCounts {
        LevelCounts::from_answers(values.iter().map(|v| Some(*v)))
    }

    // docs/methodology.md, “Formulas”, element C, 12 responses; 0 = not applicable.
    const C1: [u8; 12] = [5, 4, 4, 3, 5, 2, 4, 0, 5, 4, 3, 4];
    const C2: [u8; 12] = [4, 4, 3, 3, 5, 2, 4, 5, 5, 0, 3, 4];
    const C3: [u8; 12] = [5, 5, 5, 4, 5, 3, 4, 4, 5, 4, 4, 4];

    #[test]
    fn worked_example_criterion_c1() {
        let f = criterion_figures(&counts(&C1));
        assert_eq!((f.n_valid, f.n_satisfied, f.n_not_applicable), (11, 8, 1));
        assert_eq!(round2(f.index.unwrap()), 72.73);
        assert_eq!(round2(f.ci_low.unwrap()), 43.44);
        assert_eq!(round2(f.ci_high.unwrap()), 90.25);
        assert_eq!(round2(f.mean_score.unwrap()), 72.73);
        assert_eq!(f.distribution, [0, 1, 2, 5, 3]);
    }

    #[test]
    fn worked_example_criteria_c2_c3_and_element() {
        let c2 = criterion_figures(&counts(&C2));
        let c3 = criterion_figures(&counts(&C3));
        assert_eq!((c2.n_valid, c2.n_satisfied), (11, 7));
        assert_eq!(round2(c2.index.unwrap()), 63.64);
        assert_eq!(round2(c2.mean_score.unwrap()), 70.45);
        assert_eq!((c3.n_valid, c3.n_satisfied), (12, 11));
        assert_eq!(round2(c3.index.unwrap()), 91.67);
        assert_eq!(round2(c3.mean_score.unwrap()), 83.33);
        let c1 = criterion_figures(&counts(&C1));
        let element = element_index(&[c1, c2, c3]).unwrap();
        assert_eq!(round2(element), 76.01);
    }

    #[test]
    fn worked_example_two_rounds() {
        let test = two_proportion_z_test(60, 100, 75, 100).unwrap();
        assert_eq!(round2(test.z), 2.26);
        assert_eq!((test.p_value * 1000.0).round() / 1000.0, 0.024);
        assert!(test.significant);
        let falling = two_proportion_z_test(75, 100, 60, 100).unwrap();
        assert!(falling.z < 0.0 && falling.significant);
    }

    #[test]
    fn yamane_examples() {
        assert_eq!(yamane_sample(1200, 0.05), 300);
        assert_eq!(yamane_sample(150, 0.05), 110);
        assert_eq!(yamane_sample(0, 0.05), 0);
    }

    #[test]
    fn no_valid_answer_gives_no_figure() {
        let f = criterion_figures(&LevelCounts::from_answers([None, Some(0)]));
        assert_eq!(f.n_valid, 0);
        assert_eq!(f.n_not_applicable, 2);
        assert!(f.index.is_none() && f.ci_low.is_none() && f.mean_score.is_none());
        assert_eq!(element_index(&[f]), None);
    }

    #[test]
    fn elements_without_answers_do_not_pull_the_overall_down() {
        assert_eq!(overall_index(&[Some(80.0), None, Some(60.0)]), Some(70.0));
        assert_eq!(overall_index(&[None]), None);
    }

    #[test]
    fn overall_interval_is_the_wilson_interval_scale_for_one_criterion_and_narrows_with_n() {
        // One element with one criterion: the delta method gives p ± z·sqrt(p(1−p)/n).
        let (low, high) = overall_interval(&[vec![(60, 100)]]).unwrap();
        let half = 1.959_963_984_540_054 * (0.6f64 * 0.4 / 100.0).sqrt();
        assert!(
            (low - 100.0 * (0.6 - half)).abs() < 1e-9 && (high - 100.0 * (0.6 + half)).abs() < 1e-9
        );
        let wide = overall_interval(&[vec![(6, 10)], vec![(8, 10)]]).unwrap();
        let narrow = overall_interval(&[vec![(600, 1000)], vec![(800, 1000)]]).unwrap();
        assert!(narrow.1 - narrow.0 < wide.1 - wide.0);
        assert!(
            wide.0 < 70.0 && 70.0 < wide.1,
            "the interval holds the overall index"
        );
        assert_eq!(overall_interval(&[vec![(0, 0)]]), None);
    }

    #[test]
    fn expectations_rank_by_the_share_asking_for_more() {
        let mut counts = LevelCounts::default();
        counts.add(Some(1), 3);
        counts.add(Some(2), 1);
        counts.add(Some(3), 4);
        assert_eq!(priority_share(&counts), Some(50.0));
        assert_eq!(priority_share(&LevelCounts::default()), None);
    }

    #[test]
    fn suppression_threshold() {
        assert!(is_suppressed(9, 10));
        assert!(!is_suppressed(10, 10));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn answers() -> impl Strategy<Value = Vec<Option<u8>>> {
            proptest::collection::vec(proptest::option::weighted(0.9, 1u8..=5), 0..200)
        }

        proptest! {
            #[test]
            fn figures_stay_within_0_and_100(values in answers()) {
                let f = criterion_figures(&LevelCounts::from_answers(values));
                for figure in [f.index, f.ci_low, f.ci_high, f.mean_score].into_iter().flatten() {
                    prop_assert!((0.0..=100.0).contains(&figure));
                }
            }

            #[test]
            fn overall_interval_stays_within_0_and_100_and_holds_the_overall(
                elements in proptest::collection::vec(
                    proptest::collection::vec((0u64..50, 1u64..50).prop_map(|(s, extra)| (s, s + extra)), 1..5),
                    1..6,
                )
            ) {
                let (low, high) = overall_interval(&elements).unwrap();
                prop_assert!((0.0..=100.0).contains(&low) && (0.0..=100.0).contains(&high));
                let element_indices: Vec<Option<f64>> = elements
                    .iter()
                    .map(|criteria| mean_of_present(criteria.iter().map(|(s, v)| criterion_index(*s, *v))))
                    .collect();
                let overall = overall_index(&element_indices).unwrap();
                prop_assert!(low <= overall + 1e-9 && overall <= high + 1e-9);
            }

            #[test]
            fn interval_contains_the_point(values in answers()) {
                let f = criterion_figures(&LevelCounts::from_answers(values));
                if let (Some(index), Some(low), Some(high)) = (f.index, f.ci_low, f.ci_high) {
                    prop_assert!(low <= index + 1e-9 && index <= high + 1e-9);
                }
            }

            #[test]
            fn order_of_responses_does_not_matter(values in answers(), seed in any::<u64>()) {
                let mut shuffled = values.clone();
                // A deterministic shuffle driven by the seed.
                let len = shuffled.len();
                for i in (1..len).rev() {
                    let j = ((seed.wrapping_mul(i as u64 + 1)) % (i as u64 + 1)) as usize;
                    shuffled.swap(i, j);
                }
                prop_assert_eq!(
                    criterion_figures(&LevelCounts::from_answers(values)),
                    criterion_figures(&LevelCounts::from_answers(shuffled))
                );
            }
        }
    }
}
