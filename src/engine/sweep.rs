//! `cost sweep`: recompute every plan while one parameter moves. Each
//! parameter is applied to a copy of the scenario (or of the catalog, for a
//! price multiplier); nothing else changes.

use super::outcome::{Context, EngineError, PlanOutcome};
use super::routing::evaluate;
use crate::pricing::bill::Request;
use crate::pricing::Catalog;
use crate::scenario::token_dist::{CacheSpec, TokenDist, TokenModel};
use crate::scenario::{Accuracy, OperatingPoint, PlanKind, Scenario, Verifier};

/// A scenario parameter a sweep can move.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// A class's share of traffic; the other classes keep their proportions.
    Share(String),
    /// Requests per day.
    Volume,
    /// Classifier settings of every classifier plan that has them.
    Fpr,
    Tpr,
    Threshold,
    Auc,
    StrongShare,
    /// A plain escalation rate for every class of every cascade plan.
    Escalation,
    AcceptCorrect,
    AcceptWrong,
    /// A multiplier on every price of a model.
    Price(String),
    /// A class's token counts.
    Prompt(String),
    Output(String),
    Reasoning(String),
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("unknown class `{0}`\n  hint: {1}")]
    UnknownClass(String, String),
    #[error("cannot set the share of `{0}`: it is the only class")]
    OnlyClass(String),
    #[error("{param}={value}: {why}")]
    BadValue {
        param: String,
        value: f64,
        why: &'static str,
    },
    #[error("no plan of this scenario has {needs}, so the sweep would change nothing\n  hint: add such a plan, or vary another parameter (`cost sweep --help` lists them)")]
    NoEffect { needs: &'static str },
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    UnknownModel(#[from] crate::pricing::UnknownModel),
}

/// Every plan of `scenario` (plus `extra` single-model plans) at each value.
pub fn sweep(
    scenario: &Scenario,
    param: &Param,
    values: &[f64],
    ctx: &Context,
    extra: &[crate::scenario::Plan],
) -> Result<Vec<(f64, Vec<PlanOutcome>)>, SweepError> {
    let mut out = Vec::with_capacity(values.len());
    for &v in values {
        let (s, catalog) = apply(scenario, param, v, ctx.catalog)?;
        let ctx = Context {
            catalog: &catalog,
            ..*ctx
        };
        let outcomes = s
            .plans
            .iter()
            .chain(extra)
            .map(|p| evaluate(&s, p, &ctx))
            .collect::<Result<Vec<_>, _>>()?;
        out.push((v, outcomes));
    }
    Ok(out)
}

pub(crate) fn apply(
    scenario: &Scenario,
    param: &Param,
    v: f64,
    catalog: &Catalog,
) -> Result<(Scenario, Catalog), SweepError> {
    let mut s = scenario.clone();
    let bad = |why| SweepError::BadValue {
        param: name(param),
        value: v,
        why,
    };
    let unit = |v: f64| {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(bad("must be between 0 and 1"))
        }
    };
    let class = |s: &Scenario, c: &str| {
        s.class_index(c).ok_or_else(|| {
            let names: Vec<&str> = s.classes.iter().map(|c| c.name.as_str()).collect();
            SweepError::UnknownClass(
                c.to_string(),
                format!(
                    "{}classes in this scenario: {}",
                    crate::suggest::did_you_mean(&crate::suggest::closest(
                        c,
                        names.iter().copied(),
                        3
                    )),
                    names.join(", ")
                ),
            )
        })
    };
    let mut scaled = None;
    match param {
        Param::Share(c) => {
            let k = class(&s, c)?;
            let v = unit(v)?;
            if s.classes.len() < 2 {
                return Err(SweepError::OnlyClass(c.clone()));
            }
            set_share(&mut s, k, v);
        }
        Param::Volume => {
            if !(0.0..=crate::scenario::MAX_REQUESTS_PER_DAY).contains(&v) {
                return Err(bad("must be 0 to 1e15 requests per day"));
            }
            s.requests_per_day = v;
        }
        Param::Price(m) => {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(bad("a price multiplier must be zero or more"));
            }
            scaled = Some(catalog.with_price_factor(m, v)?);
        }
        Param::Prompt(c) | Param::Output(c) | Param::Reasoning(c) => {
            let k = class(&s, c)?;
            if !(v >= 0.0 && v.fract() == 0.0) {
                return Err(bad("must be a whole number of tokens, zero or more"));
            }
            set_tokens(&mut s, k, param, v as u64, &bad)?;
        }
        _ => {
            let v = if matches!(param, Param::Threshold) {
                v
            } else {
                unit(v)?
            };
            if matches!(param, Param::Auc) && v < 0.5 {
                return Err(bad("an AUC must be between 0.5 and 1"));
            }
            if set_router(&mut s, param, v) == 0 {
                return Err(SweepError::NoEffect {
                    needs: needs(param),
                });
            }
        }
    }
    Ok((s, scaled.unwrap_or_else(|| catalog.clone())))
}

