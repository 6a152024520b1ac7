//! Budget risk and latency objectives, read off a plan's simulated bills
//! and latencies: the share of simulated periods over the scenario's
//! budget, and whether the 95th-percentile latencies meet its SLO.

use super::simulate::{percentile, PlanSim};
use crate::scenario::{BudgetLimit, Scenario};

/// P(bill > budget) for a plan the budget binds (`None`: no budget, or a
/// budget on another plan).
pub fn budget_risk(s: &Scenario, sim: &PlanSim) -> Option<f64> {
    let budget = s.budget.as_ref()?;
    if budget.plan.as_ref().is_some_and(|p| p != &sim.plan) {
        return None;
    }
    let (samples, limit) = match budget.limit {
        BudgetLimit::PerDay(u) => (&sim.daily, u.value()),
        BudgetLimit::PerMonth(u) => (&sim.monthly, u.value()),
    };
    if samples.is_empty() {
        return None;
    }
    Some(samples.iter().filter(|v| **v > limit).count() as f64 / samples.len() as f64)
}

/// Whether the plan meets the scenario's latency objectives (`None`: no
/// SLO, or no latency figures to judge it by).
pub fn slo_met(s: &Scenario, sim: &PlanSim) -> Option<bool> {
    let check = |target: Option<f64>, samples: &Option<Vec<f64>>| {
        target
            .zip(samples.as_ref())
            .map(|(t, v)| percentile(v, 0.95) <= t)
    };
    match (
        check(s.slo.ttft_p95_s, &sim.ttft),
        check(s.slo.e2e_p95_s, &sim.e2e),
    ) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(true) && b.unwrap_or(true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Usd;
    use crate::scenario::{Budget, Slo};

    fn sim(daily: Vec<f64>, ttft: Option<Vec<f64>>) -> PlanSim {
        PlanSim {
            plan: "p".into(),
            monthly: daily.iter().map(|d| d * 30.0).collect(),
            daily,
            ttft,
            e2e: None,
            classes: vec![],
            requests: 0,
            segments: vec![],
            fleets: vec![],
        }
    }

    fn scenario(budget: Option<Budget>, slo: Slo) -> Scenario {
        let mut s =
            crate::engine::testing::scenario("routing-example", &crate::engine::testing::catalog());
        s.budget = budget;
        s.slo = slo;
        s
    }

    #[test]
    fn budget_risk_is_the_share_of_periods_over_the_limit() {
        let s = scenario(
            Some(Budget {
                limit: BudgetLimit::PerDay(Usd(10.0)),
                plan: None,
            }),
            Slo::default(),
        );
        let risk = budget_risk(&s, &sim(vec![8.0, 9.0, 10.0, 11.0, 12.0], None));
        assert_eq!(risk, Some(0.4), "11 and 12 exceed 10; 10 does not");
    }

    #[test]
    fn a_budget_on_another_plan_does_not_apply() {
        let s = scenario(
            Some(Budget {
                limit: BudgetLimit::PerDay(Usd(10.0)),
                plan: Some("other".into()),
            }),
            Slo::default(),
        );
        assert_eq!(budget_risk(&s, &sim(vec![20.0], None)), None);
    }

    #[test]
    fn the_slo_is_judged_on_the_95th_percentile() {
        let s = scenario(
            None,
            Slo {
                ttft_p95_s: Some(1.0),
                e2e_p95_s: None,
            },
        );
        let fast: Vec<f64> = (0..100).map(|i| f64::from(i) / 100.0).collect();
        assert_eq!(slo_met(&s, &sim(vec![1.0], Some(fast))), Some(true));
        let slow: Vec<f64> = (0..100).map(|i| f64::from(i) / 50.0).collect();
        assert_eq!(slo_met(&s, &sim(vec![1.0], Some(slow))), Some(false));
        assert_eq!(
            slo_met(&s, &sim(vec![1.0], None)),
            None,
            "no latency figures"
        );
    }
}
