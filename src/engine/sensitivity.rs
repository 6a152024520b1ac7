//! `cost sensitivity`: which assumptions move one plan's monthly bill most.
//! Each assumption is moved on its own to the two ends of a stated range
//! (`Ranges`), everything else held at the scenario's values, and the plan
//! re-priced by the same evaluation every command uses; the swings are
//! sorted, largest first, into tornado data. Volume, class shares and prices
//! move through `sweep`'s own parameters; token lengths and cache hits are
//! scaled in place, so per-model lengths keep their differences.

use super::outcome::{Context, PlanOutcome};
use super::routing::evaluate;
use super::sweep::{apply, Param, SweepError};
use crate::money::Usd;
use crate::pricing::bill::Request;
use crate::scenario::token_dist::{CacheSpec, TokenDist, TokenModel};
use crate::scenario::{Accuracy, Classifier, Overhead, Plan, PlanKind, Scenario};

/// How far each assumption moves, either way.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranges {
    /// Requests per day, as a fraction (0.2: ±20%).
    pub volume: f64,
    /// Every price of one model, as a fraction.
    pub price: f64,
    /// Output and reasoning token counts, as a fraction.
    pub tokens: f64,
    /// A class's share of traffic, in absolute points of share (0.1: ±10 points).
    pub share: f64,
    /// The share of prompt tokens read from cache, in absolute points.
    pub cache_hit: f64,
    /// The misroute rate's upper end (from 0): each class's requests sent
    /// to another class's model, spread evenly.
    pub misroute: f64,
}

impl Default for Ranges {
    fn default() -> Ranges {
        Ranges {
            volume: 0.2,
            price: 0.2,
            tokens: 0.25,
            share: 0.1,
            cache_hit: 0.2,
            misroute: 0.1,
        }
    }
}

/// One assumption moved to both ends of its range.
#[derive(Debug, Clone, PartialEq)]
pub struct Swing {
    /// The assumption, as `sweep` names parameters (`volume`, `share:easy`,
    /// `price:MODEL`) or `output`, `reasoning`, `cache-hit`, `misroute`.
    pub assumption: String,
    /// The range in words.
    pub range: String,
    /// The assumption's value in the scenario, and at the two ends.
    pub base_value: f64,
    pub low_value: f64,
    pub high_value: f64,
    /// The plan's monthly cost with the assumption at its low and high end.
    pub at_low: Usd,
    pub at_high: Usd,
}

impl Swing {
    /// How far the monthly bill moves across the range, USD.
    pub fn swing(&self) -> Usd {
        Usd((self.at_high.value() - self.at_low.value()).abs())
    }
}

/// The tornado of one plan.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    pub plan: String,
    /// The plan as the scenario states it.
    pub base: PlanOutcome,
    /// Largest swing first; ties by assumption name.
    pub swings: Vec<Swing>,
}

pub fn sensitivity(
    s: &Scenario,
    plan: &Plan,
    ranges: &Ranges,
    ctx: &Context,
) -> Result<Sensitivity, SweepError> {
    let base = evaluate(s, plan, ctx)?;
    let monthly = |s: &Scenario, p: &Plan, ctx: &Context| -> Result<Usd, SweepError> {
        Ok(evaluate(s, p, ctx)?.per_month)
    };
    // Both ends through one of `sweep`'s parameters.
    let through_sweep = |param: Param, base_value: f64, lo: f64, hi: f64, range: String| {
        let at = |v: f64| -> Result<Usd, SweepError> {
            let (moved, catalog) = apply(s, &param, v, ctx.catalog)?;
            let ctx = Context {
                catalog: &catalog,
                ..*ctx
            };
            monthly(&moved, plan, &ctx)
        };
        Ok::<Swing, SweepError>(Swing {
            assumption: super::sweep::name(&param),
            range,
            base_value,
            low_value: lo,
            high_value: hi,
            at_low: at(lo)?,
            at_high: at(hi)?,
        })
    };
    let mut swings = Vec::new();
    let v = s.requests_per_day;
    swings.push(through_sweep(
        Param::Volume,
        v,
        v * (1.0 - ranges.volume),
        v * (1.0 + ranges.volume),
        format!("requests per day ±{}", percent(ranges.volume)),
    )?);
    // Two classes: one share decides the other, so one bar says it all.
    let movable = if s.classes.len() == 2 {
        1
    } else {
        s.classes.len()
    };
    for c in s
        .classes
        .iter()
        .take(movable)
        .filter(|_| s.classes.len() > 1)
    {
        let (lo, hi) = (
            (c.share - ranges.share).max(0.0),
            (c.share + ranges.share).min(1.0),
        );
        swings.push(through_sweep(
            Param::Share(c.name.clone()),
            c.share,
            lo,
            hi,
            format!(
                "share of `{}` ±{} points (other classes keep their proportions)",
                c.name,
                points(ranges.share)
            ),
        )?);
    }
    for model in plan.models() {
        swings.push(through_sweep(
            Param::Price(model.clone()),
            1.0,
            1.0 - ranges.price,
            1.0 + ranges.price,
            format!("every price of `{model}` ±{}", percent(ranges.price)),
        )?);
    }
    swings.extend(in_place(s, plan, &base, ranges, ctx)?);
    swings.sort_by(|a, b| {
        b.swing()
            .value()
            .total_cmp(&a.swing().value())
            .then_with(|| a.assumption.cmp(&b.assumption))
    });
    Ok(Sensitivity {
        plan: plan.name.clone(),
        base,
        swings,
    })
}

