//! A model's price periods, validated: full base rates, long-context tiers
//! that never lower a price, batch/flex/priority tiers (explicit prices or
//! a bounded multiplier), per-request fees, and periods that never overlap.

use super::load::date;
use super::model::{LongContext, Part, PartialRates, PricePeriod, Rates, ServicePrices};
use super::sheet::{PriceEntry, RatesEntry, ServiceEntry, TierEntry};
use super::windows::{build_windows, exact_factor};
use crate::money::{Money, Rate};
use crate::source::{KeyPath, Problem};

pub(super) fn build_period(entry: &PriceEntry, at: &KeyPath) -> Result<PricePeriod, Problem> {
    let base = full_rates(&entry.rates(), at)?;
    let from = entry
        .from
        .as_ref()
        .map(|d| date(d, &at.key("from")))
        .transpose()?;
    let to = entry
        .to
        .as_ref()
        .map(|d| date(d, &at.key("to")))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(Problem::new(
                at.key("to"),
                format!("price period ends ({t}) on or before it starts ({f})"),
            )
            .hint("`from` is inclusive and `to` exclusive: `to` must be a later date"));
        }
    }
    let per_request = fee(entry.per_request, at)?;
    let mut long_context = Vec::new();
    for (i, tier) in entry.long_context.iter().enumerate() {
        let here = at.key("long_context").index(i);
        let (above, inclusive) = threshold(tier, &here)?;
        let rates = full_rates(&tier.rates(), &here)?;
        for part in [
            Part::CacheRead,
            Part::CacheWrite,
            Part::CacheWrite1h,
            Part::Reasoning,
        ] {
            if base.stated(part).is_some() && rates.stated(part).is_none() {
                return Err(Problem::new(
                    here.key(part.key()),
                    format!(
                        "long-context tier above {above} has no `{}` price, but the base prices do",
                        part.key()
                    ),
                )
                .hint("every part priced below the cliff needs its price above it"));
            }
        }
        if rates.input < base.input || rates.output < base.output {
            return Err(Problem::new(
                here.key("input"),
                format!("long-context tier above {above} lowers the price"),
            )
            .hint("a tier above a threshold must not be cheaper than the base prices"));
        }
        long_context.push(LongContext {
            above,
            inclusive,
            rates,
        });
    }
    long_context.sort_by_key(|t| t.above);
    if long_context.windows(2).any(|w| w[0].above == w[1].above) {
        return Err(Problem::new(
            at.key("long_context"),
            "two long-context tiers have the same threshold",
        ));
    }
    let thresholds: Vec<u64> = long_context.iter().map(|t| t.above).collect();
    let service = |entry: &Option<ServiceEntry>, name: &str| {
        entry
            .as_ref()
            .map(|s| build_service(s, &base, &thresholds, &at.key(name)))
            .transpose()
    };
    let factor = |value: Option<f64>, key: &str| {
        value
            .map(|f| exact_factor(f, &base, &long_context, &at.key(key)))
            .transpose()
    };
    provenance(entry, at)?;
    Ok(PricePeriod {
        from,
        to,
        source: entry.source.clone(),
        fast: factor(entry.fast, "fast")?,
        regional: factor(entry.regional, "regional")?,
        windows: build_windows(&entry.windows, &base, &long_context, &at.key("windows"))?,
        base,
        per_request,
        long_context,
        batch: service(&entry.batch, "batch")?,
        flex: service(&entry.flex, "flex")?,
        priority: service(&entry.priority, "priority")?,
    })
}

fn fee(value: Option<f64>, at: &KeyPath) -> Result<Money, Problem> {
    let Some(fee) = value else {
        return Ok(Money::ZERO);
    };
    Money::from_usd(fee)
        .filter(|m| *m >= Money::ZERO && *m <= Money::MAX_FEE)
        .ok_or_else(|| {
            Problem::new(
                at.key("per_request"),
                format!("per-request fee {fee} is not a USD amount the engine holds exactly"),
            )
            .hint("a fee is non-negative, at most $1,000,000, with at most 12 decimals")
        })
}

