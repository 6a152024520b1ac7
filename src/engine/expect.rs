//! The expected cost of one model call when a class's token counts are
//! distributions. A bill is linear in token counts except at long-context
//! cliffs, where the whole request jumps to other prices, so the prompt
//! distribution is cut at each cliff: per band, P(band) from the CDF and
//! E[prompt | band] by quadrature (`TokenDist::band`), priced at the band's
//! rates. Output and reasoning are independent of the prompt and enter by
//! their means. Exact to quadrature precision; exact when counts are fixed.

use jiff::civil::Date;

use crate::money::Usd;
use crate::pricing::bill::{period_on, rates_for, PriceError};
use crate::pricing::windows::TrafficProfile;
use crate::pricing::{Model, Part, ServiceTier};
use crate::scenario::token_dist::{CacheSpec, TokenDist, TokenModel};

#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub cost: Usd,
    /// For each long-context threshold: the share of requests whose prompt exceeds it.
    pub cliffs: Vec<(u64, f64)>,
}

/// Expected cost of one call; `traffic` says when the calls arrive, which
/// weights a period's time-of-day windows (the whole bill scales by a
/// window's factor, so the blend is the profile's mean factor).
pub fn expected(
    model: &Model,
    tokens: &TokenModel,
    tier: ServiceTier,
    date: Date,
    traffic: &TrafficProfile,
) -> Result<Expected, PriceError> {
    let period = period_on(model, date)?;
    if tokens.cache_write_1h.mean(1.0) > 0.0 && period.base.cache_write_1h.is_none() {
        return Err(PriceError::Unsupported {
            model: model.id.clone(),
            option: "long-retention cache writes (1-hour / 12-hour)",
        });
    }
    let thresholds: Vec<u64> = period.long_context.iter().map(|t| t.above).collect();
    // Cache counts are capped by the prompt (read first, then the writes),
    // as each request is billed: fixed cache counts add breakpoints at
    // which the caps start to bind, so every piece stays linear.
    let fixed = |c: &CacheSpec| match c {
        CacheSpec::Tokens(TokenDist::Fixed(v)) => Some(*v),
        _ => None,
    };
    let caps: Vec<f64> = [
        &tokens.cache_read,
        &tokens.cache_write,
        &tokens.cache_write_1h,
    ]
    .into_iter()
    .scan(0.0, |sum, c| {
        *sum += fixed(c).unwrap_or(0.0);
        Some(*sum)
    })
    .collect();
    let mut edges: Vec<f64> = vec![f64::NEG_INFINITY, f64::INFINITY];
    edges.extend(thresholds.iter().map(|t| *t as f64));
    edges.extend(caps.iter().filter(|c| **c > 0.0));
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    let (output, reasoning) = (tokens.output.mean(), tokens.reasoning.mean());
    let mut cost = 0.0;
    for band in edges.windows(2) {
        let (prompt, p) = tokens.prompt.band(band[0], band[1]);
        if p <= 0.0 {
            continue;
        }
        // The cliff band this piece lies in: its prompts exceed every threshold at or below `lo`.
        let representative = thresholds
            .iter()
            .filter(|t| (**t as f64) <= band[0])
            .max()
            .map_or(0, |t| t + 1);
        let (rates, fee, _) = rates_for(model, period, representative, tier)?;
        let mut left = prompt;
        let mut take = |c: &CacheSpec| {
            let want = match c {
                CacheSpec::Share(s) => s * prompt,
                CacheSpec::Tokens(d) => d.mean(),
            };
            let got = want.min(left).max(0.0);
            left -= got;
            got
        };
        let (read, write, write_1h) = (
            take(&tokens.cache_read),
            take(&tokens.cache_write),
            take(&tokens.cache_write_1h),
        );
        let counts = [left, read, write, write_1h, output, reasoning];
        let per_token = |part: Part| rates.effective(part).usd_per_million() / 1e6;
        let band_cost: f64 = Part::TOKENS
            .iter()
            .zip(counts)
            .map(|(part, n)| per_token(*part) * n)
            .sum::<f64>()
            + fee.usd().value();
        cost += p * band_cost;
    }
    let cliffs = thresholds
        .iter()
        .map(|t| (*t, 1.0 - tokens.prompt.cdf(*t as f64)))
        .collect();
    Ok(Expected {
        cost: Usd(cost * traffic.factor(period)),
        cliffs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::load::load_sheet;
    use crate::scenario::token_dist::TokenDist;
    use crate::source::Source;

    fn gemini() -> Model {
        let text = "[provider]\nid = \"g\"\nname = \"G\"\n[[models]]\nid = \"m\"\nsource = \"https://x\"\nverified = 2026-11-28\n[[models.prices]]\ninput = 1.25\noutput = 10.00\n[[models.prices.long_context]]\nabove = 200000\ninput = 2.50\noutput = 15.00\n";
        load_sheet(&Source::embedded("t.toml", text))
            .unwrap()
            .remove(0)
    }

    #[test]
    fn fixed_counts_give_the_bill() {
        let t = TokenModel::fixed(200_001, 0, 0, 0, 1_000, 0);
        let e = expected(
            &gemini(),
            &t,
            ServiceTier::Standard,
            Date::constant(2026, 11, 28),
            &TrafficProfile::Uniform,
        )
        .unwrap();
        assert!((e.cost.value() - 0.515_002_5).abs() < 1e-12);
        assert_eq!(e.cliffs, vec![(200_000, 1.0)]);
    }

    #[test]
    fn fixed_cache_counts_are_capped_by_smaller_prompts() {
        // Prompts uniform on 0..4,000 with 2,000 cached: below 2,000 the whole
        // prompt is cached, above it 2,000 are. E[cached] = 1,500, E[uncached] = 500.
        let text = "[provider]\nid = \"g\"\nname = \"G\"\n[[models]]\nid = \"m\"\nsource = \"https://x\"\nverified = 2026-11-28\n[[models.prices]]\ninput = 1.25\ncache_read = 0.125\noutput = 10.00\n";
        let model = load_sheet(&Source::embedded("t.toml", text))
            .unwrap()
            .remove(0);
        let mut t = TokenModel::fixed(0, 2_000, 0, 0, 0, 0);
        t.prompt = TokenDist::Uniform {
            min: 0.0,
            max: 4_000.0,
        };
        let e = expected(
            &model,
            &t,
            ServiceTier::Standard,
            Date::constant(2026, 11, 28),
            &TrafficProfile::Uniform,
        )
        .unwrap();
        let want = 500.0 * 1.25e-6 + 1_500.0 * 0.125e-6;
        assert!(
            (e.cost.value() - want).abs() < 1e-12,
            "{} vs {want}",
            e.cost.value()
        );
    }

    #[test]
    fn the_share_above_a_cliff_is_the_tail_probability() {
        let mut t = TokenModel::fixed(0, 0, 0, 0, 1_000, 0);
        t.prompt = TokenDist::log_normal_from_quantiles(100_000.0, 300_000.0);
        let e = expected(
            &gemini(),
            &t,
            ServiceTier::Standard,
            Date::constant(2026, 11, 28),
            &TrafficProfile::Uniform,
        )
        .unwrap();
        let tail = 1.0 - t.prompt.cdf(200_000.0);
        assert_eq!(e.cliffs, vec![(200_000, tail)]);
        assert!(tail > 0.1 && tail < 0.3);
        // Dearer than pricing the mean prompt at base rates, cheaper than all at the tier.
        let mean = t.prompt.mean();
        let base = mean * 1.25e-6 + 1_000.0 * 10e-6;
        let tier = mean * 2.5e-6 + 1_000.0 * 15e-6;
        assert!(
            e.cost.value() > base && e.cost.value() < tier,
            "{} not in ({base}, {tier})",
            e.cost.value()
        );
    }
}
