//! The `[gateway.cascade]` and `[gateway.shadow]` tables, validated with
//! located errors: a cascade plan's verifier checks, and the shadow
//! model, share, seed and pairs log.

use regex::Regex;

use super::file::{CascadeEntry, JudgeEntry, ShadowEntry};
use super::verify::{Checks, JudgeSpec, RefusalCheck, JUDGE_INSTRUCTIONS};
use super::Api;
use crate::source::{KeyPath, Problem};

/// The config's model resolver: a name to its catalog id and API.
pub type ModelResolver<'a> = dyn Fn(&str, &KeyPath) -> Result<(String, Api), Problem> + 'a;

/// Shadow mode as configured.
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowSpec {
    pub share: f64,
    /// `None`: the class's baseline model.
    pub model: Option<String>,
    pub seed: u64,
    pub pairs_log: std::path::PathBuf,
    /// Each pair carries the routing text (`log_text = true`).
    pub log_text: bool,
}

/// A cascade plan in the gateway: every class starts at the first stage.
#[derive(Debug, Clone)]
pub struct CascadeSpec {
    pub stages: Vec<String>,
    pub checks: Checks,
}

/// The shadow table; `model` resolves a model name as the rest of the config does.
pub fn shadow(e: &ShadowEntry, at: &KeyPath, model: &ModelResolver) -> Result<ShadowSpec, Problem> {
    if !(e.share > 0.0 && e.share <= 1.0) {
        return Err(
            Problem::new(at.key("share"), format!("{} is not a share", e.share))
                .hint("give a share above 0 and at most 1, e.g. share = 0.05"),
        );
    }
    let shadow_model = if e.model == "baseline" {
        None
    } else {
        Some(model(&e.model, &at.key("model"))?.0)
    };
    if e.pairs_log.trim().is_empty() {
        return Err(Problem::new(at.key("pairs_log"), "empty path")
            .hint("name the JSON Lines file the shadow pairs go to, e.g. pairs_log = \"shadow-pairs.jsonl\""));
    }
    Ok(ShadowSpec {
        share: e.share,
        model: shadow_model,
        seed: e.seed.unwrap_or(0),
        pairs_log: e.pairs_log.clone().into(),
        log_text: e.log_text,
    })
}

/// The verifier of a cascade's stages from `[gateway.cascade]`.
pub fn cascade_checks(
    entry: Option<&CascadeEntry>,
    at: &KeyPath,
    model: &ModelResolver,
) -> Result<Checks, Problem> {
    let schema = match entry.and_then(|e| e.json_schema.as_ref()) {
        Some(s) => Some(jsonschema::validator_for(s).map_err(|e| {
            Problem::new(at.key("json_schema"), format!("not a JSON Schema: {e}")).hint(
                "give a table such as json_schema = { type = \"object\", required = [\"answer\"] }",
            )
        })?),
        None => None,
    };
    let judge = match entry.and_then(|e| e.judge.as_ref()) {
        Some(j) => Some(judge(j, &at.key("judge"), model)?),
        None => None,
    };
    let default = ["error", "refusal", "empty", "truncated", "schema", "judge"];
    let on: Vec<String> = match entry.and_then(|e| e.escalate_on.clone()) {
        Some(on) => on,
        None => default.iter().map(|s| (*s).to_string()).collect(),
    };
    for (i, check) in on.iter().enumerate() {
        if !default.contains(&check.as_str()) {
            return Err(Problem::new(
                at.key("escalate_on").index(i),
                format!("unknown check `{check}`"),
            )
            .hint("expected error, refusal, empty, truncated, schema or judge"));
        }
    }
    let has = |c: &str| on.iter().any(|o| o == c);
    let regex = match entry.and_then(|e| e.refusal_regex.as_deref()) {
        Some(p) => Some(Regex::new(p).map_err(|e| {
            Problem::new(
                at.key("refusal_regex"),
                format!("not a regular expression: {e}"),
            )
            .hint("the syntax is Rust's `regex` crate (no look-around)")
        })?),
        None => None,
    };
    if has("schema") && schema.is_none() && entry.is_some_and(|e| e.escalate_on.is_some()) {
        return Err(
            Problem::new(at.key("escalate_on"), "`schema` needs a `json_schema`")
                .hint("add json_schema = { ... }, or leave `schema` out"),
        );
    }
    if has("judge") && judge.is_none() && entry.is_some_and(|e| e.escalate_on.is_some()) {
        return Err(Problem::new(
            at.key("escalate_on"),
            "`judge` needs a `[gateway.cascade.judge]`",
        )
        .hint("add judge = { model = \"gpt-4o-mini\" }, or leave `judge` out"));
    }
    Ok(Checks {
        error: has("error"),
        refusal: has("refusal").then_some(RefusalCheck { regex }),
        empty: has("empty"),
        truncated: has("truncated"),
        schema: if has("schema") { schema } else { None },
        judge: if has("judge") { judge } else { None },
    })
}

fn judge(e: &JudgeEntry, at: &KeyPath, model: &ModelResolver) -> Result<JudgeSpec, Problem> {
    let (id, _) = model(&e.model, &at.key("model"))?;
    let pass = e.pass_regex.as_deref().unwrap_or(r"^\s*(?i:pass)\b");
    let pass = Regex::new(pass).map_err(|err| {
        Problem::new(
            at.key("pass_regex"),
            format!("not a regular expression: {err}"),
        )
        .hint("the syntax is Rust's `regex` crate (no look-around)")
    })?;
    let max_tokens = e.max_tokens.unwrap_or(16);
    if max_tokens == 0 {
        return Err(
            Problem::new(at.key("max_tokens"), "0 tokens leaves the judge no reply")
                .hint("give max_tokens = 16 or more"),
        );
    }
    Ok(JudgeSpec {
        model: id,
        instructions: e
            .instructions
            .clone()
            .unwrap_or_else(|| JUDGE_INSTRUCTIONS.to_string()),
        pass,
        max_tokens,
    })
}
