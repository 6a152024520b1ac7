//! How a plan serves one request, for the Monte Carlo simulation: the model
//! calls it pays for (priced by the band its prompt falls in, `CallBook`),
//! the paths a request can take through routers and cascade stages with
//! their shares (each routing architecture lists its own, `routing`), and
//! the cost, TTFT and E2E of one request along a path. Built once per plan;
//! `routing::sampler` builds it, `simulate` draws requests through it.

use rand_xoshiro::Xoshiro256PlusPlus;

use super::latency::{fit, Fit};
use super::outcome::{Context, EngineError};
use crate::pricing::bill::PriceError;
use crate::pricing::bill::{period_on, rates_for};
use crate::pricing::{Part, ServiceTier};
use crate::scenario::token_dist::{CacheSpec, TokenDist, TokenModel};
use crate::scenario::Class;

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
    #[inline]
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
    pub side_calls: Vec<usize>,
    /// Calls paid for and waited out in full first (earlier cascade stages).
    pub waited_calls: Vec<usize>,
    pub answer: usize,
    /// The answer streams (TTFT is its first token) or is shown whole after a check.
    pub streams: bool,
    pub fee: f64,
    /// Fixed waits before the answer starts: router time, earlier checks.
    pub delay_s: f64,
    /// The check after a non-streaming answer.
    pub check_s: f64,
}

impl Path {
    /// `answer` streams the reply to a share `prob` of the class, with no
    /// other call, fee or wait.
    pub fn answer(prob: f64, answer: usize) -> Path {
        Path {
            prob,
            side_calls: Vec::new(),
            waited_calls: Vec::new(),
            answer,
            streams: true,
            fee: 0.0,
            delay_s: 0.0,
            check_s: 0.0,
        }
    }
}

/// The priced calls of one plan, built as the routing architectures name
/// them: each call once per (class, model, role), its cost bands taken from
/// the prices in force on the context's date at the plan's service tier.
pub(super) struct CallBook<'a> {
    calls: Vec<Call>,
    ctx: &'a Context<'a>,
    tier: Option<ServiceTier>,
}

impl<'a> CallBook<'a> {
    pub fn new(ctx: &'a Context<'a>, tier: Option<ServiceTier>) -> CallBook<'a> {
        CallBook {
            calls: Vec::new(),
            ctx,
            tier,
        }
    }

    /// The book's calls, with the paths that use them, per class.
    pub fn into_sampler(self, classes: Vec<(TokenModel, Vec<Path>)>) -> Sampler {
        Sampler {
            calls: self.calls,
            classes,
        }
    }

    /// A call answering a request of `class` on `model` (the class's token
    /// distributions for that model).
    pub fn serve(&mut self, model: &str, class: &Class) -> Result<usize, EngineError> {
        self.add(model, class.tokens_for(model).clone(), None, class)
    }

    /// A router's or verifier's call: a fixed prompt (`None`: the request's)
    /// and output, on the standard tier unless the plan names one.
    pub fn fixed(
        &mut self,
        model: &str,
        prompt: Option<u64>,
        output: u64,
        class: &Class,
    ) -> Result<usize, EngineError> {
        self.add(model, class.tokens.clone(), Some((prompt, output)), class)
    }

    fn add(
        &mut self,
        model: &str,
        tokens: TokenModel,
        fixed: Option<(Option<u64>, u64)>,
        class: &Class,
    ) -> Result<usize, EngineError> {
        let ctx = self.ctx;
        let m = ctx.catalog.lookup(model)?;
        let own = if fixed.is_some() {
            ServiceTier::Standard
        } else {
            class.request.tier
        };
        let tier = self.tier.unwrap_or(own);
        let priced = |source: PriceError| EngineError::Price {
            class: class.name.clone(),
            model: m.id.clone(),
            source,
        };
        let period = period_on(m, ctx.date).map_err(priced)?;
        let factor = ctx.traffic.factor(period);
        let thresholds: Vec<Option<u64>> = std::iter::once(None)
            .chain(period.long_context.iter().map(|t| Some(t.above)))
            .collect();
        let mut bands = Vec::new();
        for t in thresholds {
            let (rates, fee, _) =
                rates_for(m, period, t.map_or(0, |t| t + 1), tier).map_err(priced)?;
            let per_token: [f64; 6] = std::array::from_fn(|i| {
                rates.effective(Part::TOKENS[i]).usd_per_million() / 1e6 * factor
            });
            bands.push((t, per_token, fee.usd().value() * factor));
        }
        self.calls.push(Call {
            bands,
            latency: fit(
                m,
                class.reasoning_effort.filter(|_| fixed.is_none()),
                &ctx.latency,
            )
            .map(|(f, _)| f),
            tokens,
            fixed,
        });
        Ok(self.calls.len() - 1)
    }
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
#[inline]
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
        let (p, counts) = if let Some((fixed_prompt, out)) = c.fixed {
            let p = fixed_prompt.unwrap_or(prompt);
            (p, [p as f64, 0.0, 0.0, 0.0, out as f64, 0.0])
        } else {
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
        };
        let lat = c
            .latency
            .map(|f| (f.ttft(p as f64), f.e2e(p as f64, counts[5], counts[4])));
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
