//! Monte Carlo cost bands and latency percentiles. Each simulated day draws
//! its volume (and class-mix drift) and then every request's token counts
//! from their distributions, prices each call at the band its prompt falls
//! in (cliffs judged per request) and estimates its latency along the path
//! the plan sends it (router delay; cascade stages waited out in turn).
//!
//! Class mix and routing splits are applied in proportion each day, in
//! whole requests, the leftover ones allotted by systematic sampling so that
//! every count is right on average (`apportion`): their binomial noise is
//! negligible at daily volumes, and a scenario with fixed token counts whose
//! splits are whole reproduces the exact expected cost. Days are independent; a month is the sum of
//! `days_per_month` days resampled from the simulated ones. Every day has
//! its own seeded generator, so results do not depend on the thread count.
//! A month that crosses a price change (`segments`) is the sum of its pieces,
//! each resampled from days simulated at that piece's prices.
//!
//! A self-hosted route's fleet is held at the size planned for the
//! scenario's load (`hosted::step`): its calls cost nothing at the margin
//! and every day pays the fleet's cost per day, whatever its volume; a day
//! that sends the route more than the fleet's capacity ceiling (what its
//! serving replicas carry at the peak factor) is counted in `HeldFleet`,
//! not priced as extra replicas.
//!
//! A class with more than `SimOptions::aggregate_above` requests in a day
//! has its cost drawn as a sum (`aggregate`: the normal limit of the sum,
//! from the per-request moments), so a day costs the same to simulate at
//! 10 thousand or 10^12 requests; latency percentiles still come from
//! individual requests, at most `latency_samples` of them a kept day.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use jiff::civil::Date;

use super::aggregate::ClassMoments;
use super::day::{simulate_day, Day};
use super::hosted::step;
use super::outcome::{Context, EngineError, PlanOutcome};
use super::routing::sampler as sampler_at;
use super::routing::{evaluate, sampler};
use super::segments::month_segments;
use crate::scenario::Scenario;

/// A billing period the simulation reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Month,
}

impl Period {
    pub fn key(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Month => "month",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    /// Simulated days.
    pub trials: usize,
    pub seed: u64,
    /// Requests whose latency is kept for percentiles, per plan (about:
    /// every request of the first days until there are this many, and on a
    /// day with more requests, this many of them in proportion to the paths).
    pub latency_samples: usize,
    /// Requests of a class in a day above which its cost is drawn as a sum
    /// (`aggregate::AGGREGATE_ABOVE`; `u64::MAX`: always every request).
    pub aggregate_above: u64,
}

#[derive(Debug, Clone)]
pub struct PlanSim {
    pub plan: String,
    /// Sorted daily bills (USD).
    pub daily: Vec<f64>,
    /// Sorted monthly bills (USD).
    pub monthly: Vec<f64>,
    /// Sorted per-request latencies over all classes; `None` if any call lacks a latency figure.
    pub ttft: Option<Vec<f64>>,
    pub e2e: Option<Vec<f64>>,
    pub classes: Vec<ClassSim>,
    pub requests: u64,
    /// The month's pieces at different prices, `(first day, days)`: one
    /// piece unless a price changes within the month.
    pub segments: Vec<(Date, f64)>,
    /// The self-hosted fleets the plan holds, each at its planned size.
    pub fleets: Vec<HeldFleet>,
}

/// A self-hosted fleet held at the size planned for the scenario's load,
/// and how the simulated days loaded it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldFleet {
    /// The route's model id.
    pub id: String,
    pub replicas: u32,
    pub gpus: u32,
    /// What it costs every day, USD.
    pub per_day: f64,
    /// The requests per day planned for it.
    pub planned_requests_per_day: f64,
    /// Requests per day its serving replicas carry at the peak factor.
    pub capacity_requests_per_day: f64,
    /// Simulated days that sent it more than its capacity.
    pub days_over: usize,
    pub days: usize,
    /// The most requests a simulated day sent it.
    pub most_requests_per_day: f64,
}

#[derive(Debug, Clone)]
pub struct ClassSim {
    pub class: String,
    pub ttft: Option<Vec<f64>>,
    pub e2e: Option<Vec<f64>>,
}

impl PlanSim {
    /// The mean simulated daily bill, USD.
    pub fn mean_daily(&self) -> f64 {
        self.daily.iter().sum::<f64>() / self.daily.len().max(1) as f64
    }
}

/// The `p`-quantile (0..=1) of sorted samples, linear between ranks.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = p.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo as f64)
}

