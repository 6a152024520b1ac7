//! `cost pricing import --from litellm|genai-prices FILE [--out-dir DIR]`: a
//! public catalog to price sheets, one per provider, written into DIR as one
//! set, all or none (`output::write_folder`); then `--pricing DIR` loads the
//! whole catalog. The
//! report says how many entries were imported and why the rest were not.

use crate::output::write_folder;
use crate::settings::ImportSettings;
use crate::source::read_bytes;
use crate::views;

pub fn import(settings: &ImportSettings) -> anyhow::Result<()> {
    let kind = settings.catalog;
    let source = &settings.source;
    let imported = kind.import(&source.text, &source.name, settings.verified)?;
    if let Some(dir) = &settings.out_dir {
        let header = format!("# Imported by `cost pricing import` from {} (", kind.name());
        let files: Vec<(String, Vec<u8>)> = imported
            .sheets
            .iter()
            .map(|sheet| {
                let text = format!(
                    "{header}{}) on {}.\n# Prices in USD per 1M tokens. Re-import rather than edit: the next import overwrites this file.\n\n{}",
                    source.name, settings.verified, sheet.text
                );
                (sheet.file_name.clone(), text.into_bytes())
            })
            .collect();
        // A sheet an earlier import from the same catalog wrote, that this
        // one no longer has: left in place it would mix two imports.
        let stale = |path: &std::path::Path| {
            path.extension().is_some_and(|e| e == "toml")
                && read_bytes(path).is_ok_and(|(bytes, _)| bytes.starts_with(header.as_bytes()))
        };
        write_folder(dir, &files, &stale)?;
    }
    settings.printer.emit(&views::import::report(
        kind.name(),
        &source.name,
        &imported,
        settings.verbose,
        settings.out_dir.as_deref(),
    ))
}
