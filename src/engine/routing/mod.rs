//! Routing architectures: how a plan sends each class of traffic to
//! models. One module per architecture, each defining both what a request
//! of a class costs in expectation (`expect`) and the ways a single request
//! can be served, for the Monte Carlo simulation (`paths`), so the two can
//! never disagree. Adding an architecture means one module here, an arm in
//! each `match` below, and its syntax in `scenario`.
//!
//! Cost is blended over the traffic mix: cost = N * sum_k s_k c_k for N
//! requests, class shares s_k and per-request class costs c_k
//! (`docs/routing-math.md`).

mod cascade;
mod classifier;
mod oracle;
mod single;

use super::outcome::{ClassOutcome, Context, EngineError, PlanOutcome};
use super::paths::{CallBook, Path, Sampler};
use crate::scenario::{Plan, PlanKind, Scenario, Verifier};

pub use classifier::describe;

/// Evaluates `plan` on `scenario`: every class's expected cost, quality and
/// latency, blended over the mix. An error on a plan the scenario declares
/// names the file, line and key it is declared at.
pub fn evaluate(
    scenario: &Scenario,
    plan: &Plan,
    ctx: &Context,
) -> Result<PlanOutcome, EngineError> {
    evaluate_here(scenario, plan, ctx).map_err(|e| located(scenario, plan, e))
}

fn located(scenario: &Scenario, plan: &Plan, e: EngineError) -> EngineError {
    let Some(i) = scenario.plans.iter().position(|p| p.name == plan.name) else {
        return e;
    };
    if matches!(e, EngineError::InPlan { .. }) {
        return e;
    }
    let tier = matches!(
        &e,
        EngineError::Price {
            source: crate::pricing::bill::PriceError::TierNotOffered { .. },
            ..
        }
    ) && plan.tier.is_some();
    EngineError::InPlan {
        file: scenario.origin.clone(),
        line: scenario.plan_lines.get(i).copied().flatten(),
        key: if tier {
            format!("plans[{i}].tier")
        } else {
            format!("plans[{i}]")
        },
        plan: plan.name.clone(),
        source: Box::new(e),
    }
}

fn evaluate_here(
    scenario: &Scenario,
    plan: &Plan,
    ctx: &Context,
) -> Result<PlanOutcome, EngineError> {
    // A self-hosted route is priced at the fleet this load needs.
    let resized = super::hosted::step::at_load(scenario, plan, ctx.catalog)?;
    let here;
    let ctx = match &resized {
        Some(catalog) => {
            here = Context { catalog, ..*ctx };
            &here
        }
        None => ctx,
    };
    let mut notes = Vec::new();
    let classes = match &plan.kind {
        PlanKind::Single(m) => single::expect(scenario, plan, |_| m.clone(), ctx)?,
        PlanKind::Routes(ms) => single::expect(scenario, plan, |k| ms[k].clone(), ctx)?,
        PlanKind::Classifier(c) => classifier::expect(scenario, plan, c, ctx)?,
        PlanKind::Cascade(c) => {
            if matches!(c.verifier, Verifier::AcceptRates { .. }) {
                notes.push("cascade quality assumes nested difficulty (a stronger model solves whatever a weaker one does); an escalated answer waits for the full cheap answer and a verification".into());
            }
            cascade::expect(scenario, plan, c, ctx)?
        }
        PlanKind::Oracle(o) => oracle::expect(scenario, plan, o, ctx, &mut notes)?,
    };
    let summary = summary(plan, scenario, &classes);
    Ok(PlanOutcome::from_classes(
        scenario, plan, summary, classes, notes,
    ))
}

/// What the simulation draws requests through: the outcome's plan's
/// priced calls and, per class, its paths.
pub(super) fn sampler(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    ctx: &Context,
) -> Result<Sampler, EngineError> {
    let mut book = CallBook::new(ctx, outcome.spec.tier);
    let mut classes = Vec::with_capacity(scenario.classes.len());
    for (k, class) in scenario.classes.iter().enumerate() {
        let paths = paths(&mut book, scenario, outcome, k)?;
        classes.push((class.tokens.clone(), paths));
    }
    Ok(book.into_sampler(classes))
}

