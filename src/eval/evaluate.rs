//! One evaluation of an outcome table: the models, the oracle, the zero
//! router and every router asked for, each measured the same way (PGR,
//! APGR, CPT on the pair, on continuous curves or RouteLLM's 11 points;
//! AIQ, the cost to reach the baseline's quality and the saving against
//! the baseline on the dollar axis, on the router's own curve and mixed
//! with the single models). Pure; the command renders it.

use super::cascade_replay::{cascade, AcceptRule, CascadeOutcome};
use super::curves::{optimal, positive_share, random, synthetic_auc, threshold, Pair};
use super::dollar::{dollar_axis, DollarAxis};
use super::metrics::{apgr, cpt, model_stats, oracle, pgr, CurvePoint, ModelStats, Oracle};
use super::protocol::{at_deciles, decile_thresholds, CurveProtocol};
use super::table::OutcomeTable;
use crate::engine::frontier::{hull, Point};

#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// Default: the cheapest model (the better of equals).
    pub weak: Option<usize>,
    /// Default: the best model (the cheaper of equals).
    pub strong: Option<usize>,
    /// Default: the best model.
    pub baseline: Option<usize>,
    pub aucs: Vec<f64>,
    /// Model indices in the order tried. Empty: weak then strong.
    pub cascades: Vec<Vec<usize>>,
    pub verifier: AcceptRule,
    /// The normalised score at which an answer counts as correct.
    pub pass: f64,
    /// How the two-model curves are traced.
    pub protocol: CurveProtocol,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RouterTrace {
    /// One operating point; `strong_share` is the share of queries the
    /// strong model serves (or is tried on), when there is a pair.
    Point {
        cost: f64,
        quality: f64,
        strong_share: Option<f64>,
    },
    /// A curve over the strong-call share.
    Curve(Vec<CurvePoint>),
    /// The hull of the single models.
    Hull,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouterResult {
    pub name: String,
    pub shape: RouterTrace,
    pub pgr: Option<f64>,
    pub apgr: Option<f64>,
    pub cpt50: Option<f64>,
    pub cpt80: Option<f64>,
    pub dollar: DollarAxis,
    /// 1 - cost to reach the baseline's quality on the router's own curve
    /// / the baseline's cost (FrugalGPT's saving).
    pub saving: Option<f64>,
    /// The same, the router mixed with the single models.
    pub saving_mixed: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub stats: Vec<ModelStats>,
    /// Model indices on the zero router's hull, cheapest first.
    pub zero_hull: Vec<usize>,
    pub oracle: Oracle,
    /// `None` when the cheapest model is also the best.
    pub pair: Option<Pair>,
    pub best: usize,
    pub baseline: usize,
    /// The common cost range of AIQ: the cheapest to the dearest model.
    pub range: (f64, f64),
    /// Share of queries on which the strong model does better than the weak.
    pub positive_share: Option<f64>,
    pub cascades: Vec<(Vec<usize>, CascadeOutcome)>,
    pub routers: Vec<RouterResult>,
}

/// The best model: highest quality, the cheaper of equals.
fn best(stats: &[ModelStats]) -> usize {
    (0..stats.len())
        .min_by(|&a, &b| {
            stats[b].quality.total_cmp(&stats[a].quality).then(
                stats[a]
                    .mean_cost
                    .value()
                    .total_cmp(&stats[b].mean_cost.value()),
            )
        })
        .unwrap_or(0)
}

/// The cheapest model, the better of equals.
fn cheapest(stats: &[ModelStats]) -> usize {
    (0..stats.len())
        .min_by(|&a, &b| {
            stats[a]
                .mean_cost
                .value()
                .total_cmp(&stats[b].mean_cost.value())
                .then(stats[b].quality.total_cmp(&stats[a].quality))
        })
        .unwrap_or(0)
}

/// What every router is measured against: the single models, the AIQ
/// cost range, the baseline's quality and cost, the pair's qualities.
struct Yardstick<'a> {
    singles: &'a [Point],
    range: (f64, f64),
    target: f64,
    base_cost: f64,
    pair: Option<Pair>,
    qw: f64,
    qs: f64,
}

