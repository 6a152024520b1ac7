//! The terminal table: human numbers, the title above, notes below, laid
//! out to fit a width (`Layout`). The compact default drops `detail`
//! columns (`--wide` keeps them), long `footnoted` text (a plan's routes)
//! moves under the table as `[n]` notes, text cells wrap (numbers never
//! do), compact columns that still do not fit are left out from the right
//! (said under the table), and the title and notes wrap at the same width,
//! so no line is wider than asked. `--wide` keeps every column, wider than
//! the width when they cannot fit.

use comfy_table::{
    presets, Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table as Grid, Width,
};
use unicode_width::UnicodeWidthStr;

use super::format::human;
use super::{Kind, Layout, Report, Table};
use crate::human::printable;

/// Footnoted text at most this wide stays in its cell.
const FOOTNOTE_ABOVE: usize = 20;

pub fn render(report: &Report, layout: Layout) -> String {
    let width = layout.width.map(usize::from);
    let mut out = wrap(&printable(&report.title, false), width, "");
    let mut footnotes: Vec<String> = Vec::new();
    for table in report
        .tables
        .iter()
        .filter(|t| !t.machine_only && !t.csv_trailer)
    {
        let first_new = footnotes.len();
        let (grid, hidden) = grid(table, layout, &mut footnotes);
        out.push_str(&grid);
        out.push('\n');
        for (n, text) in footnotes.iter().enumerate().skip(first_new) {
            let label = format!("[{}] ", n + 1);
            let indent = " ".repeat(label.len());
            out.push_str(&wrap(&format!("{label}{text}"), width, &indent));
        }
        if !hidden.is_empty() {
            out.push_str(&wrap(
                &format!(
                    "({} more column{} not shown at this width: {}; --wide shows every column)",
                    hidden.len(),
                    if hidden.len() == 1 { "" } else { "s" },
                    hidden.join(", ")
                ),
                width,
                " ",
            ));
        }
    }
    for note in &report.notes {
        out.push_str(&wrap(
            &format!("note: {}", printable(note, true)),
            width,
            "  ",
        ));
    }
    out
}

/// The columns the terminal shows: not empty in every row, and not
/// `detail` unless `--wide`.
pub fn shown(table: &Table, layout: Layout) -> Vec<usize> {
    table
        .shown_columns()
        .into_iter()
        .filter(|&i| layout.wide || !table.columns[i].detail)
        .collect()
}

/// A text column may wrap down to this width when the table is tight.
const TEXT_MIN: usize = 10;

fn is_text(kind: Kind) -> bool {
    matches!(kind, Kind::Text | Kind::Flag | Kind::Verdict)
}

