//! Reads an outcome table from CSV or JSON Lines bytes, long or wide, with
//! the column mapping of a `TableSpec`, into a `TableBuilder`. Rows are
//! streamed and never held (`formats` reads them; this file turns each
//! row's cells into outcomes).
//!
//! Every problem is an `InputError` naming the file, the line and the
//! column, what is wrong and how to fix it. An empty score cell (or a
//! missing JSON field) is a missing outcome, not an error: the table check
//! in `TableBuilder::finish` reports it, or the caller allows missing
//! outcomes and the query is dropped. Hints that point at one of the
//! caller's options are worded by the caller (`Explain`), so no message here
//! names a command-line flag.

pub use super::remedy::{plain, Explain, Remedy};

use super::cell::Cell;
use super::plain_csv::Split;
use super::spec::{CostColumns, Layout, TableFormat, TableSpec};
use super::table::{Categories, Clash, Dropped, Kept, OutcomeTable, TableBuilder};
use crate::source::InputError;

/// Prices one row's token counts; knows the catalog, the date and the stand-ins.
pub trait TokenPricer {
    /// USD for `input` and `output` tokens on table model `model`, or a
    /// message and a hint.
    fn cost(&mut self, model: &str, input: u64, output: u64) -> Result<f64, (String, String)>;
}

/// A loaded table and what loading did to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub table: OutcomeTable,
    /// Data rows read (before filters).
    pub rows: usize,
    /// Rows the `--where` filters left out.
    pub filtered_out: usize,
    pub dropped: Dropped,
    /// The routing group of each query, with a group column.
    pub groups: Option<Categories>,
}

/// Positions of the columns the spec uses, in one list (`cols`).
struct Columns {
    names: Vec<String>,
    query: Vec<usize>,
    model: usize,
    score: usize,
    wide: Vec<(u32, usize)>,
    cost: Option<usize>,
    tokens: Option<(usize, usize)>,
    router: Option<usize>,
    category: Option<usize>,
    group: Option<usize>,
    filters: Vec<usize>,
}

/// Where each column the spec uses sits in one list of names (wide models
/// are registered with the builder on the way).
fn columns(spec: &TableSpec, builder: &mut TableBuilder) -> Columns {
    let mut names: Vec<String> = Vec::new();
    let mut add = |n: &str| -> usize {
        names.iter().position(|x| x == n).unwrap_or_else(|| {
            names.push(n.to_string());
            names.len() - 1
        })
    };
    let (model, score, wide) = match &spec.layout {
        Layout::Long { model, score } => (add(model), add(score), Vec::new()),
        Layout::Wide { models } => {
            let wide = models
                .iter()
                .map(|(name, col)| (builder.model(name), add(col)))
                .collect();
            (usize::MAX, usize::MAX, wide)
        }
    };
    let query = spec.query.iter().map(|c| add(c)).collect();
    let cost = match &spec.cost {
        CostColumns::Usd(c) => Some(add(c)),
        _ => None,
    };
    let tokens = match &spec.cost {
        CostColumns::Tokens { input, output } => Some((add(input), add(output))),
        _ => None,
    };
    let router = spec.router.as_deref().map(&mut add);
    let category = spec.category.as_deref().map(&mut add);
    let group = spec.group.as_deref().map(&mut add);
    let filters = spec.filters.iter().map(|f| add(&f.column)).collect();
    Columns {
        names,
        query,
        model,
        score,
        wide,
        cost,
        tokens,
        router,
        category,
        group,
        filters,
    }
}

pub(super) struct Loader<'a, 'p> {
    spec: &'a TableSpec,
    file: &'a str,
    cols: Columns,
    builder: TableBuilder,
    pricer: Option<&'p mut dyn TokenPricer>,
    pub(super) explain: Explain,
    key: String,
    rows: usize,
    filtered_out: usize,
}

/// Loads `bytes` (the contents of `file`) as the spec says.
pub fn load(
    bytes: &[u8],
    file: &str,
    spec: &TableSpec,
    pricer: Option<&mut dyn TokenPricer>,
    explain: Explain,
) -> Result<Loaded, InputError> {
    read(bytes, file, spec, pricer, explain, true)
}

