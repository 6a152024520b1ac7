//! Prices an outcome table's token counts with the catalog: a table model
//! is a catalog id or alias, or is mapped to one (a stand-in) with
//! `--price-as NAME=ID`. Each model is looked up once.

use std::collections::HashMap;

use jiff::civil::Date;

use super::load::TokenPricer;
use crate::pricing::bill::{price, Request};
use crate::pricing::{Catalog, Model};

pub struct CatalogPricer<'a> {
    catalog: &'a Catalog,
    date: Date,
    price_as: &'a HashMap<String, String>,
    resolved: HashMap<String, &'a Model>,
}

impl<'a> CatalogPricer<'a> {
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
    pub fn resolve(&mut self, model: &str) -> Result<&'a Model, (String, String)> {
        if let Some(m) = self.resolved.get(model) {
            return Ok(m);
        }
        let id = self.price_as.get(model).map_or(model, String::as_str);
        let found = self.catalog.lookup(id).map_err(|e| {
            let near = if e.suggestions.is_empty() {
                String::new()
            } else {
                format!(
                    "did you mean {}? ",
                    e.suggestions
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            (
                format!("unknown model `{id}`: it is not in the price catalog"),
                format!("{near}`cost models` lists every id; price `{model}` as a catalog model with --price-as {model}=ID, add a sheet with --pricing, or give --cost-per-query {model}=USD"),
            )
        })?;
        self.resolved.insert(model.to_string(), found);
        Ok(found)
    }
}

impl TokenPricer for CatalogPricer<'_> {
    fn cost(&mut self, model: &str, input: u64, output: u64) -> Result<f64, (String, String)> {
        let m = self.resolve(model)?;
        let request = Request {
            input,
            output,
            ..Request::default()
        };
        price(m, &request, self.date)
            .map(|bill| bill.total.usd().value())
            .map_err(|e| {
                (
                    e.to_string(),
                    "choose another date with --at, or another stand-in with --price-as".into(),
                )
            })
    }
}
