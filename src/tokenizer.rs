//! Counting tokens with real BPE tokenizers: OpenAI's `o200k_base` and
//! `cl100k_base` encodings from the `tiktoken-rs` crate, whose BPE files are
//! compiled into the binary (no network at run time). For models whose
//! tokenizer is not public, a count is an *estimate*: the `o200k_base` count
//! times a ratio. No public source states such a ratio for Claude, Gemini or
//! the others, so the ratio is 1.0 and labelled an unverified assumption.
//! `prompts` counts and prices whole prompts with these.

pub mod prompts;

use serde_json::Value;
use tiktoken_rs::CoreBPE;

use crate::pricing::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Encoding {
    O200k,
    Cl100k,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200k => "o200k_base",
            Encoding::Cl100k => "cl100k_base",
        }
    }

    pub fn from_name(name: &str) -> Option<Encoding> {
        match name {
            "o200k_base" => Some(Encoding::O200k),
            "cl100k_base" => Some(Encoding::Cl100k),
            _ => None,
        }
    }

    fn bpe(self) -> &'static CoreBPE {
        match self {
            Encoding::O200k => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100k => tiktoken_rs::cl100k_base_singleton(),
        }
    }

    /// Tokens of plain text (special-token text counts as ordinary text).
    pub fn count(self, text: &str) -> u64 {
        self.bpe().encode_ordinary(text).len() as u64
    }

    /// Tokens of a chat prompt, following OpenAI's cookbook recipe for
    /// current chat models: 3 tokens per message, the tokens of each
    /// string field (role, content, name; +1 for a name), and 3 tokens that
    /// prime the reply. Array contents count their `text` parts.
    pub fn count_chat(self, messages: &[Value]) -> u64 {
        let mut n = 3;
        for message in messages {
            n += 3;
            let Some(map) = message.as_object() else {
                continue;
            };
            for (key, value) in map {
                match value {
                    Value::String(s) => n += self.count(s) + u64::from(key == "name"),
                    Value::Array(parts) => {
                        for part in parts {
                            if let Some(text) = part.get("text").and_then(Value::as_str) {
                                n += self.count(text);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        n
    }
}

/// How a model's token count is obtained.
#[derive(Debug, Clone, PartialEq)]
pub struct Counting {
    pub encoding: Encoding,
    /// Model tokens per token of `encoding`.
    pub ratio: f64,
    /// Exact: the model's published tokenizer. Otherwise an estimate.
    pub exact: bool,
    pub basis: String,
}

/// The tokenizer a model uses, or the documented estimate for it.
pub fn counting(model: &Model) -> Counting {
    if let Some(encoding) = model.tokenizer.as_deref().and_then(Encoding::from_name) {
        return Counting {
            encoding,
            ratio: 1.0,
            exact: true,
            basis: format!("{} (the price sheet names it)", encoding.name()),
        };
    }
    if model.provider == "openai" {
        return Counting {
            encoding: Encoding::O200k,
            ratio: 1.0,
            exact: false,
            basis: "o200k_base, assumed: OpenAI's current encoding, not stated for this model"
                .into(),
        };
    }
    Counting {
        encoding: Encoding::O200k,
        ratio: 1.0,
        exact: false,
        basis: "estimate: tokenizer not public; o200k_base count × 1.0 (no public ratio found; an unverified assumption)".into(),
    }
}

impl Counting {
    pub fn tokens(&self, counted: u64) -> u64 {
        (counted as f64 * self.ratio).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_counts_of_both_encodings() {
        // Checked against OpenAI's tiktoken 0.14 on the same strings.
        assert_eq!(Encoding::O200k.count("hello world"), 2);
        assert_eq!(Encoding::Cl100k.count("hello world"), 2);
        assert_eq!(Encoding::Cl100k.count("tiktoken is great!"), 6);
        assert_eq!(Encoding::O200k.count(""), 0);
    }

    #[test]
    fn chat_messages_add_the_cookbook_overheads() {
        let messages: Vec<Value> = serde_json::from_str(
            r#"[{"role":"system","content":"You are terse."},{"role":"user","content":"hello world"}]"#,
        )
        .unwrap();
        let e = Encoding::O200k;
        let expected =
            3 + 2 * 3 + e.count("system") + e.count("You are terse.") + e.count("user") + 2;
        assert_eq!(e.count_chat(&messages), expected);
    }
}
