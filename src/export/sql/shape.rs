//! The usage-table layouts the generated SQL reads (`--log-shape`): which
//! column holds what, and how each source counts, turned into `cost`'s own
//! semantics (`input` is the whole prompt, cache reads and writes included;
//! `reasoning` is in addition to `output`), as the replay parsers of the
//! same shapes do (`replay::generic`, `openai`, `anthropic`, `litellm`,
//! `otel`). Each shape reads a fixed set of columns (`Shape::columns`): a
//! column the table lacks is a query error, never a silent zero.

use super::dialect::Dialect;

/// A usage-table layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `cost`'s semantics and the generic replay shape's default column
    /// names, with the request options `fast` and `regional`.
    Generic,
    /// OpenAI usage, flattened: `prompt_tokens` includes `cached_tokens`,
    /// `completion_tokens` includes `reasoning_tokens`.
    Openai,
    /// Anthropic usage, flattened: `input_tokens` excludes the cache reads
    /// and writes reported beside it; `ephemeral_1h_input_tokens` is the
    /// 1-hour part of `cache_creation_input_tokens`.
    Anthropic,
    /// LiteLLM's `LiteLLM_SpendLogs` table as its `schema.prisma` defines
    /// it: OpenAI-style counts, the cache and reasoning split inside the
    /// JSON `metadata.usage_object`, `cache_hit = 'True'` rows answered by
    /// LiteLLM's own cache (no provider call: not requests).
    Litellm,
    /// OpenTelemetry GenAI spans with their attributes flattened to columns
    /// named as the attributes (current and older names, as `replay::otel`
    /// reads them); spans of agents and tools, and spans without usage, are
    /// not requests.
    Otel,
}

