//! The verifier of a cascade stage: whether an answer is accepted or
//! passed on to the next (dearer) stage. The checks are the ones the
//! scenario's cascade verifier stands for, made concrete: an upstream
//! error, a refusal (the provider's own refusal signal, or a configured
//! regex over the answer text), an empty answer, a truncated one (the
//! answer stopped at its token limit) and a JSON-schema check of the
//! answer text. Pure: it reads an answer body in its upstream format.

use regex::Regex;
use serde_json::{json, Value};

use super::Endpoint;

/// What a cascade stage's answer is checked for.
#[derive(Debug, Clone)]
pub struct Checks {
    /// Escalate when a stage fails (after its retries and fallbacks).
    pub error: bool,
    /// Escalate on a refusal.
    pub refusal: Option<RefusalCheck>,
    pub empty: bool,
    pub truncated: bool,
    /// The answer text must be JSON this schema accepts.
    pub schema: Option<jsonschema::Validator>,
    /// A judge model must pass the answer (asked after the other checks).
    pub judge: Option<JudgeSpec>,
}

/// The judge of a cascade's answers.
#[derive(Debug, Clone)]
pub struct JudgeSpec {
    /// The judge's catalog id.
    pub model: String,
    pub instructions: String,
    /// The reply passes the answer when it matches.
    pub pass: Regex,
    pub max_tokens: u64,
}

/// What the judge is told by default.
pub const JUDGE_INSTRUCTIONS: &str = "You grade an assistant's answer to a user's request. Reply with PASS if the answer is correct, complete and helpful, and FAIL otherwise, then at most one sentence of reason.";

/// The judge's chat request for one question and answer, in the judge's
/// API (`Chat` or `Messages`).
pub fn judge_request(spec: &JudgeSpec, endpoint: Endpoint, question: &str, answer: &str) -> Value {
    let content = format!("Request:\n{question}\n\nAnswer:\n{answer}");
    match endpoint {
        Endpoint::Messages => json!({
            "model": spec.model,
            "max_tokens": spec.max_tokens,
            "system": spec.instructions,
            "messages": [{"role": "user", "content": content}],
        }),
        _ => json!({
            "model": spec.model,
            "max_tokens": spec.max_tokens,
            "messages": [
                {"role": "system", "content": spec.instructions},
                {"role": "user", "content": content},
            ],
        }),
    }
}

/// The judge's verdict from its reply.
pub fn judged(spec: &JudgeSpec, endpoint: Endpoint, reply: &Value) -> Result<(), Reject> {
    let text = read(endpoint, reply).text;
    if spec.pass.is_match(&text) {
        Ok(())
    } else {
        let short: String = text.trim().chars().take(120).collect();
        Err(Reject::Judge(format!("the judge said {short:?}")))
    }
}

/// An answer's text, as the checks read it.
pub fn answer_text(endpoint: Endpoint, body: &Value) -> String {
    read(endpoint, body).text
}

/// A refusal is the provider's own signal, or the answer text matching `regex`.
#[derive(Debug, Clone)]
pub struct RefusalCheck {
    pub regex: Option<Regex>,
}

/// Why an answer was passed on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reject {
    #[error("refusal")]
    Refusal,
    #[error("empty answer")]
    Empty,
    #[error("truncated answer")]
    Truncated,
    #[error("json schema: {0}")]
    Schema(String),
    #[error("judge: {0}")]
    Judge(String),
}

impl Reject {
    /// The check's name in the log.
    pub fn key(&self) -> &'static str {
        match self {
            Reject::Refusal => "refusal",
            Reject::Empty => "empty",
            Reject::Truncated => "truncated",
            Reject::Schema(_) => "schema",
            Reject::Judge(_) => "judge",
        }
    }
}

/// What the checks read of an answer.
#[derive(Debug, Default, PartialEq)]
struct Answer {
    text: String,
    tool_calls: bool,
    truncated: bool,
    refused: bool,
}