/// `load`, splitting plain CSV in place if `try_plain` (the other path is
/// kept for files that need it and to test that both read alike).
pub(super) fn read(
    bytes: &[u8],
    file: &str,
    spec: &TableSpec,
    pricer: Option<&mut dyn TokenPricer>,
    explain: Explain,
    try_plain: bool,
) -> Result<Loaded, InputError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError {
            file: file.to_string(),
            line: None,
            key: String::new(),
            message: "the file is empty".into(),
            hint: Some(
                "an outcome table has a header and a row per outcome (long) or per query (wide)"
                    .into(),
            ),
        });
    }
    // Checked once, so that a bad byte is located in the file (line and
    // byte) rather than reported as a cell that is not text.
    let bytes = crate::source::utf8_str(bytes)
        .map_err(|e| InputError {
            file: file.to_string(),
            line: Some(e.line),
            key: String::new(),
            message: format!(
                "byte {} of the line (byte offset {} in the file) is not valid UTF-8",
                e.column, e.offset
            ),
            hint: Some("save the table as UTF-8".into()),
        })?
        .as_bytes();
    let mut loader = Loader::new(spec, file, pricer, explain);
    match spec.format {
        TableFormat::Csv => {
            if loader.csv(bytes, try_plain)? == Split::Ragged {
                // Start again with the `csv` crate, whose error names the
                // ragged row (rows before it load alike both ways).
                let pricer = loader.pricer.take();
                loader = Loader::new(spec, file, pricer, explain);
                loader.csv(bytes, false)?;
            }
        }
        TableFormat::Jsonl => loader.jsonl(bytes)?,
    }
    let (rows, filtered_out) = (loader.rows, loader.filtered_out);
    if loader.builder.model_count() == 0 || rows == filtered_out {
        return Err(loader.error(
            None,
            "",
            "no outcomes: the table has no data rows (after the row filters)".into(),
            Some("check the file and the filters".into()),
        ));
    }
    let (table, groups, dropped) = loader
        .builder
        .finish(
            spec.allow_missing,
            Kept {
                router: spec.router.is_some(),
                category: spec.category.is_some(),
                group: spec.group.is_some(),
            },
        )
        .map_err(|m| InputError {
            file: file.to_string(),
            line: Some(m.query_line as usize),
            key: String::new(),
            message: format!(
                "model `{}` has no outcome for query `{}` (the query first appears here; {} outcome{} missing in all)",
                m.model,
                m.query,
                m.total,
                if m.total == 1 { " is" } else { "s are" }
            ),
            hint: Some(explain(Remedy::AllowMissing)),
        })?;
    if table.queries.is_empty() {
        return Err(InputError {
            file: file.to_string(),
            line: None,
            key: String::new(),
            message: "no query has an outcome from every model".into(),
            hint: Some(explain(Remedy::NothingComplete)),
        });
    }
    Ok(Loaded {
        table,
        rows,
        filtered_out,
        dropped,
        groups,
    })
}

impl<'a, 'p> Loader<'a, 'p> {
    fn new(
        spec: &'a TableSpec,
        file: &'a str,
        pricer: Option<&'p mut dyn TokenPricer>,
        explain: Explain,
    ) -> Self {
        let mut builder = TableBuilder::new();
        let cols = columns(spec, &mut builder);
        Loader {
            spec,
            file,
            cols,
            builder,
            pricer,
            explain,
            key: String::new(),
            rows: 0,
            filtered_out: 0,
        }
    }
}

impl Loader<'_, '_> {
    /// The columns the spec uses, in the order rows hand their cells over.
    pub(super) fn names(&self) -> &[String] {
        &self.cols.names
    }

    pub(super) fn rows_read(&self) -> usize {
        self.rows
    }

    pub(super) fn row(&mut self, cells: &[Cell], line: u32) -> Result<(), InputError> {
        self.rows += 1;
        for (f, &c) in self.spec.filters.iter().zip(&self.cols.filters) {
            if cells[c].matches(&f.value) != f.equal {
                self.filtered_out += 1;
                return Ok(());
            }
        }
        self.key.clear();
        if self.cols.query.is_empty() {
            self.key.push_str(&line.to_string());
        }
        for (i, &c) in self.cols.query.iter().enumerate() {
            if i > 0 {
                self.key.push('/');
            }
            match cells[c] {
                Cell::Missing => {
                    return Err(self.error(
                        Some(line as usize),
                        &self.cols.names[c],
                        "empty query id".into(),
                        Some("every row needs a query id".into()),
                    ))
                }
                cell => self.key.push_str(&cell.as_text()),
            }
        }
        let key = std::mem::take(&mut self.key);
        let q = self.builder.query(&key, line);
        self.key = key;
        if let Some(c) = self.cols.router {
            let value = cells[c].number().filter(|v| v.is_finite()).ok_or_else(|| {
                self.error(
                    Some(line as usize),
                    &self.cols.names[c],
                    format!("router score `{}` is not a number", cells[c].text()),
                    Some("the router score column holds one number per query".into()),
                )
            })?;
            self.builder
                .set_router(q, value, line)
                .map_err(|clash| self.clash(clash, line, c, "router score"))?;
        }
        if let Some(c) = self.cols.category {
            let name = cells[c].as_text();
            self.builder
                .set_category(q, &name, line)
                .map_err(|clash| self.clash(clash, line, c, "category"))?;
        }
        if let Some(c) = self.cols.group {
            let name = cells[c].as_text();
            self.builder
                .set_group(q, &name, line)
                .map_err(|clash| self.clash(clash, line, c, "routing group"))?;
        }
        if self.cols.wide.is_empty() {
            let name = match cells[self.cols.model] {
                Cell::Missing => {
                    return Err(self.error(
                        Some(line as usize),
                        &self.cols.names[self.cols.model],
                        "empty model name".into(),
                        Some("every row names the model it is an outcome of".into()),
                    ))
                }
                cell => cell.as_text(),
            };
            let m = self.builder.model(&name);
            self.outcome(cells, line, q, m, self.cols.score)
        } else {
            for i in 0..self.cols.wide.len() {
                let (m, c) = self.cols.wide[i];
                self.outcome(cells, line, q, m, c)?;
            }
            Ok(())
        }
    }

