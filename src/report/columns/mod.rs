//! The vocabulary of report columns: each column is defined once, with its
//! stable key (CSV header and JSON field), its human header, its unit, and
//! what it means. Commands build tables from these constants, so the same
//! quantity has the same key, header and unit in every report, and the
//! README's field tables can be checked against them.
//!
//! Conventions: money ends in `_usd` (per request, day or month as named),
//! seconds in `_s`, a fraction of 1 in `_share` (never a percentage), a
//! count is plain; booleans are booleans.

use std::borrow::Cow;

use super::Kind;

pub mod catalog;
mod common;
pub mod eval;
pub mod replay;

pub use common::*;

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Stable key used by CSV headers and JSON fields.
    pub key: Cow<'static, str>,
    /// Human header for tables and Markdown.
    pub header: Cow<'static, str>,
    pub kind: Kind,
    /// What the column holds, for documentation.
    pub meaning: &'static str,
}

impl Column {
    pub const fn new(
        key: &'static str,
        header: &'static str,
        kind: Kind,
        meaning: &'static str,
    ) -> Column {
        Column {
            key: Cow::Borrowed(key),
            header: Cow::Borrowed(header),
            kind,
            meaning,
        }
    }

    /// A column named at run time (a `--by` field of `cost replay`): text,
    /// keyed and headed by its name.
    pub fn named(name: &str) -> Column {
        Column {
            key: Cow::Owned(name.to_string()),
            header: Cow::Owned(name.to_string()),
            kind: Kind::Text,
            meaning: "a grouping dimension named on the command line",
        }
    }
}
