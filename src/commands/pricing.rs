//! `cost pricing import --from litellm|genai-prices FILE [-o DIR]`: a public
//! catalog to price sheets, one per provider, written atomically into DIR
//! (created if needed); then `--pricing DIR` loads the whole catalog. The
//! report says how many entries were imported and why the rest were not.

use std::collections::BTreeMap;

use anyhow::Context as _;

use crate::cli::{GlobalArgs, ImportArgs};
use crate::output::write_atomically;
use crate::pricing::import::Import;
use crate::report::{col, Kind, Report, Table};
use crate::settings;
use crate::source::Source;

pub fn import(args: &ImportArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let mut printer = settings::printer(global);
    // Here -o names the folder of sheets; the report goes to stdout.
    printer.output = None;
    let source = Source::read(&args.file)?;
    let verified = settings::date(args.verified, None);
    let name = args.from.name();
    let imported = args.from.import(&source.text, &source.name, verified)?;
    if let Some(dir) = &global.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        for sheet in &imported.sheets {
            let header = format!(
                "# Imported by `cost pricing import` from {name} ({}) on {verified}.\n# Prices in USD per 1M tokens. Re-import rather than edit: the next import overwrites this file.\n\n",
                source.name
            );
            write_atomically(
                &dir.join(&sheet.file_name),
                (header + &sheet.text).as_bytes(),
            )?;
        }
    }
    printer.emit(&report(args, global, name, &source.name, &imported))
}

fn report(args: &ImportArgs, global: &GlobalArgs, name: &str, file: &str, i: &Import) -> Report {
    let models: usize = i.sheets.iter().map(|s| s.models).sum();
    let mut sheets = Table::new(
        "sheets",
        vec![
            col("file", "file", Kind::Text),
            col("provider", "provider", Kind::Text),
            col("models", "models", Kind::Tokens),
        ],
    );
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
    let mut reasons = Table::new(
        "skipped_reasons",
        vec![
            col("reason", "not imported because", Kind::Text),
            col("entries", "entries", Kind::Tokens),
            col("examples", "examples", Kind::Text),
        ],
    );
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
    let mut dropped = Table::new(
        "dropped_prices",
        vec![
            col("key", "price left out", Kind::Text),
            col("models", "models", Kind::Tokens),
        ],
    );
    let mut keys: Vec<(&String, &usize)> = i.dropped.iter().collect();
    keys.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (key, n) in keys {
        dropped.push(vec![key.clone().into(), (*n as u64).into()]);
    }
    let mut tables = vec![sheets, reasons, dropped];
    if args.verbose {
        let mut skipped = Table::new(
            "skipped_entries",
            vec![
                col("entry", "entry", Kind::Text),
                col("reason", "reason", Kind::Text),
                col("detail", "detail", Kind::Text),
            ],
        );
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
        if args.verbose { ", each entry below" } else { "; -v lists each entry" }
    )];
    if i.filled > 0 {
        notes.push(format!("{} long-context or service-tier prices the source does not state were set to the price that applies without that tier", i.filled));
    }
    if !i.dropped.is_empty() {
        notes.push("prices `cost` does not bill (audio, images, searches, per-second...) were left out of imported models; their token prices were kept".into());
    }
    notes.push(match &global.out {
        Some(dir) => format!(
            "sheets written to {}; use them with `--pricing {}` (a model with the same id as a built-in one replaces it)",
            dir.display(),
            dir.display()
        ),
        None => "nothing written: add `-o DIR` to write the sheets".into(),
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
            (
                "out_dir",
                global.out.as_ref().map(|d| d.display().to_string()).into(),
            ),
        ],
        tables,
        notes,
    }
}
