//! Regenerates the embedded catalog snapshot (`pricing/snapshot/*.sheets.gz`)
//! from the public catalogs it copies:
//!
//! ```sh
//! cargo run --release --example catalog_snapshot -- SOURCES pricing/snapshot
//! ```
//!
//! SOURCES must hold `litellm-model-prices-1.110.2.json` (LiteLLM's
//! `model_prices_and_context_window_backup.json` from the `litellm` 1.110.2 package,
//! https://github.com/BerriAI/litellm) and `genai-prices-v2-data.json`
//! (genai-prices' `prices/new_data/v2/` data at 47df840,
//! https://github.com/pydantic/genai-prices), the files `pricing::snapshot` names; a new
//! catalog version means new `Provenance` constants first. The models are
//! stamped `verified` on `pricing::snapshot::TAKEN`.

use std::path::PathBuf;

use cost::pricing::snapshot::{self, generate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(sources), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: catalog_snapshot SOURCES_DIR OUT_DIR".into());
    };
    let (sources, out) = (PathBuf::from(sources), PathBuf::from(out));
    let taken: jiff::civil::Date = snapshot::TAKEN.parse()?;
    for (about, _) in snapshot::bundles() {
        let path = sources.join(about.source_file);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let origin = path.display().to_string();
        let bundle = if about.key == snapshot::LITELLM.key {
            generate::litellm(&text, about.source_file, taken, &about)?
        } else {
            generate::genai_prices(&text, about.source_file, taken, &about)?
        };
        let bytes = generate::compress(&bundle.text);
        let file = out.join(snapshot::file_name(&about));
        std::fs::write(&file, &bytes).map_err(|e| format!("{}: {e}", file.display()))?;
        eprintln!(
            "{origin}: {} entries read, {} models kept; {} ({} bytes, {} uncompressed)",
            bundle.entries,
            bundle.models,
            file.display(),
            bytes.len(),
            bundle.text.len()
        );
    }
    Ok(())
}
