//! Gathers imported models by provider, proves each one loads, and renders
//! the sheets. Shared by both importers.

use std::collections::BTreeMap;

use toml::value::Datetime;

use super::{file_stem, Import, Reason, SheetText, Skipped};
use crate::pricing::load::load_sheet;
use crate::pricing::sheet::{ModelEntry, ProviderEntry, SheetFile};
use crate::source::Source;

#[derive(Debug, Default)]
pub struct Collector {
    prefix: &'static str,
    providers: BTreeMap<String, SheetFile>,
    import: Import,
}

impl Collector {
    /// `prefix` starts every file name (`litellm-openai.toml`), so two
    /// catalogs imported into one folder never overwrite each other.
    pub fn new(prefix: &'static str) -> Collector {
        Collector {
            prefix,
            ..Collector::default()
        }
    }

    pub fn read_entry(&mut self) {
        self.import.entries += 1;
    }

    pub fn skip(&mut self, entry: &str, reason: Reason) {
        self.import.skipped.push(Skipped {
            entry: entry.to_string(),
            reason,
        });
    }

    pub fn dropped(&mut self, key: &str) {
        *self.import.dropped.entry(key.to_string()).or_default() += 1;
    }

    pub fn filled(&mut self, n: usize) {
        self.import.filled += n;
    }

    /// Keeps `model` if a sheet holding only it loads; otherwise records why not.
    pub fn add(&mut self, provider: &ProviderEntry, model: ModelEntry) {
        let single = SheetFile {
            provider: clone_provider(provider),
            models: vec![model],
        };
        let checked = toml::to_string(&single)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                load_sheet(&Source::embedded("import.toml", &text))
                    .map_err(|e| format!("`{}`: {}", e.key, e.message))
            });
        let model = single.models.into_iter().next().unwrap_or_default();
        if let Err(message) = checked {
            self.skip(&model.id, Reason::Invalid(message));
            return;
        }
        self.providers
            .entry(provider.id.clone())
            .or_insert_with(|| SheetFile {
                provider: clone_provider(provider),
                models: vec![],
            })
            .models
            .push(model);
    }

    pub fn finish(mut self) -> Result<Import, toml::ser::Error> {
        for (id, mut sheet) in std::mem::take(&mut self.providers) {
            sheet.models.sort_by(|a, b| a.id.cmp(&b.id));
            self.import.sheets.push(SheetText {
                file_name: format!("{}-{}.toml", self.prefix, file_stem(&id)),
                provider: id,
                models: sheet.models.len(),
                text: toml::to_string(&sheet)?,
            });
        }
        self.import
            .sheets
            .sort_by(|a, b| a.file_name.cmp(&b.file_name));
        self.import.skipped.sort_by(|a, b| a.entry.cmp(&b.entry));
        Ok(self.import)
    }
}

fn clone_provider(p: &ProviderEntry) -> ProviderEntry {
    ProviderEntry {
        id: p.id.clone(),
        name: p.name.clone(),
        url: p.url.clone(),
    }
}

/// A calendar date as a TOML date.
pub fn toml_date(date: jiff::civil::Date) -> Datetime {
    Datetime {
        date: Some(toml::value::Date {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: None,
        offset: None,
    }
}
