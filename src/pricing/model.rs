//! The validated price catalog: models, their price periods, long-context
//! cliffs and service tiers, plus the latency and quality figures that travel
//! with them. Built once at load; every price is an exact `Rate`.

use jiff::civil::Date;
use serde::Serialize;

use super::figures::{Latency, QualityScore};
use crate::money::{Money, Rate};

/// A priced part of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Input,
    CacheRead,
    CacheWrite,
    CacheWrite1h,
    Output,
    Reasoning,
    PerRequest,
}

impl Part {
    pub const TOKENS: [Part; 6] = [
        Part::Input,
        Part::CacheRead,
        Part::CacheWrite,
        Part::CacheWrite1h,
        Part::Output,
        Part::Reasoning,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Part::Input => "input",
            Part::CacheRead => "cache_read",
            Part::CacheWrite => "cache_write",
            Part::CacheWrite1h => "cache_write_1h",
            Part::Output => "output",
            Part::Reasoning => "reasoning",
            Part::PerRequest => "per_request",
        }
    }

    pub fn from_key(key: &str) -> Option<Part> {
        Part::TOKENS
            .into_iter()
            .chain([Part::PerRequest])
            .find(|p| p.key() == key)
    }
}

/// The token prices of one price block. Optional parts fall back as providers
/// bill them: no cache price means cached tokens are plain input, no 1-hour
/// write price means the 5-minute one, no reasoning price means output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    pub input: Rate,
    pub cache_read: Option<Rate>,
    pub cache_write: Option<Rate>,
    pub cache_write_1h: Option<Rate>,
    pub output: Rate,
    pub reasoning: Option<Rate>,
}

impl Rates {
    /// The price actually charged for a part, after fallbacks.
    pub fn effective(&self, part: Part) -> Rate {
        match part {
            Part::Input => self.input,
            Part::CacheRead => self.cache_read.unwrap_or(self.input),
            Part::CacheWrite => self.cache_write.unwrap_or(self.input),
            Part::CacheWrite1h => self
                .cache_write_1h
                .or(self.cache_write)
                .unwrap_or(self.input),
            Part::Output => self.output,
            Part::Reasoning => self.reasoning.unwrap_or(self.output),
            Part::PerRequest => Rate::ZERO,
        }
    }

    /// The explicitly stated price of a part, if any.
    pub fn stated(&self, part: Part) -> Option<Rate> {
        match part {
            Part::Input => Some(self.input),
            Part::CacheRead => self.cache_read,
            Part::CacheWrite => self.cache_write,
            Part::CacheWrite1h => self.cache_write_1h,
            Part::Output => Some(self.output),
            Part::Reasoning => self.reasoning,
            Part::PerRequest => None,
        }
    }
}

/// A long-context cliff: a request whose prompt exceeds `above` tokens has
/// every token billed at `rates`. A sheet's `at_or_above = N` is stored as
/// `above = N - 1` with `inclusive` set, so the engine asks one question
/// (`prompt > above`) and reports show the rule as the provider states it.
#[derive(Debug, Clone, PartialEq)]
pub struct LongContext {
    pub above: u64,
    pub inclusive: bool,
    pub rates: Rates,
}

impl LongContext {
    /// The threshold as the sheet states it (`at_or_above` or `above`).
    pub fn stated(&self) -> (&'static str, u64) {
        if self.inclusive {
            ("at_or_above", self.above + 1)
        } else {
            ("above", self.above)
        }
    }
}

/// A recurring UTC time-of-day window in which every price of a period is
/// multiplied by `multiplier` (DeepSeek's off-peak half price).
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub name: String,
    /// Monday first.
    pub days: [bool; 7],
    /// Minutes after midnight UTC, `start` inclusive, `end` exclusive.
    pub start: u16,
    pub end: u16,
    pub multiplier: f64,
}

impl Window {
    /// Whether minute `minute` (0..1440) of weekday `day` (0 = Monday) lies in the window.
    pub fn covers(&self, day: usize, minute: u16) -> bool {
        self.days[day] && minute >= self.start && minute < self.end
    }
}

/// Which service tier served a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceTier {
    #[default]
    Standard,
    Batch,
    Flex,
    Priority,
}

impl ServiceTier {
    pub fn key(self) -> &'static str {
        match self {
            ServiceTier::Standard => "standard",
            ServiceTier::Batch => "batch",
            ServiceTier::Flex => "flex",
            ServiceTier::Priority => "priority",
        }
    }

    pub fn from_key(key: &str) -> Option<ServiceTier> {
        [
            ServiceTier::Standard,
            ServiceTier::Batch,
            ServiceTier::Flex,
            ServiceTier::Priority,
        ]
        .into_iter()
        .find(|t| t.key() == key)
    }
}

/// Prices of a non-standard service tier: explicit prices where given,
/// otherwise the standard (or long-context) price times `multiplier` for the
/// parts in `applies_to`.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePrices {
    pub multiplier: Option<f64>,
    pub applies_to: Vec<Part>,
    pub explicit: PartialRates,
    pub long_context: Vec<(u64, PartialRates)>,
}

/// Some token prices of a block; `None` means "not stated here".
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PartialRates {
    pub input: Option<Rate>,
    pub cache_read: Option<Rate>,
    pub cache_write: Option<Rate>,
    pub cache_write_1h: Option<Rate>,
    pub output: Option<Rate>,
    pub reasoning: Option<Rate>,
}

