//! The validated gateway configuration: the scenario's plan turned into a
//! model per class, the classification rules, gateway keys (by the name of
//! the environment variable holding each secret, never the secret), budgets,
//! fallbacks and limits. Every error names the file, line and key. Nothing
//! here reads the environment or opens a socket.

use std::collections::BTreeMap;
use std::time::Duration;

use regex::Regex;

use super::classify::{Cond, RegexOn, Rule};
use super::file::{BudgetEntry, Document, GatewayFile};
use super::stages::{cascade_checks, shadow};
pub use super::stages::{CascadeSpec, ShadowSpec};
use super::Api;
use crate::money::Money;
use crate::pricing::Catalog;
use crate::scenario::{Plan, PlanKind, Scenario};
use crate::source::{InputError, KeyPath, Problem, Source};

/// USD limits per day and per month (UTC calendar days and months).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    pub per_day: Option<Money>,
    pub per_month: Option<Money>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeySpec {
    pub name: String,
    pub env: String,
    pub limits: Limits,
}

/// Where a request's user tag is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagSource {
    Header(String),
    User,
    Metadata(String),
}

impl std::fmt::Display for TagSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TagSource::Header(h) => write!(f, "header:{h}"),
            TagSource::User => f.write_str("user"),
            TagSource::Metadata(k) => write!(f, "metadata:{k}"),
        }
    }
}

/// Budgets per user tag (`[gateway.tags]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TagConfig {
    pub from: Vec<TagSource>,
    /// Every tag's own limits, unless named in `named`.
    pub each: Limits,
    pub named: BTreeMap<String, Limits>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpstreamSpec {
    pub url: Option<String>,
    pub key_env: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    pub plan: String,
    /// The model each class goes to, by class index.
    pub routes: Vec<String>,
    /// The baseline plan's model per class (`None` where it picks none).
    pub baseline: Vec<Option<String>>,
    pub baseline_plan: String,
    pub classes: Vec<String>,
    pub default_class: usize,
    pub rules: Vec<Rule>,
    /// The embeddings endpoint learned rules' routers use (one at most).
    pub embedding: Option<crate::router::features::EmbeddingSpec>,
    pub require_keys: bool,
    pub keys: Vec<KeySpec>,
    pub total: Limits,
    /// `None`: requests carry no tag.
    pub tags: Option<TagConfig>,
    pub upstreams: BTreeMap<Api, UpstreamSpec>,
    pub fallbacks: BTreeMap<String, Vec<String>>,
    pub retries: u32,
    pub backoff: Duration,
    pub timeout: Duration,
    pub max_body_bytes: usize,
    /// A cascade plan's stages and verifier (`None` for other plans).
    pub cascade: Option<CascadeSpec>,
    pub shadow: Option<ShadowSpec>,
}

impl GatewayConfig {
    /// The names a client may ask for instead of a concrete model.
    pub fn virtual_models(&self) -> Vec<String> {
        let mut out = vec!["auto".to_string(), self.plan.clone()];
        for rule in &self.rules {
            for cond in &rule.when {
                if let Cond::Model(m) = cond {
                    if !out.contains(m) {
                        out.push(m.clone());
                    }
                }
            }
        }
        out
    }
}

/// Reads the `[gateway]` table of `source` (absent: every default).
pub fn load(
    source: &Source,
    scenario: &Scenario,
    plan: &Plan,
    catalog: &Catalog,
) -> Result<GatewayConfig, InputError> {
    let doc: Document =
        toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
    let base = source.path.as_deref().and_then(std::path::Path::parent);
    build(
        &doc.gateway.unwrap_or_default(),
        scenario,
        plan,
        catalog,
        base,
    )
    .map_err(|p| p.in_source(source))
}

