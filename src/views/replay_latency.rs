//! `cost replay`'s latency table: per `--by` group, the TTFT, E2E and
//! output-rate percentiles measured in the log with the counts they are
//! over, the summary fields and notes that go with it, and the bad timing
//! samples.

use crate::replay::aggregate::SEP;
use crate::replay::latency::{Percentiles, Samples};
use crate::replay::tally::{Tally, TallyOptions};
use crate::report::columns::replay::{
    BAD_TIMING_REQUESTS, E2E_REQUESTS, FIELD, LINE, MEASURED_E2E_P50, MEASURED_E2E_P90,
    MEASURED_E2E_P99, MEASURED_TTFT_P50, MEASURED_TTFT_P90, MEASURED_TTFT_P99, OUTPUT_TPS_P50,
    OUTPUT_TPS_P90, OUTPUT_TPS_P99, PROBLEM, TIMED_REQUESTS, TPS_REQUESTS, TTFT_REQUESTS,
    UNTIMED_REQUESTS,
};
use crate::report::columns::FILE;
use crate::report::{Column, Table, Value};

/// Requests with a usable timing, without one, and with bad timing fields.
pub struct Counts {
    pub timed: u64,
    pub untimed: u64,
    pub bad: u64,
}

pub fn counts(tally: &Tally) -> Counts {
    let requests: u64 = tally.groups.0.values().map(|t| t.requests).sum();
    let (timed, bad) = tally
        .latency
        .values()
        .fold((0, 0), |(t, b), s| (t + s.timed, b + s.bad));
    Counts {
        timed,
        untimed: requests - timed - bad,
        bad,
    }
}

/// The latency table, when any request carries a timing (good or bad).
pub fn table(tally: &Tally, opts: &TallyOptions) -> Option<Table> {
    if tally.latency.is_empty() {
        return None;
    }
    let mut columns: Vec<Column> = opts.dims.iter().map(|d| Column::named(d.name())).collect();
    columns.extend(latency_columns());
    let mut table = Table::new("latency", columns);
    let none = Samples::default();
    for (values, totals) in tally.groups.sorted() {
        let key = values.join(&SEP.to_string());
        let st = tally.latency.get(&key).unwrap_or(&none).stats();
        let mut row: Vec<Value> = values.iter().map(|v| Value::from(*v)).collect();
        row.extend([
            st.timed.into(),
            (totals.requests - st.timed - st.bad).into(),
            st.bad.into(),
            st.ttft_n.into(),
        ]);
        row.extend(three(st.ttft));
        row.push(st.e2e_n.into());
        row.extend(three(st.e2e));
        row.push(st.tps_n.into());
        row.extend(three(st.tps));
        table.push(row);
    }
    Some(table)
}

/// The `latency` table's columns after the `--by` dimensions.
pub fn latency_columns() -> Vec<Column> {
    vec![
        TIMED_REQUESTS,
        UNTIMED_REQUESTS,
        BAD_TIMING_REQUESTS,
        TTFT_REQUESTS,
        MEASURED_TTFT_P50,
        MEASURED_TTFT_P90,
        MEASURED_TTFT_P99,
        E2E_REQUESTS,
        MEASURED_E2E_P50,
        MEASURED_E2E_P90,
        MEASURED_E2E_P99,
        TPS_REQUESTS,
        OUTPUT_TPS_P50,
        OUTPUT_TPS_P90,
        OUTPUT_TPS_P99,
    ]
}

fn three(p: Option<Percentiles>) -> [Value; 3] {
    match p {
        Some(p) => [p.p50.into(), p.p90.into(), p.p99.into()],
        None => [Value::Empty, Value::Empty, Value::Empty],
    }
}

/// File, line, field and problem of the first bad timings.
pub fn bad_samples(tally: &Tally) -> Option<Table> {
    if tally.bad_timing.examples.is_empty() {
        return None;
    }
    let mut t = Table::new("bad_timing_samples", bad_columns());
    for (_, bad) in &tally.bad_timing.examples {
        t.push(vec![
            bad.file.clone().into(),
            bad.line.into(),
            bad.field.clone().into(),
            bad.message.clone().into(),
        ]);
    }
    Some(t)
}

pub fn notes(tally: &Tally) -> Vec<String> {
    let mut notes = Vec::new();
    let c = counts(tally);
    if !tally.latency.is_empty() {
        notes.push(format!(
            "latency measured in the log: {} requests with timings, {} without; TTFT = start to first token (or chunk), E2E = start to end, tok/s = (output + reasoning tokens) / (end − first token) for requests whose first token comes before their end; percentiles are nearest-rank (the value at rank ⌈p/100 · n⌉, a measured value, never interpolated)",
            c.timed, c.untimed
        ));
    }
    if tally.bad_timing.count > 0 {
        let mut by_field: Vec<(&String, &u64)> = tally.bad_timing.by_field.iter().collect();
        by_field.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        notes.push(format!(
            "{} requests have bad timing fields (--skip-bad), by field: {}; they ARE priced and in the totals, and left out of the latency figures",
            tally.bad_timing.count,
            by_field
                .iter()
                .map(|(f, n)| format!("`{f}` {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes
}

/// The `bad_timing_samples` table's columns.
pub fn bad_columns() -> Vec<Column> {
    vec![FILE, LINE, FIELD, PROBLEM]
}
