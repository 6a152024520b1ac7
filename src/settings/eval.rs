//! Settings of `cost eval`: the table spec, where costs come from, the
//! routers to measure. Model names can only be checked once the table is
//! loaded, so `fill_costs` and `options` finish the resolution then. Flag
//! names appear in these errors and hints, and nowhere in `eval/`.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{bail, Context as _};
use jiff::civil::Date;

use crate::cli::{EvalArgs, GlobalArgs, TableArgs};
use crate::eval::cascade_replay::AcceptRule;
use crate::eval::costs::{fill_assumed_tokens, fill_per_query, CostSource, PricedAs};
use crate::eval::evaluate::{default_pair, EvalOptions};
use crate::eval::load::Remedy;
use crate::eval::price::{CatalogPricer, PriceProblem};
use crate::eval::{CostColumns, Layout, OutcomeTable, TableFormat, TableSpec, TokenPricer};
use crate::output::Printer;
use crate::pricing::Catalog;

pub struct EvalSettings {
    pub printer: Printer,
    /// The outcome table's path; `-` is stdin.
    pub table: PathBuf,
    pub spec: TableSpec,
    pub costs: CostSource,
    /// Loaded when the catalog prices anything.
    pub catalog: Option<Catalog>,
    /// Table model -> the catalog id it is priced as.
    pub price_as: HashMap<String, String>,
    pub date: Date,
    /// The options, before model names are looked up in the table.
    options: EvalOptions,
    weak: Option<String>,
    strong: Option<String>,
    baseline: Option<String>,
    cascades: Vec<Vec<String>>,
    pub router_column: Option<String>,
    pub curves: bool,
    pub plot: Option<PathBuf>,
}

impl EvalSettings {
    /// `cost eval` without `--router` (with it, see `RouterEvalSettings`).
    pub fn resolve(args: &EvalArgs, global: &GlobalArgs) -> anyhow::Result<EvalSettings> {
        let l = &args.learned;
        let flag = [
            (l.text.is_some(), "--text"),
            (l.threshold.is_some(), "--threshold"),
            (l.scenario.is_some(), "--scenario"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag));
        if let Some(flag) = flag {
            bail!("{flag} belongs to a learned router\n  hint: name its model file with --router router.json (from `cost router train`)");
        }
        EvalSettings::resolve_table(args, global)
    }

