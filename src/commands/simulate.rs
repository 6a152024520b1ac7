//! `cost simulate [SCENARIO]`: the full Monte Carlo distribution of each
//! plan's bill (daily and monthly bands, the chance of exceeding the
//! budget) and its latency percentiles against the scenario's SLO.

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{GlobalArgs, SimArgs, SimulateArgs};
use crate::engine::simulate::Period;
use crate::engine::simulate::{percentile, simulate, PlanSim, SimOptions};
use crate::engine::{evaluate, Context, PlanOutcome};
use crate::human::human_count;
use crate::output::{write_file, Printer};
use crate::plot::{render, Chart, Series, Style};
use crate::report::{col, Kind, Report, Table, Value};
use crate::scenario::{BudgetLimit, Scenario};
use crate::settings::{self, ScenarioInputs};

/// Per-request latencies kept per plan for percentiles.
const LATENCY_SAMPLES: usize = 200_000;

pub fn run(args: &SimulateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let run = ScenarioInputs::load(global, args.scenario.as_deref(), args.at, &args.latency)?;
    let s = &run.scenario;
    let ctx = run.context();
    if args.bins == 0 {
        anyhow::bail!("--bins must be at least 1");
    }
    let plans = settings::plans_named(s, &args.plan, |_| true)?;
    let opts = options(&args.sim, 1000)?;
    let outcomes: Vec<PlanOutcome> = plans
        .iter()
        .map(|p| evaluate(s, p, &ctx))
        .collect::<Result<_, _>>()?;
    let sims = simulate_all(s, &outcomes, &ctx, &opts, &run.printer)?;
    let period = args.histogram.unwrap_or(Period::Month);
    if let Some(path) = &args.plot {
        let svg = render(&chart(s, &sims, period, args.bins))
            .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        write_file(path, svg.as_bytes(), &run.printer)?;
    }
    let mut notes = method_notes(s, &opts);
    notes.extend(slo_notes(s, &sims));
    let tables = match args.histogram {
        Some(p) => vec![histogram(&sims, p, args.bins)],
        None => vec![summary(s, &outcomes, &sims), classes(&sims)],
    };
    run.printer.emit(&Report {
        command: "simulate",
        title: format!(
            "cost simulate: {} ({} days x {} requests/day, seed {}, prices as of {})",
            s.name,
            human_count(opts.trials as f64),
            human_count(s.requests_per_day),
            opts.seed,
            ctx.date
        ),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("trials", (opts.trials as u64).into()),
            ("seed", opts.seed.into()),
            ("price_date", ctx.date.to_string().into()),
        ],
        tables,
        notes,
    })
}

pub fn options(sim: &SimArgs, default_trials: usize) -> anyhow::Result<SimOptions> {
    let trials = sim.trials.unwrap_or(default_trials);
    if trials == 0 {
        anyhow::bail!("--trials must be at least 1");
    }
    Ok(SimOptions {
        trials,
        seed: sim.seed,
        latency_samples: LATENCY_SAMPLES,
    })
}

