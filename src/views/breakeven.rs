//! `cost breakeven`: the fleet, its cost against each API plan, the
//! break-even points, optional sweeps (volume, price basis), and the chart
//! of monthly cost against daily volume.

use crate::plot::{Chart, Series, Style};
use crate::report::columns::selfhost::{
    API_PER_MONTH, API_PER_REQUEST, BASIS, BREAKEVEN_GPUS, BREAKEVEN_UTILISATION, BREAKEVEN_VOLUME,
    GPUS, PRICE_DATE, PRICE_PROVIDER, P_SELF_CHEAPER, REQUESTS_PER_DAY, SELF_CHEAPER,
    SELF_MINUS_API, SELF_PER_MONTH, USD_PER_GPU_HOUR, VOLUME_SHARE_OF_BREAKEVEN,
};
use crate::report::columns::PLAN;
use crate::report::{Report, Table, Value};
use crate::scenario::Scenario;
use crate::selfhost::fleet::{CHAT_DERATE, SINGLE_STREAM_SHARE};
use crate::selfhost::montecarlo::DERATE_RANGE;
use crate::selfhost::Analysis;

/// What the command computed beside the main analysis.
pub struct Extras<'a> {
    pub p_cheaper: Vec<f64>,
    pub trials: usize,
    pub volume: Vec<Analysis<'a>>,
    pub bases: Vec<Analysis<'a>>,
    pub peak_source: &'a str,
    pub price_date: String,
}

fn count(v: u32) -> Value {
    u64::from(v).into()
}

fn plans_table(a: &Analysis, p_cheaper: &[f64]) -> Table {
    let mut t = Table::new(
        "plans",
        vec![
            PLAN,
            API_PER_REQUEST,
            API_PER_MONTH,
            SELF_PER_MONTH,
            SELF_MINUS_API,
            BREAKEVEN_UTILISATION,
            BREAKEVEN_VOLUME,
            BREAKEVEN_GPUS,
            VOLUME_SHARE_OF_BREAKEVEN,
            P_SELF_CHEAPER,
        ],
    );
    for (i, v) in a.versus.iter().enumerate() {
        t.push(vec![
            v.plan.clone().into(),
            v.api_per_request.into(),
            v.api_per_month.into(),
            a.per_month.into(),
            v.self_minus_api_per_month.into(),
            v.breakeven_utilisation.into(),
            v.breakeven.map(|b| b.requests_per_day.round()).into(),
            v.breakeven
                .map(|b| count(b.replicas * a.deployment.gpus))
                .into(),
            v.breakeven
                .map(|b| a.workload.requests_per_day / b.requests_per_day)
                .into(),
            p_cheaper.get(i).copied().into(),
        ]);
    }
    t
}

fn volume_table(points: &[Analysis]) -> Table {
    let mut t = Table::new(
        "volume",
        vec![
            REQUESTS_PER_DAY,
            GPUS,
            SELF_PER_MONTH,
            PLAN,
            API_PER_MONTH,
            SELF_CHEAPER,
        ],
    );
    for a in points {
        for v in &a.versus {
            t.push(vec![
                a.workload.requests_per_day.into(),
                count(a.fleet.gpus),
                a.per_month.into(),
                v.plan.clone().into(),
                v.api_per_month.into(),
                Value::Bool(a.per_month.value() < v.api_per_month.value()),
            ]);
        }
    }
    t
}

fn bases_table(points: &[Analysis]) -> Table {
    let mut t = Table::new(
        "bases",
        vec![
            BASIS,
            USD_PER_GPU_HOUR,
            PRICE_PROVIDER,
            PRICE_DATE,
            GPUS,
            SELF_PER_MONTH,
            PLAN,
            API_PER_MONTH,
            BREAKEVEN_VOLUME,
        ],
    );
    for a in points {
        for v in &a.versus {
            t.push(vec![
                a.price.basis.key().into(),
                a.price.per_gpu_hour.into(),
                a.price.provider.clone().into(),
                a.price.provenance.date.clone().into(),
                count(a.fleet.gpus),
                a.per_month.into(),
                v.plan.clone().into(),
                v.api_per_month.into(),
                v.breakeven.map(|b| b.requests_per_day.round()).into(),
            ]);
        }
    }
    t
}

fn row_text(a: &Analysis) -> String {
    let r = a.chosen.row;
    let shape = match (r.input_tokens, r.output_tokens) {
        (Some(x), Some(y)) => format!("{x} in / {y} out"),
        _ => "shape not stated".to_string(),
    };
    let speed = if r.offline {
        "offline (max throughput)".to_string()
    } else {
        r.per_user_tps()
            .map_or(String::new(), |u| format!("{u:.1} tok/s per user"))
    };
    format!(
        "rows[{}]: {shape}, {speed}, {} tok/s per GPU",
        r.index, r.output_tps_per_gpu
    )
}

