//! Where an outcome table's costs come from, and filling in the costs a
//! table does not carry: the same assumed token counts for every query,
//! priced with the catalog, or a fixed cost per query for each model.
//! Pure over the loaded table; errors name no flag.

use super::price::{CatalogPricer, PriceProblem};
use super::spec::{PerQueryCost, TokenCounts};
use super::table::{NoSuchModel, OutcomeTable};

/// Where the costs of a table's outcomes come from.
#[derive(Debug, Clone, PartialEq)]
pub enum CostSource {
    /// A column of USD per query.
    Column(String),
    /// Token columns, priced row by row while loading.
    TokenColumns { input: String, output: String },
    /// The same token counts for every query, priced after loading.
    AssumedTokens(TokenCounts),
    /// A fixed cost per query for each model.
    PerQuery(Vec<PerQueryCost>),
}

impl CostSource {
    /// Whether the catalog prices anything.
    pub fn needs_catalog(&self) -> bool {
        matches!(
            self,
            CostSource::TokenColumns { .. } | CostSource::AssumedTokens(_)
        )
    }
}

/// A table model priced with assumed tokens: `(table model, catalog model,
/// USD per query)`.
pub type PricedAs = (String, String, f64);

/// Every query of every model costs `tokens` priced on its catalog model.
pub fn fill_assumed_tokens(
    table: &mut OutcomeTable,
    tokens: TokenCounts,
    pricer: &mut CatalogPricer,
) -> Result<Vec<PricedAs>, PriceProblem> {
    let mut priced = Vec::new();
    for m in 0..table.models.len() {
        let name = table.models[m].clone();
        let model = pricer.resolve(&name)?;
        let usd = pricer.cost(&name, tokens.input, tokens.output)?;
        table.costs[m].iter_mut().for_each(|c| *c = usd);
        priced.push((name, model.id.clone(), usd));
    }
    Ok(priced)
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PerQueryError {
    #[error(transparent)]
    NoSuchModel(#[from] NoSuchModel),
    #[error("no cost for {}\n  hint: give one for every model in the table: {}", .missing.join(", "), .models.join(", "))]
    Missing {
        missing: Vec<String>,
        models: Vec<String>,
    },
}

/// Every query of a model costs the model's fixed cost; every cost must
/// name a table model, and every table model needs a cost.
pub fn fill_per_query(
    table: &mut OutcomeTable,
    costs: &[PerQueryCost],
) -> Result<(), PerQueryError> {
    let mut usd = vec![None; table.models.len()];
    for c in costs {
        usd[table.find_model(&c.model)?] = Some(c.usd);
    }
    let missing: Vec<String> = table
        .models
        .iter()
        .zip(&usd)
        .filter(|(_, u)| u.is_none())
        .map(|(m, _)| m.clone())
        .collect();
    if !missing.is_empty() {
        return Err(PerQueryError::Missing {
            missing,
            models: table.models.clone(),
        });
    }
    for (m, u) in usd.into_iter().enumerate() {
        let u = u.expect("checked above");
        table.costs[m].iter_mut().for_each(|c| *c = u);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> OutcomeTable {
        OutcomeTable {
            models: vec!["weak".into(), "strong".into()],
            queries: ["q1", "q2"].into_iter().collect(),
            scores: vec![vec![1.0, 0.0], vec![1.0, 1.0]],
            costs: vec![vec![0.0; 2], vec![0.0; 2]],
            router: None,
            categories: None,
        }
    }

    #[test]
    fn fixed_costs_fill_every_query_of_their_model() {
        let mut t = table();
        let costs = ["weak=0.1".parse().unwrap(), "strong=2".parse().unwrap()];
        fill_per_query(&mut t, &costs).unwrap();
        assert_eq!(t.costs, vec![vec![0.1, 0.1], vec![2.0, 2.0]]);
    }

    #[test]
    fn every_model_needs_a_fixed_cost_and_every_cost_a_model() {
        let mut t = table();
        let err = fill_per_query(&mut t, &["weak=0.1".parse().unwrap()]).unwrap_err();
        assert!(err.to_string().starts_with("no cost for strong\n"), "{err}");
        let err = fill_per_query(&mut t, &["wek=0.1".parse().unwrap()]).unwrap_err();
        assert!(matches!(err, PerQueryError::NoSuchModel(_)), "{err}");
    }

    #[test]
    fn assumed_tokens_price_every_query_alike() {
        let catalog =
            crate::pricing::Catalog::from_sources(&crate::pricing::Catalog::builtin_sources())
                .unwrap();
        let price_as = std::collections::HashMap::from([
            ("weak".to_string(), "gpt-4o-mini".to_string()),
            ("strong".to_string(), "gpt-4o".to_string()),
        ]);
        let mut pricer =
            CatalogPricer::new(&catalog, jiff::civil::Date::constant(2026, 1, 1), &price_as);
        let mut t = table();
        let tokens = TokenCounts {
            input: 1000,
            output: 100,
        };
        let priced = fill_assumed_tokens(&mut t, tokens, &mut pricer).unwrap();
        assert_eq!(priced[1].1, "gpt-4o");
        assert_eq!(t.costs[1], vec![priced[1].2; 2]);
        assert!(priced[0].2 < priced[1].2);
    }
}
