//! `cost diff BASE [HEAD]`: two runs of a scenario (saved compare reports,
//! scenario files, or one scenario under two sets of price sheets or dates),
//! what changed per plan and why, and the cost gates: `--fail-above-usd`,
//! `--fail-above-pct` and the head scenario's `[budget]`. A tripped gate is
//! exit 1 after the report is written.

use std::path::Path;

use anyhow::Context as _;

use crate::cli::{DiffArgs, GlobalArgs};
use crate::engine::compare::compare;
use crate::engine::diff::{diff, Cause, CauseKind, PlanDiff};
use crate::engine::gate::{budget_checks, increase_checks, Check, Limits};
use crate::engine::latency::LatencyAssumptions;
use crate::engine::run::Run;
use crate::engine::Context;
use crate::human::human_count;
use crate::human::{signed_usd, usd_per_million};
use crate::pricing::ServiceTier;
use crate::report::{col, saved, Kind, Report, Table};
use crate::scenario::load_scenario;
use crate::settings;
use crate::settings::latency_assumptions;
use crate::source::Source;
use crate::views::gates;

pub fn run(args: &DiffArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let latency = latency_assumptions(args.latency.prefill_tps)?;
    let limits = limits(args)?;
    let one_scenario = args.head.is_none();
    if one_scenario
        && args.base_pricing.is_empty()
        && args.head_pricing.is_empty()
        && args.base_at.is_none()
        && args.head_at.is_none()
    {
        anyhow::bail!("cost diff needs two runs to compare\n  hint: give BASE and HEAD (saved reports or scenarios), or one scenario with --base-pricing/--head-pricing or --base-at/--head-at");
    }
    let head_name = args.head.as_deref().unwrap_or(&args.base);
    let base = side(
        &args.base,
        &args.base_pricing,
        args.base_at.or(args.at),
        global,
        latency,
    )
    .context("base")?;
    let head = side(
        head_name,
        &args.head_pricing,
        args.head_at.or(args.at),
        global,
        latency,
    )
    .context("head")?;
    if let Some(plan) = &args.plan {
        if head.run.plan(plan).is_none() {
            let known: Vec<&str> = head.run.plans.iter().map(|p| p.plan.as_str()).collect();
            anyhow::bail!(
                "--plan {plan}: no such plan in the head run\n  hint: plans: {}",
                known.join(", ")
            );
        }
    }
    let diffs = diff(&base.run, &head.run);
    let mut checks = increase_checks(&diffs, limits, args.plan.as_deref());
    checks.extend(budget_checks(&head.run));
    printer.emit(&report(&base, &head, &diffs, &checks))?;
    super::enforce(&checks)
}

/// One side of the diff and how to name it in the report.
struct Side {
    run: Run,
    label: String,
    saved: bool,
}

fn side(
    name: &str,
    pricing: &[std::path::PathBuf],
    at: Option<jiff::civil::Date>,
    global: &GlobalArgs,
    latency: LatencyAssumptions,
) -> anyhow::Result<Side> {
    let path = Path::new(name);
    let file = (name == "-" || path.exists())
        .then(|| Source::read(path))
        .transpose()?;
    if let Some(source) = file.as_ref().filter(|s| saved::is_json(s)) {
        if !pricing.is_empty() || at.is_some() {
            anyhow::bail!("{name} is a saved report: its prices are fixed, so price sheets and dates do not apply to it\n  hint: pass scenarios to compare them under other prices");
        }
        return Ok(Side {
            run: saved::read(source)?,
            label: name.to_string(),
            saved: true,
        });
    }
    let catalog = settings::catalog_with(global, pricing)?;
    let scenario = match file {
        Some(source) => load_scenario(&source, &catalog)?,
        None => settings::scenario(Some(name), &catalog)?,
    };
    let date = settings::date(at, scenario.date);
    let models = if scenario.compare_models.is_empty() {
        scenario.plan_models()
    } else {
        scenario.compare_models.clone()
    };
    let ctx = Context {
        catalog: &catalog,
        date,
        latency,
    };
    let comparison = compare(&scenario, &models, &ctx)?;
    let mut label = name.to_string();
    if let Some(first) = pricing.first() {
        label.push_str(&format!(" + {}", first.display()));
    }
    if at.is_some() {
        label.push_str(&format!(" @ {date}"));
    }
    Ok(Side {
        run: Run::from_comparison(&scenario, &comparison, date),
        label,
        saved: false,
    })
}

fn limits(args: &DiffArgs) -> anyhow::Result<Limits> {
    let check = |v: Option<f64>, flag: &str| -> anyhow::Result<Option<f64>> {
        match v {
            Some(x) if !(x.is_finite() && x >= 0.0) => {
                anyhow::bail!("{flag} {x}: must be zero or a positive number")
            }
            other => Ok(other),
        }
    };
    Ok(Limits {
        usd_per_month: check(args.fail_above_usd, "--fail-above-usd")?,
        fraction: check(args.fail_above_pct, "--fail-above-pct")?.map(|p| p / 100.0),
    })
}

