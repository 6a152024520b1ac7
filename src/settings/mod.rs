//! What the user typed, resolved into what the program will do. Each
//! command has a settings struct (`settings::<group>`) built once from its
//! clap args by `resolve`: flags, environment and defaults are applied and
//! validated there, so a command's `run` receives plain values and never
//! sees clap. The pieces every command shares (printer, catalog, scenario,
//! price date, plan names) are resolved here, the same way for all.

mod breakeven;
mod catalog;
pub mod eval;
mod export;
mod gates;
pub mod gateway;
pub mod replay;
mod report;
mod router;
mod scenario;
mod start;

pub use breakeven::BreakevenSettings;
pub use catalog::{EstimateSettings, ModelsSettings};
pub use eval::EvalSettings;
pub use export::{ExportPricesSettings, ExportSqlSettings};
pub use gates::{DiffInput, DiffSettings, ImportSettings, ValidateSettings};
pub use gateway::GatewaySettings;
pub use replay::{ReplaySettings, TokensSettings};
pub use report::{ReportSettings, SensitivitySettings};
pub use router::{RouterEvalSettings, RouterTrainSettings};
pub use scenario::{
    CompareSettings, FrontierSettings, RouteSettings, SimulateSettings, SweepSettings,
};
pub use start::{InitSettings, ManSettings, ScenariosSettings};

use std::io::IsTerminal;

use jiff::civil::Date;

use crate::cli::{GlobalArgs, LatencyArgs};
use crate::engine::latency::LatencyAssumptions;
use crate::engine::Context;
use crate::output::{ColorChoice, Printer};
use crate::pricing::Catalog;
use crate::report::Layout;
use crate::scenario::{
    builtin_named, load_scenario, looks_like_path, Plan, Scenario, ScenarioError,
};
use crate::source::{toml_files, Source};

pub fn printer(global: &GlobalArgs) -> Printer {
    let color = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            global.out.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    Printer {
        format: global.format,
        output: global.out.clone(),
        quiet: global.quiet,
        layout: Layout {
            color,
            width: table_width(global),
            wide: global.wide,
        },
        table: global.table.clone(),
    }
}

/// Width of the terminal table when stdout is not a terminal (a pipe, a
/// file) and `COLUMNS` is not set.
pub const DEFAULT_WIDTH: u16 = 120;

/// The width tables fit: `COLUMNS` when set to a number (`0`: no limit),
/// else the terminal's width when the report goes to one, else
/// `DEFAULT_WIDTH`, so piped output does not depend on who runs it.
fn table_width(global: &GlobalArgs) -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok();
    if let Some(n) = columns.and_then(|c| c.trim().parse::<u16>().ok()) {
        return (n > 0).then_some(n);
    }
    let terminal = (global.out.is_none() && std::io::stdout().is_terminal())
        .then(|| terminal_size::terminal_size_of(std::io::stdout()))
        .flatten();
    Some(terminal.map_or(DEFAULT_WIDTH, |(w, _)| w.0))
}

/// The built-in sheets followed by the user's `--pricing` sheets.
pub fn catalog(global: &GlobalArgs) -> anyhow::Result<Catalog> {
    catalog_with(global, &[])
}

/// The built-in sheets, the `--pricing` sheets, then `extra` (one side of a
/// `cost diff`): later sheets override earlier ones by model id; the
/// catalog snapshot below them all.
pub fn catalog_with(global: &GlobalArgs, extra: &[std::path::PathBuf]) -> anyhow::Result<Catalog> {
    let mut sources = Catalog::builtin_sources();
    for path in toml_files(&global.pricing)?
        .into_iter()
        .chain(toml_files(extra)?)
    {
        sources.push(Source::read(&path)?);
    }
    Ok(Catalog::from_sources(&sources)?.with_snapshot())
}

/// Self-hosted routes: each fleet sized for the load its plan sends it and
/// priced as a model of the catalog (none: nothing to do).
pub fn host_routes(scenario: &mut Scenario, catalog: &mut Catalog) -> anyhow::Result<()> {
    if scenario.hosted.is_empty() {
        return Ok(());
    }
    let data =
        anyhow::Context::context(crate::selfhost::shipped(), "the shipped self-hosting data")?;
    crate::engine::hosted::host(scenario, catalog, &data)?;
    Ok(())
}

