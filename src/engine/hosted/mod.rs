//! Self-hosted deployments as routes in any plan (hybrid plans).
//!
//! A plan may send a class (or all traffic) to a deployment,
//! `{ deploy = "gpt-oss-120b@h200-fp8", basis = "on_demand" }`. Its cost
//! is a fleet, not a price per token:
//!
//! 1. **Load**: the requests per day the plan sends to it, V x sum_k s_k p_k
//!    (class shares s_k; p_k the share of class k routed there: 1 or 0 for
//!    fixed routes, sum of the classifier's P(predicted j | k) over the
//!    predicted classes j routed there), and their mean prompt and generated
//!    tokens weighted the same way.
//! 2. **Fleet**: `selfhost::fleet` for that load: the measured row nearest
//!    the mean request (meeting `min_user_tps` if given), the scenario's
//!    peak-to-mean factor, N + `spare` replicas (N+1 by default).
//! 3. **Money**: fleet cost per day = GPUs x $/GPU-hour x 24 (exact
//!    picodollars), amortised over the requests it serves: cost per request
//!    = fleet cost per day / requests per day, rounded to the picodollar.
//!    Busy or idle, every paid GPU-hour counts, so the cost per request
//!    falls with volume as a step function (a new replica is a step up).
//!
//! The route then becomes a priced model of its own (`MODEL@ID:BASIS`) with
//! that per-request price, its TTFT and output speed from the row, and a
//! success rate only where the scenario states one for the deployment or
//! the deployment carries a sourced quality delta over the same weights on
//! an API: never assumed equal to the API model. The route also keeps what
//! sized it (`FleetSizing`), so that wherever a plan is priced at another
//! load than the scenario's (a sweep, a sensitivity, a moved class share)
//! the evaluation re-sizes the fleet at that load (`step`): its monthly
//! cost is a step function of volume, never the planned fee times the
//! requests. The simulation holds the planned fleet fixed (`step::held`).

mod sheet;
pub mod step;

use std::collections::BTreeMap;

use crate::engine::confusion::confusion;
use crate::money::Money;
use crate::pricing::Catalog;
use crate::scenario::{FleetSizing, HostedRoute, Plan, PlanKind, Scenario};
use crate::selfhost::analysis::{analyse, Analysis, AnalysisError};
use crate::selfhost::fleet::{peak_to_mean, Policy, Workload, CHAT_DERATE};
use crate::selfhost::{Basis, Deployment, SelfHostData};
use crate::source::{InputError, Source};
use crate::suggest::{closest, did_you_mean};

/// The load a plan sends to one route: requests per day and mean shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteLoad {
    pub requests_per_day: f64,
    pub input_tokens: f64,
    pub output_tokens: f64,
}

/// A sized, priced self-hosted route.
#[derive(Debug, Clone, PartialEq)]
pub struct HostedPrice {
    pub load: RouteLoad,
    pub gpus: u32,
    pub replicas: u32,
    pub per_gpu_hour: Money,
    pub per_day: Money,
    /// Fleet cost per day over requests per day, to the picodollar.
    pub per_request: Money,
}

/// The share of each class the plan sends to `id` (by class index).
pub fn routed_shares(scenario: &Scenario, plan: &Plan, id: &str) -> Vec<f64> {
    let shares: Vec<f64> = scenario.classes.iter().map(|c| c.share).collect();
    let on = |m: &String| f64::from(u8::from(m == id));
    match &plan.kind {
        PlanKind::Single(m) => vec![on(m); shares.len()],
        PlanKind::Routes(ms) => ms.iter().map(on).collect(),
        PlanKind::Classifier(c) => confusion(&c.accuracy, &shares)
            .iter()
            .map(|row| row.iter().zip(&c.routes).map(|(p, m)| p * on(m)).sum())
            .collect(),
        PlanKind::Cascade(_) | PlanKind::Oracle(_) => vec![0.0; shares.len()],
    }
}

