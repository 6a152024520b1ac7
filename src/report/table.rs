//! The terminal table: human numbers, the title above, notes below.

use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table as Grid};

use super::format::human;
use super::{Kind, Report};
use crate::human::printable;

pub fn render(report: &Report, color: bool) -> String {
    let mut out = format!("{}\n", printable(&report.title, false));
    for table in report
        .tables
        .iter()
        .filter(|t| !t.machine_only && !t.csv_trailer)
    {
        let mut grid = Grid::new();
        grid.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        if color {
            grid.enforce_styling();
        } else {
            grid.force_no_tty();
        }
        let shown = table.shown_columns();
        grid.set_header(shown.iter().map(|&i| &table.columns[i]).map(|c| {
            let cell = Cell::new(c.header.as_ref());
            if color {
                cell.add_attribute(comfy_table::Attribute::Bold)
            } else {
                cell
            }
        }));
        for row in &table.rows {
            grid.add_row(
                shown
                    .iter()
                    .map(|&i| (&table.columns[i], &row[i]))
                    .map(|(c, v)| {
                        let cell = Cell::new(human(v, c.kind));
                        if matches!(c.kind, Kind::Text | Kind::Flag) {
                            cell
                        } else {
                            cell.set_alignment(CellAlignment::Right)
                        }
                    }),
            );
        }
        out.push_str(&grid.to_string());
        out.push('\n');
    }
    for note in &report.notes {
        out.push_str(&format!("note: {}\n", printable(note, true)));
    }
    out
}