/// A period's own `source` goes with its `verified` date.
fn provenance(entry: &PriceEntry, at: &KeyPath) -> Result<(), Problem> {
    if entry.source.is_some() != entry.verified.is_some() {
        return Err(Problem::new(
            at.key(if entry.source.is_some() {
                "verified"
            } else {
                "source"
            }),
            "a price period with its own `source` needs a `verified` date, and the other way round",
        )
        .hint("every figure carries the page it was taken from and the day it was checked"));
    }
    if let Some(v) = &entry.verified {
        date(v, &at.key("verified"))?;
    }
    Ok(())
}

/// A tier's threshold as `(above, inclusive)`: `at_or_above = N` is `above = N - 1`.
pub(super) fn threshold(tier: &TierEntry, at: &KeyPath) -> Result<(u64, bool), Problem> {
    let (value, key, inclusive) = match (tier.above, tier.at_or_above) {
        (Some(a), None) => (a, "above", false),
        (None, Some(a)) => (a, "at_or_above", true),
        (Some(_), Some(_)) => {
            return Err(Problem::new(
                at.key("at_or_above"),
                "a long-context tier states both `above` and `at_or_above`",
            )
            .hint("keep the one the provider states: `above` bills prompts longer than the count, `at_or_above` prompts that reach it"))
        }
        (None, None) => {
            return Err(Problem::new(
                at.key("above"),
                "a long-context tier needs `above` or `at_or_above`",
            )
            .hint("e.g. `above = 200000` (over 200k) or `at_or_above = 200000` (200k and over)"))
        }
    };
    if value <= 0 {
        return Err(Problem::new(
            at.key(key),
            format!("long-context threshold {value} must be a positive token count"),
        ));
    }
    let above = if inclusive { value - 1 } else { value };
    Ok((above as u64, inclusive))
}

fn build_service(
    entry: &ServiceEntry,
    base: &Rates,
    thresholds: &[u64],
    at: &KeyPath,
) -> Result<ServicePrices, Problem> {
    let explicit = partial_rates(&entry.rates(), at)?;
    if let Some(m) = entry.multiplier {
        if !(m.is_finite() && m > 0.0 && m <= 100.0) {
            return Err(Problem::new(
                at.key("multiplier"),
                format!("multiplier {m} must be a positive number no larger than 100"),
            ));
        }
    }
    let applies_to = match &entry.applies_to {
        None => Part::TOKENS.to_vec(),
        Some(keys) => keys
            .iter()
            .map(|k| {
                Part::from_key(k).ok_or_else(|| {
                    Problem::new(at.key("applies_to"), format!("unknown price part `{k}`"))
                        .hint("use input, cache_read, cache_write, cache_write_1h, output, reasoning or per_request")
                })
            })
            .collect::<Result<_, _>>()?,
    };
    if entry.multiplier.is_none() {
        if explicit.is_empty() {
            return Err(Problem::new(
                at.clone(),
                "service tier has neither a multiplier nor prices",
            )
            .hint("add `multiplier = 0.5` or explicit `input`/`output` prices"));
        }
        for part in Part::TOKENS {
            if base.stated(part).is_some() && explicit.get(part).is_none() {
                return Err(Problem::new(
                    at.key(part.key()),
                    format!(
                        "service tier gives explicit prices but not `{}`",
                        part.key()
                    ),
                )
                .hint("give every part the base prices have, or add a `multiplier` for the rest"));
            }
        }
    }
    let mut long_context = Vec::new();
    for (i, tier) in entry.long_context.iter().enumerate() {
        let here = at.key("long_context").index(i);
        let (above, _) = threshold(tier, &here)?;
        if !thresholds.contains(&above) {
            return Err(Problem::new(
                here.key("above"),
                format!("no long-context tier above {above} in the standard prices"),
            )
            .hint(
                "a service tier's long-context prices must use a threshold of the standard prices",
            ));
        }
        let prices = partial_rates(&tier.rates(), &here)?;
        if entry.multiplier.is_none() {
            if let Some(part) = Part::TOKENS
                .into_iter()
                .find(|p| base.stated(*p).is_some() && prices.get(*p).is_none())
            {
                return Err(Problem::new(
                    here.key(part.key()),
                    format!(
                        "service tier has explicit prices above {above} but not `{}`",
                        part.key()
                    ),
                )
                .hint("give every part the base prices have, or add a `multiplier` for the rest"));
            }
        }
        long_context.push((above, prices));
    }
    if entry.multiplier.is_none() {
        if let Some(missing) = thresholds
            .iter()
            .find(|t| !long_context.iter().any(|(a, _)| a == *t))
        {
            return Err(Problem::new(
                at.key("long_context"),
                format!(
                    "service tier has explicit prices but none above the {missing}-token cliff"
                ),
            )
            .hint("add a `long_context` block with that `above`, or a `multiplier`"));
        }
    }
    Ok(ServicePrices {
        multiplier: entry.multiplier,
        applies_to,
        explicit,
        long_context,
    })
}

