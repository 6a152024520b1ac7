//! Turns a figures file's text into validated figures, each still naming
//! the model it is about (the catalog resolves the names, so an unknown
//! model is reported at its key).

use super::file::{FiguresFile, LatencyEntry, QualityEntry};
use super::{Basis, Latency, Measured, QualityScore, VERSIONED_METRICS};
use crate::pricing::load::date;
use crate::source::{InputError, KeyPath, Problem, Source};

/// A figure and the model name it was given for, with where it was written.
#[derive(Debug, Clone)]
pub struct Named<T> {
    pub model: String,
    pub at: KeyPath,
    pub figure: T,
}

#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub latency: Vec<Named<Latency>>,
    pub quality: Vec<Named<QualityScore>>,
}

/// Whether a TOML file holds figures rather than prices: a `[[latency]]`
/// or `[[quality]]` table header and no `[provider]` (a look at the lines,
/// not a parse: every sheet passes through here).
pub fn looks_like_figures(text: &str) -> bool {
    let mut figures = false;
    for line in text.lines().map(str::trim_start) {
        if line.starts_with("[provider]") {
            return false;
        }
        figures |= line.starts_with("[[latency]]") || line.starts_with("[[quality]]");
    }
    figures
}

/// Parses and validates one figures file.
pub fn load_figures(source: &Source) -> Result<Figures, InputError> {
    let file: FiguresFile =
        toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
    build(&file, &source.name).map_err(|p| p.in_source(source))
}

fn build(file: &FiguresFile, origin: &str) -> Result<Figures, Problem> {
    let mut out = Figures::default();
    for (i, entry) in file.latency.iter().enumerate() {
        let at = KeyPath::root().key("latency").index(i);
        let figure = latency(entry, origin, &at)?;
        out.latency.push(Named {
            model: model_name(&entry.model, &at)?,
            at,
            figure,
        });
    }
    for (i, entry) in file.quality.iter().enumerate() {
        let at = KeyPath::root().key("quality").index(i);
        let figure = quality(entry, &at)?;
        out.quality.push(Named {
            model: model_name(&entry.model, &at)?,
            at,
            figure,
        });
    }
    Ok(out)
}

fn model_name(name: &str, at: &KeyPath) -> Result<String, Problem> {
    if name.trim().is_empty() {
        return Err(Problem::new(at.key("model"), "model name is empty"));
    }
    Ok(name.to_string())
}

fn provenance(
    measured: Option<&toml::value::Datetime>,
    source: Option<&String>,
    at: &KeyPath,
) -> Result<(jiff::civil::Date, String), Problem> {
    let measured = measured.ok_or_else(|| {
        Problem::new(at.key("measured"), "figure has no `measured` date")
            .hint("every figure carries the date it was measured: `measured = YYYY-MM-DD`")
    })?;
    let source = source.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        Problem::new(at.key("source"), "figure has no `source`")
            .hint("add `source = \"https://...\"`: where the figure was published")
    })?;
    Ok((date(measured, &at.key("measured"))?, source.clone()))
}

fn positive(v: Option<f64>, key: &str, at: &KeyPath) -> Result<Option<f64>, Problem> {
    match v {
        Some(x) if !(x.is_finite() && x > 0.0 && x < 1e9) => Err(Problem::new(
            at.key(key),
            format!("{key} = {x} must be a positive number"),
        )),
        other => Ok(other),
    }
}

fn count(v: Option<i64>, key: &str, at: &KeyPath) -> Result<Option<u64>, Problem> {
    v.map(|n| {
        u64::try_from(n)
            .map_err(|_| Problem::new(at.key(key), format!("{key} = {n} must not be negative")))
    })
    .transpose()
}

fn latency(e: &LatencyEntry, origin: &str, at: &KeyPath) -> Result<Latency, Problem> {
    let (measured, source) = provenance(e.measured.as_ref(), e.source.as_ref(), at)?;
    let basis = match e.basis.as_deref() {
        None | Some("published") => Basis::Published,
        Some("your-traffic") => Basis::YourTraffic,
        Some(other) => {
            return Err(
                Problem::new(at.key("basis"), format!("`{other}` is not a basis"))
                    .hint("use `published` (a public tracker) or `your-traffic` (your logs)"),
            )
        }
    };
    let reasoning = match e.reasoning.as_deref() {
        None => Measured::Unstated,
        Some(s) => Measured::parse(s).ok_or_else(|| {
            Problem::new(
                at.key("reasoning"),
                format!("`{s}` is not a reasoning setting"),
            )
            .hint("use none, minimal, low, medium, high, xhigh, max, default, mixed or unstated")
        })?,
    };
    let figure = Latency {
        basis,
        host: e.host.clone(),
        reasoning,
        ttft_s: positive(e.ttft_s, "ttft_s", at)?,
        ttft_answer_s: positive(e.ttft_answer_s, "ttft_answer_s", at)?,
        ttft_prompt_tokens: count(e.ttft_prompt_tokens, "ttft_prompt_tokens", at)?,
        prefill_tps: positive(e.prefill_tps, "prefill_tps", at)?,
        output_tps: positive(e.output_tps, "output_tps", at)?,
        ttft_p90_s: positive(e.ttft_p90_s, "ttft_p90_s", at)?,
        ttft_p99_s: positive(e.ttft_p99_s, "ttft_p99_s", at)?,
        e2e_s: positive(e.e2e_s, "e2e_s", at)?,
        e2e_p90_s: positive(e.e2e_p90_s, "e2e_p90_s", at)?,
        e2e_p99_s: positive(e.e2e_p99_s, "e2e_p99_s", at)?,
        samples: count(e.samples, "samples", at)?,
        first: e
            .first
            .as_ref()
            .map(|d| date(d, &at.key("first")))
            .transpose()?,
        last: e
            .last
            .as_ref()
            .map(|d| date(d, &at.key("last")))
            .transpose()?,
        measured,
        source,
        note: e.note.clone(),
        origin: origin.to_string(),
    };
    if figure.ttft_s.is_none() && figure.ttft_answer_s.is_none() && figure.output_tps.is_none() {
        return Err(Problem::new(
            at.clone(),
            "latency figure has none of ttft_s, ttft_answer_s, output_tps",
        ));
    }
    if let (Some(a), Some(t)) = (figure.ttft_answer_s, figure.ttft_s) {
        if a < t {
            return Err(Problem::new(
                at.key("ttft_answer_s"),
                format!("ttft_answer_s = {a} is before ttft_s = {t}"),
            )
            .hint("the first answer token cannot come before the first token"));
        }
    }
    if let (Some(first), Some(last)) = (figure.first, figure.last) {
        if last < first {
            return Err(Problem::new(at.key("last"), "`last` is before `first`"));
        }
    }
    Ok(figure)
}

