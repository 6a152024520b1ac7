//! The assumptions behind a set of plan outcomes, as sentences a report
//! prints under its numbers: long-context cliffs crossed, service tiers,
//! where quality and latency figures come from and what was assumed.

use std::collections::{BTreeMap, BTreeSet};

use super::outcome::{Context, Leg, PlanOutcome, Role};
use crate::human::human_count;
use crate::pricing::ServiceTier;
use crate::scenario::Scenario;

pub fn assumptions(scenario: &Scenario, outcomes: &[&PlanOutcome], ctx: &Context) -> Vec<String> {
    let mut notes = Vec::new();
    let mut cliffs = BTreeSet::new();
    let mut tiers = BTreeSet::new();
    let mut limits_hit = BTreeSet::new();
    let mut no_latency = BTreeSet::new();
    let mut assumed_prefill = BTreeSet::new();
    let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    notes.extend(fleets(scenario, outcomes));
    for outcome in outcomes {
        notes.extend(
            outcome
                .notes
                .iter()
                .map(|n| format!("plan `{}`: {n}", outcome.plan)),
        );
        for c in &outcome.classes {
            for leg in &c.legs {
                // Shares that round to 0.0% say nothing.
                for (above, share) in leg.cliff_shares.iter().filter(|(_, s)| *s >= 0.0005) {
                    cliffs.insert(format!(
                        "class `{}` on {}: {:.1}% of prompts exceed {} tokens and are billed entirely at long-context prices (included in the expected cost)",
                        c.class,
                        leg.model,
                        share * 100.0,
                        human_count(*above as f64)
                    ));
                }
                if let (Some(above), true) = (leg.bill.long_context, leg.cliff_shares.is_empty()) {
                    cliffs.insert(format!(
                        "class `{}` on {}: prompt {} > {} tokens, so the whole request is billed at long-context prices",
                        c.class,
                        leg.model,
                        human_count(leg.request.prompt() as f64),
                        human_count(above as f64)
                    ));
                }
                limits_hit.extend(limits_note(&outcome.plan, &c.class, leg, ctx));
                if leg.bill.tier != ServiceTier::Standard {
                    tiers.insert(format!(
                        "plan `{}` is served on the {} tier",
                        outcome.plan,
                        leg.bill.tier.key()
                    ));
                }
                match &leg.latency {
                    None => {
                        no_latency.insert(leg.model.clone());
                    }
                    Some(l) => {
                        if l.assumed_prefill {
                            assumed_prefill.insert(leg.model.clone());
                        }
                        if let Some(m) = ctx.catalog.get(&leg.model) {
                            for i in l.used.indices() {
                                let f = &m.latency[i];
                                sources.entry(f.provenance()).or_default().insert(format!(
                                    "{} at {}",
                                    leg.model,
                                    f.reasoning.key()
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    notes.extend(limits_hit);
    notes.extend(cliffs);
    notes.extend(tiers);
    notes.extend(quality_notes(scenario, outcomes));
    if !sources.is_empty() {
        notes.push(format!(
            "latency: estimates (TTFT = b + prompt/prefill rate; answer TTFT = TTFT + thinking time; E2E = answer TTFT + output/output speed) from published figures (or your traffic's): {}",
            sources
                .into_iter()
                .map(|(from, uses)| format!(
                    "{} ({from})",
                    uses.into_iter().collect::<Vec<_>>().join(", ")
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if !assumed_prefill.is_empty() {
        notes.push(format!(
            "latency: no measured prefill rate for {}; assumed {} tokens/s (--prefill-tps)",
            assumed_prefill.into_iter().collect::<Vec<_>>().join(", "),
            ctx.latency.prefill_tps
        ));
    }
    if !no_latency.is_empty() {
        notes.push(format!(
            "latency: no published figure for {}, so plans using them show no latency",
            no_latency.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    notes
}

/// Where the quality column's rates come from, and who lacks one.
fn quality_notes(scenario: &Scenario, outcomes: &[&PlanOutcome]) -> Vec<String> {
    let mut notes = Vec::new();
    if scenario.quality.is_empty() {
        notes.push("quality: this scenario has no per-class success rates (`[quality]` from your evals, or a `[quality_proxy]` benchmark)".into());
    } else {
        for p in &scenario.proxies {
            notes.push(format!(
                "quality proxy: {}; a public benchmark standing in for your evals: add `[quality.{}]` rates to replace it",
                p.describe(),
                p.class
            ));
            let mut unscored: BTreeSet<&str> = BTreeSet::new();
            for o in outcomes {
                for c in o.classes.iter().filter(|c| c.class == p.class) {
                    for l in c.legs.iter().filter(|l| l.role == Role::Serve) {
                        if scenario.quality.rate(&c.class, &l.model).is_none() {
                            unscored.insert(&l.model);
                        }
                    }
                }
            }
            if !unscored.is_empty() {
                notes.push(format!(
                    "quality: no {} score for {} (class `{}`), so plans using them show no quality",
                    p.metric,
                    unscored.into_iter().collect::<Vec<_>>().join(", "),
                    p.class
                ));
            }
        }
        notes.push(format!(
            "quality = success rate blended over the classes, from the scenario's evals or proxies{}; ok/$ = successful requests per dollar (quality / cost per request); empty where a class lacks a rate for its model",
            scenario.quality_source.as_ref().map(|s| format!(" ({s})")).unwrap_or_default()
        ));
    }
    notes
}

/// The note for a leg whose calls go beyond the model's limits, when at
/// least 0.1% of them do.
fn limits_note(plan: &str, class: &str, leg: &Leg, ctx: &Context) -> Option<String> {
    if leg.over_limit < 0.001 {
        return None;
    }
    let m = ctx.catalog.get(&leg.model)?;
    let limit =
        |v: Option<u64>| v.map_or("no".into(), |w| format!("{}-token", human_count(w as f64)));
    Some(format!(
        "plan `{plan}`, class `{class}` on {}: {:.1}% of requests exceed the model's limits ({} context window, {} maximum output): the provider refuses them, so their cost here is not a bill you can get",
        leg.model,
        leg.over_limit * 100.0,
        limit(m.context_window),
        limit(m.max_output),
    ))
}

/// Each self-hosted fleet a shown plan serves on: what it is and costs.
fn fleets(scenario: &Scenario, outcomes: &[&PlanOutcome]) -> Vec<String> {
    scenario
        .hosted
        .iter()
        .filter(|h| {
            outcomes
                .iter()
                .any(|o| o.model_shares.iter().any(|m| m.model == h.id))
        })
        .filter_map(|h| h.note.clone())
        .collect()
}
