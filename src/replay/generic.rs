//! Any CSV or JSON-lines usage log, through a column mapping: which column
//! holds the model, the time, and each token count. The mapping comes from
//! `--map key=column,...` or a TOML file (`--mapping FILE`, same keys), and
//! unmapped keys fall back to common column names. By default the mapped
//! counts follow `cost`'s own semantics (`input` is the whole prompt, cache
//! included; `reasoning` is in addition to `output`); the two flags say
//! otherwise for logs that count like Anthropic or OpenAI.
//!
//! Timings (all optional): `start`, `end` and `first_token` columns hold
//! timestamps, `ttft` and `duration` durations in seconds (milliseconds
//! with `durations_in_ms`); the start is the `time` column unless `start`
//! is mapped. Common names are only unit-suffixed ones (`ttft_s`,
//! `duration_s`): a bare `latency` column could be in either unit.

use std::borrow::Cow;

use serde::Deserialize;

use jiff::Timestamp;

use super::record::{logged_usd, parse_time, tier, BadField, Record, Timed};
use super::row::{Headers, Row};
use super::timing::{self, span, stamp, Part, Stated, Timing};
use crate::pricing::bill::Request;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub model: Option<String>,
    pub time: Option<String>,
    pub input: Option<String>,
    pub cache_read: Option<String>,
    pub cache_write: Option<String>,
    pub cache_write_1h: Option<String>,
    pub output: Option<String>,
    pub reasoning: Option<String>,
    pub tier: Option<String>,
    pub cost: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub first_token: Option<String>,
    pub ttft: Option<String>,
    pub duration: Option<String>,
    /// Fast mode (a yes/no column: `true`/`false`, `1`/`0`, `yes`/`no`).
    pub fast: Option<String>,
    /// A regional / data-residency endpoint (a yes/no column).
    pub regional: Option<String>,
    /// `true`: the `ttft` and `duration` columns are in milliseconds.
    #[serde(default)]
    pub durations_in_ms: bool,
    /// `false`: the input column excludes cache reads and writes (Anthropic-style).
    #[serde(default = "yes")]
    pub input_includes_cache: bool,
    /// `true`: the output column includes reasoning tokens (OpenAI-style).
    #[serde(default)]
    pub output_includes_reasoning: bool,
}

fn yes() -> bool {
    true
}

impl Default for Mapping {
    fn default() -> Mapping {
        Mapping {
            model: None,
            time: None,
            input: None,
            cache_read: None,
            cache_write: None,
            cache_write_1h: None,
            output: None,
            reasoning: None,
            tier: None,
            cost: None,
            start: None,
            end: None,
            first_token: None,
            ttft: None,
            duration: None,
            fast: None,
            regional: None,
            durations_in_ms: false,
            input_includes_cache: true,
            output_includes_reasoning: false,
        }
    }
}

/// Column names tried, in order, for a key the mapping leaves out.
const COMMON: [(&str, &[&str]); 17] = [
    ("model", &["model", "model_id", "model_name"]),
    (
        "time",
        &["timestamp", "time", "created_at", "date", "startTime"],
    ),
    ("input", &["input_tokens", "prompt_tokens", "input"]),
    (
        "cache_read",
        &["cache_read_tokens", "cached_tokens", "cache_read"],
    ),
    (
        "cache_write",
        &["cache_write_tokens", "cache_creation_tokens", "cache_write"],
    ),
    (
        "cache_write_1h",
        &["cache_write_1h_tokens", "cache_write_1h"],
    ),
    ("output", &["output_tokens", "completion_tokens", "output"]),
    ("reasoning", &["reasoning_tokens", "reasoning"]),
    ("tier", &["service_tier", "tier"]),
    ("cost", &["cost_usd", "cost", "spend"]),
    ("start", &["start_time", "started_at"]),
    ("end", &["end_time", "endTime", "ended_at", "completed_at"]),
    (
        "first_token",
        &[
            "first_token_time",
            "completion_start_time",
            "completionStartTime",
        ],
    ),
    ("ttft", &["ttft_s", "time_to_first_token_s"]),
    ("duration", &["duration_s", "e2e_s"]),
    ("fast", &["fast"]),
    ("regional", &["regional"]),
];

