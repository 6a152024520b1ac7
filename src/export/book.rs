//! The price book: the catalog flattened into the prices a request can meet,
//! one line per model × price period × long-context tier × service tier, each
//! priced by the billing kernel itself (`pricing::bill::rates_for`), so the
//! book carries the engine's fallbacks (cache reads at the input price when
//! none is stated, reasoning at the output price), its multipliers and its
//! refusals (a tier a model does not offer) rather than re-deriving them.
//! Periods are clipped to the model's life (released .. retired), so a day
//! outside every line has no price, as in the engine. Pure: no files.

use jiff::civil::Date;

use crate::money::{Money, Rate};
use crate::pricing::bill::{rates_for, scale_money};
use crate::pricing::model::{PricePeriod, Window};
use crate::pricing::{Catalog, Model, Part, ServiceTier};

/// The service tiers a line is priced on, in output order.
pub const TIERS: [ServiceTier; 4] = [
    ServiceTier::Standard,
    ServiceTier::Batch,
    ServiceTier::Flex,
    ServiceTier::Priority,
];

/// A long-context tier: prompts of more than `above` tokens (and, when
/// `next` is set, at most `next`) are billed at this line's prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cliff {
    pub above: u64,
    /// How the sheet states the threshold: `above` or `at_or_above`, and its count.
    pub rule: &'static str,
    pub threshold: u64,
}

/// The effective prices of a line: every token part after the engine's
/// fallbacks (`None` for a 1-hour cache write the sheet does not price: the
/// engine refuses such a request) and the per-request fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prices {
    pub rates: [Option<Rate>; 6],
    pub fee: Money,
}

impl Prices {
    /// The prices inside a time-of-day window of factor `factor`, rounded as
    /// the engine rounds them (`bill::price_at`); also a request option's
    /// factor (fast mode, a regional endpoint), which the engine applies the
    /// same way before the window (`bill::price_in_period`).
    pub fn in_window(&self, factor: f64) -> Prices {
        Prices {
            rates: self.rates.map(|r| r.map(|r| r.scaled(factor))),
            fee: scale_money(self.fee, factor),
        }
    }

    pub fn rate(&self, part: Part) -> Option<Rate> {
        Part::TOKENS
            .iter()
            .position(|p| *p == part)
            .and_then(|i| self.rates[i])
    }
}

/// One model × period × long-context tier × service tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub model: String,
    pub provider: String,
    /// First day in force (inclusive; `None`: since always).
    pub from: Option<Date>,
    /// First day no longer in force (exclusive; `None`: still in force).
    pub to: Option<Date>,
    /// `None`: the base prices, below every long-context threshold.
    pub cliff: Option<Cliff>,
    /// The next threshold up (`above` of the next tier), if any: this line
    /// covers prompts up to and including it.
    pub up_to: Option<u64>,
    pub tier: ServiceTier,
    /// `None`: the tier is not offered at this prompt size (an error).
    pub prices: Option<Prices>,
    /// The period's time-of-day windows, in the sheet's order (the first
    /// that covers a minute wins).
    pub windows: Vec<Window>,
    /// The period's fast-mode factor (`None`: fast mode is not offered).
    pub fast: Option<f64>,
    /// The period's regional-endpoint factor (`None`: not offered).
    pub regional: Option<f64>,
    pub source: String,
}

/// The price book and the spellings that name each model.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    pub lines: Vec<Line>,
    /// `(lower-cased id or alias, model id)`, sorted.
    pub aliases: Vec<(String, String)>,
}

impl Book {
    /// The book of every model on the catalog's sheets (not the catalog
    /// snapshot below them: it is not a curated price list).
    pub fn of(catalog: &Catalog) -> Book {
        let mut lines = Vec::new();
        let mut aliases = Vec::new();
        for model in catalog.models() {
            for period in &model.periods {
                lines.extend(period_lines(model, period));
            }
            for name in std::iter::once(&model.id).chain(&model.aliases) {
                let key = name.to_lowercase();
                // Only spellings the catalog resolves to this model.
                if catalog.get(&key).is_some_and(|m| m.id == model.id) {
                    aliases.push((key, model.id.clone()));
                }
            }
        }
        aliases.sort();
        aliases.dedup();
        Book { lines, aliases }
    }
}

/// `max` of two lower bounds and `min` of two upper bounds (`None`: open).
fn clip(period: &PricePeriod, model: &Model) -> Option<(Option<Date>, Option<Date>)> {
    let from = match (period.from, model.released) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let to = match (period.to, model.retired) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match (from, to) {
        (Some(f), Some(t)) if f >= t => None,
        _ => Some((from, to)),
    }
}

