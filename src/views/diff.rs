//! `cost diff`: per plan what changed and by how much, the causes that add
//! up to each change, the gates, and a one-line verdict for a pull-request
//! comment.

use crate::engine::diff::{Cause, CauseKind, PlanDiff};
use crate::engine::gate::Check;
use crate::engine::snapshot::Snapshot;
use crate::human::{human_count, signed_usd, usd_per_million};
use crate::pricing::ServiceTier;
use crate::report::columns::gates::{
    CAUSE, CHANGE, COST_PER_MONTH_BASE, COST_PER_MONTH_HEAD, COST_PER_REQUEST_BASE,
    COST_PER_REQUEST_HEAD, DELTA_SHARE, E2E_BASE, E2E_HEAD, QUALITY_BASE, QUALITY_HEAD, STATUS,
    TTFT_BASE, TTFT_HEAD,
};
use crate::report::columns::{CLASS, DELTA_PER_MONTH, PLAN, ROUTES};
use crate::report::{Column, Report, Table};
use crate::views::gates;

/// One side of the diff as the report names it.
pub struct Side {
    pub run: Snapshot,
    pub label: String,
    /// Read from a saved report (else evaluated now).
    pub saved: bool,
}

pub fn report(base: &Side, head: &Side, diffs: &[PlanDiff], checks: &[Check]) -> Report {
    let mut plans = Table::new("plans", plan_columns());
    let mut causes = Table::new("causes", cause_columns());
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
            b.map(|p| p.per_month).into(),
            h.map(|p| p.per_month).into(),
            d.delta_per_month.into(),
            d.delta_fraction.into(),
            b.map(|p| p.per_request).into(),
            h.map(|p| p.per_request).into(),
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
                cause.per_month.into(),
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

/// The `plans` table's columns.
pub fn plan_columns() -> Vec<Column> {
    vec![
        PLAN,
        STATUS,
        ROUTES,
        COST_PER_MONTH_BASE,
        COST_PER_MONTH_HEAD,
        DELTA_PER_MONTH,
        DELTA_SHARE,
        COST_PER_REQUEST_BASE,
        COST_PER_REQUEST_HEAD,
        QUALITY_BASE,
        QUALITY_HEAD,
        TTFT_BASE,
        TTFT_HEAD,
        E2E_BASE,
        E2E_HEAD,
    ]
}

/// The `causes` table's columns.
pub fn cause_columns() -> Vec<Column> {
    vec![PLAN, CAUSE, CLASS, CHANGE, DELTA_PER_MONTH]
}