/// A scenario named on the command line: a path, `-`, or a built-in name.
pub fn scenario(name: Option<&str>, catalog: &Catalog) -> anyhow::Result<Scenario> {
    Ok(load_scenario(&scenario_source(name)?, catalog)?)
}

/// The scenario's text by path, `-` or built-in name (default `default`).
pub fn scenario_source(name: Option<&str>) -> anyhow::Result<Source> {
    let name = name.unwrap_or("default");
    let path = std::path::Path::new(name);
    let source = if name == "-" || path.exists() {
        Source::read(path)?
    } else if looks_like_path(name) {
        return Err(ScenarioError::NoSuchFile {
            path: name.to_string(),
        }
        .into());
    } else {
        builtin_named(name)?
    };
    Ok(source)
}

/// A scenario command's inputs: printer, catalog, scenario and the
/// evaluation context's date and latency assumptions.
pub struct ScenarioInputs {
    pub printer: Printer,
    pub catalog: Catalog,
    pub scenario: Scenario,
    pub date: Date,
    pub latency: LatencyAssumptions,
}

impl ScenarioInputs {
    pub fn load(
        global: &GlobalArgs,
        scenario: Option<&str>,
        at: Option<Date>,
        latency: &LatencyArgs,
    ) -> anyhow::Result<ScenarioInputs> {
        let printer = printer(global);
        let mut catalog = catalog(global)?;
        let mut scenario = self::scenario(scenario, &catalog)?;
        host_routes(&mut scenario, &mut catalog)?;
        let date = date(at, scenario.date);
        let latency = latency_assumptions(latency.prefill_tps)?;
        Ok(ScenarioInputs {
            printer,
            catalog,
            scenario,
            date,
            latency,
        })
    }

    /// The scenario's plans named `names` (resolved by `resolve`, so they exist).
    pub fn plans(&self, names: &[String]) -> Vec<&Plan> {
        names
            .iter()
            .map(|n| {
                self.scenario
                    .plan(n)
                    .expect("plan names are resolved with the settings")
            })
            .collect()
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            catalog: &self.catalog,
            date: self.date,
            latency: self.latency,
            traffic: self.scenario.traffic,
        }
    }
}

pub fn latency_assumptions(prefill_tps: f64) -> anyhow::Result<LatencyAssumptions> {
    if !(prefill_tps.is_finite() && prefill_tps > 0.0) {
        anyhow::bail!(
            "--prefill-tps {prefill_tps}: must be a positive number of tokens per second"
        );
    }
    Ok(LatencyAssumptions {
        prefill_tps,
        ..LatencyAssumptions::default()
    })
}

/// `--at DATE`, else the fallback (a scenario's date), else today.
pub fn date(at: Option<Date>, fallback: Option<Date>) -> Date {
    at.or(fallback).unwrap_or_else(|| jiff::Zoned::now().date())
}

/// The plans `--plan NAME` (repeatable) names, or those `default` picks
/// when none is named; an unknown name lists the scenario's plans.
pub fn plans_named<'s>(
    scenario: &'s Scenario,
    names: &[String],
    default: impl Fn(&Plan) -> bool,
) -> anyhow::Result<Vec<&'s Plan>> {
    if names.is_empty() {
        return Ok(scenario.plans.iter().filter(|p| default(p)).collect());
    }
    names
        .iter()
        .map(|name| {
            scenario.plan(name).ok_or_else(|| {
                let known: Vec<&str> = scenario.plans.iter().map(|p| p.name.as_str()).collect();
                no_such_plan(name, &format!("scenario `{}`", scenario.name), &known)
            })
        })
        .collect()
}

/// The one error for a plan name that is not there: where it was looked
/// for, the nearest names, and every plan there is.
pub fn no_such_plan(name: &str, place: &str, known: &[&str]) -> anyhow::Error {
    anyhow::anyhow!(
        "no plan `{name}` in {place}\n  hint: {}plans: {}",
        crate::suggest::did_you_mean(&crate::suggest::closest(name, known.iter().copied(), 3)),
        known.join(", ")
    )
}
