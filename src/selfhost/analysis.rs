//! `cost breakeven` as one pure computation: the row a scenario is sized
//! on, the fleet, its cost on one price basis, and against each API plan
//! the break-even utilisation and daily volume (formulas in `fleet.rs` and
//! `economics.rs`).

use super::economics::{
    breakeven_utilisation, breakeven_volume, cost_at_full_use, fleet_cost_per_day, BreakEvenVolume,
};
use super::fleet::{choose_row, size, Chosen, Fleet, FleetError, Policy, Workload};
use super::model::{Basis, Deployment, GpuPrice};
use crate::money::{Money, Usd};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    #[error("{gpu} has no price on basis `{basis}` (it has: {})", .available.join(", "))]
    NoPrice {
        gpu: String,
        basis: Basis,
        available: Vec<String>,
    },
    #[error(transparent)]
    Fleet(#[from] FleetError),
}

/// The price a basis is priced at: the newest row, then the cheapest.
pub fn price_on(d: &Deployment, basis: Basis) -> Result<&GpuPrice, AnalysisError> {
    d.gpu
        .prices_on(basis)
        .max_by(|a, b| {
            a.provenance
                .date
                .cmp(&b.provenance.date)
                .then(b.per_gpu_hour.cmp(&a.per_gpu_hour))
        })
        .ok_or_else(|| {
            let mut available: Vec<String> = d
                .gpu
                .prices
                .iter()
                .map(|p| p.basis.key().to_string())
                .collect();
            available.sort();
            available.dedup();
            AnalysisError::NoPrice {
                gpu: d.gpu.id.clone(),
                basis,
                available,
            }
        })
}

/// One API plan the fleet is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiPlan {
    pub name: String,
    pub per_request: Usd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Versus {
    pub plan: String,
    pub api_per_request: Usd,
    pub api_per_month: Usd,
    /// Self-hosted monthly cost minus the API's (negative: self-hosting saves).
    pub self_minus_api_per_month: Usd,
    pub breakeven_utilisation: Option<f64>,
    pub breakeven: Option<BreakEvenVolume>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Analysis<'a> {
    pub deployment: &'a Deployment,
    pub price: &'a GpuPrice,
    pub chosen: Chosen<'a>,
    pub workload: Workload,
    pub fleet: Fleet,
    pub per_day: Money,
    pub per_month: Usd,
    pub per_request: Usd,
    pub full_use_per_request: Usd,
    pub versus: Vec<Versus>,
}

pub fn analyse<'a>(
    d: &'a Deployment,
    basis: Basis,
    w: &Workload,
    policy: &Policy,
    plans: &[ApiPlan],
) -> Result<Analysis<'a>, AnalysisError> {
    let price = price_on(d, basis)?;
    let chosen = choose_row(d, w, policy)?;
    Ok(at(d, price, chosen, w, policy, plans))
}

/// The analysis at a workload, with the price and row already chosen.
pub fn at<'a>(
    d: &'a Deployment,
    price: &'a GpuPrice,
    chosen: Chosen<'a>,
    w: &Workload,
    policy: &Policy,
    plans: &[ApiPlan],
) -> Analysis<'a> {
    let usable = chosen.usable_tps_per_gpu;
    let fleet = size(d.gpus, usable, w, policy);
    let per_day = fleet_cost_per_day(price.per_gpu_hour, fleet.gpus);
    let per_month = per_day.usd() * w.days_per_month;
    let per_request = if w.requests_per_day > 0.0 {
        Usd(per_day.usd().value() / w.requests_per_day)
    } else {
        Usd(f64::INFINITY)
    };
    let full_use = cost_at_full_use(price.per_gpu_hour, usable, w.output_tokens);
    let versus = plans
        .iter()
        .map(|p| {
            let api_per_month = p.per_request * (w.requests_per_day * w.days_per_month);
            Versus {
                plan: p.name.clone(),
                api_per_request: p.per_request,
                api_per_month,
                self_minus_api_per_month: per_month - api_per_month,
                breakeven_utilisation: breakeven_utilisation(full_use, p.per_request),
                breakeven: breakeven_volume(
                    price.per_gpu_hour,
                    usable,
                    d.gpus,
                    w,
                    policy,
                    p.per_request,
                ),
            }
        })
        .collect();
    Analysis {
        deployment: d,
        price,
        chosen,
        workload: *w,
        fleet,
        per_day,
        per_month,
        per_request,
        full_use_per_request: full_use,
        versus,
    }
}
