//! Which declared plan a report recommends, by one stated rule. First the
//! scenario's constraints, where it sets them: the expected bill within the
//! budget (monthly or daily, on the plan it binds) and the simulated 95th
//! percentile TTFT and E2E within the SLO. Among the plans that meet them,
//! the cheapest per month whose blended quality is within
//! `QUALITY_TOLERANCE` of the baseline's (simply the cheapest when the
//! baseline has no success rates; the best quality when none keeps it).
//! When no plan meets them, the plan closest to meeting them: the smallest
//! sum of relative overshoots (10% over budget and 20% over the TTFT
//! target is 0.3). Ties keep declared order.

use super::simulate::{percentile, PlanSim};
use super::PlanOutcome;
use crate::scenario::{BudgetLimit, Scenario};

/// How much quality (success rate, 0..1) a recommended plan may give up
/// against the baseline: one percentage point.
pub const QUALITY_TOLERANCE: f64 = 0.01;

/// A plan against each constraint the scenario sets: the ratio of the
/// plan's figure to the limit (above 1 misses it); `None` where the
/// scenario sets none, binds another plan, or the plan has no figure.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Verdict {
    pub budget: Option<f64>,
    pub ttft: Option<f64>,
    pub e2e: Option<f64>,
}

impl Verdict {
    fn ratios(&self) -> [(&'static str, Option<f64>); 3] {
        [
            ("the budget", self.budget),
            ("the TTFT SLO", self.ttft),
            ("the E2E SLO", self.e2e),
        ]
    }

    pub fn meets(&self) -> bool {
        self.overshoot() == 0.0
    }

    /// The sum of relative overshoots (0: meets every constraint).
    pub fn overshoot(&self) -> f64 {
        self.ratios()
            .iter()
            .filter_map(|(_, r)| *r)
            .map(|r| (r - 1.0).max(0.0))
            .sum()
    }

    /// The constraints missed, with the ratio to each limit.
    pub fn missed(&self) -> Vec<(&'static str, f64)> {
        self.ratios()
            .iter()
            .filter_map(|(name, r)| r.filter(|r| *r > 1.0).map(|r| (*name, r)))
            .collect()
    }
}

/// Whether the scenario sets a budget or an SLO at all.
pub fn constrained(s: &Scenario) -> bool {
    s.budget.is_some() || s.slo.ttft_p95_s.is_some() || s.slo.e2e_p95_s.is_some()
}

/// Whether the SLO needs the simulation to be judged.
pub fn needs_simulation(s: &Scenario) -> bool {
    s.slo.ttft_p95_s.is_some() || s.slo.e2e_p95_s.is_some()
}

/// Judges one plan: its expected bill against the budget, its simulated
/// p95 latencies (`sim`) against the SLO.
pub fn judge(s: &Scenario, o: &PlanOutcome, sim: Option<&PlanSim>) -> Verdict {
    let budget = s
        .budget
        .as_ref()
        .filter(|b| b.plan.as_ref().is_none_or(|p| *p == o.plan))
        .and_then(|b| {
            let (cost, limit) = match b.limit {
                BudgetLimit::PerMonth(u) => (o.per_month.value(), u.value()),
                BudgetLimit::PerDay(u) => (o.per_day.value(), u.value()),
            };
            (limit > 0.0).then(|| cost / limit)
        });
    let p95 = |target: Option<f64>, samples: Option<&Vec<f64>>| {
        target
            .zip(samples.filter(|v| !v.is_empty()))
            .filter(|(t, _)| *t > 0.0)
            .map(|(t, v)| percentile(v, 0.95) / t)
    };
    Verdict {
        budget,
        ttft: p95(s.slo.ttft_p95_s, sim.and_then(|x| x.ttft.as_ref())),
        e2e: p95(s.slo.e2e_p95_s, sim.and_then(|x| x.e2e.as_ref())),
    }
}

/// The plan picked, and whether it meets the constraints.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    /// Index in the outcomes.
    pub index: usize,
    /// It meets every constraint the scenario sets (true when it sets none).
    pub meets: bool,
    pub verdict: Verdict,
}

/// The recommended plan of `outcomes`, each judged by `verdicts` (same
/// order; `None`: no outcomes).
pub fn recommend(
    outcomes: &[PlanOutcome],
    baseline: &str,
    verdicts: &[Verdict],
) -> Option<Recommendation> {
    let verdict = |i: usize| verdicts.get(i).copied().unwrap_or_default();
    let meeting: Vec<usize> = (0..outcomes.len())
        .filter(|&i| verdict(i).meets())
        .collect();
    let cost = |i: &usize| outcomes[*i].per_month.value();
    if meeting.is_empty() {
        let index = (0..outcomes.len()).min_by(|a, b| {
            verdict(*a)
                .overshoot()
                .total_cmp(&verdict(*b).overshoot())
                .then(cost(a).total_cmp(&cost(b)))
        })?;
        return Some(Recommendation {
            index,
            meets: false,
            verdict: verdict(index),
        });
    }
    let base_quality = outcomes
        .iter()
        .find(|o| o.plan == baseline)
        .and_then(|o| o.quality);
    let keeps = |i: &usize| match base_quality {
        Some(b) => outcomes[*i]
            .quality
            .is_some_and(|q| q >= b - QUALITY_TOLERANCE),
        None => true,
    };
    let cheapest = meeting
        .iter()
        .filter(|i| keeps(i))
        .min_by(|a, b| cost(a).total_cmp(&cost(b)));
    let index = match cheapest {
        Some(i) => *i,
        // No plan within the budget and SLO keeps the baseline's quality:
        // the best quality among them, then the cheaper.
        None => *meeting.iter().min_by(|a, b| {
            let q = |i: &usize| outcomes[*i].quality.unwrap_or(f64::NEG_INFINITY);
            q(b).total_cmp(&q(a)).then(cost(a).total_cmp(&cost(b)))
        })?,
    };
    Some(Recommendation {
        index,
        meets: true,
        verdict: verdict(index),
    })
}

