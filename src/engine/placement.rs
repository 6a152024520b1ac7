//! `cost frontier`'s analysis: every plan and single model placed on cost
//! vs quality; the frontier over all of them (`frontier::hull`); for each
//! point, what dominates it, and how it compares with the zero router (the
//! hull of single models alone, which a routing plan must beat).

use super::frontier::{cost_for, dominator, hull, quality_at, Point};
use super::outcome::{Context, EngineError, PlanOutcome};
use super::routing::evaluate;
use crate::scenario::{Plan, PlanKind, Scenario};

/// One plan or single model on the chart.
#[derive(Debug, Clone)]
pub struct Placed {
    pub outcome: PlanOutcome,
    /// A single model (declared as a plan, or added for the comparison).
    pub single: bool,
    pub point: Point,
    pub on_frontier: bool,
    pub dominated_by: Option<String>,
    /// The zero router's quality at this point's cost.
    pub zero_quality: Option<f64>,
    /// The zero router's cost per request for this point's quality.
    pub zero_cost: Option<f64>,
}

impl Placed {
    /// Quality above the zero router at the same cost.
    pub fn quality_vs_zero(&self) -> Option<f64> {
        self.zero_quality.map(|z| self.point.quality - z)
    }

    /// Saving against the zero router at the same quality, as a fraction.
    pub fn savings_vs_zero(&self) -> Option<f64> {
        self.zero_cost
            .filter(|c| *c > 0.0)
            .map(|c| (c - self.point.cost) / c)
    }
}

#[derive(Debug, Clone)]
pub struct Placement {
    /// In evaluation order: the scenario's plans, then the added single models.
    pub placed: Vec<Placed>,
    /// The frontier's vertices over every point, cheapest first.
    pub frontier: Vec<Point>,
    /// The zero router's vertices (single models only), cheapest first.
    pub zero_router: Vec<Point>,
    /// Plans left out for lack of success rates.
    pub skipped: Vec<String>,
}

/// The single models to place when none are named: every model with a
/// success rate for every class.
pub fn fully_rated_models(s: &Scenario) -> Vec<String> {
    let mut all: Vec<String> = s
        .quality
        .0
        .values()
        .flat_map(|m| m.keys().cloned())
        .collect();
    all.sort();
    all.dedup();
    all.retain(|m| {
        s.classes
            .iter()
            .all(|c| s.quality.rate(&c.name, m).is_some())
    });
    all
}

/// Places the scenario's plans and `singles` (catalog ids) not already
/// declared as single-model plans.
pub fn place(s: &Scenario, singles: &[String], ctx: &Context) -> Result<Placement, EngineError> {
    if s.quality.is_empty() {
        return Err(EngineError::NoQualityAxis {
            scenario: s.name.clone(),
        });
    }
    let mut plans: Vec<(Plan, bool)> = s
        .plans
        .iter()
        .map(|p| (p.clone(), matches!(p.kind, PlanKind::Single(_))))
        .collect();
    for m in singles {
        if !plans
            .iter()
            .any(|(p, _)| p.tier.is_none() && matches!(&p.kind, PlanKind::Single(x) if x == m))
        {
            plans.push((Plan::single(m), true));
        }
    }
    let mut outcomes: Vec<(PlanOutcome, bool)> = Vec::new();
    let mut skipped = Vec::new();
    for (plan, single) in &plans {
        let o = evaluate(s, plan, ctx)?;
        if o.quality.is_some() {
            outcomes.push((o, *single));
        } else {
            skipped.push(o.plan);
        }
    }
    let points: Vec<Point> = outcomes
        .iter()
        .map(|(o, _)| Point {
            cost: o.per_request.value(),
            quality: o.quality.unwrap_or(0.0),
        })
        .collect();
    let frontier = hull(&points);
    let single_points: Vec<Point> = (0..outcomes.len())
        .filter(|&i| outcomes[i].1)
        .map(|i| points[i])
        .collect();
    let zero = hull(&single_points);
    let dominated: Vec<Option<String>> = (0..points.len())
        .map(|i| dominator(&points, i).map(|j| outcomes[j].0.plan.clone()))
        .collect();
    let placed: Vec<Placed> = outcomes
        .into_iter()
        .zip(dominated)
        .enumerate()
        .map(|(i, ((outcome, single), dominated_by))| {
            let p = points[i];
            Placed {
                outcome,
                single,
                point: p,
                on_frontier: frontier.iter().any(|&h| points[h] == p),
                dominated_by,
                zero_quality: quality_at(&single_points, &zero, p.cost),
                zero_cost: cost_for(&single_points, &zero, p.quality),
            }
        })
        .collect();
    Ok(Placement {
        placed,
        frontier: frontier.iter().map(|&i| points[i]).collect(),
        zero_router: zero.iter().map(|&i| single_points[i]).collect(),
        skipped,
    })
}

impl Placement {
    /// The points cheapest first, ties by plan name.
    pub fn by_cost(&self) -> Vec<&Placed> {
        let mut sorted: Vec<&Placed> = self.placed.iter().collect();
        sorted.sort_by(|a, b| {
            a.point
                .cost
                .total_cmp(&b.point.cost)
                .then(a.outcome.plan.cmp(&b.outcome.plan))
        });
        sorted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{catalog, context, scenario};

    #[test]
    fn the_worked_example_places_the_perfect_router_above_the_zero_router() {
        let catalog = catalog();
        let s = scenario("routing-example", &catalog);
        let ctx = context(&catalog);
        let p = place(&s, &fully_rated_models(&s), &ctx).unwrap();
        let costs: Vec<f64> = p.by_cost().iter().map(|x| x.point.cost).collect();
        assert!(costs.windows(2).all(|w| w[0] <= w[1]), "cheapest first");
        let perfect = p
            .placed
            .iter()
            .find(|x| x.outcome.plan == "perfect-router")
            .unwrap();
        assert!(perfect.on_frontier);
        assert!(perfect.quality_vs_zero().unwrap() > 0.0);
        assert!(perfect.savings_vs_zero().unwrap() > 0.0);
        // Single models are on the zero router's hull or below it.
        for x in p.placed.iter().filter(|x| x.single) {
            assert!(x.quality_vs_zero().unwrap() <= 1e-12, "{}", x.outcome.plan);
        }
    }

    #[test]
    fn no_success_rates_means_no_quality_axis() {
        let catalog = catalog();
        let s = scenario("batch-extraction", &catalog);
        if !s.quality.is_empty() {
            return;
        }
        let ctx = context(&catalog);
        assert!(matches!(
            place(&s, &[], &ctx),
            Err(EngineError::NoQualityAxis { .. })
        ));
    }
}
