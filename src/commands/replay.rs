//! `cost replay LOG...`: open the logs, stream them through
//! `replay::drive`, and hand the tally to the view (groups, traffic split,
//! unknown models, bad-line samples, latency), and write the latency sheet
//! with `--emit-latency`.

use super::side_file;
use crate::engine::latency::LatencyAssumptions;
use crate::engine::{evaluate, Context};
use crate::output::ProgressUnit;
use crate::replay::drive::replay;
use crate::replay::focus;
use crate::replay::gateway_actuals;
use crate::replay::summary::Summary;
use crate::replay::tally::Tally;
use crate::replay::{latency_sheet, read};
use crate::report::Format;
use crate::settings::replay::explain;
use crate::settings::replay::ForecastSettings;
use crate::settings::ReplaySettings;
use crate::views;
use crate::views::forecast::Forecast;

/// Plain files at least this large get a progress bar (on a terminal).
const PROGRESS_BYTES: u64 = 16 << 20;

pub fn run(settings: &ReplaySettings) -> anyhow::Result<()> {
    if let Some(f) = &settings.forecast {
        return forecast(settings, f);
    }
    let opts = settings.options();
    let inputs = settings
        .logs
        .iter()
        .map(|p| read::open(p, settings.compression))
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = inputs.iter().filter_map(|i| i.size).sum();
    let progress =
        settings
            .printer
            .progress_bar(total, ProgressUnit::Bytes, total >= PROGRESS_BYTES);
    let (tally, files) =
        replay(inputs, &settings.reading, &opts, &|read| progress.set(read)).map_err(explain)?;
    drop(progress);
    let summary = Summary::of(&tally);
    settings.check_strict(&summary)?;
    if settings.printer.format == Format::Focus {
        for warning in views::replay::warnings(&tally, &summary) {
            settings.printer.warn(&warning);
        }
        return settings.printer.emit_text(&focus_csv(settings, &tally)?);
    }
    let report = views::replay::report(&tally, &summary, &files, &opts, settings.latency_first);
    for warning in views::replay::warnings(&tally, &summary) {
        settings.printer.warn(&warning);
    }
    let sheet = side_file(settings.emit_latency.as_deref(), || {
        let sheet = latency_sheet::sheet(&tally.model_latency);
        for warning in views::replay::sheet_warnings(&tally, &sheet) {
            settings.printer.warn(&warning);
        }
        Ok(latency_sheet::render(&sheet).into_bytes())
    })?;
    settings.printer.emit_with(&report, sheet.as_ref())
}

/// The FOCUS rows of the priced requests. Every charge needs its day, so
/// requests whose log gives no time are refused rather than dated.
fn focus_csv(settings: &ReplaySettings, tally: &Tally<'_>) -> anyhow::Result<String> {
    if tally.undated > 0 {
        anyhow::bail!(
            "{} requests have no time in the log: a FOCUS charge needs the day it was incurred\n  hint: map the log's time field (--map time=FIELD for generic logs), or write --format csv, which prices them on the --at date",
            tally.undated
        );
    }
    let tags = settings.focus_tags();
    Ok(focus::csv(&focus::rows(
        &tally.charges,
        &settings.catalog,
        &tags,
    )))
}

/// `--forecast`: the gateway log's actuals beside the plan's forecast.
fn forecast(settings: &ReplaySettings, f: &ForecastSettings) -> anyhow::Result<()> {
    let inputs = settings
        .logs
        .iter()
        .map(|p| read::open(p, settings.compression))
        .collect::<Result<Vec<_>, _>>()?;
    let actuals = gateway_actuals::read(inputs)?;
    let plan = f
        .scenario
        .plan(&f.plan)
        .expect("resolved with the settings");
    let ctx = Context {
        catalog: &settings.catalog,
        date: f.date,
        latency: LatencyAssumptions::default(),
        traffic: f.scenario.traffic,
    };
    let outcome = evaluate(&f.scenario, plan, &ctx)?;
    let report = views::forecast::report(
        &actuals,
        &Forecast {
            scenario: &f.scenario,
            outcome: &outcome,
            price_date: f.date.to_string(),
        },
    );
    settings.printer.emit(&report)
}