fn period_lines(model: &Model, period: &PricePeriod) -> Vec<Line> {
    let Some((from, to)) = clip(period, model) else {
        return Vec::new();
    };
    // The prompt sizes that reach each tier: the base (0) and one token past
    // each threshold.
    let mut steps: Vec<(Option<Cliff>, u64)> = vec![(None, 0)];
    for t in &period.long_context {
        let (rule, threshold) = t.stated();
        steps.push((
            Some(Cliff {
                above: t.above,
                rule,
                threshold,
            }),
            t.above + 1,
        ));
    }
    let mut out = Vec::new();
    for (i, (cliff, prompt)) in steps.iter().enumerate() {
        let up_to = steps.get(i + 1).and_then(|(c, _)| c.map(|c| c.above));
        for tier in TIERS {
            let prices = rates_for(model, period, *prompt, tier)
                .ok()
                .map(|(rates, fee, _)| Prices {
                    rates: Part::TOKENS.map(|p| match p {
                        Part::CacheWrite1h if rates.cache_write_1h.is_none() => None,
                        p => Some(rates.effective(p)),
                    }),
                    fee,
                });
            out.push(Line {
                model: model.id.clone(),
                provider: model.provider.clone(),
                from,
                to,
                cliff: *cliff,
                up_to,
                tier,
                prices,
                windows: period.windows.clone(),
                fast: period.fast,
                regional: period.regional,
                source: period
                    .source
                    .clone()
                    .unwrap_or_else(|| model.source.clone()),
            });
        }
    }
    out
}

/// Days since 1970-01-01: how the SQL compares a request's UTC day with a
/// period, without depending on any session time zone.
pub fn unix_day(date: Date) -> i64 {
    i64::from(
        date.since(Date::constant(1970, 1, 1))
            .map_or(0, |span| span.get_days()),
    )
}

/// A week split into disjoint pieces, each in one window or none: `(day
/// (0 = Monday; `None`: every day), first minute, end minute (exclusive),
/// index of the window)`. The first window in sheet order that covers a
/// minute wins, as in `PricePeriod::window_factor`.
pub fn segments(windows: &[Window]) -> Vec<(Option<u8>, u16, u16, Option<usize>)> {
    if windows.is_empty() {
        return vec![(None, 0, 1440, None)];
    }
    let mut out = Vec::new();
    for day in 0..7usize {
        let mut cuts: Vec<u16> = vec![0, 1440];
        for w in windows.iter().filter(|w| w.days[day]) {
            cuts.extend([w.start, w.end]);
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut day_out: Vec<(Option<u8>, u16, u16, Option<usize>)> = Vec::new();
        for pair in cuts.windows(2) {
            let which = windows.iter().position(|w| w.covers(day, pair[0]));
            match day_out.last_mut() {
                Some(last) if last.3 == which && last.2 == pair[0] => last.2 = pair[1],
                _ => day_out.push((Some(day as u8), pair[0], pair[1], which)),
            }
        }
        out.extend(day_out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::load::load_sheet;
    use crate::source::Source;

    fn catalog(prices: &str) -> Catalog {
        let text = format!(
            "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m\"\naliases = [\"M-Alias\"]\nsource = \"https://example.com\"\nverified = 2026-11-28\n{prices}"
        );
        let _ = load_sheet(&Source::embedded("t.toml", &text)).unwrap();
        Catalog::from_sources(&[Source::embedded("t.toml", &text)]).unwrap()
    }

    #[test]
    fn a_cliff_line_covers_prompts_between_its_threshold_and_the_next() {
        let c = catalog("[[models.prices]]\ninput = 1.25\noutput = 10.0\n[[models.prices.long_context]]\nabove = 200000\ninput = 2.5\noutput = 15.0\n[models.prices.batch]\nmultiplier = 0.5\n");
        let book = Book::of(&c);
        assert_eq!(book.lines.len(), 8);
        let base = &book.lines[0];
        assert_eq!((base.cliff, base.up_to), (None, Some(200_000)));
        let over = &book.lines[4];
        assert_eq!(over.cliff.map(|c| c.above), Some(200_000));
        let batch_over = &book.lines[5];
        assert_eq!(batch_over.tier, ServiceTier::Batch);
        assert_eq!(
            batch_over.prices.unwrap().rate(Part::Input),
            Rate::per_million(1.25)
        );
        // Flex is not offered: a refusal, not a standard price.
        assert_eq!(book.lines[2].prices, None);
        assert_eq!(
            book.aliases,
            vec![
                ("m".to_string(), "m".to_string()),
                ("m-alias".to_string(), "m".to_string())
            ]
        );
    }

    #[test]
    fn cached_and_reasoning_parts_fall_back_as_the_engine_bills_them() {
        let c = catalog("[[models.prices]]\ninput = 3.0\noutput = 15.0\n");
        let p = Book::of(&c).lines[0].prices.unwrap();
        assert_eq!(p.rate(Part::CacheRead), Rate::per_million(3.0));
        assert_eq!(p.rate(Part::Reasoning), Rate::per_million(15.0));
        assert_eq!(p.rate(Part::CacheWrite1h), None);
    }

    #[test]
    fn segments_split_the_week_with_the_first_window_winning() {
        let w = |start, end, days: [bool; 7]| Window {
            name: "w".into(),
            days,
            start,
            end,
            multiplier: 0.5,
        };
        let mut mon = [false; 7];
        mon[0] = true;
        let segs = segments(&[w(60, 120, [true; 7]), w(90, 200, mon)]);
        assert_eq!(
            &segs[..4],
            &[
                (Some(0), 0, 60, None),
                (Some(0), 60, 120, Some(0)),
                (Some(0), 120, 200, Some(1)),
                (Some(0), 200, 1440, None)
            ]
        );
        assert_eq!(segs.len(), 4 + 6 * 3);
    }

    #[test]
    fn unix_days_count_from_the_epoch() {
        assert_eq!(unix_day(Date::constant(1970, 1, 2)), 1);
        assert_eq!(unix_day(Date::constant(2026, 12, 1)), 20_788);
    }
}
