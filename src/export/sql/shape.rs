//! The usage-table layouts the generated SQL reads (`--log-shape`): which
//! column holds what, and how each provider counts, turned into `cost`'s
//! own semantics (`input` is the whole prompt, cache reads and writes
//! included; `reasoning` is in addition to `output`), as the replay parsers
//! of the same shapes do (`replay::openai`, `replay::anthropic`).

use super::dialect::Dialect;

/// A usage-table layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `cost`'s semantics and the generic replay shape's default column names.
    Generic,
    /// OpenAI usage, flattened: `prompt_tokens` includes `cached_tokens`,
    /// `completion_tokens` includes `reasoning_tokens`.
    Openai,
    /// Anthropic usage, flattened: `input_tokens` excludes the cache reads
    /// and writes reported beside it; `ephemeral_1h_input_tokens` is the
    /// 1-hour part of `cache_creation_input_tokens`.
    Anthropic,
}

/// The columns a shape reads, in the order `Shape::columns` lists them.
pub struct Columns {
    pub model: &'static str,
    pub time: &'static str,
    pub tier: &'static str,
    /// `(cost's part, the column(s) it is read from)` for documentation.
    pub counts: &'static [&'static str],
}

impl Shape {
    pub fn key(self) -> &'static str {
        match self {
            Shape::Generic => "generic",
            Shape::Openai => "openai",
            Shape::Anthropic => "anthropic",
        }
    }

    pub fn columns(self) -> Columns {
        match self {
            Shape::Generic => Columns {
                model: "model",
                time: "timestamp",
                tier: "service_tier",
                counts: &[
                    "input_tokens",
                    "cache_read_tokens",
                    "cache_write_tokens",
                    "cache_write_1h_tokens",
                    "output_tokens",
                    "reasoning_tokens",
                ],
            },
            Shape::Openai => Columns {
                model: "model",
                time: "created_at",
                tier: "service_tier",
                counts: &[
                    "prompt_tokens",
                    "cached_tokens",
                    "completion_tokens",
                    "reasoning_tokens",
                ],
            },
            Shape::Anthropic => Columns {
                model: "model",
                time: "created_at",
                tier: "service_tier",
                counts: &[
                    "input_tokens",
                    "cache_read_input_tokens",
                    "cache_creation_input_tokens",
                    "ephemeral_1h_input_tokens",
                    "output_tokens",
                ],
            },
        }
    }

    /// `(input, cache_read, cache_write, cache_write_1h, output, reasoning)`
    /// as SQL expressions over the usage row `u`, each a checked BIGINT.
    pub fn parts(self, d: Dialect) -> [String; 6] {
        let c = |col: &str| format!("COALESCE({}, 0)", d.integer_column(&format!("u.{col}")));
        match self {
            Shape::Generic => [
                c("input_tokens"),
                c("cache_read_tokens"),
                c("cache_write_tokens"),
                c("cache_write_1h_tokens"),
                c("output_tokens"),
                c("reasoning_tokens"),
            ],
            Shape::Openai => [
                c("prompt_tokens"),
                c("cached_tokens"),
                "0".to_string(),
                "0".to_string(),
                format!("{} - {}", c("completion_tokens"), c("reasoning_tokens")),
                c("reasoning_tokens"),
            ],
            Shape::Anthropic => [
                format!(
                    "{} + {} + {}",
                    c("input_tokens"),
                    c("cache_read_input_tokens"),
                    c("cache_creation_input_tokens")
                ),
                c("cache_read_input_tokens"),
                format!(
                    "{} - {}",
                    c("cache_creation_input_tokens"),
                    c("ephemeral_1h_input_tokens")
                ),
                c("ephemeral_1h_input_tokens"),
                c("output_tokens"),
                "0".to_string(),
            ],
        }
    }
}
