//! A self-hosted fleet is a step function of its load, not a price per
//! request. The catalog prices a route at the fleet its scenario's own load
//! needs, amortised (`FleetSizing::planned_fee`); wherever a plan is priced
//! at another load (a `sweep` or `sensitivity` of volume, a moved class
//! share or token count, a misroute rate), `at_load` re-sizes the fleet
//! for that load with the same rule `cost breakeven` uses (peak factor,
//! N + spare replicas, the row chosen when the route was sized) and prices
//! the route at that fleet's cost per day over the requests it serves:
//!
//! ```text
//! replicas(V) = max(1, ceil(V y k / (86,400 g T))) + s
//! per day(V)  = replicas(V) x g x P x 24          (0 when V = 0: no fleet)
//! fee(V)      = per day(V) / V
//! ```
//!
//! with V the requests per day the plan sends to the route, y their mean
//! generated tokens, k the peak factor, g GPUs per replica, T usable tok/s
//! per GPU, s spare replicas, P $/GPU-hour. A plan's month then costs
//! `per day(V) x days`: flat between replica steps.
//!
//! A `price:MODEL` what-if on the route scales its catalog fee; the same
//! factor scales the fleet's $/GPU-hour here, so it moves the GPU price.
//!
//! The simulation instead holds the fleet planned for the scenario fixed
//! (`held`): it is provisioned and paid whether a day comes in under or
//! over plan, and a day above its capacity ceiling is counted, not priced
//! as more replicas.

use super::{per_request, route_load, routed_shares, RouteLoad};
use crate::money::Money;
use crate::pricing::{Catalog, UnknownModel};
use crate::scenario::{FleetSizing, Plan, Scenario};
use crate::selfhost::economics::fleet_cost_per_day;
use crate::selfhost::fleet::{size, Fleet, Policy, Workload};

/// A route's fleet at the load a plan sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sized {
    /// The route's model id.
    pub id: String,
    pub load: RouteLoad,
    /// `None`: the plan sends it nothing, so no fleet is provisioned.
    pub fleet: Option<Fleet>,
    pub per_day: Money,
    /// `per_day` over the requests it serves, to the picodollar.
    pub per_request: Money,
    /// Per class, the share of its requests the plan sends to the route.
    pub shares: Vec<f64>,
}

/// The fleet `sizing` provisions for `load`.
pub fn fleet_for(sizing: &FleetSizing, load: &RouteLoad, days_per_month: f64) -> Fleet {
    let w = Workload {
        requests_per_day: load.requests_per_day,
        input_tokens: load.input_tokens,
        output_tokens: load.output_tokens,
        peak_factor: sizing.peak_factor,
        days_per_month,
    };
    let policy = Policy {
        spare_replicas: sizing.spare_replicas,
        ..Policy::default()
    };
    size(
        sizing.gpus_per_replica,
        sizing.usable_tps_per_gpu,
        &w,
        &policy,
    )
}

/// Every sized self-hosted route `plan` calls, each at the load the plan
/// sends it in `scenario` and at the price `catalog` now gives it.
pub fn sized(
    scenario: &Scenario,
    plan: &Plan,
    catalog: &Catalog,
) -> Result<Vec<Sized>, UnknownModel> {
    if scenario.hosted.is_empty() {
        return Ok(Vec::new());
    }
    let models = plan.models();
    let mut out = Vec::new();
    for r in &scenario.hosted {
        let Some(sizing) = &r.sizing else { continue };
        if !models.contains(&r.id) {
            continue;
        }
        let factor = price_factor(sizing, fee(catalog, &r.id)?);
        let load = route_load(scenario, plan, &r.id);
        let (fleet, per_day, each) = if load.requests_per_day > 0.0 {
            let fleet = fleet_for(sizing, &load, scenario.days_per_month);
            let per_day = scaled(fleet_cost_per_day(sizing.per_gpu_hour, fleet.gpus), factor);
            (
                Some(fleet),
                per_day,
                per_request(per_day, load.requests_per_day),
            )
        } else {
            (None, Money::ZERO, Money::ZERO)
        };
        out.push(Sized {
            id: r.id.clone(),
            load,
            fleet,
            per_day,
            per_request: each,
            shares: routed_shares(scenario, plan, &r.id),
        });
    }
    Ok(out)
}

/// The catalog with each route `plan` calls priced at the fleet its load
/// in `scenario` needs; `None` when every route already is (the scenario's
/// own load), so the usual evaluation copies nothing.
pub fn at_load(
    scenario: &Scenario,
    plan: &Plan,
    catalog: &Catalog,
) -> Result<Option<Catalog>, UnknownModel> {
    let mut out: Option<Catalog> = None;
    for s in sized(scenario, plan, catalog)? {
        let base = out.as_ref().unwrap_or(catalog);
        let now = fee(base, &s.id)?;
        if now == s.per_request || now == Money::ZERO {
            continue;
        }
        let factor = s.per_request.picos() as f64 / now.picos() as f64;
        out = Some(base.with_price_factor(&s.id, factor)?);
    }
    Ok(out)
}

/// The catalog with every route in `held` free per request: what the
/// simulation prices calls at when the fleets are a fixed daily cost.
pub fn marginal(catalog: &Catalog, held: &[Sized]) -> Result<Option<Catalog>, UnknownModel> {
    let mut out: Option<Catalog> = None;
    for s in held {
        let base = out.as_ref().unwrap_or(catalog);
        out = Some(base.with_price_factor(&s.id, 0.0)?);
    }
    Ok(out)
}

/// The route's cost per request in the catalog (a self-hosted route has
/// one price period and no token prices).
fn fee(catalog: &Catalog, id: &str) -> Result<Money, UnknownModel> {
    let m = catalog.lookup(id)?;
    Ok(m.periods.first().map_or(Money::ZERO, |p| p.per_request))
}

/// The catalog's fee over the planned one: 1 unless a what-if moved it.
fn price_factor(sizing: &FleetSizing, fee: Money) -> f64 {
    if fee == sizing.planned_fee || sizing.planned_fee == Money::ZERO {
        1.0
    } else {
        fee.picos() as f64 / sizing.planned_fee.picos() as f64
    }
}

fn scaled(m: Money, factor: f64) -> Money {
    if factor == 1.0 {
        m
    } else {
        Money::from_picos((m.picos() as f64 * factor).round() as i128)
    }
}