fn report(base: &Side, head: &Side, diffs: &[PlanDiff], checks: &[Check]) -> Report {
    let mut plans = Table::new(
        "plans",
        vec![
            col("plan", "plan", Kind::Text),
            col("status", "status", Kind::Text),
            col("routes", "routes", Kind::Text),
            col("cost_per_month_usd_base", "base $/month", Kind::Usd),
            col("cost_per_month_usd_head", "head $/month", Kind::Usd),
            col("delta_per_month_usd", "Δ $/month", Kind::Usd),
            col("delta_pct", "Δ %", Kind::Percent),
            col("cost_per_request_usd_base", "base $/request", Kind::Usd),
            col("cost_per_request_usd_head", "head $/request", Kind::Usd),
            col("quality_base", "base quality", Kind::Rate),
            col("quality_head", "head quality", Kind::Rate),
            col("ttft_s_base", "base TTFT", Kind::Seconds),
            col("ttft_s_head", "head TTFT", Kind::Seconds),
            col("e2e_s_base", "base E2E", Kind::Seconds),
            col("e2e_s_head", "head E2E", Kind::Seconds),
        ],
    );
    let mut causes = Table::new(
        "causes",
        vec![
            col("plan", "plan", Kind::Text),
            col("cause", "cause", Kind::Text),
            col("class", "class", Kind::Text),
            col("change", "change", Kind::Text),
            col("delta_per_month_usd", "Δ $/month", Kind::Usd),
        ],
    );
    for d in diffs.iter().filter(|d| declared(d)) {
        let (b, h) = (d.base.as_ref(), d.head.as_ref());
        let status = match (b, h) {
            (None, _) => "added",
            (_, None) => "removed",
            _ if d.delta_per_month.value() == 0.0 && d.causes.is_empty() => "unchanged",
            _ => "changed",
        };
        let routes = match (b, h) {
            (Some(b), Some(h)) if b.routes != h.routes => format!("{} ⇒ {}", b.routes, h.routes),
            _ => h.or(b).map(|p| p.routes.clone()).unwrap_or_default(),
        };
        plans.push(vec![
            d.plan.clone().into(),
            status.into(),
            routes.into(),
            b.map(|p| p.per_month.value()).into(),
            h.map(|p| p.per_month.value()).into(),
            d.delta_per_month.value().into(),
            d.delta_fraction.into(),
            b.map(|p| p.per_request.value()).into(),
            h.map(|p| p.per_request.value()).into(),
            b.and_then(|p| p.quality).into(),
            h.and_then(|p| p.quality).into(),
            b.and_then(|p| p.ttft_s).into(),
            h.and_then(|p| p.ttft_s).into(),
            b.and_then(|p| p.e2e_s).into(),
            h.and_then(|p| p.e2e_s).into(),
        ]);
        for cause in &d.causes {
            causes.push(vec![
                d.plan.clone().into(),
                cause.kind.key().into(),
                cause.kind.class().map(String::from).into(),
                change(cause).into(),
                cause.per_month.value().into(),
            ]);
        }
    }
    let verdict = gates::verdict(checks);
    let mut fields = vec![
        ("base", base.label.clone().into()),
        ("head", head.label.clone().into()),
        ("scenario", head.run.scenario.clone().into()),
        (
            "base_price_date",
            base.run.price_date.map(|d| d.to_string()).into(),
        ),
        (
            "head_price_date",
            head.run.price_date.map(|d| d.to_string()).into(),
        ),
    ];
    fields.push(("gate", verdict.map(String::from).into()));
    let mut tables = vec![plans, causes];
    if !checks.is_empty() {
        tables.push(gates::table(checks));
    }
    Report {
        command: "diff",
        title: format!("cost diff: {}", summary(diffs, verdict)),
        fields,
        tables,
        notes: notes(base, head, diffs, checks),
    }
}

/// Plans the scenario declares; "all → model" rows are `compare`'s reference
/// rows, left out of a diff.
fn declared(d: &PlanDiff) -> bool {
    d.head
        .as_ref()
        .or(d.base.as_ref())
        .is_some_and(|p| p.declared)
}