/// Sets class `k`'s share to `v`; the other classes keep their proportions.
fn set_share(s: &mut Scenario, k: usize, v: f64) {
    let others: f64 = s
        .classes
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != k)
        .map(|(_, c)| c.share)
        .sum();
    let n_others = (s.classes.len() - 1) as f64;
    for (j, cl) in s.classes.iter_mut().enumerate() {
        cl.share = if j == k {
            v
        } else if others > 0.0 {
            cl.share / others * (1.0 - v)
        } else {
            (1.0 - v) / n_others
        };
    }
}

/// Sets a class's prompt, output or reasoning tokens to `n`, for every model.
fn set_tokens(
    s: &mut Scenario,
    k: usize,
    param: &Param,
    n: u64,
    bad: &dyn Fn(&'static str) -> SweepError,
) -> Result<(), SweepError> {
    let cl = &mut s.classes[k];
    let set = |r: &mut Request, t: &mut TokenModel| -> Result<(), SweepError> {
        let fixed = TokenDist::Fixed(n as f64);
        match param {
            Param::Prompt(_) => {
                if r.cached() > n && matches!(t.cache_read, CacheSpec::Tokens(_)) {
                    return Err(bad("is smaller than the class's cache reads and writes"));
                }
                t.prompt = fixed;
            }
            Param::Output(_) => t.output = fixed,
            _ => t.reasoning = fixed,
        }
        *r = t.mean_request(r.tier);
        Ok(())
    };
    set(&mut cl.request, &mut cl.tokens)?;
    for (r, t) in cl.per_model.values_mut() {
        set(r, t)?;
    }
    Ok(())
}

/// The kind of plan a router parameter needs, for the error when none has it.
fn needs(param: &Param) -> &'static str {
    match param {
        Param::Fpr => "an `fpr` (a classifier plan with `tpr`/`fpr` rates or an `auc`)",
        Param::Tpr => "a `tpr` (a classifier plan with `tpr`/`fpr` rates)",
        Param::Threshold | Param::StrongShare => {
            "an operating point to move (a classifier plan known by its `auc`)"
        }
        Param::Auc => "an AUC (a classifier plan with `auc = ...`)",
        Param::Escalation => "an escalation rate (a `cascade` plan)",
        Param::AcceptCorrect | Param::AcceptWrong => {
            "verifier accept rates (a `cascade` plan with `accept_correct`/`accept_wrong`)"
        }
        _ => "this setting",
    }
}

