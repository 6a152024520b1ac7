//! The board report as one self-contained HTML page: inline CSS and inline
//! SVG, no script, font or URL the browser would fetch (a
//! `Content-Security-Policy` of `default-src 'none'` says so to the
//! browser). Markup and escaping are maud's; this module only lays out the
//! `views::board` model: real headings, tables as tables, each chart with a
//! `<title>`, a `<desc>` and its figures in words. Same board, same bytes.

mod charts;
mod style;
mod table;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::views::board::{Block, Board, Figure, Section};

/// What the page allows itself: inline styles and nothing from anywhere.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

pub fn render(board: &Board) -> Result<String, String> {
    let sections = board
        .sections
        .iter()
        .map(section)
        .collect::<Result<Vec<Markup>, String>>()?;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content="cost report";
                title { (board.title) }
                style { (PreEscaped(style::CSS)) }
            }
            body {
                header {
                    h1 { (board.title) }
                    dl.facts {
                        @for (k, v) in &board.facts {
                            div { dt { (k) } dd { (v) } }
                        }
                    }
                }
                main {
                    section #answer aria-labelledby="answer-h" {
                        h2 #answer-h { "The answer" }
                        p.answer {
                            @for (n, sentence) in board.answer.iter().enumerate() {
                                @if n > 0 { " " }
                                (inline(sentence))
                            }
                        }
                    }
                    nav aria-label="Contents" {
                        h2.visually-hidden { "Contents" }
                        ol {
                            @for s in &board.sections {
                                li { a href={ "#" (s.id) } { (s.heading) } }
                            }
                        }
                    }
                    @for s in &sections { (s) }
                }
            }
        }
    };
    Ok(page.into_string())
}

fn section(s: &Section) -> Result<Markup, String> {
    let blocks = s
        .blocks
        .iter()
        .map(block)
        .collect::<Result<Vec<Markup>, String>>()?;
    Ok(html! {
        section id=(s.id) aria-labelledby={ (s.id) "-h" } {
            h2 id={ (s.id) "-h" } { (s.heading) }
            @for b in &blocks { (b) }
        }
    })
}

fn block(b: &Block) -> Result<Markup, String> {
    Ok(match b {
        Block::Text(t) => html! { p { (inline(t)) } },
        Block::Notes(notes) => html! {
            ul.notes { @for n in notes { li { (inline(n)) } } }
        },
        Block::Table { caption, table } => table::render(caption, table),
        Block::Figure(f) => figure(f)?,
    })
}

fn figure(f: &Figure) -> Result<Markup, String> {
    let svg = charts::render(f)?;
    Ok(html! {
        figure id=(f.id) aria-labelledby={ (f.id) "-cap" } {
            (svg)
            figcaption id={ (f.id) "-cap" } {
                strong { (f.title) }
                " "
                span.desc { (f.description) }
            }
        }
    })
}

/// Text with `code` spans, as the terminal notes write them.
fn inline(text: &str) -> Markup {
    html! {
        @for (n, piece) in text.split('`').enumerate() {
            @if n % 2 == 1 { code { (piece) } } @else { (piece) }
        }
    }
}
