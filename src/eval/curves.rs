//! Two-model routers traced as curves over the strong-call share, from the
//! table's actual per-query outcomes (`docs/routing-math.md`):
//!
//! - random: each query goes to the strong model with probability s; the
//!   expected curve is the straight line between the two models, so its
//!   APGR is exactly 0.5 and CPT(x) is x.
//! - threshold: a router score per query; sending the queries above a
//!   threshold to the strong model, for every threshold, gives a point per
//!   distinct score (ties move together).
//! - optimal (RouteLLM's "optimal" router, Ong et al., arXiv 2406.18665,
//!   section 5.1, `get_optimal_accuracy` in its code): with a budget of at
//!   most c strong calls, the queries where the strong model gains most go
//!   to it, and only those where it gains at all; once they are used up the
//!   curve stays flat. The best any router on this pair can do at each
//!   share.
//! - synthetic AUC: a classifier that knows only which queries the strong
//!   model does better on ("positives"), with a binormal ROC of the given
//!   AUC; its expected curve, for every threshold. AUC 0.5 is the random
//!   router.

use super::metrics::CurvePoint;
use super::radix;
use super::table::OutcomeTable;
use crate::engine::confusion::binormal_tpr;

/// The weak and strong models, as table indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub weak: usize,
    pub strong: usize,
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

pub fn random(t: &OutcomeTable, p: Pair) -> Vec<CurvePoint> {
    let end = |m: usize, share| CurvePoint {
        strong_share: share,
        cost: mean(&t.costs[m]),
        quality: mean(&t.scores[m]),
    };
    vec![end(p.weak, 0.0), end(p.strong, 1.0)]
}

/// Queries with the highest `score` go to the strong model first; equal
/// scores move together, so there is one point per distinct score.
pub fn threshold(t: &OutcomeTable, p: Pair, score: &[f64]) -> Vec<CurvePoint> {
    let n = t.n_queries();
    // Highest score first, ties in query order.
    let mut order: Vec<(u64, u32)> = (0..n)
        .map(|q| (!radix::ascending(score[q]), q as u32))
        .collect();
    radix::sort_stable(&mut order);
    let score_of = |key: u64| radix::from_ascending(!key);
    let (sw, ss) = (&t.scores[p.weak], &t.scores[p.strong]);
    let (cw, cs) = (&t.costs[p.weak], &t.costs[p.strong]);
    let mut quality: f64 = sw.iter().sum();
    let mut cost: f64 = cw.iter().sum();
    let nf = n as f64;
    let mut points = vec![CurvePoint {
        strong_share: 0.0,
        cost: cost / nf,
        quality: quality / nf,
    }];
    for (k, &(key, q)) in order.iter().enumerate() {
        let q = q as usize;
        quality += ss[q] - sw[q];
        cost += cs[q] - cw[q];
        let last_of_tie = order
            .get(k + 1)
            .is_none_or(|&(next, _)| score_of(next) != score_of(key));
        if last_of_tie {
            points.push(CurvePoint {
                strong_share: (k + 1) as f64 / nf,
                cost: cost / nf,
                quality: quality / nf,
            });
        }
    }
    points
}

/// RouteLLM's optimal router on the pair: at most `c` strong calls, spent
/// on the queries the strong model gains most on (ties: the smaller extra
/// cost first), never on one it does not gain on. A point at the end of
/// each run of equal (gain, extra cost), so a pass/fail table with fixed
/// costs has three points: the weak model, all gains taken, share 1.
pub fn optimal(t: &OutcomeTable, p: Pair) -> Vec<CurvePoint> {
    let n = t.n_queries();
    let (sw, ss) = (&t.scores[p.weak], &t.scores[p.strong]);
    let (cw, cs) = (&t.costs[p.weak], &t.costs[p.strong]);
    let mut gains: Vec<(f64, f64)> = (0..n)
        .filter(|&q| ss[q] > sw[q])
        .map(|q| (ss[q] - sw[q], cs[q] - cw[q]))
        .collect();
    // Equal keys are equal pairs, so an unstable sort orders them alike.
    gains.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
    let nf = n as f64;
    let mut quality: f64 = sw.iter().sum();
    let mut cost: f64 = cw.iter().sum();
    let mut points = vec![CurvePoint {
        strong_share: 0.0,
        cost: cost / nf,
        quality: quality / nf,
    }];
    for (k, &(gain, extra)) in gains.iter().enumerate() {
        quality += gain;
        cost += extra;
        if gains.get(k + 1) != Some(&(gain, extra)) {
            points.push(CurvePoint {
                strong_share: (k + 1) as f64 / nf,
                cost: cost / nf,
                quality: quality / nf,
            });
        }
    }
    let last = points[points.len() - 1];
    if last.strong_share < 1.0 {
        points.push(CurvePoint {
            strong_share: 1.0,
            ..last
        });
    }
    points
}

