//! `cost replay LOG...`: open the logs, stream them through
//! `replay::drive`, and hand the tally to the view (groups, traffic split,
//! unknown models, bad-line samples).

use crate::replay::drive::replay;
use crate::replay::read;
use crate::replay::summary::Summary;
use crate::settings::replay::explain;
use crate::settings::ReplaySettings;
use crate::views;

/// Plain files at least this large get a progress bar (on a terminal).
const PROGRESS_BYTES: u64 = 16 << 20;

pub fn run(settings: &ReplaySettings) -> anyhow::Result<()> {
    let opts = settings.options();
    let inputs = settings
        .logs
        .iter()
        .map(|p| read::open(p, settings.compression))
        .collect::<Result<Vec<_>, _>>()?;
    let total: u64 = inputs.iter().filter_map(|i| i.size).sum();
    let bar = (settings.printer.progress() && total >= PROGRESS_BYTES).then(|| progress_bar(total));
    let (tally, files) = replay(inputs, &settings.reading, &opts, &|read| {
        if let Some(bar) = &bar {
            bar.set_position(read);
        }
    })
    .map_err(explain)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let summary = Summary::of(&tally);
    settings.check_strict(&summary)?;
    let report = views::replay::report(&tally, &summary, &files, &opts);
    for warning in views::replay::warnings(&tally, &summary) {
        settings.printer.warn(&warning);
    }
    settings.printer.emit(&report)
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
