//! One cell of an outcome table's row, borrowed from a CSV record or a JSON
//! object, and how it reads as a number, as text, or against a `--where` value.

use std::borrow::Cow;

/// One cell, borrowed from the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Missing,
    Text(&'a str),
    Number(f64),
    Bool(bool),
    NotText,
}

impl<'a> Cell<'a> {
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
        self.as_text().into_owned()
    }

    /// The cell as text, borrowed when it is text (the common case, read
    /// once per row: no allocation).
    pub fn as_text(&self) -> Cow<'a, str> {
        match *self {
            Cell::Missing => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Number(x) => Cow::Owned(x.to_string()),
            Cell::Bool(b) => Cow::Owned(b.to_string()),
            Cell::NotText => Cow::Borrowed("(not text)"),
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
