//! Turns a price sheet's text into validated `Model`s. Every rule a sheet
//! must follow is checked here, once, and reported with the key it broke.

use jiff::civil::Date;
use toml::value::Datetime;

use super::model::{
    Latency, LongContext, Model, Part, PartialRates, PricePeriod, QualityScore, Rates,
    ServicePrices,
};
use super::sheet::{
    LatencyEntry, ModelEntry, PriceEntry, QualityEntry, RatesEntry, ServiceEntry, SheetFile,
};
use crate::money::{Money, Rate};
use crate::source::{InputError, KeyPath, Problem, Source};

/// Parses and validates one price sheet.
pub fn load_sheet(source: &Source) -> Result<Vec<Model>, InputError> {
    let sheet: SheetFile =
        toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
    build_sheet(&sheet, &source.name).map_err(|p| p.in_source(source))
}

fn build_sheet(sheet: &SheetFile, origin: &str) -> Result<Vec<Model>, Problem> {
    let provider = &sheet.provider;
    if provider.id.trim().is_empty() {
        return Err(Problem::new(
            KeyPath::root().key("provider").key("id"),
            "provider id is empty",
        ));
    }
    let models = KeyPath::root().key("models");
    sheet
        .models
        .iter()
        .enumerate()
        .map(|(i, entry)| build_model(entry, &provider.id, origin, &models.index(i)))
        .collect()
}

fn build_model(
    entry: &ModelEntry,
    provider: &str,
    origin: &str,
    at: &KeyPath,
) -> Result<Model, Problem> {
    if entry.id.trim().is_empty() {
        return Err(Problem::new(at.key("id"), "model id is empty"));
    }
    let source = entry
        .source
        .clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            Problem::new(
                at.key("source"),
                format!("model `{}` has no source URL", entry.id),
            )
            .hint("add `source = \"https://...\"`: the page the prices were taken from")
        })?;
    let verified = entry.verified.as_ref().ok_or_else(|| {
        Problem::new(
            at.key("verified"),
            format!("model `{}` has no `verified` date", entry.id),
        )
        .hint("add `verified = YYYY-MM-DD`: the day the prices were last checked")
    })?;
    let verified = date(verified, &at.key("verified"))?;
    if entry.prices.is_empty() {
        return Err(Problem::new(
            at.key("prices"),
            format!("model `{}` has no prices", entry.id),
        )
        .hint("add a `[[models.prices]]` block with at least `input` and `output`"));
    }
    let mut periods = entry
        .prices
        .iter()
        .enumerate()
        .map(|(i, p)| build_period(p, &at.key("prices").index(i)))
        .collect::<Result<Vec<_>, _>>()?;
    check_no_overlap(&periods, &at.key("prices"))?;
    periods.sort_by_key(|p| p.from);
    Ok(Model {
        id: entry.id.clone(),
        name: entry.name.clone().unwrap_or_else(|| entry.id.clone()),
        provider: provider.to_string(),
        aliases: entry.aliases.clone(),
        context_window: count(entry.context_window, &at.key("context_window"))?,
        max_output: count(entry.max_output, &at.key("max_output"))?,
        tokenizer: entry.tokenizer.clone(),
        source,
        verified,
        litellm: entry.litellm.clone(),
        genai_prices: entry.genai_prices.clone(),
        periods,
        latency: entry
            .latency
            .as_ref()
            .map(|l| build_latency(l, &at.key("latency")))
            .transpose()?,
        quality: entry
            .quality
            .iter()
            .enumerate()
            .map(|(i, q)| build_quality(q, &at.key("quality").index(i)))
            .collect::<Result<_, _>>()?,
        origin: origin.to_string(),
    })
}

