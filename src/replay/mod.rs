//! Replaying real usage logs: read what a team actually sent (provider
//! response bodies, Claude Code sessions, LiteLLM spend logs, any CSV/JSONL
//! with a column mapping), price every request at its own date and tier,
//! group the totals, and re-price the same traffic on another model or
//! under a routing plan.
//!
//! Layers: `read` streams bytes (files, stdin, gzip) as chunks of whole
//! lines; `detect` decides the log's format and shape; one module per shape
//! turns a line into a normalised `record::Record`; `drive` runs the lines
//! through the parsers on worker threads; `tally` prices records and sums
//! them per group (`aggregate`; one tally per worker thread, merged at the
//! end, so memory does not grow with the log); `what_if` and `class_rules`
//! say how the traffic is re-priced; `summary` orders what the tally adds
//! up to; `timing` reads how long each request took, `latency` its
//! percentiles and `latency_sheet` the sheet they make; `charges` keeps
//! the billed parts per day and price and `focus` makes FOCUS rows of them. Nothing here prints, and no message names a command-line flag.

pub mod aggregate;
pub mod anthropic;
pub mod api;
pub mod bad_lines;
pub mod charges;
pub mod class_rules;
pub mod cohere;
mod csv_log;
pub mod detect;
pub mod drive;
pub mod envelope;
pub mod error;
pub mod focus;
pub mod gateway;
pub mod gateway_actuals;
pub mod gemini;
pub mod generic;
pub mod latency;
pub mod latency_sheet;
pub mod litellm;
pub mod openai;
pub mod otel;
pub mod read;
pub mod record;
pub mod row;
pub mod summary;
pub mod tally;
pub mod timing;
pub mod what_if;

pub use detect::{LogFormat, LogShape};
pub use record::{BadField, BadLine, Record};
