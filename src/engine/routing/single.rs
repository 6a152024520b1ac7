//! Fixed routes: every request of a class goes to one model (a single
//! model for all classes, or one per class). The oracle's choice is served
//! the same way once made.

use super::super::legs::leg;
use super::super::outcome::{ClassOutcome, Context, EngineError, Misroutes, Role};
use super::super::paths::{CallBook, Path};
use crate::money::Usd;
use crate::scenario::{Class, Plan, Scenario};

/// Every request of class k goes to one model.
pub(super) fn expect(
    scenario: &Scenario,
    plan: &Plan,
    model: impl Fn(usize) -> String,
    ctx: &Context,
) -> Result<Vec<ClassOutcome>, EngineError> {
    (0..scenario.classes.len())
        .map(|k| {
            let served = leg(scenario, plan, k, &model(k), Role::Serve, 1.0, ctx)?;
            let class = &scenario.classes[k];
            Ok(ClassOutcome {
                class: class.name.clone(),
                share: class.share,
                cost: served.expected,
                fees: Usd::ZERO,
                quality: scenario.quality.rate(&class.name, &served.model),
                ttft_s: served.latency.map(|l| l.ttft_s),
                ttft_answer_s: served.latency.and_then(|l| l.ttft_answer_s),
                e2e_s: served.latency.and_then(|l| l.e2e_s),
                intended: Some(served.model.clone()),
                misroutes: Misroutes::default(),
                escalated: None,
                legs: vec![served],
            })
        })
        .collect()
}

/// One path: the class's chosen model answers every request.
pub(super) fn paths(
    book: &mut CallBook,
    class: &Class,
    outcome: &ClassOutcome,
) -> Result<Vec<Path>, EngineError> {
    let model = outcome
        .intended
        .as_deref()
        .ok_or_else(|| EngineError::NoRoute {
            class: class.name.clone(),
        })?;
    let answer = book.serve(model, class)?;
    Ok(vec![Path::answer(1.0, answer)])
}
