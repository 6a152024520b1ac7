//! Group-by sums with exact money: what `--by model,day,user` adds up per
//! group. Totals merge associatively, so worker threads each keep their own
//! and the results are merged at the end.

use std::collections::HashMap;

use crate::money::Money;

/// A dimension to group by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dim {
    /// The catalog id (aliases and dated snapshots merged), else the logged name.
    Model,
    /// UTC calendar day, `2026-11-28`.
    Day,
    /// ISO week, `2026-W48`.
    Week,
    /// `2026-11`.
    Month,
    /// The service tier the log states.
    Tier,
    /// The input file.
    File,
    /// The `--plan` class a request was assigned to.
    Class,
    /// Any field of the log (a dotted JSON path or a CSV column).
    Field(String),
}

impl std::str::FromStr for Dim {
    type Err = std::convert::Infallible;

    /// A dimension's name; any other name is a field of the log.
    fn from_str(text: &str) -> Result<Dim, Self::Err> {
        Ok(Dim::parse(text.trim()))
    }
}

impl Dim {
    pub fn parse(text: &str) -> Dim {
        match text {
            "model" => Dim::Model,
            "day" | "date" => Dim::Day,
            "week" => Dim::Week,
            "month" => Dim::Month,
            "tier" => Dim::Tier,
            "file" => Dim::File,
            "class" => Dim::Class,
            other => Dim::Field(other.to_string()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Dim::Model => "model",
            Dim::Day => "day",
            Dim::Week => "week",
            Dim::Month => "month",
            Dim::Tier => "tier",
            Dim::File => "file",
            Dim::Class => "class",
            Dim::Field(f) => f,
        }
    }
}

/// Separates the dimensions inside a group key.
pub const SEP: char = '\u{1f}';

/// The sums of one group. The token counts and costs cover the priced
/// requests only; a request that could not be priced (an unknown model, no
/// price on its date or tier) is counted in `not_priced` and its tokens in
/// `not_priced_tokens`, so that cost and tokens always describe the same
/// requests.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Every request, priced or not (`priced + not_priced`).
    pub requests: u64,
    /// Requests not priced (their tokens are in `not_priced_tokens` only).
    pub not_priced: u64,
    /// Prompt plus generated tokens of the unpriced requests.
    pub not_priced_tokens: u64,
    pub input: u64,
    pub cache_read: u64,
    /// Cache writes of both TTLs.
    pub cache_write: u64,
    pub output: u64,
    pub reasoning: u64,
    /// Requests with a computed cost (the rest are unknown or unpriced models).
    pub priced: u64,
    pub cost: Money,
    /// Requests whose log states a cost, that cost, and our cost for them.
    pub logged_requests: u64,
    pub logged: Money,
    pub cost_where_logged: Money,
    /// Requests priced both as logged and in the what-if, and both costs.
    pub what_if_priced: u64,
    pub what_if: Money,
    pub cost_where_what_if: Money,
}

impl Totals {
    pub fn merge(&mut self, o: &Totals) {
        self.requests += o.requests;
        self.not_priced += o.not_priced;
        self.not_priced_tokens += o.not_priced_tokens;
        self.input += o.input;
        self.cache_read += o.cache_read;
        self.cache_write += o.cache_write;
        self.output += o.output;
        self.reasoning += o.reasoning;
        self.priced += o.priced;
        self.cost += o.cost;
        self.logged_requests += o.logged_requests;
        self.logged += o.logged;
        self.cost_where_logged += o.cost_where_logged;
        self.what_if_priced += o.what_if_priced;
        self.what_if += o.what_if;
        self.cost_where_what_if += o.cost_where_what_if;
    }

    /// The logged cost minus ours, over the requests that have both.
    pub fn logged_difference(&self) -> Option<Money> {
        (self.logged_requests > 0).then(|| self.logged - self.cost_where_logged)
    }

    /// What the what-if saves over the requests priced both ways.
    pub fn savings(&self) -> Option<Money> {
        (self.what_if_priced > 0).then(|| self.cost_where_what_if - self.what_if)
    }
}

/// Group key -> totals.
#[derive(Debug, Clone, Default)]
pub struct Groups(pub HashMap<String, Totals>);

impl Groups {
    /// The totals of `key`, inserting a copy of the key only when it is new.
    pub fn entry(&mut self, key: &str) -> &mut Totals {
        if !self.0.contains_key(key) {
            self.0.insert(key.to_string(), Totals::default());
        }
        self.0.get_mut(key).expect("just inserted")
    }

    pub fn merge(&mut self, other: Groups) {
        for (key, totals) in other.0 {
            self.0.entry(key).or_default().merge(&totals);
        }
    }

    /// Rows sorted by their group values, each split into its dimensions.
    pub fn sorted(&self) -> Vec<(Vec<&str>, &Totals)> {
        let mut rows: Vec<(Vec<&str>, &Totals)> = self
            .0
            .iter()
            .map(|(k, t)| (k.split(SEP).collect(), t))
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows
    }

    pub fn total(&self) -> Totals {
        let mut all = Totals::default();
        for t in self.0.values() {
            all.merge(t);
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions_by_name_and_any_other_name_is_a_field() {
        assert_eq!(" date ".parse::<Dim>(), Ok(Dim::Day));
        assert_eq!(
            "metadata.user".parse::<Dim>(),
            Ok(Dim::Field("metadata.user".into()))
        );
        assert_eq!(Dim::Field("team".into()).name(), "team");
    }

    #[test]
    fn merging_is_addition_and_rows_sort_by_their_values() {
        let mut a = Groups::default();
        a.entry("b\u{1f}2026-11-02").requests += 1;
        a.entry("a\u{1f}2026-11-01").cost += Money::from_picos(5);
        let mut b = Groups::default();
        b.entry("a\u{1f}2026-11-01").cost += Money::from_picos(7);
        a.merge(b);
        let rows = a.sorted();
        assert_eq!(rows[0].0, vec!["a", "2026-11-01"]);
        assert_eq!(rows[0].1.cost, Money::from_picos(12));
        assert_eq!(a.total().requests, 1);
    }
}