fn full_rates(entry: &RatesEntry, at: &KeyPath) -> Result<Rates, Problem> {
    let partial = partial_rates(entry, at)?;
    let required = |part: Part| {
        partial.get(part).ok_or_else(|| {
            Problem::new(
                at.key(part.key()),
                format!("missing `{}` price", part.key()),
            )
            .hint("prices are USD per 1M tokens, e.g. `input = 2.50`")
        })
    };
    let rates = Rates {
        input: required(Part::Input)?,
        cache_read: partial.cache_read,
        cache_write: partial.cache_write,
        cache_write_1h: partial.cache_write_1h,
        output: required(Part::Output)?,
        reasoning: partial.reasoning,
    };
    if let Some(read) = rates.cache_read {
        if read > rates.input {
            return Err(Problem::new(
                at.key("cache_read"),
                format!(
                    "cache read price {read} is above the input price {}",
                    rates.input
                ),
            )
            .hint("cached input is a discount on input; check the units (USD per 1M tokens)"));
        }
    }
    Ok(rates)
}

fn partial_rates(entry: &RatesEntry, at: &KeyPath) -> Result<PartialRates, Problem> {
    let rate = |value: Option<f64>, part: Part| -> Result<Option<Rate>, Problem> {
        value
            .map(|v| {
                Rate::per_million(v).ok_or_else(|| {
                    Problem::new(
                        at.key(part.key()),
                        format!("price {v} is not a valid USD-per-1M-tokens amount"),
                    )
                    .hint("prices must be non-negative with at most six decimals")
                })
            })
            .transpose()
    };
    Ok(PartialRates {
        input: rate(entry.input, Part::Input)?,
        cache_read: rate(entry.cache_read, Part::CacheRead)?,
        cache_write: rate(entry.cache_write, Part::CacheWrite)?,
        cache_write_1h: rate(entry.cache_write_1h, Part::CacheWrite1h)?,
        output: rate(entry.output, Part::Output)?,
        reasoning: rate(entry.reasoning, Part::Reasoning)?,
    })
}

pub(super) fn check_no_overlap(periods: &[PricePeriod], at: &KeyPath) -> Result<(), Problem> {
    for (i, a) in periods.iter().enumerate() {
        for (j, b) in periods.iter().enumerate().skip(i + 1) {
            let a_before_b = matches!((a.to, b.from), (Some(t), Some(f)) if t <= f);
            let b_before_a = matches!((b.to, a.from), (Some(t), Some(f)) if t <= f);
            if !a_before_b && !b_before_a {
                return Err(Problem::new(at.index(j).key("from"), format!("price period {j} overlaps period {i}"))
                    .hint("date ranges are `from` inclusive, `to` exclusive; give each period its own range"));
            }
        }
    }
    Ok(())
}