/// The ways one request of class `k` can be served under the outcome's
/// plan, with their shares of the class.
fn paths(
    book: &mut CallBook,
    scenario: &Scenario,
    outcome: &PlanOutcome,
    k: usize,
) -> Result<Vec<Path>, EngineError> {
    let class = &scenario.classes[k];
    match &outcome.spec.kind {
        PlanKind::Classifier(c) => classifier::paths(book, scenario, c, k),
        PlanKind::Cascade(c) => cascade::paths(book, scenario, c, k),
        // Single models, fixed routes and the oracle send the whole class to
        // the model the evaluation chose for it.
        PlanKind::Single(_) | PlanKind::Routes(_) | PlanKind::Oracle(_) => {
            single::paths(book, class, &outcome.classes[k])
        }
    }
}

fn summary(plan: &Plan, scenario: &Scenario, classes: &[ClassOutcome]) -> String {
    let tier = plan
        .tier
        .map(|t| format!(" ({})", t.key()))
        .unwrap_or_default();
    let routes = || {
        scenario
            .classes
            .iter()
            .zip(classes)
            .map(|(c, o)| format!("{} → {}", c.name, o.intended.as_deref().unwrap_or("?")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = match &plan.kind {
        PlanKind::Single(m) => m.clone(),
        PlanKind::Routes(_) => routes(),
        PlanKind::Classifier(c) => format!(
            "classifier ({}): {}",
            describe(&c.accuracy, scenario),
            routes()
        ),
        PlanKind::Cascade(c) => format!("cascade {}", c.stages.join(" → ")),
        PlanKind::Oracle(o) => format!("oracle (bar {}): {}", o.bar, routes()),
    };
    format!("{text}{tier}")
}

#[cfg(test)]
mod tests {
    //! The dispatcher's promise: for every architecture, the expectation
    //! and the sampling paths describe the same plan.
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    use super::*;
    use crate::engine::paths::request;
    use crate::engine::testing::{catalog, context, scenario};
    use crate::scenario::builtin_names;

    #[test]
    fn every_architecture_samples_the_cost_it_expects() {
        let catalog = catalog();
        let ctx = context(&catalog);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut checked = std::collections::HashSet::new();
        for name in builtin_names() {
            let s = scenario(&name, &catalog);
            // Self-hosted routes are priced once `engine::hosted` adds them
            // to a catalog; its own tests cover them.
            if !s.hosted.is_empty() {
                continue;
            }
            for plan in &s.plans {
                let outcome = evaluate(&s, plan, &ctx).unwrap();
                let sampler = sampler(&s, &outcome, &ctx).unwrap();
                for (k, (tokens, paths)) in sampler.classes.iter().enumerate() {
                    let class = &s.classes[k];
                    // With fixed token counts every draw is the same request.
                    if !tokens.is_fixed() || class.per_model.values().any(|(_, t)| !t.is_fixed()) {
                        continue;
                    }
                    let probs: f64 = paths.iter().map(|p| p.prob).sum();
                    assert!((probs - 1.0).abs() < 1e-9, "{name}/{}: {probs}", plan.name);
                    let sampled: f64 = paths
                        .iter()
                        .map(|p| p.prob * request(&sampler, tokens, p, &mut rng).0)
                        .sum();
                    let expected = outcome.classes[k].cost.value();
                    assert!(
                        (sampled - expected).abs() <= 1e-9 * expected.max(1e-6),
                        "{name}/{} class {}: sampled {sampled}, expected {expected}",
                        plan.name,
                        class.name
                    );
                    checked.insert(std::mem::discriminant(&plan.kind));
                }
            }
        }
        assert_eq!(
            checked.len(),
            5,
            "single, routes, classifier, cascade and oracle plans checked"
        );
    }
}
