//! `cost eval TABLE`: evaluate models and routers on a table of per-query
//! outcomes. Resolves the flags into a `TableSpec` and cost source, loads
//! the table, fills in costs the table lacks, runs `eval::evaluate` and
//! renders it (`report`) and, on request, a chart (`chart`).

mod chart;
mod report;

use std::collections::HashMap;
use std::io::Read as _;

use anyhow::{bail, Context as _};

use crate::cli::{EvalArgs, GlobalArgs};
use crate::eval::cascade_replay::AcceptRule;
use crate::eval::evaluate::{evaluate, EvalOptions};
use crate::eval::price::CatalogPricer;
use crate::eval::spec::{pair, tokens};
use crate::eval::{load, CostColumns, Filter, Layout, ScoreRange, TableFormat, TableSpec};
use crate::output::write_file;
use crate::settings;
use crate::source::SourceError;

/// Where the costs of a table's outcomes come from, for the notes.
pub enum CostSource {
    Column(String),
    TokenColumns { input: String, output: String },
    AssumedTokens { input: u64, output: u64 },
    PerQuery,
}

pub fn run(args: &EvalArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let spec = spec(args)?;
    let source = cost_source(args)?;
    let price_as: HashMap<String, String> = args
        .price_as
        .iter()
        .map(|p| pair("--price-as", p, false))
        .collect::<Result<_, _>>()
        .map_err(anyhow::Error::msg)?;
    let options = check_options(args)?;
    let needs_catalog = matches!(
        source,
        CostSource::TokenColumns { .. } | CostSource::AssumedTokens { .. }
    );
    let catalog = if needs_catalog {
        Some(settings::catalog(global)?)
    } else {
        None
    };
    let date = settings::date(args.at, None);
    let (bytes, file) = read(&args.table)?;
    let mut loaded = match &catalog {
        Some(c) if matches!(source, CostSource::TokenColumns { .. }) => {
            let mut pricer = CatalogPricer::new(c, date, &price_as);
            load(&bytes, &file, &spec, Some(&mut pricer))?
        }
        _ => load(&bytes, &file, &spec, None)?,
    };
    drop(bytes);
    let table = &mut loaded.table;
    for name in price_as.keys() {
        model_index(table, name, "--price-as")?;
    }
    let mut priced_as: Vec<(String, String, f64)> = Vec::new();
    match &source {
        CostSource::AssumedTokens { input, output } => {
            let c = catalog.as_ref().context("the catalog is loaded")?;
            let mut pricer = CatalogPricer::new(c, date, &price_as);
            for m in 0..table.models.len() {
                let name = table.models[m].clone();
                let model = pricer
                    .resolve(&name)
                    .map_err(|(msg, hint)| anyhow::anyhow!("{msg}\n  hint: {hint}"))?;
                let usd = crate::eval::TokenPricer::cost(&mut pricer, &name, *input, *output)
                    .map_err(|(msg, hint)| anyhow::anyhow!("{msg}\n  hint: {hint}"))?;
                table.costs[m].iter_mut().for_each(|c| *c = usd);
                priced_as.push((name, model.id.clone(), usd));
            }
        }
        CostSource::PerQuery => {
            let given: HashMap<String, f64> = per_query_costs(&args.cost_per_query)?;
            for name in given.keys() {
                model_index(table, name, "--cost-per-query")?;
            }
            let missing: Vec<&str> = table
                .models
                .iter()
                .filter(|m| !given.contains_key(*m))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                bail!("--cost-per-query: no cost for {}\n  hint: give one for every model in the table: {}", missing.join(", "), table.models.join(", "));
            }
            for m in 0..table.models.len() {
                let usd = given[&table.models[m]];
                table.costs[m].iter_mut().for_each(|c| *c = usd);
            }
        }
        _ => {}
    }
    let find = |name: &Option<String>, flag: &str| -> anyhow::Result<Option<usize>> {
        name.as_deref()
            .map(|n| model_index(&loaded.table, n, flag))
            .transpose()
    };
    let cascades = args
        .cascade
        .iter()
        .map(|c| {
            let stages: Vec<usize> = c
                .split(',')
                .map(|m| model_index(&loaded.table, m.trim(), "--cascade"))
                .collect::<anyhow::Result<_>>()?;
            if stages.len() < 2 {
                bail!("--cascade {c}: a cascade needs at least two models, e.g. --cascade cheap,strong");
            }
            Ok(stages)
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let options = EvalOptions {
        weak: find(&args.weak, "--weak")?,
        strong: find(&args.strong, "--strong")?,
        baseline: find(&args.baseline, "--baseline")?,
        cascades,
        ..options
    };
    let evaluation = evaluate(&loaded.table, &options);
    let context = report::Context {
        file: &file,
        spec: &spec,
        source: &source,
        priced_as: &priced_as,
        date: needs_catalog.then_some(date),
        options: &options,
        router_column: args.router_score.as_deref(),
        curves: args.curves,
    };
    if let Some(path) = &args.plot {
        let svg = chart::render(&loaded.table, &evaluation, &file)?;
        write_file(path, svg.as_bytes(), &printer)?;
    }
    printer.emit(&report::build(&loaded, &evaluation, &context))
}

fn spec(args: &EvalArgs) -> anyhow::Result<TableSpec> {
    let format = match args.input_format {
        Some(format) => format,
        None => match args.table.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson") => {
                TableFormat::Jsonl
            }
            _ => TableFormat::Csv,
        },
    };
    let layout = if args.wide {
        if args.models.is_empty() {
            bail!("--wide needs --models: the score column of each model, e.g. --models gpt4=gpt4_correct,mixtral=mixtral_correct");
        }
        let models: Vec<(String, String)> = args
            .models
            .iter()
            .map(|m| pair("--models", m, true))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?;
        for (i, (name, _)) in models.iter().enumerate() {
            if models[..i].iter().any(|(n, _)| n == name) {
                bail!("--models: `{name}` is named twice");
            }
        }
        if args.cost.is_some() || args.input_tokens.is_some() {
            bail!("a wide table has no per-model cost or token columns here\n  hint: give --cost-per-query NAME=USD for each model, or --tokens IN:OUT to price them with the catalog");
        }
        Layout::Wide { models }
    } else {
        if !args.models.is_empty() {
            bail!("--models names the score columns of a wide table\n  hint: add --wide, or name the long table's model column with --model");
        }
        Layout::Long {
            model: args.model.clone(),
            score: args.score.clone(),
        }
    };
    let query = if args.query.is_empty() && !args.wide {
        vec!["query".to_string()]
    } else {
        args.query.clone()
    };
    let cost = match (&args.cost, &args.input_tokens, &args.output_tokens) {
        (Some(c), _, _) => CostColumns::Usd(c.clone()),
        (None, Some(i), Some(o)) => CostColumns::Tokens {
            input: i.clone(),
            output: o.clone(),
        },
        _ => CostColumns::None,
    };
    Ok(TableSpec {
        format,
        layout,
        query,
        cost,
        range: ScoreRange::parse(&args.score_range).map_err(anyhow::Error::msg)?,
        filters: args
            .filters
            .iter()
            .map(|f| Filter::parse(f))
            .collect::<Result<_, _>>()
            .map_err(anyhow::Error::msg)?,
        router: args.router_score.clone(),
        category: args.category.clone(),
        allow_missing: args.allow_missing,
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
    if let Some(t) = &args.tokens {
        let (input, output) = tokens(t).map_err(anyhow::Error::msg)?;
        found.push(CostSource::AssumedTokens { input, output });
    }
    if !args.cost_per_query.is_empty() {
        found.push(CostSource::PerQuery);
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => bail!("the table's costs are not given\n  hint: name a cost column (--cost COL), token columns to price (--input-tokens COL --output-tokens COL), assumed tokens to price (--tokens IN:OUT), or fixed costs (--cost-per-query NAME=USD)"),
        _ => bail!("costs are given more than one way\n  hint: use one of --cost, --input-tokens/--output-tokens, --tokens or --cost-per-query"),
    }
}

fn per_query_costs(flags: &[String]) -> anyhow::Result<HashMap<String, f64>> {
    let mut out = HashMap::new();
    for f in flags {
        let (name, usd) = pair("--cost-per-query", f, false).map_err(anyhow::Error::msg)?;
        let value: f64 = usd
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .with_context(|| {
                format!("--cost-per-query {f}: `{usd}` is not a non-negative number of USD")
            })?;
        if out.insert(name.clone(), value).is_some() {
            bail!("--cost-per-query: `{name}` is given twice");
        }
    }
    Ok(out)
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
    })
}

fn model_index(table: &crate::eval::OutcomeTable, name: &str, flag: &str) -> anyhow::Result<usize> {
    table.model_index(name).ok_or_else(|| {
        let mut near: Vec<(f64, &String)> = table
            .models
            .iter()
            .map(|m| (strsim::jaro_winkler(name, m), m))
            .filter(|(s, _)| *s > 0.75)
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        let guess = near
            .first()
            .map(|(_, m)| format!("did you mean `{m}`? "))
            .unwrap_or_default();
        anyhow::anyhow!(
            "{flag}: no model `{name}` in the table\n  hint: {guess}the table's models are: {}",
            table.models.join(", ")
        )
    })
}

/// The table's bytes and the name errors use (`-` is stdin).
fn read(path: &std::path::Path) -> Result<(Vec<u8>, String), SourceError> {
    if path == std::path::Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| SourceError {
                path: "<stdin>".into(),
                source: e,
            })?;
        return Ok((bytes, "<stdin>".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| SourceError {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok((bytes, path.display().to_string()))
}
