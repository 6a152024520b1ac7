//! Prices one request exactly as the provider bills it
//! (`docs/pricing-semantics.md`):
//!
//!   cost = p_in * (input - cache_read - cache_write) + p_cr * cache_read
//!        + p_cw * cache_write + p_out * output + p_reason * reasoning + fee
//!
//! where `input` is the whole prompt. Long-context tiers are cliffs judged on
//! this request's prompt: above the threshold every token moves to the tier's
//! prices (`above`: the prompt exceeds the count; `at_or_above`: it reaches
//! it). Service tiers apply on top of whichever prices are in force; then the
//! request's options (fast mode, a regional endpoint) and, when the request's
//! time is known, its time-of-day window scale every price. An option or a
//! long-retention cache write the sheet does not price is an error, never a
//! silent fallback; so is a day before the model's release or after its
//! retirement.

use jiff::civil::{Date, Weekday};
use jiff::Timestamp;
use serde::Serialize;

use crate::money::{Money, Rate};
use crate::pricing::model::{PricePeriod, Rates};
use crate::pricing::{Model, Part, ServiceTier};

/// The token counts of one request. `input` is the whole prompt, cache reads
/// and writes included; `reasoning` tokens are generated in addition to
/// `output` (the visible answer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Request {
    pub input: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub cache_write_1h: u64,
    pub output: u64,
    pub reasoning: u64,
    pub tier: ServiceTier,
    /// Fast mode (Anthropic; OpenAI spells it `priority`).
    pub fast: bool,
    /// A regional or data-residency endpoint.
    pub regional: bool,
}

impl Request {
    /// The prompt size a long-context cliff is judged on.
    pub fn prompt(&self) -> u64 {
        self.input
    }

    pub fn cached(&self) -> u64 {
        self.cache_read + self.cache_write + self.cache_write_1h
    }

    pub fn generated(&self) -> u64 {
        self.output + self.reasoning
    }
}

/// One billed component of a request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub part: Part,
    pub tokens: u64,
    pub rate: Rate,
    pub cost: Money,
}

