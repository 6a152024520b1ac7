//! `cost estimate`: price one request with a line per billed component.

use anyhow::Context as _;

use crate::cli::{EstimateArgs, GlobalArgs};
use crate::pricing::bill::{price, Request};
use crate::pricing::ServiceTier;
use crate::human::human_count;
use crate::report::{col, Kind, Report, Table, Value};
use crate::settings;

pub fn run(args: &EstimateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let catalog = settings::catalog(global)?;
    let model = catalog.lookup(&args.model)?;
    let date = settings::date(args.at, None);
    let request = Request {
        input: args.input,
        cache_read: args.cache_read,
        cache_write: args.cache_write,
        cache_write_1h: args.cache_write_1h,
        output: args.output,
        reasoning: args.reasoning,
        tier: args.tier,
    };
    let bill = price(model, &request, date)
        .with_context(|| format!("cannot price this request on `{}`", model.id))?;
    let mut table = Table::new(
        "lines",
        vec![
            col("part", "part", Kind::Text),
            col("tokens", "tokens", Kind::Tokens),
            col("usd_per_million", "$/1M tokens", Kind::UsdPerMillion),
            col("cost_usd", "cost", Kind::Usd),
        ],
    );
    for line in &bill.lines {
        if line.tokens == 0 && line.cost.picos() == 0 {
            continue;
        }
        let rate = if line.part == crate::pricing::Part::PerRequest {
            Value::Empty
        } else {
            line.rate.usd_per_million().into()
        };
        table.push(vec![
            line.part.key().into(),
            line.tokens.into(),
            rate,
            Value::Money(line.cost),
        ]);
    }
    table.push(vec![
        "total".into(),
        Value::Empty,
        Value::Empty,
        Value::Money(bill.total),
    ]);
    let mut notes = vec![format!(
        "prices as of {date} from {} (verified {}, {})",
        model.origin, model.verified, model.source
    )];
    if let Some(above) = bill.long_context {
        notes.push(format!(
            "the prompt ({} tokens) is above the {}-token cliff: every token is billed at long-context prices",
            human_count(request.prompt() as f64),
            human_count(above as f64)
        ));
    }
    if bill.tier != ServiceTier::Standard {
        notes.push(format!("service tier: {}", bill.tier.key()));
    }
    printer.emit(&Report {
        command: "estimate",
        title: format!("cost estimate: {} ({})", model.id, model.name),
        fields: vec![
            ("model", model.id.clone().into()),
            ("price_date", date.to_string().into()),
            ("tier", bill.tier.key().into()),
            ("long_context_above", bill.long_context.into()),
            ("total_usd", Value::Money(bill.total)),
        ],
        tables: vec![table],
        notes,
    })
}
