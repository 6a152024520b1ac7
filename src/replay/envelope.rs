//! The JSON a provider returns, and the wrappers logs put around it, read
//! with borrowed serde structs that pick only the fields replay needs.
//!
//! A line is a response body (`{"model", "usage", ...}`) or wraps one:
//! `{"response": body}` (Responses API stream events, log wrappers),
//! `{"response": {"body": body}}` (OpenAI Batch output), `{"message": body}`
//! (Claude Code sessions), `{"result": {"message": body}}` (Anthropic
//! Message Batches results). Wrapper keys holding something other than an
//! object are ignored, so a log's own `"message": "text"` is harmless.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::record::BadField;

#[derive(Debug, Default, Deserialize)]
pub struct Body<'a> {
    #[serde(borrow, default)]
    pub model: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub usage: Nested<Usage<'a>>,
    #[serde(borrow, default)]
    pub created: Option<TimeValue<'a>>,
    #[serde(borrow, default)]
    pub created_at: Option<TimeValue<'a>>,
    #[serde(borrow, default)]
    pub timestamp: Option<TimeValue<'a>>,
    #[serde(borrow, default)]
    pub service_tier: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub response: Nested<Box<Body<'a>>>,
    #[serde(borrow, default)]
    pub body: Nested<Box<Body<'a>>>,
    #[serde(borrow, default)]
    pub message: Nested<Box<Body<'a>>>,
    #[serde(borrow, default)]
    pub result: Nested<Box<Body<'a>>>,
    /// Present on Batch API output lines (OpenAI and Anthropic).
    #[serde(borrow, default)]
    pub custom_id: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "type")]
    pub kind: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "requestId")]
    pub request_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub id: Option<Cow<'a, str>>,
    #[serde(default)]
    pub cost: Option<f64>,
}

/// The usage object of every API flavour replay reads; each shape's module
/// decides what the fields mean.
#[derive(Debug, Default, Deserialize)]
pub struct Usage<'a> {
    // OpenAI chat completions (and LiteLLM, OpenRouter, Groq, ...).
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
    #[serde(default)]
    pub prompt_tokens_details: Nested<Details>,
    #[serde(default)]
    pub completion_tokens_details: Nested<Details>,
    // OpenAI Responses API and Anthropic Messages API.
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    #[serde(default)]
    pub input_tokens_details: Nested<Details>,
    #[serde(default)]
    pub output_tokens_details: Nested<Details>,
    // Anthropic: cache reads and writes reported beside `input_tokens`.
    pub cache_read_input_tokens: Option<u64>,
    pub cache_creation_input_tokens: Option<u64>,
    #[serde(default)]
    pub cache_creation: Nested<CacheCreation>,
    #[serde(borrow, default)]
    pub service_tier: Option<Cow<'a, str>>,
    /// OpenRouter's charged cost in USD.
    pub cost: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Details {
    pub cached_tokens: Option<u64>,
    /// OpenRouter's prompt tokens written to the cache (Anthropic, Gemini).
    pub cache_write_tokens: Option<u64>,
    pub reasoning_tokens: Option<u64>,
    /// Anthropic's extended thinking, inside `output_tokens`.
    pub thinking_tokens: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CacheCreation {
    pub ephemeral_5m_input_tokens: Option<u64>,
    pub ephemeral_1h_input_tokens: Option<u64>,
}

impl<'a> Body<'a> {
    /// The innermost body that carries a usage object, if any.
    pub fn usage_body(&self) -> Option<&Body<'a>> {
        if self.usage.0.is_some() {
            return Some(self);
        }
        [&self.response, &self.body, &self.result, &self.message]
            .into_iter()
            .filter_map(|n| n.0.as_deref())
            .find_map(Body::usage_body)
    }

    /// The outermost time stamp: a wrapper's log time wins over the
    /// provider's `created` time of the body inside.
    pub fn time(&self) -> Option<(&'static str, &TimeValue<'a>)> {
        if let Some(t) = &self.timestamp {
            return Some(("timestamp", t));
        }
        if let Some(t) = &self.created_at {
            return Some(("created_at", t));
        }
        if let Some(t) = &self.created {
            return Some(("created", t));
        }
        [&self.response, &self.body, &self.result, &self.message]
            .into_iter()
            .filter_map(|n| n.0.as_deref())
            .find_map(Body::time)
    }

    /// The first service tier stated on the way down to the usage.
    pub fn service_tier(&self) -> Option<&str> {
        self.service_tier.as_deref().or_else(|| {
            [&self.response, &self.body, &self.result, &self.message]
                .into_iter()
                .filter_map(|n| n.0.as_deref())
                .find_map(Body::service_tier)
        })
    }
}

/// A nested object, or nothing when the key holds `null` or any non-object
/// value.
#[derive(Debug)]
pub struct Nested<T>(pub Option<T>);

impl<T> Default for Nested<T> {
    fn default() -> Self {
        Nested(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nested<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Nested<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Nested(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Nested(None))
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A time as logs write it: a string, or Unix seconds.
#[derive(Debug)]
pub enum TimeValue<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'de: 'a, 'a> Deserialize<'de> for TimeValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TimeValue<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a timestamp string or Unix seconds")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(TimeValue::Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(TimeValue::Text(Cow::Owned(s.to_string())))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(TimeValue::Number(n as f64))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(TimeValue::Number(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(TimeValue::Number(n))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a line into a body; on failure, parses again to name the field
/// at fault (the slow path runs only for bad lines).
pub fn parse(line: &[u8]) -> Result<Body<'_>, BadField> {
    serde_json::from_slice::<Body>(line).map_err(|e| locate(line, &e))
}

fn locate(line: &[u8], original: &serde_json::Error) -> BadField {
    let mut de = serde_json::Deserializer::from_slice(line);
    let Err(err) = serde_path_to_error::deserialize::<_, Body>(&mut de) else {
        // The object itself is fine: something follows it.
        return BadField::new("line", readable(original));
    };
    let path = err.path().to_string();
    let inner = err.into_inner();
    // serde_path_to_error marks a key it never finished reading with `?`.
    let path = path.trim_end_matches('?').trim_end_matches('.').to_string();
    let field = if path == "." || path.is_empty() {
        "line".to_string()
    } else {
        path
    };
    let message = match inner.classify() {
        serde_json::error::Category::Eof => {
            "the line ends in the middle of a JSON value (truncated?)".to_string()
        }
        serde_json::error::Category::Syntax => format!("not valid JSON: {}", readable(&inner)),
        _ => readable(&inner),
    };
    BadField::new(field, message)
}

/// serde's message without its position (the line is reported instead) and
/// in the words of the file rather than of Rust types.
pub fn readable(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    text.replace("expected u64", "expected a whole number of tokens")
        .replace("expected f64", "expected a number")
        .replace("expected struct Body", "expected a JSON object")
}