/// The one-line verdict a pull-request comment opens with.
fn summary(diffs: &[PlanDiff], verdict: Option<&str>) -> String {
    let declared: Vec<&PlanDiff> = diffs.iter().filter(|d| declared(d)).collect();
    let changed = declared
        .iter()
        .filter(|d| d.delta_per_month.value() != 0.0)
        .count();
    let mut text = format!("{changed} of {} plans changed cost", declared.len());
    if let Some(top) = declared
        .iter()
        .max_by(|a, b| {
            let pct = |d: &PlanDiff| d.delta_fraction.unwrap_or(0.0);
            a.delta_per_month
                .value()
                .total_cmp(&b.delta_per_month.value())
                .then(pct(a).total_cmp(&pct(b)))
        })
        .filter(|d| d.delta_per_month.value() != 0.0)
    {
        text.push_str(&format!(
            "; largest: `{}` {}/month{}",
            top.plan,
            signed_usd(top.delta_per_month.value()),
            top.delta_fraction
                .map(|f| format!(" ({:+.1}%)", f * 100.0))
                .unwrap_or_default()
        ));
    }
    match verdict {
        Some("failed") => text.push_str(" — gates FAILED"),
        Some(v) => text.push_str(&format!(" — gates {v}")),
        None => {}
    }
    text
}

/// What a cause changed, in words: "output 800 → 1,200 tokens per request".
fn change(cause: &Cause) -> String {
    let tokens = |n: u64| human_count(n as f64);
    let served = |(model, tier): &(String, ServiceTier)| match tier {
        ServiceTier::Standard => model.clone(),
        t => format!("{model} ({})", t.key()),
    };
    match &cause.kind {
        CauseKind::Volume { before, after } => format!(
            "requests per month {} → {}",
            human_count(*before),
            human_count(*after)
        ),
        CauseKind::Mix { before, after, .. } => {
            format!("share {:.1}% → {:.1}%", before * 100.0, after * 100.0)
        }
        CauseKind::ClassAdded { class } => format!("class `{class}` added"),
        CauseKind::ClassRemoved { class } => format!("class `{class}` removed"),
        CauseKind::Route { before, after, .. } => {
            format!("route {} → {}", served(before), served(after))
        }
        CauseKind::Tokens {
            part,
            before,
            after,
            ..
        } => format!(
            "{} {} → {} tokens per request",
            part_name(*part),
            tokens(*before),
            tokens(*after)
        ),
        CauseKind::Price {
            model,
            part,
            before,
            after,
        } => format!(
            "{model} {} price {} → {} per 1M tokens",
            part.key(),
            usd_per_million(before.usd_per_million()),
            usd_per_million(after.usd_per_million())
        ),
        CauseKind::Fee {
            model,
            before,
            after,
        } => format!("{model} per-request fee {before} → {after} USD"),
        CauseKind::Cliff {
            model,
            prompt_before,
            prompt_after,
            above_before,
            above_after,
            ..
        } => {
            let band = |a: &Option<u64>| match a {
                Some(a) => format!("the above-{} prices", tokens(*a)),
                None => "the base prices".into(),
            };
            format!(
                "prompt {} → {} tokens moves {model} from {} to {}",
                tokens(*prompt_before),
                tokens(*prompt_after),
                band(above_before),
                band(above_after)
            )
        }
        CauseKind::Unexplained => {
            "a side has no per-class detail, so the change is not itemised".into()
        }
    }
}

fn part_name(part: crate::pricing::Part) -> &'static str {
    match part {
        crate::pricing::Part::Input => "uncached input",
        other => other.key(),
    }
}

fn notes(base: &Side, head: &Side, diffs: &[PlanDiff], checks: &[Check]) -> Vec<String> {
    let mut notes = Vec::new();
    for c in checks.iter().filter(|c| !c.passed) {
        notes.push(format!("gate failed: {}", gates::describe(c)));
    }
    for c in checks.iter().filter(|c| c.passed) {
        notes.push(format!("gate passed: {}", gates::describe(c)));
    }
    let date = |s: &Side| {
        s.run
            .price_date
            .map_or("an unrecorded date".to_string(), |d| d.to_string())
    };
    notes.push(format!(
        "base: {} ({}, prices as of {}, {} requests/month); head: {} ({}, prices as of {}, {} requests/month)",
        base.label,
        if base.saved { "saved report" } else { "evaluated now" },
        date(base),
        human_count(base.run.requests_per_month),
        head.label,
        if head.saved { "saved report" } else { "evaluated now" },
        date(head),
        human_count(head.run.requests_per_month),
    ));
    notes.push("plans are the ones the scenario declares; `cost compare` shows the \"all → model\" reference rows".into());
    notes.push("causes add up to each plan's change: volume at the base cost per request, class mix at base class costs, then per class a route change (another model or tier) as a whole, or token changes at base prices followed by price changes at head token counts (`cliff` when the request crossed a long-context threshold)".into());
    if diffs
        .iter()
        .any(|d| d.base.is_some() && d.head.is_some() && !d.itemised)
    {
        notes.push("a report without per-class detail (made by an older `cost`) shows its change as `unitemised`".into());
    }
    if checks.is_empty() {
        notes.push("no gate applied: add --fail-above-usd, --fail-above-pct or a `[budget]` in the scenario".into());
    } else {
        notes.push(format!(
            "gates bind the plans the scenario declares{}",
            if head.run.budget.is_some() {
                "; the budget is the head scenario's"
            } else {
                ""
            }
        ));
    }
    notes
}