fn quality(e: &QualityEntry, at: &KeyPath) -> Result<QualityScore, Problem> {
    let (measured, source) = provenance(e.measured.as_ref(), e.source.as_ref(), at)?;
    if e.metric.trim().is_empty() {
        return Err(Problem::new(at.key("metric"), "metric is empty"));
    }
    if !e.value.is_finite() || e.value.abs() > 1e6 {
        return Err(Problem::new(
            at.key("value"),
            format!("value = {} is not a score", e.value),
        ));
    }
    if VERSIONED_METRICS.contains(&e.metric.as_str()) && e.version.is_none() {
        return Err(Problem::new(
            at.key("version"),
            format!(
                "`{}` needs a `version`: its versions are on different scales",
                e.metric
            ),
        )
        .hint("add e.g. `version = \"v4.3\"`, as the source states it"));
    }
    let range = match e.scale.as_deref() {
        Some("percent" | "0-100") => Some(100.0),
        Some("fraction") => Some(1.0),
        _ => None,
    };
    if range.is_some_and(|max| !(0.0..=max).contains(&e.value)) {
        return Err(Problem::new(
            at.key("value"),
            format!(
                "value = {} is outside its scale (0..{})",
                e.value,
                range.unwrap_or(0.0)
            ),
        ));
    }
    Ok(QualityScore {
        metric: e.metric.clone(),
        version: e.version.clone(),
        value: e.value,
        scale: e.scale.clone(),
        by: e.by.clone(),
        variant: e.variant.clone(),
        measured,
        source,
        note: e.note.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(text: &str, key: &str, message: &str) {
        let e = load_figures(&Source::embedded("f.toml", text)).expect_err("rejected");
        assert_eq!(e.key, key, "{e:?}");
        assert!(e.to_string().contains(message), "{e}");
    }

    const OK: &str = "[[latency]]\nmodel = \"m\"\nreasoning = \"high\"\nttft_s = 0.5\nttft_answer_s = 9.0\noutput_tps = 100.0\nmeasured = 2026-09-22\nsource = \"https://example.com\"\n";

    #[test]
    fn a_figure_loads_with_its_setting() {
        let f = load_figures(&Source::embedded("f.toml", OK)).unwrap();
        let l = &f.latency[0];
        assert_eq!(l.model, "m");
        assert_eq!(l.figure.reasoning, Measured::At(super::super::Effort::High));
        assert_eq!(l.figure.basis, Basis::Published);
        assert_eq!(l.figure.ttft_answer_s, Some(9.0));
        assert!(looks_like_figures(OK));
        assert!(!looks_like_figures(
            "[provider]\nid = \"p\"\nname = \"P\"\n"
        ));
    }

    #[test]
    fn bad_figures_are_rejected_at_their_key() {
        rejected(
            &OK.replace("measured = 2026-09-22\n", ""),
            "latency[0].measured",
            "no `measured` date",
        );
        rejected(
            &OK.replace("ttft_s = 0.5", "ttft_s = -1.0"),
            "latency[0].ttft_s",
            "positive",
        );
        rejected(
            &OK.replace("\"high\"", "\"turbo\""),
            "latency[0].reasoning",
            "not a reasoning setting",
        );
        rejected(
            &OK.replace("9.0", "0.1"),
            "latency[0].ttft_answer_s",
            "before ttft_s",
        );
        rejected(
            "[[quality]]\nmodel = \"m\"\nmetric = \"aa-intelligence-index\"\nvalue = 50.0\nmeasured = 2026-01-01\nsource = \"s\"\n",
            "quality[0].version",
            "different scales",
        );
        rejected(
            "[[quality]]\nmodel = \"m\"\nmetric = \"gpqa-diamond\"\nscale = \"percent\"\nvalue = 150.0\nmeasured = 2026-01-01\nsource = \"s\"\n",
            "quality[0].value",
            "outside its scale",
        );
    }
}
