//! Monte Carlo cost bands and latency percentiles. Each simulated day draws
//! its volume (and class-mix drift) and then every request's token counts
//! from their distributions, prices each call at the band its prompt falls
//! in (cliffs judged per request) and estimates its latency along the path
//! the plan sends it (router delay; cascade stages waited out in turn).
//!
//! Class mix and routing splits are applied in exact proportion each day
//! (largest-remainder rounding): their binomial noise is negligible at daily
//! volumes, and it makes a scenario with fixed token counts reproduce the
//! exact expected cost. Days are independent; a month is the sum of
//! `days_per_month` days resampled from the simulated ones. Every day has
//! its own seeded generator, so results do not depend on the thread count.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use super::bill::rates_for;
use super::cascade::flow;
use super::classify::confusion;
use super::latency::{fit, Fit};
use super::plan::{Context, EngineError, PlanOutcome};
use crate::pricing::{Part, ServiceTier};
use crate::scenario::tokens::{CacheSpec, TokenDist, TokenModel};
use crate::scenario::{PlanKind, Scenario};

#[derive(Debug, Clone, Copy)]
pub struct SimOptions {
    /// Simulated days.
    pub trials: usize,
    pub seed: u64,
    /// Requests whose latency is kept for percentiles, per plan (at least).
    pub latency_samples: usize,
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
}

#[derive(Debug, Clone)]
pub struct ClassSim {
    pub class: String,
    pub ttft: Option<Vec<f64>>,
    pub e2e: Option<Vec<f64>>,
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

/// One priced model call: cost bands by prompt size and a latency line.
#[derive(Debug, Clone)]
struct Call {
    /// (threshold, per-token USD by part, fee): the band applies to prompts
    /// above its threshold (`None` for the base band), ascending.
    bands: Vec<(Option<u64>, [f64; 6], f64)>,
    latency: Option<Fit>,
    tokens: TokenModel,
    /// Router or verifier calls: fixed prompt (`None`: the request's) and output.
    fixed: Option<(Option<u64>, u64)>,
}

impl Call {
    fn cost(&self, counts: &[f64; 6], prompt: u64) -> f64 {
        let (_, rates, fee) = self
            .bands
            .iter()
            .rev()
            .find(|(t, _, _)| t.is_none_or(|t| prompt > t))
            .unwrap_or(&self.bands[0]);
        rates.iter().zip(counts).map(|(r, n)| r * n).sum::<f64>() + fee
    }
}

/// A way a request of a class can be served, with its share of the class.
#[derive(Debug, Clone)]
struct Path {
    prob: f64,
    /// Calls paid for but not waited on beyond `delay_s` (routers, verifiers).
    side_calls: Vec<usize>,
    /// Calls paid for and waited out in full first (earlier cascade stages).
    waited_calls: Vec<usize>,
    answer: usize,
    /// The answer streams (TTFT is its first token) or is shown whole after a check.
    streams: bool,
    fee: f64,
    /// Fixed waits before the answer starts: router time, earlier checks.
    delay_s: f64,
    /// The check after a non-streaming answer.
    check_s: f64,
}

struct Sampler {
    calls: Vec<Call>,
    /// Per class: its prompt and cache distributions, and its paths.
    classes: Vec<(TokenModel, Vec<Path>)>,
}

pub fn simulate(
    scenario: &Scenario,
    outcome: &PlanOutcome,
    ctx: &Context,
    opts: &SimOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PlanSim, EngineError> {
    let plan = scenario
        .plan(&outcome.plan)
        .cloned()
        .unwrap_or_else(|| crate::scenario::Plan::single(&outcome.classes[0].legs[0].model));
    let sampler = sampler(scenario, &plan, outcome, ctx)?;
    let per_day = scenario.requests_per_day.max(0.0);
    let latency_days = (opts.latency_samples as f64 / per_day.max(1.0))
        .ceil()
        .max(1.0) as usize;
    let done = AtomicU64::new(0);
    let days: Vec<(f64, u64, DayLatency)> = (0..opts.trials)
        .into_par_iter()
        .map(|d| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(
                opts.seed ^ (d as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            );
            let keep = d < latency_days;
            let day = simulate_day(scenario, &sampler, &mut rng, keep);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1);
            day
        })
        .collect();
    let mut daily: Vec<f64> = days.iter().map(|d| d.0).collect();
    let requests = days.iter().map(|d| d.1).sum();
    let mut monthly = months(&daily, scenario.days_per_month, opts);
    daily.sort_by(f64::total_cmp);
    monthly.sort_by(f64::total_cmp);
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
            .flat_map(|d| d.2.get(k).map(|x| x.0.clone()).unwrap_or_default())
            .collect();
        let mut e2e: Vec<f64> = days
            .iter()
            .flat_map(|d| d.2.get(k).map(|x| x.1.clone()).unwrap_or_default())
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
    })
}

