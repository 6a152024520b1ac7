//! Price sheets: their file format (`sheet`), the validated model (`model`),
//! loading and validation (`load`) and the catalog of known models (`catalog`).

pub mod catalog;
pub mod genai_prices;
pub mod litellm;
pub mod load;
pub mod model;
pub mod sheet;

pub use catalog::{Catalog, CatalogError, UnknownModel};
pub use model::{Model, Part, ServiceTier};
