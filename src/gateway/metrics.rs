//! Prometheus counters: requests, tokens, cost in USD and a latency
//! histogram, by route, class, model and outcome. One lock held for a few
//! additions per request; rendered in the text exposition format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

use super::budget::Commits;
use crate::money::Money;

/// Upper bounds of the latency histogram, in seconds.
const BOUNDS: [f64; 14] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];

/// (route, class, model, outcome)
pub type Labels = (&'static str, String, String, String);

#[derive(Debug, Default, Clone)]
struct Series {
    requests: u64,
    input_tokens: u64,
    output_tokens: u64,
    cost: Money,
    buckets: [u64; BOUNDS.len()],
    latency_sum: f64,
}

#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<Labels, Series>>,
}

impl Metrics {
    pub fn observe(&self, labels: Labels, input: u64, output: u64, cost: Money, latency_s: f64) {
        let mut all = self.series.lock().expect("metrics lock poisoned");
        let s = all.entry(labels).or_default();
        s.requests += 1;
        s.input_tokens += input;
        s.output_tokens += output;
        s.cost += cost;
        s.latency_sum += latency_s;
        for (i, b) in BOUNDS.iter().enumerate() {
            if latency_s <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    pub fn render(&self) -> String {
        let all = self.series.lock().expect("metrics lock poisoned").clone();
        let mut out = String::new();
        let label = |(route, class, model, outcome): &Labels| {
            format!(
                "route=\"{route}\",class=\"{}\",model=\"{}\",outcome=\"{}\"",
                esc(class),
                esc(model),
                esc(outcome)
            )
        };
        let mut family = |name: &str, kind: &str, help: &str, value: &dyn Fn(&Series) -> String| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (l, s) in &all {
                let _ = writeln!(out, "{name}{{{}}} {}", label(l), value(s));
            }
        };
        family(
            "cost_gateway_requests_total",
            "counter",
            "Upstream attempts and refused requests.",
            &|s| s.requests.to_string(),
        );
        family(
            "cost_gateway_input_tokens_total",
            "counter",
            "Prompt tokens billed (cache reads and writes included).",
            &|s| s.input_tokens.to_string(),
        );
        family(
            "cost_gateway_output_tokens_total",
            "counter",
            "Generated tokens billed (reasoning included).",
            &|s| s.output_tokens.to_string(),
        );
        family(
            "cost_gateway_cost_usd_total",
            "counter",
            "Exact cost of the answers in USD.",
            &|s| s.cost.to_string(),
        );
        let _ = writeln!(out, "# HELP cost_gateway_latency_seconds Time from the request to the end of the answer.\n# TYPE cost_gateway_latency_seconds histogram");
        for (l, s) in &all {
            let l = label(l);
            for (i, b) in BOUNDS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "cost_gateway_latency_seconds_bucket{{{l},le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "cost_gateway_latency_seconds_bucket{{{l},le=\"+Inf\"}} {}",
                s.requests
            );
            let _ = writeln!(
                out,
                "cost_gateway_latency_seconds_sum{{{l}}} {}",
                s.latency_sum
            );
            let _ = writeln!(
                out,
                "cost_gateway_latency_seconds_count{{{l}}} {}",
                s.requests
            );
        }
        out
    }
}

/// The request log's lines not written (`LogSink::failed`).
pub fn render_log_failures(lines: u64) -> String {
    counter(
        "cost_gateway_log_failed_lines_total",
        "Request log lines the log file refused (cost replay cannot total them).",
        lines,
    )
}

/// The shadow pairs log's lines not written: pairs `cost eval` will lack.
pub fn render_shadow_log_failures(lines: u64) -> String {
    counter(
        "cost_gateway_shadow_log_failed_lines_total",
        "Shadow pairs log lines the pairs file refused (cost eval cannot score them).",
        lines,
    )
}

/// One unlabelled counter, with its help and type lines.
fn counter(name: &str, help: &str, value: u64) -> String {
    format!("# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n")
}

/// The ledger's write and transaction counters (its group commit).
pub fn render_commits(c: &Commits) -> String {
    [
        counter(
            "cost_gateway_ledger_writes_total",
            "Lease extensions and settlements written to the spend ledger (settlements by the flush, ten times a second).",
            c.writes,
        ),
        counter(
            "cost_gateway_ledger_transactions_total",
            "Transactions those writes were committed in (a flush, or requests ready together, share one).",
            c.transactions,
        ),
        counter(
            "cost_gateway_ledger_failed_writes_total",
            "Writes the spend ledger refused (a lease that cannot be extended refuses its call; a settlement that cannot be flushed stays counted in its lease, as spent in full at the next start).",
            c.failed,
        ),
    ]
    .concat()
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_buckets_are_cumulative() {
        let m = Metrics::default();
        let l = || {
            (
                "/v1/messages",
                "easy".to_string(),
                "m".to_string(),
                "ok".to_string(),
            )
        };
        m.observe(l(), 10, 2, Money::from_picos(5), 0.003);
        m.observe(l(), 1, 1, Money::from_picos(5), 2.0);
        let text = m.render();
        assert!(text.contains("cost_gateway_requests_total{route=\"/v1/messages\",class=\"easy\",model=\"m\",outcome=\"ok\"} 2"));
        assert!(text.contains("cost_gateway_input_tokens_total{route=\"/v1/messages\",class=\"easy\",model=\"m\",outcome=\"ok\"} 11"));
        assert!(text.contains("le=\"0.005\"} 1"));
        assert!(text.contains("le=\"2.5\"} 2"));
        assert!(text.contains("cost_gateway_cost_usd_total{route=\"/v1/messages\",class=\"easy\",model=\"m\",outcome=\"ok\"} 0.00000000001"));
    }
}