/// Simulates every plan, with a progress bar on a terminal for long runs.
pub fn simulate_all(
    s: &Scenario,
    outcomes: &[PlanOutcome],
    ctx: &Context,
    opts: &SimOptions,
    printer: &Printer,
) -> anyhow::Result<Vec<PlanSim>> {
    let total = (opts.trials * outcomes.len()) as u64;
    let long = opts.trials as f64 * s.requests_per_day * outcomes.len() as f64 > 2e6;
    let bar = (printer.progress() && long).then(|| {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} simulating {pos}/{len} plan-days {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut sims = Vec::with_capacity(outcomes.len());
    for (i, o) in outcomes.iter().enumerate() {
        let offset = (i * opts.trials) as u64;
        let tick = |done: u64| {
            if let Some(b) = &bar {
                if done % 16 == 0 || done == opts.trials as u64 {
                    b.set_position(offset + done);
                }
            }
        };
        sims.push(simulate(s, o, ctx, opts, &tick)?);
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(sims)
}

/// P(bill > budget) for the plans the budget binds, from the simulated bills.
pub fn budget_risk(s: &Scenario, sim: &PlanSim) -> Option<f64> {
    let budget = s.budget.as_ref()?;
    if budget.plan.as_ref().is_some_and(|p| p != &sim.plan) {
        return None;
    }
    let (samples, limit) = match budget.limit {
        BudgetLimit::PerDay(u) => (&sim.daily, u.value()),
        BudgetLimit::PerMonth(u) => (&sim.monthly, u.value()),
    };
    Some(samples.iter().filter(|v| **v > limit).count() as f64 / samples.len() as f64)
}

/// Whether the plan meets the scenario's latency objectives (`None`: no SLO or no latency figures).
pub fn slo_met(s: &Scenario, sim: &PlanSim) -> Option<bool> {
    let check = |target: Option<f64>, samples: &Option<Vec<f64>>| {
        target
            .zip(samples.as_ref())
            .map(|(t, v)| percentile(v, 0.95) <= t)
    };
    match (
        check(s.slo.ttft_p95_s, &sim.ttft),
        check(s.slo.e2e_p95_s, &sim.e2e),
    ) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(true) && b.unwrap_or(true)),
    }
}

fn summary(s: &Scenario, outcomes: &[PlanOutcome], sims: &[PlanSim]) -> Table {
    let mut table = Table::new(
        "plans",
        vec![
            col("plan", "plan", Kind::Text),
            col("expected_per_day_usd", "expected $/day", Kind::Usd),
            col("mean_per_day_usd", "simulated mean $/day", Kind::Usd),
            col("day_p5_usd", "day p5", Kind::Usd),
            col("day_p50_usd", "day p50", Kind::Usd),
            col("day_p95_usd", "day p95", Kind::Usd),
            col("day_p99_usd", "day p99", Kind::Usd),
            col("month_p5_usd", "month p5", Kind::Usd),
            col("month_p50_usd", "month p50", Kind::Usd),
            col("month_p95_usd", "month p95", Kind::Usd),
            col("month_p99_usd", "month p99", Kind::Usd),
            col("p_over_budget", "P(over budget)", Kind::Percent),
            col("ttft_p50_s", "TTFT p50", Kind::Seconds),
            col("ttft_p95_s", "TTFT p95", Kind::Seconds),
            col("ttft_p99_s", "TTFT p99", Kind::Seconds),
            col("e2e_p50_s", "E2E p50", Kind::Seconds),
            col("e2e_p95_s", "E2E p95", Kind::Seconds),
            col("e2e_p99_s", "E2E p99", Kind::Seconds),
            col("slo_met", "meets SLO", Kind::Text),
        ],
    );
    for (o, sim) in outcomes.iter().zip(sims) {
        let mean = sim.daily.iter().sum::<f64>() / sim.daily.len() as f64;
        let q =
            |v: &Option<Vec<f64>>, p: f64| -> Value { v.as_ref().map(|v| percentile(v, p)).into() };
        let mut row: Vec<Value> =
            vec![o.plan.clone().into(), o.per_day.value().into(), mean.into()];
        for p in [0.05, 0.5, 0.95, 0.99] {
            row.push(percentile(&sim.daily, p).into());
        }
        for p in [0.05, 0.5, 0.95, 0.99] {
            row.push(percentile(&sim.monthly, p).into());
        }
        row.push(budget_risk(s, sim).into());
        for p in [0.5, 0.95, 0.99] {
            row.push(q(&sim.ttft, p));
        }
        for p in [0.5, 0.95, 0.99] {
            row.push(q(&sim.e2e, p));
        }
        row.push(
            slo_met(s, sim)
                .map(|ok| if ok { "yes" } else { "BREACH" })
                .into(),
        );
        table.push(row);
    }
    table
}

fn classes(sims: &[PlanSim]) -> Table {
    let mut table = Table::new(
        "classes",
        vec![
            col("plan", "plan", Kind::Text),
            col("class", "class", Kind::Text),
            col("ttft_p50_s", "TTFT p50", Kind::Seconds),
            col("ttft_p95_s", "TTFT p95", Kind::Seconds),
            col("ttft_p99_s", "TTFT p99", Kind::Seconds),
            col("e2e_p50_s", "E2E p50", Kind::Seconds),
            col("e2e_p95_s", "E2E p95", Kind::Seconds),
            col("e2e_p99_s", "E2E p99", Kind::Seconds),
        ],
    );
    for sim in sims {
        for c in &sim.classes {
            let q = |v: &Option<Vec<f64>>, p: f64| -> Value {
                v.as_ref().map(|v| percentile(v, p)).into()
            };
            table.push(vec![
                sim.plan.clone().into(),
                c.class.clone().into(),
                q(&c.ttft, 0.5),
                q(&c.ttft, 0.95),
                q(&c.ttft, 0.99),
                q(&c.e2e, 0.5),
                q(&c.e2e, 0.95),
                q(&c.e2e, 0.99),
            ]);
        }
    }
    table
}

fn samples(sim: &PlanSim, period: Period) -> &[f64] {
    match period {
        Period::Day => &sim.daily,
        Period::Month => &sim.monthly,
    }
}

/// Equal-width bins over the range of every plan's bills.
fn bins(sims: &[PlanSim], period: Period, bins: usize) -> (f64, f64) {
    let lo = sims
        .iter()
        .filter_map(|s| samples(s, period).first())
        .copied()
        .fold(f64::INFINITY, f64::min);
    let hi = sims
        .iter()
        .filter_map(|s| samples(s, period).last())
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let width = if hi > lo {
        (hi - lo) / bins as f64
    } else {
        lo.abs().max(1.0) * 1e-6
    };
    (lo, width)
}

fn counts(values: &[f64], lo: f64, width: f64, bins: usize) -> Vec<u64> {
    let mut counts = vec![0u64; bins];
    for v in values {
        let i = (((v - lo) / width) as usize).min(bins - 1);
        counts[i] += 1;
    }
    counts
}

fn histogram(sims: &[PlanSim], period: Period, n: usize) -> Table {
    let (lo, width) = bins(sims, period, n);
    let mut table = Table::new(
        "histogram",
        vec![
            col("plan", "plan", Kind::Text),
            col("period", "period", Kind::Text),
            col("bin_low_usd", "from", Kind::Usd),
            col("bin_high_usd", "to", Kind::Usd),
            col("count", "count", Kind::Tokens),
            col("share", "share", Kind::Percent),
        ],
    );
    for sim in sims {
        let values = samples(sim, period);
        for (i, c) in counts(values, lo, width, n).into_iter().enumerate() {
            table.push(vec![
                sim.plan.clone().into(),
                if period == Period::Day {
                    "day"
                } else {
                    "month"
                }
                .into(),
                (lo + width * i as f64).into(),
                (lo + width * (i + 1) as f64).into(),
                c.into(),
                (c as f64 / values.len() as f64).into(),
            ]);
        }
    }
    table
}

fn chart(s: &Scenario, sims: &[PlanSim], period: Period, n: usize) -> Chart {
    let (lo, width) = bins(sims, period, n);
    let series = sims
        .iter()
        .map(|sim| {
            let values = samples(sim, period);
            let points = counts(values, lo, width, n)
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        lo + width * (i as f64 + 0.5),
                        c as f64 / values.len() as f64,
                    )
                })
                .collect();
            let name = if sim.plan == s.baseline {
                format!("{} (baseline)", sim.plan)
            } else {
                sim.plan.clone()
            };
            Series {
                name,
                points,
                style: Style::Line,
                labels: vec![],
            }
        })
        .collect();
    let unit = if period == Period::Day {
        "day"
    } else {
        "month"
    };
    Chart {
        title: format!("{}: distribution of the {unit}ly bill", s.name),
        x_label: format!("USD per {unit}"),
        y_label: "share of simulated periods".into(),
        series,
    }
}

