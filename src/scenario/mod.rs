//! Traffic scenarios: the file format (`file`), the validated model
//! (`model`), token counts as distributions (`token_dist`, read by
//! `token_dist_load`), the optional `[budget]` (`budget`), and loading with
//! validation against the catalog (`load`, with `plans` and `names`), and
//! public benchmarks standing in for missing evals (`proxy`).

mod budget;
pub mod file;
pub mod load;
pub mod model;
mod names;
mod plans;
pub mod proxy;
mod routes;
mod tiers;
pub mod token_dist;
mod token_dist_load;
mod traffic;

pub use load::{
    builtin, builtin_named, builtin_names, load_scenario, looks_like_path, ScenarioError, STARTER,
};
pub use model::{
    Accuracy, Budget, BudgetLimit, Cascade, Class, Classifier, FleetSizing, HostedRoute,
    OperatingPoint, Oracle, Overhead, Plan, PlanKind, Quality, Scenario, Slo, Verifier,
    DAYS_PER_MONTH, MAX_REQUESTS_PER_DAY,
};
