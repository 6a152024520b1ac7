//! Reads prices out of a LiteLLM model-price entry (`model_prices_and_context_window.json`:
//! USD per token, keys like `input_cost_per_token_above_272k_tokens_batches`)
//! and checks a `cost` model against it part by part.

use serde_json::{Map, Value};

use super::model::{Model, Part, ServiceTier};
use crate::money::Rate;
use crate::pricing::bill::rates_for;

/// LiteLLM's key stem for a token part.
pub fn stem(part: Part) -> Option<&'static str> {
    Some(match part {
        Part::Input => "input_cost_per_token",
        Part::CacheRead => "cache_read_input_token_cost",
        Part::CacheWrite => "cache_creation_input_token_cost",
        Part::CacheWrite1h => "cache_creation_input_token_cost_above_1hr",
        Part::Output => "output_cost_per_token",
        Part::Reasoning => "output_cost_per_reasoning_token",
        Part::PerRequest => return None,
    })
}

/// LiteLLM's key suffix for a service tier.
pub fn tier_suffix(tier: ServiceTier) -> &'static str {
    match tier {
        ServiceTier::Standard => "",
        ServiceTier::Batch => "_batches",
        ServiceTier::Flex => "_flex",
        ServiceTier::Priority => "_priority",
    }
}

/// The price LiteLLM states for `part` on `tier` for prompts above `cliff`
/// tokens (`None`: below every cliff), in USD per 1M tokens.
pub fn stated_price(
    entry: &Map<String, Value>,
    part: Part,
    cliff: Option<u64>,
    tier: ServiceTier,
) -> Option<f64> {
    if let Some(tiers) = entry.get("tiered_pricing").and_then(Value::as_array) {
        return tiered_price(tiers, part, cliff, tier);
    }
    let mut key = stem(part)?.to_string();
    if let Some(above) = cliff {
        key.push_str(&format!("_above_{}k_tokens", above / 1000));
    }
    key.push_str(tier_suffix(tier));
    entry
        .get(&key)
        .and_then(Value::as_f64)
        .map(|per_token| per_token * 1e6)
}

/// DashScope-style `tiered_pricing`: ranges of prompt size, each a full price set.
fn tiered_price(tiers: &[Value], part: Part, cliff: Option<u64>, tier: ServiceTier) -> Option<f64> {
    if tier != ServiceTier::Standard {
        return None;
    }
    let low = cliff.unwrap_or(0) as f64;
    let band = tiers.iter().find(|t| {
        t.get("range")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(Value::as_f64)
            == Some(low)
    })?;
    band.get(stem(part)?)
        .and_then(Value::as_f64)
        .map(|per_token| per_token * 1e6)
}

/// The long-context thresholds LiteLLM knows for an entry.
pub fn cliffs(entry: &Map<String, Value>) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::new();
    if let Some(tiers) = entry.get("tiered_pricing").and_then(Value::as_array) {
        out.extend(
            tiers
                .iter()
                .filter_map(|t| t.get("range")?.as_array()?.first()?.as_f64())
                .filter(|lo| *lo > 0.0)
                .map(|lo| lo as u64),
        );
    }
    for key in entry.keys() {
        if let Some(rest) = key.strip_prefix("input_cost_per_token_above_") {
            if let Some(k) = rest
                .strip_suffix("k_tokens")
                .and_then(|n| n.parse::<u64>().ok())
            {
                out.push(k * 1000);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A price on which a model and a public catalog disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub model: String,
    pub part: Part,
    pub tier: ServiceTier,
    pub above: Option<u64>,
    /// USD per 1M tokens; `None` where that side has no price.
    pub ours: Option<f64>,
    pub theirs: Option<f64>,
}

/// Every token price LiteLLM states for `entry` that `model`'s current prices
/// (as billed, after fallbacks and multipliers) do not reproduce exactly, and
/// every service tier or cliff one side has and the other lacks.
pub fn differences(
    model: &Model,
    entry: &Map<String, Value>,
    date: jiff::civil::Date,
) -> Vec<Difference> {
    let Some(period) = model.period_at(Some(date)) else {
        return vec![];
    };
    let ours_cliffs: Vec<u64> = period.long_context.iter().map(|t| t.above).collect();
    let mut all_cliffs = ours_cliffs.clone();
    all_cliffs.extend(cliffs(entry));
    all_cliffs.sort_unstable();
    all_cliffs.dedup();
    let mut out = Vec::new();
    let bands = std::iter::once(None).chain(all_cliffs.iter().copied().map(Some));
    for above in bands {
        let prompt = above.map_or(1, |a| a + 1);
        for tier in [
            ServiceTier::Standard,
            ServiceTier::Batch,
            ServiceTier::Flex,
            ServiceTier::Priority,
        ] {
            let ours = rates_for(model, period, prompt, tier).ok();
            for part in Part::TOKENS {
                let Some(theirs) = stated_price(entry, part, above, tier) else {
                    continue;
                };
                let mine = ours
                    .as_ref()
                    .map(|(rates, _, _)| rates.effective(part).usd_per_million());
                let same = mine.is_some_and(|m| Rate::per_million(m) == Rate::per_million(theirs));
                if !same {
                    out.push(Difference {
                        model: model.id.clone(),
                        part,
                        tier,
                        above,
                        ours: mine,
                        theirs: Some(theirs),
                    });
                }
            }
        }
    }
    out
}
