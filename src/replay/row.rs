//! Named fields of one tabular record: a CSV row (by column header) or a
//! JSON object (by dotted path, e.g. `metadata.user_id`). A CSV cell that
//! holds JSON (LiteLLM's `metadata` column) can be walked into the same way.
//! Values are read strictly: a token count must be a whole, non-negative
//! number, and the error names the field.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::Value;

use super::record::{check_tokens, BadField};

/// Column name -> index, from a CSV header line.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    pub names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Headers {
    pub fn new(names: Vec<String>) -> Headers {
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.trim().to_string(), i))
            .collect();
        Headers { names, index }
    }

    pub fn has(&self, column: &str) -> bool {
        self.index.contains_key(column)
    }
}

pub enum Row<'a> {
    Csv {
        headers: &'a Headers,
        record: &'a csv::StringRecord,
    },
    Json(&'a serde_json::Map<String, Value>),
}

impl Row<'_> {
    /// The raw value at `path`: a JSON value, or a CSV cell as a string
    /// (`None` for a missing key, JSON null or an empty cell).
    pub fn value(&self, path: &str) -> Option<Value> {
        let mut parts = path.split('.');
        let first = parts.next()?;
        let mut value = match self {
            Row::Csv { headers, record } => {
                let cell = record.get(*headers.index.get(first)?)?;
                if cell.is_empty() {
                    return None;
                }
                Value::String(cell.to_string())
            }
            Row::Json(map) => map.get(first)?.clone(),
        };
        for part in parts {
            if let Value::String(s) = &value {
                // JSON kept as text inside a cell or a string field.
                value = serde_json::from_str(s).ok()?;
            }
            value = value.get(part)?.clone();
        }
        (!value.is_null()).then_some(value)
    }

    pub fn text(&self, path: &str) -> Option<Cow<'static, str>> {
        match self.value(path)? {
            Value::String(s) => Some(Cow::Owned(s)),
            Value::Number(n) => Some(Cow::Owned(n.to_string())),
            Value::Bool(b) => Some(Cow::Borrowed(if b { "true" } else { "false" })),
            other => Some(Cow::Owned(other.to_string())),
        }
    }

    /// A token count: a whole non-negative number (`12` or `12.0`), as a
    /// JSON number or text.
    pub fn tokens(&self, path: &str) -> Result<Option<u64>, BadField> {
        let Some(value) = self.value(path) else {
            return Ok(None);
        };
        let n = match &value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let bad = |what: &str| BadField::new(path, format!("{value} is {what}"));
        let n = n.ok_or_else(|| bad("not a number of tokens"))?;
        if !n.is_finite() || n < 0.0 {
            return Err(bad("not a number of tokens (negative or not finite)"));
        }
        if n.fract() != 0.0 {
            return Err(bad("not a whole number of tokens"));
        }
        if n > u64::MAX as f64 {
            return Err(bad("too large"));
        }
        check_tokens(path, n as u64).map(Some)
    }

    /// A plain number (a cost in USD).
    pub fn number(&self, path: &str) -> Result<Option<f64>, BadField> {
        let Some(value) = self.value(path) else {
            return Ok(None);
        };
        let n = match &value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        n.map(Some)
            .ok_or_else(|| BadField::new(path, format!("{value} is not a number")))
    }
}

/// Reads `path` from a JSON line for grouping (`--by FIELD`), as text.
pub fn json_field(line: &[u8], path: &str) -> Option<String> {
    let value: Value = serde_json::from_slice(line).ok()?;
    let map = value.as_object()?;
    Row::Json(map).text(path).map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_and_json_inside_them() {
        let headers = Headers::new(vec!["model".into(), "metadata".into(), "n".into()]);
        let record = csv::StringRecord::from(vec![
            "gpt-4o",
            r#"{"usage_object":{"prompt_tokens_details":{"cached_tokens":7}}}"#,
            "12.0",
        ]);
        let row = Row::Csv {
            headers: &headers,
            record: &record,
        };
        assert_eq!(row.text("model").unwrap(), "gpt-4o");
        assert_eq!(
            row.tokens("metadata.usage_object.prompt_tokens_details.cached_tokens")
                .unwrap(),
            Some(7)
        );
        assert_eq!(row.tokens("n").unwrap(), Some(12));
        assert_eq!(row.tokens("absent").unwrap(), None);
    }

    #[test]
    fn token_counts_must_be_whole_and_non_negative() {
        let v: Value = serde_json::json!({"a": -1, "b": 1.5, "c": "x", "d": [1]});
        let row = Row::Json(v.as_object().unwrap());
        for key in ["a", "b", "c", "d"] {
            assert_eq!(row.tokens(key).unwrap_err().field, key);
        }
    }
}
