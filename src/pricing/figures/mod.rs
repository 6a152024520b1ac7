//! Latency and quality figures: what is known about a model besides its
//! price. They live in their own files (`pricing/figures/*.toml`, or a
//! user's `--pricing` overlay such as `cost replay --emit-latency` writes),
//! apart from the price sheets, because they come from other sources on
//! other days. Each figure carries its source and date; the engine picks
//! the one that matches a request (`engine::latency`).

mod file;
mod load;

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::Serialize;

pub use load::{load_figures, looks_like_figures, Figures};

/// The reasoning setting a model runs at, or a figure was measured at.
/// Ordered from no thinking to the most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    None,
    Minimal,
    Low,
    Medium,
    High,
    Xhigh,
    Max,
}

impl Effort {
    pub const ALL: [Effort; 7] = [
        Effort::None,
        Effort::Minimal,
        Effort::Low,
        Effort::Medium,
        Effort::High,
        Effort::Xhigh,
        Effort::Max,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Effort::None => "none",
            Effort::Minimal => "minimal",
            Effort::Low => "low",
            Effort::Medium => "medium",
            Effort::High => "high",
            Effort::Xhigh => "xhigh",
            Effort::Max => "max",
        }
    }
}

impl fmt::Display for Effort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Effort {
    type Err = String;
    fn from_str(s: &str) -> Result<Effort, String> {
        Effort::ALL
            .into_iter()
            .find(|e| e.key() == s)
            .ok_or_else(|| {
                let keys: Vec<&str> = Effort::ALL.iter().map(|e| e.key()).collect();
                format!(
                    "`{s}` is not a reasoning effort (one of {})",
                    keys.join(", ")
                )
            })
    }
}

/// The reasoning setting a latency figure was measured at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measured {
    /// A stated effort.
    At(Effort),
    /// The provider's default, effort not stated by the source.
    Default,
    /// Live traffic at whatever settings its clients used.
    Mixed,
    /// The source does not say.
    Unstated,
}

impl Measured {
    pub fn key(self) -> &'static str {
        match self {
            Measured::At(e) => e.key(),
            Measured::Default => "default",
            Measured::Mixed => "mixed",
            Measured::Unstated => "unstated",
        }
    }

    pub fn parse(s: &str) -> Option<Measured> {
        match s {
            "default" => Some(Measured::Default),
            "mixed" => Some(Measured::Mixed),
            "unstated" => Some(Measured::Unstated),
            other => other.parse().ok().map(Measured::At),
        }
    }
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// A public tracker or the provider: someone else's traffic.
    Published,
    /// Measured on the user's own logs (`cost replay --emit-latency`).
    YourTraffic,
}

impl Basis {
    pub fn key(self) -> &'static str {
        match self {
            Basis::Published => "published",
            Basis::YourTraffic => "your-traffic",
        }
    }
}

/// One latency figure: medians (and, from the user's logs, percentiles) for
/// one model on one host at one reasoning setting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Latency {
    pub basis: Basis,
    pub host: Option<String>,
    pub reasoning: Measured,
    /// Median time to the first streamed token.
    pub ttft_s: Option<f64>,
    /// Median time to the first token of the answer, thinking included.
    pub ttft_answer_s: Option<f64>,
    /// The prompt size the TTFT was measured at.
    pub ttft_prompt_tokens: Option<u64>,
    pub prefill_tps: Option<f64>,
    pub output_tps: Option<f64>,
    pub ttft_p90_s: Option<f64>,
    pub ttft_p99_s: Option<f64>,
    pub e2e_s: Option<f64>,
    pub e2e_p90_s: Option<f64>,
    pub e2e_p99_s: Option<f64>,
    /// Requests measured (your traffic).
    pub samples: Option<u64>,
    pub first: Option<Date>,
    pub last: Option<Date>,
    pub measured: Date,
    pub source: String,
    pub note: Option<String>,
    /// The file the figure was loaded from.
    pub origin: String,
}

impl Latency {
    /// "published 2026-09-22, https://…" or "measured on your traffic, n = …".
    pub fn provenance(&self) -> String {
        match self.basis {
            Basis::Published => format!("{}, {}", self.measured, self.source),
            Basis::YourTraffic => format!(
                "measured on your traffic, n = {}, {}..{} ({})",
                self.samples.unwrap_or(0),
                self.first.unwrap_or(self.measured),
                self.last.unwrap_or(self.measured),
                self.source
            ),
        }
    }
}

