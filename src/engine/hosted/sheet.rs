//! A sized self-hosted route written as what the rest of `cost` reads: a
//! price sheet of one model whose only price is per request (the fleet's
//! cost amortised, exact to the picodollar), a latency figure from the
//! measured row (TTFT; output speed = 1000 / inter-token latency) when the
//! row states one, and the sentence reports print about the fleet.

use super::HostedPrice;
use crate::human::human_count;
use crate::scenario::HostedRoute;
use crate::selfhost::{Analysis, Deployment};

/// A TOML string literal (the ids and URLs come from validated data files,
/// but quotes and backslashes are escaped all the same).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A `YYYY-MM-DD` date for a `YYYY-MM` one (the month's first day).
fn day(date: &str) -> String {
    if date.len() == 7 {
        format!("{date}-01")
    } else {
        date.to_string()
    }
}

pub fn price_sheet(r: &HostedRoute, d: &Deployment, a: &Analysis, p: &HostedPrice) -> String {
    let name = format!(
        "{} on {} x {} ({}, {})",
        d.model.name, p.gpus, d.gpu.name, r.basis, a.price.provider
    );
    format!(
        "[provider]\nid = \"self-hosted\"\nname = \"Self-hosted\"\n\n[[models]]\nid = {id}\nname = {name}\nsource = {source}\nverified = {verified}\n\n[[models.prices]]\ninput = 0\noutput = 0\nper_request = {fee}\n",
        id = quoted(&r.id),
        name = quoted(&name),
        source = quoted(&a.price.provenance.url),
        verified = day(&a.price.provenance.date),
        fee = p.per_request,
    )
}

/// The row's TTFT and per-user output speed as a latency figure; `None`
/// for an offline row, which states neither.
pub fn latency_figures(r: &HostedRoute, a: &Analysis) -> Option<String> {
    let row = a.chosen.row;
    let tps = row.per_user_tps().filter(|_| !row.offline)?;
    let ttft = row
        .ttft_ms
        .map(|t| format!("ttft_s = {}\n", t / 1000.0))
        .unwrap_or_default();
    let prompt = row
        .input_tokens
        .map(|n| format!("ttft_prompt_tokens = {n}\n"))
        .unwrap_or_default();
    Some(format!(
        "[[latency]]\nmodel = {id}\nhost = \"self-hosted\"\nreasoning = \"none\"\n{ttft}{prompt}output_tps = {tps}\nmeasured = {date}\nsource = {source}\nnote = {note}\n",
        id = quoted(&r.id),
        date = day(&row.provenance.date),
        source = quoted(&row.provenance.url),
        note = quoted(&format!(
            "measured row of {}: {} concurrent users, {} ms between tokens",
            r.deploy,
            row.concurrency.map_or("?".into(), |c| c.to_string()),
            row.itl_ms.unwrap_or_default()
        )),
    ))
}

/// What the fleet is and costs, in one sentence for the report's notes.
pub fn note(
    r: &HostedRoute,
    d: &Deployment,
    a: &Analysis,
    p: &HostedPrice,
    days_per_month: f64,
    quality: &[String],
) -> String {
    let row = a.chosen.row;
    let derate = a
        .chosen
        .derate
        .map(|x| format!(", an offline row derated to {:.1}%", x * 100.0))
        .unwrap_or_default();
    let recheck = a
        .price
        .provenance
        .needs_recheck
        .as_ref()
        .map(|n| format!(" (price needs recheck: {n})"))
        .unwrap_or_default();
    let quality = if quality.is_empty() {
        "success rate unknown (none stated for the deployment)".to_string()
    } else {
        format!("success rates: {}", quality.join("; "))
    };
    format!(
        "`{id}` is a self-hosted fleet of {gpus} x {gpu} ({replicas} replicas of {per}, {spare} spare) on the {basis} basis at ${hour}/GPU-hour ({provider}, {date}, {url}){recheck}: ${day}/day, ${month:.2}/month, amortised over {req} requests/day = ${each}/request; sized for {peak} on the row {input} in / {output} out at {tps:.0} usable tok/s per GPU{derate} ({row_url}); {quality}",
        id = r.id,
        gpus = p.gpus,
        gpu = d.gpu.name,
        replicas = p.replicas,
        per = d.gpus,
        spare = a.fleet.replicas - a.fleet.serving_replicas,
        basis = r.basis,
        hour = p.per_gpu_hour,
        provider = a.price.provider,
        date = a.price.provenance.date,
        url = a.price.provenance.url,
        day = p.per_day,
        month = p.per_day.usd().value() * days_per_month,
        req = human_count(p.load.requests_per_day),
        each = p.per_request,
        input = row.input_tokens.map_or("?".into(), |n| n.to_string()),
        output = row.output_tokens.map_or("?".into(), |n| n.to_string()),
        tps = a.chosen.usable_tps_per_gpu,
        row_url = row.provenance.url,
        peak = if a.workload.peak_factor > 1.0 { format!("a peak {:.2}x the mean rate", a.workload.peak_factor) } else { "the mean rate (no hourly [traffic] profile)".to_string() },
    )
}
