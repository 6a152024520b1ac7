//! Traffic scenarios: the file format (`file`), the validated model
//! (`model`), the optional `[budget]` (`budget`), and loading with validation against the catalog (`load`).

mod budget;
pub mod file;
pub mod load;
pub mod model;

pub use load::{builtin, builtin_names, load_scenario, ScenarioError};
pub use model::{Budget, BudgetLimit, Class, Plan, PlanKind, Quality, Scenario, DAYS_PER_MONTH};
