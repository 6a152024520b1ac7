//! How a plan serves one request, for the Monte Carlo simulation: the model
//! calls it pays for (priced by the band its prompt falls in), the paths a
//! request can take through routers and cascade stages with their shares,
//! and the cost, TTFT and E2E of one request along a path. Built once per
//! plan from the scenario; `simulate` draws requests through it.

use rand_xoshiro::Xoshiro256PlusPlus;

use super::bill::rates_for;
use super::cascade::flow;
use super::classify::confusion;
use super::latency::{fit, Fit};
use super::plan::{Context, EngineError, PlanOutcome};
use crate::pricing::{Part, ServiceTier};
use crate::scenario::tokens::{CacheSpec, TokenDist, TokenModel};
use crate::scenario::{PlanKind, Scenario};

/// One priced model call: cost bands by prompt size and a latency line.
#[derive(Debug, Clone)]
pub(super) struct Call {
    /// (threshold, per-token USD by part, fee): the band applies to prompts
    /// above its threshold (`None` for the base band), ascending.
    bands: Vec<(Option<u64>, [f64; 6], f64)>,
    pub latency: Option<Fit>,
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
pub(super) struct Path {
    pub prob: f64,
    /// Calls paid for but not waited on beyond `delay_s` (routers, verifiers).
    side_calls: Vec<usize>,
    /// Calls paid for and waited out in full first (earlier cascade stages).
    pub waited_calls: Vec<usize>,
    answer: usize,
    /// The answer streams (TTFT is its first token) or is shown whole after a check.
    streams: bool,
    fee: f64,
    /// Fixed waits before the answer starts: router time, earlier checks.
    delay_s: f64,
    /// The check after a non-streaming answer.
    check_s: f64,
}

pub(super) struct Sampler {
    pub calls: Vec<Call>,
    /// Per class: its prompt and cache distributions, and its paths.
    pub classes: Vec<(TokenModel, Vec<Path>)>,
}

fn draw_cache(spec: &CacheSpec, prompt: u64, rng: &mut Xoshiro256PlusPlus) -> u64 {
    match spec {
        CacheSpec::Share(share) => (share * prompt as f64).round() as u64,
        CacheSpec::Tokens(TokenDist::Fixed(v)) => *v as u64,
        CacheSpec::Tokens(d) => d.sample(rng),
    }
}

/// Cost, TTFT and E2E of one request along `path`.
pub(super) fn request(
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

pub(super) fn sampler(
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
