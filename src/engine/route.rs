//! `cost route`'s analysis: each routing plan evaluated beside the
//! scenario's baseline, with the random router of the same model shares
//! (what the plan must beat to be worth its classifier) and the break-even
//! points at which it stops saving (`breakeven`).

use super::breakeven::{break_even, random_router, BreakEven, RandomRouter};
use super::outcome::{Context, EngineError, PlanOutcome};
use super::routing::evaluate;
use crate::scenario::{Plan, Scenario};

#[derive(Debug, Clone)]
pub struct RoutedPlan {
    pub outcome: PlanOutcome,
    /// `None` for plans whose serving shares do not sum to one (cascades).
    pub random: Option<RandomRouter>,
    pub break_even: BreakEven,
}

impl RoutedPlan {
    /// Monthly saving against `baseline` and as a fraction of it (`None`
    /// for a free baseline).
    pub fn savings(&self, baseline: &PlanOutcome) -> (crate::money::Usd, Option<f64>) {
        let saved = baseline.per_month - self.outcome.per_month;
        let share =
            (baseline.per_month.value() > 0.0).then(|| saved.value() / baseline.per_month.value());
        (saved, share)
    }
}

#[derive(Debug, Clone)]
pub struct RouteAnalysis {
    pub baseline: PlanOutcome,
    pub plans: Vec<RoutedPlan>,
}

/// Evaluates `plans` (in order) and the scenario's baseline.
pub fn analyse(
    scenario: &Scenario,
    plans: &[&Plan],
    ctx: &Context,
) -> Result<RouteAnalysis, EngineError> {
    let baseline_plan =
        scenario
            .plan(&scenario.baseline)
            .ok_or_else(|| EngineError::NoBaseline {
                plan: scenario.baseline.clone(),
            })?;
    let baseline = evaluate(scenario, baseline_plan, ctx)?;
    let plans = plans
        .iter()
        .map(|plan| {
            let outcome = evaluate(scenario, plan, ctx)?;
            Ok(RoutedPlan {
                random: random_router(scenario, plan, &outcome, ctx)?,
                break_even: break_even(scenario, plan, &outcome, baseline_plan, ctx)?,
                outcome,
            })
        })
        .collect::<Result<_, EngineError>>()?;
    Ok(RouteAnalysis { baseline, plans })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{catalog, context, scenario};

    #[test]
    fn the_perfect_router_of_the_worked_example_saves_against_all_strong() {
        let catalog = catalog();
        let s = scenario("routing-example", &catalog);
        let ctx = context(&catalog);
        let plan = s.plan("perfect-router").unwrap();
        let a = analyse(&s, &[plan], &ctx).unwrap();
        assert_eq!(a.baseline.plan, s.baseline);
        let routed = &a.plans[0];
        let (saved, share) = routed.savings(&a.baseline);
        // docs/routing-math.md: $42.50/day all strong, $10.54/day routed.
        let days = s.days_per_month;
        assert!((saved.value() - (42.50 - 10.54) * days).abs() < 0.01 * days);
        assert!((share.unwrap() - (42.50 - 10.54) / 42.50).abs() < 1e-3);
        let random = routed
            .random
            .as_ref()
            .expect("a two-model split has a random router");
        // Same shares, same request sizes: a random router pays the same and
        // loses quality by sending hard requests to the weak model.
        assert!((random.cost.value() - routed.outcome.per_request.value()).abs() < 1e-12);
        assert!(random.quality.unwrap() < routed.outcome.quality.unwrap());
    }
}
