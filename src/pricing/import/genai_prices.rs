//! genai-prices' v2 `data.json` (USD per 1M tokens) to sheets, one per
//! provider. Model ids are `provider/model` (`openai/gpt-4o`): the catalog
//! lists the same model under several providers, so a bare id would be
//! ambiguous. Dated prices become price periods (`from` the change's start
//! date, `to` the next change's); tiered prices become long-context cliffs.

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde_json::Value;

use super::litellm::tier_entry;
use super::{toml_date, Collector, Import, ImportError, NotTheCatalog, Reason};
use crate::money::{Money, Rate};
use crate::pricing::genai_prices::{key, token_prices};
use crate::pricing::model::Part;
use crate::pricing::sheet::{ModelEntry, PriceEntry, ProviderEntry};

pub const SOURCE: &str = "https://github.com/pydantic/genai-prices";

pub fn import(text: &str, file: &str, verified: Date) -> Result<Import, ImportError> {
    let not = |reason: String, hint: &str| NotTheCatalog {
        file: file.to_string(),
        expected: "genai-prices",
        reason,
        hint: hint.to_string(),
    };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        not(
            format!("invalid JSON ({e})"),
            "give genai-prices' prices/data.json (v2)",
        )
    })?;
    let Some(providers) = root.as_array() else {
        return Err(not(
            "the top level is not a list of providers".into(),
            "an object of model entries is LiteLLM's map: use `--from litellm`",
        )
        .into());
    };
    if providers.is_empty()
        || !providers.iter().all(|p| {
            p.get("id").is_some_and(Value::is_string)
                && p.get("models").is_some_and(Value::is_array)
        })
    {
        return Err(not(
            "every provider needs an `id` and a `models` list".into(),
            "give genai-prices' prices/data.json (v2)",
        )
        .into());
    }
    let mut out = Collector::new("genai-prices");
    let date = toml_date(verified);
    for p in providers {
        let id = p.get("id").and_then(Value::as_str).unwrap_or_default();
        let url = p
            .get("pricing_urls")
            .and_then(Value::as_array)
            .and_then(|u| u.first())
            .and_then(Value::as_str)
            .map(String::from);
        let provider = ProviderEntry {
            id: id.to_string(),
            name: p
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or(id)
                .to_string(),
            url: url.clone(),
        };
        for m in p
            .get("models")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(model_id) = m.get("id").and_then(Value::as_str) else {
                continue;
            };
            out.read_entry();
            let full = format!("{id}/{model_id}");
            match model(m, &mut out) {
                Ok(prices) => out.add(
                    &provider,
                    ModelEntry {
                        id: full.clone(),
                        name: m.get("name").and_then(Value::as_str).map(String::from),
                        context_window: m.get("context_window").and_then(Value::as_i64),
                        source: Some(url.clone().unwrap_or_else(|| SOURCE.to_string())),
                        verified: Some(date),
                        genai_prices: Some(full),
                        prices,
                        ..ModelEntry::default()
                    },
                ),
                Err(reason) => out.skip(&full, reason),
            }
        }
    }
    Ok(out.finish()?)
}

/// The model's price periods, oldest first.
fn model(m: &Value, out: &mut Collector) -> Result<Vec<PriceEntry>, Reason> {
    let mut dated: Vec<(Option<Date>, &Value)> = match m.get("prices") {
        Some(Value::Array(periods)) => {
            let mut v = Vec::new();
            for period in periods {
                let constraint = period.get("constraint");
                if constraint.and_then(|c| c.get("start_time")).is_some() {
                    return Err(Reason::TimeOfDay);
                }
                let start = constraint
                    .and_then(|c| c.get("start_date"))
                    .and_then(Value::as_str)
                    .map(|s| {
                        s.parse::<Date>()
                            .map_err(|e| Reason::Invalid(format!("start_date {s}: {e}")))
                    })
                    .transpose()?;
                v.push((start, period.get("prices").unwrap_or(&Value::Null)));
            }
            v
        }
        Some(prices) => vec![(None, prices)],
        None => return Err(Reason::NoTokenPrices),
    };
    dated.sort_by_key(|(start, _)| *start);
    let mut periods = Vec::with_capacity(dated.len());
    for (i, (from, prices)) in dated.iter().enumerate() {
        let to = dated.get(i + 1).and_then(|(next, _)| *next);
        let mut entry = period(prices, out)?;
        entry.from = from.map(toml_date);
        entry.to = to.map(toml_date);
        periods.push(entry);
    }
    Ok(periods)
}

fn period(prices: &Value, out: &mut Collector) -> Result<PriceEntry, Reason> {
    let parts = token_prices(prices);
    if !parts.contains_key(&Part::Input) || !parts.contains_key(&Part::Output) {
        return Err(Reason::NoTokenPrices);
    }
    let rate = |usd: f64, part: Part| {
        Rate::per_million(usd)
            .ok_or_else(|| Reason::TooPrecise(key(part).unwrap_or("?").to_string()))
    };
    let mut base = [None; 6];
    let mut starts = BTreeSet::new();
    for (i, part) in Part::TOKENS.into_iter().enumerate() {
        if let Some(t) = parts.get(&part) {
            base[i] = Some(rate(t.base, part)?);
            starts.extend(t.tiers.iter().map(|(s, _)| *s));
        }
    }
    // A part with no tier at a threshold keeps its last price below it.
    let mut long_context = Vec::new();
    for &start in &starts {
        let mut rates = [None; 6];
        for (i, part) in Part::TOKENS.into_iter().enumerate() {
            if let Some(t) = parts.get(&part) {
                let price = t
                    .tiers
                    .iter()
                    .filter(|(s, _)| *s <= start)
                    .max_by_key(|(s, _)| *s)
                    .map_or(t.base, |(_, p)| *p);
                rates[i] = Some(rate(price, part)?);
            }
        }
        long_context.push(tier_entry(start, &rates));
    }
    let per_request = match prices.get("requests_kcount").and_then(Value::as_f64) {
        None => None,
        Some(k) => Some(
            Money::from_usd(k / 1000.0)
                .ok_or_else(|| Reason::TooPrecise("requests_kcount".into()))?
                .usd()
                .value(),
        ),
    };
    if let Some(object) = prices.as_object() {
        let mapped: Vec<&str> = Part::TOKENS.into_iter().filter_map(key).collect();
        for k in object.keys() {
            if !mapped.contains(&k.as_str()) && k != "requests_kcount" {
                out.dropped(k);
            }
        }
    }
    let value = |i: usize| base[i].map(Rate::usd_per_million);
    Ok(PriceEntry {
        input: value(0),
        cache_read: value(1),
        cache_write: value(2),
        cache_write_1h: value(3),
        output: value(4),
        reasoning: value(5),
        per_request,
        long_context,
        ..PriceEntry::default()
    })
}
