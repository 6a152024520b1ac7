//! RouteLLM's evaluation protocol (Ong et al., arXiv 2406.18665, section 5;
//! `routellm/evals/benchmarks.py` and `evaluate.py` at commit `0b64fdaf`),
//! beside the continuous curves of `curves`, so that figures can be set
//! beside the paper's tables:
//!
//! - a router is evaluated at 11 thresholds, the bin edges of `pandas.qcut`
//!   into 10 bins of its scores (linear quantiles 0, 0.1, .., 1): at every
//!   edge but the last, the queries scoring at least the edge go to the
//!   strong model; at the last, those scoring above it;
//! - the optimal router, and the curves that are expectations (random,
//!   synthetic AUC), are read at the 11 strong-call shares 0%, 10%, .., 100%
//!   (`get_optimal_accuracy(strong_percent / 100)` for `range(0, 101, 10)`);
//! - APGR is the trapezoid rule over those points sorted by share, and
//!   CPT(x) linear interpolation of the share at quality weak + x · gap, as
//!   `np.interp` does when quality rises with the share (`metrics::cpt`).
//!
//! The continuous curves differ by the trapezoids' chords: APGR by a few
//! thousandths, CPT by up to about a point and a half.

use super::curves::Pair;
use super::metrics::CurvePoint;
use super::table::OutcomeTable;

/// How a two-model router's curve is traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CurveProtocol {
    /// Every distinct threshold (one point per distinct router score).
    #[default]
    Continuous,
    /// RouteLLM's 11 points.
    RouteLlm,
}

/// The shares RouteLLM reads its curves at.
const DECILES: usize = 10;

/// `curve` (sorted by share, from 0 to 1) read at shares 0, 0.1, .., 1,
/// linear between its points. One walk along the curve.
pub fn at_deciles(curve: &[CurvePoint]) -> Vec<CurvePoint> {
    let mut out = Vec::with_capacity(DECILES + 1);
    let mut j = 0;
    for i in 0..=DECILES {
        let s = i as f64 / DECILES as f64;
        while j + 2 < curve.len() && curve[j + 1].strong_share < s {
            j += 1;
        }
        let (a, b) = (curve[j], curve[(j + 1).min(curve.len() - 1)]);
        let t = if b.strong_share > a.strong_share {
            ((s - a.strong_share) / (b.strong_share - a.strong_share)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        out.push(CurvePoint {
            strong_share: s,
            cost: a.cost + t * (b.cost - a.cost),
            quality: a.quality + t * (b.quality - a.quality),
        });
    }
    out
}

/// Linear quantile `q` of `sorted` (ascending), as numpy and pandas compute it.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A router's 11 points under RouteLLM's threshold sweep, sorted by share.
pub fn decile_thresholds(t: &OutcomeTable, p: Pair, score: &[f64]) -> Vec<CurvePoint> {
    let n = t.n_queries();
    let (sw, ss) = (&t.scores[p.weak], &t.scores[p.strong]);
    let (cw, cs) = (&t.costs[p.weak], &t.costs[p.strong]);
    // Queries by descending score; prefix sums of what sending them gains.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let mut gain = vec![0.0; n + 1];
    let mut extra = vec![0.0; n + 1];
    for (k, &q) in order.iter().enumerate() {
        gain[k + 1] = gain[k] + ss[q] - sw[q];
        extra[k + 1] = extra[k] + cs[q] - cw[q];
    }
    let desc: Vec<f64> = order.iter().map(|&q| score[q]).collect();
    let asc: Vec<f64> = desc.iter().rev().copied().collect();
    let (base_q, base_c): (f64, f64) = (sw.iter().sum(), cw.iter().sum());
    let nf = n as f64;
    let mut points: Vec<CurvePoint> = (0..=DECILES)
        .map(|i| {
            let edge = quantile(&asc, i as f64 / DECILES as f64);
            let k = if i < DECILES {
                desc.partition_point(|&s| s >= edge)
            } else {
                desc.partition_point(|&s| s > edge)
            };
            CurvePoint {
                strong_share: k as f64 / nf,
                cost: (base_c + extra[k]) / nf,
                quality: (base_q + gain[k]) / nf,
            }
        })
        .collect();
    points.sort_by(|a, b| a.strong_share.total_cmp(&b.strong_share));
    points
}

#[cfg(test)]
mod tests {
    use super::super::metrics::{apgr, cpt};
    use super::*;

    fn table(n: usize) -> OutcomeTable {
        // Strong right on every query, weak on none: PGR = share.
        OutcomeTable {
            models: vec!["weak".into(), "strong".into()],
            queries: (0..n).map(|q| format!("q{q}")).collect(),
            scores: vec![vec![0.0; n], vec![1.0; n]],
            costs: vec![vec![0.0; n], vec![1.0; n]],
            router: None,
            categories: None,
        }
    }

    #[test]
    fn eleven_thresholds_at_the_deciles_of_the_scores() {
        // Scores 0..19: edges 0, 1.9, 3.8, .., 19. Queries >= 1.9 are 2..19
        // (18 of 20): share 0.9; the last edge sends none (> 19).
        let t = table(20);
        let scores: Vec<f64> = (0..20).map(f64::from).collect();
        let c = decile_thresholds(&t, Pair { weak: 0, strong: 1 }, &scores);
        let shares: Vec<f64> = c.iter().map(|p| p.strong_share).collect();
        assert_eq!(
            shares,
            [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
        );
        assert!((apgr(&c, 0.0, 1.0).unwrap() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn a_curve_read_at_the_deciles_loses_its_corner() {
        // Optimal-shaped: PGR 0 -> 1 at share 0.25, then flat. Continuous
        // APGR 1 - 0.25 / 2 = 0.875; read at the deciles, PGR is 0, 0.4,
        // 0.8, then 1 from 0.3 on: APGR 0.1 * (0.2 + 0.6 + 0.9 + 7) = 0.87.
        let p = |s, q| CurvePoint {
            strong_share: s,
            cost: s,
            quality: q,
        };
        let c = [p(0.0, 0.0), p(0.25, 1.0), p(1.0, 1.0)];
        let d = at_deciles(&c);
        assert_eq!(d.len(), 11);
        assert!((d[2].quality - 0.8).abs() < 1e-12);
        assert!((apgr(&d, 0.0, 1.0).unwrap() - 0.87).abs() < 1e-12);
        assert!((cpt(&d, 0.0, 1.0, 0.5).unwrap() - 0.125).abs() < 1e-12);
    }
}