/// The requests per day a plan sends to `id` and their mean shape
/// (prompt: uncached plus cached; generated: answer plus reasoning).
pub fn route_load(scenario: &Scenario, plan: &Plan, id: &str) -> RouteLoad {
    let routed = routed_shares(scenario, plan, id);
    let (mut weight, mut input, mut output) = (0.0, 0.0, 0.0);
    for (c, p) in scenario.classes.iter().zip(routed) {
        let w = c.share * p;
        let r = &c.request;
        weight += w;
        input += w * (r.input + r.cache_read + r.cache_write + r.cache_write_1h) as f64;
        output += w * (r.output + r.reasoning) as f64;
    }
    let mean = |x: f64| if weight > 0.0 { x / weight } else { 0.0 };
    RouteLoad {
        requests_per_day: scenario.requests_per_day * weight,
        input_tokens: mean(input),
        output_tokens: mean(output).max(1.0),
    }
}

/// The fleet's cost per day spread over the requests it serves, rounded
/// to the picodollar.
pub fn per_request(per_day: Money, requests_per_day: f64) -> Money {
    Money::from_picos((per_day.picos() as f64 / requests_per_day).round() as i128)
}

/// Sizes and prices one route on a deployment and basis.
pub fn price_route<'a>(
    d: &'a Deployment,
    basis: Basis,
    load: RouteLoad,
    peak_factor: f64,
    days_per_month: f64,
    policy: &Policy,
) -> Result<(HostedPrice, Analysis<'a>), AnalysisError> {
    let w = Workload {
        requests_per_day: load.requests_per_day,
        input_tokens: load.input_tokens,
        output_tokens: load.output_tokens,
        peak_factor,
        days_per_month,
    };
    let a = analyse(d, basis, &w, policy, &[])?;
    let price = HostedPrice {
        load,
        gpus: a.fleet.gpus,
        replicas: a.fleet.replicas,
        per_gpu_hour: a.price.per_gpu_hour,
        per_day: a.per_day,
        per_request: per_request(a.per_day, load.requests_per_day),
    };
    Ok((price, a))
}

/// Sizes every self-hosted route of `scenario`, adds each as a priced
/// model to `catalog` and gives it the success rates the scenario states.
pub fn host(
    scenario: &mut Scenario,
    catalog: &mut Catalog,
    data: &SelfHostData,
) -> Result<(), InputError> {
    let peak_factor = peak_to_mean(&scenario.traffic);
    let routes = scenario.hosted.clone();
    for (i, r) in routes.iter().enumerate() {
        let d = deployment(r, data)?;
        let basis = Basis::parse(&r.basis).ok_or_else(|| {
            let known: Vec<&str> = Basis::ALL.iter().map(|b| b.key()).collect();
            located(r, "basis", format!("unknown price basis `{}`", r.basis)).hint(format!(
                "{}bases: {}",
                did_you_mean(&closest(&r.basis, known.iter().copied(), 2)),
                known.join(", ")
            ))
        })?;
        let load = route_load(scenario, &scenario.plans[r.plan], &r.id);
        if load.requests_per_day <= 0.0 {
            return Err(located(r, "deploy", format!("plan `{}` sends no traffic to `{}`", scenario.plans[r.plan].name, r.deploy))
                .hint("a fleet with no requests has no cost per request: route a class with traffic to it"));
        }
        let policy = Policy {
            spare_replicas: r.spare.unwrap_or(1),
            min_user_tps: r.min_user_tps,
            offline_derate: CHAT_DERATE,
        };
        let (price, a) = price_route(d, basis, load, peak_factor, scenario.days_per_month, &policy)
            .map_err(|e| match &e {
                AnalysisError::NoPrice { gpu, .. } => located(r, "basis", e.to_string()).hint(format!(
                    "choose a basis with a price row, or add a sourced, dated `[[prices]]` row to hardware/{gpu}.toml"
                )),
                AnalysisError::Fleet(_) => located(r, "min_user_tps", e.to_string())
                    .hint("lower `min_user_tps`, or choose a deployment measured at that speed"),
            })?;
        scenario.hosted[i].sizing = Some(FleetSizing {
            gpus_per_replica: d.gpus,
            usable_tps_per_gpu: a.chosen.usable_tps_per_gpu,
            per_gpu_hour: price.per_gpu_hour,
            spare_replicas: policy.spare_replicas,
            peak_factor,
            planned_fee: price.per_request,
        });
        let quality = quality(scenario, catalog, r, d);
        let text = sheet::price_sheet(r, d, &a, &price);
        catalog
            .add(&Source::embedded(&format!("self-hosted {}", r.id), &text))
            .map_err(|e| located(r, "deploy", e.to_string()))?;
        if let Some(figures) = sheet::latency_figures(r, &a) {
            catalog
                .add(&Source::embedded(
                    &format!("self-hosted {} latency", r.id),
                    &figures,
                ))
                .map_err(|e| located(r, "deploy", e.to_string()))?;
        }
        for (class, rate) in &quality.rates {
            scenario
                .quality
                .0
                .entry(class.clone())
                .or_default()
                .insert(r.id.clone(), *rate);
        }
        scenario.hosted[i].note = Some(sheet::note(
            r,
            d,
            &a,
            &price,
            scenario.days_per_month,
            &quality.from,
        ));
    }
    Ok(())
}