fn build_period(entry: &PriceEntry, at: &KeyPath) -> Result<PricePeriod, Problem> {
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
    let per_request = match entry.per_request {
        None => Money::ZERO,
        Some(fee) => Money::from_usd(fee)
            .filter(|m| *m >= Money::ZERO)
            .ok_or_else(|| {
                Problem::new(
                    at.key("per_request"),
                    format!("per-request fee {fee} is not a non-negative USD amount"),
                )
            })?,
    };
    let mut long_context = Vec::new();
    for (i, tier) in entry.long_context.iter().enumerate() {
        let here = at.key("long_context").index(i);
        if tier.above <= 0 {
            return Err(Problem::new(
                here.key("above"),
                format!(
                    "long-context threshold {} must be a positive token count",
                    tier.above
                ),
            ));
        }
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
                        "long-context tier above {} has no `{}` price, but the base prices do",
                        tier.above,
                        part.key()
                    ),
                )
                .hint("every part priced below the cliff needs its price above it"));
            }
        }
        if rates.input < base.input || rates.output < base.output {
            return Err(Problem::new(
                here.key("input"),
                format!("long-context tier above {} lowers the price", tier.above),
            )
            .hint("a tier above a threshold must not be cheaper than the base prices"));
        }
        long_context.push(LongContext {
            above: tier.above as u64,
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
    Ok(PricePeriod {
        from,
        to,
        base,
        per_request,
        long_context,
        batch: service(&entry.batch, "batch")?,
        flex: service(&entry.flex, "flex")?,
        priority: service(&entry.priority, "priority")?,
    })
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
        let above = u64::try_from(tier.above).unwrap_or(0);
        if !thresholds.contains(&above) {
            return Err(Problem::new(
                here.key("above"),
                format!(
                    "no long-context tier above {} in the standard prices",
                    tier.above
                ),
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

fn check_no_overlap(periods: &[PricePeriod], at: &KeyPath) -> Result<(), Problem> {
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

fn build_latency(entry: &LatencyEntry, at: &KeyPath) -> Result<Latency, Problem> {
    let positive = |v: Option<f64>, key: &str| -> Result<Option<f64>, Problem> {
        match v {
            Some(x) if !(x.is_finite() && x > 0.0) => Err(Problem::new(
                at.key(key),
                format!("{key} = {x} must be a positive number"),
            )),
            other => Ok(other),
        }
    };
    let measured = entry.measured.as_ref().ok_or_else(|| {
        Problem::new(at.key("measured"), "latency figure has no `measured` date")
            .hint("every shipped figure carries the date it was measured")
    })?;
    let source = entry
        .source
        .clone()
        .ok_or_else(|| Problem::new(at.key("source"), "latency figure has no `source` URL"))?;
    Ok(Latency {
        ttft_s: positive(entry.ttft_s, "ttft_s")?,
        ttft_prompt_tokens: count(entry.ttft_prompt_tokens, &at.key("ttft_prompt_tokens"))?,
        prefill_tps: positive(entry.prefill_tps, "prefill_tps")?,
        output_tps: positive(entry.output_tps, "output_tps")?,
        host: entry.host.clone(),
        reasoning: entry.reasoning.clone(),
        measured: date(measured, &at.key("measured"))?,
        source,
        note: entry.note.clone(),
    })
}

fn build_quality(entry: &QualityEntry, at: &KeyPath) -> Result<QualityScore, Problem> {
    let measured = entry
        .measured
        .as_ref()
        .ok_or_else(|| Problem::new(at.key("measured"), "quality score has no `measured` date"))?;
    let source = entry
        .source
        .clone()
        .ok_or_else(|| Problem::new(at.key("source"), "quality score has no `source` URL"))?;
    if !entry.value.is_finite() {
        return Err(Problem::new(
            at.key("value"),
            "quality value is not a number",
        ));
    }
    Ok(QualityScore {
        metric: entry.metric.clone(),
        value: entry.value,
        scale: entry.scale.clone(),
        measured: date(measured, &at.key("measured"))?,
        source,
        note: entry.note.clone(),
    })
}

fn count(value: Option<i64>, at: &KeyPath) -> Result<Option<u64>, Problem> {
    value
        .map(|v| {
            u64::try_from(v).map_err(|_| {
                Problem::new(
                    at.clone(),
                    format!("{v} is not a token count: it must be zero or more"),
                )
            })
        })
        .transpose()
}

/// A TOML date (no time, no offset) as a calendar date.
pub fn date(value: &Datetime, at: &KeyPath) -> Result<Date, Problem> {
    match (value.date, value.time) {
        (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
            .map_err(|e| Problem::new(at.clone(), format!("invalid date {value}: {e}"))),
        _ => Err(
            Problem::new(at.clone(), format!("`{value}` is not a plain date"))
                .hint("write dates as YYYY-MM-DD, without a time"),
        ),
    }
}

#[cfg(test)]
mod tests {
    //! The price-sheet loader's validation rules, one test each: what is
    //! rejected, at which key and line.
    use super::*;

    const HEAD: &str = "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m\"\nsource = \"https://example.com\"\nverified = 2026-11-28\n";

    fn rejected(prices: &str, key: &str, message: &str) {
        let text = format!("{HEAD}{prices}");
        let e = load_sheet(&Source::embedded("p.toml", &text)).expect_err("the loader rejects it");
        assert_eq!(e.key, key, "{e:?}");
        assert!(e.message.contains(message), "{e:?}");
        assert!(e.line.is_some(), "a line number: {e:?}");
    }

    #[test]
    fn a_minimal_sheet_loads_with_exact_rates() {
        let text = format!("{HEAD}[[models.prices]]\ninput = 2.5\noutput = 10.0\n");
        let models = load_sheet(&Source::embedded("p.toml", &text)).unwrap();
        assert_eq!(models.len(), 1);
        let period = models[0].period_at(None).unwrap();
        assert_eq!(period.base.input.usd_per_million(), 2.5);
    }

    #[test]
    fn a_model_needs_prices() {
        let e = load_sheet(&Source::embedded("p.toml", HEAD)).unwrap_err();
        assert!(e.message.contains("has no prices"), "{e:?}");
    }

    #[test]
    fn a_model_needs_a_source() {
        let text = HEAD.replace("source = \"https://example.com\"\n", "")
            + "[[models.prices]]\ninput = 1.0\noutput = 1.0\n";
        let e = load_sheet(&Source::embedded("p.toml", &text)).unwrap_err();
        assert!(e.message.contains("no source URL"), "{e:?}");
    }

    #[test]
    fn a_price_finer_than_a_micro_dollar_per_million_is_rejected() {
        rejected(
            "[[models.prices]]\ninput = 0.0000004\noutput = 1.0\n",
            "models[0].prices[0].input",
            "not a valid USD-per-1M-tokens amount",
        );
    }

    #[test]
    fn price_periods_do_not_overlap() {
        rejected(
            "[[models.prices]]\nto = 2026-06-01\ninput = 1.0\noutput = 1.0\n[[models.prices]]\nfrom = 2026-05-01\ninput = 1.0\noutput = 1.0\n",
            "models[0].prices[1].from",
            "overlaps period 0",
        );
    }

    #[test]
    fn a_long_context_tier_does_not_lower_the_price() {
        let e = load_sheet(&Source::embedded(
            "p.toml",
            &format!("{HEAD}[[models.prices]]\ninput = 2.0\noutput = 8.0\n[[models.prices.long_context]]\nabove = 1000\ninput = 1.0\noutput = 8.0\n"),
        ))
        .unwrap_err();
        assert!(e.message.contains("lowers the price"), "{e:?}");
    }

    #[test]
    fn a_service_multiplier_is_bounded() {
        let e = load_sheet(&Source::embedded(
            "p.toml",
            &format!("{HEAD}[[models.prices]]\ninput = 2.0\noutput = 8.0\n[models.prices.batch]\nmultiplier = 1000\n"),
        ))
        .unwrap_err();
        assert!(e.message.contains("no larger than 100"), "{e:?}");
    }
}
