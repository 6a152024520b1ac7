//! `cost replay`: the groups, the plan's traffic split, the unknown models
//! and samples of bad lines, with the totals as fields and notes that say
//! how each figure was priced and what is left out of it.

use crate::human::human_count;
use crate::human::plain_usd;
use crate::money::Money;
use crate::replay::aggregate::Totals;
use crate::replay::class_rules::Rule;
use crate::replay::drive::FileSummary;
use crate::replay::latency_sheet::LatencySheet;
use crate::replay::summary::Summary;
use crate::replay::tally::{Tally, TallyOptions};
use crate::replay::what_if::WhatIf;
use crate::report::columns::replay::{
    CACHE_READ_TOKENS, CACHE_WRITE_TOKENS, FIELD, INPUT_TOKENS, LINE, LOGGED_COST,
    LOGGED_DIFFERENCE, NOT_PRICED_REQUESTS, NOT_PRICED_TOKENS, OUTPUT_TOKENS, PROBLEM,
    REASONING_TOKENS, ROUTED_TO, SAVINGS, SUMMARY, SUMMARY_COUNT, UNKNOWN_MODEL, WHAT_IF_COST,
};
use crate::report::columns::{CLASS, COST, FILE, REQUESTS, SHARE, TOKENS};
use crate::report::{Column, Report, Table, Value};

use super::replay_latency;

/// `latency_first`: the latency table leads (CSV renders only the first).
pub fn report(
    tally: &Tally,
    summary: &Summary,
    files: &[FileSummary],
    opts: &TallyOptions,
    latency_first: bool,
) -> Report {
    let all = &summary.all;
    let mut tables = vec![groups(tally, opts)];
    if let Some(latency) = replay_latency::table(tally, opts) {
        if latency_first {
            tables.insert(0, latency);
        } else {
            tables.push(latency);
        }
    }
    if let WhatIf::Plan(route) = &opts.what_if {
        let mut split = Table::new("traffic_split", split_columns());
        for (k, class) in route.routes.classes.iter().enumerate() {
            let mut row: Vec<Value> = vec![
                class.clone().into(),
                route.models[k].id.clone().into(),
                summary.class_shares[k].into(),
            ];
            row.extend(totals_values(&tally.classes[k].totals, true));
            split.push(row);
        }
        tables.push(split);
    }
    if !summary.unknown.is_empty() {
        let mut t = Table::new("unknown_models", unknown_columns());
        for (m, n, tokens) in &summary.unknown {
            t.push(vec![m.clone().into(), (*n).into(), (*tokens).into()]);
        }
        tables.push(t);
    }
    if !tally.bad.examples.is_empty() {
        let mut t = Table::new("bad_line_samples", bad_line_columns());
        for (_, bad) in &tally.bad.examples {
            t.push(vec![
                bad.file.clone().into(),
                bad.line.into(),
                bad.field.clone().into(),
                bad.message.clone().into(),
            ]);
        }
        tables.push(t);
    }
    tables.extend(replay_latency::bad_samples(tally));
    tables.extend(left_out(tally, summary));
    Report {
        command: "replay",
        title: title(all, files),
        fields: fields(tally, summary, files, opts),
        tables,
        notes: notes(tally, summary, opts),
    }
}

/// What the totals leave out, for CSV (which carries only the primary
/// table: the fields and notes that say so in other formats are not in it):
/// a `summary,count` table after the primary one, written whenever a line
/// was skipped as bad or a request was not priced.
fn left_out(tally: &Tally, summary: &Summary) -> Option<Table> {
    let timing = replay_latency::counts(tally);
    let dirty = tally.bad.count + timing.bad + summary.unknown_requests + summary.unpriced_requests;
    if dirty == 0 {
        return None;
    }
    let mut t = Table::csv_trailer("summary", vec![SUMMARY, SUMMARY_COUNT]);
    for (key, n) in [
        ("requests", summary.all.requests),
        ("priced_requests", summary.all.priced),
        ("unknown_model_requests", summary.unknown_requests),
        ("unpriced_requests", summary.unpriced_requests),
        ("bad_lines", tally.bad.count),
        ("bad_timing_requests", timing.bad),
        ("skipped_lines", tally.skipped),
    ] {
        t.push(vec![key.into(), n.into()]);
    }
    Some(t)
}

/// The warnings for stderr: what is not in the totals.
pub fn warnings(tally: &Tally, summary: &Summary) -> Vec<String> {
    let mut out = Vec::new();
    if !summary.unknown.is_empty() {
        out.push(format!(
            "{} requests on unknown models are not in the totals: {}",
            summary.unknown_requests,
            summary.unknown_list()
        ));
    }
    if summary.unpriced_requests > 0 {
        out.push(format!(
            "{} requests could not be priced and are not in the totals (see the notes)",
            summary.unpriced_requests
        ));
    }
    if tally.bad.count > 0 {
        out.push(format!(
            "{} bad lines were skipped (see the notes)",
            tally.bad.count
        ));
    }
    if tally.bad_timing.count > 0 {
        out.push(format!(
            "{} requests with bad timing fields were priced without their timing (see the notes)",
            tally.bad_timing.count
        ));
    }
    out
}

