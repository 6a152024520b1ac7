//! Settings of the usage-log commands: `replay` and `tokens`. Flag names
//! appear in these errors and hints, and nowhere in `replay/`.

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use jiff::civil::Date;

use crate::cli::{GlobalArgs, ReplayArgs, TokensArgs};
use crate::output::Printer;
use crate::pricing::Catalog;
use crate::replay::aggregate::Dim;
use crate::replay::class_rules::{ClassChoice, ClassRuleError};
use crate::replay::drive::{Reading, ReplayError};
use crate::replay::generic::Mapping;
use crate::replay::read::Compression;
use crate::replay::summary::Summary;
use crate::replay::tally::TallyOptions;
use crate::replay::what_if::{plan_routes, PlanError, WhatIfTarget};
use crate::report::Format;
use crate::source::Source;

/// `cost replay`: which logs, how to read them, what to group by and what
/// to re-price the traffic as.
pub struct ReplaySettings {
    pub printer: Printer,
    pub catalog: Catalog,
    pub logs: Vec<PathBuf>,
    pub compression: Compression,
    pub reading: Reading,
    pub dims: Vec<Dim>,
    /// The price date of requests whose log has no time.
    pub undated: Date,
    pub what_if: WhatIfTarget,
    pub skip_bad: bool,
    pub strict: bool,
    /// Lead with the latency table.
    pub latency_first: bool,
    /// Where to write the latency sheet.
    pub emit_latency: Option<PathBuf>,
    /// `--forecast SCENARIO --plan NAME`: forecast vs actual of a gateway log.
    pub forecast: Option<ForecastSettings>,
}

/// The scenario and plan a gateway log is compared with, priced at `date`.
pub struct ForecastSettings {
    pub scenario: crate::scenario::Scenario,
    pub plan: String,
    pub date: Date,
}

impl ReplaySettings {
    pub fn resolve(args: &ReplayArgs, global: &GlobalArgs) -> anyhow::Result<ReplaySettings> {
        let catalog = super::catalog(global)?;
        let what_if = what_if(args, &catalog)?;
        let focus = global.format == Format::Focus;
        if focus && !matches!(what_if, WhatIfTarget::Nothing) {
            bail!("--format focus writes the logged traffic's charges, not a what-if\n  hint: drop --as, or --plan and --scenario, to write FOCUS rows; re-price without --format focus");
        }
        if focus && args.latency {
            bail!("--format focus writes charges, not latency\n  hint: drop --latency (or write the latency report without --format focus)");
        }
        // Without a plan to assign classes, `class` is the log's own field
        // (the gateway writes one on every routed line).
        let dims = if matches!(what_if, WhatIfTarget::Plan(_)) {
            args.by.clone()
        } else {
            let own = |d: &Dim| match d {
                Dim::Class => Dim::Field("class".into()),
                d => d.clone(),
            };
            args.by.iter().map(own).collect()
        };
        let forecast = match &args.forecast {
            Some(name) => Some(forecast(name, args, &catalog)?),
            None => None,
        };
        let reading = Reading {
            format: args.input_format,
            shape: args.shape,
            mapping: mapping(args)?,
            threads: match args.threads {
                Some(0) => bail!("--threads 0: need at least one thread"),
                Some(n) => n,
                None => std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            },
        };
        Ok(ReplaySettings {
            printer: super::printer(global),
            catalog,
            logs: args.logs.clone(),
            compression: args.compression,
            reading,
            dims,
            undated: super::date(args.at, None),
            what_if,
            skip_bad: args.skip_bad,
            strict: args.strict,
            latency_first: args.latency,
            emit_latency: args.emit_latency.clone(),
            forecast,
        })
    }

    /// What every replay worker shares.
    pub fn options(&self) -> TallyOptions<'_> {
        TallyOptions {
            catalog: &self.catalog,
            dims: self.dims.clone(),
            undated: self.undated,
            what_if: self.what_if.bind(&self.catalog),
            skip_bad: self.skip_bad,
            latency_by_model: self.emit_latency.is_some(),
            charges: self.printer.format == Format::Focus,
        }
    }

    /// The log fields whose values tag FOCUS charges: the `--by` fields
    /// that are not built-in dimensions (a FOCUS row already has its day,
    /// model and tier).
    pub fn focus_tags(&self) -> Vec<String> {
        self.dims
            .iter()
            .filter_map(|d| match d {
                Dim::Field(f) => Some(f.clone()),
                _ => None,
            })
            .collect()
    }

    /// With `--strict`, unknown models are an error.
    pub fn check_strict(&self, summary: &Summary) -> anyhow::Result<()> {
        if self.strict && !summary.unknown.is_empty() {
            bail!(
                "{} requests name models the catalog does not know: {}\n  hint: add a price sheet with --pricing, or drop --strict to count and list them",
                summary.unknown_requests,
                summary.unknown_list()
            );
        }
        Ok(())
    }
}

