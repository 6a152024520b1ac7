//! Reads a scenario and validates it against the catalog: shares sum to 1,
//! token counts are whole and non-negative, cache tokens fit in the prompt,
//! every model and class a plan names exists. Errors name the key and line.

use std::collections::BTreeMap;
use std::path::Path;

use super::file::{ClassEntry, ScenarioFile};
use super::model::{
    Class, Plan, Quality, Scenario, Slo, Variation, DAYS_PER_MONTH, MAX_REQUESTS_PER_DAY,
};
use super::names::{service_tier, unknown_class, ModelResolver};
use super::proxy::Proxy;
use super::token_dist::{CacheSpec, TokenModel};
use super::token_dist_load::{cache_spec, token_dist};
use crate::pricing::Catalog;
use crate::source::{InputError, KeyPath, Problem, Source};
use crate::suggest::{closest, did_you_mean};

/// Shares must sum to 1 within this tolerance.
const SHARE_TOLERANCE: f64 = 1e-6;

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("no scenario named `{name}`\n  hint: {}give a path to a .toml file, or one of the built-in scenarios: {}", crate::suggest::did_you_mean(&crate::suggest::closest(name, .known.iter().map(String::as_str), 3)), .known.join(", "))]
    UnknownName { name: String, known: Vec<String> },
    #[error("no such file `{path}`\n  hint: check the path; `cost scenarios` lists the built-in scenarios, `cost init {path}` writes a starter scenario there")]
    NoSuchFile { path: String },
}

