//! `cost replay`: the totals as fields, the groups, and the tables only
//! some logs or options call for.

use super::usd;
use crate::report::shape::{Field, Shape, TableShape};
use crate::views::{replay as replay_view, replay_latency};

const DIMENSION: &str = "a grouping dimension (`--by`), keyed by its name: its value in this group";

pub fn replay() -> Shape {
    let count = Field::number;
    Shape {
        command: "replay",
        meaning: "a usage log priced request by request at each request's own day's prices: the totals, per group and (with a plan or model) what-if",
        fields: vec![
            count("files", "log files read"),
            Field::text("shapes", "each file's detected log shape (`file: shape`, `; ` between files)"),
            count("requests", "requests read"),
            count("priced_requests", "requests priced (in the totals)"),
            count("unknown_model_requests", "requests on models the catalog does not know (not in the totals)"),
            count("unpriced_requests", "requests that could not be priced (not in the totals)"),
            count("skipped_lines", "lines that are not billed requests"),
            count("duplicate_records", "repeated records of one API call, counted once"),
            count("bad_lines", "bad lines skipped (`--skip-bad`)"),
            count("timed_requests", "requests with usable timings"),
            count("untimed_requests", "requests without timings"),
            count("bad_timing_requests", "requests with bad timing fields (priced, left out of latency)"),
            usd("cost_usd", "the total computed cost, USD (exact)"),
            usd("logged_cost_usd", "the total cost the log states, USD (null: none stated)").nullable(),
            usd("logged_difference_usd", "logged minus computed cost over the requests that state one, USD").nullable(),
            Field::text("what_if", "with `--as` or `--plan`: what the traffic is re-priced as").sometimes(),
            usd("what_if_cost_usd", "with a what-if: its total cost, USD").sometimes(),
            usd("savings_usd", "with a what-if: cost minus what-if cost over the requests both price, USD").sometimes().nullable(),
        ],
        tables: vec![
            TableShape::variants(
                "groups",
                "one row per group of `--by` values, with its totals (and what-if figures with a what-if)",
                &[replay_view::totals_columns(false), replay_view::totals_columns(true)],
            )
            .named_columns(DIMENSION),
            TableShape::new(
                "latency",
                "when requests carry timings: per group, the latency measured in the log",
                replay_latency::latency_columns(),
            )
            .named_columns(DIMENSION)
            .sometimes(),
            TableShape::new(
                "traffic_split",
                "with `--plan`: per class of the plan, where its requests went and their totals",
                replay_view::split_columns(),
            )
            .sometimes(),
            TableShape::new(
                "unknown_models",
                "models the catalog does not know, with their requests",
                replay_view::unknown_columns(),
            )
            .sometimes(),
            TableShape::new(
                "bad_line_samples",
                "with `--skip-bad`: the first bad lines",
                replay_view::bad_line_columns(),
            )
            .sometimes(),
            TableShape::new(
                "bad_timing_samples",
                "the first requests with bad timing fields",
                replay_latency::bad_columns(),
            )
            .sometimes(),
        ],
    }
}