/// Simulates each outcome's plan in turn; `progress` is told the number of
/// plan-days done so far, out of `trials * outcomes.len()`.
pub fn simulate_plans(
    scenario: &Scenario,
    outcomes: &[PlanOutcome],
    ctx: &Context,
    opts: &SimOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<PlanSim>, EngineError> {
    let mut sims = Vec::with_capacity(outcomes.len());
    for (i, o) in outcomes.iter().enumerate() {
        let offset = (i * opts.trials) as u64;
        sims.push(simulate(scenario, o, ctx, opts, &|done| {
            progress(offset + done);
        })?);
    }
    Ok(sims)
}

/// The simulated work of `simulate_plans`, in requests drawn: what decides
/// whether a progress bar is worth drawing.
pub fn requests_drawn(scenario: &Scenario, outcomes: usize, opts: &SimOptions) -> f64 {
    let per_class = opts.aggregate_above as f64;
    let per_day: f64 = scenario
        .classes
        .iter()
        .map(|c| (scenario.requests_per_day * c.share).min(per_class))
        .sum();
    opts.trials as f64 * per_day * outcomes as f64
}

pub fn simulate(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    ctx: &Context,
    opts: &SimOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PlanSim, EngineError> {
    let held = step::sized(scenario, &outcome.spec, ctx.catalog)?;
    let marginal = step::marginal(ctx.catalog, &held)?;
    let fixed: f64 = held.iter().map(|h| h.per_day.usd().value()).sum();
    let ctx = &Context {
        catalog: marginal.as_ref().unwrap_or(ctx.catalog),
        ..*ctx
    };
    let means = marginal_means(scenario, outcome, !held.is_empty(), ctx)?;
    let sampler = sampler(scenario, outcome, ctx)?;
    let moments = ClassMoments::new(&sampler, opts.seed, means);
    let per_day = scenario.requests_per_day.max(0.0);
    let latency_days = (opts.latency_samples as f64 / per_day.max(1.0))
        .ceil()
        .max(1.0) as usize;
    let done = AtomicU64::new(0);
    let days: Vec<Day> = (0..opts.trials)
        .into_par_iter()
        .map(|d| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                opts.seed ^ (d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let keep = if d < latency_days {
                opts.latency_samples
            } else {
                0
            };
            let day = simulate_day(scenario, &sampler, &moments, opts, &mut rng, keep);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            day
        })
        .collect();
    let mut daily: Vec<f64> = days.iter().map(|d| d.cost + fixed).collect();
    let requests = days.iter().fold(0_u64, |n, d| n.saturating_add(d.volume));
    let segments = month_segments(outcome, ctx, scenario.days_per_month);
    let mut pieces = vec![(daily.clone(), segments[0].1)];
    for (i, (first, n)) in segments.iter().enumerate().skip(1) {
        let later = Context {
            date: *first,
            ..*ctx
        };
        let priced = sampler_at(scenario, outcome, &later)?;
        let priced_moments = ClassMoments::new(
            &priced,
            opts.seed ^ (i as u64) << 48,
            vec![None; scenario.classes.len()],
        );
        let bills: Vec<f64> = (0..opts.trials)
            .into_par_iter()
            .map(|d| {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                    opts.seed ^ (d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (i as u64) << 48,
                );
                simulate_day(scenario, &priced, &priced_moments, opts, &mut rng, 0).cost + fixed
            })
            .collect();
        pieces.push((bills, *n));
    }
    let mut monthly = months(&pieces, opts);
    daily.sort_by(f64::total_cmp);
    monthly.sort_by(f64::total_cmp);
    let (has_latency, has_e2e) = latency_known(&sampler);
    let mut classes: Vec<ClassSim> = scenario
        .classes
        .iter()
        .map(|c| ClassSim {
            class: c.name.clone(),
            ttft: None,
            e2e: None,
        })
        .collect();
    let (mut all_ttft, mut all_e2e) = (Vec::new(), Vec::new());
    for (k, class) in classes.iter_mut().enumerate() {
        let mut ttft: Vec<f64> = days
            .iter()
            .flat_map(|d| d.latency.get(k).map(|x| x.0.clone()).unwrap_or_default())
            .collect();
        let mut e2e: Vec<f64> = days
            .iter()
            .flat_map(|d| d.latency.get(k).map(|x| x.1.clone()).unwrap_or_default())
            .collect();
        ttft.sort_by(f64::total_cmp);
        e2e.sort_by(f64::total_cmp);
        all_ttft.extend_from_slice(&ttft);
        all_e2e.extend_from_slice(&e2e);
        class.ttft = (has_latency && !ttft.is_empty()).then_some(ttft);
        class.e2e = (has_e2e && !e2e.is_empty()).then_some(e2e);
    }
    all_ttft.sort_by(f64::total_cmp);
    all_e2e.sort_by(f64::total_cmp);
    Ok(PlanSim {
        plan: outcome.plan.clone(),
        daily,
        monthly,
        ttft: (has_latency && !all_ttft.is_empty()).then_some(all_ttft),
        e2e: (has_e2e && !all_e2e.is_empty()).then_some(all_e2e),
        classes,
        requests,
        segments,
        fleets: held_fleets(&held, &days),
    })
}

/// Each held fleet and the days above its capacity ceiling: a day sends a
/// route the requests of each class times the share the plan routes there.
fn held_fleets(held: &[step::Sized], days: &[Day]) -> Vec<HeldFleet> {
    held.iter()
        .filter_map(|h| {
            let fleet = h.fleet?;
            let loads: Vec<f64> = days
                .iter()
                .map(|d| {
                    d.classes
                        .iter()
                        .zip(&h.shares)
                        .map(|(&n, p)| n as f64 * p)
                        .sum()
                })
                .collect();
            Some(HeldFleet {
                id: h.id.clone(),
                replicas: fleet.replicas,
                gpus: fleet.gpus,
                per_day: h.per_day.usd().value(),
                planned_requests_per_day: h.load.requests_per_day,
                capacity_requests_per_day: fleet.capacity_requests_per_day,
                days_over: loads
                    .iter()
                    .filter(|&&v| v > fleet.capacity_requests_per_day)
                    .count(),
                days: loads.len(),
                most_requests_per_day: loads.iter().copied().fold(0.0, f64::max),
            })
        })
        .collect()
}

/// The exact expected cost of one request of each class at the margin:
/// the outcome's, or with self-hosted fleets held (`held`) the plan
/// re-evaluated at `ctx`, whose catalog prices their calls at nothing.
fn marginal_means(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    held: bool,
    ctx: &Context,
) -> Result<Vec<Option<f64>>, EngineError> {
    Ok(if held {
        exact_means(scenario, &evaluate(scenario, &outcome.spec, ctx)?)
    } else {
        exact_means(scenario, outcome)
    })
}

/// The exact expected cost of one request of each class of the scenario, at
/// the outcome's prices (what summed days take as their mean).
fn exact_means(scenario: &Scenario, outcome: &PlanOutcome) -> Vec<Option<f64>> {
    scenario
        .classes
        .iter()
        .map(|c| {
            let o = outcome.classes.iter().find(|o| o.class == c.name);
            o.map(|o| o.cost.value())
        })
        .collect()
}

/// Whether every call has a TTFT line and every wait is known, and whether
/// every call also has an output speed (E2E).
fn latency_known(sampler: &super::paths::Sampler) -> (bool, bool) {
    // A cascade's later answers wait out earlier stages in full: without an
    // output speed for those, the slow paths would drop out of the percentiles.
    let waits_known = sampler
        .classes
        .iter()
        .flat_map(|(_, paths)| paths)
        .flat_map(|p| &p.waited_calls)
        .all(|&i| {
            sampler.calls[i]
                .latency
                .is_some_and(|l| l.output_tps.is_some())
        });
    let has_latency = waits_known && sampler.calls.iter().all(|c| c.latency.is_some());
    let has_e2e = sampler
        .calls
        .iter()
        .all(|c| c.latency.is_some_and(|l| l.output_tps.is_some()));
    (has_latency, has_e2e)
}

/// Monthly bills: for each piece of the month, its days resampled from the
/// days simulated at its prices (the fractional day counts in proportion).
fn months(pieces: &[(Vec<f64>, f64)], opts: &SimOptions) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(opts.seed ^ 0x4D4F_4E54_4853);
    (0..opts.trials.max(1))
        .map(|_| {
            let mut sum = 0.0;
            for (daily, days) in pieces {
                let (whole, frac) = (days.floor() as usize, days.fract());
                sum += (0..whole)
                    .map(|_| daily[rng.gen_range(0..daily.len())])
                    .sum::<f64>();
                if frac > 0.0 {
                    sum += frac * daily[rng.gen_range(0..daily.len())];
                }
            }
            sum
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_and_are_monotone() {
        let v: Vec<f64> = (0..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 50.0);
        assert_eq!(percentile(&v, 0.95), 95.0);
        let ps = [0.05, 0.5, 0.95, 0.99];
        assert!(ps
            .windows(2)
            .all(|w| percentile(&v, w[0]) <= percentile(&v, w[1])));
    }
}
