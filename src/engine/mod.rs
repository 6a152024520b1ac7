//! The pure engine: evaluates plans on scenarios (`routing`, one module per
//! routing architecture, over `outcome` and `legs`), estimates latency
//! (`latency`), simulates bills (`simulate`), compares plans (`compare`),
//! explains the change between two runs (`snapshot`, `diff`) and applies cost
//! gates (`gate`). No clap, no I/O, no printing: everything here is tested
//! directly.

pub mod aggregate;
pub mod assumptions;
pub mod breakeven;
pub mod compare;
pub mod confusion;
mod day;
pub mod diff;
pub mod expect;
pub mod frontier;
pub mod gate;
pub mod histogram;
pub mod hosted;
pub mod index;
pub mod latency;
pub mod legs;
pub mod outcome;
mod paths;
pub mod placement;
pub mod recommend;
pub mod risk;
pub mod route;
pub mod routing;
pub mod segments;
pub mod sensitivity;
pub mod simulate;
pub mod snapshot;
pub mod sweep;
#[cfg(test)]
mod testing;
pub mod variance;

pub use outcome::{Context, EngineError, PlanOutcome};
pub use routing::evaluate;
