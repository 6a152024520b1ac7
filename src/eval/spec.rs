//! What the user said about an outcome table's columns, as typed values:
//! the layout (long or wide), the query id columns, where costs come from,
//! the score range, row filters. Parsing of the small flag languages
//! (`LO..HI`, `COL=VALUE`, `NAME=COL`, `IN:OUT`) lives here too, so every
//! such flag is checked in one place before a byte of the table is read.

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

/// The range scores are written on; quality is `(score - lo) / (hi - lo)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    pub lo: f64,
    pub hi: f64,
}

impl ScoreRange {
    pub const UNIT: ScoreRange = ScoreRange { lo: 0.0, hi: 1.0 };

    pub fn parse(text: &str) -> Result<ScoreRange, String> {
        let bad =
            || format!("--score-range {text}: expected LO..HI with LO < HI, e.g. 0..1 or 1..10");
        let (lo, hi) = text.split_once("..").ok_or_else(bad)?;
        let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
        let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(bad());
        }
        Ok(ScoreRange { lo, hi })
    }

    /// The normalised score, or `None` outside the range.
    pub fn normalise(&self, score: f64) -> Option<f64> {
        let eps = 1e-9 * (self.hi - self.lo);
        if !(score >= self.lo - eps && score <= self.hi + eps) {
            return None;
        }
        Some(((score - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0))
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

impl Filter {
    pub fn parse(text: &str) -> Result<Filter, String> {
        let (column, value, equal) = if let Some((c, v)) = text.split_once("!=") {
            (c, v, false)
        } else if let Some((c, v)) = text.split_once('=') {
            (c, v, true)
        } else {
            return Err(format!(
                "--where {text}: expected COL=VALUE or COL!=VALUE, e.g. contaminated=0"
            ));
        };
        if column.trim().is_empty() {
            return Err(format!("--where {text}: the column name is empty"));
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
    pub allow_missing: bool,
}

/// `NAME=VALUE` (for `--models`, `--price-as`, `--cost-per-query`); a bare
/// `VALUE` names itself when `bare_ok`.
pub fn pair(flag: &str, text: &str, bare_ok: bool) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        None if bare_ok && !text.trim().is_empty() => {
            Ok((text.trim().to_string(), text.trim().to_string()))
        }
        _ => Err(format!("{flag} {text}: expected NAME=VALUE")),
    }
}

/// `IN:OUT` token counts, e.g. `95:264`.
pub fn tokens(text: &str) -> Result<(u64, u64), String> {
    let bad = || format!("--tokens {text}: expected IN:OUT whole token counts, e.g. 95:264");
    let (i, o) = text.split_once(':').ok_or_else(bad)?;
    Ok((
        i.trim().parse().map_err(|_| bad())?,
        o.trim().parse().map_err(|_| bad())?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_ranges_normalise_and_reject_outsiders() {
        let r = ScoreRange::parse("1..10").unwrap();
        assert_eq!(r.normalise(1.0), Some(0.0));
        assert_eq!(r.normalise(10.0), Some(1.0));
        assert!((r.normalise(5.5).unwrap() - 0.5).abs() < 1e-12);
        assert_eq!(r.normalise(-1.0), None);
        assert_eq!(r.normalise(f64::NAN), None);
        assert!(ScoreRange::parse("1..1").is_err());
        assert!(ScoreRange::parse("0-1").is_err());
    }

    #[test]
    fn filters_read_equal_and_not_equal() {
        assert_eq!(
            Filter::parse("contaminated=0").unwrap(),
            Filter {
                column: "contaminated".into(),
                value: "0".into(),
                equal: true
            }
        );
        assert!(!Filter::parse("score!=-1").unwrap().equal);
        assert!(Filter::parse("nothing").is_err());
    }

    #[test]
    fn pairs_and_tokens() {
        assert_eq!(
            pair("--models", "gpt4=gpt4_correct", true).unwrap(),
            ("gpt4".into(), "gpt4_correct".into())
        );
        assert_eq!(
            pair("--models", "col", true).unwrap(),
            ("col".into(), "col".into())
        );
        assert!(pair("--price-as", "col", false).is_err());
        assert_eq!(tokens("95:264").unwrap(), (95, 264));
        assert!(tokens("95").is_err());
    }
}
