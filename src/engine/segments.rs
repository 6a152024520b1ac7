//! Where a simulated month crosses a price change: the month that starts on
//! the price date is cut at every day on which a price period of a model the
//! plan calls begins or ends (or the model is released or retired), so each
//! piece is priced at its own prices. A month with no change is one piece.

use jiff::civil::Date;
use jiff::ToSpan;

use super::outcome::{Context, PlanOutcome};

/// `(first day, days)` of each piece of the month from `ctx.date`; the days
/// sum to `days_per_month`.
pub fn month_segments(
    outcome: &PlanOutcome,
    ctx: &Context,
    days_per_month: f64,
) -> Vec<(Date, f64)> {
    let start = ctx.date;
    let whole = days_per_month.ceil() as i64;
    let Ok(end) = start.checked_add(whole.days()) else {
        return vec![(start, days_per_month)];
    };
    let mut cuts: Vec<Date> = outcome
        .classes
        .iter()
        .flat_map(|c| &c.legs)
        .filter_map(|leg| ctx.catalog.get(&leg.model))
        .flat_map(|m| {
            m.periods
                .iter()
                .flat_map(|p| [p.from, p.to])
                .chain([m.released, m.retired])
                .flatten()
                .collect::<Vec<_>>()
        })
        .filter(|d| *d > start && *d < end)
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = start;
    let mut used = 0.0;
    for cut in cuts {
        let days = f64::from((cut - from).get_days());
        let days = days.min(days_per_month - used);
        if days > 0.0 {
            out.push((from, days));
            used += days;
        }
        from = cut;
    }
    if days_per_month - used > 0.0 {
        out.push((from, days_per_month - used));
    }
    out
}
