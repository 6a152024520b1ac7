//! `cost pricing import`: the sheets an import made, why the rest was left
//! out, and where the sheets went.

use std::collections::BTreeMap;
use std::path::Path;

use crate::pricing::import::Import;
use crate::report::columns::gates::{
    DETAIL, ENTRIES, ENTRY, EXAMPLES, MODEL_COUNT, NOT_IMPORTED_BECAUSE, PRICE_LEFT_OUT,
};
use crate::report::columns::{FILE, PROVIDER, REASON};
use crate::report::{Column, Report, Table};

/// `name`: the catalog's name; `file`: where it was read; `verbose`: list
/// every skipped entry; `out_dir`: where the sheets were written, if anywhere.
pub fn report(name: &str, file: &str, i: &Import, verbose: bool, out_dir: Option<&Path>) -> Report {
    let models: usize = i.sheets.iter().map(|s| s.models).sum();
    let mut sheets = Table::new("sheets", sheet_columns());
    for s in &i.sheets {
        sheets.push(vec![
            s.file_name.clone().into(),
            s.provider.clone().into(),
            (s.models as u64).into(),
        ]);
    }
    let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for s in &i.skipped {
        by_reason
            .entry(s.reason.label())
            .or_default()
            .push(&s.entry);
    }
    let mut reasons = Table::new("skipped_reasons", reason_columns());
    for (reason, entries) in &by_reason {
        reasons.push(vec![
            (*reason).into(),
            (entries.len() as u64).into(),
            entries
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
                .into(),
        ]);
    }
    let mut dropped = Table::new("dropped_prices", dropped_columns());
    let mut keys: Vec<(&String, &usize)> = i.dropped.iter().collect();
    keys.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (key, n) in keys {
        dropped.push(vec![key.clone().into(), (*n as u64).into()]);
    }
    let mut tables = vec![sheets, reasons, dropped];
    if verbose {
        let mut skipped = Table::new("skipped_entries", entry_columns());
        for s in &i.skipped {
            skipped.push(vec![
                s.entry.clone().into(),
                s.reason.label().into(),
                s.reason.detail().into(),
            ]);
        }
        tables.push(skipped);
    }
    let mut notes = vec![format!(
        "{models} of {} entries imported into {} sheets; {} not imported (counts by reason above{})",
        i.entries,
        i.sheets.len(),
        i.skipped.len(),
        if verbose { ", each entry below" } else { "; -v lists each entry" }
    )];
    if i.filled > 0 {
        notes.push(format!("{} long-context or service-tier prices the source does not state were set to the price that applies without that tier", i.filled));
    }
    if !i.dropped.is_empty() {
        notes.push("prices `cost` does not bill (audio, images, searches, per-second...) were left out of imported models; their token prices were kept".into());
    }
    notes.push(match out_dir {
        Some(dir) => format!(
            "sheets written to {}; use them with `--pricing {}` (a model with the same id as a built-in one replaces it)",
            dir.display(),
            dir.display()
        ),
        None => "nothing written: add `--out-dir DIR` to write the sheets".into(),
    });
    Report {
        command: "pricing import",
        title: format!("cost pricing import: {models} models from {file} ({name})"),
        fields: vec![
            ("source", file.to_string().into()),
            ("catalog", name.to_string().into()),
            ("entries", (i.entries as u64).into()),
            ("imported", (models as u64).into()),
            ("skipped", (i.skipped.len() as u64).into()),
            ("filled", (i.filled as u64).into()),
            ("out_dir", out_dir.map(|d| d.display().to_string()).into()),
        ],
        tables,
        notes,
    }
}

/// The `sheets` table's columns.
pub fn sheet_columns() -> Vec<Column> {
    vec![FILE, PROVIDER, MODEL_COUNT]
}

/// The `skipped_reasons` table's columns.
pub fn reason_columns() -> Vec<Column> {
    vec![NOT_IMPORTED_BECAUSE, ENTRIES, EXAMPLES]
}

/// The `dropped_prices` table's columns.
pub fn dropped_columns() -> Vec<Column> {
    vec![PRICE_LEFT_OUT, MODEL_COUNT]
}

/// The `skipped_entries` table's columns.
pub fn entry_columns() -> Vec<Column> {
    vec![ENTRY, REASON, DETAIL]
}
