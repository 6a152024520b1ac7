//! Validates a scenario's `[[plans]]`: which kind each is (one model, a
//! model per class, a classifier router, a cascade, an oracle) and that its
//! parameters make sense. Formulas live in `engine`; this file only checks.

use std::collections::BTreeMap;

use super::file::{OverheadEntry, PlanEntry};
use super::model::{
    Accuracy, Cascade, Class, Classifier, OperatingPoint, Oracle, Overhead, Plan, PlanKind,
    Quality, Verifier,
};
use super::names::{service_tier, unknown_class, ModelResolver};
use super::routes::{api_only, target, Found};
use crate::money::Money;
use crate::source::{KeyPath, Problem};

/// Rows of a confusion matrix must sum to 1 within this tolerance.
const ROW_TOLERANCE: f64 = 1e-6;

pub fn build_plan(
    entry: &PlanEntry,
    at: &KeyPath,
    classes: &[Class],
    quality: &Quality,
    model: &ModelResolver,
    found: &mut Found,
) -> Result<Plan, Problem> {
    let hosted_before = found.routes.len();
    let names: Vec<&str> = classes.iter().map(|c| c.name.as_str()).collect();
    let classifier = entry.confusion.is_some() || entry.tpr.is_some() || entry.auc.is_some();
    let kinds = [
        entry.model.is_some(),
        entry.routes.is_some(),
        entry.cascade.is_some(),
        entry.oracle.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(Problem::new(at.clone(), format!("plan `{}` needs exactly one of `model`, `routes`, `cascade` or `oracle`", entry.name))
            .hint("`model` sends all traffic to one model; `routes` names a model per class (add `confusion`, `tpr`/`fpr` or `auc` for an imperfect classifier); `cascade` lists models tried in order; `oracle` picks the cheapest model meeting a bar"));
    }
    if classifier && entry.routes.is_none() {
        return Err(Problem::new(at.clone(), "classifier settings (`confusion`, `tpr`, `auc`) need `routes`: the model for each predicted class"));
    }
    let kind = if let Some(m) = &entry.model {
        PlanKind::Single(target(m, &at.key("model"), model, found)?)
    } else if let Some(routes) = &entry.routes {
        let routes = by_class(routes, &at.key("routes"), &names, model, found)?;
        if classifier {
            PlanKind::Classifier(Classifier {
                routes,
                accuracy: accuracy(entry, at, &names)?,
                router: overhead(entry.router.as_ref(), &at.key("router"), model)?,
            })
        } else {
            PlanKind::Routes(routes)
        }
    } else if let Some(stages) = &entry.cascade {
        PlanKind::Cascade(cascade(entry, stages, at, &names, quality, model)?)
    } else {
        let o = entry.oracle.as_ref().expect("one kind is set");
        if !(0.0..=1.0).contains(&o.bar) {
            return Err(Problem::new(
                at.key("oracle").key("bar"),
                format!("quality bar {} is outside 0..1", o.bar),
            ));
        }
        let candidates = match &o.models {
            None => Vec::new(),
            Some(ms) => ms
                .iter()
                .enumerate()
                .map(|(i, m)| model(m, &at.key("oracle").key("models").index(i)))
                .collect::<Result<_, _>>()?,
        };
        if quality.is_empty() {
            return Err(Problem::new(
                at.key("oracle"),
                "an oracle plan needs success rates: add a `[quality]` table",
            )
            .hint("the oracle sends each class to the cheapest model whose rate meets the bar"));
        }
        PlanKind::Oracle(Oracle {
            bar: o.bar,
            candidates,
        })
    };
    if !classifier
        && (entry.positive.is_some()
            || entry.fpr.is_some()
            || entry.threshold.is_some()
            || entry.strong_share.is_some()
            || entry.router.is_some())
    {
        return Err(Problem::new(at.clone(), "`positive`, `fpr`, `threshold`, `strong_share` and `router` belong to a classifier plan")
            .hint("add `tpr`, `auc` or `confusion`, or remove them"));
    }
    if entry.cascade.is_none()
        && (entry.accept_correct.is_some()
            || entry.accept_wrong.is_some()
            || entry.escalation.is_some()
            || entry.verifier.is_some())
    {
        return Err(Problem::new(at.clone(), "`accept_correct`, `accept_wrong`, `escalation` and `verifier` belong to a cascade plan"));
    }
    let tier = service_tier(entry.tier.as_deref(), at)?;
    if tier.is_some() && found.routes.len() > hosted_before {
        return Err(Problem::new(
            at.key("tier"),
            format!(
                "plan `{}` routes to a self-hosted deployment, which has no service tiers",
                entry.name
            ),
        )
        .hint("remove `tier`: a fleet costs its GPU-hours whatever the tier"));
    }
    Ok(Plan {
        name: entry.name.clone(),
        description: entry.description.clone(),
        kind,
        tier,
    })
}

