//! Builds the embedded catalog snapshot from the two public catalogs, with
//! the ordinary importers (`pricing::import`): the catalogs are trimmed to
//! the providers the snapshot covers (first-party model makers and the
//! major hosts) and to entries not retired before 2024, text generation
//! and embeddings, imported into
//! sheets, and bundled into one text per catalog that the snapshot loader
//! splits again. `cargo run --example catalog_snapshot` writes the bundles
//! (gzip-compressed) into `pricing/snapshot/`; a test rebuilds them from the
//! sources when they are present and checks the embedded ones are the same.
//!
//! Pure: catalog texts in, bundle texts and bytes out.

use std::io::Write as _;

use jiff::civil::Date;
use serde_json::Value;

use super::providers::{GENAI_PRICES_PROVIDERS, LITELLM_PROVIDERS};
use super::{Provenance, MATCH_MARKER, SHEET_MARKER};
use crate::pricing::import::litellm::SNAPSHOT_MODES;
use crate::pricing::import::{CatalogKind, Import, ImportError};

/// Entries LiteLLM marks deprecated before this day are left out: the
/// snapshot covers what was priced since 2024.
const OLDEST: &str = "2024-01-01";

/// One catalog's bundle: every imported sheet, each after a marker line.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub text: String,
    pub models: usize,
    pub entries: usize,
}

/// LiteLLM's map, trimmed and imported.
pub fn litellm(
    text: &str,
    origin: &str,
    taken: Date,
    about: &Provenance,
) -> Result<Bundle, ImportError> {
    let trimmed = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut entries)) => {
            entries.retain(|_, entry| keep_litellm(entry));
            Value::Object(entries).to_string()
        }
        // Not the catalog: the importer says so with its own message.
        _ => text.to_string(),
    };
    let import =
        crate::pricing::import::litellm::import_modes(&trimmed, origin, taken, &SNAPSHOT_MODES)?;
    Ok(bundle(&import, about, taken))
}

/// genai-prices' data, trimmed to the covered providers and imported.
pub fn genai_prices(
    text: &str,
    origin: &str,
    taken: Date,
    about: &Provenance,
) -> Result<Bundle, ImportError> {
    let trimmed = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(mut providers)) => {
            providers.retain(|p| {
                p.get("id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| GENAI_PRICES_PROVIDERS.contains(&id))
            });
            Value::Array(providers).to_string()
        }
        _ => text.to_string(),
    };
    let import = CatalogKind::GenaiPrices.import(&trimmed, origin, taken)?;
    let mut out = bundle(&import, about, taken);
    // The catalog's own rules for the names that mean each model
    // (`{"starts_with": "claude-3-opus"}`...), as comment lines before the
    // first sheet: the snapshot uses them as a last resort.
    let mut rules = String::new();
    if let Ok(Value::Array(providers)) = serde_json::from_str::<Value>(&trimmed) {
        for p in &providers {
            let provider = p.get("id").and_then(Value::as_str).unwrap_or_default();
            for m in p
                .get("models")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(id), Some(rule)) = (m.get("id").and_then(Value::as_str), m.get("match"))
                else {
                    continue;
                };
                let line = serde_json::json!({ "id": format!("{provider}/{id}"), "match": rule });
                rules.push_str(MATCH_MARKER);
                rules.push_str(&line.to_string());
                rules.push('\n');
            }
        }
    }
    let first_sheet = out.text.find(SHEET_MARKER).unwrap_or(out.text.len());
    out.text.insert_str(first_sheet, &rules);
    Ok(out)
}

fn keep_litellm(entry: &Value) -> bool {
    let provider = entry
        .get("litellm_provider")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let covered = LITELLM_PROVIDERS.contains(&provider) || provider.starts_with("vertex_ai");
    let retired_early = entry
        .get("deprecation_date")
        .and_then(Value::as_str)
        .is_some_and(|d| d < OLDEST);
    covered && !retired_early
}

fn bundle(import: &Import, about: &Provenance, taken: Date) -> Bundle {
    let mut text = format!(
        "# Catalog snapshot: {} {} ({}), {}; taken {taken} by `cargo run --example catalog_snapshot`.\n# Sheets imported by cost's importer; do not edit, regenerate.\n",
        about.catalog, about.version, about.published, about.licence
    );
    let mut models = 0;
    for sheet in &import.sheets {
        text.push_str(SHEET_MARKER);
        text.push_str(&sheet.file_name);
        text.push('\n');
        text.push_str(&sheet.text);
        models += sheet.models;
    }
    Bundle {
        text,
        models,
        entries: import.entries,
    }
}

/// The bundle as the gzip bytes that are embedded (no file name or time in
/// the header, so the same text always gives the same bytes).
pub fn compress(text: &str) -> Vec<u8> {
    let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    gz.write_all(text.as_bytes()).expect("writing to memory");
    gz.finish().expect("writing to memory")
}