/// Monthly bills: `days_per_month` days resampled from the simulated ones
/// (the fractional day counts in proportion).
fn months(daily: &[f64], days_per_month: f64, opts: &SimOptions) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(opts.seed ^ 0x4D4F_4E54_4853);
    let (whole, frac) = (days_per_month.floor() as usize, days_per_month.fract());
    (0..opts.trials.max(1))
        .map(|_| {
            let mut sum: f64 = (0..whole)
                .map(|_| daily[rng.gen_range(0..daily.len())])
                .sum();
            if frac > 0.0 {
                sum += frac * daily[rng.gen_range(0..daily.len())];
            }
            sum
        })
        .collect()
}

/// Splits `total` into counts proportional to `weights`, summing to
/// `total`: each gets the floor of its exact share, and the leftover
/// requests go to shares by systematic sampling of the fractional parts, so
/// every count is right in expectation (and exact when shares are whole).
pub fn apportion<R: Rng + ?Sized>(total: u64, weights: &[f64], rng: &mut R) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let left = total.saturating_sub(counts.iter().sum::<u64>());
    if left == 0 {
        return counts;
    }
    let fractions: Vec<f64> = exact.iter().map(|e| e - e.floor()).collect();
    let scale = left as f64 / fractions.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let start: f64 = rng.gen();
    let (mut cumulative, mut next, mut given) = (0.0, start, 0);
    for (i, f) in fractions.iter().enumerate() {
        cumulative += f * scale;
        while next < cumulative && given < left {
            counts[i] += 1;
            given += 1;
            next += 1.0;
        }
    }
    // Rounding in the cumulative sum can leave one behind: give it to the largest fraction.
    if given < left {
        let i = (0..fractions.len())
            .max_by(|&a, &b| fractions[a].total_cmp(&fractions[b]))
            .unwrap_or(0);
        counts[i] += left - given;
    }
    counts
}

type DayLatency = Vec<(Vec<f64>, Vec<f64>)>;

fn simulate_day(
    scenario: &Scenario,
    s: &Sampler,
    rng: &mut Xoshiro256PlusPlus,
    keep: bool,
) -> (f64, u64, DayLatency) {
    let volume = match &scenario.variation.volume {
        Some(d) => d.sample(rng),
        // A fractional volume rounds up with the probability of its fraction.
        None => {
            let v = scenario.requests_per_day;
            v.floor() as u64 + u64::from(rng.gen::<f64>() < v - v.floor())
        }
    };
    let drift = scenario.variation.mix_drift;
    let shares: Vec<f64> = scenario
        .classes
        .iter()
        .map(|c| {
            if drift > 0.0 {
                c.share * rng.gen_range(1.0 - drift..=1.0 + drift)
            } else {
                c.share
            }
        })
        .collect();
    let mut cost = 0.0;
    let mut latency: DayLatency = vec![(Vec::new(), Vec::new()); scenario.classes.len()];
    for (k, n_k) in apportion(volume, &shares, rng).into_iter().enumerate() {
        let (tokens, paths) = &s.classes[k];
        let probs: Vec<f64> = paths.iter().map(|p| p.prob).collect();
        for (path, n) in paths.iter().zip(apportion(n_k, &probs, rng)) {
            for _ in 0..n {
                let (c, ttft, e2e) = request(s, tokens, path, rng);
                cost += c;
                if keep {
                    if let Some(t) = ttft {
                        latency[k].0.push(t);
                    }
                    if let Some(e) = e2e {
                        latency[k].1.push(e);
                    }
                }
            }
        }
    }
    (cost, volume, latency)
}