/// The figure a listing shows for a model: the user's traffic first, then
/// one measured with little or no thinking, then the newest.
pub fn headline(figures: &[Latency]) -> Option<&Latency> {
    figures
        .iter()
        .filter(|f| f.ttft_s.is_some() || f.output_tps.is_some())
        .max_by_key(|f| {
            let light = matches!(
                f.reasoning,
                Measured::At(Effort::None | Effort::Minimal) | Measured::Default
            );
            (
                f.basis == Basis::YourTraffic,
                f.ttft_s.is_some(),
                light,
                f.measured,
            )
        })
}

/// A named public quality score of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityScore {
    /// The benchmark or index, e.g. `gpqa-diamond`, `aa-intelligence-index`.
    pub metric: String,
    /// The index version where scores of versions are on different scales
    /// (required for `aa-intelligence-index`).
    pub version: Option<String>,
    pub value: f64,
    /// `percent`, `0-100` or `elo`.
    pub scale: Option<String>,
    /// Who ran it (the benchmark's maintainer, a tracker, or the vendor).
    pub by: Option<String>,
    /// The model variant or reasoning setting scored.
    pub variant: Option<String>,
    pub measured: Date,
    pub source: String,
    pub note: Option<String>,
}

impl QualityScore {
    /// The metric with its version: the scale a score can be compared on.
    pub fn scale_key(&self) -> String {
        match &self.version {
            Some(v) => format!("{} {v}", self.metric),
            None => self.metric.clone(),
        }
    }
}

/// Indices a global quality index may come from, most preferred first.
pub const INDICES: [&str; 2] = ["aa-intelligence-index", "lmarena-text-score"];

/// The index scale (metric and version, `aa-intelligence-index v4.3.2`)
/// that covers most of the given models' scores; ties go to the index
/// listed first in `INDICES`, then the newest version. One scale only:
/// versions of an index are on different scales and are never mixed.
pub fn choose_scale<'a>(models: impl IntoIterator<Item = &'a [QualityScore]>) -> Option<String> {
    let mut coverage: std::collections::BTreeMap<(usize, String), usize> =
        std::collections::BTreeMap::new();
    for scores in models {
        let mut scales: Vec<(usize, String)> = scores
            .iter()
            .filter_map(|q| {
                let rank = INDICES.iter().position(|i| *i == q.metric)?;
                Some((rank, q.scale_key()))
            })
            .collect();
        scales.sort();
        scales.dedup();
        for s in scales {
            *coverage.entry(s).or_default() += 1;
        }
    }
    coverage
        .into_iter()
        .max_by(|((ra, sa), na), ((rb, sb), nb)| na.cmp(nb).then(rb.cmp(ra)).then(sa.cmp(sb)))
        .map(|((_, scale), _)| scale)
}

/// Metrics whose versions are on different scales and so need a version.
pub const VERSIONED_METRICS: [&str; 1] = ["aa-intelligence-index"];

#[cfg(test)]
mod tests {
    use super::*;

    fn aaii(version: &str) -> QualityScore {
        QualityScore {
            metric: "aa-intelligence-index".into(),
            version: Some(version.into()),
            value: 50.0,
            scale: Some("0-100".into()),
            by: None,
            variant: None,
            measured: jiff::civil::date(2026, 10, 8),
            source: "https://example.com".into(),
            note: None,
        }
    }

    #[test]
    fn one_index_version_is_chosen_never_a_mix() {
        // Two models scored on v4.1, one of them also on v4.3.2, one only on
        // v4.3.2: v4.1 and v4.3.2 cover two each; the newer version wins the tie.
        let a = [aaii("v4.1"), aaii("v4.3.2")];
        let b = [aaii("v4.1")];
        let c = [aaii("v4.3.2")];
        let pick = choose_scale([&a[..], &b[..], &c[..]]);
        assert_eq!(pick.as_deref(), Some("aa-intelligence-index v4.3.2"));
        // Coverage beats recency.
        let pick = choose_scale([&a[..], &b[..], &b[..]]);
        assert_eq!(pick.as_deref(), Some("aa-intelligence-index v4.1"));
        assert_eq!(choose_scale([&[][..]]), None);
    }

    #[test]
    fn efforts_parse_and_order() {
        assert_eq!("xhigh".parse::<Effort>(), Ok(Effort::Xhigh));
        assert!(Effort::None < Effort::Max);
        assert!("extreme"
            .parse::<Effort>()
            .unwrap_err()
            .contains("one of none"));
        assert_eq!(Measured::parse("mixed"), Some(Measured::Mixed));
        assert_eq!(Measured::parse("low"), Some(Measured::At(Effort::Low)));
        assert_eq!(Measured::parse("turbo"), None);
    }
}
