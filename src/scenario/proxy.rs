//! Per-class success rates from a named public benchmark, for scenarios
//! with no evals of their own (`[quality_proxy]`: class -> metric). Every
//! model in the catalog with a score on that benchmark gets its score as
//! the class's success rate; the user's own `[quality]` rates win. Reports
//! name the benchmark, who ran it and when, so a proxy is never taken for
//! the user's quality.

use std::collections::BTreeMap;

use super::Scenario;
use crate::pricing::figures::{Effort, QualityScore};
use crate::pricing::Catalog;
use crate::source::{KeyPath, Problem};

/// The public benchmark standing in for one class's success rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    pub class: String,
    pub metric: String,
    /// Model id -> the score used.
    pub scores: BTreeMap<String, QualityScore>,
}

impl Proxy {
    /// "class `hard`: terminal-bench-4.0 (Artificial Analysis, 2026-10-08)".
    pub fn describe(&self) -> String {
        let mut who: Vec<String> = self
            .scores
            .values()
            .map(|s| {
                format!(
                    "{}, {}",
                    s.by.as_deref().unwrap_or("runner not stated"),
                    s.measured
                )
            })
            .collect();
        who.sort();
        who.dedup();
        format!(
            "class `{}`: {} as a proxy ({} models; {})",
            self.class,
            self.metric,
            self.scores.len(),
            who.join("; ")
        )
    }
}

/// The score a class at `effort` takes: one measured at that effort, else
/// one with no stated variant, else the newest.
pub fn pick<'a>(scores: &[&'a QualityScore], effort: Option<Effort>) -> Option<&'a QualityScore> {
    let variant_is =
        |s: &QualityScore, e: Effort| s.variant.as_deref().is_some_and(|v| v == e.key());
    effort
        .and_then(|e| scores.iter().find(|s| variant_is(s, e)))
        .or_else(|| {
            scores
                .iter()
                .filter(|s| s.variant.is_none())
                .max_by_key(|s| s.measured)
        })
        .or_else(|| scores.iter().max_by_key(|s| s.measured))
        .copied()
}

/// Builds the proxy of one class from the catalog's quality figures.
pub fn build(
    class: &str,
    metric: &str,
    effort: Option<Effort>,
    catalog: &Catalog,
    at: &KeyPath,
) -> Result<Proxy, Problem> {
    let mut scores = BTreeMap::new();
    for model in catalog.models() {
        let matching: Vec<&QualityScore> = model
            .quality
            .iter()
            .filter(|q| q.metric == metric || q.scale_key() == metric)
            .collect();
        if let Some(s) = pick(&matching, effort) {
            if !matches!(s.scale.as_deref(), Some("percent" | "0-100" | "fraction")) {
                return Err(Problem::new(
                    at.clone(),
                    format!("`{metric}` is not scored in percent, so it cannot stand for a success rate"),
                )
                .hint("use a benchmark scored in percent or as a fraction (e.g. gpqa-diamond, aa-lcr); `cost models --has quality` lists scores"));
            }
            scores.insert(model.id.clone(), s.clone());
        }
    }
    if scores.is_empty() {
        let mut known: Vec<&str> = catalog
            .models()
            .iter()
            .flat_map(|m| m.quality.iter().map(|q| q.metric.as_str()))
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(
            Problem::new(at.clone(), format!("no model has a `{metric}` score")).hint(
                crate::suggest::did_you_mean(&crate::suggest::closest(metric, known, 3)),
            ),
        );
    }
    Ok(Proxy {
        class: class.to_string(),
        metric: metric.to_string(),
        scores,
    })
}

/// The scenario with every class's success rate taken from one global
/// index scale (for `frontier` when a scenario has no rates at all).
pub fn with_index(
    scenario: &Scenario,
    scale: &str,
    catalog: &Catalog,
) -> Result<Scenario, Problem> {
    let mut s = scenario.clone();
    for class in &scenario.classes {
        let p = build(
            &class.name,
            scale,
            class.reasoning_effort,
            catalog,
            &KeyPath::root(),
        )?;
        let rates = s.quality.0.entry(class.name.clone()).or_default();
        for (id, score) in &p.scores {
            rates.insert(id.clone(), rate(score));
        }
        s.proxies.push(p);
    }
    Ok(s)
}

/// A score as a success rate in 0..1.
pub fn rate(score: &QualityScore) -> f64 {
    match score.scale.as_deref() {
        Some("fraction") => score.value,
        _ => score.value / 100.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(variant: Option<&str>, value: f64, day: i8) -> QualityScore {
        QualityScore {
            metric: "aa-lcr".into(),
            version: None,
            value,
            scale: Some("fraction".into()),
            by: None,
            variant: variant.map(str::to_string),
            measured: jiff::civil::date(2026, 10, day),
            source: "https://example.com".into(),
            note: None,
        }
    }

    #[test]
    fn a_class_takes_the_score_at_its_effort_else_an_unqualified_one() {
        let (high, plain, old) = (
            score(Some("high"), 0.8, 8),
            score(None, 0.7, 8),
            score(None, 0.6, 1),
        );
        let all = [&high, &plain, &old];
        assert_eq!(pick(&all, Some(Effort::High)).unwrap().value, 0.8);
        assert_eq!(pick(&all, Some(Effort::Low)).unwrap().value, 0.7);
        assert_eq!(pick(&all, None).unwrap().value, 0.7);
        assert_eq!(pick(&[&high], None).unwrap().value, 0.8);
        assert!((rate(&plain) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn a_proxy_must_be_a_known_percent_scored_benchmark() {
        let catalog = Catalog::builtin().unwrap();
        let p = build(
            "hard",
            "terminal-bench-4.0",
            Some(Effort::Max),
            &catalog,
            &KeyPath::root(),
        )
        .unwrap();
        assert!(p.scores.contains_key("gpt-6-sol"));
        let e = build(
            "hard",
            "termnal-bench-4.0",
            None,
            &catalog,
            &KeyPath::root(),
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("no model has a `termnal-bench-4.0` score"),
            "{e:?}"
        );
        let e = build(
            "hard",
            "lmarena-text-score",
            None,
            &catalog,
            &KeyPath::root(),
        )
        .unwrap_err();
        assert!(e.message.contains("not scored in percent"), "{e:?}");
    }
}
