//! Cross-provider translation between OpenAI chat completions and
//! Anthropic messages: the request (`to_messages`, `to_chat`), the whole answer
//! (`response`) and a streamed answer event by event (`stream`). The OpenAI
//! Responses API reaches Anthropic models one way: its request through the
//! chat translation (`from_responses`), the answer back as a Responses
//! object (`responses_answer`) or Responses events (`responses_stream`).
//! Pure functions over JSON values; a request feature with no counterpart
//! is refused by name (`Untranslatable`), never dropped silently.

pub mod from_responses;
pub mod response;
pub mod responses_answer;
pub mod responses_stream;
pub mod stream;
pub mod to_chat;
pub mod to_messages;

/// A request field the other API cannot express.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` cannot be translated from the {from} format to the {to} format: {why}")]
pub struct Untranslatable {
    pub field: String,
    pub from: &'static str,
    pub to: &'static str,
    pub why: String,
}

pub(crate) const CHAT: &str = "OpenAI chat completions";
pub(crate) const MESSAGES: &str = "Anthropic messages";
pub(crate) const RESPONSES: &str = "OpenAI Responses";

/// A refusal of `field` when translating chat completions to messages.
pub(crate) fn to_messages_refused(field: &str, why: &str) -> Untranslatable {
    Untranslatable {
        field: field.to_string(),
        from: CHAT,
        to: MESSAGES,
        why: why.to_string(),
    }
}

/// A refusal of `field` when translating messages to chat completions.
pub(crate) fn to_chat_refused(field: &str, why: &str) -> Untranslatable {
    Untranslatable {
        field: field.to_string(),
        from: MESSAGES,
        to: CHAT,
        why: why.to_string(),
    }
}