/// A mapping that does not fit the file's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub bad: BadField,
    /// The key no column was found for (the caller says how to map one).
    pub missing: Option<&'static str>,
}

/// One `KEY=COLUMN` of a mapping, or one of its two switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapPair {
    Column { key: &'static str, column: String },
    InputIncludesCache(bool),
    OutputIncludesReasoning(bool),
    DurationsInMs(bool),
}

impl std::str::FromStr for MapPair {
    type Err = String;

    fn from_str(pair: &str) -> Result<MapPair, String> {
        let (key, column) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}`: expected KEY=COLUMN"))?;
        let column = column.trim();
        let flag = || {
            column
                .parse::<bool>()
                .map_err(|_| format!("`{pair}`: expected true or false"))
        };
        match key.trim() {
            "input_includes_cache" => Ok(MapPair::InputIncludesCache(flag()?)),
            "output_includes_reasoning" => Ok(MapPair::OutputIncludesReasoning(flag()?)),
            "durations_in_ms" => Ok(MapPair::DurationsInMs(flag()?)),
            k => {
                let Some((key, _)) = COMMON.iter().find(|(c, _)| *c == k) else {
                    return Err(format!(
                        "`{k}` is not a mapping key (expected one of: {})",
                        COMMON
                            .iter()
                            .map(|(k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                };
                Ok(MapPair::Column {
                    key,
                    column: column.to_string(),
                })
            }
        }
    }
}

impl Mapping {
    /// The mapping `base` with `pairs` applied in order.
    pub fn with_pairs(mut self, pairs: &[MapPair]) -> Mapping {
        for pair in pairs {
            match pair {
                MapPair::Column { key, column } => {
                    *self.slot(key).expect("a parsed key is a slot") = Some(column.clone());
                }
                MapPair::InputIncludesCache(flag) => self.input_includes_cache = *flag,
                MapPair::OutputIncludesReasoning(flag) => self.output_includes_reasoning = *flag,
                MapPair::DurationsInMs(flag) => self.durations_in_ms = *flag,
            }
        }
        self
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        Some(match key {
            "model" => &mut self.model,
            "time" => &mut self.time,
            "input" => &mut self.input,
            "cache_read" => &mut self.cache_read,
            "cache_write" => &mut self.cache_write,
            "cache_write_1h" => &mut self.cache_write_1h,
            "output" => &mut self.output,
            "reasoning" => &mut self.reasoning,
            "tier" => &mut self.tier,
            "cost" => &mut self.cost,
            "start" => &mut self.start,
            "end" => &mut self.end,
            "first_token" => &mut self.first_token,
            "ttft" => &mut self.ttft,
            "duration" => &mut self.duration,
            "fast" => &mut self.fast,
            "regional" => &mut self.regional,
            _ => return None,
        })
    }

    /// Fills unmapped keys from common column names present in `columns`,
    /// then checks that the model and token columns exist. The error lists
    /// what is missing and the columns the file has.
    pub fn resolve(mut self, columns: &[String]) -> Result<Mapping, Unresolved> {
        for (key, names) in COMMON {
            let slot = self.slot(key).expect("every common key is a slot");
            match slot {
                Some(column) if !columns.iter().any(|c| c == column) => {
                    return Err(Unresolved {
                        bad: BadField::new(
                            column.clone(),
                            format!(
                                "column `{column}` (mapped to `{key}`) is not in the file; its columns are: {}",
                                columns.join(", ")
                            ),
                        ),
                        missing: None,
                    })
                }
                Some(_) => {}
                None => {
                    *slot = names
                        .iter()
                        .find(|n| columns.iter().any(|c| c == *n))
                        .map(std::string::ToString::to_string);
                }
            }
        }
        for (key, value) in [
            ("model", &self.model),
            ("input", &self.input),
            ("output", &self.output),
        ] {
            if value.is_none() {
                return Err(Unresolved {
                    bad: BadField::new(
                        key,
                        format!(
                            "no column for `{key}`; its columns are: {}",
                            columns.join(", ")
                        ),
                    ),
                    missing: Some(key),
                });
            }
        }
        Ok(self)
    }

    pub fn parse_row(&self, row: &Row) -> Result<Option<Record<'static>>, BadField> {
        let count = |key: &Option<String>| -> Result<u64, BadField> {
            match key {
                Some(column) => Ok(row.tokens(column)?.unwrap_or(0)),
                None => Ok(0),
            }
        };
        let model_col = self.model.as_deref().unwrap_or("model");
        let model = row
            .text(model_col)
            .filter(|m| !m.is_empty())
            .ok_or_else(|| BadField::new(model_col, "missing: which model served the request"))?;
        let input_col = self.input.as_deref().unwrap_or("input");
        let input = row
            .tokens(input_col)?
            .ok_or_else(|| BadField::new(input_col, "missing: the prompt token count"))?;
        let (cache_read, cache_write, cache_write_1h) = (
            count(&self.cache_read)?,
            count(&self.cache_write)?,
            count(&self.cache_write_1h)?,
        );
        let cached = cache_read + cache_write + cache_write_1h;
        let input = if self.input_includes_cache {
            if cached > input {
                return Err(BadField::new(
                    input_col,
                    format!("cache reads and writes ({cached}) exceed the whole prompt ({input})"),
                ));
            }
            input
        } else {
            input + cached
        };
        let output_col = self.output.as_deref().unwrap_or("output");
        let output = row.tokens(output_col)?.unwrap_or(0);
        let reasoning = count(&self.reasoning)?;
        let output = if self.output_includes_reasoning {
            output.checked_sub(reasoning).ok_or_else(|| {
                BadField::new(
                    self.reasoning.clone().unwrap_or_default(),
                    format!("{reasoning} reasoning tokens exceed the {output} output tokens"),
                )
            })?
        } else {
            output
        };
        let time = match self
            .time
            .as_deref()
            .and_then(|c| row.text(c).map(|t| (c, t)))
        {
            Some((column, text)) => Some(parse_time(column, &text)?),
            None => None,
        };
        let service = match self
            .tier
            .as_deref()
            .and_then(|c| row.text(c).map(|t| (c, t)))
        {
            Some((column, text)) => tier(column, &text)?,
            None => crate::pricing::ServiceTier::default(),
        };
        let (fast, regional) = (
            yes_no(row, self.fast.as_deref())?,
            yes_no(row, self.regional.as_deref())?,
        );
        let logged_cost = match self.cost.as_deref() {
            Some(column) => match row.number(column)? {
                Some(usd) => Some(logged_usd(column, usd)?),
                None => None,
            },
            None => None,
        };
        Ok(Some(Record {
            model: Cow::Owned(model.into_owned()),
            time,
            request: Request {
                input,
                cache_read,
                cache_write,
                cache_write_1h,
                output,
                reasoning,
                tier: service,
                fast,
                regional,
            },
            logged_cost,
            dedup: None,
            timing: Timed::of(self.timing(row, time)),
        }))
    }

    fn timing(&self, row: &Row, time: Option<Timestamp>) -> Result<Option<Timing>, BadField> {
        let scale = if self.durations_in_ms { 1e-3 } else { 1.0 };
        let start = match self.start.as_deref() {
            Some(column) => stamp(row, Some(column), "start")?,
            None => Part::new(self.time.as_deref().unwrap_or("start"), time),
        };
        let stated = Stated {
            start,
            first_token: stamp(row, self.first_token.as_deref(), "first_token")?,
            end: stamp(row, self.end.as_deref(), "end")?,
            ttft: span(row, self.ttft.as_deref(), "ttft", scale)?,
            e2e: span(row, self.duration.as_deref(), "duration", scale)?,
        };
        timing::timing(&stated, None)
    }
}

/// A request option's yes/no column: `true`/`1`/`yes` or `false`/`0`/`no`
/// (any case); an empty cell or no column is no.
fn yes_no(row: &Row, column: Option<&str>) -> Result<bool, BadField> {
    let Some(column) = column else {
        return Ok(false);
    };
    match row.text(column).map(|t| t.trim().to_ascii_lowercase()) {
        None => Ok(false),
        Some(t) if ["true", "1", "yes", "false", "0", "no", ""].contains(&t.as_str()) => {
            Ok(["true", "1", "yes"].contains(&t.as_str()))
        }
        Some(t) => Err(BadField::new(
            column,
            format!("`{t}` is not yes or no (expected true/false, 1/0 or yes/no)"),
        )),
    }
}

/// Whether a CSV header looks like a usage log `cost` can read with the
/// common column names alone.
pub fn claims(headers: &Headers) -> bool {
    Mapping::default().resolve(&headers.names).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row_of<'a>(headers: &'a Headers, record: &'a csv::StringRecord) -> Row<'a> {
        Row::Csv { headers, record }
    }

    #[test]
    fn common_column_names_need_no_mapping() {
        let headers = Headers::new(
            [
                "timestamp",
                "model",
                "input_tokens",
                "cache_read_tokens",
                "output_tokens",
            ]
            .map(String::from)
            .to_vec(),
        );
        let m = Mapping::default().resolve(&headers.names).unwrap();
        let rec = csv::StringRecord::from(vec![
            "2026-11-02T10:00:00Z",
            "gpt-4o",
            "12000",
            "4000",
            "800",
        ]);
        let r = m.parse_row(&row_of(&headers, &rec)).unwrap().unwrap();
        assert_eq!(
            (r.request.input, r.request.cache_read, r.request.output),
            (12000, 4000, 800)
        );
    }

    #[test]
    fn fast_and_regional_columns_are_yes_or_no() {
        let names = ["model", "input_tokens", "output_tokens", "fast", "regional"];
        let headers = Headers::new(names.map(String::from).to_vec());
        let m = Mapping::default().resolve(&headers.names).unwrap();
        let parse = |fast: &str, regional: &str| {
            let rec = csv::StringRecord::from(vec!["claude-opus-5", "10", "1", fast, regional]);
            m.parse_row(&row_of(&headers, &rec))
                .map(|r| r.map(|r| (r.request.fast, r.request.regional)))
        };
        assert_eq!(parse("TRUE", "0"), Ok(Some((true, false))));
        assert_eq!(parse("", "yes"), Ok(Some((false, true))));
        assert_eq!(parse("maybe", "no").unwrap_err().field, "fast");
    }

    #[test]
    fn anthropic_style_counts_are_summed_into_the_prompt() {
        let headers = Headers::new(["m", "in", "cr", "out"].map(String::from).to_vec());
        let pairs = [
            "model=m",
            "input=in",
            "cache_read=cr",
            "output=out",
            "input_includes_cache=false",
        ]
        .map(|p| p.parse::<MapPair>().unwrap());
        let m = Mapping::default()
            .with_pairs(&pairs)
            .resolve(&headers.names)
            .unwrap();
        let rec = csv::StringRecord::from(vec!["claude-haiku-4-5", "6000", "2000", "1000"]);
        let r = m.parse_row(&row_of(&headers, &rec)).unwrap().unwrap();
        assert_eq!((r.request.input, r.request.cache_read), (8000, 2000));
    }

    #[test]
    fn missing_columns_are_named_with_the_columns_the_file_has() {
        let e = Mapping::default()
            .resolve(&["model".to_string(), "tokens".to_string()])
            .unwrap_err();
        assert_eq!((e.bad.field.as_str(), e.missing), ("input", Some("input")));
        assert!(e.bad.message.contains("model, tokens"));
        let pairs = ["input=nope".parse::<MapPair>().unwrap()];
        let e = Mapping::default()
            .with_pairs(&pairs)
            .resolve(&["model".to_string()])
            .unwrap_err();
        assert_eq!((e.bad.field.as_str(), e.missing), ("nope", None));
    }

    #[test]
    fn map_pairs_name_a_key_or_a_switch() {
        assert_eq!(
            "input_includes_cache = false".parse::<MapPair>(),
            Ok(MapPair::InputIncludesCache(false))
        );
        assert_eq!(
            "nope".parse::<MapPair>().unwrap_err(),
            "`nope`: expected KEY=COLUMN"
        );
        let e = "tokens=t".parse::<MapPair>().unwrap_err();
        assert!(e.starts_with("`tokens` is not a mapping key"), "{e}");
        assert!("output_includes_reasoning=maybe"
            .parse::<MapPair>()
            .is_err());
    }
}
