//! Settings of the scenario commands: `compare`, `route`, `frontier`,
//! `simulate` and `sweep`. Each resolves its scenario, catalog, price date
//! and latency assumptions once (`ScenarioInputs`), then what the command
//! adds: plans by name, extra models, Monte Carlo options, output files.

use std::path::PathBuf;

use crate::cli::{
    BandArgs, CompareArgs, FrontierArgs, GlobalArgs, RouteArgs, SimArgs, SimulateArgs, SweepArgs,
};
use crate::engine::aggregate::AGGREGATE_ABOVE;
use crate::engine::index::choose_scale;
use crate::engine::placement::fully_rated_models;
use crate::engine::simulate::{Period, SimOptions};
use crate::engine::sweep::Vary;
use crate::scenario::proxy::with_index;
use crate::scenario::{Plan, PlanKind, Scenario};

use super::{plans_named, ScenarioInputs};

/// Simulated days behind the bands of `compare` and `route`.
pub const BAND_TRIALS: usize = 200;
/// Simulated days of `simulate`.
pub const SIMULATE_TRIALS: usize = 1000;
/// Per-request latencies kept per plan for percentiles.
const LATENCY_SAMPLES: usize = 200_000;

/// `--trials` (else `default`) and `--seed`.
pub fn sim_options(sim: &SimArgs, default: usize) -> anyhow::Result<SimOptions> {
    let trials = sim.trials.unwrap_or(default);
    if trials == 0 {
        anyhow::bail!("--trials must be at least 1");
    }
    Ok(SimOptions {
        trials,
        seed: sim.seed,
        latency_samples: LATENCY_SAMPLES,
        aggregate_above: AGGREGATE_ABOVE,
    })
}

/// Whether bands are on: `--bands`, or by default when the scenario
/// declares distributions or day-to-day variation (`--no-bands` turns them off).
fn bands_wanted(s: &Scenario, on: bool, off: bool) -> bool {
    if off {
        return false;
    }
    on || s.variation.volume.is_some()
        || s.variation.mix_drift > 0.0
        || s.classes
            .iter()
            .any(|c| !c.tokens.is_fixed() || c.per_model.values().any(|(_, t)| !t.is_fixed()))
}

fn bands(s: &Scenario, args: &BandArgs) -> anyhow::Result<Option<SimOptions>> {
    bands_wanted(s, args.bands, args.no_bands)
        .then(|| sim_options(&args.sim, BAND_TRIALS))
        .transpose()
}

/// `cost compare`.
pub struct CompareSettings {
    pub inputs: ScenarioInputs,
    /// "All traffic to M" rows: `--models`, else the scenario's `[compare]
    /// models`, else every model its plans use.
    pub models: Vec<String>,
    /// Whether `models` were named (`--models` or `[compare] models`)
    /// rather than taken from the plans: then a model a plan already
    /// covers gets a note instead of vanishing.
    pub models_named: bool,
    pub bands: Option<SimOptions>,
    /// `--check`: enforce the scenario's budget (it has one).
    pub check: bool,
}

impl CompareSettings {
    pub fn resolve(args: &CompareArgs, global: &GlobalArgs) -> anyhow::Result<CompareSettings> {
        let inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        let s = &inputs.scenario;
        if args.check && s.budget.is_none() {
            anyhow::bail!(
                "--check: scenario `{}` has no budget\n  hint: add `[budget]` with `usd_per_month = ...` or `usd_per_day = ...` to {}",
                s.name,
                s.origin
            );
        }
        let models = if args.models.is_empty() {
            s.default_compare_models()
        } else {
            args.models.clone()
        };
        Ok(CompareSettings {
            bands: bands(s, &args.bands)?,
            models_named: !args.models.is_empty() || !s.compare_models.is_empty(),
            models,
            check: args.check,
            inputs,
        })
    }
}

/// `cost route`.
pub struct RouteSettings {
    pub inputs: ScenarioInputs,
    /// The routing plans to show, by name, in the order given.
    pub plans: Vec<String>,
    pub bands: Option<SimOptions>,
}

