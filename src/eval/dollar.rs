//! A router on the dollar axis (cost per query against quality), read the
//! way the papers read it:
//!
//! - AIQ (RouterBench, Hu et al., arXiv 2403.12031, section 3.2): the mean,
//!   over the common cost range [c_min, c_max], of the non-decreasing convex
//!   hull of the router's *own* points (its operating points as its
//!   threshold varies), flat to the right of its dearest point. A router
//!   whose cheapest point costs more than c_min has no AIQ over that range.
//! - The cost of reaching a target quality on the router's own curve
//!   (FrugalGPT, Chen et al., arXiv 2305.05176, reads its savings this way):
//!   the cheapest point of the curve, linear between consecutive points,
//!   whose quality reaches the target.
//! - The same cost once the router may also be mixed at random with the
//!   single models (the hull of the router together with them): what the
//!   router makes reachable, never worse than the zero router.
//!
//! Every function here is one walk over points already sorted (hull
//! vertices by cost), so an evaluation stays linear in the curve's length.

use crate::engine::frontier::{hull, Point};

/// Where a router stands on the dollar axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DollarAxis {
    /// AIQ of the router's own hull over the common cost range.
    pub aiq: Option<f64>,
    /// The cheapest cost per query on the router's own curve that reaches
    /// the target quality.
    pub cost_to_match: Option<f64>,
    /// The same, mixed with the single models.
    pub cost_to_match_mixed: Option<f64>,
}

/// The dollar-axis figures of a router traced by `curve` (in its own order;
/// one point for a single operating point), against `singles`, over the
/// common `range`, to reach `target`.
pub fn dollar_axis(
    curve: &[Point],
    singles: &[Point],
    range: (f64, f64),
    target: f64,
) -> DollarAxis {
    let own = vertices(curve);
    let mut mixed: Vec<Point> = curve.iter().chain(singles).copied().collect();
    let mixed = hull_of_sorted(by_cost(&mut mixed));
    DollarAxis {
        aiq: mean_over(&own, range.0, range.1),
        cost_to_match: cost_on_curve(curve, target),
        cost_to_match_mixed: cost_on_curve(&mixed, target),
    }
}

/// The vertices of the non-decreasing convex hull of `points`, cheapest first.
pub fn vertices(points: &[Point]) -> Vec<Point> {
    hull_of_sorted(by_cost(&mut points.to_vec()))
}

/// `points` in the order `hull` takes them (cheapest first, the better of
/// equal costs first). Points equal in both are equal bit for bit, so
/// their order changes nothing, and an unstable sort of the values is
/// much faster on a long curve than `hull`'s stable sort of indices.
fn by_cost(points: &mut [Point]) -> &[Point] {
    points.sort_unstable_by(|a, b| {
        a.cost
            .total_cmp(&b.cost)
            .then(b.quality.total_cmp(&a.quality))
    });
    points
}

/// `vertices` of points already in `by_cost` order (so `hull`'s own sort
/// finds one run and is linear).
fn hull_of_sorted(sorted: &[Point]) -> Vec<Point> {
    hull(sorted).into_iter().map(|i| sorted[i]).collect()
}

/// The mean of the piecewise-linear `hull` (vertices sorted by cost) over
/// [lo, hi], flat right of its last vertex; `None` if the hull starts right
/// of `lo` or the range is empty. One walk along the vertices.
pub fn mean_over(hull: &[Point], lo: f64, hi: f64) -> Option<f64> {
    let first = hull.first()?;
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) || first.cost > lo {
        return None;
    }
    let at = |a: Point, b: Point, c: f64| {
        if b.cost > a.cost {
            a.quality + (c - a.cost) / (b.cost - a.cost) * (b.quality - a.quality)
        } else {
            b.quality
        }
    };
    let mut area = 0.0;
    for w in hull.windows(2) {
        let (a, b) = (w[0], w[1]);
        let (from, to) = (a.cost.max(lo), b.cost.min(hi));
        if to > from {
            area += (to - from) * (at(a, b, from) + at(a, b, to)) / 2.0;
        }
    }
    let last = hull[hull.len() - 1];
    if hi > last.cost {
        area += (hi - last.cost.max(lo)) * last.quality;
    }
    Some(area / (hi - lo))
}

