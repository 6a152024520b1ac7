//! What a plan's `model` or a route names: a model in the price sheets
//! (`"gpt-5-mini"`), or a self-hosted deployment
//! (`{ deploy = "gpt-oss-120b@h200-fp8", basis = "on_demand" }`). A
//! deployment gets a model id of its own, `MODEL@ID:BASIS`, that the plan
//! uses like any other; whether the deployment and its price exist is
//! checked when its fleet is sized (`engine::hosted`), against the
//! self-hosting data this layer does not see.

use super::model::{HostedRoute, Plan, PlanKind};
use super::names::ModelResolver;
use crate::source::{KeyPath, Problem};

/// Keys a deployment route may carry.
const KEYS: [&str; 4] = ["deploy", "basis", "spare", "min_user_tps"];

/// Self-hosted routes found while building one plan.
pub struct Found<'a> {
    pub plan: usize,
    pub routes: &'a mut Vec<HostedRoute>,
}

/// The model id a plan's `model` or route names; a deployment table is
/// recorded in `found`.
pub fn target(
    value: &toml::Value,
    at: &KeyPath,
    model: &ModelResolver,
    found: &mut Found,
) -> Result<String, Problem> {
    match value {
        toml::Value::String(name) => model(name, at),
        toml::Value::Table(t) => {
            if let Some(k) = t.keys().find(|k| !KEYS.contains(&k.as_str())) {
                return Err(Problem::new(at.key(k), format!("unknown key `{k}` in a self-hosted route"))
                    .hint("a self-hosted route takes `deploy`, `basis`, and optionally `spare` (replicas held back, default 1) and `min_user_tps`"));
            }
            let text = |key: &str| -> Result<String, Problem> {
                match t.get(key) {
                    Some(toml::Value::String(s)) => Ok(s.clone()),
                    Some(_) => Err(Problem::new(at.key(key), format!("`{key}` must be a string"))),
                    None => Err(Problem::new(at.clone(), format!("a self-hosted route needs `{key}`"))
                        .hint("e.g. `{ deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }`: the deployment (MODEL@ID, see deployments/*.toml) and the price basis of its GPU-hours")),
                }
            };
            let deploy = text("deploy")?;
            let basis = text("basis")?;
            let spare = match t.get("spare") {
                None => None,
                Some(toml::Value::Integer(n)) => Some(u32::try_from(*n).map_err(|_| {
                    Problem::new(
                        at.key("spare"),
                        format!("spare = {n} is not a number of replicas"),
                    )
                })?),
                Some(_) => {
                    return Err(Problem::new(
                        at.key("spare"),
                        "`spare` must be a whole number of replicas",
                    ))
                }
            };
            let min_user_tps = match t.get("min_user_tps") {
                None => None,
                Some(v) => {
                    let tps = v.as_float().or_else(|| v.as_integer().map(|n| n as f64));
                    match tps {
                        Some(x) if x.is_finite() && x > 0.0 => Some(x),
                        _ => {
                            return Err(Problem::new(
                                at.key("min_user_tps"),
                                "`min_user_tps` must be a positive number of tokens per second",
                            ))
                        }
                    }
                }
            };
            let id = format!("{deploy}:{basis}");
            found.routes.push(HostedRoute {
                id: id.clone(),
                deploy,
                basis,
                spare,
                min_user_tps,
                plan: found.plan,
                file: String::new(),
                line: None,
                at: at.clone(),
                note: None,
                sizing: None,
            });
            Ok(id)
        }
        _ => Err(Problem::new(at.clone(), "expected a model name or a self-hosted route table")
            .hint("a model: `\"gpt-5-mini\"`; a self-hosted deployment: `{ deploy = \"gpt-oss-120b@h200-fp8\", basis = \"on_demand\" }`")),
    }
}

/// A cascade stage, an oracle candidate, a router or a verifier must be a
/// model in the price sheets: the load such a call carries depends on the
/// plan's escalations or choices, so no fleet can be sized for it up front.
pub fn api_only(
    value: &toml::Value,
    at: &KeyPath,
    model: &ModelResolver,
    role: &str,
) -> Result<String, Problem> {
    match value {
        toml::Value::String(name) => model(name, at),
        toml::Value::Table(t) if t.contains_key("deploy") => Err(Problem::new(at.clone(), format!("a self-hosted deployment cannot be {role}"))
            .hint("a fleet is sized for the load its route carries, which a cascade's escalations decide only once the plan runs; route a class to it with `routes`, or send every request to it with `model`")),
        _ => Err(Problem::new(at.clone(), "expected a model name")),
    }
}

/// Plans that route to the same deployment on the same basis each size a
/// fleet for their own load, so each gets its own id, `ID (PLAN)`, in the
/// route list and in the plan.
pub fn distinguish(routes: &mut Vec<HostedRoute>, plans: &mut [Plan]) {
    let ids: Vec<(String, usize)> = routes.iter().map(|r| (r.id.clone(), r.plan)).collect();
    for r in routes.iter_mut() {
        if !ids.iter().any(|(id, plan)| *id == r.id && *plan != r.plan) {
            continue;
        }
        let plan = &mut plans[r.plan];
        let new = format!("{} ({})", r.id, plan.name);
        let rename = |m: &mut String| {
            if *m == r.id {
                m.clone_from(&new);
            }
        };
        match &mut plan.kind {
            PlanKind::Single(m) => rename(m),
            PlanKind::Routes(ms) => ms.iter_mut().for_each(rename),
            PlanKind::Classifier(c) => c.routes.iter_mut().for_each(rename),
            PlanKind::Cascade(_) | PlanKind::Oracle(_) => {}
        }
        r.id = new;
    }
    // Within one plan, several classes on one deployment share one fleet:
    // the first declaration stays (its key locates errors).
    let mut seen: Vec<(String, usize)> = Vec::new();
    routes.retain(|r| {
        let key = (r.id.clone(), r.plan);
        let first = !seen.contains(&key);
        seen.push(key);
        first
    });
}
