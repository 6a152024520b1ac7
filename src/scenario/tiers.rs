//! Service tiers a scenario asks for must be offered by the models that
//! would be billed on them: a plan's `tier` by every model the plan calls,
//! a class's `tier` by every model a plan without its own tier sends the
//! class to. Checked at load, so `cost validate` and `cost compare` reject
//! the same file at the same key, before any pricing runs.

use super::model::{Class, Plan, PlanKind};
use crate::pricing::{Catalog, ServiceTier};
use crate::source::{KeyPath, Problem};

pub fn check(
    plans: &[Plan],
    classes: &[Class],
    compare_models: &[String],
    catalog: &Catalog,
    hosted: &[&str],
) -> Result<(), Problem> {
    let root = KeyPath::root();
    for (i, plan) in plans.iter().enumerate() {
        if let Some(tier) = plan.tier.filter(|t| *t != ServiceTier::Standard) {
            for model in plan.models() {
                offered(catalog, &model, tier, &root.key("plans").index(i).key("tier"))
                    .map_err(|p| p.hint(format!("plan `{}` sends its traffic to `{model}`: remove `tier`, or choose a model whose sheet prices {}", plan.name, tier.key())))?;
            }
        }
    }
    for (k, class) in classes.iter().enumerate() {
        let tier = class.request.tier;
        if tier == ServiceTier::Standard {
            continue;
        }
        let at = root.key("classes").index(k).key("tier");
        for plan in plans.iter().filter(|p| p.tier.is_none()) {
            for model in serving(plan, k) {
                if hosted.contains(&model) {
                    return Err(Problem::new(at.clone(), format!("plan `{}` sends class `{}` to the self-hosted deployment `{model}`, which has no service tiers", plan.name, class.name))
                        .hint("remove the class's `tier`, or route the class to an API model"));
                }
                offered(catalog, model, tier, &at).map_err(|p| {
                    p.hint(format!(
                        "plan `{}` sends class `{}` to `{model}`: remove the class's `tier`, or give the plan its own `tier`",
                        plan.name, class.name
                    ))
                })?;
            }
        }
        for model in compare_models {
            offered(catalog, model, tier, &at).map_err(|p| {
                p.hint(format!(
                    "`[compare] models` lists `{model}`: remove it, or the class's `tier`"
                ))
            })?;
        }
    }
    Ok(())
}

/// The models a plan bills class `k` on (at the class's own tier).
fn serving(plan: &Plan, k: usize) -> Vec<&str> {
    match &plan.kind {
        PlanKind::Single(m) => vec![m.as_str()],
        PlanKind::Routes(ms) => vec![ms[k].as_str()],
        // A classifier may send the class to any route (its misroutes).
        PlanKind::Classifier(c) => c.routes.iter().map(String::as_str).collect(),
        PlanKind::Cascade(c) => c.stages.iter().map(String::as_str).collect(),
        PlanKind::Oracle(o) => o.candidates.iter().map(String::as_str).collect(),
    }
}

/// `model` has prices on `tier` in at least one of its price periods.
fn offered(catalog: &Catalog, model: &str, tier: ServiceTier, at: &KeyPath) -> Result<(), Problem> {
    let Ok(m) = catalog.lookup(model) else {
        // Unknown models are reported where they are named.
        return Ok(());
    };
    if m.periods.iter().any(|p| p.service(tier).is_some()) {
        return Ok(());
    }
    Err(Problem::new(
        at.clone(),
        format!(
            "model `{}` has no {} price in its sheet ({})",
            m.id,
            tier.key(),
            m.origin
        ),
    ))
}