fn deployment<'a>(r: &HostedRoute, data: &'a SelfHostData) -> Result<&'a Deployment, InputError> {
    data.deployment_named(&r.deploy).ok_or_else(|| {
        let known: Vec<&str> = data.deployments.iter().map(|d| d.id.as_str()).collect();
        located(r, "deploy", format!("no deployment `{}`", r.deploy)).hint(format!(
            "{}deployments are MODEL@ID (deployments/*.toml); known: {}",
            did_you_mean(&closest(&r.deploy, known.iter().copied(), 3)),
            known.join(", ")
        ))
    })
}

fn located(r: &HostedRoute, key: &str, message: String) -> InputError {
    InputError {
        file: r.file.clone(),
        line: r.line,
        key: r.at.key(key).to_string(),
        message,
        hint: None,
    }
}

trait Hint {
    fn hint(self, hint: impl Into<String>) -> Self;
}

impl Hint for InputError {
    fn hint(mut self, hint: impl Into<String>) -> InputError {
        self.hint = Some(hint.into());
        self
    }
}

/// A route's success rates per class and where they come from.
struct RouteQuality {
    rates: BTreeMap<String, f64>,
    /// Per class: "stated" or the delta's source; empty classes are unknown.
    from: Vec<String>,
}

/// The scenario's rate for the deployment, else, with a sourced quality
/// delta, the scenario's rate for the same weights on an API plus the
/// delta; otherwise none (unknown, never the API model's rate).
fn quality(
    scenario: &Scenario,
    catalog: &Catalog,
    r: &HostedRoute,
    d: &Deployment,
) -> RouteQuality {
    let mut rates = BTreeMap::new();
    let mut from = Vec::new();
    // Looked up only with a delta to apply (a lookup may reach the snapshot).
    let api = d
        .quality_delta
        .as_ref()
        .and_then(|_| catalog.get(&d.model.id))
        .map(|m| m.id.clone());
    for c in &scenario.classes {
        if let Some(rate) = scenario
            .hosted_quality
            .get(&c.name)
            .and_then(|q| q.get(&r.deploy))
        {
            rates.insert(c.name.clone(), *rate);
            from.push(format!(
                "class `{}`: the scenario's rate for {}",
                c.name, r.deploy
            ));
        } else if let (Some((delta, source)), Some(api)) = (&d.quality_delta, &api) {
            if let Some(base) = scenario.quality.rate(&c.name, api) {
                rates.insert(c.name.clone(), (base + delta).clamp(0.0, 1.0));
                from.push(format!(
                    "class `{}`: {api}'s rate {delta:+} ({source})",
                    c.name
                ));
            }
        }
    }
    RouteQuality { rates, from }
}

#[cfg(test)]
mod step_tests;
#[cfg(test)]
mod tests;
