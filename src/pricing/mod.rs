//! Price sheets and billing, and the figures that travel with models
//! (`figures`: latency and quality): the file format (`sheet`), the validated model
//! (`model`), loading and validation (`load`, `load_prices`), the catalog of
//! known models (`catalog`), the billing kernel that prices one request
//! (`bill`), the `models` listing (`listing`), lints (`lint`), public
//! catalogs (`litellm`, `genai_prices`, `against`) and importing them
//! (`import`), how logs spell ids (`resolve`) and the embedded catalog
//! snapshot below the sheets (`snapshot`).

pub mod against;
pub mod bill;
pub mod catalog;
pub mod figures;
pub mod genai_prices;
pub mod import;
pub mod limits;
pub mod lint;
pub mod listing;
pub mod litellm;
pub mod load;
mod load_prices;
pub mod model;
pub mod resolve;
#[cfg(test)]
mod rules_tests;
pub mod sheet;
pub mod snapshot;
pub mod windows;

pub use catalog::{Catalog, CatalogError, Shadowed, UnknownModel};
pub use model::{Model, Part, ServiceTier};