pub fn method_notes(s: &Scenario, opts: &SimOptions) -> Vec<String> {
    let mut notes = vec![
        format!("Monte Carlo: {} simulated days, seed {}; every request's token counts drawn from the class's distributions and priced at the band its prompt falls in (cliffs judged per request)", opts.trials, opts.seed),
        format!("class mix and routing splits are applied in proportion each day (whole requests, the remainder allotted at random so counts are right on average); a month is the sum of {} days resampled from the simulated ones (days independent)", s.days_per_month),
        "expected $/day is exact (quadrature over the token distributions); the simulated mean should agree within sampling error".into(),
    ];
    if let Some(v) = &s.variation.volume {
        notes.push(format!(
            "daily volume drawn from a distribution with mean {}",
            human_count(v.mean())
        ));
    }
    if s.variation.mix_drift > 0.0 {
        notes.push(format!(
            "class shares drift by up to ±{:.0}% a day",
            s.variation.mix_drift * 100.0
        ));
    }
    notes.push("latency: per-request estimates from published figures (TTFT = b + prompt/prefill, E2E = TTFT + generated/speed); cascade stages are waited out in turn; empty where a model has no figure".into());
    notes
}

fn slo_text(s: &Scenario) -> String {
    let mut parts = Vec::new();
    if let Some(t) = s.slo.ttft_p95_s {
        parts.push(format!("TTFT p95 ≤ {t} s"));
    }
    if let Some(t) = s.slo.e2e_p95_s {
        parts.push(format!("E2E p95 ≤ {t} s"));
    }
    parts.join(", ")
}

