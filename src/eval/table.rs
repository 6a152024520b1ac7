//! An outcome table in memory: for every query and model, a score
//! normalised to 0..1 and a cost in USD, stored column by column (one array
//! per model, indexed by query) so that the metrics run over contiguous
//! arrays. Query ids and model names are interned once while loading.
//!
//! `TableBuilder` owns the rules a table must keep: one outcome per (query,
//! model); a router score and a category that do not change within a query;
//! and, unless the caller allows it, an outcome for every model on every
//! query. It knows nothing of files: the loaders give it line numbers.

pub use super::intern::Ids;
use super::intern::{Interned, Interner, Labels};

/// A complete table: every model has an outcome for every query.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeTable {
    /// In the order they first appear.
    pub models: Vec<String>,
    /// In the order they first appear.
    pub queries: Ids,
    /// `scores[model][query]`, normalised to 0..1.
    pub scores: Vec<Vec<f64>>,
    /// `costs[model][query]`, USD for that query on that model.
    pub costs: Vec<Vec<f64>>,
    /// A router's score per query, if the table has one.
    pub router: Option<Vec<f64>>,
    /// Category names and each query's category index, if the table has them.
    pub categories: Option<Categories>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Categories {
    pub names: Vec<String>,
    pub of_query: Vec<u32>,
}

/// A model name the table does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no model `{name}` in the table\n  hint: {}the table's models are: {}", crate::suggest::did_you_mean(&self.near()), .models.join(", "))]
pub struct NoSuchModel {
    pub name: String,
    pub models: Vec<String>,
}

impl NoSuchModel {
    fn near(&self) -> Vec<&str> {
        crate::suggest::closest(&self.name, self.models.iter().map(String::as_str), 1)
    }
}

impl OutcomeTable {
    pub fn model_index(&self, name: &str) -> Option<usize> {
        self.models.iter().position(|m| m == name)
    }

    /// The index of model `name`, or an error listing the table's models.
    pub fn find_model(&self, name: &str) -> Result<usize, NoSuchModel> {
        self.model_index(name).ok_or_else(|| NoSuchModel {
            name: name.to_string(),
            models: self.models.clone(),
        })
    }

    pub fn n_queries(&self) -> usize {
        self.queries.len()
    }
}

/// Why a row could not be added.
#[derive(Debug, Clone, PartialEq)]
pub enum Clash {
    /// The (query, model) pair already has an outcome, from this line.
    Duplicate { first_line: u32 },
    /// The query already has a different value, first given on this line.
    Inconsistent { first_line: u32, first: String },
}

/// A model with no outcome for a query (the first one found).
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub query: String,
    pub model: String,
    /// The line on which the query first appears.
    pub query_line: u32,
    /// How many (query, model) outcomes are missing in all.
    pub total: usize,
}

/// What `--allow-missing` left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dropped {
    pub queries: usize,
    pub example: Option<Missing>,
}

/// Which per-query columns the table has, to keep when it is finished.
#[derive(Debug, Default, Clone, Copy)]
pub struct Kept {
    pub router: bool,
    pub category: bool,
    pub group: bool,
}

#[derive(Debug, Default, Clone)]
pub struct TableBuilder {
    queries: Interner,
    query_line: Vec<u32>,
    model_index: Interned,
    models: Vec<String>,
    scores: Vec<Vec<f64>>,
    costs: Vec<Vec<f64>>,
    /// The line that set each outcome; 0 while missing.
    lines: Vec<Vec<u32>>,
    router: Vec<f64>,
    router_line: Vec<u32>,
    category: Labels,
    group: Labels,
}

impl TableBuilder {
    pub fn new() -> TableBuilder {
        TableBuilder::default()
    }

    /// The index of query `id`, adding it (first seen on `line`) if new.
    pub fn query(&mut self, id: &str, line: u32) -> u32 {
        let (q, new) = self.queries.intern(id);
        if !new {
            return q;
        }
        self.query_line.push(line);
        for m in 0..self.models.len() {
            self.scores[m].push(f64::NAN);
            self.costs[m].push(0.0);
            self.lines[m].push(0);
        }
        self.router.push(f64::NAN);
        self.router_line.push(0);
        self.category.push_query();
        self.group.push_query();
        q
    }

    /// The index of model `name`, adding it if new.
    pub fn model(&mut self, name: &str) -> u32 {
        if let Some(&m) = self.model_index.get(name) {
            return m;
        }
        let m = self.models.len() as u32;
        self.model_index.insert(name.into(), m);
        self.models.push(name.to_string());
        let n = self.queries.ids.len();
        self.scores.push(vec![f64::NAN; n]);
        self.costs.push(vec![0.0; n]);
        self.lines.push(vec![0; n]);
        m
    }

    pub fn model_count(&self) -> usize {
        self.models.len()
    }

    pub fn model_name(&self, m: u32) -> &str {
        &self.models[m as usize]
    }

    pub fn set(&mut self, m: u32, q: u32, score: f64, cost: f64, line: u32) -> Result<(), Clash> {
        let (m, q) = (m as usize, q as usize);
        let first_line = self.lines[m][q];
        if first_line != 0 {
            return Err(Clash::Duplicate { first_line });
        }
        self.scores[m][q] = score;
        self.costs[m][q] = cost;
        self.lines[m][q] = line;
        Ok(())
    }