/// How the shape states when a request was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    /// A timestamp, or text as `replay::record::parse_time` reads it.
    Stamp(&'static str),
    /// Nanoseconds since 1970 (OTLP's `startTimeUnixNano`); 0 is unset.
    UnixNanos(&'static str),
}

const GENERIC: [&str; 11] = [
    "timestamp",
    "model",
    "input_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "service_tier",
    "fast",
    "regional",
];

const LITELLM: [&str; 8] = [
    "startTime",
    "model",
    "model_group",
    "prompt_tokens",
    "completion_tokens",
    "metadata",
    "cache_hit",
    "custom_llm_provider",
];

const OTEL: [&str; 16] = [
    "startTimeUnixNano",
    "gen_ai.operation.name",
    "gen_ai.response.model",
    "gen_ai.request.model",
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_write.input_tokens",
    "gen_ai.usage.reasoning.output_tokens",
    "openai.response.service_tier",
    "openai.request.service_tier",
    "gen_ai.provider.name",
    "gen_ai.system",
];

/// Spans that are not model calls (`replay::otel`).
const NOT_MODEL_CALLS: &str = "'invoke_agent', 'create_agent', 'execute_tool'";

impl Shape {
    pub fn key(self) -> &'static str {
        match self {
            Shape::Generic => "generic",
            Shape::Openai => "openai",
            Shape::Anthropic => "anthropic",
            Shape::Litellm => "litellm",
            Shape::Otel => "otel",
        }
    }

    /// Every column the SQL reads.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Shape::Generic => &GENERIC,
            Shape::Openai => &[
                "created_at",
                "model",
                "prompt_tokens",
                "cached_tokens",
                "completion_tokens",
                "reasoning_tokens",
                "service_tier",
            ],
            Shape::Anthropic => &[
                "created_at",
                "model",
                "input_tokens",
                "cache_read_input_tokens",
                "cache_creation_input_tokens",
                "ephemeral_1h_input_tokens",
                "output_tokens",
                "service_tier",
            ],
            Shape::Litellm => &LITELLM,
            Shape::Otel => &OTEL,
        }
    }

    pub fn time(self) -> Time {
        match self {
            Shape::Generic => Time::Stamp("timestamp"),
            Shape::Openai | Shape::Anthropic => Time::Stamp("created_at"),
            Shape::Litellm => Time::Stamp("startTime"),
            Shape::Otel => Time::UnixNanos("startTimeUnixNano"),
        }
    }

    /// The model as logged (text; trimmed and lower-cased by the caller).
    pub fn model(self, d: Dialect) -> String {
        let text = |c: &str| format!("NULLIF(CAST({} AS {}), '')", d.column(c), d.text());
        match self {
            Shape::Litellm => format!("COALESCE({}, {})", text("model"), text("model_group")),
            Shape::Otel => format!(
                "COALESCE({}, {})",
                text("gen_ai.response.model"),
                text("gen_ai.request.model")
            ),
            _ => format!("CAST({} AS {})", d.column("model"), d.text()),
        }
    }

    /// The service tier as logged (text, or NULL: standard).
    pub fn tier(self, d: Dialect) -> String {
        let text = |c: &str| format!("NULLIF(CAST({} AS {}), '')", d.column(c), d.text());
        match self {
            Shape::Litellm => format!("CAST(NULL AS {})", d.text()),
            Shape::Otel => format!(
                "COALESCE({}, {})",
                text("openai.response.service_tier"),
                text("openai.request.service_tier")
            ),
            _ => format!("CAST({} AS {})", d.column("service_tier"), d.text()),
        }
    }

    /// Who served the request, where the shape says (`cost_provider`).
    pub fn provider(self, d: Dialect) -> String {
        let text = |c: &str| format!("NULLIF(CAST({} AS {}), '')", d.column(c), d.text());
        match self {
            Shape::Litellm => text("custom_llm_provider"),
            Shape::Otel => format!(
                "COALESCE({}, {})",
                text("gen_ai.provider.name"),
                text("gen_ai.system")
            ),
            _ => format!("CAST(NULL AS {})", d.text()),
        }
    }

    /// `(fast, regional)` as booleans; NULL when the cell is not a
    /// yes/no (flagged `bad_option`). Only the generic shape states them.
    pub fn options(self, d: Dialect) -> [String; 2] {
        match self {
            Shape::Generic => ["fast", "regional"].map(|c| d.yes_no(&d.column(c))),
            _ => ["FALSE".to_string(), "FALSE".to_string()],
        }
    }

    /// The condition that keeps a row that is a request, if some are not.
    pub fn keep(self, d: Dialect) -> Option<String> {
        match self {
            Shape::Litellm => Some(format!(
                "lower(COALESCE(CAST({} AS {}), '')) <> 'true'",
                d.column("cache_hit"),
                d.text()
            )),
            Shape::Otel => Some(format!(
                "COALESCE(CAST({} AS {}), '') NOT IN ({NOT_MODEL_CALLS}) AND ({} IS NOT NULL OR {} IS NOT NULL)",
                d.column("gen_ai.operation.name"),
                d.text(),
                first(d, &["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"]),
                first(
                    d,
                    &["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"]
                ),
            )),
            _ => None,
        }
    }

    /// `(input, cache_read, cache_write, cache_write_1h, output, reasoning)`
    /// as SQL expressions over the usage row `u`, each a checked BIGINT.
    pub fn parts(self, d: Dialect) -> [String; 6] {
        let c = |col: &str| format!("COALESCE({}, 0)", d.integer_column(&d.column(col)));
        let zero = || "0".to_string();
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
                zero(),
                zero(),
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
                zero(),
            ],
            Shape::Litellm => {
                let usage = |path: &str| d.json_text(&d.column("metadata"), path);
                let reasoning = d.json_tokens(&usage(
                    "$.usage_object.completion_tokens_details.reasoning_tokens",
                ));
                [
                    c("prompt_tokens"),
                    d.json_tokens(&format!(
                        "COALESCE({}, {})",
                        usage("$.usage_object.prompt_tokens_details.cached_tokens"),
                        usage("$.usage_object.cache_read_input_tokens")
                    )),
                    d.json_tokens(&usage("$.usage_object.cache_creation_input_tokens")),
                    zero(),
                    format!("{} - {reasoning}", c("completion_tokens")),
                    reasoning,
                ]
            }
            Shape::Otel => {
                let reasoning = c("gen_ai.usage.reasoning.output_tokens");
                [
                    format!(
                        "COALESCE({}, 0)",
                        first(
                            d,
                            &["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"]
                        )
                    ),
                    c("gen_ai.usage.cache_read.input_tokens"),
                    format!(
                        "COALESCE({}, 0)",
                        first(
                            d,
                            &[
                                "gen_ai.usage.cache_creation.input_tokens",
                                "gen_ai.usage.cache_write.input_tokens"
                            ]
                        )
                    ),
                    zero(),
                    format!(
                        "COALESCE({}, 0) - {reasoning}",
                        first(
                            d,
                            &[
                                "gen_ai.usage.output_tokens",
                                "gen_ai.usage.completion_tokens"
                            ]
                        )
                    ),
                    reasoning,
                ]
            }
        }
    }
}

/// The first of `columns` that is set, as a checked BIGINT (NULL if none).
fn first(d: Dialect, columns: &[&str]) -> String {
    let checked: Vec<String> = columns
        .iter()
        .map(|c| d.integer_column(&d.column(c)))
        .collect();
    format!("COALESCE({})", checked.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_a_shape_reads_is_in_its_sql_and_listed() {
        for shape in [
            Shape::Generic,
            Shape::Openai,
            Shape::Anthropic,
            Shape::Litellm,
            Shape::Otel,
        ] {
            let d = Dialect::Duckdb;
            let mut sql = shape.parts(d).join(" ");
            sql += &shape.model(d);
            sql += &shape.tier(d);
            sql += &shape.provider(d);
            sql += &shape.options(d).join(" ");
            sql += &shape.keep(d).unwrap_or_default();
            for col in shape.columns() {
                let (Time::Stamp(t) | Time::UnixNanos(t)) = shape.time();
                assert!(
                    *col == t || sql.contains(&d.column(col)),
                    "{}: {col} not read",
                    shape.key()
                );
            }
        }
    }

    #[test]
    fn dotted_attribute_names_are_quoted_per_dialect() {
        let name = "gen_ai.usage.input_tokens";
        assert_eq!(
            Dialect::Duckdb.column(name),
            "u.\"gen_ai.usage.input_tokens\""
        );
        assert_eq!(Dialect::Spark.column(name), "u.`gen_ai.usage.input_tokens`");
        assert_eq!(
            Dialect::Bigquery.column(name),
            "u.gen_ai_usage_input_tokens"
        );
        assert_eq!(Dialect::Duckdb.column("model"), "u.model");
    }
}