fn read(endpoint: Endpoint, body: &Value) -> Answer {
    let s = |p: &str| body.pointer(p).and_then(Value::as_str);
    match endpoint {
        Endpoint::Chat => Answer {
            text: s("/choices/0/message/content")
                .unwrap_or_default()
                .to_string(),
            tool_calls: body
                .pointer("/choices/0/message/tool_calls")
                .and_then(Value::as_array)
                .is_some_and(|c| !c.is_empty()),
            truncated: s("/choices/0/finish_reason") == Some("length"),
            refused: s("/choices/0/message/refusal").is_some()
                || s("/choices/0/finish_reason") == Some("content_filter"),
        },
        Endpoint::Messages => {
            let blocks = body.get("content").and_then(Value::as_array);
            let blocks: &[Value] = blocks.map_or(&[], Vec::as_slice);
            Answer {
                text: blocks
                    .iter()
                    .filter(|b| b["type"] == "text")
                    .filter_map(|b| b["text"].as_str())
                    .collect(),
                tool_calls: blocks.iter().any(|b| b["type"] == "tool_use"),
                truncated: s("/stop_reason") == Some("max_tokens"),
                refused: s("/stop_reason") == Some("refusal"),
            }
        }
        Endpoint::Responses => {
            let items = body.get("output").and_then(Value::as_array);
            let items: &[Value] = items.map_or(&[], Vec::as_slice);
            let parts = items
                .iter()
                .filter_map(|i| i.get("content").and_then(Value::as_array))
                .flatten();
            let mut a = Answer {
                tool_calls: items.iter().any(|i| i["type"] == "function_call"),
                truncated: s("/status") == Some("incomplete")
                    && s("/incomplete_details/reason") == Some("max_output_tokens"),
                ..Answer::default()
            };
            for p in parts {
                match p["type"].as_str() {
                    Some("output_text") => a.text.push_str(p["text"].as_str().unwrap_or_default()),
                    Some("refusal") => a.refused = true,
                    _ => {}
                }
            }
            a
        }
    }
}

