//! Settings of `cost sensitivity` and `cost report`: the scenario inputs,
//! the plan named (checked here; the recommended plan when none is), and
//! for the report its Monte Carlo options, the scenario's hash, the
//! frontier's quality axis and the usage logs of plan vs actual.

use crate::cli::{GlobalArgs, ReportArgs, SensitivityArgs};
use crate::engine::sensitivity::Ranges;
use crate::engine::simulate::SimOptions;

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::scenario::{sim_options, BAND_TRIALS};
use super::{plans_named, ScenarioInputs};
use crate::engine::index::choose_scale;
use crate::engine::placement::fully_rated_models;
use crate::replay::aggregate::Dim;
use crate::replay::drive::{Reading, ReplayError};
use crate::replay::generic::Mapping;
use crate::replay::tally::TallyOptions;
use crate::replay::what_if::WhatIf;
use crate::scenario::proxy::with_index;
use crate::scenario::{load_scenario, Scenario};

/// `cost sensitivity`.
pub struct SensitivitySettings {
    pub inputs: ScenarioInputs,
    /// `--plan`, checked to exist; `None`: the recommended plan.
    pub plan: Option<String>,
    pub ranges: Ranges,
    /// The simulation a latency SLO is judged on when a plan is to be
    /// recommended (the report's defaults: 200 days, seed 42).
    pub sim: SimOptions,
}

impl SensitivitySettings {
    pub fn resolve(
        args: &SensitivityArgs,
        global: &GlobalArgs,
    ) -> anyhow::Result<SensitivitySettings> {
        let inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        let plan = named_plan(&inputs, args.plan.as_ref())?;
        Ok(SensitivitySettings {
            inputs,
            plan,
            ranges: Ranges::default(),
            sim: sim_options(
                &crate::cli::SimArgs {
                    trials: None,
                    seed: 42,
                },
                BAND_TRIALS,
            )?,
        })
    }
}

/// `cost report`.
pub struct ReportSettings {
    pub inputs: ScenarioInputs,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// The scenario as the frontier sees it: a public index stands in for
    /// quality when the scenario has no success rates (as `cost frontier`).
    pub frontier_scenario: Scenario,
    pub index: Option<String>,
    /// Single models on the frontier: every rated model sold on the price date.
    pub singles: Vec<String>,
    pub plan: Option<String>,
    pub ranges: Ranges,
    pub sim: SimOptions,
    /// `--replay LOG...`: the logs of plan vs actual (empty: none).
    pub replay: Vec<std::path::PathBuf>,
    /// How they are read: shape and format detected, as `cost replay` does.
    pub reading: Reading,
}

impl ReportSettings {
    pub fn resolve(args: &ReportArgs, global: &GlobalArgs) -> anyhow::Result<ReportSettings> {
        let mut catalog = super::catalog(global)?;
        let source = super::scenario_source(args.scenario.as_deref())?;
        let mut scenario = load_scenario(&source, &catalog)?;
        super::host_routes(&mut scenario, &mut catalog)?;
        let inputs = ScenarioInputs {
            printer: super::printer(global),
            date: super::date(args.at, scenario.date),
            latency: super::latency_assumptions(args.latency.prefill_tps)?,
            catalog,
            scenario,
        };
        let plan = named_plan(&inputs, args.plan.as_ref())?;
        let (frontier_scenario, index) = quality_axis(&inputs)?;
        let singles = fully_rated_models(&frontier_scenario)
            .into_iter()
            .filter(|id| {
                inputs.catalog.get(id).is_some_and(|m| {
                    crate::pricing::bill::lifecycle(m, inputs.date).is_ok()
                        && m.period_at(Some(inputs.date)).is_some()
                })
            })
            .collect();
        Ok(ReportSettings {
            scenario_sha256: Sha256::digest(source.text.as_bytes()).iter().fold(
                String::new(),
                |mut hex, b| {
                    let _ = write!(hex, "{b:02x}");
                    hex
                },
            ),
            frontier_scenario,
            index,
            singles,
            sim: sim_options(&args.sim, BAND_TRIALS)?,
            inputs,
            plan,
            ranges: Ranges::default(),
            replay: args.replay.clone(),
            reading: Reading {
                format: None,
                shape: None,
                mapping: Mapping::default(),
                threads: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            },
        })
    }

    /// What the replay of `--replay` computes: each request priced on its
    /// own day, grouped by the log's `class` field and the model.
    pub fn tally_options(&self) -> TallyOptions<'_> {
        TallyOptions {
            catalog: &self.inputs.catalog,
            dims: vec![Dim::Field("class".into()), Dim::Model],
            undated: self.inputs.date,
            what_if: WhatIf::Nothing,
            skip_bad: false,
            latency_by_model: false,
            charges: false,
        }
    }

    /// A replay error of `--replay`, with how to look into it.
    pub fn explain_replay(err: &ReplayError) -> anyhow::Error {
        anyhow::anyhow!(
            "--replay: {err}\n  hint: plan vs actual reads the logs `cost replay` reads: run `cost replay LOG`, which takes --shape, --map and --skip-bad, to see how it reads this one"
        )
    }
}

fn named_plan(inputs: &ScenarioInputs, plan: Option<&String>) -> anyhow::Result<Option<String>> {
    plan.map(|name| {
        plans_named(&inputs.scenario, std::slice::from_ref(name), |_| true)
            .map(|p| p[0].name.clone())
    })
    .transpose()
}

/// The scenario with a global public index as its quality axis when it has
/// no success rates and an index covers its models (as `cost frontier`).
fn quality_axis(inputs: &ScenarioInputs) -> anyhow::Result<(Scenario, Option<String>)> {
    let s = &inputs.scenario;
    if !s.quality.is_empty() {
        return Ok((s.clone(), None));
    }
    let models: Vec<String> = s
        .plans
        .iter()
        .flat_map(crate::scenario::Plan::models)
        .chain(s.compare_models.iter().cloned())
        .collect();
    match choose_scale(models.iter().map(String::as_str), &inputs.catalog) {
        Some(scale) => {
            let rated = with_index(s, &scale, &inputs.catalog)
                .map_err(|p| anyhow::anyhow!("{}", p.message))?;
            Ok((rated, Some(scale)))
        }
        None => Ok((s.clone(), None)),
    }
}
