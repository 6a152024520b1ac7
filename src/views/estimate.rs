//! `cost estimate`: one request's bill, a line per billed component.

use jiff::civil::Date;

use crate::human::human_count;
use crate::pricing::bill::{Bill, Request};
use crate::pricing::{Model, Part, ServiceTier};
use crate::report::columns::{catalog::PART, catalog::USD_PER_MILLION, COST, TOKENS};
use crate::report::{Column, Report, Table, Value};

pub fn report(model: &Model, request: &Request, bill: &Bill, date: Date) -> Report {
    let mut table = Table::new("lines", columns());
    for line in &bill.lines {
        if line.tokens == 0 && line.cost.picos() == 0 {
            continue;
        }
        let rate = if line.part == Part::PerRequest {
            Value::Empty
        } else {
            line.rate.usd_per_million().into()
        };
        table.push(vec![
            line.part.key().into(),
            line.tokens.into(),
            rate,
            line.cost.into(),
        ]);
    }
    table.push(vec![
        "total".into(),
        Value::Empty,
        Value::Empty,
        bill.total.into(),
    ]);
    let mut notes = vec![format!(
        "prices as of {date} from {} (verified {}, {})",
        model.origin, model.verified, model.source
    )];
    if let Some(src) = model.period_at(Some(date)).and_then(|p| p.source.as_ref()) {
        notes.push(format!("this price period's own source: {src}"));
    }
    if let Some(above) = bill.long_context {
        let inclusive = model
            .period_at(Some(date))
            .and_then(|p| p.long_context.iter().find(|t| t.above == above))
            .is_some_and(|t| t.inclusive);
        let (rule, count) = if inclusive {
            ("reaches", above + 1)
        } else {
            ("is above", above)
        };
        notes.push(format!(
            "the prompt ({} tokens) {rule} the {}-token threshold: every token is billed at long-context prices",
            human_count(request.prompt() as f64),
            human_count(count as f64)
        ));
    }
    if bill.tier != ServiceTier::Standard {
        notes.push(format!("service tier: {}", bill.tier.key()));
    }
    if request.fast {
        notes.push("fast mode: the sheet's fast-mode factor applies to every price".into());
    }
    if request.regional {
        notes.push(
            "regional endpoint: the sheet's data-residency uplift applies to every price".into(),
        );
    }
    match &bill.window {
        Some((name, factor)) => notes.push(format!(
            "time-of-day window `{name}`: every price times {factor}"
        )),
        None if !bill.timed
            && model
                .period_at(Some(date))
                .is_some_and(|p| !p.windows.is_empty()) =>
        {
            notes.push(
                "this model has time-of-day prices: without --time the list (peak) price applies"
                    .into(),
            );
        }
        None => {}
    }
    Report {
        command: "estimate",
        title: format!("cost estimate: {} ({})", model.id, model.name),
        fields: vec![
            ("model", model.id.clone().into()),
            ("price_date", date.to_string().into()),
            ("tier", bill.tier.key().into()),
            ("long_context_above", bill.long_context.into()),
            ("total_usd", bill.total.into()),
        ],
        tables: vec![table],
        notes,
    }
}

/// The `lines` table's columns.
pub fn columns() -> Vec<Column> {
    vec![PART, TOKENS, USD_PER_MILLION, COST]
}
