//! Price sheets: their file format (`sheet`), the validated model (`model`),
//! loading and validation (`load`), the catalog of known models (`catalog`),
//! public catalogs (`litellm`, `genai_prices`) and importing them (`import`).

pub mod against;
pub mod bill;
pub mod catalog;
pub mod genai_prices;
pub mod import;
pub mod lint;
pub mod listing;
pub mod litellm;
pub mod load;
mod load_prices;
pub mod model;
pub mod sheet;

pub use catalog::{Catalog, CatalogError, Shadowed, UnknownModel};
pub use model::{Model, Part, ServiceTier};
