//! The pure engine: prices requests (`bill`), evaluates plans on scenarios
//! (`plan`), estimates latency (`latency`), compares plans (`compare`),
//! explains the change between two runs (`run`, `diff`) and applies cost
//! gates (`gate`). No clap, no I/O, no printing: everything here is tested
//! directly.

pub mod bill;
pub mod compare;
pub mod diff;
pub mod gate;
pub mod latency;
pub mod plan;
pub mod run;

pub use plan::{evaluate, Context, EngineError, PlanOutcome};
