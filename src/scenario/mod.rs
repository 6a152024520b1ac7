//! Traffic scenarios: the file format (`file`), the validated model
//! (`model`), the optional `[budget]` (`budget`), and loading with validation against the catalog (`load`).

mod budget;
pub mod dist;
pub mod file;
pub mod load;
pub mod model;
mod names;
mod plans;
pub mod tokens;

pub use load::{builtin, builtin_names, load_scenario, ScenarioError};
pub use model::{
    Accuracy, Budget, BudgetLimit, Cascade, Class, Classifier, OperatingPoint, Oracle, Overhead,
    Plan, PlanKind, Quality, Scenario, Slo, Verifier, DAYS_PER_MONTH,
};
