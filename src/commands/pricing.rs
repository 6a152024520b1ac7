//! `cost pricing import --from litellm|genai-prices FILE [-o DIR]`: a public
//! catalog to price sheets, one per provider, written atomically into DIR
//! (created if needed); then `--pricing DIR` loads the whole catalog. The
//! report says how many entries were imported and why the rest were not.

use anyhow::Context as _;

use crate::output::write_atomically;
use crate::settings::ImportSettings;
use crate::views;

pub fn import(settings: &ImportSettings) -> anyhow::Result<()> {
    let kind = settings.catalog;
    let source = &settings.source;
    let imported = kind.import(&source.text, &source.name, settings.verified)?;
    if let Some(dir) = &settings.out_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        for sheet in &imported.sheets {
            let header = format!(
                "# Imported by `cost pricing import` from {} ({}) on {}.\n# Prices in USD per 1M tokens. Re-import rather than edit: the next import overwrites this file.\n\n",
                kind.name(),
                source.name,
                settings.verified
            );
            write_atomically(
                &dir.join(&sheet.file_name),
                (header + &sheet.text).as_bytes(),
            )?;
        }
    }
    settings.printer.emit(&views::import::report(
        kind.name(),
        &source.name,
        &imported,
        settings.verbose,
        settings.out_dir.as_deref(),
    ))
}