/// What `--emit-latency`'s sheet leaves out, for stderr.
pub fn sheet_warnings(tally: &Tally, sheet: &LatencySheet) -> Vec<String> {
    let mut out = Vec::new();
    if sheet.latency.is_empty() {
        out.push(
            "no request of a known model carries timings: the latency sheet has no entries"
                .to_string(),
        );
    }
    if tally.unknown_timed > 0 {
        out.push(format!(
            "{} timed requests on models the catalog does not know are not in the latency sheet",
            tally.unknown_timed
        ));
    }
    out
}

fn groups(tally: &Tally, opts: &TallyOptions) -> Table {
    let what_if = !matches!(opts.what_if, WhatIf::Nothing);
    let mut columns: Vec<Column> = opts.dims.iter().map(|d| Column::named(d.name())).collect();
    columns.extend(totals_columns(what_if));
    let mut groups = Table::new("groups", columns);
    for (values, totals) in tally.groups.sorted() {
        let mut row: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
        row.extend(totals_values(totals, what_if));
        groups.push(row);
    }
    groups
}

/// The `traffic_split` table's columns.
pub fn split_columns() -> Vec<Column> {
    let mut columns = vec![CLASS, ROUTED_TO, SHARE];
    columns.extend(totals_columns(true));
    columns
}

/// The totals of a group (`groups`) or a class (`traffic_split`), with
/// the what-if figures when there is a what-if.
pub fn totals_columns(what_if: bool) -> Vec<Column> {
    let mut cols = vec![
        REQUESTS,
        NOT_PRICED_REQUESTS,
        NOT_PRICED_TOKENS,
        INPUT_TOKENS,
        CACHE_READ_TOKENS,
        CACHE_WRITE_TOKENS,
        OUTPUT_TOKENS,
        REASONING_TOKENS,
        COST,
        LOGGED_COST,
        LOGGED_DIFFERENCE,
    ];
    if what_if {
        cols.push(WHAT_IF_COST);
        cols.push(SAVINGS);
    }
    cols
}

fn totals_values(t: &Totals, what_if: bool) -> Vec<Value> {
    let priced = |m: Money, any: bool| if any { Value::Money(m) } else { Value::Empty };
    let mut row = vec![
        t.requests.into(),
        t.not_priced.into(),
        t.not_priced_tokens.into(),
        t.input.into(),
        t.cache_read.into(),
        t.cache_write.into(),
        t.output.into(),
        t.reasoning.into(),
        priced(t.cost, t.priced > 0),
        priced(t.logged, t.logged_requests > 0),
        t.logged_difference().into(),
    ];
    if what_if {
        row.push(priced(t.what_if, t.what_if_priced > 0));
        row.push(t.savings().into());
    }
    row
}

