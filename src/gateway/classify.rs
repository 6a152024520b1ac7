//! Which scenario class a live request belongs to. The rules run in order
//! and the first match wins: the `x-cost-class` header, then each
//! configured rule (all its conditions must hold: the virtual model asked
//! for, request metadata, the prompt's token count, tools, images,
//! `reasoning_effort`, a regex over the system prompt or the last user
//! message, a learned router's score), then the default class. A learned
//! condition (`learned.rs`) is checked last in its rule, so cheaper
//! conditions decide first, and its score is written into the decision's
//! reason whether or not it matched. Pure: no sockets, no clock.

use std::sync::Arc;

use regex::Regex;
use serde_json::Value;

use super::learned::Learned;
use super::Api;
use crate::tokenizer::Encoding;

/// What classification reads from one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Features {
    /// The `x-cost-class` header.
    pub header_class: Option<String>,
    /// The model the client asked for.
    pub model: String,
    /// The prompt's tokens by `o200k_base` (messages, system, tools).
    pub prompt_tokens: u64,
    pub tools: bool,
    pub images: bool,
    pub reasoning_effort: Option<String>,
    pub system: String,
    pub last_user: String,
    /// Flattened string metadata (`metadata.*`, `user`).
    pub metadata: Vec<(String, String)>,
    /// `max_tokens` (or `max_completion_tokens`) when the client set it.
    pub max_tokens: Option<u64>,
    pub stream: bool,
    /// The routing text's embedding, fetched before classification when a
    /// learned rule's router uses one; else why it could not be had.
    pub embedding: Option<Result<Vec<f32>, String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexOn {
    System,
    LastUser,
    Either,
}

#[derive(Debug, Clone)]
pub enum Cond {
    Model(String),
    PromptAbove(u64),
    PromptAtMost(u64),
    Tools(bool),
    Images(bool),
    Effort(Vec<String>),
    Metadata(Vec<(String, String)>),
    Regex(Regex, RegexOn),
    /// A learned router's score is at least its threshold.
    Learned(Arc<Learned>),
}

impl Cond {
    fn holds(&self, f: &Features) -> bool {
        match self {
            Cond::Model(m) => f.model == *m,
            Cond::PromptAbove(n) => f.prompt_tokens > *n,
            Cond::PromptAtMost(n) => f.prompt_tokens <= *n,
            Cond::Tools(b) => f.tools == *b,
            Cond::Images(b) => f.images == *b,
            Cond::Effort(es) => f.reasoning_effort.as_ref().is_some_and(|e| es.contains(e)),
            Cond::Metadata(pairs) => pairs.iter().all(|p| f.metadata.contains(p)),
            Cond::Regex(re, on) => match on {
                RegexOn::System => re.is_match(&f.system),
                RegexOn::LastUser => re.is_match(&f.last_user),
                RegexOn::Either => re.is_match(&f.system) || re.is_match(&f.last_user),
            },
            Cond::Learned(l) => l.score(f).is_ok_and(|s| s >= l.threshold),
        }
    }
}

impl Rule {
    /// Whether every condition holds; a learned one is scored last, and its
    /// score (or why there is none), when computed, is returned with the router.
    fn holds(&self, f: &Features) -> (bool, Option<Scored<'_>>) {
        let (learned, plain): (Vec<&Cond>, Vec<&Cond>) = self
            .when
            .iter()
            .partition(|c| matches!(c, Cond::Learned(_)));
        if !plain.iter().all(|c| c.holds(f)) {
            return (false, None);
        }
        let mut scored = None;
        for c in learned {
            if let Cond::Learned(l) = c {
                let score = l.score(f);
                let held = score.as_ref().is_ok_and(|s| *s >= l.threshold);
                scored = Some((score, l.as_ref()));
                if !held {
                    return (false, scored);
                }
            }
        }
        (true, scored)
    }
}

/// A learned rule's score, or why it has none, and the rule's router.
type Scored<'a> = (Result<f64, String>, &'a Learned);