fn draw_cache(spec: &CacheSpec, prompt: u64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    match spec {
        CacheSpec::Share(share) => (share * prompt as f64).round() as u64,
        CacheSpec::Tokens(TokenDist::Fixed(v)) => *v as u64,
        CacheSpec::Tokens(d) => d.sample(rng),
    }
}

/// Cost, TTFT and E2E of one request along `path`.
fn request(
    s: &Sampler,
    class: &TokenModel,
    path: &Path,
    rng: &mut Xoshiro256PlusPlus,
) -> (f64, Option<f64>, Option<f64>) {
    let prompt = class.prompt.sample(rng);
    let read = draw_cache(&class.cache_read, prompt, rng).min(prompt);
    let write = draw_cache(&class.cache_write, prompt, rng).min(prompt - read);
    let write_1h = draw_cache(&class.cache_write_1h, prompt, rng).min(prompt - read - write);
    let mut cost = path.fee;
    let call = |i: usize, rng: &mut Xoshiro256PlusPlus| -> (f64, Option<(f64, Option<f64>)>) {
        let c = &s.calls[i];
        let (p, counts) = match c.fixed {
            Some((fixed_prompt, out)) => {
                let p = fixed_prompt.unwrap_or(prompt);
                (p, [p as f64, 0.0, 0.0, 0.0, out as f64, 0.0])
            }
            None => {
                let out = c.tokens.output.sample(rng) as f64;
                let reasoning = c.tokens.reasoning.sample(rng) as f64;
                (
                    prompt,
                    [
                        (prompt - read - write - write_1h) as f64,
                        read as f64,
                        write as f64,
                        write_1h as f64,
                        out,
                        reasoning,
                    ],
                )
            }
        };
        let lat = c
            .latency
            .map(|f| (f.ttft(p as f64), f.e2e(p as f64, counts[4] + counts[5])));
        (c.cost(&counts, p), lat)
    };
    for &i in &path.side_calls {
        cost += call(i, rng).0;
    }
    let mut waited = Some(path.delay_s);
    for &i in &path.waited_calls {
        let (c, lat) = call(i, rng);
        cost += c;
        waited = waited.zip(lat.and_then(|(_, e)| e)).map(|(w, e)| w + e);
    }
    let (c, lat) = call(path.answer, rng);
    cost += c;
    let (ttft, e2e) = match lat {
        None => (None, None),
        Some((t, e)) if path.streams => (waited.map(|w| w + t), waited.zip(e).map(|(w, e)| w + e)),
        Some((_, e)) => {
            let shown = waited.zip(e).map(|(w, e)| w + e + path.check_s);
            (shown, shown)
        }
    };
    (cost, ttft, e2e)
}