/// Share of queries on which the strong model scores higher than the weak one.
pub fn positive_share(t: &OutcomeTable, p: Pair) -> f64 {
    let n = t.n_queries();
    (0..n)
        .filter(|&q| t.scores[p.strong][q] > t.scores[p.weak][q])
        .count() as f64
        / n as f64
}

/// The expected curve of a binormal classifier of `auc` that sends
/// predicted positives (queries the strong model does better on) to the
/// strong model. `None` if there are no positives or no negatives.
pub fn synthetic_auc(t: &OutcomeTable, p: Pair, auc: f64) -> Option<Vec<CurvePoint>> {
    // Dense near FPR 0, where the ROC rises fastest.
    const STEPS: usize = 400;
    let n = t.n_queries();
    let (mut pos, mut neg) = ((0usize, 0.0, 0.0), (0usize, 0.0, 0.0));
    let (sw, ss) = (&t.scores[p.weak], &t.scores[p.strong]);
    let (cw, cs) = (&t.costs[p.weak], &t.costs[p.strong]);
    for q in 0..n {
        let class = if ss[q] > sw[q] { &mut pos } else { &mut neg };
        class.0 += 1;
        class.1 += ss[q] - sw[q];
        class.2 += cs[q] - cw[q];
    }
    if pos.0 == 0 || neg.0 == 0 {
        return None;
    }
    let nf = n as f64;
    let (base_q, base_c) = (mean(sw), mean(cw));
    // The ROC starts at (0, 0): even a perfect classifier (AUC 1, whose
    // TPR is 1 at any FPR) sends nothing to the strong model at share 0.
    let origin = CurvePoint {
        strong_share: 0.0,
        quality: base_q,
        cost: base_c,
    };
    let rest = (0..=STEPS)
        .map(|i| {
            let fpr = (i as f64 / STEPS as f64).powi(2);
            let tpr = binormal_tpr(auc, fpr);
            CurvePoint {
                strong_share: (tpr * pos.0 as f64 + fpr * neg.0 as f64) / nf,
                quality: base_q + (tpr * pos.1 + fpr * neg.1) / nf,
                cost: base_c + (tpr * pos.2 + fpr * neg.2) / nf,
            }
        })
        .filter(|p| p.strong_share > 0.0);
    Some(std::iter::once(origin).chain(rest).collect())
}

#[cfg(test)]
mod tests {
    use super::super::metrics::{apgr, cpt};
    use super::*;

    /// Weak right on q0, q1; strong right on q0..q2; q3 nobody.
    fn table() -> OutcomeTable {
        OutcomeTable {
            models: vec!["weak".into(), "strong".into()],
            queries: (0..4).map(|q| format!("q{q}")).collect(),
            scores: vec![vec![1.0, 1.0, 0.0, 0.0], vec![1.0, 1.0, 1.0, 0.0]],
            costs: vec![vec![0.1; 4], vec![1.0; 4]],
            router: None,
            categories: None,
        }
    }

    const P: Pair = Pair { weak: 0, strong: 1 };