    pub fn set_router(&mut self, q: u32, value: f64, line: u32) -> Result<(), Clash> {
        let q = q as usize;
        let old = self.router[q];
        if self.router_line[q] == 0 {
            self.router[q] = value;
            self.router_line[q] = line;
            Ok(())
        } else if old == value {
            Ok(())
        } else {
            Err(Clash::Inconsistent {
                first_line: self.router_line[q],
                first: old.to_string(),
            })
        }
    }

    pub fn set_category(&mut self, q: u32, name: &str, line: u32) -> Result<(), Clash> {
        self.category.set(q, name, line)
    }

    pub fn set_group(&mut self, q: u32, name: &str, line: u32) -> Result<(), Clash> {
        self.group.set(q, name, line)
    }

    /// Every query with an outcome from every model, or the first gap.
    /// With `allow_missing`, incomplete queries are left out instead and
    /// counted in `Dropped`.
    pub fn finish(
        self,
        allow_missing: bool,
        kept: Kept,
    ) -> Result<(OutcomeTable, Option<Categories>, Dropped), Missing> {
        let n = self.queries.ids.len();
        let complete: Vec<bool> = (0..n)
            .map(|q| self.lines.iter().all(|l| l[q] != 0))
            .collect();
        let gaps: usize = self
            .lines
            .iter()
            .map(|l| l.iter().filter(|&&x| x == 0).count())
            .sum();
        let mut dropped = Dropped::default();
        if let Some(q) = complete.iter().position(|c| !c) {
            let m = (0..self.models.len())
                .find(|&m| self.lines[m][q] == 0)
                .unwrap_or(0);
            let missing = Missing {
                query: self.queries.ids.get(q).to_string(),
                model: self.models[m].clone(),
                query_line: self.query_line[q],
                total: gaps,
            };
            if !allow_missing {
                return Err(missing);
            }
            dropped = Dropped {
                queries: complete.iter().filter(|c| !**c).count(),
                example: Some(missing),
            };
        }
        let all = dropped.queries == 0;
        // A complete table (the usual case) is handed over as it is.
        let keep = |v: Vec<f64>| -> Vec<f64> {
            if all {
                return v;
            }
            v.iter()
                .zip(&complete)
                .filter(|(_, c)| **c)
                .map(|(x, _)| *x)
                .collect()
        };
        let queries = if all {
            self.queries.ids
        } else {
            self.queries.ids.keep(&complete)
        };
        let router = kept.router.then(|| keep(self.router));
        let categories = kept.category.then(|| self.category.keep(&complete));
        let groups = kept.group.then(|| self.group.keep(&complete));
        let table = OutcomeTable {
            scores: self.scores.into_iter().map(keep).collect(),
            costs: self.costs.into_iter().map(keep).collect(),
            models: self.models,
            queries,
            router,
            categories,
        };
        Ok((table, groups, dropped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_model_suggests_the_nearest_and_lists_them_all() {
        let t = OutcomeTable {
            models: vec!["mixtral".into(), "gpt4".into()],
            queries: ["q"].into_iter().collect(),
            scores: vec![vec![1.0], vec![1.0]],
            costs: vec![vec![0.1], vec![1.0]],
            router: None,
            categories: None,
        };
        assert_eq!(t.find_model("gpt4"), Ok(1));
        let err = t.find_model("mixtrl").unwrap_err().to_string();
        assert_eq!(
            err,
            "no model `mixtrl` in the table\n  hint: did you mean `mixtral`? the table's models are: mixtral, gpt4"
        );
    }

    #[test]
    fn a_second_outcome_for_the_same_query_and_model_is_a_duplicate() {
        let mut b = TableBuilder::new();
        let (q, m) = (b.query("q1", 2), b.model("a"));
        assert_eq!(b.set(m, q, 1.0, 0.1, 2), Ok(()));
        assert_eq!(
            b.set(m, q, 0.0, 0.1, 5),
            Err(Clash::Duplicate { first_line: 2 })
        );
    }

    #[test]
    fn a_missing_outcome_is_refused_or_dropped() {
        let mut b = TableBuilder::new();
        for (id, line) in [("q1", 2), ("q2", 3)] {
            let q = b.query(id, line);
            let m = b.model("a");
            b.set(m, q, 1.0, 0.1, line).unwrap();
        }
        let q = b.query("q1", 2);
        let m = b.model("b");
        b.set(m, q, 0.0, 0.2, 4).unwrap();
        let err = b.clone().finish(false, Kept::default()).unwrap_err();
        assert_eq!(
            (err.query.as_str(), err.model.as_str(), err.query_line),
            ("q2", "b", 3)
        );
        let (table, _, dropped) = b.finish(true, Kept::default()).unwrap();
        assert_eq!(table.queries.iter().collect::<Vec<_>>(), ["q1"]);
        assert_eq!(table.scores, vec![vec![1.0], vec![0.0]]);
        assert_eq!(dropped.queries, 1);
    }

    #[test]
    fn a_router_score_must_not_change_within_a_query() {
        let mut b = TableBuilder::new();
        let q = b.query("q1", 2);
        b.set_router(q, 0.3, 2).unwrap();
        b.set_router(q, 0.3, 3).unwrap();
        assert_eq!(
            b.set_router(q, 0.4, 4),
            Err(Clash::Inconsistent {
                first_line: 2,
                first: "0.3".into()
            })
        );
    }
}
