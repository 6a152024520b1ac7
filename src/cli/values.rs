//! Flag values parsed straight into domain types: dates, and the domain
//! enums a flag chooses between (`--format`, `--tier`, ...). The enums live
//! with the code that owns their meaning; only their spelling on the
//! command line is defined here.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{Error, ErrorKind};
use clap::ValueEnum;
use jiff::civil::Date;

use crate::engine::simulate::Period;
use crate::eval::TableFormat;
use crate::output::ColorChoice;
use crate::pricing::import::CatalogKind;
use crate::pricing::listing::{Figure, Mix, SortKey};
use crate::pricing::ServiceTier;
use crate::replay::read::Compression;
use crate::replay::{LogFormat, LogShape};
use crate::report::Format;

/// `YYYY-MM-DD`; a bad date names the flag and the expected form.
#[derive(Debug, Clone, Copy)]
pub struct DateParser;

impl TypedValueParser for DateParser {
    type Value = Date;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Date, Error> {
        let text = value.to_string_lossy();
        text.parse::<Date>().map_err(|e| {
            let flag = arg
                .and_then(clap::Arg::get_long)
                .map_or_else(|| "DATE".to_string(), |l| format!("--{l}"));
            Error::raw(
                ErrorKind::ValueValidation,
                format!("{flag} {text}: not a date ({e})\n  hint: write dates as YYYY-MM-DD\n"),
            )
            .with_cmd(cmd)
        })
    }
}

/// `HH:MM` (UTC); a bad time names the flag and the expected form.
#[derive(Debug, Clone, Copy)]
pub struct TimeParser;

impl TypedValueParser for TimeParser {
    type Value = jiff::civil::Time;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<jiff::civil::Time, Error> {
        let text = value.to_string_lossy();
        jiff::civil::Time::strptime("%H:%M", &*text).map_err(|_| {
            let flag = arg
                .and_then(clap::Arg::get_long)
                .map_or_else(|| "TIME".to_string(), |l| format!("--{l}"));
            Error::raw(
                ErrorKind::ValueValidation,
                format!("{flag} {text}: not a time of day\n  hint: write times as HH:MM in UTC, e.g. 03:30\n"),
            )
            .with_cmd(cmd)
        })
    }
}

/// A count flag: an integer from 1 to `max`; anything else (0, a
/// negative, `1e11`, a number past `max`) is a usage error naming the range.
pub fn counts(max: u64) -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..=max)
}

/// A whole number that cannot be negative (a token count). Its argument
/// allows negative numbers, so `-10` reaches this parser instead of being
/// taken for a flag, and is refused in words.
pub fn whole(text: &str) -> Result<u64, String> {
    if text.trim_start().starts_with('-') {
        return Err("must not be negative".into());
    }
    text.trim()
        .parse()
        .map_err(|_| "expected a whole number such as 1000".into())
}

/// A finite number that cannot be negative (dollars, rates, probabilities),
/// read like `whole`.
pub fn non_negative(text: &str) -> Result<f64, String> {
    let x: f64 = text
        .trim()
        .parse()
        .map_err(|_| "expected a number such as 0.5".to_string())?;
    if x < 0.0 || text.trim_start().starts_with('-') {
        Err("must not be negative".into())
    } else if !x.is_finite() {
        Err("must be a finite number".into())
    } else {
        Ok(x)
    }
}

/// `--mix IN:OUT`: two non-negative numbers whose sum is finite (with
/// `1e308:1e308` the blend would be NaN).
pub fn mix(text: &str) -> Result<Mix, String> {
    let mix: Mix = text.parse()?;
    if (mix.input + mix.output).is_finite() {
        Ok(mix)
    } else {
        Err("IN + OUT is too large; write the mix as a small ratio such as 3:1".into())
    }
}

/// Implements `ValueEnum` for a domain enum: every variant with its
/// spelling (and optional help); the `match` keeps the list complete.
macro_rules! value_enum {
    ($ty:ty { $($variant:path => $name:literal $(, $help:literal)?;)+ }) => {
        impl ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($variant),+]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $($variant => PossibleValue::new($name)$(.help($help))?,)+
                })
            }
        }
    };
}

value_enum!(Format {
    Format::Table => "table";
    Format::Csv => "csv";
    Format::Json => "json";
    Format::Markdown => "markdown";
    Format::Focus => "focus", "FOCUS 1.3 billing rows as CSV (cost replay only)";
});

value_enum!(ColorChoice {
    ColorChoice::Auto => "auto";
    ColorChoice::Always => "always";
    ColorChoice::Never => "never";
});

value_enum!(ServiceTier {
    ServiceTier::Standard => "standard";
    ServiceTier::Batch => "batch";
    ServiceTier::Flex => "flex";
    ServiceTier::Priority => "priority";
});

value_enum!(Period {
    Period::Day => "day";
    Period::Month => "month";
});

value_enum!(TableFormat {
    TableFormat::Csv => "csv";
    TableFormat::Jsonl => "jsonl";
});

value_enum!(CatalogKind {
    CatalogKind::Litellm => "litellm", "LiteLLM's `model_prices_and_context_window.json` (USD per token)";
    CatalogKind::GenaiPrices => "genai-prices", "genai-prices' v2 `data.json` (USD per 1M tokens)";
});

value_enum!(Figure {
    Figure::Latency => "latency";
    Figure::Quality => "quality";
});

value_enum!(SortKey {
    SortKey::Provider => "provider";
    SortKey::Id => "id";
    SortKey::Input => "input";
    SortKey::Output => "output";
    SortKey::Blended => "blended";
    SortKey::Context => "context";
    SortKey::Speed => "speed";
});

value_enum!(LogShape {
    LogShape::OpenAi => "openai";
    LogShape::Anthropic => "anthropic";
    LogShape::ClaudeCode => "claude-code";
    LogShape::LiteLlm => "litellm";
    LogShape::Generic => "generic";
    LogShape::Otel => "otel";
    LogShape::Gemini => "gemini";
    LogShape::Cohere => "cohere";
    LogShape::Gateway => "gateway";
});

value_enum!(LogFormat {
    LogFormat::Jsonl => "jsonl";
    LogFormat::Csv => "csv";
});

value_enum!(Compression {
    Compression::Auto => "auto";
    Compression::Gzip => "gzip";
    Compression::None => "none";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_spelling_that_parses_back() {
        for f in Format::value_variants() {
            let name = f.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(Format::from_str(&name, false).unwrap(), *f);
        }
        for t in ServiceTier::value_variants() {
            let name = t.to_possible_value().unwrap().get_name().to_string();
            assert_eq!(name, t.key(), "a tier is spelt as in price sheets");
        }
    }
}

value_enum!(crate::export::sql::dialect::Dialect {
    crate::export::sql::dialect::Dialect::Duckdb => "duckdb";
    crate::export::sql::dialect::Dialect::Spark => "spark";
    crate::export::sql::dialect::Dialect::Clickhouse => "clickhouse";
    crate::export::sql::dialect::Dialect::Bigquery => "bigquery";
    crate::export::sql::dialect::Dialect::Snowflake => "snowflake";
});

value_enum!(crate::export::sql::shape::Shape {
    crate::export::sql::shape::Shape::Generic => "generic";
    crate::export::sql::shape::Shape::Openai => "openai";
    crate::export::sql::shape::Shape::Anthropic => "anthropic";
    crate::export::sql::shape::Shape::Litellm => "litellm";
    crate::export::sql::shape::Shape::Otel => "otel";
});