fn by_class(
    routes: &BTreeMap<String, toml::Value>,
    at: &KeyPath,
    names: &[&str],
    model: &ModelResolver,
    found: &mut Found,
) -> Result<Vec<String>, Problem> {
    for class in routes.keys() {
        if !names.contains(&class.as_str()) {
            return Err(unknown_class(class, &at.key(class), names));
        }
    }
    names
        .iter()
        .map(|class| {
            let name = routes.get(*class).ok_or_else(|| {
                Problem::new(at.clone(), format!("no route for class `{class}`"))
                    .hint("a per-class plan names a model for every class")
            })?;
            target(name, &at.key(class), model, found)
        })
        .collect()
}

fn probability(value: f64, at: &KeyPath, what: &str) -> Result<f64, Problem> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Problem::new(
            at.clone(),
            format!("{what} {value} is outside 0..1"),
        ))
    }
}

/// A classifier's accuracy: a confusion matrix, or for two classes TPR/FPR
/// or an AUC with one operating point.
fn accuracy(entry: &PlanEntry, at: &KeyPath, names: &[&str]) -> Result<Accuracy, Problem> {
    if let Some(matrix) = &entry.confusion {
        if entry.tpr.is_some() || entry.auc.is_some() {
            return Err(Problem::new(
                at.key("confusion"),
                "give one of `confusion`, `tpr`/`fpr` or `auc`, not several",
            ));
        }
        return confusion_matrix(matrix, at, names);
    }
    if names.len() != 2 {
        return Err(Problem::new(at.clone(), format!("`tpr`/`fpr` and `auc` describe a two-class classifier, but the scenario has {} classes", names.len()))
            .hint("give a `confusion` matrix for more classes"));
    }
    let positive = entry.positive.as_deref().ok_or_else(|| {
        Problem::new(
            at.key("positive"),
            "a two-class classifier needs `positive`: the class it detects",
        )
        .hint("e.g. `positive = \"hard\"`: TPR = P(routed as hard | hard)")
    })?;
    let positive = names
        .iter()
        .position(|n| *n == positive)
        .ok_or_else(|| unknown_class(positive, &at.key("positive"), names))?;
    if let Some(auc) = entry.auc {
        return auc_accuracy(entry, auc, positive, at);
    }
    let tpr = probability(entry.tpr.unwrap_or_default(), &at.key("tpr"), "TPR")?;
    let fpr = entry
        .fpr
        .ok_or_else(|| Problem::new(at.key("fpr"), "`tpr` needs `fpr` too"))?;
    Ok(Accuracy::Rates {
        positive,
        tpr,
        fpr: probability(fpr, &at.key("fpr"), "FPR")?,
    })
}

/// Rows are true classes, each a distribution over predicted classes.
fn confusion_matrix(
    matrix: &BTreeMap<String, BTreeMap<String, f64>>,
    at: &KeyPath,
    names: &[&str],
) -> Result<Accuracy, Problem> {
    let here = at.key("confusion");
    let mut rows = Vec::new();
    for class in names {
        let row = matrix.get(*class).ok_or_else(|| {
            Problem::new(
                here.clone(),
                format!("the confusion matrix has no row for class `{class}`"),
            )
            .hint("rows are true classes: `confusion.easy = { easy = 0.9, hard = 0.1 }`")
        })?;
        for predicted in row.keys() {
            if !names.contains(&predicted.as_str()) {
                return Err(unknown_class(
                    predicted,
                    &here.key(class).key(predicted),
                    names,
                ));
            }
        }
        let probs: Vec<f64> = names
            .iter()
            .map(|p| {
                probability(
                    row.get(*p).copied().unwrap_or(0.0),
                    &here.key(class).key(p),
                    "probability",
                )
            })
            .collect::<Result<_, _>>()?;
        let sum: f64 = probs.iter().sum();
        if (sum - 1.0).abs() > ROW_TOLERANCE {
            return Err(Problem::new(
                here.key(class),
                format!("row `{class}` sums to {}, not 1", (sum * 1e6).round() / 1e6),
            )
            .hint("each row is P(predicted class | true class): its entries must add up to 1"));
        }
        rows.push(probs);
    }
    for class in matrix.keys() {
        if !names.contains(&class.as_str()) {
            return Err(unknown_class(class, &here.key(class), names));
        }
    }
    Ok(Accuracy::Confusion(rows))
}

