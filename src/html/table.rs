//! A report table as an HTML table: a caption, header cells with scope,
//! numbers right-aligned as people read them (the Markdown renderer's
//! formatting), the examined plan's row marked.

use maud::{html, Markup};

use crate::report::format::human;
use crate::report::{Kind, Table};

pub fn render(caption: &str, table: &Table) -> Markup {
    let numeric = |k: Kind| !matches!(k, Kind::Text | Kind::Flag | Kind::Verdict);
    html! {
        div.table-wrap {
            table {
                caption { (super::inline(caption)) }
                thead {
                    tr {
                        @for c in &table.columns {
                            th scope="col" class=[numeric(c.kind).then_some("num")] title=(c.meaning) { (c.header) }
                        }
                    }
                }
                tbody {
                    @for row in &table.rows {
                        tr {
                            @for (i, c) in table.columns.iter().enumerate() {
                                @let text = human(&row[i], c.kind);
                                @if i == 0 {
                                    th scope="row" class=[numeric(c.kind).then_some("num")] { (text) }
                                } @else if numeric(c.kind) {
                                    td.num { (text) }
                                } @else {
                                    td.text { (text) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
