//! A global public quality index beside cost, for scenarios with no
//! per-class success rates (neither evals nor a `[quality_proxy]`): each
//! plan's index is its models' scores on one index scale, blended by class
//! share. One scale only (an index and version, e.g. the Artificial
//! Analysis Intelligence Index v4.3.2): scores of other versions are never
//! mixed in, and a model with no score on that scale leaves its plan empty.

use std::collections::BTreeMap;

use super::outcome::PlanOutcome;
use crate::pricing::figures::{self, QualityScore};
use crate::pricing::Catalog;
use crate::scenario::proxy::pick;
use crate::scenario::Scenario;

/// The scale chosen and each plan's blended score on it.
#[derive(Debug, Clone, PartialEq)]
pub struct GlobalIndex {
    /// e.g. `aa-intelligence-index v4.3.2`.
    pub scale: String,
    /// Plan name -> blended index (`None`: a model lacks a score).
    pub by_plan: BTreeMap<String, Option<f64>>,
    /// Model id -> the score used, for provenance.
    pub used: BTreeMap<String, QualityScore>,
    /// Models serving some plan with no score on the scale.
    pub missing: Vec<String>,
}

/// The index scale covering most of `models` (see `figures::choose_scale`).
pub fn choose_scale<'a>(
    models: impl IntoIterator<Item = &'a str>,
    catalog: &Catalog,
) -> Option<String> {
    let mut ids: Vec<&str> = models.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    figures::choose_scale(
        ids.into_iter()
            .filter_map(|id| catalog.get(id))
            .map(|m| m.quality.as_slice()),
    )
}

/// Blends the scale chosen for the serving models per plan.
pub fn global_index(
    scenario: &Scenario,
    outcomes: &[&PlanOutcome],
    catalog: &Catalog,
) -> Option<GlobalIndex> {
    let serving = outcomes
        .iter()
        .flat_map(|o| o.model_shares.iter().map(|s| s.model.as_str()));
    let scale = choose_scale(serving, catalog)?;
    let mut out = GlobalIndex {
        scale: scale.clone(),
        by_plan: BTreeMap::new(),
        used: BTreeMap::new(),
        missing: Vec::new(),
    };
    for o in outcomes {
        let mut total = Some(0.0);
        for c in &o.classes {
            let effort = scenario
                .classes
                .iter()
                .find(|k| k.name == c.class)
                .and_then(|k| k.reasoning_effort);
            for leg in c
                .legs
                .iter()
                .filter(|l| l.role == super::outcome::Role::Serve)
            {
                let score = catalog.get(&leg.model).and_then(|m| {
                    let on_scale: Vec<&QualityScore> = m
                        .quality
                        .iter()
                        .filter(|q| q.scale_key() == scale)
                        .collect();
                    pick(&on_scale, effort)
                });
                if let Some(s) = score {
                    out.used
                        .entry(leg.model.clone())
                        .or_insert_with(|| s.clone());
                    total = total.map(|t| t + c.share * leg.calls * s.value);
                } else {
                    if !out.missing.contains(&leg.model) {
                        out.missing.push(leg.model.clone());
                    }
                    total = None;
                }
            }
        }
        out.by_plan.insert(o.plan.clone(), total);
    }
    out.missing.sort();
    Some(out)
}

impl GlobalIndex {
    /// What the index column is, where each score comes from, who lacks one.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![format!(
            "index = the global public index {} blended over the classes (index/$ = index / cost per request): a general capability score, not success on this scenario's tasks; add `[quality]` rates from your evals, or a `[quality_proxy]`",
            self.scale
        )];
        let sources: Vec<String> = self
            .used
            .iter()
            .map(|(m, s)| {
                format!(
                    "{m} {}{} ({}, {})",
                    s.value,
                    s.variant
                        .as_deref()
                        .map(|v| format!(" at {v}"))
                        .unwrap_or_default(),
                    s.measured,
                    s.source
                )
            })
            .collect();
        if !sources.is_empty() {
            notes.push(format!("index scores: {}", sources.join("; ")));
        }
        if !self.missing.is_empty() {
            notes.push(format!(
                "index: no {} score for {}, so plans using them show no index (scores of other versions are on other scales and are not mixed in)",
                self.scale,
                self.missing.join(", ")
            ));
        }
        notes
    }
}