/// A binormal classifier of AUC `auc` at exactly one operating point.
fn auc_accuracy(
    entry: &PlanEntry,
    auc: f64,
    positive: usize,
    at: &KeyPath,
) -> Result<Accuracy, Problem> {
    if entry.tpr.is_some() {
        return Err(Problem::new(
            at.key("auc"),
            "give `auc` or `tpr`/`fpr`, not both",
        ));
    }
    if !(auc.is_finite() && (0.5..=1.0).contains(&auc)) {
        return Err(
            Problem::new(at.key("auc"), format!("AUC {auc} is outside 0.5..1"))
                .hint("0.5 is a coin flip, 1 a perfect classifier"),
        );
    }
    let points = [
        entry.fpr.is_some(),
        entry.threshold.is_some(),
        entry.strong_share.is_some(),
    ];
    if points.iter().filter(|p| **p).count() != 1 {
        return Err(Problem::new(at.key("auc"), "an AUC classifier needs exactly one operating point: `fpr`, `threshold` or `strong_share`"));
    }
    let at_point = if let Some(f) = entry.fpr {
        OperatingPoint::Fpr(probability(f, &at.key("fpr"), "FPR")?)
    } else if let Some(t) = entry.threshold {
        if !t.is_finite() {
            return Err(Problem::new(
                at.key("threshold"),
                "threshold must be a number",
            ));
        }
        OperatingPoint::Threshold(t)
    } else {
        OperatingPoint::StrongShare(probability(
            entry.strong_share.unwrap_or_default(),
            &at.key("strong_share"),
            "strong share",
        )?)
    };
    Ok(Accuracy::Auc {
        positive,
        auc,
        at: at_point,
    })
}

fn cascade(
    entry: &PlanEntry,
    stages: &[toml::Value],
    at: &KeyPath,
    names: &[&str],
    quality: &Quality,
    model: &ModelResolver,
) -> Result<Cascade, Problem> {
    let here = at.key("cascade");
    if stages.len() < 2 {
        return Err(Problem::new(
            here,
            format!("a cascade needs at least two models, got {}", stages.len()),
        )
        .hint("with one model it is a single-model plan: use `model`"));
    }
    let stages: Vec<String> = stages
        .iter()
        .enumerate()
        .map(|(i, m)| api_only(m, &here.index(i), model, "a cascade stage"))
        .collect::<Result<_, _>>()?;
    let verifier = match (entry.accept_correct, entry.accept_wrong, &entry.escalation) {
        (Some(c), Some(w), None) => {
            for stage in &stages[..stages.len() - 1] {
                for class in names {
                    if quality.rate(class, stage).is_none() {
                        return Err(Problem::new(at.key("accept_correct"), format!("verifier accept rates need the success rate of `{stage}` on class `{class}`"))
                            .hint(format!("add it under `[quality.{class}]`, or give a plain `escalation` rate per class")));
                    }
                }
            }
            Verifier::AcceptRates { correct: probability(c, &at.key("accept_correct"), "accept rate")?, wrong: probability(w, &at.key("accept_wrong"), "accept rate")? }
        }
        (None, None, Some(rates)) => {
            for class in rates.keys() {
                if !names.contains(&class.as_str()) {
                    return Err(unknown_class(class, &at.key("escalation").key(class), names));
                }
            }
            let by_class = names
                .iter()
                .map(|c| {
                    let rate = rates.get(*c).ok_or_else(|| Problem::new(at.key("escalation"), format!("no escalation rate for class `{c}`")))?;
                    probability(*rate, &at.key("escalation").key(c), "escalation rate")
                })
                .collect::<Result<_, _>>()?;
            Verifier::Escalation(by_class)
        }
        _ => {
            return Err(Problem::new(at.key("cascade"), "a cascade needs `accept_correct` and `accept_wrong`, or an `escalation` rate per class")
                .hint("accept rates: P(verifier accepts | answer correct / wrong); escalation: share of a class's requests passed on at each stage"))
        }
    };
    Ok(Cascade {
        stages,
        verifier,
        overhead: overhead(entry.verifier.as_ref(), &at.key("verifier"), model)?,
    })
}

fn overhead(
    entry: Option<&OverheadEntry>,
    at: &KeyPath,
    model: &ModelResolver,
) -> Result<Overhead, Problem> {
    let Some(e) = entry else {
        return Ok(Overhead::default());
    };
    let count = |v: Option<i64>, key: &str| -> Result<Option<u64>, Problem> {
        v.map(|n| {
            u64::try_from(n)
                .map_err(|_| Problem::new(at.key(key), format!("{key} = {n} is not a token count")))
        })
        .transpose()
    };
    let call = match &e.model {
        Some(m) => Some((
            model(m, &at.key("model"))?,
            count(e.prompt, "prompt")?,
            count(e.output, "output")?.unwrap_or(0),
        )),
        None if e.prompt.is_some() || e.output.is_some() => {
            return Err(Problem::new(
                at.key("model"),
                "token counts need the `model` that runs them",
            ));
        }
        None => None,
    };
    let fee = match e.fee_usd {
        None => Money::ZERO,
        Some(f) => Money::from_usd(f)
            .filter(|m| *m >= Money::ZERO)
            .ok_or_else(|| {
                Problem::new(
                    at.key("fee_usd"),
                    format!("fee {f} is not a non-negative USD amount"),
                )
            })?,
    };
    let latency_s = e.latency_s.unwrap_or(0.0);
    if !(latency_s.is_finite() && latency_s >= 0.0) {
        return Err(Problem::new(
            at.key("latency_s"),
            format!("latency {latency_s} must be zero or more seconds"),
        ));
    }
    Ok(Overhead {
        call,
        fee,
        latency_s,
    })
}
