//! The oracle: each class to the cheapest model whose success rate on it
//! meets the bar, the upper bound any class router can hope for. A class no
//! candidate clears goes to the best candidate, and a note says so.

use super::super::legs::leg;
use super::super::outcome::{ClassOutcome, Context, EngineError, Misroutes, Role};
use crate::money::Usd;
use crate::scenario::{Oracle, Plan, Scenario};

pub(super) fn expect(
    scenario: &Scenario,
    plan: &Plan,
    o: &Oracle,
    ctx: &Context,
    notes: &mut Vec<String>,
) -> Result<Vec<ClassOutcome>, EngineError> {
    let mut out = Vec::with_capacity(scenario.classes.len());
    for (k, class) in scenario.classes.iter().enumerate() {
        let rated: Vec<(String, f64)> = match scenario.quality.0.get(&class.name) {
            None => Vec::new(),
            Some(rates) => rates
                .iter()
                .filter(|(m, _)| o.candidates.is_empty() || o.candidates.contains(m))
                .map(|(m, r)| (m.clone(), *r))
                .collect(),
        };
        let mut best = None;
        for (model, rate) in &rated {
            let l = leg(scenario, plan, k, model, Role::Serve, 1.0, ctx)?;
            let meets = *rate >= o.bar;
            let key = (meets, l.expected.value(), *rate);
            let better = match &best {
                None => true,
                Some((m, cost, r, _)) => match (meets, *m) {
                    (true, false) => true,
                    (false, true) => false,
                    (true, true) => key.1 < *cost || (key.1 == *cost && *rate > *r),
                    (false, false) => *rate > *r || (*rate == *r && key.1 < *cost),
                },
            };
            if better {
                best = Some((meets, l.expected.value(), *rate, l));
            }
        }
        let Some((meets, _, rate, served)) = best else {
            return Err(EngineError::NoQuality {
                plan: plan.name.clone(),
                class: class.name.clone(),
            });
        };
        if !meets {
            notes.push(format!("oracle: no candidate reaches {} on class `{}`; it goes to the best one, {} ({rate})", o.bar, class.name, served.model));
        }
        out.push(ClassOutcome {
            class: class.name.clone(),
            share: class.share,
            cost: served.expected,
            fees: Usd::ZERO,
            quality: Some(rate),
            ttft_s: served.latency.map(|l| l.ttft_s),
            ttft_answer_s: served.latency.and_then(|l| l.ttft_answer_s),
            e2e_s: served.latency.and_then(|l| l.e2e_s),
            intended: Some(served.model.clone()),
            misroutes: Misroutes::default(),
            escalated: None,
            legs: vec![served],
        });
    }
    Ok(out)
}