/// The cheapest cost at which `curve` (in its own order, linear between
/// consecutive points) reaches `target`, if it ever does.
pub fn cost_on_curve(curve: &[Point], target: f64) -> Option<f64> {
    // A curve that ends at the baseline itself, summed in another order,
    // may miss its quality by float noise.
    let reached = |q: f64| q >= target - 1e-12 * target.abs().max(1.0);
    let mut best: Option<f64> = None;
    let mut take = |c: f64| best = Some(best.map_or(c, |b: f64| b.min(c)));
    for (i, p) in curve.iter().enumerate() {
        if reached(p.quality) {
            take(p.cost);
        }
        if let Some(q) = curve.get(i + 1) {
            // The segment crosses the target between its ends.
            let (lo, hi) = if p.quality < q.quality {
                (p, q)
            } else {
                (q, p)
            };
            if !reached(lo.quality) && target < hi.quality {
                let t = (target - lo.quality) / (hi.quality - lo.quality);
                take(lo.cost + t * (hi.cost - lo.cost));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(cost: f64, quality: f64) -> Point {
        Point { cost, quality }
    }

    #[test]
    fn aiq_is_the_mean_of_the_routers_own_hull_flat_to_the_right() {
        // Hull (0, 0.2) -> (1, 0.6); over [0, 2]: (0.4 * 1 + 0.6 * 1) / 2 = 0.5.
        let own = vertices(&[p(0.0, 0.2), p(0.5, 0.3), p(1.0, 0.6)]);
        assert_eq!(own.len(), 2);
        assert!((mean_over(&own, 0.0, 2.0).unwrap() - 0.5).abs() < 1e-12);
        // Over [0.5, 1]: the hull runs 0.4 -> 0.6, mean 0.5.
        assert!((mean_over(&own, 0.5, 1.0).unwrap() - 0.5).abs() < 1e-12);
        // A router whose cheapest point is dearer than c_min has no AIQ there.
        assert_eq!(mean_over(&[p(0.5, 0.9)], 0.0, 1.0), None);
    }

    #[test]
    fn the_own_curve_and_the_mix_with_single_models_differ() {
        // A router (1, 0.5) -> (3, 0.9) and a single model (0.5, 0.7): the
        // router alone reaches 0.7 at cost 2; mixed with the model, at 0.5.
        let curve = [p(1.0, 0.5), p(3.0, 0.9)];
        let d = dollar_axis(&curve, &[p(0.5, 0.7)], (0.5, 3.0), 0.7);
        assert!((d.cost_to_match.unwrap() - 2.0).abs() < 1e-12);
        assert!((d.cost_to_match_mixed.unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(d.aiq, None, "the router starts at 1, right of c_min 0.5");
        assert_eq!(cost_on_curve(&curve, 0.95), None);
    }

    #[test]
    fn a_curve_that_falls_back_is_read_where_it_first_reaches_the_target_cheapest() {
        // Quality rises to 0.8 at cost 2, then falls: 0.7 is reached at 1.5.
        let curve = [p(1.0, 0.6), p(2.0, 0.8), p(3.0, 0.65)];
        assert!((cost_on_curve(&curve, 0.7).unwrap() - 1.5).abs() < 1e-12);
    }

    /// FrugalGPT's published summary (tests/fixtures/eval-frugalgpt/): the
    /// cascade's 20 points (Method = FrugalGPT) in budget order, and the 10
    /// single models, as (Test_cost, Test_acc).
    fn frugalgpt(csv: &str) -> (Vec<Point>, Vec<Point>) {
        let (mut curve, mut singles) = (Vec::new(), Vec::new());
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let point = p(f[2].parse().unwrap(), f[1].parse().unwrap());
            if f[8] == "FrugalGPT" {
                curve.push(point);
            } else {
                singles.push(point);
            }
        }
        (curve, singles)
    }

    /// The saving against the best single model (the cheaper of equals),
    /// on the cascade's own curve and mixed with the single models.
    fn savings(csv: &str) -> (f64, f64) {
        let (curve, singles) = frugalgpt(csv);
        let best = singles
            .iter()
            .copied()
            .reduce(|a, b| {
                if b.quality > a.quality || (b.quality == a.quality && b.cost < a.cost) {
                    b
                } else {
                    a
                }
            })
            .unwrap();
        let d = dollar_axis(&curve, &singles, (0.0, 1.0), best.quality);
        (
            1.0 - d.cost_to_match.unwrap() / best.cost,
            1.0 - d.cost_to_match_mixed.unwrap() / best.cost,
        )
    }

    #[test]
    fn frugalgpts_own_savings_on_overruling_and_coqa_are_the_papers() {
        // OVERRULING: the best model is claude-3-5-sonnet, 0.959259 at
        // $0.001060878; FrugalGPT's first point reaches it exactly at
        // $0.000453326: 1 - 0.000453326 / 0.001060878 = 57.27%. Mixed with
        // gpt-4o-mini (0.957407 at $0.0000437379) the hull runs to the
        // cascade's (0.961111, $0.000797981) and meets 0.959259 halfway:
        // $0.000420859, a saving of 1 - 0.420859 / 1.060878 = 60.33%.
        let (own, mixed) = savings(include_str!(
            "../../tests/fixtures/eval-frugalgpt/summary_OVERRULING_e5_full_2024.csv"
        ));
        assert!((own - 0.572_688).abs() < 1e-6, "{own}");
        assert!((mixed - 0.603_291).abs() < 1e-6, "{mixed}");
        // COQA: the best model is gemini-1.5-flash, 0.338762 at
        // $0.0000733698; FrugalGPT reaches that accuracy only at
        // $0.0000738449: 1 - 7.384493 / 7.336983 = -0.65%. Mixed, the model
        // itself: 0.
        let (own, mixed) = savings(include_str!(
            "../../tests/fixtures/eval-frugalgpt/summary_COQA_e2_full_2024.csv"
        ));
        assert!((own + 0.006_475_5).abs() < 1e-6, "{own}");
        assert!(mixed.abs() < 1e-12, "{mixed}");
    }
}