impl PartialRates {
    pub fn get(&self, part: Part) -> Option<Rate> {
        match part {
            Part::Input => self.input,
            Part::CacheRead => self.cache_read,
            Part::CacheWrite => self.cache_write,
            Part::CacheWrite1h => self.cache_write_1h,
            Part::Output => self.output,
            Part::Reasoning => self.reasoning,
            Part::PerRequest => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        Part::TOKENS.iter().all(|p| self.get(*p).is_none())
    }
}

/// The prices in force over a date range (`from` inclusive, `to` exclusive;
/// open ends are unbounded).
#[derive(Debug, Clone, PartialEq)]
pub struct PricePeriod {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The period's own source (`None`: the model's).
    pub source: Option<String>,
    pub base: Rates,
    pub per_request: Money,
    /// Sorted by threshold, ascending.
    pub long_context: Vec<LongContext>,
    pub batch: Option<ServicePrices>,
    pub flex: Option<ServicePrices>,
    pub priority: Option<ServicePrices>,
    /// Fast-mode factor on every token part, where the provider offers it.
    pub fast: Option<f64>,
    /// Regional / data-residency factor on every token part, where offered.
    pub regional: Option<f64>,
    /// Time-of-day windows; outside every window the prices above apply.
    pub windows: Vec<Window>,
}

impl PricePeriod {
    /// The time-of-day factor at minute `minute` of weekday `day` (0 = Monday), UTC.
    pub fn window_factor(&self, day: usize, minute: u16) -> f64 {
        self.windows
            .iter()
            .find(|w| w.covers(day, minute))
            .map_or(1.0, |w| w.multiplier)
    }

    pub fn covers(&self, date: Date) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date < t)
    }

    pub fn service(&self, tier: ServiceTier) -> Option<&ServicePrices> {
        match tier {
            ServiceTier::Standard => None,
            ServiceTier::Batch => self.batch.as_ref(),
            ServiceTier::Flex => self.flex.as_ref(),
            ServiceTier::Priority => self.priority.as_ref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub aliases: Vec<String>,
    pub context_window: Option<u64>,
    pub max_output: Option<u64>,
    pub tokenizer: Option<String>,
    pub source: String,
    pub verified: Date,
    /// The model's life at its provider; see `Model::lifecycle`.
    pub released: Option<Date>,
    pub deprecated: Option<Date>,
    pub retired: Option<Date>,
    pub lifecycle_source: Option<String>,
    pub litellm: Option<String>,
    pub genai_prices: Option<String>,
    /// Why the model's prices knowingly differ from the public catalogs.
    pub catalog_note: Option<String>,
    /// Sorted by start date; ranges never overlap.
    pub periods: Vec<PricePeriod>,
    /// Latency figures (`pricing/figures/`), in load order.
    pub latency: Vec<Latency>,
    /// Named public quality scores (`pricing/figures/`).
    pub quality: Vec<QualityScore>,
    /// The file the model was loaded from.
    pub origin: String,
}

impl Rates {
    /// Every price times `f`, rounded to the engine's resolution.
    pub fn scaled(&self, f: f64) -> Rates {
        Rates {
            input: self.input.scaled(f),
            cache_read: self.cache_read.map(|r| r.scaled(f)),
            cache_write: self.cache_write.map(|r| r.scaled(f)),
            cache_write_1h: self.cache_write_1h.map(|r| r.scaled(f)),
            output: self.output.scaled(f),
            reasoning: self.reasoning.map(|r| r.scaled(f)),
        }
    }
}

impl PartialRates {
    fn scaled(&self, f: f64) -> PartialRates {
        PartialRates {
            input: self.input.map(|r| r.scaled(f)),
            cache_read: self.cache_read.map(|r| r.scaled(f)),
            cache_write: self.cache_write.map(|r| r.scaled(f)),
            cache_write_1h: self.cache_write_1h.map(|r| r.scaled(f)),
            output: self.output.map(|r| r.scaled(f)),
            reasoning: self.reasoning.map(|r| r.scaled(f)),
        }
    }
}

impl Model {
    /// The same model with every price multiplied by `factor` (a what-if:
    /// "what if this model cost 30% more?").
    pub fn scaled(&self, factor: f64) -> Model {
        let mut m = self.clone();
        for p in &mut m.periods {
            p.base = p.base.scaled(factor);
            p.per_request =
                Money::from_picos((p.per_request.picos() as f64 * factor).round() as i128);
            for t in &mut p.long_context {
                t.rates = t.rates.scaled(factor);
            }
            for s in [&mut p.batch, &mut p.flex, &mut p.priority]
                .into_iter()
                .flatten()
            {
                s.explicit = s.explicit.scaled(factor);
                for (_, r) in &mut s.long_context {
                    *r = r.scaled(factor);
                }
            }
        }
        m
    }

    /// The price period in force on `date`, or on the latest period when no
    /// date is given.
    pub fn period_at(&self, date: Option<Date>) -> Option<&PricePeriod> {
        match date {
            Some(d) => self.periods.iter().find(|p| p.covers(d)),
            None => self.current_period(),
        }
    }

    /// The period that is open-ended (today's prices), else the latest.
    pub fn current_period(&self) -> Option<&PricePeriod> {
        self.periods
            .iter()
            .find(|p| p.to.is_none())
            .or(self.periods.last())
    }
}