/// The itemised price of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    /// Token lines in `Part::TOKENS` order, then the per-request fee.
    pub lines: [Line; 7],
    pub total: Money,
    /// The long-context threshold crossed, if any.
    pub long_context: Option<u64>,
    pub tier: ServiceTier,
    /// The first day of the price period used (`None`: open-ended).
    pub period_from: Option<Date>,
    /// The time-of-day window the request fell in, and its factor.
    pub window: Option<(String, f64)>,
    /// Whether the request's time of day was known (`price_at`).
    pub timed: bool,
    /// The model's deprecation date, when the request's day is on or after it.
    pub deprecated: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceError {
    #[error("cache reads and writes ({cached} tokens) exceed the whole prompt ({input} tokens)")]
    CacheExceedsInput { cached: u64, input: u64 },
    #[error("model `{model}` has no price in force on {date}")]
    NoPriceOnDate { model: String, date: Date },
    #[error("model `{model}` has no {tier} price{}", .above.map(|a| format!(" above {a} prompt tokens")).unwrap_or_default())]
    TierNotOffered {
        model: String,
        tier: &'static str,
        above: Option<u64>,
    },
    #[error("model `{model}` was retired on {retired}: it has no price on {date}")]
    Retired {
        model: String,
        date: Date,
        retired: Date,
    },
    #[error("model `{model}` was released on {released}: it has no price on {date}")]
    NotReleased {
        model: String,
        date: Date,
        released: Date,
    },
    #[error("model `{model}` does not support {option} in its price sheet")]
    Unsupported { model: String, option: &'static str },
}

/// Checks that `model` is served on `date`; `Ok(Some(day))` when it is
/// deprecated (since `day`) but still served.
pub fn lifecycle(model: &Model, date: Date) -> Result<Option<Date>, PriceError> {
    if let Some(released) = model.released.filter(|r| date < *r) {
        return Err(PriceError::NotReleased {
            model: model.id.clone(),
            date,
            released,
        });
    }
    if let Some(retired) = model.retired.filter(|r| date >= *r) {
        return Err(PriceError::Retired {
            model: model.id.clone(),
            date,
            retired,
        });
    }
    Ok(model.deprecated.filter(|d| date >= *d))
}

/// The price period in force on `date`, after the lifecycle checks.
pub fn period_on(model: &Model, date: Date) -> Result<&PricePeriod, PriceError> {
    served_period(model, date).map(|(p, _)| p)
}

/// The period in force on `date` and the deprecation date if it has passed.
fn served_period(model: &Model, date: Date) -> Result<(&PricePeriod, Option<Date>), PriceError> {
    let deprecated = lifecycle(model, date)?;
    let period = model
        .period_at(Some(date))
        .ok_or_else(|| PriceError::NoPriceOnDate {
            model: model.id.clone(),
            date,
        })?;
    Ok((period, deprecated))
}

/// Prices `request` on `model` with the prices in force on `date`, at the
/// period's list prices (no time-of-day window: the time is unknown).
pub fn price(model: &Model, request: &Request, date: Date) -> Result<Bill, PriceError> {
    let (period, deprecated) = served_period(model, date)?;
    let mut bill = price_in_period(model, period, request)?;
    bill.deprecated = deprecated;
    Ok(bill)
}

/// Prices `request` made at `time` (UTC): the prices in force that day, in
/// the time-of-day window that minute falls in.
pub fn price_at(model: &Model, request: &Request, time: Timestamp) -> Result<Bill, PriceError> {
    let utc = time.to_zoned(jiff::tz::TimeZone::UTC);
    let date = utc.date();
    let (period, deprecated) = served_period(model, date)?;
    let (day, minute) = week_minute(utc.weekday(), utc.hour(), utc.minute());
    let window = period.windows.iter().find(|w| w.covers(day, minute));
    let mut bill = price_in_period(model, period, request)?;
    if let Some(w) = window {
        bill = scaled_bill(&bill, w.multiplier);
        bill.window = Some((w.name.clone(), w.multiplier));
    }
    bill.timed = true;
    bill.deprecated = deprecated;
    Ok(bill)
}

/// Weekday (0 = Monday) and minute of the day.
pub fn week_minute(day: Weekday, hour: i8, minute: i8) -> (usize, u16) {
    let d = day.to_monday_zero_offset() as usize;
    (d, hour as u16 * 60 + minute as u16)
}

/// Every line's rate times `factor` (exact: the loader checked that the
/// factor keeps each stated price at the engine's resolution).
fn scaled_bill(bill: &Bill, factor: f64) -> Bill {
    let mut out = bill.clone();
    let mut total = Money::ZERO;
    for line in &mut out.lines {
        if line.part == Part::PerRequest {
            line.cost = scale_money(line.cost, factor);
        } else {
            line.rate = line.rate.scaled(factor);
            line.cost = line.rate.cost(line.tokens);
        }
        total += line.cost;
    }
    out.total = total;
    out
}

/// A fee times a factor, rounded to the picodollar (service tiers, windows).
pub fn scale_money(m: Money, factor: f64) -> Money {
    Money::from_picos((m.picos() as f64 * factor).round() as i128)
}

/// Rejects a request that asks for something the period does not price.
fn check_options(
    model: &Model,
    period: &PricePeriod,
    rates: &Rates,
    request: &Request,
) -> Result<(), PriceError> {
    let unsupported = |option| PriceError::Unsupported {
        model: model.id.clone(),
        option,
    };
    if request.fast && period.fast.is_none() {
        return Err(unsupported("fast mode"));
    }
    if request.regional && period.regional.is_none() {
        return Err(unsupported("regional / data-residency endpoints"));
    }
    if request.cache_write_1h > 0 && rates.cache_write_1h.is_none() {
        return Err(unsupported(
            "long-retention cache writes (1-hour / 12-hour)",
        ));
    }
    Ok(())
}

pub fn price_in_period(
    model: &Model,
    period: &PricePeriod,
    request: &Request,
) -> Result<Bill, PriceError> {
    let cached = request.cached();
    if cached > request.input {
        return Err(PriceError::CacheExceedsInput {
            cached,
            input: request.input,
        });
    }
    let (mut rates, mut fee, long_context) =
        rates_for(model, period, request.prompt(), request.tier)?;
    check_options(model, period, &rates, request)?;
    for (on, factor) in [
        (request.fast, period.fast),
        (request.regional, period.regional),
    ] {
        if let (true, Some(f)) = (on, factor) {
            rates = rates.scaled(f);
            fee = scale_money(fee, f);
        }
    }
    let tokens = [
        request.input - cached,
        request.cache_read,
        request.cache_write,
        request.cache_write_1h,
        request.output,
        request.reasoning,
    ];
    let mut lines = [Line {
        part: Part::PerRequest,
        tokens: 0,
        rate: Rate::ZERO,
        cost: fee,
    }; 7];
    let mut total = fee;
    for (i, part) in Part::TOKENS.into_iter().enumerate() {
        let rate = rates.effective(part);
        let cost = rate.cost(tokens[i]);
        total += cost;
        lines[i] = Line {
            part,
            tokens: tokens[i],
            rate,
            cost,
        };
    }
    lines[6] = Line {
        part: Part::PerRequest,
        tokens: u64::from(fee > Money::ZERO),
        rate: Rate::ZERO,
        cost: fee,
    };
    Ok(Bill {
        lines,
        total,
        long_context,
        tier: request.tier,
        period_from: period.from,
        window: None,
        timed: false,
        deprecated: None,
    })
}

/// The prices that apply to a request of `prompt` tokens on `tier`: the
/// highest long-context tier the prompt exceeds, then the service tier.
pub fn rates_for(
    model: &Model,
    period: &PricePeriod,
    prompt: u64,
    tier: ServiceTier,
) -> Result<(Rates, Money, Option<u64>), PriceError> {
    let cliff = period.long_context.iter().rev().find(|t| prompt > t.above);
    let standard = cliff.map_or(&period.base, |t| &t.rates);
    let above = cliff.map(|t| t.above);
    if tier == ServiceTier::Standard {
        return Ok((*standard, period.per_request, above));
    }
    let not_offered = || PriceError::TierNotOffered {
        model: model.id.clone(),
        tier: tier.key(),
        above,
    };
    let service = period.service(tier).ok_or_else(not_offered)?;
    let explicit = match above {
        None => Some(service.explicit),
        Some(a) => service
            .long_context
            .iter()
            .find(|(t, _)| *t == a)
            .map(|(_, r)| *r),
    };
    if explicit.is_none() && service.multiplier.is_none() {
        return Err(not_offered());
    }
    let resolve = |part: Part, stated: Option<Rate>| -> Option<Rate> {
        let scaled = match service.multiplier {
            Some(m) if service.applies_to.contains(&part) => stated.map(|r| r.scaled(m)),
            _ => stated,
        };
        explicit.and_then(|e| e.get(part)).or(scaled)
    };
    let rates = Rates {
        input: resolve(Part::Input, Some(standard.input)).unwrap_or(standard.input),
        cache_read: resolve(Part::CacheRead, standard.cache_read),
        cache_write: resolve(Part::CacheWrite, standard.cache_write),
        cache_write_1h: resolve(Part::CacheWrite1h, standard.cache_write_1h),
        output: resolve(Part::Output, Some(standard.output)).unwrap_or(standard.output),
        reasoning: resolve(Part::Reasoning, standard.reasoning),
    };
    let fee = match service.multiplier {
        Some(m) if service.applies_to.contains(&Part::PerRequest) => {
            Money::from_picos((period.per_request.picos() as f64 * m).round() as i128)
        }
        _ => period.per_request,
    };
    Ok((rates, fee, above))
}

#[cfg(test)]
mod tests {
    //! The hand-worked examples of `docs/pricing-semantics.md`.
    use super::*;
    use crate::pricing::load::load_sheet;
    use crate::source::Source;

    fn model(prices: &str) -> Model {
        let text = format!(
            "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m\"\nsource = \"https://example.com\"\nverified = 2026-11-28\n{prices}"
        );
        load_sheet(&Source::embedded("t.toml", &text))
            .unwrap()
            .remove(0)
    }

    fn day() -> Date {
        Date::constant(2026, 11, 28)
    }

    fn req(input: u64, cache_read: u64, output: u64) -> Request {
        Request {
            input,
            cache_read,
            output,
            ..Request::default()
        }
    }

    #[test]
    fn gpt_4o_bills_cached_tokens_once_at_the_cached_price() {
        let m = model("[[models.prices]]\ninput = 2.50\ncache_read = 1.25\noutput = 10.00\n");
        let bill = price(&m, &req(12_000, 4_000, 800), day()).unwrap();
        assert_eq!(bill.total.to_string(), "0.033");
        assert_eq!(bill.lines[0].tokens, 8_000);
        assert_eq!(bill.lines[0].cost.to_string(), "0.02");
        assert_eq!(bill.lines[1].cost.to_string(), "0.005");
        assert_eq!(bill.lines[4].cost.to_string(), "0.008");
    }

    #[test]
    fn claude_haiku_4_5_example() {
        let m = model("[[models.prices]]\ninput = 1.00\ncache_read = 0.10\noutput = 5.00\n");
        assert_eq!(
            price(&m, &req(8_000, 2_000, 1_000), day())
                .unwrap()
                .total
                .to_string(),
            "0.0112"
        );
    }

    const GEMINI_25_PRO: &str = "[[models.prices]]\ninput = 1.25\noutput = 10.00\n[[models.prices.long_context]]\nabove = 200000\ninput = 2.50\noutput = 15.00\n[models.prices.batch]\nmultiplier = 0.5\n";

    #[test]
    fn long_context_cliff_bills_every_token_at_the_tier_price() {
        let m = model(GEMINI_25_PRO);
        let at = price(&m, &req(200_000, 0, 1_000), day()).unwrap();
        assert_eq!(at.total.to_string(), "0.26");
        assert_eq!(at.long_context, None);
        let over = price(&m, &req(200_001, 0, 1_000), day()).unwrap();
        assert_eq!(over.total.to_string(), "0.5150025");
        assert_eq!(over.long_context, Some(200_000));
    }

    #[test]
    fn batch_multiplier_applies_on_top_of_the_long_context_tier() {
        let m = model(GEMINI_25_PRO);
        let r = Request {
            tier: ServiceTier::Batch,
            ..req(200_001, 0, 1_000)
        };
        assert_eq!(
            price(&m, &r, day()).unwrap().total.to_string(),
            "0.25750125"
        );
    }

    #[test]
    fn a_tier_the_model_does_not_offer_is_an_error_not_a_standard_price() {
        let m = model(GEMINI_25_PRO);
        let r = Request {
            tier: ServiceTier::Flex,
            ..req(1_000, 0, 10)
        };
        assert!(matches!(
            price(&m, &r, day()),
            Err(PriceError::TierNotOffered { .. })
        ));
    }

    #[test]
    fn reasoning_defaults_to_the_output_price_and_cache_writes_have_their_own() {
        let m = model("[[models.prices]]\ninput = 3.0\ncache_read = 0.3\ncache_write = 3.75\ncache_write_1h = 6.0\noutput = 15.0\n");
        let r = Request {
            input: 10_000,
            cache_read: 2_000,
            cache_write: 3_000,
            cache_write_1h: 1_000,
            output: 500,
            reasoning: 1_500,
            tier: ServiceTier::Standard,
            ..Request::default()
        };
        // 4,000*3 + 2,000*0.3 + 3,000*3.75 + 1,000*6 + 2,000*15 (per 1M)
        assert_eq!(price(&m, &r, day()).unwrap().total.to_string(), "0.05985");
    }

    #[test]
    fn cache_above_the_prompt_is_rejected() {
        let m = model("[[models.prices]]\ninput = 1.0\noutput = 2.0\n");
        assert!(matches!(
            price(&m, &req(100, 200, 1), day()),
            Err(PriceError::CacheExceedsInput { .. })
        ));
    }

    #[test]
    fn a_request_is_priced_at_the_prices_of_its_day() {
        let m = model("[[models.prices]]\nto = 2026-03-01\ninput = 2.0\noutput = 8.0\n[[models.prices]]\nfrom = 2026-03-01\ninput = 1.0\noutput = 4.0\n");
        let r = req(1_000_000, 0, 0);
        assert_eq!(
            price(&m, &r, Date::constant(2026, 2, 28))
                .unwrap()
                .total
                .to_string(),
            "2"
        );
        assert_eq!(
            price(&m, &r, Date::constant(2026, 3, 1))
                .unwrap()
                .total
                .to_string(),
            "1"
        );
    }

    #[test]
    fn per_request_fee_is_added_and_not_discounted_by_batch() {
        let m = model("[[models.prices]]\ninput = 1.0\noutput = 2.0\nper_request = 0.005\n[models.prices.batch]\nmultiplier = 0.5\n");
        let r = Request {
            tier: ServiceTier::Batch,
            ..req(1_000_000, 0, 0)
        };
        assert_eq!(price(&m, &r, day()).unwrap().total.to_string(), "0.505");
    }

    #[test]
    fn explicit_service_prices_win_over_the_multiplier() {
        let m = model("[[models.prices]]\ninput = 2.0\noutput = 10.0\n[models.prices.priority]\nmultiplier = 2.0\noutput = 15.0\n");
        let r = Request {
            tier: ServiceTier::Priority,
            ..req(1_000_000, 0, 1_000_000)
        };
        assert_eq!(price(&m, &r, day()).unwrap().total.to_string(), "19");
    }
}