// Each key of the table is checked in turn, in file order.
#[allow(clippy::too_many_lines)]
fn build(
    file: &GatewayFile,
    scenario: &Scenario,
    plan: &Plan,
    catalog: &Catalog,
    base: Option<&std::path::Path>,
) -> Result<GatewayConfig, Problem> {
    let at = KeyPath::root().key("gateway");
    let classes: Vec<String> = scenario.classes.iter().map(|c| c.name.clone()).collect();
    let class = |name: &str, key: &KeyPath| -> Result<usize, Problem> {
        scenario.class_index(name).ok_or_else(|| {
            Problem::new(key.clone(), format!("unknown class `{name}`"))
                .hint(format!("classes in this scenario: {}", classes.join(", ")))
        })
    };
    let routes = routes(plan, scenario.classes.len())?;
    let baseline = scenario.plan(&scenario.baseline).map_or_else(
        || vec![None; classes.len()],
        |b| {
            (0..classes.len())
                .map(|k| b.model_for(k).map(str::to_string))
                .collect()
        },
    );
    let model = |name: &str, key: &KeyPath| -> Result<(String, Api), Problem> {
        let m = catalog
            .lookup(name)
            .map_err(|e| Problem::new(key.clone(), e.to_string()))?;
        let api = Api::of_provider(&m.provider).ok_or_else(|| {
            Problem::new(
                key.clone(),
                format!(
                    "model `{}` is served by `{}`, which the gateway cannot reach yet",
                    m.id, m.provider
                ),
            )
            .hint("the gateway forwards to OpenAI and Anthropic APIs only")
        })?;
        Ok((m.id.clone(), api))
    };
    for (k, m) in routes.iter().enumerate() {
        model(
            m,
            &KeyPath::root()
                .key("plans")
                .key(&plan.name)
                .key(&classes[k]),
        )?;
    }
    let default_class = match &file.default_class {
        Some(name) => class(name, &at.key("default_class"))?,
        None => 0,
    };
    let mut rules = Vec::new();
    let mut embedding: Option<crate::router::features::EmbeddingSpec> = None;
    for (i, entry) in file.rules.iter().enumerate() {
        let key = at.key("rules").index(i);
        let mut r = rule(entry, class(&entry.class, &key.key("class"))?, &key)?;
        if let Some(l) = super::learned::load(entry, &plan.name, base, &key)? {
            if let Some(spec) = l.router.embedding() {
                match &embedding {
                    Some(first) if first != spec => {
                        return Err(Problem::new(key.key("learned"), format!("this router's embeddings come from {} ({}), another rule's from {} ({})", spec.url, spec.model, first.url, first.model))
                            .hint("a gateway asks one embeddings endpoint per request: train the routers with the same --embed-url and --embed-model"));
                    }
                    _ => embedding = Some(spec.clone()),
                }
            }
            r.when.push(Cond::Learned(std::sync::Arc::new(l)));
        }
        rules.push(r);
    }
    let mut keys = Vec::new();
    for (name, entry) in &file.keys {
        let key = at.key("keys").key(name);
        if entry.env.trim().is_empty() {
            return Err(Problem::new(key.key("env"), "empty environment variable name")
                .hint("name the variable that holds this key's secret, e.g. env = \"COST_GATEWAY_KEY_TEAM_A\""));
        }
        keys.push(KeySpec {
            name: name.clone(),
            env: entry.env.clone(),
            limits: limits(entry.budget.as_ref(), &key.key("budget"))?,
        });
    }
    let require_keys = file.require_keys.unwrap_or(true);
    if require_keys && keys.is_empty() {
        return Err(Problem::new(at.key("keys"), "gateway keys are required but none is configured")
            .hint("add [gateway.keys.NAME] with env = \"VAR\" holding its secret, or set require_keys = false for a trusted network"));
    }
    let mut upstreams = BTreeMap::new();
    for (name, entry) in &file.upstreams {
        let api = Api::from_key(name).ok_or_else(|| {
            Problem::new(
                at.key("upstreams").key(name),
                format!("unknown upstream API `{name}`"),
            )
            .hint("expected openai or anthropic")
        })?;
        if let Some(url) = &entry.url {
            if let Err(why) = super::check_url(url) {
                return Err(Problem::new(
                    at.key("upstreams").key(name).key("url"),
                    format!("`{}` {why}", super::shown_url(url)),
                )
                .hint("give the provider's base URL, e.g. url = \"https://api.openai.com\""));
            }
        }
        upstreams.insert(
            api,
            UpstreamSpec {
                url: entry.url.clone(),
                key_env: entry.key_env.clone(),
            },
        );
    }
    let mut fallbacks = BTreeMap::new();
    for (from, to) in &file.fallbacks {
        let key = at.key("fallbacks").key(from);
        let (id, api) = model(from, &key)?;
        let mut next = Vec::new();
        for (i, m) in to.iter().enumerate() {
            let (next_id, next_api) = model(m, &key.index(i))?;
            if next_api != api {
                return Err(Problem::new(key.index(i), format!("`{next_id}` is reached through the {} API and `{id}` through the {} API", next_api.key(), api.key()))
                    .hint("fallbacks stay within one provider API: the gateway does not translate between formats yet"));
            }
            next.push(next_id);
        }
        fallbacks.insert(id, next);
    }
    let timeout_s = file.timeout_s.unwrap_or(60.0);
    if !(timeout_s > 0.0 && timeout_s <= 3600.0) {
        return Err(
            Problem::new(at.key("timeout_s"), format!("{timeout_s} is not a timeout"))
                .hint("give seconds above 0 and at most 3600, e.g. timeout_s = 60"),
        );
    }
    Ok(GatewayConfig {
        plan: plan.name.clone(),
        routes,
        baseline,
        baseline_plan: scenario.baseline.clone(),
        classes,
        default_class,
        rules,
        embedding,
        require_keys,
        keys,
        total: limits(file.budget.as_ref(), &at.key("budget"))?,
        tags: file
            .tags
            .as_ref()
            .map(|t| tags(t, &at.key("tags")))
            .transpose()?,
        upstreams,
        fallbacks,
        retries: file.retries.unwrap_or(1).min(10),
        backoff: Duration::from_millis(file.backoff_ms.unwrap_or(100).min(60_000)),
        timeout: Duration::from_secs_f64(timeout_s),
        max_body_bytes: usize::try_from(file.max_body_bytes.unwrap_or(4 << 20))
            .unwrap_or(usize::MAX),
        cascade: match &plan.kind {
            PlanKind::Cascade(c) => {
                let plan_key = KeyPath::root().key("plans").key(&plan.name).key("cascade");
                for (i, m) in c.stages.iter().enumerate() {
                    model(m, &plan_key.index(i))?;
                }
                Some(CascadeSpec {
                    stages: c.stages.clone(),
                    checks: cascade_checks(file.cascade.as_ref(), &at.key("cascade"), &model)?,
                })
            }
            _ => None,
        },
        shadow: match &file.shadow {
            Some(e) => Some(shadow(e, &at.key("shadow"), &model)?),
            None => None,
        },
    })
}

