//! The page's one stylesheet: readable on a phone (one column, tables
//! scroll sideways), on a laptop, and printed on A4 (no navigation, no
//! broken rows, charts kept whole).

pub const CSS: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --accent: #0b5cad; --band: #9ec5e8; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; line-height: 1.45; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
.facts { display: flex; flex-wrap: wrap; gap: 0.3rem 1.5rem; margin: 0.5rem 0 1rem; color: var(--muted); }
.facts div { display: flex; gap: 0.4rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
.answer { font-size: 1.1rem; background: #f3f8fd; border-left: 4px solid var(--accent); padding: 0.8rem 1rem; margin: 0; }
nav ol { display: flex; flex-wrap: wrap; gap: 0.3rem 1.4rem; list-style: none; padding-left: 0; margin: 0.8rem 0; }
a { color: var(--accent); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; background: #f6f8fa; padding: 0 0.2em; border-radius: 3px; }
.table-wrap { overflow-x: auto; margin: 0.6rem 0; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; caption-side: top; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.55rem; vertical-align: top; }
th { background: #f6f8fa; text-align: left; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.text { overflow-wrap: anywhere; }
tr.chosen td { background: #eef6ee; font-weight: 600; }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; max-width: 60rem; display: block; border: 1px solid var(--rule); background: #fff; }
figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.4rem; }
.notes { font-size: 0.88rem; color: var(--muted); padding-left: 1.2rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 40rem) {
  body { padding: 0.6rem; }
  h1 { font-size: 1.3rem; }
  .answer { font-size: 1rem; }
  table { font-size: 0.8rem; }
}
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  figure, tr, .answer { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  figure svg { max-width: 100%; border: none; }
}
"#;