    #[test]
    fn the_random_router_has_apgr_exactly_one_half() {
        let t = table();
        let c = random(&t, P);
        assert_eq!(apgr(&c, 0.5, 0.75), Some(0.5));
        assert_eq!(cpt(&c, 0.5, 0.75, 0.5), Some(0.5));
        assert!((cpt(&c, 0.5, 0.75, 0.8).unwrap() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn a_router_scoring_the_one_gain_query_highest_recovers_the_gap_with_a_quarter_of_calls() {
        let t = table();
        let c = threshold(&t, P, &[0.1, 0.2, 0.9, 0.3]);
        assert_eq!(c.len(), 5);
        assert_eq!(cpt(&c, 0.5, 0.75, 1.0), Some(0.25));
        // PGR 0 at 0, then 1 from 0.25 on: area 0.125 + 0.75.
        assert!((apgr(&c, 0.5, 0.75).unwrap() - 0.875).abs() < 1e-12);
    }

    #[test]
    fn the_optimal_router_makes_at_most_c_strong_calls() {
        // Weak right on q1 only, strong on q0 and q2; q3 nobody. Gains: q0 +1,
        // q2 +1, q1 -1. Weak 0.25, strong 0.5, gap 0.25.
        let mut t = table();
        t.scores = vec![vec![0.0, 1.0, 0.0, 0.0], vec![1.0, 0.0, 1.0, 0.0]];
        let c = optimal(&t, P);
        // (0, 0.25), (0.5, 0.75), then flat to (1, 0.75): it never spends
        // a call on q1, where the strong model loses.
        let qualities: Vec<(f64, f64)> = c.iter().map(|p| (p.strong_share, p.quality)).collect();
        assert_eq!(qualities, [(0.0, 0.25), (0.5, 0.75), (1.0, 0.75)]);
        // PGR 0 -> 2 over [0, 0.5], then 2: APGR = 0.5 + 1 = 1.5. Forcing
        // exactly c calls (q3, then q1) would give PGR 0, 1, 2, 2, 1 at
        // shares 0, 1/4, .., 1: APGR 0.125 + 0.375 + 0.5 + 0.375 = 1.375.
        assert!((apgr(&c, 0.25, 0.5).unwrap() - 1.5).abs() < 1e-12);
        // PGR 0.5 at share 0.125.
        assert!((cpt(&c, 0.25, 0.5, 0.5).unwrap() - 0.125).abs() < 1e-12);
    }

    #[test]
    fn auc_one_starts_at_the_weak_model_and_is_the_limit_of_auc_near_one() {
        let t = table();
        let perfect = synthetic_auc(&t, P, 1.0).unwrap();
        assert_eq!(perfect[0].strong_share, 0.0);
        assert_eq!(perfect[0].quality, 0.5);
        let near = synthetic_auc(&t, P, 0.999_999).unwrap();
        let (a, b) = (
            apgr(&perfect, 0.5, 0.75).unwrap(),
            apgr(&near, 0.5, 0.75).unwrap(),
        );
        // The limit: PGR = TPR reaches 1 at share h = 1/4, so APGR = 1 - h/2.
        assert!((a - 0.875).abs() < 1e-9, "{a}");
        assert!((a - b).abs() < 1e-2, "{a} {b}");
        assert!((cpt(&perfect, 0.5, 0.75, 0.5).unwrap() - 0.125).abs() < 1e-9);
    }

    #[test]
    fn tied_router_scores_move_together() {
        let t = table();
        let c = threshold(&t, P, &[0.5; 4]);
        assert_eq!(c.len(), 2);
        assert_eq!(c, random(&t, P));
    }

    #[test]
    fn synthetic_routers_match_the_closed_form_and_auc_one_half_is_random() {
        let t = table();
        let c = synthetic_auc(&t, P, 0.5).unwrap();
        assert!((apgr(&c, 0.5, 0.75).unwrap() - 0.5).abs() < 1e-9);
        // With no gain on negatives, PGR = TPR and the share is
        // h TPR + (1 - h) FPR, so APGR = h / 2 + (1 - h) AUC = 0.8 here.
        let better = synthetic_auc(&t, P, 0.9).unwrap();
        let a = apgr(&better, 0.5, 0.75).unwrap();
        assert!((a - 0.8).abs() < 1e-3, "{a}");
        let end = better.last().unwrap();
        assert!((end.strong_share - 1.0).abs() < 1e-12 && (end.quality - 0.75).abs() < 1e-12);
    }

    /// A pass/fail pair from counts: `w` queries only the weak model gets
    /// right, `s` only the strong one, `both`, and the rest neither.
    fn counted(n: usize, w: usize, s: usize, both: usize) -> OutcomeTable {
        let row = |q: usize| {
            (
                q < w || q >= w + s && q < w + s + both,
                q >= w && q < w + s + both,
            )
        };
        let (weak, strong): (Vec<f64>, Vec<f64>) = (0..n)
            .map(|q| (f64::from(u8::from(row(q).0)), f64::from(u8::from(row(q).1))))
            .unzip();
        OutcomeTable {
            models: vec!["weak".into(), "strong".into()],
            queries: (0..n).map(|q| q.to_string()).collect(),
            scores: vec![weak, strong],
            costs: vec![vec![1.0; n], vec![10.0; n]],
            router: None,
            categories: None,
        }
    }

    #[test]
    fn routellms_optimal_apgr_on_mmlu_and_gsm8k() {
        // Counts from RouteLLM's outcome tables after decontamination
        // (tests/fixtures/routing/ for GSM8K; MMLU from the same repository's
        // per-domain CSVs). With h = positives / n and P = positives / gap,
        // at most c strong calls give APGR = P (1 - h / 2).
        // MMLU: n 14,037, Mixtral 9,558, GPT-4 11,312 right; 2,496 only
        // GPT-4, 742 only Mixtral: P = 2496 / 1754, h = 2496 / 14037,
        // APGR 1.42303 × 0.91109 = 1.2965 (forcing exactly c: 1.2853).
        let mmlu = counted(14_037, 742, 2_496, 11_312 - 2_496);
        let (qw, qs) = (9_558.0 / 14_037.0, 11_312.0 / 14_037.0);
        let a = apgr(&optimal(&mmlu, P), qw, qs).unwrap();
        assert!((a - 1.296_51).abs() < 1e-5, "{a}");
        // GSM8K: n 1,307, Mixtral 833, GPT-4 1,121; 382 only GPT-4, 94 only
        // Mixtral: P = 382 / 288, h = 382 / 1307: APGR 1.13256.
        let gsm8k = counted(1_307, 94, 382, 1_121 - 382);
        let (qw, qs) = (833.0 / 1_307.0, 1_121.0 / 1_307.0);
        let a = apgr(&optimal(&gsm8k, P), qw, qs).unwrap();
        assert!((a - 1.132_56).abs() < 1e-5, "{a}");
    }
}