impl RouteSettings {
    pub fn resolve(args: &RouteArgs, global: &GlobalArgs) -> anyhow::Result<RouteSettings> {
        let inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        let s = &inputs.scenario;
        let plans = plans_named(s, &args.plan, |p| !matches!(p.kind, PlanKind::Single(_)))?;
        if plans.is_empty() {
            anyhow::bail!("scenario `{}` has no routing plans\n  hint: name one with --plan, or add a plan with `routes`, `cascade` or `oracle`", s.name);
        }
        Ok(RouteSettings {
            plans: plans.iter().map(|p| p.name.clone()).collect(),
            bands: bands(s, &args.bands)?,
            inputs,
        })
    }
}

/// `cost frontier`.
pub struct FrontierSettings {
    pub inputs: ScenarioInputs,
    /// Single models to place (catalog ids): `--models`, else every model
    /// with a success rate for every class.
    pub singles: Vec<String>,
    pub plot: Option<PathBuf>,
    /// The global index scale standing in for quality, when the scenario
    /// has no success rates.
    pub index: Option<String>,
}

impl FrontierSettings {
    pub fn resolve(args: &FrontierArgs, global: &GlobalArgs) -> anyhow::Result<FrontierSettings> {
        let mut inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        // No rates at all: a global index stands in as the quality axis.
        let mut index = None;
        if inputs.scenario.quality.is_empty() {
            let s = &inputs.scenario;
            let models: Vec<String> = s
                .plans
                .iter()
                .flat_map(crate::scenario::Plan::models)
                .chain(s.compare_models.iter().cloned())
                .chain(args.models.iter().cloned())
                .collect();
            if let Some(scale) = choose_scale(models.iter().map(String::as_str), &inputs.catalog) {
                inputs.scenario = with_index(s, &scale, &inputs.catalog)
                    .map_err(|p| anyhow::anyhow!("{}", p.message))?;
                index = Some(scale);
            }
        }
        let singles = if args.models.is_empty() {
            // Every rated model still sold on the price date.
            fully_rated_models(&inputs.scenario)
                .into_iter()
                .filter(|id| {
                    inputs.catalog.get(id).is_some_and(|m| {
                        crate::pricing::bill::lifecycle(m, inputs.date).is_ok()
                            && m.period_at(Some(inputs.date)).is_some()
                    })
                })
                .collect()
        } else {
            args.models
                .iter()
                .map(|m| inputs.catalog.lookup(m).map(|m| m.id.clone()))
                .collect::<Result<_, _>>()?
        };
        Ok(FrontierSettings {
            inputs,
            singles,
            plot: args.plot.clone(),
            index,
        })
    }
}

/// `cost simulate`.
pub struct SimulateSettings {
    pub inputs: ScenarioInputs,
    /// Plans by name: `--plan`, else every plan the scenario declares.
    pub plans: Vec<String>,
    pub sim: SimOptions,
    /// `--histogram`: a histogram of this period's bill instead of the summary.
    pub histogram: Option<Period>,
    /// The period the chart and histogram show.
    pub period: Period,
    pub bins: usize,
    pub plot: Option<PathBuf>,
}

impl SimulateSettings {
    pub fn resolve(args: &SimulateArgs, global: &GlobalArgs) -> anyhow::Result<SimulateSettings> {
        let inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        if args.bins == 0 {
            anyhow::bail!("--bins must be at least 1");
        }
        let plans = plans_named(&inputs.scenario, &args.plan, |_| true)?
            .iter()
            .map(|p| p.name.clone())
            .collect();
        Ok(SimulateSettings {
            plans,
            sim: sim_options(&args.sim, SIMULATE_TRIALS)?,
            histogram: args.histogram,
            period: args.histogram.unwrap_or(Period::Month),
            bins: args.bins,
            plot: args.plot.clone(),
            inputs,
        })
    }
}

/// `cost sweep`.
pub struct SweepSettings {
    pub inputs: ScenarioInputs,
    pub vary: Vary,
    /// "All traffic to M" plans swept beside the scenario's own.
    pub extra: Vec<Plan>,
    pub plot: Option<PathBuf>,
}

impl SweepSettings {
    pub fn resolve(args: &SweepArgs, global: &GlobalArgs) -> anyhow::Result<SweepSettings> {
        let inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        let extra = args
            .models
            .iter()
            .map(|m| inputs.catalog.lookup(m).map(|m| Plan::single(&m.id)))
            .collect::<Result<_, _>>()?;
        Ok(SweepSettings {
            inputs,
            vary: args.vary.clone(),
            extra,
            plot: args.plot.clone(),
        })
    }
}