/// The swings that scale the scenario in place rather than through a
/// `sweep` parameter: token lengths, cache hits and misroutes.
fn in_place(
    s: &Scenario,
    plan: &Plan,
    base: &PlanOutcome,
    ranges: &Ranges,
    ctx: &Context,
) -> Result<Vec<Swing>, SweepError> {
    let monthly = |s: &Scenario, p: &Plan, ctx: &Context| -> Result<Usd, SweepError> {
        Ok(evaluate(s, p, ctx)?.per_month)
    };
    let mut swings = Vec::new();
    for (name, field) in [("output", Field::Output), ("reasoning", Field::Reasoning)] {
        let mean = weighted(s, |r| field.of(r) as f64);
        if mean <= 0.0 {
            continue;
        }
        let at = |f: f64| monthly(&scaled(s, field, f), plan, ctx);
        swings.push(Swing {
            assumption: name.into(),
            range: format!(
                "{name} tokens of every class and model ±{}",
                percent(ranges.tokens)
            ),
            base_value: mean,
            low_value: mean * (1.0 - ranges.tokens),
            high_value: mean * (1.0 + ranges.tokens),
            at_low: at(1.0 - ranges.tokens)?,
            at_high: at(1.0 + ranges.tokens)?,
        });
    }
    if weighted(s, |r| r.input as f64) > 0.0 {
        let hit = cache_hit;
        let (lo, hi) = (
            cache_shifted(s, -ranges.cache_hit),
            cache_shifted(s, ranges.cache_hit),
        );
        swings.push(Swing {
            assumption: "cache-hit".into(),
            range: format!(
                "share of prompt tokens read from cache ±{} points, every class",
                points(ranges.cache_hit)
            ),
            base_value: hit(s),
            low_value: hit(&lo),
            high_value: hit(&hi),
            at_low: monthly(&lo, plan, ctx)?,
            at_high: monthly(&hi, plan, ctx)?,
        });
    }
    if let Some((routes, router)) = routed(plan, s.classes.len()) {
        let at = |m: f64| monthly(s, &with_misroutes(plan, &routes, &router, m), ctx);
        swings.push(Swing {
            assumption: "misroute".into(),
            range: format!(
                "each class's requests sent to another class's model, spread evenly, 0 to {} (replacing the plan's own accuracy)",
                percent(ranges.misroute)
            ),
            base_value: base.misroutes.over + base.misroutes.under,
            low_value: 0.0,
            high_value: ranges.misroute,
            at_low: at(0.0)?,
            at_high: at(ranges.misroute)?,
        });
    }
    Ok(swings)
}

fn percent(fraction: f64) -> String {
    format!("{}%", fraction * 100.0)
}

fn points(fraction: f64) -> String {
    format!("{}", fraction * 100.0)
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Output,
    Reasoning,
}

impl Field {
    fn of(self, r: &Request) -> u64 {
        match self {
            Field::Output => r.output,
            Field::Reasoning => r.reasoning,
        }
    }
}