/// The grid, and the headers of the compact columns left out because even
/// wrapped they would not fit the width (rightmost first out).
fn grid(table: &Table, layout: Layout, footnotes: &mut Vec<String>) -> (String, Vec<String>) {
    let mut shown = shown(table, layout);
    let cells: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|row| {
            (0..table.columns.len())
                .map(|i| human(&row[i], table.columns[i].kind))
                .collect()
        })
        .collect();
    // A number never wraps: its column is as wide as its widest value (or
    // header word). Text wraps down to `TEXT_MIN` (a footnoted cell is `[n]`).
    let min_width = |i: usize| -> usize {
        let column = &table.columns[i];
        let widest = cells
            .iter()
            .map(|r| {
                if column.footnoted && r[i].width() > FOOTNOTE_ABOVE {
                    4
                } else {
                    r[i].width()
                }
            })
            .max()
            .unwrap_or(0);
        if is_text(column.kind) {
            widest.min(TEXT_MIN)
        } else {
            let word = column.header.split(' ').map(str::width).max();
            widest.max(word.unwrap_or(0))
        }
        .max(1)
    };
    let needed =
        |shown: &[usize]| -> usize { shown.iter().map(|&i| min_width(i) + 3).sum::<usize>() + 1 };
    let mut hidden = Vec::new();
    if let (Some(width), false) = (layout.width, layout.wide) {
        // The rightmost go first, a verdict (SLO met) last: it sums up the rest.
        while shown.len() > 2 && needed(&shown) > usize::from(width) {
            let at = (2..shown.len())
                .rev()
                .find(|&p| table.columns[shown[p]].kind != Kind::Verdict)
                .unwrap_or(shown.len() - 1);
            hidden.push(shown.remove(at));
        }
        hidden.sort_unstable();
    }
    // `--wide` keeps every column: wider than the width when they cannot fit.
    let width = layout
        .width
        .filter(|w| !layout.wide || needed(&shown) <= usize::from(*w));
    let mut grid = Grid::new();
    grid.load_preset(presets::UTF8_FULL_CONDENSED);
    match width {
        Some(width) => {
            grid.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
        }
        None => {
            grid.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    if layout.color {
        grid.enforce_styling();
    } else {
        grid.force_no_tty();
    }
    grid.set_header(shown.iter().map(|&i| &table.columns[i]).map(|c| {
        let cell = Cell::new(c.header.as_ref());
        if layout.color {
            cell.add_attribute(comfy_table::Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in &cells {
        grid.add_row(shown.iter().map(|&i| {
            let column = &table.columns[i];
            let text = &row[i];
            let cell = Cell::new(if column.footnoted && text.width() > FOOTNOTE_ABOVE {
                footnote(text, footnotes)
            } else {
                text.clone()
            });
            if is_text(column.kind) {
                cell
            } else {
                cell.set_alignment(CellAlignment::Right)
            }
        }));
    }
    if width.is_some() {
        for (column, &i) in grid.column_iter_mut().zip(&shown) {
            if !is_text(table.columns[i].kind) {
                // An absolute width counts the padding (one space each side).
                let w = u16::try_from(min_width(i) + 2).unwrap_or(u16::MAX);
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
            }
        }
    }
    let hidden = hidden
        .iter()
        .map(|&i| table.columns[i].header.to_string())
        .collect();
    (grid.to_string(), hidden)
}

/// `[n]` for `text`, numbered in the report's footnotes (each text once).
fn footnote(text: &str, footnotes: &mut Vec<String>) -> String {
    let n = if let Some(n) = footnotes.iter().position(|f| f == text) {
        n
    } else {
        footnotes.push(text.to_string());
        footnotes.len() - 1
    };
    format!("[{}]", n + 1)
}

/// `text` and a line feed, broken at spaces into lines at most `width`
/// wide (a word wider than that is cut), later lines after `indent`.
pub fn wrap(text: &str, width: Option<usize>, indent: &str) -> String {
    let Some(width) = width.filter(|w| *w > indent.width() + 8) else {
        return format!("{text}\n");
    };
    let mut out = String::new();
    for paragraph in text.lines() {
        // A later paragraph is indented like a wrapped line.
        let mut line = if out.is_empty() {
            String::new()
        } else {
            indent.to_string()
        };
        // Whether `line` holds a word yet (beyond the indent).
        let mut started = false;
        for word in paragraph.split(' ') {
            if started && line.width() + 1 + word.width() > width {
                out.push_str(&line);
                out.push('\n');
                line = indent.to_string();
                started = false;
            }
            if started {
                line.push(' ');
            }
            for c in word.chars() {
                let mut buf = [0; 4];
                if line.width() + c.encode_utf8(&mut buf).width() > width {
                    out.push_str(&line);
                    out.push('\n');
                    line = indent.to_string();
                }
                line.push(c);
            }
            started = true;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let text = "note: savings are against the baseline plan `all-strong`; https://example.com/a/very/long/address/that/cannot/break/at/a/space";
        let out = wrap(text, Some(30), "  ");
        assert!(out.lines().all(|l| l.width() <= 30), "{out}");
        assert!(out.lines().skip(1).all(|l| l.starts_with("  ")), "{out}");
        let joined: String = out.split_whitespace().collect();
        let original: String = text.split_whitespace().collect();
        assert_eq!(joined, original);
    }

    #[test]
    fn no_width_leaves_the_line_whole() {
        assert_eq!(wrap("a b c", None, "  "), "a b c\n");
    }
}
