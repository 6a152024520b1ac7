//! LiteLLM's `model_prices_and_context_window.json` (USD per token) to
//! sheets, one per `litellm_provider`. Keys are read with the same mapping
//! `pricing::litellm` uses to check sheets, so an import and a check can
//! never disagree on what a key means. Model ids are LiteLLM's keys: they
//! are unique, and an imported `gpt-4o` replaces the built-in one by id.

use serde_json::{Map, Value};

use super::{toml_date, Collector, Import, ImportError, NotTheCatalog, Reason};
use crate::money::{Money, Rate};
use crate::pricing::litellm::{cliffs, stated_price, tier_suffix};
use crate::pricing::model::{Part, ServiceTier};
use crate::pricing::sheet::{ModelEntry, PriceEntry, ProviderEntry, ServiceEntry, TierEntry};

/// Where LiteLLM's map lives, for models whose entry names no source page.
pub const SOURCE: &str =
    "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json";

/// Modes that price text generation; others (embeddings, images, audio,
/// rerank...) bill units a scenario does not model.
const TEXT_MODES: [&str; 3] = ["chat", "completion", "responses"];

const TIERS: [ServiceTier; 3] = [ServiceTier::Batch, ServiceTier::Flex, ServiceTier::Priority];

pub fn import(text: &str, file: &str, verified: jiff::civil::Date) -> Result<Import, ImportError> {
    import_modes(text, file, verified, &TEXT_MODES)
}

/// Modes the catalog snapshot imports: text generation and embeddings
/// (billed per input token; LiteLLM states their output price as 0).
pub const SNAPSHOT_MODES: [&str; 4] = ["chat", "completion", "responses", "embedding"];

/// `import`, keeping the entries of `modes` (entries without a mode too).
pub fn import_modes(
    text: &str,
    file: &str,
    verified: jiff::civil::Date,
    modes: &[&str],
) -> Result<Import, ImportError> {
    let not = |reason: String, hint: &str| NotTheCatalog {
        file: file.to_string(),
        expected: "LiteLLM model price",
        reason,
        hint: hint.to_string(),
    };
    let root: Value = serde_json::from_str(text).map_err(|e| {
        not(
            format!("invalid JSON ({e})"),
            "give LiteLLM's model_prices_and_context_window.json",
        )
    })?;
    let Some(entries) = root.as_object() else {
        return Err(not(
            "the top level is not an object of model entries".into(),
            "a list of providers is genai-prices data: use `--from genai-prices`",
        )
        .into());
    };
    let priced = entries
        .values()
        .filter_map(Value::as_object)
        .any(|e| e.contains_key("litellm_provider") || e.contains_key("input_cost_per_token"));
    if !priced {
        return Err(not(
            "no entry has `litellm_provider` or `input_cost_per_token`".into(),
            "give LiteLLM's model_prices_and_context_window.json",
        )
        .into());
    }
    let mut out = Collector::new("litellm");
    let date = toml_date(verified);
    for (key, entry) in entries {
        let Some(entry) = entry.as_object() else {
            continue;
        };
        if key == "sample_spec" {
            continue;
        }
        out.read_entry();
        match model(key, entry, modes, &mut out) {
            Ok(mut model) => {
                model.verified = Some(date);
                let provider = entry
                    .get("litellm_provider")
                    .and_then(Value::as_str)
                    .unwrap_or("litellm");
                let sheet_provider = ProviderEntry {
                    id: provider.to_string(),
                    name: provider.to_string(),
                    url: None,
                };
                out.add(&sheet_provider, model);
            }
            Err(reason) => out.skip(key, reason),
        }
    }
    Ok(out.finish()?)
}

