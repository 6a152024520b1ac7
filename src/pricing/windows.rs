//! Time-of-day price windows (UTC, by day of the week) and the factors that
//! scale a whole period's prices (windows, fast mode, regional endpoints):
//! validated here, and turned into the share-weighted factor a traffic
//! profile implies. A factor must keep every stated price exact at the
//! engine's resolution (1e-6 USD per 1M tokens); one that would round a price
//! is an error, never a silently rounded bill.

use super::model::{LongContext, Part, PricePeriod, Rates, Window};
use super::sheet::WindowEntry;
use crate::source::{KeyPath, Problem};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Minutes in a week.
pub const WEEK_MINUTES: usize = 7 * 1440;

pub(super) fn build_windows(
    entries: &[WindowEntry],
    base: &Rates,
    tiers: &[LongContext],
    at: &KeyPath,
) -> Result<Vec<Window>, Problem> {
    let mut windows: Vec<Window> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let here = at.index(i);
        let mut days = [false; 7];
        if entry.days.is_empty() {
            return Err(
                Problem::new(here.key("days"), "a price window names no day")
                    .hint("e.g. `days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]`"),
            );
        }
        for d in &entry.days {
            let named: Vec<usize> = match d.as_str() {
                "weekdays" => vec![0, 1, 2, 3, 4],
                "weekend" => vec![5, 6],
                other => match DAYS.iter().position(|n| *n == other) {
                    Some(p) => vec![p],
                    None => {
                        return Err(Problem::new(here.key("days"), format!("unknown day `{d}`"))
                            .hint("use mon, tue, wed, thu, fri, sat, sun, weekdays or weekend"))
                    }
                },
            };
            for p in named {
                days[p] = true;
            }
        }
        let start = minute(&entry.start, &here.key("start"))?;
        let end = minute(&entry.end, &here.key("end"))?;
        if start >= end {
            return Err(Problem::new(
                here.key("end"),
                format!(
                    "window ends ({}) at or before it starts ({})",
                    entry.end, entry.start
                ),
            )
            .hint("windows run within one UTC day; split one that crosses midnight in two"));
        }
        let multiplier = exact_factor(entry.multiplier, base, tiers, &here.key("multiplier"))?;
        let window = Window {
            name: entry.name.clone().unwrap_or_else(|| format!("window {i}")),
            days,
            start,
            end,
            multiplier,
        };
        if let Some(j) = windows.iter().position(|w| {
            (0..7).any(|d| w.days[d] && window.days[d])
                && w.start < window.end
                && window.start < w.end
        }) {
            return Err(Problem::new(
                here.key("start"),
                format!("price window {i} overlaps window {j}"),
            )
            .hint("a minute of the week is in at most one window"));
        }
        windows.push(window);
    }
    Ok(windows)
}

/// `HH:MM` as minutes after midnight; `24:00` is the end of the day.
fn minute(text: &str, at: &KeyPath) -> Result<u16, Problem> {
    let bad = || {
        Problem::new(at.clone(), format!("`{text}` is not a UTC time of day"))
            .hint("write times as HH:MM in UTC, 00:00 to 24:00")
    };
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 24 || m > 59 || (h == 24 && m != 0) || text.len() != 5 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A factor on a period's prices, checked to be positive, at most 100, and
/// to keep every stated price exact (a price times the factor must be a
/// whole number of micro-dollars per 1M tokens).
pub(super) fn exact_factor(
    factor: f64,
    base: &Rates,
    tiers: &[LongContext],
    at: &KeyPath,
) -> Result<f64, Problem> {
    if !(factor.is_finite() && factor > 0.0 && factor <= 100.0) {
        return Err(Problem::new(
            at.clone(),
            format!("factor {factor} must be a positive number no larger than 100"),
        ));
    }
    let all = std::iter::once(base).chain(tiers.iter().map(|t| &t.rates));
    for rates in all {
        for part in Part::TOKENS {
            if let Some(rate) = rates.stated(part) {
                let scaled = rate.usd_per_million() * 1e6 * factor;
                if (scaled - scaled.round()).abs() > 1e-6 * scaled.abs().max(1.0) {
                    return Err(Problem::new(
                        at.clone(),
                        format!(
                            "factor {factor} makes the `{}` price {rate} finer than the engine's resolution (1e-6 USD per 1M tokens)",
                            part.key()
                        ),
                    )
                    .hint("state the scaled prices in their own period instead"));
                }
            }
        }
    }
    Ok(factor)
}

/// The share of a week's traffic in each minute, as a profile states it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum TrafficProfile {
    /// Evenly spread over the week (the default).
    #[default]
    Uniform,
    /// Weights per UTC hour of the day (24), the same every day, plus the
    /// weekend's share of the week's traffic when stated.
    Hourly {
        hours: [f64; 24],
        weekend_share: Option<f64>,
    },
    /// A stated share of requests inside the model's price windows.
    WindowShare(f64),
}

impl TrafficProfile {
    /// The factor on the period's prices that this traffic pays on average:
    /// the profile's weight in each window times its multiplier, plus the
    /// weight outside every window.
    pub fn factor(&self, period: &PricePeriod) -> f64 {
        if period.windows.is_empty() {
            return 1.0;
        }
        match self {
            TrafficProfile::WindowShare(share) => {
                // Inside the windows, the mean multiplier over the minutes they cover.
                let (mut minutes, mut sum) = (0.0, 0.0);
                for m in 0..WEEK_MINUTES {
                    let f = period.window_factor(m / 1440, (m % 1440) as u16);
                    if period
                        .windows
                        .iter()
                        .any(|w| w.covers(m / 1440, (m % 1440) as u16))
                    {
                        minutes += 1.0;
                        sum += f;
                    }
                }
                let inside = if minutes > 0.0 { sum / minutes } else { 1.0 };
                (1.0 - share) + share * inside
            }
            profile => {
                let mut total = 0.0;
                let mut weighted = 0.0;
                for m in 0..WEEK_MINUTES {
                    let w = profile.weight(m);
                    total += w;
                    weighted += w * period.window_factor(m / 1440, (m % 1440) as u16);
                }
                if total > 0.0 {
                    weighted / total
                } else {
                    1.0
                }
            }
        }
    }

    /// The (unnormalised) weight of minute `m` of the week (Monday 00:00 UTC first).
    fn weight(&self, m: usize) -> f64 {
        match self {
            TrafficProfile::Uniform | TrafficProfile::WindowShare(_) => 1.0,
            TrafficProfile::Hourly {
                hours,
                weekend_share,
            } => {
                let hour = hours[(m % 1440) / 60];
                let day_total: f64 = hours.iter().sum();
                let weekend = m / 1440 >= 5;
                match weekend_share {
                    None => hour,
                    Some(s) if weekend => hour / day_total * s / 2.0,
                    Some(s) => hour / day_total * (1.0 - s) / 5.0,
                }
            }
        }
    }
}
