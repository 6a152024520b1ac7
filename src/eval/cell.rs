//! One cell of an outcome table's row, borrowed from a CSV record or a JSON
//! object, and how it reads as a number, as text, or against a `--where` value.

/// One cell, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Missing,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    NotText,
}

impl Cell<'_> {
    pub fn number(&self) -> Option<f64> {
        match *self {
            Cell::Number(x) => Some(x),
            Cell::Bool(b) => Some(f64::from(u8::from(b))),
            Cell::Text(s) => s.parse::<f64>().ok().or_else(|| {
                if s.eq_ignore_ascii_case("true") {
                    Some(1.0)
                } else if s.eq_ignore_ascii_case("false") {
                    Some(0.0)
                } else {
                    None
                }
            }),
            Cell::Missing | Cell::NotText => None,
        }
    }

    pub fn text(&self) -> String {
        match *self {
            Cell::Missing => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(x) => x.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::NotText => "(not text)".into(),
        }
    }

    pub fn matches(&self, value: &str) -> bool {
        match *self {
            Cell::Text(s) => s == value,
            Cell::Number(x) => value.parse::<f64>() == Ok(x),
            Cell::Bool(b) => value.eq_ignore_ascii_case(if b { "true" } else { "false" }),
            Cell::Missing => value.is_empty(),
            Cell::NotText => false,
        }
    }
}
