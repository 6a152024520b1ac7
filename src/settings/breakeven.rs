//! Settings of `cost breakeven`: the scenario and API catalog as every
//! scenario command resolves them, the self-hosting data (shipped files,
//! then `--hardware` and `--deployments`), the deployment named, the
//! scenario's traffic as one mean request shape, and the sizing policy.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::{BreakevenArgs, BreakevenVary, GlobalArgs};
use crate::scenario::Scenario;
use crate::selfhost::fleet::{peak_to_mean, Policy, Workload, CHAT_DERATE};
use crate::selfhost::montecarlo::Draws;
use crate::selfhost::{shipped, Basis, SelfHostData};
use crate::source::Source;
use crate::suggest::{closest, did_you_mean};

use super::ScenarioInputs;

/// Monte Carlo draws by default (`--trials` overrides).
pub const BREAKEVEN_TRIALS: usize = 10_000;

pub struct BreakevenSettings {
    pub inputs: ScenarioInputs,
    pub data: SelfHostData,
    /// The deployment's id, checked to exist in `data`.
    pub deploy: String,
    pub basis: Basis,
    pub vary: Option<BreakevenVary>,
    pub workload: Workload,
    /// Where the peak factor came from, for the report's notes.
    pub peak_source: String,
    pub policy: Policy,
    pub plot: Option<PathBuf>,
    /// Monte Carlo trials and seed (the volume distribution is the scenario's).
    pub draws: Draws<'static>,
}

impl BreakevenSettings {
    pub fn resolve(args: &BreakevenArgs, global: &GlobalArgs) -> anyhow::Result<BreakevenSettings> {
        let inputs =
            ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
        let mut data = shipped().context("the shipped self-hosting data")?;
        for path in &args.hardware {
            data.add_hardware(&Source::read(path)?)?;
        }
        for path in &args.deployments {
            data.add_deployments(&Source::read(path)?)?;
        }
        if data.deployment_named(&args.deploy).is_none() {
            let known: Vec<&str> = data.deployments.iter().map(|d| d.id.as_str()).collect();
            anyhow::bail!(
                "--deploy {}: no such deployment\n  hint: {}deployments are MODEL@ID; known: {}",
                args.deploy,
                did_you_mean(&closest(&args.deploy, known.iter().copied(), 3)),
                known.join(", ")
            );
        }
        let s = &inputs.scenario;
        let (peak_factor, peak_source) = match args.peak_factor {
            Some(f) if f >= 1.0 => (f, format!("--peak-factor {f}")),
            Some(f) => anyhow::bail!(
                "--peak-factor {f}: the busiest hour is at least the mean (1 or more)"
            ),
            None => {
                let f = peak_to_mean(&s.traffic);
                let from = if f > 1.0 {
                    format!("the scenario's [traffic] profile ({f:.3}x the mean)")
                } else {
                    "none: the scenario has no hourly [traffic] profile, so the fleet is sized for the mean rate (pass --peak-factor)".to_string()
                };
                (f, from)
            }
        };
        let derate = args.offline_derate.unwrap_or(CHAT_DERATE);
        if !(derate > 0.0 && derate <= 1.0) {
            anyhow::bail!("--offline-derate {derate}: must be a share in (0, 1]");
        }
        Ok(BreakevenSettings {
            workload: workload(&inputs.scenario, peak_factor),
            inputs,
            data,
            deploy: args.deploy.clone(),
            basis: args.basis,
            vary: args.vary.clone(),
            peak_source,
            policy: Policy {
                spare_replicas: args.spare,
                min_user_tps: args.min_user_tps,
                offline_derate: derate,
            },
            plot: args.plot.clone(),
            draws: Draws {
                trials: args.sim.trials.unwrap_or(BREAKEVEN_TRIALS),
                seed: args.sim.seed,
                volume: None,
            },
        })
    }
}

/// The scenario's traffic as one mean request: prompt (cached or not) and
/// generated tokens (answer plus reasoning), weighted by class share.
fn workload(s: &Scenario, peak_factor: f64) -> Workload {
    let (mut input, mut output) = (0.0, 0.0);
    for c in &s.classes {
        let r = &c.request;
        input += c.share * (r.input + r.cache_read + r.cache_write + r.cache_write_1h) as f64;
        output += c.share * (r.output + r.reasoning) as f64;
    }
    Workload {
        requests_per_day: s.requests_per_day,
        input_tokens: input,
        output_tokens: output.max(1.0),
        peak_factor,
        days_per_month: s.days_per_month,
    }
}
