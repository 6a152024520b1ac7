//! The on-disk shape of a price sheet (`pricing/*.toml`), exactly as written.
//! Unknown keys are rejected so a typo never silently drops a price. The
//! domain model in `model.rs` is built from these after validation. The
//! importers write sheets through the same structs (`Serialize`); `None`
//! fields and empty lists are left out of the file.

use serde::{Deserialize, Serialize};
use toml::value::Datetime;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SheetFile {
    pub provider: ProviderEntry,
    #[serde(default)]
    pub models: Vec<ModelEntry>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderEntry {
    pub id: String,
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub id: String,
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub context_window: Option<i64>,
    pub max_output: Option<i64>,
    pub tokenizer: Option<String>,
    pub source: Option<String>,
    pub verified: Option<Datetime>,
    /// First day the model was served (pricing an earlier day is an error).
    pub released: Option<Datetime>,
    /// Day the provider deprecated the model (pricing on or after it warns).
    pub deprecated: Option<Datetime>,
    /// Day the provider stopped serving the model (pricing on or after it is an error).
    pub retired: Option<Datetime>,
    /// Where the lifecycle dates come from.
    pub lifecycle_source: Option<String>,
    /// The LiteLLM key this entry was checked against.
    pub litellm: Option<String>,
    /// Why this model's prices knowingly differ from the public catalogs
    /// (`cost validate --against` reports its differences as explained).
    pub catalog_note: Option<String>,
    /// `provider/model` in genai-prices' data, where present.
    pub genai_prices: Option<String>,
    #[serde(default)]
    pub prices: Vec<PriceEntry>,
}

/// Prices in USD per 1M tokens, as any price block states them. (serde cannot
/// flatten this into the blocks below and still reject unknown keys, so the
/// blocks repeat the fields and hand them over through `rates()`.)
#[derive(Debug, Default, Clone, Copy)]
pub struct RatesEntry {
    pub input: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    pub cache_write_1h: Option<f64>,
    pub output: Option<f64>,
    pub reasoning: Option<f64>,
}

macro_rules! rates_accessor {
    ($($t:ty),*) => {$(
        impl $t {
            pub fn rates(&self) -> RatesEntry {
                RatesEntry {
                    input: self.input,
                    cache_read: self.cache_read,
                    cache_write: self.cache_write,
                    cache_write_1h: self.cache_write_1h,
                    output: self.output,
                    reasoning: self.reasoning,
                }
            }
        }
    )*};
}
rates_accessor!(PriceEntry, TierEntry, ServiceEntry);

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    pub from: Option<Datetime>,
    pub to: Option<Datetime>,
    /// Where this period's figures come from, when not the model's `source`.
    pub source: Option<String>,
    /// The day this period's figures were last checked against `source`.
    pub verified: Option<Datetime>,
    pub note: Option<String>,
    pub input: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    pub cache_write_1h: Option<f64>,
    pub output: Option<f64>,
    pub reasoning: Option<f64>,
    pub per_request: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub long_context: Vec<TierEntry>,
    pub batch: Option<ServiceEntry>,
    pub flex: Option<ServiceEntry>,
    pub priority: Option<ServiceEntry>,
    /// Fast mode (Anthropic): every token part times this factor.
    pub fast: Option<f64>,
    /// Regional / data-residency endpoints: every token part times this factor.
    pub regional: Option<f64>,
    /// Time-of-day price windows (UTC), e.g. DeepSeek's off-peak half price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<WindowEntry>,
}

/// A recurring time-of-day window in UTC: on the named days, from `start`
/// (inclusive) to `end` (exclusive; `"24:00"` is the end of the day), every
/// price is multiplied by `multiplier`.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WindowEntry {
    pub name: Option<String>,
    pub days: Vec<String>,
    pub start: String,
    pub end: String,
    pub multiplier: f64,
}

/// A long-context tier: exactly one of `above` (billed at the tier when the
/// prompt exceeds the count) or `at_or_above` (when it reaches it).
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierEntry {
    pub above: Option<i64>,
    pub at_or_above: Option<i64>,
    pub input: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    pub cache_write_1h: Option<f64>,
    pub output: Option<f64>,
    pub reasoning: Option<f64>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub multiplier: Option<f64>,
    pub applies_to: Option<Vec<String>>,
    pub input: Option<f64>,
    pub cache_read: Option<f64>,
    pub cache_write: Option<f64>,
    pub cache_write_1h: Option<f64>,
    pub output: Option<f64>,
    pub reasoning: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub long_context: Vec<TierEntry>,
}
