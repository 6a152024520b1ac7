//! Outcome tables: what each model scored and cost on each query, as
//! research on routing (RouteLLM, RouterBench, FrugalGPT, RouterArena) and
//! teams' own evals record them, and the economics they imply.
//!
//! `spec` types the column mapping and the small value languages; `load`
//! (with `formats`, `plain_csv` and `cell`) reads CSV or JSON Lines into a columnar
//! `table`; `price` prices token counts with the catalog and `costs` fills
//! in costs a table lacks; `group` turns rows into routing units (the
//! turns of a question routed as one). The metrics are pure: `metrics`
//! (per-model stats, oracle, PGR/APGR/CPT), `dollar` (AIQ and the cost of
//! matching the baseline, on a router's own curve and mixed with the
//! models), `curves` (random, threshold, RouteLLM's optimal and
//! synthetic-AUC routers), `protocol` (RouteLLM's 11-point evaluation),
//! `cascade_replay` (cascades replayed on the joint outcomes), `evaluate`
//! (all of them, measured alike) and `chart` (the cost-quality chart as
//! data). Each definition names the paper it follows. No message here
//! names a command-line flag.

pub mod cascade_replay;
mod cell;
pub mod chart;
pub mod costs;
pub mod curves;
pub mod dollar;
pub mod evaluate;
mod formats;
pub mod group;
mod intern;
pub mod load;
pub mod metrics;
mod plain_csv;
pub mod price;
pub mod protocol;
mod radix;
mod remedy;
pub mod spec;
pub mod table;

pub use load::{load, Loaded, TokenPricer};
pub use spec::{CostColumns, Filter, Layout, ScoreRange, TableFormat, TableSpec};
pub use table::OutcomeTable;