/// A per-request count averaged over the traffic mix (each class's
/// representative request).
fn weighted(s: &Scenario, count: impl Fn(&Request) -> f64) -> f64 {
    s.classes.iter().map(|c| c.share * count(&c.request)).sum()
}

/// Every token model of every class (its own and each model's), with the
/// representative request kept in step.
fn each_token_model(s: &mut Scenario, mut change: impl FnMut(&mut TokenModel)) {
    let mut one = |r: &mut Request, t: &mut TokenModel| {
        change(t);
        let m = t.mean_request(r.tier);
        *r = Request {
            input: m.input,
            cache_read: m.cache_read,
            cache_write: m.cache_write,
            cache_write_1h: m.cache_write_1h,
            output: m.output,
            reasoning: m.reasoning,
            ..*r
        };
    };
    for c in &mut s.classes {
        one(&mut c.request, &mut c.tokens);
        for (r, t) in c.per_model.values_mut() {
            one(r, t);
        }
    }
}

fn scaled(s: &Scenario, field: Field, factor: f64) -> Scenario {
    let mut s = s.clone();
    each_token_model(&mut s, |t| {
        let d = match field {
            Field::Output => &mut t.output,
            Field::Reasoning => &mut t.reasoning,
        };
        *d = scale(d, factor);
    });
    s
}

/// The distribution of `factor` times the count.
fn scale(d: &TokenDist, factor: f64) -> TokenDist {
    match d {
        TokenDist::Fixed(v) => TokenDist::Fixed(v * factor),
        TokenDist::Normal { mean, sd } => TokenDist::Normal {
            mean: mean * factor,
            sd: sd * factor,
        },
        TokenDist::LogNormal { mu, sigma } => TokenDist::LogNormal {
            mu: mu + factor.ln(),
            sigma: *sigma,
        },
        TokenDist::Uniform { min, max } => TokenDist::Uniform {
            min: min * factor,
            max: max * factor,
        },
        TokenDist::Empirical(v) => {
            TokenDist::Empirical(std::sync::Arc::new(v.iter().map(|x| x * factor).collect()))
        }
    }
}

/// The share of prompt tokens read from cache, over the classes' token
/// models as the scenario states them (not their representative requests,
/// whose whole-token counts would turn a stated 20% into 20.01%).
fn cache_hit(s: &Scenario) -> f64 {
    let (mut read, mut prompt) = (0.0, 0.0);
    for c in &s.classes {
        let p = c.tokens.prompt.mean();
        read += c.share * c.tokens.cache_read.mean(p);
        prompt += c.share * p;
    }
    if prompt > 0.0 {
        read / prompt
    } else {
        0.0
    }
}

/// Every cache-read share moved by `delta` points, kept within what the
/// prompt leaves beside its cache writes.
fn cache_shifted(s: &Scenario, delta: f64) -> Scenario {
    let mut s = s.clone();
    each_token_model(&mut s, |t| {
        let prompt = t.prompt.mean();
        if prompt <= 0.0 {
            return;
        }
        let written = (t.cache_write.mean(prompt) + t.cache_write_1h.mean(prompt)) / prompt;
        let read = t.cache_read.mean(prompt) / prompt;
        let room = (1.0 - written).max(0.0);
        t.cache_read = CacheSpec::Share((read + delta).clamp(0.0, room));
    });
    s
}

/// A plan with a route per class (perfect or classified) to more than one
/// model: the routes and its router's overhead.
fn routed(plan: &Plan, classes: usize) -> Option<(Vec<String>, Overhead)> {
    let (routes, router) = match &plan.kind {
        PlanKind::Routes(r) => (r.clone(), Overhead::default()),
        PlanKind::Classifier(c) => (c.routes.clone(), c.router.clone()),
        _ => return None,
    };
    (classes >= 2 && routes.iter().any(|r| r != &routes[0])).then_some((routes, router))
}