/// The first model per class from the plan (a cascade's first stage);
/// plans whose model depends on a quality bar (oracles) are not routed.
fn routes(plan: &Plan, classes: usize) -> Result<Vec<String>, Problem> {
    match &plan.kind {
        PlanKind::Single(m) => Ok(vec![m.clone(); classes]),
        PlanKind::Routes(ms) => Ok(ms.clone()),
        PlanKind::Classifier(c) => Ok(c.routes.clone()),
        PlanKind::Cascade(c) => Ok(vec![c.stages[0].clone(); classes]),
        PlanKind::Oracle(_) => Err(Problem::new(
            KeyPath::root().key("plans"),
            format!(
                "plan `{}` is an oracle, which the gateway cannot route (it needs each answer's quality)",
                plan.name
            ),
        )
        .hint("give --plan a plan with `model`, `routes` or `cascade`")),
    }
}

fn limits(entry: Option<&BudgetEntry>, at: &KeyPath) -> Result<Limits, Problem> {
    let Some(entry) = entry else {
        return Ok(Limits::default());
    };
    let usd = |v: Option<f64>, key: &str| -> Result<Option<Money>, Problem> {
        v.map(|usd| {
            Money::from_usd(usd)
                .filter(|m| *m > Money::ZERO)
                .ok_or_else(|| {
                    Problem::new(at.key(key), format!("{usd} is not a budget in USD"))
                        .hint("give a positive amount with at most 12 decimals, e.g. 25.50")
                })
        })
        .transpose()
    };
    Ok(Limits {
        per_day: usd(entry.per_day_usd, "per_day_usd")?,
        per_month: usd(entry.per_month_usd, "per_month_usd")?,
    })
}