fn sampler(
    scenario: &Scenario,
    plan: &crate::scenario::Plan,
    outcome: &PlanOutcome,
    ctx: &Context,
) -> Result<Sampler, EngineError> {
    let mut calls: Vec<Call> = Vec::new();
    let mut call_for = |model: &str,
                        tokens: TokenModel,
                        fixed: Option<(Option<u64>, u64)>,
                        class: &crate::scenario::Class|
     -> Result<usize, EngineError> {
        let m = ctx.catalog.lookup(model)?;
        let own = if fixed.is_some() {
            ServiceTier::Standard
        } else {
            class.request.tier
        };
        let tier = plan.tier.unwrap_or(own);
        let class = class.name.as_str();
        let period = m
            .period_at(Some(ctx.date))
            .ok_or_else(|| EngineError::Price {
                class: class.to_string(),
                model: m.id.clone(),
                source: super::bill::PriceError::NoPriceOnDate {
                    model: m.id.clone(),
                    date: ctx.date,
                },
            })?;
        let thresholds: Vec<Option<u64>> = std::iter::once(None)
            .chain(period.long_context.iter().map(|t| Some(t.above)))
            .collect();
        let mut bands = Vec::new();
        for t in thresholds {
            let (rates, fee, _) =
                rates_for(m, period, t.map_or(0, |t| t + 1), tier).map_err(|source| {
                    EngineError::Price {
                        class: class.to_string(),
                        model: m.id.clone(),
                        source,
                    }
                })?;
            let per_token: [f64; 6] =
                std::array::from_fn(|i| rates.effective(Part::TOKENS[i]).usd_per_million() / 1e6);
            bands.push((t, per_token, fee.usd().value()));
        }
        calls.push(Call {
            bands,
            latency: fit(m, &ctx.latency),
            tokens,
            fixed,
        });
        Ok(calls.len() - 1)
    };
    let shares: Vec<f64> = scenario.classes.iter().map(|c| c.share).collect();
    let mut classes = Vec::new();
    for (k, class) in scenario.classes.iter().enumerate() {
        let serve = |m: &str| (m.to_string(), class.tokens_for(m).clone());
        let mut paths = Vec::new();
        match &plan.kind {
            PlanKind::Classifier(c) => {
                let router = match &c.router.call {
                    Some((m, p, o)) => {
                        Some(call_for(m, class.tokens.clone(), Some((*p, *o)), class)?)
                    }
                    None => None,
                };
                let row = &confusion(&c.accuracy, &shares)[k];
                for (j, &p) in row.iter().enumerate() {
                    if p == 0.0 {
                        continue;
                    }
                    let (m, t) = serve(&c.routes[j]);
                    let answer = call_for(&m, t, None, class)?;
                    paths.push(Path {
                        prob: p,
                        side_calls: router.into_iter().collect(),
                        waited_calls: vec![],
                        answer,
                        streams: true,
                        fee: c.router.fee.usd().value(),
                        delay_s: c.router.latency_s,
                        check_s: 0.0,
                    });
                }
            }
            PlanKind::Cascade(c) => {
                let rates: Vec<Option<f64>> = c
                    .stages
                    .iter()
                    .map(|m| scenario.quality.rate(&class.name, m))
                    .collect();
                let f = flow(&rates, &c.verifier, k);
                let stages: Vec<usize> = c
                    .stages
                    .iter()
                    .map(|m| {
                        let (m, t) = serve(m);
                        call_for(&m, t, None, class)
                    })
                    .collect::<Result<_, _>>()?;
                let verifier = match &c.overhead.call {
                    Some((m, p, o)) => {
                        Some(call_for(m, class.tokens.clone(), Some((*p, *o)), class)?)
                    }
                    None => None,
                };
                let last = stages.len() - 1;
                for (j, &answered) in f.answered.iter().enumerate() {
                    if answered <= 0.0 {
                        continue;
                    }
                    // Stage j's answer follows j rejected answers; a non-final answer is checked too.
                    let checks = if j == last { j } else { j + 1 };
                    paths.push(Path {
                        prob: answered,
                        side_calls: verifier
                            .iter()
                            .copied()
                            .cycle()
                            .take(if verifier.is_some() { checks } else { 0 })
                            .collect(),
                        waited_calls: stages[..j].to_vec(),
                        answer: stages[j],
                        streams: j == last,
                        fee: c.overhead.fee.usd().value() * checks as f64,
                        delay_s: c.overhead.latency_s * j as f64,
                        check_s: c.overhead.latency_s,
                    });
                }
            }
            _ => {
                let model = outcome.classes[k].intended.clone().unwrap_or_default();
                let (m, t) = serve(&model);
                let answer = call_for(&m, t, None, class)?;
                paths.push(Path {
                    prob: 1.0,
                    side_calls: vec![],
                    waited_calls: vec![],
                    answer,
                    streams: true,
                    fee: 0.0,
                    delay_s: 0.0,
                    check_s: 0.0,
                });
            }
        }
        classes.push((class.tokens.clone(), paths));
    }
    Ok(Sampler { calls, classes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_keeps_the_total_and_is_right_in_expectation() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        assert_eq!(apportion(10, &[0.8, 0.2], &mut rng), vec![8, 2]);
        assert_eq!(
            apportion(10, &[1.0, 1.0, 1.0], &mut rng)
                .iter()
                .sum::<u64>(),
            10
        );
        assert_eq!(apportion(0, &[0.5, 0.5], &mut rng), vec![0, 0]);
        assert_eq!(apportion(7, &[0.0, 1.0], &mut rng), vec![0, 7]);
        // One request a day split 80/20: the small share gets it 20% of days.
        let days = 100_000;
        let small: u64 = (0..days)
            .map(|_| apportion(1, &[0.8, 0.2], &mut rng)[1])
            .sum();
        assert!((small as f64 / days as f64 - 0.2).abs() < 0.01, "{small}");
    }

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