/// A replay error with the flags that fix it in its hint.
pub fn explain(err: ReplayError) -> anyhow::Error {
    let hint = match &err {
        ReplayError::UnknownShape { .. } => {
            "pass --shape openai, anthropic, claude-code, gemini, cohere, litellm, otel or generic (with --map)".into()
        }
        ReplayError::NotJson { .. } => "CSV logs are litellm or generic (with --map)".into(),
        ReplayError::Bad(_) => {
            "fix the line, or pass --skip-bad to count bad lines, skip them and go on (a line whose timing alone is bad is then priced, without its timing)".into()
        }
        ReplayError::Columns {
            missing: Some(key), ..
        } => format!("map one with --map {key}=COLUMN"),
        ReplayError::Columns { missing: None, .. } | ReplayError::Read { .. } => return err.into(),
    };
    anyhow::anyhow!("{err}\n  hint: {hint}")
}

fn mapping(args: &ReplayArgs) -> anyhow::Result<Mapping> {
    let base = match &args.mapping {
        Some(path) => {
            let source = Source::read(path)?;
            toml::from_str::<Mapping>(&source.text)
                .map_err(|e| crate::source::InputError::from_toml(&source, &e))?
        }
        None => Mapping::default(),
    };
    Ok(base.with_pairs(&args.map))
}

fn forecast(name: &str, args: &ReplayArgs, catalog: &Catalog) -> anyhow::Result<ForecastSettings> {
    let scenario = super::scenario(Some(name), catalog)?;
    let plan = args.plan.clone().context("--forecast needs --plan NAME")?;
    if scenario.plan(&plan).is_none() {
        let known: Vec<&str> = scenario.plans.iter().map(|p| p.name.as_str()).collect();
        return Err(super::no_such_plan(
            &plan,
            &format!("scenario `{}`", scenario.name),
            &known,
        ));
    }
    let date = super::date(args.at, scenario.date);
    Ok(ForecastSettings {
        scenario,
        plan,
        date,
    })
}

fn what_if(args: &ReplayArgs, catalog: &Catalog) -> anyhow::Result<WhatIfTarget> {
    if let Some(m) = &args.as_model {
        return Ok(WhatIfTarget::As(
            catalog.lookup(m).context("--as")?.id.clone(),
        ));
    }
    let (Some(plan), Some(name), None) = (&args.plan, &args.scenario, &args.forecast) else {
        return Ok(WhatIfTarget::Nothing);
    };
    let scenario = super::scenario(Some(name), catalog)?;
    let choice = if let Some(field) = &args.class_field {
        ClassChoice::Field {
            field: field.clone(),
            map: args.class_map.clone(),
        }
    } else if !args.class_bounds.is_empty() {
        ClassChoice::Bounds(args.class_bounds.clone())
    } else {
        ClassChoice::Nearest
    };
    let routes = plan_routes(&scenario, name, plan, &choice, catalog).map_err(|e| match e {
        PlanError::UnknownModel(e) => anyhow::Error::new(e),
        PlanError::NoPlan { scenario, known } => {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            super::no_such_plan(plan, &format!("scenario `{scenario}`"), &known)
        }
        PlanError::Classes(ClassRuleError::NoClass { ref entry, .. }) => {
            let flag = format!("--class-map `{entry}`");
            anyhow::Error::new(e).context(flag)
        }
        PlanError::Classes(ClassRuleError::Bounds { .. }) => {
            anyhow::Error::new(e).context("--class-bounds")
        }
        e => anyhow::Error::new(e).context(format!("--plan {plan}")),
    })?;
    Ok(WhatIfTarget::Plan(routes))
}

/// `cost tokens`: which text, which models, at what date.
pub struct TokensSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    /// Catalog ids of the models to price on.
    pub models: Vec<String>,
    /// The inputs; `-` is stdin.
    pub files: Vec<PathBuf>,
    /// A JSON-lines field holding each prompt; `None`: each file is one prompt.
    pub field: Option<String>,
    /// Output tokens priced per prompt.
    pub output: u64,
    pub date: Date,
}

/// Priced when `--models` names none: served models (gemini-2.5-flash retired
/// on 2026-12-01, claude-sonnet-4-5 is deprecated).
const DEFAULT_TOKEN_MODELS: [&str; 4] = [
    "gpt-4o",
    "gpt-4.1-mini",
    "claude-sonnet-4-6",
    "gemini-3.5-flash",
];

impl TokensSettings {
    pub fn resolve(args: &TokensArgs, global: &GlobalArgs) -> anyhow::Result<TokensSettings> {
        let catalog = super::catalog(global)?;
        let names: Vec<&str> = if args.models.is_empty() {
            DEFAULT_TOKEN_MODELS.to_vec()
        } else {
            args.models.iter().map(String::as_str).collect()
        };
        let models = names
            .iter()
            .map(|n| catalog.lookup(n).map(|m| m.id.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TokensSettings {
            printer: super::printer(global),
            catalog,
            models,
            files: if args.files.is_empty() {
                vec![PathBuf::from("-")]
            } else {
                args.files.clone()
            },
            field: args.field.clone(),
            output: args.output,
            date: super::date(args.at, None),
        })
    }

    pub fn models(&self) -> Vec<&crate::pricing::Model> {
        self.models
            .iter()
            .map(|id| self.catalog.lookup(id).expect("resolved from this catalog"))
            .collect()
    }
}
