//! A learned classification rule: `learned = "router.json"` in a
//! `[[gateway.rules]]` entry, with a `threshold` (one number, or one per
//! plan). The model file is the one `cost router train` writes, checked as
//! `cost router eval` checks it (format, version, sha256); a request's
//! score is `Router::score` of its text, the very function training and
//! evaluation use, so the gateway routes exactly as the evaluation
//! measured. The text is the system prompt (when there is one) and the last
//! user message, joined by a newline, as `cost router train` joins a JSON
//! Lines list of chat messages. Scoring is pure; loading reads the model
//! file once, at start-up, through `source.rs`.

use std::path::{Path, PathBuf};

use super::classify::Features;
use super::file::{RuleEntry, Threshold};
use crate::router::Router;
use crate::source::{KeyPath, Problem};

/// A loaded router and the threshold of the plan being served.
#[derive(Debug)]
pub struct Learned {
    /// The model file as configured (for messages).
    pub file: String,
    pub router: Router,
    /// The rule holds when the score is at least this.
    pub threshold: f64,
}

impl Learned {
    /// The calibrated probability that the request needs the strong model,
    /// or why it cannot be scored (its embedding could not be had).
    pub fn score(&self, f: &Features) -> Result<f64, String> {
        let embedding = match &f.embedding {
            Some(Ok(e)) => Some(e.as_slice()),
            Some(Err(why)) => return Err(why.clone()),
            None => None,
        };
        let scored = if f.system.is_empty() {
            // The common case, without a copy of the message.
            self.router.score_with(&f.last_user, embedding)
        } else {
            self.router.score_with(&routing_text(f), embedding)
        };
        scored.map_err(|e| e.to_string())
    }
}

/// The text a learned router scores: the system prompt (when there is one)
/// and the last user message, joined by a newline. Shadow pairs log the
/// same string, so a router trained on them sees what it will score.
pub fn routing_text(f: &Features) -> String {
    if f.system.is_empty() {
        f.last_user.clone()
    } else {
        format!("{}\n{}", f.system, f.last_user)
    }
}

/// The learned condition of a rule entry, if it has one. `base` is the
/// directory relative model paths are found in (the config file's).
pub fn load(
    entry: &RuleEntry,
    plan: &str,
    base: Option<&Path>,
    at: &KeyPath,
) -> Result<Option<Learned>, Problem> {
    let Some(file) = &entry.learned else {
        if entry.threshold.is_some() {
            return Err(Problem::new(
                at.key("threshold"),
                "a threshold without a learned router",
            )
            .hint("add learned = \"router.json\" (a file from `cost router train`), or remove threshold"));
        }
        return Ok(None);
    };
    let threshold = threshold(entry.threshold.as_ref(), plan, &at.key("threshold"))?;
    let path = match base {
        Some(dir) if Path::new(file).is_relative() => dir.join(file),
        _ => PathBuf::from(file),
    };
    let key = at.key("learned");
    let (bytes, name) = crate::source::read_bytes(&path)
        .map_err(|e| Problem::new(key.clone(), e.to_string()).hint(
            "name a model file written by `cost router train`; a relative path is read beside this config",
        ))?;
    let router = std::str::from_utf8(&bytes)
        .map_err(|_| "not UTF-8 text".to_string())
        .and_then(|text| Router::from_json(text).map_err(|e| e.to_string()))
        .map_err(|e| {
            Problem::new(key, format!("{name}: {e}")).hint(
                "use a file written by `cost router train` of this version of cost, unedited (or train it again)",
            )
        })?;
    Ok(Some(Learned {
        file: file.clone(),
        router,
        threshold,
    }))
}

fn threshold(given: Option<&Threshold>, plan: &str, at: &KeyPath) -> Result<f64, Problem> {
    let check = |t: f64, key: &KeyPath| {
        if (0.0..=1.0).contains(&t) {
            Ok(t)
        } else {
            Err(Problem::new(key.clone(), format!("threshold {t} is outside 0..1"))
                .hint("the router's score is a probability: give a threshold between 0 and 1, e.g. 0.5 (`cost router eval --threshold T` measures one)"))
        }
    };
    match given {
        None => Err(Problem::new(at.clone(), "a learned rule needs a threshold")
            .hint("give threshold = 0.5, or one per plan: threshold = { PLAN = 0.4 }")),
        Some(Threshold::One(t)) => check(*t, at),
        Some(Threshold::PerPlan(by_plan)) => {
            for (name, t) in by_plan {
                check(*t, &at.key(name))?;
            }
            by_plan.get(plan).copied().ok_or_else(|| {
                let named: Vec<&str> = by_plan.keys().map(String::as_str).collect();
                Problem::new(
                    at.clone(),
                    format!("no threshold for plan `{plan}`, which the gateway serves"),
                )
                .hint(format!(
                    "thresholds are given for: {}; add {plan} = T",
                    if named.is_empty() {
                        "(none)".to_string()
                    } else {
                        named.join(", ")
                    }
                ))
            })
        }
    }
}
