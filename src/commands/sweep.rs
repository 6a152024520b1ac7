//! `cost sweep [SCENARIO] --vary PARAM=FROM..TO[:STEP]`: every plan at each
//! value of one parameter, as tidy long-format rows (one per value and plan).

use anyhow::Context as _;

use crate::cli::{GlobalArgs, SweepArgs};
use crate::engine::sweep::{name, parse, sweep, Param};
use crate::output::write_file;
use crate::plot::{render, Chart, Series, Style};
use crate::report::{col, Kind, Report, Table};
use crate::scenario::Plan;
use crate::settings::ScenarioInputs;

/// More values than this is a typo in STEP, not a sweep.
const MAX_VALUES: usize = 10_000;

pub fn run(args: &SweepArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
    let (param, values) = parse_vary(&args.vary)?;
    let ctx = run.context();
    let s = &run.scenario;
    let extra: Vec<Plan> = args
        .models
        .iter()
        .map(|m| ctx.catalog.lookup(m).map(|m| Plan::single(&m.id)))
        .collect::<Result<_, _>>()?;
    let results = sweep(s, &param, &values, &ctx, &extra)?;
    let mut table = Table::new(
        "rows",
        vec![
            col("param", "param", Kind::Text),
            col("value", "value", Kind::Number),
            col("plan", "plan", Kind::Text),
            col("cost_per_request_usd", "$/request", Kind::Usd),
            col("cost_per_day_usd", "$/day", Kind::Usd),
            col("cost_per_month_usd", "$/month", Kind::Usd),
            col(
                "savings_vs_baseline_pct",
                "saves vs baseline %",
                Kind::Percent,
            ),
            col("quality", "quality", Kind::Rate),
            col("escalated", "escalated", Kind::Percent),
            col("ttft_s", "TTFT (est.)", Kind::Seconds),
            col("e2e_s", "E2E (est.)", Kind::Seconds),
        ],
    );
    let label = name(&param);
    let mut series: Vec<Series> = Vec::new();
    for (value, outcomes) in &results {
        let base = outcomes
            .iter()
            .find(|o| o.plan == s.baseline)
            .map(|o| o.per_month.value());
        for o in outcomes {
            table.push(vec![
                label.clone().into(),
                (*value).into(),
                o.plan.clone().into(),
                o.per_request.value().into(),
                o.per_day.value().into(),
                o.per_month.value().into(),
                base.filter(|b| *b > 0.0)
                    .map(|b| (b - o.per_month.value()) / b)
                    .into(),
                o.quality.into(),
                o.escalated.into(),
                o.ttft_s.into(),
                o.e2e_s.into(),
            ]);
            let name = if o.plan == s.baseline {
                format!("{} (baseline)", o.plan)
            } else {
                o.plan.clone()
            };
            match series.iter_mut().find(|x| x.name == name) {
                Some(x) => x.points.push((*value, o.per_month.value())),
                None => series.push(Series {
                    name,
                    points: vec![(*value, o.per_month.value())],
                    style: Style::Line,
                    labels: vec![],
                }),
            }
        }
    }
    if let Some(path) = &args.plot {
        let chart = Chart {
            title: format!("{}: monthly cost as {label} varies", s.name),
            x_label: label.clone(),
            y_label: "USD per month".into(),
            series,
        };
        let svg = render(&chart).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        write_file(path, svg.as_bytes(), &run.printer)?;
    }
    run.printer.emit(&Report {
        command: "sweep",
        title: format!(
            "cost sweep: {} over {label} ({} values, prices as of {})",
            s.name,
            values.len(),
            ctx.date
        ),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("param", label.into()),
            ("baseline", s.baseline.clone().into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables: vec![table],
        notes: vec![format!(
            "savings are against the baseline plan `{}` at the same parameter value",
            s.baseline
        )],
    })
}

/// `PARAM=FROM..TO[:STEP]` into a parameter and its values (TO included).
pub fn parse_vary(text: &str) -> anyhow::Result<(Param, Vec<f64>)> {
    let usage =
        || format!("--vary {text}: expected PARAM=FROM..TO[:STEP], e.g. share:easy=0.5..0.95:0.05");
    let (param, range) = text.split_once('=').with_context(usage)?;
    let param = parse(param.trim()).with_context(|| format!("--vary {text}: unknown parameter `{param}`\n  hint: share:CLASS, volume, fpr, tpr, threshold, auc, strong-share, escalation, accept-correct, accept-wrong, price:MODEL, prompt:CLASS, output:CLASS, reasoning:CLASS"))?;
    let (range, step) = match range.split_once(':') {
        Some((r, s)) => (r, Some(s)),
        None => (range, None),
    };
    let (from, to) = range.split_once("..").with_context(usage)?;
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    let (from, to) = (
        number(from).with_context(usage)?,
        number(to).with_context(usage)?,
    );
    if to < from {
        anyhow::bail!("--vary {text}: the range ends ({to}) before it starts ({from})");
    }
    let step = match step {
        Some(s) => number(s)
            .filter(|s| *s > 0.0)
            .with_context(|| format!("--vary {text}: STEP must be a positive number"))?,
        None if to > from => (to - from) / 10.0,
        None => 1.0,
    };
    let count = ((to - from) / step + 1e-9).floor() as usize + 1;
    if count > MAX_VALUES {
        anyhow::bail!("--vary {text}: {count} values is more than {MAX_VALUES}; use a larger STEP");
    }
    let values = (0..count).map(|i| from + step * i as f64).collect();
    Ok((param, values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends() {
        let (p, v) = parse_vary("share:easy=0.5..0.9:0.1").unwrap();
        assert_eq!(p, Param::Share("easy".into()));
        assert_eq!(v.len(), 5);
        assert!((v[4] - 0.9).abs() < 1e-12);
        assert_eq!(parse_vary("volume=1000..2000").unwrap().1.len(), 11);
    }

    #[test]
    fn bad_ranges_are_errors() {
        for bad in [
            "share:easy",
            "share:easy=0.9..0.1",
            "nope=1..2",
            "fpr=0..1:0",
            "fpr=0..1:-1",
            "volume=0..1e9:1",
        ] {
            assert!(parse_vary(bad).is_err(), "{bad}");
        }
    }
}