fn fields(
    tally: &Tally,
    summary: &Summary,
    files: &[FileSummary],
    opts: &TallyOptions,
) -> Vec<(&'static str, Value)> {
    let all = &summary.all;
    let timing = replay_latency::counts(tally);
    let shapes = files
        .iter()
        .map(|f| {
            format!(
                "{}: {}{}",
                f.name,
                f.shape,
                if f.gzip { " (gzip)" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut fields: Vec<(&'static str, Value)> = vec![
        ("files", (files.len() as u64).into()),
        ("shapes", shapes.into()),
        ("requests", all.requests.into()),
        ("priced_requests", all.priced.into()),
        ("unknown_model_requests", summary.unknown_requests.into()),
        ("unpriced_requests", summary.unpriced_requests.into()),
        ("skipped_lines", tally.skipped.into()),
        ("duplicate_records", tally.duplicates.into()),
        ("bad_lines", tally.bad.count.into()),
        ("timed_requests", timing.timed.into()),
        ("untimed_requests", timing.untimed.into()),
        ("bad_timing_requests", timing.bad.into()),
        ("cost_usd", all.cost.into()),
        (
            "logged_cost_usd",
            (all.logged_requests > 0).then_some(all.logged).into(),
        ),
        ("logged_difference_usd", all.logged_difference().into()),
    ];
    match &opts.what_if {
        WhatIf::Nothing => {}
        WhatIf::As(m) => fields.push(("what_if", format!("as {}", m.id).into())),
        WhatIf::Plan(r) => fields.push(("what_if", format!("plan {}", r.routes.plan).into())),
    }
    if !matches!(opts.what_if, WhatIf::Nothing) {
        fields.push(("what_if_cost_usd", all.what_if.into()));
        fields.push(("savings_usd", all.savings().into()));
    }
    fields
}

fn title(all: &Totals, files: &[FileSummary]) -> String {
    let mut title = format!(
        "cost replay: {} requests in {} file{}, ${} computed",
        human_count(all.requests as f64),
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        plain_usd(all.cost.usd().value())
    );
    if all.logged_requests > 0 {
        title.push_str(&format!(
            " (logged ${})",
            plain_usd(all.logged.usd().value())
        ));
    }
    if let Some(s) = all.savings() {
        let verdict = if s >= Money::ZERO {
            format!("saves ${}", plain_usd(s.usd().value()))
        } else {
            format!("costs ${} more", plain_usd((Money::ZERO - s).usd().value()))
        };
        title.push_str(&format!(
            ", what-if ${} ({verdict})",
            plain_usd(all.what_if.usd().value())
        ));
    }
    title
}

fn notes(tally: &Tally, summary: &Summary, opts: &TallyOptions) -> Vec<String> {
    let all = &summary.all;
    let mut notes = vec![
        "each request is priced at the prices of its own UTC day and its logged service tier; cost, logged and what-if are exact sums".to_string(),
    ];
    if tally.undated > 0 {
        notes.push(format!(
            "{} requests carry no time and were priced as of {} (--at); their day is `(no date)`",
            tally.undated, opts.undated
        ));
    }
    if all.logged_requests > 0 {
        notes.push(format!(
            "logged = the cost the log states, over the {} requests that state one and that `cost` priced; logged − cost compares them request for request",
            all.logged_requests
        ));
    }
    if !summary.unknown.is_empty() {
        notes.push(format!(
            "{} requests on unknown models are NOT in the totals: {} (add a price sheet with --pricing; --strict makes this an error)",
            summary.unknown_requests,
            summary.unknown_list()
        ));
    }
    for (reason, n) in &summary.unpriced {
        notes.push(format!(
            "{n} requests not priced, so not in the totals: {reason}"
        ));
    }
    for (reason, n) in &summary.what_if_unpriced {
        notes.push(format!(
            "{n} requests have no what-if price and are left out of what-if and saves: {reason}"
        ));
    }
    if tally.skipped > 0 {
        notes.push(format!(
            "{} lines are not billed requests and were skipped (no usage object, Claude Code's locally generated messages, LiteLLM cache hits, OpenTelemetry spans that are not model calls)",
            tally.skipped
        ));
    }
    if tally.duplicates > 0 {
        notes.push(format!(
            "{} repeated Claude Code records of the same API call (message.id + requestId) were counted once, keeping the one with the most output tokens",
            tally.duplicates
        ));
    }
    if tally.bad.count > 0 {
        notes.push(format!(
            "{} bad lines skipped (--skip-bad), by field: {}; they are NOT in the totals",
            tally.bad.count,
            summary
                .bad_by_field
                .iter()
                .map(|(f, n)| format!("`{f}` {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes.extend(replay_latency::notes(tally));
    notes.extend(what_if_notes(summary, &opts.what_if));
    notes
}

fn what_if_notes(summary: &Summary, what_if: &WhatIf) -> Vec<String> {
    match what_if {
        WhatIf::Nothing => Vec::new(),
        WhatIf::As(m) => vec![format!(
            "what-if: every priced request re-priced on {} with the same token counts, cache reads/writes and tier (its own long-context and tier prices apply); a different tokenizer would change the counts, which is not modelled",
            m.id
        )],
        WhatIf::Plan(route) => {
            let r = route.routes;
            let rule = match &r.rules.rule {
                Rule::Field { field, .. } => format!("by the value of `{field}`"),
                Rule::Bounds(b) => format!(
                    "by prompt size, bounds {}",
                    b.iter().map(std::string::ToString::to_string).collect::<Vec<_>>().join(", ")
                ),
                Rule::Nearest => "by the class whose prompt size is nearest on a log scale (the default heuristic; set --class-field or --class-bounds)".to_string(),
            };
            let mut notes = vec![format!(
                "what-if: plan `{}` of scenario `{}`; requests assigned to classes {rule}, then priced on the class's model with the same token counts{}",
                r.plan,
                r.scenario,
                r.tier.map(|t| format!(" on the {} tier", t.key())).unwrap_or_default()
            )];
            if summary.fell_back > 0 {
                notes.push(format!(
                    "{} requests had a class field value naming no class and were assigned by the prompt-size heuristic",
                    summary.fell_back
                ));
            }
            notes
        }
    }
}

/// The `unknown_models` table's columns.
pub fn unknown_columns() -> Vec<Column> {
    vec![UNKNOWN_MODEL, REQUESTS, TOKENS]
}

/// The `bad_line_samples` table's columns.
pub fn bad_line_columns() -> Vec<Column> {
    vec![FILE, LINE, FIELD, PROBLEM]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::aggregate::Dim;

    #[test]
    fn group_columns_are_named_by_their_dimension() {
        let names: Vec<String> = [Dim::Model, Dim::Field("metadata.user".into())]
            .iter()
            .map(|d| Column::named(d.name()).key.into_owned())
            .collect();
        assert_eq!(names, ["model", "metadata.user"]);
    }
}