    fn outcome(
        &mut self,
        cells: &[Cell],
        line: u32,
        q: u32,
        m: u32,
        score_col: usize,
    ) -> Result<(), InputError> {
        let cell = cells[score_col];
        if cell == Cell::Missing {
            return Ok(());
        }
        let at = Some(line as usize);
        let name = &self.cols.names[score_col];
        let raw = cell.number().ok_or_else(|| {
            self.error(
                at,
                name,
                format!("score `{}` is not a number", cell.text()),
                Some((self.explain)(Remedy::ScoreForm)),
            )
        })?;
        let range = self.spec.range;
        let score = range.normalise(raw).ok_or_else(|| {
            self.error(
                at,
                name,
                format!("score {raw} is outside the declared score range {range}"),
                Some((self.explain)(Remedy::ScoreRange)),
            )
        })?;
        let cost = self.row_cost(cells, line, m)?;
        self.builder
            .set(m, q, score, cost, line)
            .map_err(|clash| match clash {
                Clash::Duplicate { first_line } => self.error(
                    at,
                    "",
                    format!(
                        "duplicate outcome for query `{}` on model `{}` (first on line {first_line})",
                        self.key,
                        self.builder.model_name(m)
                    ),
                    Some((self.explain)(Remedy::QueryIds)),
                ),
                other @ Clash::Inconsistent { .. } => self.clash(other, line, score_col, "score"),
            })
    }

    fn row_cost(&mut self, cells: &[Cell], line: u32, m: u32) -> Result<f64, InputError> {
        let at = Some(line as usize);
        if let Some(c) = self.cols.cost {
            return match cells[c].number() {
                Some(usd) if usd.is_finite() && usd >= 0.0 => Ok(usd),
                _ => Err(self.error(
                    at,
                    &self.cols.names[c],
                    format!(
                        "cost `{}` is not a non-negative number of USD",
                        cells[c].text()
                    ),
                    Some("the cost column holds USD per query, e.g. 0.00042".into()),
                )),
            };
        }
        let Some((ci, co)) = self.cols.tokens else {
            return Ok(0.0);
        };
        let count = |c: usize| -> Option<u64> {
            let x = cells[c].number()?;
            (x >= 0.0 && x.fract() == 0.0 && x < 1e15).then_some(x as u64)
        };
        let tokens = |this: &Self, c: usize| {
            count(c).ok_or_else(|| {
                this.error(
                    at,
                    &this.cols.names[c],
                    format!("`{}` is not a token count", cells[c].text()),
                    Some("token counts are whole numbers, 0 or more".into()),
                )
            })
        };
        let (input, output) = (tokens(self, ci)?, tokens(self, co)?);
        let model = self.builder.model_name(m).to_string();
        let Some(pricer) = self.pricer.as_mut() else {
            return Ok(0.0);
        };
        pricer
            .cost(&model, input, output)
            .map_err(|(message, hint)| {
                let key = if self.cols.wide.is_empty() {
                    self.cols.names[self.cols.model].clone()
                } else {
                    String::new()
                };
                self.error(at, &key, message, Some(hint))
            })
    }

    fn clash(&self, clash: Clash, line: u32, col: usize, what: &str) -> InputError {
        let (first_line, first) = match clash {
            Clash::Inconsistent { first_line, first } => (first_line, first),
            Clash::Duplicate { first_line } => (first_line, String::new()),
        };
        self.error(
            Some(line as usize),
            &self.cols.names[col],
            format!(
                "query `{}` has a different {what} here than on line {first_line} (`{first}`)",
                self.key
            ),
            Some(format!(
                "a query has one {what}; fix the rows so they agree"
            )),
        )
    }

    pub(super) fn unknown_column(
        &self,
        name: &str,
        header: &[String],
        has: &str,
        line: Option<usize>,
    ) -> InputError {
        let near = crate::suggest::closest(name, header.iter().map(String::as_str), 1);
        let hint = format!(
            "{}{has}: {}",
            crate::suggest::did_you_mean(&near),
            header.join(", ")
        );
        self.error(line, name, format!("no column `{name}`"), Some(hint))
    }

    pub(super) fn error(
        &self,
        line: Option<usize>,
        key: &str,
        message: String,
        hint: Option<String>,
    ) -> InputError {
        InputError {
            file: self.file.to_string(),
            line,
            key: key.to_string(),
            message,
            hint,
        }
    }
}
