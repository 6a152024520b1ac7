//! The latency sheet `cost replay --emit-latency FILE.toml` writes: one
//! `[[latency]]` entry per catalog model with timed requests, its median
//! and tail TTFT and E2E and median output rate as measured on the user's
//! own traffic, with how many requests, from which days and which files
//! (names only, never contents). `--pricing` overlays it on the shipped,
//! published figures. Pure: builds the sheet and its text; the caller
//! writes it.
//!
//! Seconds are rounded to the millisecond and rates to 0.1 token/s; a key
//! with no value (no first-token times, say) is left out, so the sheet
//! never holds a NaN or a made-up figure.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;
use serde::Serialize;

use super::latency::ModelSamples;

/// The first line of every sheet.
pub const HEADER: &str = "# written by `cost replay --emit-latency`\n";

/// `basis` of a measured figure (shipped figures say `published`).
pub const BASIS: &str = "your-traffic";

/// `host` when the log does not name one provider for the model.
pub const YOUR_TRAFFIC: &str = "your traffic";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencySheet {
    pub latency: Vec<LatencyEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencyEntry {
    /// Catalog id, as replay resolved it.
    pub model: String,
    pub basis: &'static str,
    pub host: String,
    /// The logs do not say which reasoning setting requests used.
    pub reasoning: &'static str,
    /// p50 time to first token, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttft_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttft_p90_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttft_p99_s: Option<f64>,
    /// p50 end-to-end time, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e2e_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e2e_p90_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e2e_p99_s: Option<f64>,
    /// p50 output tokens per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tps: Option<f64>,
    /// Requests with timings.
    pub samples: u64,
    /// UTC days of the first and last request measured; `measured` = `last`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<toml::value::Datetime>,
    /// The log file name(s).
    pub source: String,
    pub note: String,
}

/// The sheet of every model with at least one timed request, by model id.
pub fn sheet<S: std::hash::BuildHasher>(models: &HashMap<String, ModelSamples, S>) -> LatencySheet {
    let mut ids: Vec<&String> = models.keys().collect();
    ids.sort();
    let latency = ids
        .into_iter()
        .filter_map(|id| entry(id, &models[id]))
        .collect();
    LatencySheet { latency }
}

fn entry(model: &str, m: &ModelSamples) -> Option<LatencyEntry> {
    let st = m.samples.stats();
    if st.timed == 0 {
        return None;
    }
    let host = match (m.hosts.len(), m.untold) {
        (1, 0) => m.hosts.iter().next().cloned().unwrap_or_default(),
        _ => YOUR_TRAFFIC.to_string(),
    };
    let ms = |v: f64| round(v, 1000.0);
    let dates = match (st.first, st.last) {
        (Some(f), Some(l)) => format!(", {f}..{l}"),
        _ => String::new(),
    };
    let source = m
        .files
        .iter()
        .map(|f| {
            Path::new(f)
                .file_name()
                .map_or_else(|| f.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(LatencyEntry {
        model: model.to_string(),
        basis: BASIS,
        host,
        reasoning: "unstated",
        ttft_s: st.ttft.and_then(|p| ms(p.p50)),
        ttft_p90_s: st.ttft.and_then(|p| ms(p.p90)),
        ttft_p99_s: st.ttft.and_then(|p| ms(p.p99)),
        e2e_s: st.e2e.and_then(|p| ms(p.p50)),
        e2e_p90_s: st.e2e.and_then(|p| ms(p.p90)),
        e2e_p99_s: st.e2e.and_then(|p| ms(p.p99)),
        output_tps: st.tps.and_then(|p| round(p.p50, 10.0)),
        samples: st.timed,
        first: st.first.map(toml_date),
        last: st.last.map(toml_date),
        measured: st.last.map(toml_date),
        source,
        note: format!("measured on your traffic, n = {}{dates}", st.timed),
    })
}

/// `v` rounded to `1/per`; nothing for a value that is not finite.
fn round(v: f64, per: f64) -> Option<f64> {
    let r = (v * per).round() / per;
    r.is_finite().then_some(r)
}

fn toml_date(d: Date) -> toml::value::Datetime {
    toml::value::Datetime {
        date: Some(toml::value::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// The sheet as TOML, after its header line.
pub fn render(sheet: &LatencySheet) -> String {
    let body = toml::to_string(sheet).expect("a latency sheet is plain TOML");
    format!("{HEADER}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::record::Timed;
    use crate::replay::timing::Timing;
    use jiff::SignedDuration;

    fn timed(ttft_ms: Option<i64>, e2e_ms: i64, host: Option<&str>) -> Timed {
        Timed::Measured(Timing {
            ttft: ttft_ms.map(SignedDuration::from_millis),
            e2e: Some(SignedDuration::from_millis(e2e_ms)),
            host: host.map(String::from),
        })
    }

    #[test]
    fn a_sheet_entry_per_timed_model_with_only_the_keys_it_has() {
        let day = |d: &str| -> jiff::Timestamp { format!("{d}T08:00:00Z").parse().unwrap() };
        let mut m = HashMap::new();
        let a: &mut ModelSamples = m.entry("gpt-6-sol".to_string()).or_default();
        // 90 tokens over 3.0 − 0.912 s = 43.1 tokens/s; over 5.0 − 1.4 s, 25.
        a.add(
            &timed(Some(912), 3000, Some("openai")),
            Some(day("2026-11-01")),
            90,
            "logs/a.jsonl",
        );
        a.add(
            &timed(Some(1400), 5000, Some("openai")),
            Some(day("2026-11-30")),
            90,
            "logs/b.jsonl",
        );
        let b: &mut ModelSamples = m.entry("claude-haiku-4-5".to_string()).or_default();
        b.add(&timed(None, 2000, None), None, 10, "x.csv");
        let c: &mut ModelSamples = m.entry("no-timings".to_string()).or_default();
        c.add(&Timed::Untimed, None, 1, "x.csv");
        let text = render(&sheet(&m));
        assert!(text.starts_with(HEADER), "{text}");
        let back: toml::Value = toml::from_str(&text).unwrap();
        let entries = back["latency"].as_array().unwrap();
        assert_eq!(entries.len(), 2, "{text}");
        let haiku = entries[0].as_table().unwrap();
        assert_eq!(haiku["model"].as_str(), Some("claude-haiku-4-5"));
        assert_eq!(haiku["host"].as_str(), Some(YOUR_TRAFFIC));
        assert!(
            !haiku.contains_key("ttft_s") && !haiku.contains_key("first"),
            "{text}"
        );
        assert_eq!(
            haiku["note"].as_str(),
            Some("measured on your traffic, n = 1")
        );
        let sol = entries[1].as_table().unwrap();
        assert_eq!(sol["host"].as_str(), Some("openai"));
        // Two values: p50 = 1st, p90 = p99 = 2nd (nearest rank).
        assert_eq!(sol["ttft_s"].as_float(), Some(0.912));
        assert_eq!(sol["ttft_p99_s"].as_float(), Some(1.4));
        assert_eq!(sol["e2e_s"].as_float(), Some(3.0));
        // Rates 25 and 43.1: p50 = the 1st = 25.
        assert_eq!(sol["output_tps"].as_float(), Some(25.0));
        assert_eq!(sol["samples"].as_integer(), Some(2));
        assert_eq!(sol["first"].to_string(), "2026-11-01");
        assert_eq!(sol["measured"].to_string(), "2026-11-30");
        assert_eq!(sol["source"].as_str(), Some("a.jsonl, b.jsonl"));
        assert_eq!(
            sol["note"].as_str(),
            Some("measured on your traffic, n = 2, 2026-11-01..2026-11-30")
        );
    }

    #[test]
    fn rounding_never_yields_a_nan() {
        assert_eq!(round(0.912_4, 1000.0), Some(0.912));
        assert_eq!(round(f64::NAN, 1000.0), None);
        assert_eq!(round(f64::INFINITY, 10.0), None);
    }
}