/// Sets a classifier or cascade setting of every plan that has it; returns
/// how many plans it changed (none: the parameter does nothing here).
fn set_router(s: &mut Scenario, param: &Param, v: f64) -> usize {
    let classes = s.classes.len();
    let mut changed = 0;
    for plan in &mut s.plans {
        let hit = match (&mut plan.kind, param) {
            (PlanKind::Classifier(c), _) => match (&mut c.accuracy, param) {
                (Accuracy::Rates { fpr, .. }, Param::Fpr) => {
                    *fpr = v;
                    true
                }
                (Accuracy::Rates { tpr, .. }, Param::Tpr) => {
                    *tpr = v;
                    true
                }
                (Accuracy::Auc { at, .. }, Param::Fpr) => {
                    *at = OperatingPoint::Fpr(v);
                    true
                }
                (Accuracy::Auc { at, .. }, Param::Threshold) => {
                    *at = OperatingPoint::Threshold(v);
                    true
                }
                (Accuracy::Auc { at, .. }, Param::StrongShare) => {
                    *at = OperatingPoint::StrongShare(v);
                    true
                }
                (Accuracy::Auc { auc, .. }, Param::Auc) => {
                    *auc = v;
                    true
                }
                _ => false,
            },
            (PlanKind::Cascade(c), Param::Escalation) => {
                c.verifier = Verifier::Escalation(vec![v; classes]);
                true
            }
            (PlanKind::Cascade(c), Param::AcceptCorrect) => {
                if let Verifier::AcceptRates { correct, .. } = &mut c.verifier {
                    *correct = v;
                    true
                } else {
                    false
                }
            }
            (PlanKind::Cascade(c), Param::AcceptWrong) => {
                if let Verifier::AcceptRates { wrong, .. } = &mut c.verifier {
                    *wrong = v;
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        changed += usize::from(hit);
    }
    changed
}

/// More values than this is a typo in STEP, not a sweep.
pub const MAX_VALUES: usize = 10_000;

/// What a sweep moves and through which values: `PARAM=FROM..TO[:STEP]`,
/// TO included, STEP a tenth of the range by default.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    pub param: Param,
    pub values: Vec<f64>,
}

impl std::str::FromStr for Vary {
    type Err = String;

    fn from_str(text: &str) -> Result<Vary, String> {
        let usage = || "expected PARAM=FROM..TO[:STEP], e.g. share:easy=0.5..0.95:0.05".to_string();
        let (param, range) = text.split_once('=').ok_or_else(usage)?;
        let param = parse(param.trim()).ok_or_else(|| unknown_param(param.trim()))?;
        let (range, step) = match range.split_once(':') {
            Some((r, s)) => (r, Some(s)),
            None => (range, None),
        };
        let (from, to) = range.split_once("..").ok_or_else(usage)?;
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (from, to) = (
            number(from).ok_or_else(usage)?,
            number(to).ok_or_else(usage)?,
        );
        if to < from {
            return Err(format!("the range ends ({to}) before it starts ({from})"));
        }
        let step = match step {
            Some(s) => number(s)
                .filter(|s| *s > 0.0)
                .ok_or_else(|| "STEP must be a positive number".to_string())?,
            None if to > from => (to - from) / 10.0,
            None => 1.0,
        };
        let count = ((to - from) / step + 1e-9).floor() as usize + 1;
        if count > MAX_VALUES {
            return Err(format!(
                "{count} values is more than {MAX_VALUES}; use a larger STEP"
            ));
        }
        let values = (0..count).map(|i| from + step * i as f64).collect();
        Ok(Vary { param, values })
    }
}

/// Every parameter as the user writes it.
const PARAMS: [&str; 14] = [
    "share:CLASS",
    "volume",
    "fpr",
    "tpr",
    "threshold",
    "auc",
    "strong-share",
    "escalation",
    "accept-correct",
    "accept-wrong",
    "price:MODEL",
    "prompt:CLASS",
    "output:CLASS",
    "reasoning:CLASS",
];

/// The error for a parameter that is none of `PARAMS`, with the nearest.
fn unknown_param(text: &str) -> String {
    // `promt:easy` is compared as `promt`, against the names before their `:`.
    let (head, arg) = text.split_once(':').unwrap_or((text, ""));
    let heads = PARAMS.map(|p| p.split(':').next().unwrap_or(p));
    let near: Vec<String> = crate::suggest::closest(head, heads, 3)
        .into_iter()
        .map(|h| {
            let with_arg = PARAMS.iter().find(|p| p.starts_with(&format!("{h}:")));
            match (with_arg, arg.is_empty()) {
                (Some(_), false) => format!("{h}:{arg}"),
                (Some(p), true) => (*p).to_string(),
                (None, _) => h.to_string(),
            }
        })
        .collect();
    let near: Vec<&str> = near.iter().map(String::as_str).collect();
    format!(
        "unknown parameter `{text}`\n  hint: {}PARAM is one of {}",
        crate::suggest::did_you_mean(&near),
        PARAMS.join(", ")
    )
}

/// The parameter as written on the command line.
pub fn name(param: &Param) -> String {
    match param {
        Param::Share(c) => format!("share:{c}"),
        Param::Volume => "volume".into(),
        Param::Fpr => "fpr".into(),
        Param::Tpr => "tpr".into(),
        Param::Threshold => "threshold".into(),
        Param::Auc => "auc".into(),
        Param::StrongShare => "strong-share".into(),
        Param::Escalation => "escalation".into(),
        Param::AcceptCorrect => "accept-correct".into(),
        Param::AcceptWrong => "accept-wrong".into(),
        Param::Price(m) => format!("price:{m}"),
        Param::Prompt(c) => format!("prompt:{c}"),
        Param::Output(c) => format!("output:{c}"),
        Param::Reasoning(c) => format!("reasoning:{c}"),
    }
}

/// Parses `share:easy`, `volume`, `price:gpt-6-sol`, ... (see `name`).
pub fn parse(text: &str) -> Option<Param> {
    let (head, arg) = match text.split_once(':') {
        Some((h, a)) => (h, Some(a.to_string())),
        None => (text, None),
    };
    Some(match (head, arg) {
        ("share", Some(c)) => Param::Share(c),
        ("price", Some(m)) => Param::Price(m),
        ("prompt", Some(c)) => Param::Prompt(c),
        ("output", Some(c)) => Param::Output(c),
        ("reasoning", Some(c)) => Param::Reasoning(c),
        ("volume", None) => Param::Volume,
        ("fpr", None) => Param::Fpr,
        ("tpr", None) => Param::Tpr,
        ("threshold", None) => Param::Threshold,
        ("auc", None) => Param::Auc,
        ("strong-share", None) => Param::StrongShare,
        ("escalation", None) => Param::Escalation,
        ("accept-correct", None) => Param::AcceptCorrect,
        ("accept-wrong", None) => Param::AcceptWrong,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_include_both_ends() {
        let v: Vary = "share:easy=0.5..0.9:0.1".parse().unwrap();
        assert_eq!(v.param, Param::Share("easy".into()));
        assert_eq!(v.values.len(), 5);
        assert!((v.values[4] - 0.9).abs() < 1e-12);
        assert_eq!(
            "volume=1000..2000".parse::<Vary>().unwrap().values.len(),
            11
        );
    }

    #[test]
    fn a_mistyped_parameter_names_the_nearest() {
        let err = "promt:easy=1..2".parse::<Vary>().unwrap_err();
        assert!(err.contains("did you mean `prompt:easy`?"), "{err}");
        let err = "escalaton=0..1".parse::<Vary>().unwrap_err();
        assert!(err.contains("did you mean `escalation`?"), "{err}");
    }

    #[test]
    fn bad_ranges_are_errors() {
        for bad in [
            "share:easy",
            "share:easy=0.9..0.1",
            "nope=1..2",
            "fpr=0..1:0",
            "fpr=0..1:-1",
            "volume=0..1e9:1",
        ] {
            assert!(bad.parse::<Vary>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_parameter_name_parses_back() {
        for p in [
            Param::Share("easy".into()),
            Param::Volume,
            Param::Fpr,
            Param::Tpr,
            Param::Threshold,
            Param::Auc,
            Param::StrongShare,
            Param::Escalation,
            Param::AcceptCorrect,
            Param::AcceptWrong,
            Param::Price("gpt-4o".into()),
            Param::Prompt("a".into()),
            Param::Output("a".into()),
            Param::Reasoning("a".into()),
        ] {
            assert_eq!(parse(&name(&p)), Some(p));
        }
        assert_eq!(parse("share"), None);
        assert_eq!(parse("bogus"), None);
    }
}