/// Whether a scenario argument is meant as a file rather than a built-in
/// name: it has a folder separator or a `.toml` ending.
pub fn looks_like_path(name: &str) -> bool {
    name.contains('/')
        || name.contains(std::path::MAIN_SEPARATOR)
        || Path::new(name)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// The built-in scenario called `name` (`default`, `rag`, ...), if any.
pub fn builtin(name: &str) -> Option<Source> {
    crate::embedded::SCENARIOS
        .iter()
        .find(|(file, _)| file.trim_end_matches(".toml") == name)
        .map(|(file, text)| Source::embedded(&format!("scenarios/{file}"), text))
}

/// The built-in scenario called `name`, or the error naming the nearest ones.
pub fn builtin_named(name: &str) -> Result<Source, ScenarioError> {
    builtin(name).ok_or_else(|| ScenarioError::UnknownName {
        name: name.to_string(),
        known: builtin_names(),
    })
}

/// The commented scenario `cost init` writes when no built-in is named.
pub const STARTER: &str = include_str!("starter.toml");

pub fn builtin_names() -> Vec<String> {
    crate::embedded::SCENARIOS
        .iter()
        .map(|(file, _)| file.trim_end_matches(".toml").to_string())
        .collect()
}

pub fn load_scenario(source: &Source, catalog: &Catalog) -> Result<Scenario, InputError> {
    // Files a scenario names (empirical token counts) are relative to it.
    let base = source.path.as_deref().and_then(Path::parent);
    let file: ScenarioFile =
        toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
    let mut scenario =
        build(&file, catalog, &source.name, base).map_err(|p| p.in_source(source))?;
    scenario.plan_lines = (0..scenario.plans.len())
        .map(|i| source.line_of(&KeyPath::root().key("plans").index(i)))
        .collect();
    for h in &mut scenario.hosted {
        h.file.clone_from(&source.name);
        h.line = source.line_of(&h.at);
    }
    Ok(scenario)
}

fn build(
    file: &ScenarioFile,
    catalog: &Catalog,
    origin: &str,
    base: Option<&Path>,
) -> Result<Scenario, Problem> {
    let root = KeyPath::root();
    let date = file
        .date
        .as_ref()
        .map(|d| crate::pricing::load::date(d, &root.key("date")))
        .transpose()?;
    let (requests_per_day, days_per_month) = volume(file)?;
    let model = |name: &str, at: &KeyPath| -> Result<String, Problem> {
        catalog
            .lookup(name)
            .map(|m| m.id.clone())
            .map_err(|e| Problem::new(at.clone(), e.to_string()))
    };
    let classes = classes(file, base, &model)?;
    let (quality, hosted_quality, proxies) = quality(file, &classes, catalog, &model)?;
    let mut hosted = Vec::new();
    let mut plans = plans(file, &classes, &quality, &model, &mut hosted)?;
    super::routes::distinguish(&mut hosted, &mut plans);
    let compare_models = match &file.compare {
        None => Vec::new(),
        Some(c) => c
            .models
            .iter()
            .enumerate()
            .map(|(i, m)| model(m, &root.key("compare").key("models").index(i)))
            .collect::<Result<_, _>>()?,
    };
    let hosted_ids: Vec<&str> = hosted.iter().map(|h| h.id.as_str()).collect();
    super::tiers::check(&plans, &classes, &compare_models, catalog, &hosted_ids)?;
    let budget = file
        .budget
        .as_ref()
        .map(|b| super::budget::build(b, &plans))
        .transpose()?;
    Ok(Scenario {
        name: file.name.clone(),
        description: file.description.clone(),
        date,
        requests_per_day,
        days_per_month,
        baseline: baseline(file, &plans)?,
        classes,
        quality,
        quality_source: file.quality_source.clone(),
        proxies,
        plans,
        compare_models,
        budget,
        slo: slo(file)?,
        variation: variation(file, base)?,
        traffic: super::traffic::build(file.traffic.as_ref())?,
        origin: origin.to_string(),
        plan_lines: Vec::new(),
        hosted,
        hosted_quality,
    })
}

/// The classes: at least one, each declared once, shares summing to 1.
fn classes(
    file: &ScenarioFile,
    base: Option<&Path>,
    model: &ModelResolver,
) -> Result<Vec<Class>, Problem> {
    let root = KeyPath::root();
    if file.classes.is_empty() {
        return Err(
            Problem::new(root.key("classes"), "the scenario has no request classes")
                .hint("add a `[[classes]]` block with name, share, prompt and output"),
        );
    }
    let mut classes = Vec::new();
    for (i, entry) in file.classes.iter().enumerate() {
        let at = root.key("classes").index(i);
        if classes.iter().any(|c: &Class| c.name == entry.name) {
            return Err(Problem::new(
                at.key("name"),
                format!("class `{}` is declared twice", entry.name),
            ));
        }
        classes.push(build_class(entry, &at, base, model)?);
    }
    let total: f64 = classes.iter().map(|c| c.share).sum();
    if (total - 1.0).abs() > SHARE_TOLERANCE {
        return Err(Problem::new(
            root.key("classes").index(classes.len() - 1).key("share"),
            format!("class shares sum to {}, not 1", (total * 1e6).round() / 1e6),
        )
        .hint("shares are fractions of all traffic: make them add up to exactly 1"));
    }
    Ok(classes)
}

/// Success rates per class and deployment (`MODEL@ID`).
type HostedQuality = BTreeMap<String, BTreeMap<String, f64>>;

/// `[quality.CLASS]`: success rates in 0..1 of known models on known
/// classes, over the `[quality_proxy]` benchmark scores where one is named.
/// A name with `@` that is no catalog model is a self-hosted deployment's
/// (checked when its fleet is sized).
fn quality(
    file: &ScenarioFile,
    classes: &[Class],
    catalog: &Catalog,
    model: &ModelResolver,
) -> Result<(Quality, HostedQuality, Vec<Proxy>), Problem> {
    let mut hosted: HostedQuality = BTreeMap::new();
    let class_names: Vec<&str> = classes.iter().map(|c| c.name.as_str()).collect();
    let mut quality: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut proxies = Vec::new();
    for (class, metric) in &file.quality_proxy {
        let at = KeyPath::root().key("quality_proxy").key(class);
        let Some(c) = classes.iter().find(|c| &c.name == class) else {
            return Err(unknown_class(class, &at, &class_names));
        };
        let p = super::proxy::build(class, metric, c.reasoning_effort, catalog, &at)?;
        let rates = quality.entry(class.clone()).or_default();
        for (id, score) in &p.scores {
            rates.insert(id.clone(), super::proxy::rate(score));
        }
        proxies.push(p);
    }
    for (class, rates) in &file.quality {
        let at = KeyPath::root().key("quality").key(class);
        if !class_names.contains(&class.as_str()) {
            return Err(unknown_class(class, &at, &class_names));
        }
        let mut by_model = BTreeMap::new();
        for (name, rate) in rates {
            let here = at.key(name);
            if !(0.0..=1.0).contains(rate) {
                return Err(
                    Problem::new(here, format!("success rate {rate} is outside 0..1")).hint(
                        "quality is the share of requests your evals judged correct, e.g. 0.93",
                    ),
                );
            }
            if name.contains('@') && catalog.get(name).is_none() {
                hosted
                    .entry(class.clone())
                    .or_default()
                    .insert(name.clone(), *rate);
                continue;
            }
            by_model.insert(model(name, &here)?, *rate);
        }
        // The user's own rates replace the proxy's for the models they name.
        for p in &mut proxies {
            if &p.class == class {
                p.scores.retain(|id, _| !by_model.contains_key(id));
            }
        }
        quality.entry(class.clone()).or_default().extend(by_model);
    }
    Ok((Quality(quality), hosted, proxies))
}

/// The plans, each declared once.
fn plans(
    file: &ScenarioFile,
    classes: &[Class],
    quality: &Quality,
    model: &ModelResolver,
    hosted: &mut Vec<super::model::HostedRoute>,
) -> Result<Vec<Plan>, Problem> {
    let mut plans = Vec::new();
    for (i, entry) in file.plans.iter().enumerate() {
        let at = KeyPath::root().key("plans").index(i);
        if plans.iter().any(|p: &Plan| p.name == entry.name) {
            return Err(Problem::new(
                at.key("name"),
                format!("plan `{}` is declared twice", entry.name),
            ));
        }
        let mut found = super::routes::Found {
            plan: i,
            routes: hosted,
        };
        plans.push(super::plans::build_plan(
            entry, &at, classes, quality, model, &mut found,
        )?);
    }
    Ok(plans)
}

/// `baseline`, else the first plan; there must be one.
fn baseline(file: &ScenarioFile, plans: &[Plan]) -> Result<String, Problem> {
    let root = KeyPath::root();
    match &file.baseline {
        Some(name) if plans.iter().any(|p| &p.name == name) => Ok(name.clone()),
        Some(name) => {
            let known: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
            Err(Problem::new(
                root.key("baseline"),
                format!("baseline `{name}` is not a plan of this scenario"),
            )
            .hint(format!(
                "{}name one of: {}",
                did_you_mean(&closest(name, known.iter().copied(), 3)),
                known.join(", ")
            )))
        }
        None => match plans.first() {
            Some(p) => Ok(p.name.clone()),
            None => Err(
                Problem::new(root.key("plans"), "the scenario has no plans").hint(
                    "add a `[[plans]]` block, e.g. `name = \"all-frontier\"` and `model = \"...\"`",
                ),
            ),
        },
    }
}

/// `[slo]`: positive p95 targets in seconds.
fn slo(file: &ScenarioFile) -> Result<Slo, Problem> {
    let Some(e) = &file.slo else {
        return Ok(Slo::default());
    };
    let seconds = |v: Option<f64>, key: &str| match v {
        Some(x) if !(x.is_finite() && x > 0.0) => Err(Problem::new(
            KeyPath::root().key("slo").key(key),
            format!("{key} = {x} must be a positive number of seconds"),
        )),
        other => Ok(other),
    };
    Ok(Slo {
        ttft_p95_s: seconds(e.ttft_p95_s, "ttft_p95_s")?,
        e2e_p95_s: seconds(e.e2e_p95_s, "e2e_p95_s")?,
    })
}

/// `[variation]`: a daily volume distribution and a mix drift in 0..1.
fn variation(file: &ScenarioFile, base: Option<&Path>) -> Result<Variation, Problem> {
    let Some(e) = &file.variation else {
        return Ok(Variation::default());
    };
    let at = KeyPath::root().key("variation");
    let drift = e.mix_drift.unwrap_or(0.0);
    if !(0.0..1.0).contains(&drift) {
        return Err(Problem::new(
            at.key("mix_drift"),
            format!("mix_drift = {drift} must be in 0..1"),
        )
        .hint("0.1 lets each class share move by up to ±10% a day"));
    }
    Ok(Variation {
        volume: e
            .requests_per_day
            .as_ref()
            .map(|v| token_dist(v, &at.key("requests_per_day"), base))
            .transpose()?,
        mix_drift: drift,
    })
}

fn volume(file: &ScenarioFile) -> Result<(f64, f64), Problem> {
    let at = KeyPath::root().key("volume");
    let days = file.volume.days_per_month.unwrap_or(DAYS_PER_MONTH);
    if !(days.is_finite() && (28.0..=31.0).contains(&days)) {
        return Err(Problem::new(
            at.key("days_per_month"),
            format!("{days} days per month is not between 28 and 31"),
        ));
    }
    let per_day = match (file.volume.requests_per_day, file.volume.requests_per_month) {
        (Some(d), None) => (d, "requests_per_day"),
        (None, Some(m)) => (m / days, "requests_per_month"),
        _ => {
            return Err(Problem::new(
                at,
                "give exactly one of `requests_per_day` and `requests_per_month`",
            ))
        }
    };
    if !(per_day.0.is_finite() && per_day.0 >= 0.0) {
        return Err(Problem::new(
            at.key(per_day.1),
            "the volume must be zero or more requests",
        ));
    }
    if per_day.0 > MAX_REQUESTS_PER_DAY {
        return Err(Problem::new(
            at.key(per_day.1),
            format!(
                "{:e} requests a day is above the most `cost` simulates ({MAX_REQUESTS_PER_DAY:e})",
                per_day.0
            ),
        )
        .hint("give the volume in requests per day up to 1e15"));
    }
    Ok((per_day.0, days))
}

fn build_class(
    entry: &ClassEntry,
    at: &KeyPath,
    base: Option<&Path>,
    model: &ModelResolver,
) -> Result<Class, Problem> {
    if !(entry.share.is_finite() && (0.0..=1.0).contains(&entry.share)) {
        return Err(Problem::new(
            at.key("share"),
            format!("share {} is outside 0..1", entry.share),
        ));
    }
    let tier = service_tier(entry.tier.as_deref(), at)?.unwrap_or_default();
    let zero = toml::Value::Integer(0);
    let tokens = TokenModel {
        prompt: token_dist(&entry.prompt, &at.key("prompt"), base)?,
        cache_read: cache_spec(entry.cache_read.as_ref(), &at.key("cache_read"), base)?,
        cache_write: cache_spec(entry.cache_write.as_ref(), &at.key("cache_write"), base)?,
        cache_write_1h: cache_spec(
            entry.cache_write_1h.as_ref(),
            &at.key("cache_write_1h"),
            base,
        )?,
        output: token_dist(&entry.output, &at.key("output"), base)?,
        reasoning: token_dist(
            entry.reasoning.as_ref().unwrap_or(&zero),
            &at.key("reasoning"),
            base,
        )?,
    };
    let shares: f64 = [
        &tokens.cache_read,
        &tokens.cache_write,
        &tokens.cache_write_1h,
    ]
    .iter()
    .map(|c| match c {
        CacheSpec::Share(s) => *s,
        CacheSpec::Tokens(_) => 0.0,
    })
    .sum();
    if shares > 1.0 {
        return Err(Problem::new(
            at.key("cache_read"),
            format!("cache shares add up to {shares}, more than the whole prompt"),
        )
        .hint("cache reads and writes are parts of the prompt: their shares add up to 1 at most"));
    }
    let request = tokens.mean_request(tier);
    if request.cached() > request.input {
        return Err(Problem::new(at.key("cache_read"), format!("cache reads and writes ({}) exceed the prompt ({})", request.cached(), request.input))
            .hint("`prompt` is the whole prompt; cache reads and writes are the part of it served from or written to the cache"));
    }
    let mut per_model = BTreeMap::new();
    for (name, o) in &entry.models {
        let here = at.key("models").key(name);
        let id = model(name, &here)?;
        let mut t = tokens.clone();
        if let Some(v) = &o.output {
            t.output = token_dist(v, &here.key("output"), base)?;
        }
        if let Some(v) = &o.reasoning {
            t.reasoning = token_dist(v, &here.key("reasoning"), base)?;
        }
        per_model.insert(id, (t.mean_request(tier), t));
    }
    Ok(Class {
        name: entry.name.clone(),
        description: entry.description.clone(),
        share: entry.share,
        request,
        tokens,
        per_model,
        reasoning_effort: entry
            .reasoning_effort
            .as_deref()
            .map(|e| {
                e.parse()
                    .map_err(|m: String| Problem::new(at.key("reasoning_effort"), m))
            })
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    //! The scenario loader's validation rules, one test each: what is
    //! rejected, at which key and line.
    use super::*;

    const HEAD: &str = "name = \"t\"\nbaseline = \"all\"\n[volume]\nrequests_per_day = 100\n";
    const CLASS: &str = "[[classes]]\nname = \"a\"\nshare = 1.0\nprompt = 100\noutput = 10\n";
    const PLAN: &str = "[[plans]]\nname = \"all\"\nmodel = \"gpt-4o\"\n";

    fn load(text: &str) -> Result<Scenario, InputError> {
        let catalog = Catalog::builtin().unwrap();
        load_scenario(&Source::embedded("t.toml", text), &catalog)
    }

    fn rejected(text: &str, key: &str, message: &str) {
        let e = load(text).expect_err("the loader rejects it");
        assert_eq!(e.key, key, "{e:?}");
        assert!(e.message.contains(message), "{e:?}");
        assert!(e.line.is_some(), "a line number: {e:?}");
    }

    #[test]
    fn a_minimal_scenario_loads() {
        let s = load(&format!("{HEAD}{CLASS}{PLAN}")).unwrap();
        assert_eq!((s.classes.len(), s.plans.len()), (1, 1));
        assert_eq!(s.requests_per_day, 100.0);
    }

    #[test]
    fn shares_must_sum_to_one() {
        let two = "[[classes]]\nname = \"a\"\nshare = 0.5\nprompt = 1\noutput = 1\n[[classes]]\nname = \"b\"\nshare = 0.4\nprompt = 1\noutput = 1\n";
        rejected(
            &format!("{HEAD}{two}{PLAN}"),
            "classes[1].share",
            "sum to 0.9",
        );
    }

    #[test]
    fn a_class_is_declared_once() {
        rejected(
            &format!("{HEAD}{}{CLASS}{PLAN}", CLASS.replace("1.0", "0.5")),
            "classes[1].name",
            "declared twice",
        );
    }

    #[test]
    fn a_plan_names_a_known_model() {
        rejected(
            &format!("{HEAD}{CLASS}{}", PLAN.replace("gpt-4o", "gpt-4o-mnii")),
            "plans[0].model",
            "unknown model `gpt-4o-mnii`",
        );
    }

    #[test]
    fn the_baseline_is_one_of_the_plans() {
        rejected(
            &format!("{}{CLASS}{PLAN}", HEAD.replace("\"all\"", "\"nope\"")),
            "baseline",
            "not a plan of this scenario",
        );
    }

    #[test]
    fn cache_reads_fit_in_the_prompt() {
        rejected(
            &format!(
                "{HEAD}{}{PLAN}",
                CLASS.replace("prompt = 100", "prompt = 100\ncache_read = 200")
            ),
            "classes[0].cache_read",
            "exceed the prompt",
        );
    }

    #[test]
    fn success_rates_are_fractions() {
        rejected(
            &format!("{HEAD}{CLASS}{PLAN}[quality.a]\ngpt-4o = 1.5\n"),
            "quality.a.gpt-4o",
            "outside 0..1",
        );
    }

    #[test]
    fn exactly_one_volume_is_given() {
        let both = HEAD.replace(
            "requests_per_day = 100",
            "requests_per_day = 100\nrequests_per_month = 3000",
        );
        let e = load(&format!("{both}{CLASS}{PLAN}")).unwrap_err();
        assert!(e.message.contains("exactly one"), "{e:?}");
    }
}