/// Columns `compare` and `route` add when they show bands.
pub fn band_columns() -> Vec<crate::report::Column> {
    vec![
        col("day_p5_usd", "day p5", Kind::Usd),
        col("day_p95_usd", "day p95", Kind::Usd),
        col("month_p95_usd", "month p95", Kind::Usd),
        col("p_over_budget", "P(over budget)", Kind::Percent),
        col("ttft_p95_s", "TTFT p95", Kind::Seconds),
        col("e2e_p95_s", "E2E p95", Kind::Seconds),
        col("slo_met", "meets SLO", Kind::Text),
    ]
}

pub fn band_cells(s: &Scenario, sim: &PlanSim) -> Vec<Value> {
    vec![
        percentile(&sim.daily, 0.05).into(),
        percentile(&sim.daily, 0.95).into(),
        percentile(&sim.monthly, 0.95).into(),
        budget_risk(s, sim).into(),
        sim.ttft.as_ref().map(|v| percentile(v, 0.95)).into(),
        sim.e2e.as_ref().map(|v| percentile(v, 0.95)).into(),
        slo_met(s, sim)
            .map(|ok| if ok { "yes" } else { "BREACH" })
            .into(),
    ]
}

/// Whether bands are on: `--bands`, or by default when the scenario
/// declares distributions or day-to-day variation (`--no-bands` turns them off).
pub fn bands_wanted(s: &Scenario, on: bool, off: bool) -> bool {
    if off {
        return false;
    }
    on || s.variation.volume.is_some()
        || s.variation.mix_drift > 0.0
        || s.classes
            .iter()
            .any(|c| !c.tokens.is_fixed() || c.per_model.values().any(|(_, t)| !t.is_fixed()))
}

fn slo_notes(s: &Scenario, sims: &[PlanSim]) -> Vec<String> {
    let mut out = Vec::new();
    if s.slo.ttft_p95_s.is_none() && s.slo.e2e_p95_s.is_none() {
        return out;
    }
    for sim in sims {
        match slo_met(s, sim) {
            Some(false) => out.push(format!(
                "plan `{}` breaks the SLO ({})",
                sim.plan,
                slo_text(s)
            )),
            None => out.push(format!(
                "plan `{}`: no latency figures for some model, so the SLO cannot be checked",
                sim.plan
            )),
            Some(true) => {}
        }
    }
    out
}