/// The plan with a uniform misroute rate `m`, as `breakeven` states it.
fn with_misroutes(plan: &Plan, routes: &[String], router: &Overhead, m: f64) -> Plan {
    let n = routes.len();
    let confusion = (0..n)
        .map(|k| {
            (0..n)
                .map(|j| if j == k { 1.0 - m } else { m / (n - 1) as f64 })
                .collect()
        })
        .collect();
    Plan {
        kind: PlanKind::Classifier(Classifier {
            routes: routes.to_vec(),
            accuracy: Accuracy::Confusion(confusion),
            router: router.clone(),
        }),
        ..plan.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{catalog, context, scenario};

    fn swing<'a>(t: &'a Sensitivity, name: &str) -> &'a Swing {
        t.swings
            .iter()
            .find(|s| s.assumption == name)
            .unwrap_or_else(|| panic!("no `{name}` in {:?}", t.swings))
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
    }

    #[test]
    fn volume_moves_the_bill_by_exactly_its_range() {
        let catalog = catalog();
        let s = scenario("routing-example", &catalog);
        let ctx = context(&catalog);
        for plan in &s.plans {
            let t = sensitivity(&s, plan, &Ranges::default(), &ctx).unwrap();
            let base = t.base.per_month.value();
            let v = swing(&t, "volume");
            close(v.at_low.value(), base * 0.8);
            close(v.at_high.value(), base * 1.2);
            close(v.low_value, s.requests_per_day * 0.8);
        }
    }

    #[test]
    fn one_models_prices_move_a_single_model_plan_by_their_range() {
        let catalog = catalog();
        let s = scenario("routing-example", &catalog);
        let ctx = context(&catalog);
        let plan = s.plan("all-strong").unwrap();
        let ranges = Ranges {
            price: 0.5,
            ..Ranges::default()
        };
        let t = sensitivity(&s, plan, &ranges, &ctx).unwrap();
        let base = t.base.per_month.value();
        let model = plan.models()[0].clone();
        let p = swing(&t, &format!("price:{model}"));
        close(p.at_low.value(), base * 0.5);
        close(p.at_high.value(), base * 1.5);
        // A plan that never misroutes has no misroute bar.
        assert!(t.swings.iter().all(|s| s.assumption != "misroute"));
    }

    #[test]
    fn swings_are_sorted_largest_first_and_misroutes_cost_a_router_money() {
        let catalog = catalog();
        let s = scenario("routing-example", &catalog);
        let ctx = context(&catalog);
        let t = sensitivity(
            &s,
            s.plan("perfect-router").unwrap(),
            &Ranges::default(),
            &ctx,
        )
        .unwrap();
        for pair in t.swings.windows(2) {
            assert!(pair[0].swing().value() >= pair[1].swing().value());
        }
        let m = swing(&t, "misroute");
        // No misroutes is the plan itself; misrouting sends easy traffic to the dear model.
        close(m.at_low.value(), t.base.per_month.value());
        assert!(m.at_high.value() > m.at_low.value());
        close(m.base_value, 0.0);
    }

    #[test]
    fn longer_outputs_cost_more_and_scaling_by_one_changes_nothing() {
        let catalog = catalog();
        let s = scenario("default", &catalog);
        let ctx = context(&catalog);
        let plan = &s.plans[0];
        let t = sensitivity(&s, plan, &Ranges::default(), &ctx).unwrap();
        let o = swing(&t, "output");
        assert!(o.at_low.value() < t.base.per_month.value());
        assert!(o.at_high.value() > t.base.per_month.value());
        close(
            evaluate(&scaled(&s, Field::Output, 1.0), plan, &ctx)
                .unwrap()
                .per_month
                .value(),
            t.base.per_month.value(),
        );
    }

    #[test]
    fn a_stated_cache_hit_share_shows_as_written() {
        // The default scenario reads nothing from cache and has prompts
        // whose 20% is no whole token count: the high end is 20%, not 20.01%.
        let catalog = catalog();
        let s = scenario("default", &catalog);
        assert_eq!(cache_hit(&s), 0.0);
        let hi = cache_hit(&cache_shifted(&s, 0.2));
        assert_eq!(format!("{hi:.10}"), "0.2000000000");
    }

    #[test]
    fn cache_hits_stay_within_the_prompt() {
        let catalog = catalog();
        let s = scenario("rag", &catalog);
        for delta in [-1.0, 1.0] {
            let moved = cache_shifted(&s, delta);
            for c in &moved.classes {
                assert!(c.request.cached() <= c.request.input, "{}", c.name);
            }
        }
    }
}