impl Yardstick<'_> {
    fn measure(&self, name: String, shape: RouterTrace) -> RouterResult {
        let pts: Vec<Point> = match &shape {
            RouterTrace::Point { cost, quality, .. } => vec![Point {
                cost: *cost,
                quality: *quality,
            }],
            RouterTrace::Curve(c) => c
                .iter()
                .map(|p| Point {
                    cost: p.cost,
                    quality: p.quality,
                })
                .collect(),
            RouterTrace::Hull => self.singles.to_vec(),
        };
        let dollar = dollar_axis(&pts, self.singles, self.range, self.target);
        let (mut pgr_, mut apgr_, mut cpt50, mut cpt80) = (None, None, None, None);
        if self.pair.is_some() {
            match &shape {
                RouterTrace::Point { quality, .. } => pgr_ = pgr(*quality, self.qw, self.qs),
                RouterTrace::Curve(c) => {
                    apgr_ = apgr(c, self.qw, self.qs);
                    cpt50 = cpt(c, self.qw, self.qs, 0.5);
                    cpt80 = cpt(c, self.qw, self.qs, 0.8);
                }
                RouterTrace::Hull => {}
            }
        }
        RouterResult {
            name,
            shape,
            pgr: pgr_,
            apgr: apgr_,
            cpt50,
            cpt80,
            saving: self.saving(dollar.cost_to_match),
            saving_mixed: self.saving(dollar.cost_to_match_mixed),
            dollar,
        }
    }

    fn saving(&self, cost: Option<f64>) -> Option<f64> {
        // Float noise around "exactly the baseline" reads as 0.
        cost.filter(|_| self.base_cost > 0.0)
            .map(|c| 1.0 - c / self.base_cost)
            .map(|s| if s.abs() < 1e-9 { 0.0 } else { s })
    }
}

/// The weak and strong models when none is named: the cheapest (the
/// better of equals) and the best (the cheaper of equals).
pub fn default_pair(t: &OutcomeTable) -> (usize, usize) {
    let stats = model_stats(t, 0.5);
    (cheapest(&stats), best(&stats))
}

pub fn evaluate(t: &OutcomeTable, o: &EvalOptions) -> Evaluation {
    let stats = model_stats(t, o.pass);
    let singles: Vec<Point> = stats.iter().map(ModelStats::point).collect();
    let best = best(&stats);
    let (weak, strong) = (o.weak.unwrap_or(cheapest(&stats)), o.strong.unwrap_or(best));
    let pair = (weak != strong).then_some(Pair { weak, strong });
    let baseline = o.baseline.unwrap_or(best);
    let target = stats[baseline].quality;
    let base_cost = stats[baseline].mean_cost.value();
    let costs = singles.iter().map(|p| p.cost);
    let range = (
        costs.clone().fold(f64::INFINITY, f64::min),
        costs.fold(f64::NEG_INFINITY, f64::max),
    );
    let (qw, qs) = pair.map_or((0.0, 0.0), |p| {
        (stats[p.weak].quality, stats[p.strong].quality)
    });
    let yardstick = Yardstick {
        singles: &singles,
        range,
        target,
        base_cost,
        pair,
        qw,
        qs,
    };
    let measure = |name: String, shape: RouterTrace| yardstick.measure(name, shape);
    let traced = |curve: Vec<CurvePoint>| match o.protocol {
        CurveProtocol::Continuous => RouterTrace::Curve(curve),
        CurveProtocol::RouteLlm => RouterTrace::Curve(at_deciles(&curve)),
    };
    let mut routers = vec![measure("zero router".into(), RouterTrace::Hull)];
    let orc = oracle(t, o.pass);
    let n = t.n_queries() as f64;
    routers.push(measure(
        "oracle".into(),
        RouterTrace::Point {
            cost: orc.mean_cost.value(),
            quality: orc.quality,
            strong_share: pair.map(|p| orc.mix[p.strong] as f64 / n),
        },
    ));
    let mut positive = None;
    if let Some(p) = pair {
        let (w, s) = (&t.models[p.weak], &t.models[p.strong]);
        routers.push(measure(format!("random {w} / {s}"), traced(random(t, p))));
        routers.push(measure(format!("optimal {w} / {s}"), traced(optimal(t, p))));
        if let Some(scores) = &t.router {
            let curve = match o.protocol {
                CurveProtocol::Continuous => threshold(t, p, scores),
                CurveProtocol::RouteLlm => decile_thresholds(t, p, scores),
            };
            routers.push(measure(
                "threshold router".into(),
                RouterTrace::Curve(curve),
            ));
        }
        positive = Some(positive_share(t, p));
        for &auc in &o.aucs {
            if let Some(curve) = synthetic_auc(t, p, auc) {
                routers.push(measure(format!("synthetic AUC {auc}"), traced(curve)));
            }
        }
    }
    let cascades = cascades(t, o, &yardstick, &mut routers);
    Evaluation {
        zero_hull: hull(&singles),
        stats,
        oracle: orc,
        pair,
        best,
        baseline,
        range,
        positive_share: positive,
        cascades,
        routers,
    }
}

