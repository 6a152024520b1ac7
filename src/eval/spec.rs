//! What the user said about an outcome table's columns, as typed values:
//! the layout (long or wide), the query id columns, where costs come from,
//! the score range, row filters. The small value languages (`LO..HI`,
//! `COL=VALUE`, `NAME=COL`, `NAME=USD`, `IN:OUT`) are parsed here by
//! `FromStr`, so each is checked before a byte of the table is read; the
//! errors name no flag (the command line adds that).

use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Layout {
    /// A row per (query, model).
    Long { model: String, score: String },
    /// A row per query, a score column per model: `(name, column)`.
    Wide { models: Vec<(String, String)> },
}

/// Costs that the table itself carries, if any.
#[derive(Debug, Clone, PartialEq)]
pub enum CostColumns {
    /// USD per query.
    Usd(String),
    /// Token counts, priced with the catalog row by row.
    Tokens { input: String, output: String },
    /// The table has no costs: they come from flags after loading.
    None,
}

/// The largest magnitude of a score range's ends.
pub const MAX_SCORE: f64 = 1e15;

/// The range scores are written on; quality is `(score - lo) / (hi - lo)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    pub lo: f64,
    pub hi: f64,
}

impl ScoreRange {
    pub const UNIT: ScoreRange = ScoreRange { lo: 0.0, hi: 1.0 };

    /// The normalised score, or `None` outside the range.
    pub fn normalise(&self, score: f64) -> Option<f64> {
        let eps = 1e-9 * (self.hi - self.lo);
        if !(score >= self.lo - eps && score <= self.hi + eps) {
            return None;
        }
        Some(((score - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0))
    }
}

impl FromStr for ScoreRange {
    type Err = String;

    fn from_str(text: &str) -> Result<ScoreRange, String> {
        let bad = || "expected LO..HI with LO < HI, e.g. 0..1 or 1..10".to_string();
        let (lo, hi) = text.split_once("..").ok_or_else(bad)?;
        let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
        let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(bad());
        }
        // A range so wide that every score normalises to the same number
        // (`-1e308..1e308`: the width overflows, every quality is 0).
        if lo.abs().max(hi.abs()) > MAX_SCORE || (hi - lo) < 1e-9 * lo.abs().max(hi.abs()) {
            return Err(format!(
                "LO and HI must lie within ±{MAX_SCORE:e} and apart enough to tell scores apart, e.g. -1..1 or 1..10"
            ));
        }
        Ok(ScoreRange { lo, hi })
    }
}

impl std::fmt::Display for ScoreRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.lo, self.hi)
    }
}

/// Keep a row only if `column` equals (or, with `equal == false`, differs from) `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub column: String,
    pub value: String,
    pub equal: bool,
}

impl FromStr for Filter {
    type Err = String;

    fn from_str(text: &str) -> Result<Filter, String> {
        let (column, value, equal) = if let Some((c, v)) = text.split_once("!=") {
            (c, v, false)
        } else if let Some((c, v)) = text.split_once('=') {
            (c, v, true)
        } else {
            return Err("expected COL=VALUE or COL!=VALUE, e.g. contaminated=0".into());
        };
        if column.trim().is_empty() {
            return Err("the column name is empty".into());
        }
        Ok(Filter {
            column: column.trim().to_string(),
            value: value.trim().to_string(),
            equal,
        })
    }
}

impl std::fmt::Display for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let op = if self.equal { "=" } else { "!=" };
        write!(f, "{}{op}{}", self.column, self.value)
    }
}

/// Everything the loader needs to turn rows into outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSpec {
    pub format: TableFormat,
    pub layout: Layout,
    /// Query id columns, joined with `/`. Empty in wide format: the line number is the id.
    pub query: Vec<String>,
    pub cost: CostColumns,
    pub range: ScoreRange,
    pub filters: Vec<Filter>,
    pub router: Option<String>,
    pub category: Option<String>,
    /// A column whose rows are routed as one item (a multi-turn question).
    pub group: Option<String>,
    pub allow_missing: bool,
}