/// `Ok`: the answer is accepted; `Err`: the first check it fails.
pub fn verdict(checks: &Checks, endpoint: Endpoint, body: &Value) -> Result<(), Reject> {
    let a = read(endpoint, body);
    if let Some(check) = &checks.refusal {
        if a.refused || check.regex.as_ref().is_some_and(|re| re.is_match(&a.text)) {
            return Err(Reject::Refusal);
        }
    }
    if checks.truncated && a.truncated {
        return Err(Reject::Truncated);
    }
    if checks.empty && a.text.trim().is_empty() && !a.tool_calls {
        return Err(Reject::Empty);
    }
    if let Some(schema) = &checks.schema {
        let value: Value = serde_json::from_str(a.text.trim())
            .map_err(|e| Reject::Schema(format!("the answer is not JSON ({e})")))?;
        if let Err(e) = schema.validate(&value) {
            return Err(Reject::Schema(e.to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn checks(schema: Option<Value>) -> Checks {
        Checks {
            error: true,
            refusal: Some(RefusalCheck {
                regex: Some(Regex::new("(?i)^i can(no|')t help").unwrap()),
            }),
            empty: true,
            truncated: true,
            schema: schema.map(|s| jsonschema::validator_for(&s).unwrap()),
            judge: None,
        }
    }

    fn chat(content: &str, finish: &str) -> Value {
        json!({"choices": [{"message": {"role": "assistant", "content": content}, "finish_reason": finish}]})
    }

    #[test]
    fn each_check_rejects_what_it_names() {
        let c = checks(None);
        let cases = [
            (Endpoint::Chat, chat("Paris.", "stop"), Ok(())),
            (
                Endpoint::Chat,
                chat("I can't help with that.", "stop"),
                Err(Reject::Refusal),
            ),
            (Endpoint::Chat, chat("  ", "stop"), Err(Reject::Empty)),
            (
                Endpoint::Chat,
                chat("The answer is", "length"),
                Err(Reject::Truncated),
            ),
            (
                Endpoint::Chat,
                json!({"choices": [{"message": {"content": null, "refusal": "no"}, "finish_reason": "stop"}]}),
                Err(Reject::Refusal),
            ),
            (
                Endpoint::Chat,
                json!({"choices": [{"message": {"content": null, "tool_calls": [{"id": "c"}]}, "finish_reason": "tool_calls"}]}),
                Ok(()),
            ),
            (
                Endpoint::Messages,
                json!({"content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn"}),
                Ok(()),
            ),
            (
                Endpoint::Messages,
                json!({"content": [{"type": "text", "text": "half"}], "stop_reason": "max_tokens"}),
                Err(Reject::Truncated),
            ),
            (
                Endpoint::Messages,
                json!({"content": [], "stop_reason": "refusal"}),
                Err(Reject::Refusal),
            ),
            (
                Endpoint::Messages,
                json!({"content": [], "stop_reason": "end_turn"}),
                Err(Reject::Empty),
            ),
            (
                Endpoint::Responses,
                json!({"status": "completed", "output": [{"type": "message", "content": [{"type": "output_text", "text": "ok"}]}]}),
                Ok(()),
            ),
            (
                Endpoint::Responses,
                json!({"status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}, "output": [{"type": "message", "content": [{"type": "output_text", "text": "ha"}]}]}),
                Err(Reject::Truncated),
            ),
        ];
        for (endpoint, body, want) in cases {
            assert_eq!(verdict(&c, endpoint, &body), want, "{body}");
        }
        let lenient = Checks {
            error: false,
            refusal: None,
            empty: false,
            truncated: false,
            schema: None,
            judge: None,
        };
        assert_eq!(
            verdict(&lenient, Endpoint::Chat, &chat("", "length")),
            Ok(())
        );
    }

    #[test]
    fn the_schema_check_reads_the_answer_as_json() {
        let c = checks(Some(
            json!({"type": "object", "required": ["city"], "properties": {"city": {"type": "string"}}}),
        ));
        assert_eq!(
            verdict(&c, Endpoint::Chat, &chat(r#"{"city": "Paris"}"#, "stop")),
            Ok(())
        );
        let wrong = verdict(&c, Endpoint::Chat, &chat(r#"{"town": "Paris"}"#, "stop")).unwrap_err();
        assert_eq!(wrong.key(), "schema");
        assert!(wrong.to_string().contains("city"), "{wrong}");
        let prose = verdict(&c, Endpoint::Chat, &chat("Paris", "stop")).unwrap_err();
        assert!(prose.to_string().contains("not JSON"));
    }

    #[test]
    fn the_judge_is_asked_in_its_own_api_and_its_reply_read() {
        let spec = JudgeSpec {
            model: "gpt-4o-mini".into(),
            instructions: "Grade it.".into(),
            pass: Regex::new(r"^\s*(?i:pass)\b").unwrap(),
            max_tokens: 16,
        };
        let chat_req = judge_request(&spec, Endpoint::Chat, "2+2?", "4");
        assert_eq!(chat_req["messages"][0]["content"], "Grade it.");
        assert_eq!(
            chat_req["messages"][1]["content"],
            "Request:\n2+2?\n\nAnswer:\n4"
        );
        let msg_req = judge_request(&spec, Endpoint::Messages, "2+2?", "4");
        assert_eq!(msg_req["system"], "Grade it.");
        assert_eq!(msg_req["max_tokens"], 16);
        assert_eq!(
            judged(&spec, Endpoint::Chat, &chat("PASS: correct", "stop")),
            Ok(())
        );
        assert_eq!(
            judged(&spec, Endpoint::Chat, &chat(" pass", "stop")),
            Ok(())
        );
        assert!(matches!(
            judged(&spec, Endpoint::Chat, &chat("FAIL: wrong", "stop")),
            Err(Reject::Judge(why)) if why.contains("FAIL: wrong")
        ));
        // "passable" is not a pass: the word must end.
        assert!(judged(&spec, Endpoint::Chat, &chat("passable", "stop")).is_err());
    }
}
