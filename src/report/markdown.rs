//! Markdown: each table as a GitHub table with human numbers, then the
//! notes as a list. Meant for pull-request comments and docs.

use super::format::human;
use super::{Kind, Report};
use crate::human::printable;

pub fn render(report: &Report) -> String {
    let mut out = format!("### {}\n\n", escape(&report.title));
    for (key, value) in &report.fields {
        out.push_str(&format!(
            "- **{key}**: {}\n",
            escape(&human(value, Kind::Text))
        ));
    }
    if !report.fields.is_empty() {
        out.push('\n');
    }
    for table in report
        .tables
        .iter()
        .filter(|t| !t.machine_only && !t.csv_trailer)
    {
        let shown = table.shown_columns();
        let columns: Vec<_> = shown.iter().map(|&i| &table.columns[i]).collect();
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_ref()).collect();
        out.push_str(&format!("| {} |\n", headers.join(" | ")));
        let aligns: Vec<&str> = columns
            .iter()
            .map(|c| {
                if matches!(c.kind, Kind::Text | Kind::Flag | Kind::Verdict) {
                    ":--"
                } else {
                    "--:"
                }
            })
            .collect();
        out.push_str(&format!("|{}|\n", aligns.join("|")));
        for row in &table.rows {
            let cells: Vec<String> = shown
                .iter()
                .map(|&i| escape(&human(&row[i], table.columns[i].kind)))
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
    }
    for note in &report.notes {
        out.push_str(&format!("- {}\n", escape(note)));
    }
    out
}

fn escape(s: &str) -> String {
    printable(&s.replace('|', "\\|").replace('\n', " "), false).into_owned()
}