fn model(
    key: &str,
    entry: &Map<String, Value>,
    modes: &[&str],
    out: &mut Collector,
) -> Result<ModelEntry, Reason> {
    if let Some(mode) = entry.get("mode").and_then(Value::as_str) {
        if !modes.contains(&mode) {
            return Err(Reason::NotText(mode.to_string()));
        }
    }
    let price =
        |part: Part, cliff: Option<u64>, tier: ServiceTier| -> Result<Option<Rate>, Reason> {
            stated_price(entry, part, cliff, tier)
                .map(|usd| {
                    Rate::per_million(usd)
                        .ok_or_else(|| Reason::TooPrecise(key_name(part, cliff, tier)))
                })
                .transpose()
        };
    let band = |cliff: Option<u64>, tier: ServiceTier| -> Result<[Option<Rate>; 6], Reason> {
        let mut rates = [None; 6];
        for (i, part) in Part::TOKENS.into_iter().enumerate() {
            rates[i] = price(part, cliff, tier)?;
        }
        Ok(rates)
    };
    let base = band(None, ServiceTier::Standard)?;
    if base[0].is_none() || base[4].is_none() {
        return Err(Reason::NoTokenPrices);
    }
    let thresholds = cliffs(entry);
    let mut filled = 0;
    let mut standard_above = Vec::new();
    for &above in &thresholds {
        let stated = band(Some(above), ServiceTier::Standard)?;
        standard_above.push((above, fill(stated, &base, &mut filled)));
    }
    let mut prices = PriceEntry {
        per_request: entry
            .get("input_cost_per_request")
            .and_then(Value::as_f64)
            .map(|fee| {
                Money::from_usd(fee)
                    .map(|m| m.usd().value())
                    .ok_or_else(|| Reason::TooPrecise("input_cost_per_request".into()))
            })
            .transpose()?,
        long_context: standard_above
            .iter()
            .map(|(above, rates)| tier_entry(*above, rates))
            .collect(),
        ..PriceEntry::default()
    };
    set_price(&mut prices, &base);
    for tier in TIERS {
        let stated = band(None, tier)?;
        if stated.iter().all(Option::is_none) {
            continue;
        }
        let mut service = ServiceEntry::default();
        set_service(&mut service, &fill(stated, &base, &mut filled));
        for (above, standard) in &standard_above {
            let stated = band(Some(*above), tier)?;
            service
                .long_context
                .push(tier_entry(*above, &fill(stated, standard, &mut filled)));
        }
        match tier {
            ServiceTier::Batch => prices.batch = Some(service),
            ServiceTier::Flex => prices.flex = Some(service),
            _ => prices.priority = Some(service),
        }
    }
    out.filled(filled);
    for k in entry.keys() {
        if is_price_key(k) && !is_mapped(k, &thresholds) {
            out.dropped(k);
        }
    }
    Ok(ModelEntry {
        id: key.to_string(),
        context_window: count(entry.get("max_input_tokens")),
        max_output: count(entry.get("max_output_tokens")),
        source: Some(
            entry
                .get("source")
                .and_then(Value::as_str)
                .filter(|s| s.starts_with("http"))
                .unwrap_or(SOURCE)
                .to_string(),
        ),
        litellm: Some(key.to_string()),
        prices: vec![prices],
        ..ModelEntry::default()
    })
}

/// Parts the source leaves unstated take the price that applies without the
/// tier, for every part that price states.
fn fill(
    stated: [Option<Rate>; 6],
    without: &[Option<Rate>; 6],
    filled: &mut usize,
) -> [Option<Rate>; 6] {
    let mut out = stated;
    for i in 0..6 {
        if out[i].is_none() && without[i].is_some() {
            out[i] = without[i];
            *filled += 1;
        }
    }
    out
}

fn value(rate: Option<Rate>) -> Option<f64> {
    rate.map(Rate::usd_per_million)
}

fn set_price(p: &mut PriceEntry, r: &[Option<Rate>; 6]) {
    p.input = value(r[0]);
    p.cache_read = value(r[1]);
    p.cache_write = value(r[2]);
    p.cache_write_1h = value(r[3]);
    p.output = value(r[4]);
    p.reasoning = value(r[5]);
}

fn set_service(p: &mut ServiceEntry, r: &[Option<Rate>; 6]) {
    p.input = value(r[0]);
    p.cache_read = value(r[1]);
    p.cache_write = value(r[2]);
    p.cache_write_1h = value(r[3]);
    p.output = value(r[4]);
    p.reasoning = value(r[5]);
}

pub fn tier_entry(above: u64, r: &[Option<Rate>; 6]) -> TierEntry {
    TierEntry {
        above: Some(above as i64),
        at_or_above: None,
        input: value(r[0]),
        cache_read: value(r[1]),
        cache_write: value(r[2]),
        cache_write_1h: value(r[3]),
        output: value(r[4]),
        reasoning: value(r[5]),
    }
}

fn count(v: Option<&Value>) -> Option<i64> {
    let v = v?;
    v.as_i64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0)
            .map(|f| f as i64)
    })
}

fn key_name(part: Part, cliff: Option<u64>, tier: ServiceTier) -> String {
    let mut key = crate::pricing::litellm::stem(part)
        .unwrap_or("?")
        .to_string();
    if let Some(above) = cliff {
        key.push_str(&format!("_above_{}k_tokens", above / 1000));
    }
    key.push_str(tier_suffix(tier));
    key
}

fn is_price_key(key: &str) -> bool {
    key.contains("cost") && key != "tiered_pricing"
}

/// Whether an import reads this key (a token price of a part, band and tier it maps).
fn is_mapped(key: &str, thresholds: &[u64]) -> bool {
    if key == "input_cost_per_request" {
        return true;
    }
    let bands = std::iter::once(None).chain(thresholds.iter().copied().map(Some));
    for cliff in bands {
        for tier in [ServiceTier::Standard].into_iter().chain(TIERS) {
            for part in Part::TOKENS {
                if key_name(part, cliff, tier) == key {
                    return true;
                }
            }
        }
    }
    false
}