/// The cascades asked for (weak then strong by default), replayed on the
/// joint outcomes; each also joins `routers` as a point.
fn cascades(
    t: &OutcomeTable,
    o: &EvalOptions,
    yardstick: &Yardstick,
    routers: &mut Vec<RouterResult>,
) -> Vec<(Vec<usize>, CascadeOutcome)> {
    let pair = yardstick.pair;
    let chains: Vec<Vec<usize>> = if o.cascades.is_empty() {
        pair.map(|p| vec![vec![p.weak, p.strong]])
            .unwrap_or_default()
    } else {
        o.cascades.clone()
    };
    let mut cascades = Vec::new();
    for chain in chains {
        let out = cascade(t, &chain, o.verifier, o.pass);
        let names: Vec<&str> = chain.iter().map(|&m| t.models[m].as_str()).collect();
        let strong_share = pair.and_then(|p| {
            chain
                .iter()
                .position(|&m| m == p.strong)
                .map(|i| out.reach[i])
        });
        routers.push(yardstick.measure(
            format!("cascade {}", names.join(" → ")),
            RouterTrace::Point {
                cost: out.mean_cost.value(),
                quality: out.quality,
                strong_share,
            },
        ));
        cascades.push((chain, out));
    }
    cascades
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> OutcomeTable {
        // cheap: 0.5 at $0.1; mid: 0.4 at $0.5 (dominated); dear: 0.75 at $1.
        OutcomeTable {
            models: vec!["cheap".into(), "mid".into(), "dear".into()],
            queries: (0..4).map(|q| format!("q{q}")).collect(),
            scores: vec![
                vec![1.0, 1.0, 0.0, 0.0],
                vec![1.0, 0.0, 0.6, 0.0],
                vec![1.0, 1.0, 1.0, 0.0],
            ],
            costs: vec![vec![0.1; 4], vec![0.5; 4], vec![1.0; 4]],
            router: None,
            categories: None,
        }
    }

    fn options() -> EvalOptions {
        EvalOptions {
            weak: None,
            strong: None,
            baseline: None,
            aucs: vec![0.8],
            cascades: Vec::new(),
            verifier: AcceptRule::PERFECT,
            pass: 0.5,
            protocol: CurveProtocol::Continuous,
        }
    }

    #[test]
    fn a_dominated_model_falls_off_the_zero_router_hull() {
        let e = evaluate(&table(), &options());
        assert_eq!(e.zero_hull, vec![0, 2]);
        assert_eq!(e.pair, Some(Pair { weak: 0, strong: 2 }));
        assert_eq!(e.baseline, 2);
    }

    #[test]
    fn every_router_is_measured_against_the_best_models_quality() {
        let e = evaluate(&table(), &options());
        let get = |name: &str| e.routers.iter().find(|r| r.name.starts_with(name)).unwrap();
        assert_eq!(get("zero router").saving, Some(0.0));
        assert_eq!(get("random").apgr, Some(0.5));
        // Random cheap/dear: its own line reaches 0.75 only at dear ($1),
        // so it saves nothing; AIQ of the line over [$0.1, $1] is 0.625.
        let random = get("random");
        assert_eq!(random.saving, Some(0.0));
        assert!((random.dollar.aiq.unwrap() - 0.625).abs() < 1e-12);
        // The oracle: q0, q1 cheap; q2 dear; q3 cheap (nobody) = $1.3 / 4.
        let oracle = get("oracle");
        assert!((oracle.dollar.cost_to_match.unwrap() - 1.3 / 4.0).abs() < 1e-9);
        assert!((oracle.saving.unwrap() - (1.0 - 0.325)).abs() < 1e-9);
        // A single point has no hull to average over [$0.1, $1].
        assert_eq!(oracle.dollar.aiq, None);
        // Optimal cheap/dear: q2 alone gains (+1): (0.1, 0.5) -> share 1/4
        // at $0.325, quality 0.75, then flat: it reaches the baseline at
        // $0.325 on its own curve, a saving of 67.5%.
        let optimal = get("optimal");
        assert!((optimal.saving.unwrap() - 0.675).abs() < 1e-9);
        assert!((optimal.saving_mixed.unwrap() - 0.675).abs() < 1e-9);
        // The perfect-verifier cascade: all pay cheap, q2 and q3 pay dear.
        let cascade = get("cascade");
        let RouterTrace::Point {
            cost,
            quality,
            strong_share,
        } = cascade.shape
        else {
            panic!("a cascade is a point");
        };
        assert!((cost - (0.4 + 2.0) / 4.0).abs() < 1e-12);
        assert_eq!((quality, strong_share), (0.75, Some(0.5)));
        assert_eq!(cascade.pgr, Some(1.0));
    }
}
