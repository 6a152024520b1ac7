//! Anthropic usage objects: `input_tokens` counts only the uncached prompt;
//! `cache_read_input_tokens` and `cache_creation_input_tokens` are reported
//! beside it (split by TTL in `cache_creation.ephemeral_5m/1h_input_tokens`),
//! so the whole prompt is their sum. Extended thinking is inside
//! `output_tokens` (`output_tokens_details.thinking_tokens`).
//!
//! Claude Code session logs (`~/.claude/projects/*/*.jsonl`) write one line
//! per content block of an assistant message, each repeating the message's
//! usage, and streaming can update the counts between lines. The convention
//! of the tools that read these logs (ccusage and others) is to identify an
//! API call by `message.id` + `requestId`; `cost` keeps one record per pair,
//! the one with the most output tokens (the latest state of the stream), and
//! counts the others as duplicates. Lines without both ids are kept.

use super::envelope::Usage;
use super::record::{check_tokens, BadField};
use crate::pricing::bill::Request;

/// Claude Code marks locally generated messages with this model.
pub const SYNTHETIC_MODEL: &str = "<synthetic>";

pub fn request(usage: &Usage) -> Result<Request, BadField> {
    let uncached = check_tokens(
        "usage.input_tokens",
        usage
            .input_tokens
            .ok_or_else(|| BadField::new("usage.input_tokens", "missing: the input token count"))?,
    )?;
    let read = check_tokens(
        "usage.cache_read_input_tokens",
        usage.cache_read_input_tokens.unwrap_or(0),
    )?;
    let written = check_tokens(
        "usage.cache_creation_input_tokens",
        usage.cache_creation_input_tokens.unwrap_or(0),
    )?;
    let (w5m, w1h) = match usage.cache_creation.0.as_ref() {
        Some(c) => {
            let w5m = check_tokens(
                "usage.cache_creation.ephemeral_5m_input_tokens",
                c.ephemeral_5m_input_tokens.unwrap_or(0),
            )?;
            let w1h = check_tokens(
                "usage.cache_creation.ephemeral_1h_input_tokens",
                c.ephemeral_1h_input_tokens.unwrap_or(0),
            )?;
            if w5m + w1h > written {
                return Err(BadField::new(
                    "usage.cache_creation",
                    format!(
                        "the TTL split ({w5m} + {w1h}) exceeds cache_creation_input_tokens ({written})"
                    ),
                ));
            }
            // Any write the split does not attribute is a 5-minute write.
            (written - w1h, w1h)
        }
        None => (written, 0),
    };
    let output = check_tokens("usage.output_tokens", usage.output_tokens.unwrap_or(0))?;
    let thinking = check_tokens(
        "usage.output_tokens_details.thinking_tokens",
        usage
            .output_tokens_details
            .0
            .as_ref()
            .and_then(|d| d.thinking_tokens)
            .unwrap_or(0),
    )?;
    if thinking > output {
        return Err(BadField::new(
            "usage.output_tokens_details.thinking_tokens",
            format!(
                "{thinking} thinking tokens exceed the {output} output tokens they are part of"
            ),
        ));
    }
    Ok(Request {
        input: uncached + read + written,
        cache_read: read,
        cache_write: w5m,
        cache_write_1h: w1h,
        output: output - thinking,
        reasoning: thinking,
        ..Request::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(json: &str) -> Result<Request, BadField> {
        let u: Usage = serde_json::from_str(json).unwrap();
        request(&u)
    }

    #[test]
    fn the_whole_prompt_is_input_plus_cache_reads_and_writes() {
        let r = usage(r#"{"input_tokens":6000,"cache_read_input_tokens":2000,"cache_creation_input_tokens":500,"output_tokens":1000}"#).unwrap();
        assert_eq!(
            (r.input, r.cache_read, r.cache_write, r.output),
            (8500, 2000, 500, 1000)
        );
    }

    #[test]
    fn one_hour_writes_are_split_out() {
        let r = usage(r#"{"input_tokens":10,"cache_creation_input_tokens":300,"cache_creation":{"ephemeral_5m_input_tokens":100,"ephemeral_1h_input_tokens":200},"output_tokens":5}"#).unwrap();
        assert_eq!((r.input, r.cache_write, r.cache_write_1h), (310, 100, 200));
    }

    #[test]
    fn thinking_is_taken_out_of_the_visible_output() {
        let r = usage(r#"{"input_tokens":13,"output_tokens":44,"output_tokens_details":{"thinking_tokens":33}}"#).unwrap();
        assert_eq!((r.output, r.reasoning), (11, 33));
    }

    #[test]
    fn an_inconsistent_ttl_split_names_its_field() {
        let e = usage(r#"{"input_tokens":10,"cache_creation_input_tokens":1,"cache_creation":{"ephemeral_5m_input_tokens":100},"output_tokens":5}"#).unwrap_err();
        assert_eq!(e.field, "usage.cache_creation");
    }
}
