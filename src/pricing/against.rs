//! A public price catalog to hold the sheets against (`cost validate
//! --against`): LiteLLM's model map or genai-prices' data, told apart by
//! shape, and each model's price differences from it, in words.

use jiff::civil::Date;

use super::{genai_prices, litellm, Model};

pub enum CatalogData {
    Litellm(serde_json::Map<String, serde_json::Value>),
    GenaiPrices(serde_json::Value),
}

impl CatalogData {
    /// Tells the catalog's kind from its JSON: an object is LiteLLM's map,
    /// a list is genai-prices' data.
    pub fn from_json(value: serde_json::Value) -> Option<CatalogData> {
        match value {
            serde_json::Value::Object(o) => Some(CatalogData::Litellm(o)),
            v @ serde_json::Value::Array(_) => Some(CatalogData::GenaiPrices(v)),
            _ => None,
        }
    }
}

/// Every price of `model` that differs from the catalog, one sentence each.
pub fn differences(model: &Model, data: &CatalogData, date: Date) -> Vec<String> {
    let (name, diffs) = match data {
        CatalogData::Litellm(map) => {
            let key = model.litellm.as_deref().unwrap_or(&model.id);
            let Some(entry) = map.get(key).and_then(|v| v.as_object()) else {
                return vec![];
            };
            ("LiteLLM", litellm::differences(model, entry, date))
        }
        CatalogData::GenaiPrices(v) => ("genai-prices", genai_prices::differences(model, v, date)),
    };
    let price = |p: Option<f64>| p.map_or("none".to_string(), |v| format!("${v}"));
    diffs
        .iter()
        .map(|d| {
            format!(
                "`{}` {} {}{}: ours {}, {name} {} per 1M tokens",
                d.model,
                d.tier.key(),
                d.part.key(),
                d.above
                    .map(|a| format!(" above {a} tokens"))
                    .unwrap_or_default(),
                price(d.ours),
                price(d.theirs)
            )
        })
        .collect()
}
