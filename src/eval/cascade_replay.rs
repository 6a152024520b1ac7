//! A cascade replayed on the table's joint outcomes
//! (`docs/routing-math.md`, FrugalGPT, arXiv 2305.05176): every
//! query goes to the first model; a verifier accepts a correct answer with
//! probability `accept_correct` and a wrong one with `accept_wrong`, else the
//! query escalates to the next model; the last model's answer is final.
//!
//! Because each query's outcome on every model is known, "the strong model
//! on the queries the weak one failed" is what it actually scored on those
//! queries, not its average: no independence assumption. Cost counts every
//! stage tried (and a verifier check at each stage but the last); the
//! expectation over the verifier's coin flips is exact, not sampled.

use super::table::OutcomeTable;
use crate::money::Usd;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AcceptRule {
    pub accept_correct: f64,
    pub accept_wrong: f64,
    /// USD per check.
    pub cost: f64,
}

impl AcceptRule {
    pub const PERFECT: AcceptRule = AcceptRule {
        accept_correct: 1.0,
        accept_wrong: 0.0,
        cost: 0.0,
    };
}

#[derive(Debug, Clone, PartialEq)]
pub struct CascadeOutcome {
    pub quality: f64,
    pub mean_cost: Usd,
    /// Share of queries that reach each stage (the first is 1).
    pub reach: Vec<f64>,
    /// Share of queries whose final answer comes from each stage.
    pub answered: Vec<f64>,
}

/// Runs `stages` (table model indices, cheapest first as a rule) with the
/// verifier; an answer is correct when its score is at least `pass`.
pub fn cascade(t: &OutcomeTable, stages: &[usize], v: AcceptRule, pass: f64) -> CascadeOutcome {
    let n = t.n_queries();
    let last = stages.len().saturating_sub(1);
    let mut reach = vec![0.0; stages.len()];
    let mut answered = vec![0.0; stages.len()];
    let (mut quality, mut cost) = (0.0, 0.0);
    for q in 0..n {
        let mut p = 1.0;
        for (i, &m) in stages.iter().enumerate() {
            let (s, c) = (t.scores[m][q], t.costs[m][q]);
            reach[i] += p;
            cost += p * c;
            let accept = if i == last {
                1.0
            } else {
                cost += p * v.cost;
                if s >= pass {
                    v.accept_correct
                } else {
                    v.accept_wrong
                }
            };
            quality += p * accept * s;
            answered[i] += p * accept;
            p *= 1.0 - accept;
        }
    }
    let nf = n as f64;
    CascadeOutcome {
        quality: quality / nf,
        mean_cost: Usd(cost / nf),
        reach: reach.into_iter().map(|r| r / nf).collect(),
        answered: answered.into_iter().map(|a| a / nf).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weak right on q0, q1; strong right on q0, q2.
    fn table() -> OutcomeTable {
        OutcomeTable {
            models: vec!["weak".into(), "strong".into()],
            queries: (0..4).map(|q| format!("q{q}")).collect(),
            scores: vec![vec![1.0, 1.0, 0.0, 0.0], vec![1.0, 0.0, 1.0, 0.0]],
            costs: vec![vec![0.1; 4], vec![1.0; 4]],
            router: None,
            categories: None,
        }
    }

    #[test]
    fn a_perfect_verifier_escalates_exactly_the_weak_failures_and_pays_both_stages() {
        let o = cascade(&table(), &[0, 1], AcceptRule::PERFECT, 0.5);
        assert_eq!(o.reach, vec![1.0, 0.5]);
        // Every query pays weak (0.1); q2 and q3 also pay strong (1.0).
        assert!((o.mean_cost.value() - (0.4 + 2.0) / 4.0).abs() < 1e-12);
        // q0, q1 right by weak; q2 right by strong; q3 wrong on both.
        assert!((o.quality - 0.75).abs() < 1e-12);
    }

    #[test]
    fn the_strong_model_is_judged_on_the_escalated_queries_only() {
        // Strong averages 0.5 overall but fails both queries the weak model
        // escalates: the cascade gains nothing, where independent failures
        // would have credited it 0.5 * 0.5.
        let mut t = table();
        t.scores[1] = vec![1.0, 1.0, 0.0, 0.0];
        let o = cascade(&t, &[0, 1], AcceptRule::PERFECT, 0.5);
        assert!((o.quality - 0.5).abs() < 1e-12);
    }

    #[test]
    fn an_imperfect_verifier_mixes_expectations_and_charges_checks() {
        let v = AcceptRule {
            accept_correct: 0.9,
            accept_wrong: 0.2,
            cost: 0.01,
        };
        let o = cascade(&table(), &[0, 1], v, 0.5);
        // Escalation: correct weak answers 10%, wrong ones 80%.
        let p = (0.1 + 0.1 + 0.8 + 0.8) / 4.0;
        assert!((o.reach[1] - p).abs() < 1e-12);
        assert!((o.mean_cost.value() - (0.1 + 0.01 + p * 1.0)).abs() < 1e-12);
        // q0: 0.9*1 + 0.1*1; q1: 0.9*1 + 0.1*0; q2: 0.2*0 + 0.8*1; q3: 0.
        assert!((o.quality - (1.0 + 0.9 + 0.8) / 4.0).abs() < 1e-12);
    }
}
