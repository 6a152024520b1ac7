//! Turns a public price catalog into `cost` price sheets, one per provider.
//! Every imported model is written through the sheet structs (`sheet.rs`)
//! and loaded back with the ordinary loader before it is kept, so an import
//! never produces a sheet `--pricing` would reject. What cannot be mapped is
//! counted by reason, never silently dropped or guessed.
//!
//! Pure: text in, sheet texts and a tally out; the command writes the files.

mod collect;
pub mod genai_prices;
pub mod litellm;

use std::collections::BTreeMap;

pub use collect::{toml_date, Collector};

/// The public catalogs an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogKind {
    /// LiteLLM's model price map (USD per token).
    Litellm,
    /// genai-prices' v2 data (USD per 1M tokens).
    GenaiPrices,
}

impl CatalogKind {
    /// The catalog's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            CatalogKind::Litellm => "LiteLLM model price map",
            CatalogKind::GenaiPrices => "genai-prices data",
        }
    }

    /// Imports `text` (read from `origin`), stamping `verified` on every model.
    pub fn import(
        self,
        text: &str,
        origin: &str,
        verified: jiff::civil::Date,
    ) -> Result<Import, ImportError> {
        match self {
            CatalogKind::Litellm => litellm::import(text, origin, verified),
            CatalogKind::GenaiPrices => genai_prices::import(text, origin, verified),
        }
    }
}

/// The result of an import: sheets to write and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// Sorted by file name.
    pub sheets: Vec<SheetText>,
    /// Sorted by entry name.
    pub skipped: Vec<Skipped>,
    /// Price keys of imported models that `cost` does not bill (audio,
    /// images, searches...) -> how many models carried them.
    pub dropped: BTreeMap<String, usize>,
    /// Tier prices the source does not state, set to the price that applies
    /// without the tier (the long-context or service tier falls back to it).
    pub filled: usize,
    /// Entries read from the source.
    pub entries: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetText {
    pub file_name: String,
    pub provider: String,
    pub models: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    pub entry: String,
    pub reason: Reason,
}

/// Why an entry was not imported.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// Not a text-generation entry (embeddings, images, audio, ...).
    NotText(String),
    /// No per-token input and output prices (per second, per image, ...).
    NoTokenPrices,
    /// A price finer than a micro-dollar per 1M tokens, which a sheet cannot state exactly.
    TooPrecise(String),
    /// Prices that depend on the time of day (off-peak), which dated periods cannot express.
    TimeOfDay,
    /// The entry maps, but the sheet it makes breaks a loader rule.
    Invalid(String),
}

impl Reason {
    /// The category counted in the report.
    pub fn label(&self) -> &'static str {
        match self {
            Reason::NotText(_) => "not a text-generation model",
            Reason::NoTokenPrices => "no per-token input and output prices",
            Reason::TooPrecise(_) => "a price finer than $0.000001 per 1M tokens",
            Reason::TimeOfDay => "time-of-day prices",
            Reason::Invalid(_) => "prices break a price-sheet rule",
        }
    }

    pub fn detail(&self) -> String {
        match self {
            Reason::NotText(mode) => format!("mode `{mode}`"),
            Reason::NoTokenPrices => String::new(),
            Reason::TooPrecise(key) => format!("`{key}`"),
            Reason::TimeOfDay => "off-peak price periods".into(),
            Reason::Invalid(message) => message.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    NotTheCatalog(#[from] NotTheCatalog),
    #[error("cannot render a price sheet: {0}")]
    Render(#[from] toml::ser::Error),
}

/// The source file is not the catalog it was said to be.
#[derive(Debug, thiserror::Error)]
#[error("{file}: not {expected} data: {reason}\n  hint: {hint}")]
pub struct NotTheCatalog {
    pub file: String,
    pub expected: &'static str,
    pub reason: String,
    pub hint: String,
}

/// A file name made of the characters every file system accepts.
pub fn file_stem(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
