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

pub mod board;
pub mod catalog;
mod common;
pub mod eval;
pub mod gates;
pub mod gateway;
pub mod replay;
pub mod scenario;
pub mod selfhost;
pub mod sensitivity;

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
    /// Human views leave the column out when no row has a non-zero value
    /// (a count that is usually nothing, such as unpriced requests).
    pub hide_zero: bool,
    /// Detail the terminal table shows only with `--wide` (CSV, JSON and
    /// Markdown always carry it): the compact default keeps what a reader
    /// decides on, so a table fits an 80-column terminal.
    pub detail: bool,
    /// Long text (a plan's routes) the terminal table moves under the
    /// table as a numbered note, leaving `[n]` in the cell.
    pub footnoted: bool,
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
            hide_zero: false,
            detail: false,
            footnoted: false,
        }
    }

    /// A count that is usually zero: human views leave it out when every
    /// row holds zero (see `hide_zero`).
    pub const fn rare(
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
            hide_zero: true,
            detail: false,
            footnoted: false,
        }
    }

    /// The same column, shown in the terminal table only with `--wide`.
    pub const fn detail(mut self) -> Column {
        self.detail = true;
        self
    }

    /// The same column, its long text moved under the terminal table.
    pub const fn footnoted(mut self) -> Column {
        self.footnoted = true;
        self
    }

    /// A column named at run time (a `--by` field of `cost replay`): text,
    /// keyed and headed by its name.
    pub fn named(name: &str) -> Column {
        Column {
            key: Cow::Owned(name.to_string()),
            header: Cow::Owned(name.to_string()),
            kind: Kind::Text,
            meaning: "a grouping dimension named on the command line",
            hide_zero: false,
            detail: false,
            footnoted: false,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The vocabulary's conventions, checked on its source so that a new
    //! column cannot break them unnoticed.

    /// (key, kind, meaning) of every `Column::new` in the vocabulary files.
    fn columns() -> Vec<(String, String, String)> {
        let files = [
            include_str!("common.rs"),
            include_str!("board.rs"),
            include_str!("catalog.rs"),
            include_str!("eval.rs"),
            include_str!("gates.rs"),
            include_str!("replay.rs"),
            include_str!("scenario.rs"),
            include_str!("selfhost.rs"),
            include_str!("sensitivity.rs"),
        ];
        let mut out = Vec::new();
        for text in files {
            let text = text.replace("Column::rare(", "Column::new(");
            for block in text.split("Column::new(").skip(1) {
                let args: String = block.split(");").next().unwrap_or_default().into();
                let strings: Vec<&str> = args.split('"').skip(1).step_by(2).collect();
                let kind = args
                    .split("Kind::")
                    .nth(1)
                    .and_then(|k| k.split(',').next())
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                out.push((
                    strings.first().copied().unwrap_or_default().to_string(),
                    kind,
                    strings.last().copied().unwrap_or_default().to_string(),
                ));
            }
        }
        out
    }

    #[test]
    fn every_column_follows_the_naming_conventions() {
        let columns = columns();
        assert!(columns.len() > 80, "found {}", columns.len());
        for (key, kind, meaning) in &columns {
            assert!(
                key.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{key}: keys are snake_case"
            );
            assert!(
                !meaning.is_empty() && meaning != key,
                "{key}: says what it means"
            );
            assert!(!key.ends_with("_pct"), "{key}: a fraction is `_share`");
            if kind == "Usd" {
                assert!(key.contains("_usd"), "{key}: money keys name the currency");
            }
            if kind == "Seconds" {
                assert!(
                    key.ends_with("_s") || key.contains("_s_"),
                    "{key}: seconds end in `_s`"
                );
            }
        }
    }
}
