//! Which declared plan a report recommends, by one stated rule: the
//! cheapest plan per month whose blended quality is within
//! `QUALITY_TOLERANCE` of the baseline's; when the scenario has no success
//! rates for the baseline, simply the cheapest plan. Ties keep declared order.

use super::PlanOutcome;

/// How much quality (success rate, 0..1) a recommended plan may give up
/// against the baseline: one percentage point.
pub const QUALITY_TOLERANCE: f64 = 0.01;

/// The index in `outcomes` of the recommended plan (`None`: no outcomes).
pub fn recommend(outcomes: &[PlanOutcome], baseline: &str) -> Option<usize> {
    let base_quality = outcomes
        .iter()
        .find(|o| o.plan == baseline)
        .and_then(|o| o.quality);
    let eligible = |o: &PlanOutcome| match base_quality {
        Some(b) => o.quality.is_some_and(|q| q >= b - QUALITY_TOLERANCE),
        None => true,
    };
    outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| eligible(o))
        .min_by(|a, b| a.1.per_month.value().total_cmp(&b.1.per_month.value()))
        .map(|(i, _)| i)
}

/// The rule in words, for the report's notes.
pub fn rule() -> String {
    format!(
        "recommended: the cheapest declared plan whose quality is at most {:.0} percentage point below the baseline's (the cheapest plan when the baseline has no success rates)",
        QUALITY_TOLERANCE * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::evaluate;
    use crate::engine::testing::{catalog, context, scenario};

    #[test]
    fn the_cheapest_plan_that_keeps_quality_wins() {
        let catalog = catalog();
        let s = scenario("routing-example", &catalog);
        let ctx = context(&catalog);
        let outcomes: Vec<PlanOutcome> = s
            .plans
            .iter()
            .map(|p| evaluate(&s, p, &ctx).unwrap())
            .collect();
        let pick = recommend(&outcomes, &s.baseline).unwrap();
        let base = outcomes.iter().find(|o| o.plan == s.baseline).unwrap();
        let chosen = &outcomes[pick];
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
    fn no_plans_no_recommendation() {
        assert_eq!(recommend(&[], "x"), None);
    }
}