/// `0.7342 >= 0.5 (router.json)`: a learned score beside its threshold.
fn scored((score, l): &Scored<'_>) -> String {
    match score {
        Ok(s) => {
            let op = if *s >= l.threshold { ">=" } else { "<" };
            format!("learned {s:.4} {op} {} ({})", l.threshold, l.file)
        }
        Err(why) => format!("learned: not scored, {why} ({})", l.file),
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub class: usize,
    pub when: Vec<Cond>,
}

/// A class decision and what made it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub class: usize,
    /// `header`, `rule[i]` or `default`, with any learned scores beside.
    pub reason: String,
    /// The learned router's score, when one was computed: the deciding
    /// rule's, else the first scored rule's.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown class `{0}` in x-cost-class (classes: {1})")]
pub struct UnknownClass(pub String, pub String);

/// Decides a request's class. A learned router implements this too.
pub trait Classifier: Send + Sync {
    fn classify(&self, features: &Features) -> Result<Decision, UnknownClass>;

    /// The embeddings endpoint a learned rule needs asked before
    /// `classify` (with the key's value), if any.
    fn embedding(&self) -> Option<&Embedder> {
        None
    }
}

/// The one embeddings endpoint a gateway's learned rules use, and its key.
#[derive(Debug, Clone)]
pub struct Embedder {
    pub spec: crate::router::features::EmbeddingSpec,
    pub key: Option<String>,
}

/// The configured rules, first match wins.
pub struct Rules {
    pub classes: Vec<String>,
    pub rules: Vec<Rule>,
    pub default_class: usize,
    pub embedder: Option<Embedder>,
}

impl Classifier for Rules {
    fn embedding(&self) -> Option<&Embedder> {
        self.embedder.as_ref()
    }

    fn classify(&self, f: &Features) -> Result<Decision, UnknownClass> {
        if let Some(name) = &f.header_class {
            return match self.classes.iter().position(|c| c == name) {
                Some(class) => Ok(Decision {
                    class,
                    reason: "header".into(),
                    score: None,
                }),
                None => Err(UnknownClass(name.clone(), self.classes.join(", "))),
            };
        }
        // Scores of learned rules that did not match, for the reason.
        let mut missed = Vec::new();
        let mut first_score = None;
        for (i, rule) in self.rules.iter().enumerate() {
            match rule.holds(f) {
                (true, learned) => {
                    let mut reason = format!("rule[{i}]");
                    if let Some(s) = &learned {
                        reason += &format!(": {}", scored(s));
                    }
                    for m in &missed {
                        reason += &format!("; {m}");
                    }
                    return Ok(Decision {
                        class: rule.class,
                        reason,
                        score: learned.and_then(|(s, _)| s.ok()).or(first_score),
                    });
                }
                (false, Some(s)) => {
                    if let Ok(score) = s.0 {
                        first_score.get_or_insert(score);
                    }
                    missed.push(format!("rule[{i}] {}", scored(&s)));
                }
                (false, None) => {}
            }
        }
        let mut reason = "default".to_string();
        for m in &missed {
            reason += &format!("; {m}");
        }
        Ok(Decision {
            class: self.default_class,
            reason,
            score: first_score,
        })
    }
}

/// Reads the features of a request body in `api`'s format.
pub fn features(api: Api, body: &Value, header_class: Option<&str>) -> Features {
    let enc = Encoding::O200k;
    let messages = body.get("messages").and_then(Value::as_array);
    let mut f = Features {
        header_class: header_class.map(str::to_string),
        model: str_at(body, "model").unwrap_or_default().to_string(),
        tools: body
            .get("tools")
            .and_then(Value::as_array)
            .is_some_and(|t| !t.is_empty()),
        reasoning_effort: str_at(body, "reasoning_effort")
            .or_else(|| body.pointer("/reasoning/effort").and_then(Value::as_str))
            .map(str::to_string),
        max_tokens: body
            .get("max_completion_tokens")
            .or_else(|| body.get("max_tokens"))
            .and_then(Value::as_u64),
        stream: body.get("stream").and_then(Value::as_bool) == Some(true),
        ..Features::default()
    };
    let msgs: &[Value] = messages.map_or(&[], Vec::as_slice);
    f.prompt_tokens = enc.count_chat(msgs);
    if let Some(system) = body.get("system") {
        f.system = text_of(system);
        f.prompt_tokens += enc.count(&f.system);
    }
    if let Some(tools) = body.get("tools") {
        f.prompt_tokens += enc.count(&tools.to_string());
    }
    for m in msgs {
        let role = str_at(m, "role").unwrap_or_default();
        let content = m.get("content").unwrap_or(&Value::Null);
        if api == Api::OpenAi && (role == "system" || role == "developer") {
            f.system.push_str(&text_of(content));
        }
        if role == "user" {
            f.last_user = text_of(content);
        }
        if let Some(parts) = content.as_array() {
            f.images |= parts.iter().any(|p| {
                matches!(
                    str_at(p, "type"),
                    Some("image_url" | "image" | "input_image")
                )
            });
        }
    }
    if let Some(meta) = body.get("metadata").and_then(Value::as_object) {
        for (k, v) in meta {
            if let Some(s) = v.as_str() {
                f.metadata.push((k.clone(), s.to_string()));
            }
        }
    }
    if let Some(user) = str_at(body, "user") {
        f.metadata.push(("user".into(), user.to_string()));
    }
    f
}

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// The text of a content value: a string, or the `text` of its parts.
fn text_of(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| str_at(p, "text"))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            classes: vec!["easy".into(), "hard".into(), "tools".into()],
            rules: vec![
                Rule {
                    class: 2,
                    when: vec![Cond::Tools(true)],
                },
                Rule {
                    class: 1,
                    when: vec![Cond::Regex(
                        Regex::new("(?i)prove").unwrap(),
                        RegexOn::LastUser,
                    )],
                },
                Rule {
                    class: 1,
                    when: vec![Cond::PromptAbove(50)],
                },
            ],
            default_class: 0,
            embedder: None,
        }
    }

    fn body(json: &str) -> Features {
        features(Api::OpenAi, &serde_json::from_str(json).unwrap(), None)
    }

    #[test]
    fn first_matching_rule_wins_then_the_default() {
        let r = rules();
        let tools = body(
            r#"{"model":"auto","messages":[{"role":"user","content":"prove it"}],"tools":[{"type":"function"}]}"#,
        );
        assert_eq!(r.classify(&tools).unwrap().reason, "rule[0]");
        let prove = body(r#"{"model":"auto","messages":[{"role":"user","content":"Prove it"}]}"#);
        assert_eq!(r.classify(&prove).unwrap().class, 1);
        let hi = body(r#"{"model":"auto","messages":[{"role":"user","content":"hi"}]}"#);
        assert_eq!(r.classify(&hi).unwrap().reason, "default");
        let long = body(&format!(
            r#"{{"model":"auto","messages":[{{"role":"user","content":"{}"}}]}}"#,
            "word ".repeat(60)
        ));
        assert!(long.prompt_tokens > 50);
        assert_eq!(r.classify(&long).unwrap().reason, "rule[2]");
    }

    #[test]
    fn the_header_overrides_rules_and_must_name_a_class() {
        let r = rules();
        let mut f = body(r#"{"model":"auto","messages":[],"tools":[{}]}"#);
        f.header_class = Some("hard".into());
        assert_eq!(r.classify(&f).unwrap().class, 1);
        f.header_class = Some("nope".into());
        assert!(r.classify(&f).is_err());
    }

    #[test]
    fn anthropic_system_images_and_metadata() {
        let v: Value = serde_json::from_str(r#"{"model":"m","system":[{"type":"text","text":"You are terse."}],"max_tokens":64,"metadata":{"user_id":"u1"},"messages":[{"role":"user","content":[{"type":"image","source":{}},{"type":"text","text":"what is this"}]}]}"#).unwrap();
        let f = features(Api::Anthropic, &v, None);
        assert!(f.images);
        assert_eq!(f.system, "You are terse.");
        assert_eq!(f.last_user, "what is this");
        assert_eq!(f.max_tokens, Some(64));
        assert_eq!(f.metadata, vec![("user_id".to_string(), "u1".to_string())]);
    }
}