    /// Everything but the learned router's flags.
    pub(super) fn resolve_table(
        args: &EvalArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<EvalSettings> {
        let spec = spec(args)?;
        let costs = cost_source(args)?;
        let price_as = args
            .price_as
            .iter()
            .map(|p| (p.name.clone(), p.value.clone()))
            .collect();
        let options = check_options(args)?;
        let catalog = if costs.needs_catalog() {
            Some(super::catalog(global)?)
        } else {
            None
        };
        let cascades = args
            .cascade
            .iter()
            .map(|c| {
                let stages: Vec<String> = c.split(',').map(|m| m.trim().to_string()).collect();
                if stages.len() < 2 {
                    bail!("--cascade {c}: a cascade needs at least two models, e.g. --cascade cheap,strong");
                }
                Ok(stages)
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(EvalSettings {
            printer: super::printer(global),
            table: args.input.table.clone(),
            spec,
            costs,
            catalog,
            price_as,
            date: super::date(args.at, None),
            options,
            weak: args.weak.clone(),
            strong: args.strong.clone(),
            baseline: args.baseline.clone(),
            cascades,
            router_column: args.router_score.clone(),
            curves: args.curves,
            plot: args.plot.clone(),
        })
    }

    /// The price date, when the catalog priced anything.
    pub fn price_date(&self) -> Option<Date> {
        self.costs.needs_catalog().then_some(self.date)
    }

    /// What prices token columns row by row while the table loads.
    pub fn row_pricer(&self) -> Option<RowPricer<'_>> {
        match (&self.costs, &self.catalog) {
            (CostSource::TokenColumns { .. }, Some(c)) => {
                Some(RowPricer(CatalogPricer::new(c, self.date, &self.price_as)))
            }
            _ => None,
        }
    }

    /// Fills in the costs the loaded table lacks; returns how each model
    /// was priced when tokens were assumed.
    pub fn fill_costs(&self, table: &mut OutcomeTable) -> anyhow::Result<Vec<PricedAs>> {
        for name in self.price_as.keys() {
            table.find_model(name).context("--price-as")?;
        }
        match (&self.costs, &self.catalog) {
            (CostSource::AssumedTokens(tokens), Some(c)) => {
                let mut pricer = CatalogPricer::new(c, self.date, &self.price_as);
                fill_assumed_tokens(table, *tokens, &mut pricer)
                    .map_err(|p| anyhow::anyhow!("{p}\n  hint: {}", price_hint(&p)))
            }
            (CostSource::PerQuery(costs), _) => {
                fill_per_query(table, costs).context("--cost-per-query")?;
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The evaluation options, with `--weak`, `--strong`, `--baseline` and
    /// `--cascade` looked up in the loaded table.
    pub fn options(&self, table: &OutcomeTable) -> anyhow::Result<EvalOptions> {
        let find = |name: &Option<String>, flag: &str| -> anyhow::Result<Option<usize>> {
            name.as_deref()
                .map(|n| table.find_model(n).context(flag.to_string()))
                .transpose()
        };
        let cascades = self
            .cascades
            .iter()
            .map(|stages| {
                stages
                    .iter()
                    .map(|m| table.find_model(m).context("--cascade"))
                    .collect::<anyhow::Result<Vec<usize>>>()
            })
            .collect::<anyhow::Result<_>>()?;
        let (weak, strong) = (find(&self.weak, "--weak")?, find(&self.strong, "--strong")?);
        if let Some(name) = self.weak.as_ref().or(self.strong.as_ref()) {
            let (w0, s0) = default_pair(table);
            if weak.unwrap_or(w0) == strong.unwrap_or(s0) {
                bail!("--weak and --strong both name `{name}`: PGR, APGR and CPT compare two models\n  hint: name two different models of the table: {}", table.models.join(", "));
            }
        }
        Ok(EvalOptions {
            weak,
            strong,
            baseline: find(&self.baseline, "--baseline")?,
            cascades,
            ..self.options.clone()
        })
    }
}

/// Prices token columns with the catalog; its hints name the flags.
pub struct RowPricer<'a>(CatalogPricer<'a>);

impl TokenPricer for RowPricer<'_> {
    fn cost(&mut self, model: &str, input: u64, output: u64) -> Result<f64, (String, String)> {
        self.0
            .cost(model, input, output)
            .map_err(|p| (p.to_string(), price_hint(&p)))
    }
}

fn price_hint(problem: &PriceProblem) -> String {
    match problem {
        PriceProblem::UnknownModel {
            model, suggestions, ..
        } => {
            let near: Vec<&str> = suggestions.iter().map(String::as_str).collect();
            format!(
                "{}`cost models` lists every id; price `{model}` as a catalog model with --price-as {model}=ID, add a sheet with --pricing, or give --cost-per-query {model}=USD",
                crate::suggest::did_you_mean(&near)
            )
        }
        PriceProblem::NoPrice(_) => {
            "choose another date with --at, or another stand-in with --price-as".into()
        }
    }
}

/// The hints of table-loading errors, with the flags that fix them.
pub fn load_hint(remedy: Remedy) -> String {
    match remedy {
        Remedy::AllowMissing => "every model needs an outcome for every query; add the rows, or pass --allow-missing to evaluate only the queries every model answered",
        Remedy::NothingComplete => "--allow-missing keeps only complete queries, and none is",
        Remedy::ScoreForm => "scores are numbers on --score-range, or true/false for a correct flag",
        Remedy::ScoreRange => "declare the range with --score-range LO..HI (MT-Bench judge scores are 1..10), or leave such rows out with --where COL!=VALUE",
        Remedy::QueryIds => "each (query, model) pair appears once; average repeated runs first, or add the run to the query id (--query id,run)",
    }
    .to_string()
}

/// The table spec the shared table flags give, without costs, router
/// scores, categories or groups (`cost eval` adds those).
pub fn table_spec(t: &TableArgs) -> anyhow::Result<TableSpec> {
    let format = match t.input_format {
        Some(format) => format,
        None => match t.table.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson") => {
                TableFormat::Jsonl
            }
            _ => TableFormat::Csv,
        },
    };
    let layout = if t.wide {
        if t.models.is_empty() {
            bail!("--wide needs --models: the score column of each model, e.g. --models gpt4=gpt4_correct,mixtral=mixtral_correct");
        }
        let models: Vec<(String, String)> = t
            .models
            .iter()
            .map(|m| (m.0.name.clone(), m.0.value.clone()))
            .collect();
        for (i, (name, _)) in models.iter().enumerate() {
            if models[..i].iter().any(|(n, _)| n == name) {
                bail!("--models: `{name}` is named twice");
            }
        }
        Layout::Wide { models }
    } else {
        if !t.models.is_empty() {
            bail!("--models names the score columns of a wide table\n  hint: add --wide, or name the long table's model column with --model");
        }
        Layout::Long {
            model: t.model.clone(),
            score: t.score.clone(),
        }
    };
    let query = if t.query.is_empty() && !t.wide {
        vec!["query".to_string()]
    } else {
        t.query.clone()
    };
    Ok(TableSpec {
        format,
        layout,
        query,
        cost: CostColumns::None,
        range: t.score_range,
        filters: t.filters.clone(),
        router: None,
        category: None,
        group: None,
        allow_missing: t.allow_missing,
    })
}

fn spec(args: &EvalArgs) -> anyhow::Result<TableSpec> {
    if args.input.wide && (args.cost.is_some() || args.input_tokens.is_some()) {
        bail!("a wide table has no per-model cost or token columns here\n  hint: give --cost-per-query NAME=USD for each model, or --tokens IN:OUT to price them with the catalog");
    }
    let cost = match (&args.cost, &args.input_tokens, &args.output_tokens) {
        (Some(c), _, _) => CostColumns::Usd(c.clone()),
        (None, Some(i), Some(o)) => CostColumns::Tokens {
            input: i.clone(),
            output: o.clone(),
        },
        _ => CostColumns::None,
    };
    Ok(TableSpec {
        cost,
        router: args.router_score.clone(),
        category: args.category.clone(),
        group: args.group.clone(),
        ..table_spec(&args.input)?
    })
}

fn cost_source(args: &EvalArgs) -> anyhow::Result<CostSource> {
    let mut found = Vec::new();
    if let Some(c) = &args.cost {
        found.push(CostSource::Column(c.clone()));
    }
    if let (Some(i), Some(o)) = (&args.input_tokens, &args.output_tokens) {
        found.push(CostSource::TokenColumns {
            input: i.clone(),
            output: o.clone(),
        });
    }
    if let Some(t) = args.tokens {
        found.push(CostSource::AssumedTokens(t));
    }
    if !args.cost_per_query.is_empty() {
        let costs = &args.cost_per_query;
        for (i, c) in costs.iter().enumerate() {
            if costs[..i].iter().any(|d| d.model == c.model) {
                bail!("--cost-per-query: `{}` is given twice", c.model);
            }
        }
        found.push(CostSource::PerQuery(costs.clone()));
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("the table's costs are not given\n  hint: name a cost column (--cost COL), token columns to price (--input-tokens COL --output-tokens COL), assumed tokens to price (--tokens IN:OUT), or fixed costs (--cost-per-query NAME=USD)"),
        _ => bail!("costs are given more than one way\n  hint: use one of --cost, --input-tokens/--output-tokens, --tokens or --cost-per-query"),
    }
}

fn check_options(args: &EvalArgs) -> anyhow::Result<EvalOptions> {
    let unit = |flag: &str, v: f64| -> anyhow::Result<f64> {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            bail!("{flag} {v}: must be between 0 and 1")
        }
    };
    for &auc in &args.auc {
        if !(auc > 0.0 && auc <= 1.0) {
            bail!("--auc {auc}: an AUC is above 0 and at most 1 (0.5 is a coin flip)");
        }
    }
    if !(args.verifier_cost.is_finite() && args.verifier_cost >= 0.0) {
        bail!(
            "--verifier-cost {}: must be a non-negative number of USD",
            args.verifier_cost
        );
    }
    Ok(EvalOptions {
        weak: None,
        strong: None,
        baseline: None,
        aucs: args.auc.clone(),
        cascades: Vec::new(),
        verifier: AcceptRule {
            accept_correct: unit("--accept-correct", args.accept_correct)?,
            accept_wrong: unit("--accept-wrong", args.accept_wrong)?,
            cost: args.verifier_cost,
        },
        pass: unit("--pass", args.pass_score)?,
        protocol: args.protocol.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn settings(args: &[&str]) -> anyhow::Result<EvalSettings> {
        let cli = crate::cli::Cli::try_parse_from([&["cost", "eval"], args].concat())?;
        let crate::cli::Command::Eval(eval) = &cli.command else {
            unreachable!()
        };
        EvalSettings::resolve(eval, &cli.global)
    }

    #[test]
    fn costs_must_be_given_exactly_one_way() {
        let err = settings(&["t.csv"]).err().unwrap().to_string();
        assert!(err.contains("costs are not given"), "{err}");
        let err = settings(&["t.csv", "--cost", "usd", "--tokens", "1:2"])
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("more than one way"), "{err}");
        let s = settings(&["t.jsonl", "--tokens", "95:264"]).unwrap();
        assert!(matches!(s.costs, CostSource::AssumedTokens(t) if t.input == 95));
        assert_eq!(s.spec.format, TableFormat::Jsonl);
    }

    #[test]
    fn a_model_named_twice_is_refused() {
        let err = settings(&[
            "t.csv",
            "--cost-per-query",
            "a=1",
            "--cost-per-query",
            "a=2",
        ])
        .err()
        .unwrap()
        .to_string();
        assert_eq!(err, "--cost-per-query: `a` is given twice");
    }
}