/// `NAME=VALUE`, both sides non-empty: a table model and what it means (a
/// catalog id to price it as, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub name: String,
    pub value: String,
}

impl FromStr for Named {
    type Err = String;

    fn from_str(text: &str) -> Result<Named, String> {
        match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => Ok(Named {
                name: k.trim().to_string(),
                value: v.trim().to_string(),
            }),
            _ => Err("expected NAME=VALUE".into()),
        }
    }
}

/// A wide table's model and its score column: `NAME=COL`, or a bare `COL`
/// that names itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelColumn(pub Named);

impl FromStr for ModelColumn {
    type Err = String;

    fn from_str(text: &str) -> Result<ModelColumn, String> {
        let bare = text.trim();
        if !text.contains('=') && !bare.is_empty() {
            return Ok(ModelColumn(Named {
                name: bare.to_string(),
                value: bare.to_string(),
            }));
        }
        text.parse().map(ModelColumn)
    }
}

/// `NAME=USD`: a fixed cost per query for a table model.
#[derive(Debug, Clone, PartialEq)]
pub struct PerQueryCost {
    pub model: String,
    pub usd: f64,
}

impl FromStr for PerQueryCost {
    type Err = String;

    fn from_str(text: &str) -> Result<PerQueryCost, String> {
        let Named { name, value } = text.parse()?;
        let usd = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("`{value}` is not a non-negative number of USD"))?;
        Ok(PerQueryCost { model: name, usd })
    }
}

/// `IN:OUT` token counts per query, e.g. `95:264`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenCounts {
    pub input: u64,
    pub output: u64,
}

impl FromStr for TokenCounts {
    type Err = String;

    fn from_str(text: &str) -> Result<TokenCounts, String> {
        let bad = || "expected IN:OUT whole token counts, e.g. 95:264".to_string();
        let (i, o) = text.split_once(':').ok_or_else(bad)?;
        Ok(TokenCounts {
            input: i.trim().parse().map_err(|_| bad())?,
            output: o.trim().parse().map_err(|_| bad())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_ranges_normalise_and_reject_outsiders() {
        let r: ScoreRange = "1..10".parse().unwrap();
        assert_eq!(r.normalise(1.0), Some(0.0));
        assert_eq!(r.normalise(10.0), Some(1.0));
        assert!((r.normalise(5.5).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(r.normalise(-1.0), None);
        assert_eq!(r.normalise(f64::NAN), None);
        assert!("1..1".parse::<ScoreRange>().is_err());
        assert!("0-1".parse::<ScoreRange>().is_err());
    }

    #[test]
    fn filters_read_equal_and_not_equal() {
        assert_eq!(
            "contaminated=0".parse::<Filter>().unwrap(),
            Filter {
                column: "contaminated".into(),
                value: "0".into(),
                equal: true
            }
        );
        assert!(!"score!=-1".parse::<Filter>().unwrap().equal);
        assert!("nothing".parse::<Filter>().is_err());
        assert!("=1".parse::<Filter>().is_err());
    }

    #[test]
    fn pairs_costs_and_tokens() {
        let m: ModelColumn = "gpt4=gpt4_correct".parse().unwrap();
        assert_eq!(
            (m.0.name.as_str(), m.0.value.as_str()),
            ("gpt4", "gpt4_correct")
        );
        let bare: ModelColumn = "col".parse().unwrap();
        assert_eq!(
            (bare.0.name.as_str(), bare.0.value.as_str()),
            ("col", "col")
        );
        assert!("col".parse::<Named>().is_err());
        assert!("a=".parse::<Named>().is_err());
        let c: PerQueryCost = "weak = 0.5".parse().unwrap();
        assert_eq!((c.model.as_str(), c.usd), ("weak", 0.5));
        assert!("weak=-1".parse::<PerQueryCost>().is_err());
        assert_eq!(
            "95:264".parse::<TokenCounts>().unwrap(),
            TokenCounts {
                input: 95,
                output: 264
            }
        );
        assert!("95".parse::<TokenCounts>().is_err());
    }
}
