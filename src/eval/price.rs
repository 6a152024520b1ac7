//! Prices an outcome table's token counts with the catalog: a table model
//! is a catalog id or alias, or is mapped to one (a stand-in, given by the
//! caller). Each model is looked up once. Errors say what is wrong; the
//! caller says which of its options fix it.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::pricing::bill::{price, PriceError, Request};
use crate::pricing::{Catalog, Model};

pub struct CatalogPricer<'a> {
    catalog: &'a Catalog,
    date: Date,
    price_as: &'a HashMap<String, String>,
    resolved: HashMap<String, &'a Model>,
}

/// Why a table model's tokens could not be priced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PriceProblem {
    /// `id` (what table model `model` is priced as) is not in the catalog.
    #[error("unknown model `{id}`: it is not in the price catalog")]
    UnknownModel {
        id: String,
        model: String,
        suggestions: Vec<String>,
    },
    #[error(transparent)]
    NoPrice(PriceError),
}

impl<'a> CatalogPricer<'a> {
    /// `price_as`: table model -> the catalog id it is priced as.
    pub fn new(
        catalog: &'a Catalog,
        date: Date,
        price_as: &'a HashMap<String, String>,
    ) -> CatalogPricer<'a> {
        CatalogPricer {
            catalog,
            date,
            price_as,
            resolved: HashMap::new(),
        }
    }

    /// The catalog model a table model is priced as.
    pub fn resolve(&mut self, model: &str) -> Result<&'a Model, PriceProblem> {
        if let Some(m) = self.resolved.get(model) {
            return Ok(m);
        }
        let id = self.price_as.get(model).map_or(model, String::as_str);
        let found = self
            .catalog
            .lookup(id)
            .map_err(|e| PriceProblem::UnknownModel {
                id: id.to_string(),
                model: model.to_string(),
                suggestions: e.suggestions,
            })?;
        self.resolved.insert(model.to_string(), found);
        Ok(found)
    }

    /// USD for `input` and `output` tokens on table model `model`.
    pub fn cost(&mut self, model: &str, input: u64, output: u64) -> Result<f64, PriceProblem> {
        let m = self.resolve(model)?;
        let request = Request {
            input,
            output,
            ..Request::default()
        };
        price(m, &request, self.date)
            .map(|bill| bill.total.usd().value())
            .map_err(PriceProblem::NoPrice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stand_in_prices_a_table_model_and_an_unknown_one_is_named() {
        let catalog = Catalog::from_sources(&Catalog::builtin_sources()).unwrap();
        let price_as = HashMap::from([("mine".to_string(), "gpt-4o".to_string())]);
        let mut pricer = CatalogPricer::new(&catalog, Date::constant(2026, 1, 1), &price_as);
        assert_eq!(pricer.resolve("mine").unwrap().id, "gpt-4o");
        assert!(pricer.cost("mine", 1_000_000, 0).unwrap() > 0.0);
        let Err(PriceProblem::UnknownModel {
            id, suggestions, ..
        }) = pricer.resolve("gpt-4o-mnii")
        else {
            panic!("gpt-4o-mnii is not a catalog id");
        };
        assert_eq!(id, "gpt-4o-mnii");
        assert!(
            suggestions.contains(&"gpt-4o-mini".to_string()),
            "{suggestions:?}"
        );
    }
}