/// The rule in words, for the report's notes.
pub fn rule() -> String {
    format!(
        "recommended: among the declared plans within the scenario's budget (expected bill) and latency SLO (simulated p95) where it sets them, the cheapest whose quality is at most {:.0} percentage point below the baseline's (the cheapest when the baseline has no success rates, the best quality when none keeps it); when no plan meets them, the closest to meeting them (the smallest sum of relative overshoots)",
        QUALITY_TOLERANCE * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::evaluate;
    use crate::engine::testing::{catalog, context, scenario};
    use crate::money::Usd;
    use crate::scenario::{Budget, Slo};

    fn outcomes(s: &Scenario) -> Vec<PlanOutcome> {
        let catalog = catalog();
        let ctx = context(&catalog);
        s.plans
            .iter()
            .map(|p| evaluate(s, p, &ctx).unwrap())
            .collect()
    }

    fn routing() -> Scenario {
        scenario("routing-example", &catalog())
    }

    fn verdicts(s: &Scenario, o: &[PlanOutcome]) -> Vec<Verdict> {
        o.iter().map(|x| judge(s, x, None)).collect()
    }

    #[test]
    fn the_cheapest_plan_that_keeps_quality_wins() {
        let s = routing();
        let outcomes = outcomes(&s);
        let pick = recommend(&outcomes, &s.baseline, &verdicts(&s, &outcomes)).unwrap();
        assert!(pick.meets);
        let base = outcomes.iter().find(|o| o.plan == s.baseline).unwrap();
        let chosen = &outcomes[pick.index];
        assert!(chosen.per_month.value() <= base.per_month.value());
        if let (Some(q), Some(b)) = (chosen.quality, base.quality) {
            assert!(q >= b - QUALITY_TOLERANCE);
        }
        for o in &outcomes {
            let keeps = match (o.quality, base.quality) {
                (Some(q), Some(b)) => q >= b - QUALITY_TOLERANCE,
                (_, None) => true,
                (None, Some(_)) => false,
            };
            if keeps {
                assert!(
                    o.per_month.value() >= chosen.per_month.value(),
                    "{}",
                    o.plan
                );
            }
        }
    }

    #[test]
    fn a_budget_rules_out_the_plans_over_it() {
        let mut s = routing();
        let outcomes = outcomes(&s);
        let free = recommend(&outcomes, &s.baseline, &verdicts(&s, &outcomes)).unwrap();
        // A budget just below the unconstrained pick's bill.
        let bill = outcomes[free.index].per_month.value();
        s.budget = Some(Budget {
            limit: BudgetLimit::PerMonth(Usd(bill * 0.99)),
            plan: None,
        });
        let pick = recommend(&outcomes, &s.baseline, &verdicts(&s, &outcomes)).unwrap();
        assert!(pick.meets);
        assert_ne!(pick.index, free.index);
        assert!(outcomes[pick.index].per_month.value() <= bill * 0.99);
        assert!(pick.verdict.budget.unwrap() <= 1.0);
    }

    #[test]
    fn no_plan_within_the_budget_names_the_closest() {
        let mut s = routing();
        let outcomes = outcomes(&s);
        let cheapest = outcomes
            .iter()
            .map(|o| o.per_month.value())
            .fold(f64::INFINITY, f64::min);
        s.budget = Some(Budget {
            limit: BudgetLimit::PerMonth(Usd(cheapest / 2.0)),
            plan: None,
        });
        let pick = recommend(&outcomes, &s.baseline, &verdicts(&s, &outcomes)).unwrap();
        assert!(!pick.meets);
        assert_eq!(outcomes[pick.index].per_month.value(), cheapest);
        let missed = pick.verdict.missed();
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].0, "the budget");
        assert!((missed[0].1 - 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_slo_is_judged_on_the_simulated_p95() {
        let mut s = routing();
        s.slo = Slo {
            ttft_p95_s: Some(1.0),
            e2e_p95_s: None,
        };
        let outcomes = outcomes(&s);
        // Plan 0 is slow at p95 (2 s), every other plan fast (0.5 s).
        let sim = |plan: &str, t: f64| PlanSim {
            plan: plan.into(),
            daily: vec![],
            monthly: vec![],
            ttft: Some(vec![t; 20]),
            e2e: None,
            classes: vec![],
            requests: 0,
            segments: vec![],
            fleets: vec![],
        };
        let sims: Vec<PlanSim> = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| sim(&o.plan, if i == 0 { 2.0 } else { 0.5 }))
            .collect();
        let v: Vec<Verdict> = outcomes
            .iter()
            .zip(&sims)
            .map(|(o, x)| judge(&s, o, Some(x)))
            .collect();
        assert_eq!(v[0].ttft, Some(2.0));
        assert!(!v[0].meets() && v[1].meets());
        let pick = recommend(&outcomes, &s.baseline, &v).unwrap();
        assert!(pick.meets);
        assert_ne!(pick.index, 0);
        // Every plan too slow: the least slow is named, and it does not meet it.
        let slow: Vec<Verdict> = (0..outcomes.len())
            .map(|i| Verdict {
                ttft: Some(if i == 2 { 1.1 } else { 3.0 }),
                ..Verdict::default()
            })
            .collect();
        let pick = recommend(&outcomes, &s.baseline, &slow).unwrap();
        assert_eq!((pick.index, pick.meets), (2, false));
    }

    #[test]
    fn no_plans_no_recommendation() {
        assert_eq!(recommend(&[], "x", &[]), None);
    }
}
