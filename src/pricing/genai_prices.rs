//! Reads prices out of genai-prices' v2 data (`data.json`: providers, each
//! with models whose `prices` are USD per 1M tokens, optionally tiered by
//! prompt size and changing on dates) for checks against `cost`'s sheets.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde_json::Value;

use super::litellm::Difference;
use super::model::{Model, Part, ServiceTier};
use crate::money::Rate;

/// genai-prices' key for a token part.
pub fn key(part: Part) -> Option<&'static str> {
    Some(match part {
        Part::Input => "input_mtok",
        Part::CacheRead => "cache_read_mtok",
        Part::CacheWrite => "cache_write_mtok",
        Part::CacheWrite1h => "cache_write_1h_mtok",
        Part::Output => "output_mtok",
        Part::Reasoning => "output_reasoning_mtok",
        Part::PerRequest => return None,
    })
}

/// A part's price: the base price and (threshold, price) steps above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiered {
    pub base: f64,
    pub tiers: Vec<(u64, f64)>,
}

/// The prices of `provider/model` in force on `date`, by part. `None` when
/// the model is absent or its price depends on the time of day (which no
/// date-based sheet can express).
pub fn prices_on(data: &Value, provider_model: &str, date: Date) -> Option<BTreeMap<Part, Tiered>> {
    let (provider, model) = provider_model.split_once('/')?;
    let providers = data.as_array()?;
    let p = providers
        .iter()
        .find(|p| p.get("id").and_then(Value::as_str) == Some(provider))?;
    let m = p
        .get("models")?
        .as_array()?
        .iter()
        .find(|m| m.get("id").and_then(Value::as_str) == Some(model))?;
    let prices = match m.get("prices")? {
        Value::Array(periods) => {
            let mut current = None;
            let mut current_start = None;
            for period in periods {
                let constraint = period.get("constraint");
                if constraint.and_then(|c| c.get("start_time")).is_some() {
                    return None;
                }
                let start = constraint
                    .and_then(|c| c.get("start_date"))
                    .and_then(Value::as_str)
                    .and_then(|s| s.parse::<Date>().ok());
                if start.is_none_or(|s| s <= date) && start >= current_start {
                    current = period.get("prices");
                    current_start = start;
                }
            }
            current?
        }
        object => object,
    };
    Some(token_prices(prices))
}

/// The token prices of one `ModelPrice` object, by part (other keys, such as
/// audio or image prices, are not token parts `cost` bills).
pub fn token_prices(prices: &Value) -> BTreeMap<Part, Tiered> {
    let mut out = BTreeMap::new();
    for part in Part::TOKENS {
        if let Some(tiered) = key(part).and_then(|k| prices.get(k)).and_then(tiered) {
            out.insert(part, tiered);
        }
    }
    out
}

/// A price that is a plain number or `{ base, tiers: [{ start, price }] }`.
pub fn tiered(value: &Value) -> Option<Tiered> {
    match value {
        Value::Number(n) => Some(Tiered {
            base: n.as_f64()?,
            tiers: vec![],
        }),
        Value::Object(o) => Some(Tiered {
            base: o.get("base")?.as_f64()?,
            tiers: o
                .get("tiers")?
                .as_array()?
                .iter()
                .filter_map(|t| Some((t.get("start")?.as_u64()?, t.get("price")?.as_f64()?)))
                .collect(),
        }),
        _ => None,
    }
}

/// Every standard token price genai-prices states for `model`'s
/// `genai_prices` key on `date` (base and above each tier start) that the
/// model's stated prices do not match exactly.
pub fn differences(model: &Model, data: &Value, date: Date) -> Vec<Difference> {
    let (Some(key), Some(period)) = (&model.genai_prices, model.period_at(Some(date))) else {
        return vec![];
    };
    let Some(theirs) = prices_on(data, key, date) else {
        return vec![];
    };
    let exact = |v: f64| Rate::per_million(v);
    let mut out = Vec::new();
    for (part, tiered) in &theirs {
        let ours = period.base.stated(*part);
        if ours != exact(tiered.base) {
            out.push(Difference {
                model: model.id.clone(),
                part: *part,
                tier: ServiceTier::Standard,
                above: None,
                ours: ours.map(Rate::usd_per_million),
                theirs: Some(tiered.base),
            });
        }
        for (start, price) in &tiered.tiers {
            let ours = period
                .long_context
                .iter()
                .find(|t| t.stated().1 == *start)
                .and_then(|t| t.rates.stated(*part));
            if ours != exact(*price) {
                out.push(Difference {
                    model: model.id.clone(),
                    part: *part,
                    tier: ServiceTier::Standard,
                    above: Some(*start),
                    ours: ours.map(Rate::usd_per_million),
                    theirs: Some(*price),
                });
            }
        }
    }
    out
}
