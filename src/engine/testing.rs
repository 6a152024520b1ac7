//! Fixtures for the engine's unit tests: the built-in catalog and
//! scenarios, evaluated at a fixed date so results do not move with today.

use super::latency::LatencyAssumptions;
use super::outcome::Context;
use crate::pricing::Catalog;
use crate::scenario::{builtin, load_scenario, Scenario};

pub fn catalog() -> Catalog {
    Catalog::builtin().expect("the built-in sheets load")
}

/// The built-in scenario `name`, loaded against `catalog`.
pub fn scenario(name: &str, catalog: &Catalog) -> Scenario {
    load_scenario(&builtin(name).expect("a built-in scenario"), catalog)
        .expect("the built-in scenarios load")
}

/// Prices of 2026-11-28 and the default latency assumptions.
pub fn context(catalog: &Catalog) -> Context<'_> {
    Context {
        catalog,
        date: jiff::civil::Date::constant(2026, 11, 28),
        latency: LatencyAssumptions::default(),
        traffic: crate::pricing::windows::TrafficProfile::Uniform,
    }
}