fn notes(s: &Scenario, a: &Analysis, x: &Extras) -> Vec<String> {
    let d = a.deployment;
    let p = a.price;
    let mut notes = vec![
        format!(
            "GPU price: ${}/GPU-hour on basis `{}` from {} ({}, {}), {}",
            p.per_gpu_hour, p.basis, p.provider, p.region, p.provenance.date, p.provenance.url
        ),
        format!(
            "throughput: {} of {} ({}, {}, {} GPU(s) per replica), {} ({})",
            row_text(a), d.id, d.engine, d.precision.key(), d.gpus, a.chosen.row.provenance.url, a.chosen.row.provenance.date
        ),
        format!(
            "the scenario's mean request is {:.0} tokens in / {:.0} out (answer and reasoning); the fleet is sized on the nearest measured shape",
            a.workload.input_tokens, a.workload.output_tokens
        ),
        format!("peak factor: {}", x.peak_source),
        format!(
            "fleet: {} serving replica(s) for the peak plus {} spare, {} GPUs; monthly cost counts every paid GPU-hour, busy or idle (reservation-based, the figure an API is compared with)",
            a.fleet.serving_replicas,
            a.fleet.replicas - a.fleet.serving_replicas,
            a.fleet.gpus
        ),
    ];
    if let Some(derate) = a.chosen.derate {
        notes.push(format!(
            "offline row derated to {:.1}% of its throughput: NVIDIA NIM's Llama-3.3-70B 2 x H100 sweep serves {:.1}% of saturated throughput at chat concurrency (~26 tok/s per user) and {:.1}% at one stream",
            derate * 100.0,
            CHAT_DERATE * 100.0,
            SINGLE_STREAM_SHARE * 100.0
        ));
    }
    for (what, recheck) in [
        ("price", &p.provenance.needs_recheck),
        ("throughput row", &a.chosen.row.provenance.needs_recheck),
        ("model architecture", &d.model.provenance.needs_recheck),
    ] {
        if let Some(r) = recheck {
            notes.push(format!("needs recheck ({what}): {r}"));
        }
    }
    notes.push(format!(
        "P(self cheaper): {} seeded draws of the GPU price (uniform over the shipped {} prices), {}daily volume ({})",
        x.trials,
        p.basis,
        if a.chosen.row.offline {
            format!("the offline derate (uniform {:.1}%..{:.1}%, MLPerf v6.1 Interactive/Offline range), ", DERATE_RANGE.0 * 100.0, DERATE_RANGE.1 * 100.0)
        } else {
            String::new()
        },
        if s.variation.volume.is_some() { "the scenario's [variation]" } else { "fixed: the scenario has no volume variation" }
    ));
    notes
}

pub fn report(s: &Scenario, a: &Analysis, x: &Extras) -> Report {
    // A sweep's rows come first: they are what CSV is asked for.
    let mut tables = Vec::new();
    if !x.volume.is_empty() {
        tables.push(volume_table(&x.volume));
    }
    if !x.bases.is_empty() {
        tables.push(bases_table(&x.bases));
    }
    tables.push(plans_table(a, &x.p_cheaper));
    let d = a.deployment;
    Report {
        command: "breakeven",
        title: format!(
            "cost breakeven: {} ({:.0} requests/day) on {} at ${}/GPU-hour {} ({} GPUs), API prices as of {}",
            s.name, a.workload.requests_per_day, d.id, a.price.per_gpu_hour, a.price.basis, a.fleet.gpus, x.price_date
        ),
        fields: vec![
            ("scenario", s.name.clone().into()),
            ("deployment", d.id.clone().into()),
            ("gpu", d.gpu.id.clone().into()),
            ("basis", a.price.basis.key().into()),
            ("price_usd_per_gpu_hour", a.price.per_gpu_hour.into()),
            ("price_provider", a.price.provider.clone().into()),
            ("price_region", a.price.region.clone().into()),
            ("price_stated", a.price.provenance.date.clone().into()),
            ("price_source", a.price.provenance.url.clone().into()),
            ("requests_per_day", a.workload.requests_per_day.into()),
            ("input_tokens", a.workload.input_tokens.into()),
            ("output_tokens", a.workload.output_tokens.into()),
            ("row", row_text(a).into()),
            ("usable_tps_per_gpu", a.chosen.usable_tps_per_gpu.into()),
            ("offline_derate", a.chosen.derate.into()),
            ("peak_factor", a.workload.peak_factor.into()),
            ("replicas", count(a.fleet.replicas)),
            ("gpus", count(a.fleet.gpus)),
            ("utilisation_share", a.fleet.utilisation.into()),
            ("capacity_requests_per_day", a.fleet.capacity_requests_per_day.round().into()),
            ("self_cost_per_day_usd", a.per_day.into()),
            ("self_cost_per_month_usd", a.per_month.into()),
            ("self_cost_per_request_usd", a.per_request.into()),
            ("full_use_cost_per_request_usd", a.full_use_per_request.into()),
            ("price_date", x.price_date.clone().into()),
        ],
        tables,
        notes: notes(s, a, x),
    }
}

/// Monthly cost against daily volume: a line per API plan and the
/// self-hosted fleet's step function (`points`: the analysis at each volume).
pub fn chart(s: &Scenario, d: &str, points: &[Analysis]) -> Chart {
    let mut series = vec![Series {
        name: format!("self-hosted {d}"),
        points: points
            .iter()
            .map(|a| (a.workload.requests_per_day, a.per_month.value()))
            .collect(),
        style: Style::Line,
        labels: vec![],
    }];
    if let Some(first) = points.first() {
        for (i, v) in first.versus.iter().enumerate() {
            series.push(Series {
                name: format!("API: {}", v.plan),
                points: points
                    .iter()
                    .map(|a| {
                        (
                            a.workload.requests_per_day,
                            a.versus[i].api_per_month.value(),
                        )
                    })
                    .collect(),
                style: Style::Guide,
                labels: vec![],
            });
        }
    }
    Chart {
        title: format!("{}: monthly cost against daily volume", s.name),
        x_label: "requests per day".into(),
        y_label: "USD per month".into(),
        series,
    }
}