fn tags(entry: &super::file::TagsEntry, at: &KeyPath) -> Result<TagConfig, Problem> {
    let defaults = ["header:x-cost-tag", "user", "metadata:user_id"].map(String::from);
    let from = entry.from.as_deref().unwrap_or(&defaults);
    let mut sources = Vec::new();
    for (i, s) in from.iter().enumerate() {
        let source = match s.split_once(':') {
            _ if s == "user" => TagSource::User,
            Some(("header", h)) if axum::http::HeaderName::from_bytes(h.as_bytes()).is_ok() => {
                TagSource::Header(h.to_ascii_lowercase())
            }
            Some(("metadata", k)) if !k.is_empty() => TagSource::Metadata(k.to_string()),
            _ => {
                return Err(Problem::new(
                    at.key("from").index(i),
                    format!("unknown tag source `{s}`"),
                )
                .hint("expected `header:NAME`, `user` or `metadata:NAME`"))
            }
        };
        sources.push(source);
    }
    if sources.is_empty() {
        return Err(
            Problem::new(at.key("from"), "no place to read the tag from")
                .hint("e.g. from = [\"header:x-cost-tag\", \"user\"]"),
        );
    }
    let mut named = BTreeMap::new();
    for (name, b) in &entry.budgets {
        named.insert(name.clone(), limits(Some(b), &at.key("budgets").key(name))?);
    }
    Ok(TagConfig {
        from: sources,
        each: limits(entry.each.as_ref(), &at.key("each"))?,
        named,
    })
}

fn rule(entry: &super::file::RuleEntry, class: usize, at: &KeyPath) -> Result<Rule, Problem> {
    let mut when = Vec::new();
    if let Some(m) = &entry.model {
        when.push(Cond::Model(m.clone()));
    }
    if let Some(n) = entry.prompt_tokens_above {
        when.push(Cond::PromptAbove(n));
    }
    if let Some(n) = entry.prompt_tokens_at_most {
        when.push(Cond::PromptAtMost(n));
    }
    if let Some(b) = entry.tools {
        when.push(Cond::Tools(b));
    }
    if let Some(b) = entry.images {
        when.push(Cond::Images(b));
    }
    if let Some(efforts) = &entry.reasoning_effort {
        when.push(Cond::Effort(efforts.clone()));
    }
    if !entry.metadata.is_empty() {
        when.push(Cond::Metadata(entry.metadata.clone().into_iter().collect()));
    }
    let on = match entry.regex_on.as_deref() {
        None | Some("either") => RegexOn::Either,
        Some("system") => RegexOn::System,
        Some("last_user") => RegexOn::LastUser,
        Some(other) => {
            return Err(
                Problem::new(at.key("regex_on"), format!("unknown text `{other}`"))
                    .hint("expected system, last_user or either"),
            )
        }
    };
    if let Some(pattern) = &entry.regex {
        let re = Regex::new(pattern).map_err(|e| {
            Problem::new(at.key("regex"), format!("not a regular expression: {e}"))
                .hint("the syntax is Rust's `regex` crate (no look-around)")
        })?;
        when.push(Cond::Regex(re, on));
    }
    if when.is_empty() && entry.learned.is_none() {
        return Err(
            Problem::new(at.clone(), "a rule with no condition matches every request").hint(
                "set default_class instead, or add a condition such as prompt_tokens_above = 4000",
            ),
        );
    }
    Ok(Rule { class, when })
}
