//! The catalog snapshot: a lower price tier below the curated sheets, so
//! that a log naming a model the sheets lack (last year's models, hosts'
//! spellings) is priced rather than a wall of "unknown model". It is an
//! attributed copy of two public catalogs, LiteLLM's model price map and
//! genai-prices' data (both MIT; `pricing/snapshot/README.md`), imported by
//! the ordinary importers (`generate.rs`) and compiled into the binary
//! gzip-compressed. It is decompressed and loaded on the first lookup the
//! curated sheets cannot answer, never otherwise.
//!
//! A snapshot price is second-hand: every report that uses one says so
//! (`note`), naming the catalog, its version and date. Lookup order: an
//! exact id in LiteLLM, then in genai-prices; then the id without the
//! catalog's provider prefix (`groq/llama3-8b-8192` answers
//! `llama3-8b-8192`), preferring the model's maker over hosts and LiteLLM
//! (newer) over genai-prices; then a dated or `-latest` id of an undated
//! name (`grok-4` is `grok-4-0709`); last, after every spelling, the name
//! rules genai-prices publishes for its makers' models (`find_by_rule`).
//! Two hosts with different prices for the same name are ambiguous: no
//! price, the candidates are named.

pub mod generate;
pub mod providers;
mod used;

use std::collections::HashMap;
use std::sync::OnceLock;

use super::load::load_sheet;
use super::model::Model;
use crate::source::Source;

pub use used::{note, record};

/// Each bundle puts this line (and the sheet's file name) before a sheet.
pub const SHEET_MARKER: &str = "#=== sheet ";

/// genai-prices' bundle starts with one such comment line per model: its
/// id and the catalog's rule for the names that mean it (JSON).
pub const MATCH_MARKER: &str = "#match ";

/// Where a bundle comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provenance {
    /// Short name in model origins (`catalog-snapshot/<key>/...`).
    pub key: &'static str,
    pub catalog: &'static str,
    pub version: &'static str,
    /// When the catalog was published.
    pub published: &'static str,
    pub url: &'static str,
    pub licence: &'static str,
    /// The source file the bundle was generated from.
    pub source_file: &'static str,
}

/// The day the snapshot was generated (the `verified` date of its models).
pub const TAKEN: &str = "2026-12-01";

pub const LITELLM: Provenance = Provenance {
    key: "litellm",
    catalog: "LiteLLM",
    version: "1.110.2",
    published: "November 2026",
    url: "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json",
    licence: "MIT, (c) Berri AI",
    source_file: "litellm-model-prices-1.110.2.json",
};

pub const GENAI_PRICES: Provenance = Provenance {
    key: "genai-prices",
    catalog: "genai-prices",
    version: "47df840",
    published: "2026-08-21",
    url: "https://github.com/pydantic/genai-prices",
    licence: "MIT, (c) Pydantic Services Inc.",
    source_file: "genai-prices-v2-data.json",
};

/// The bundles in lookup order, with their embedded bytes.
pub fn bundles() -> [(Provenance, &'static [u8]); 2] {
    [
        (LITELLM, crate::embedded::SNAPSHOT_LITELLM),
        (GENAI_PRICES, crate::embedded::SNAPSHOT_GENAI_PRICES),
    ]
}

/// The file a bundle is embedded from, in `pricing/snapshot/`.
pub fn file_name(about: &Provenance) -> String {
    format!("{}-{}.sheets.gz", about.key, about.version)
}

/// What the snapshot says about a name.
#[derive(Debug, Clone, PartialEq)]
pub enum Found<'a> {
    Model(&'a Model),
    /// Several sellers price this name differently.
    Ambiguous(Vec<&'a Model>),
    Missing,
}

#[derive(Debug, Default)]
pub struct Snapshot {
    /// LiteLLM's models first, then genai-prices'.
    models: Vec<Model>,
    exact: HashMap<String, usize>,
    /// The id without the catalog's provider route -> models, load order.
    bare: HashMap<String, Vec<usize>>,
    /// The bare id without a date or `-latest` suffix -> models.
    undated: HashMap<String, Vec<usize>>,
    /// genai-prices' name rules: (model, rule), in the catalog's order.
    rules: Vec<(usize, serde_json::Value)>,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("catalog snapshot {0}: cannot decompress: {1}")]
    Compressed(&'static str, std::io::Error),
    #[error("catalog snapshot {0}: {1}")]
    Sheet(&'static str, Box<crate::source::InputError>),
}

/// The embedded snapshot, loaded once on first use.
pub fn embedded() -> &'static Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        // The bytes are compiled in and tests/usage_dataset.rs loads them
        // in full, so a failure here is a build defect, not bad input.
        Snapshot::load(&bundles()).expect("the embedded catalog snapshot loads")
    })
}

/// The catalog a snapshot model comes from, by its origin; `None` for a
/// model of the curated sheets or the user's.
pub fn provenance_of(model: &Model) -> Option<Provenance> {
    let rest = model.origin.strip_prefix("<built-in>/catalog-snapshot/")?;
    bundles()
        .into_iter()
        .map(|(p, _)| p)
        .find(|p| rest.starts_with(&format!("{}/", p.key)))
}

impl Snapshot {
    pub fn load(bundles: &[(Provenance, &[u8])]) -> Result<Snapshot, SnapshotError> {
        let mut snapshot = Snapshot::default();
        for (about, bytes) in bundles {
            let text = decompress(bytes).map_err(|e| SnapshotError::Compressed(about.key, e))?;
            let rules: Vec<(String, serde_json::Value)> = text
                .lines()
                .take_while(|l| !l.starts_with(SHEET_MARKER))
                .filter_map(|l| l.strip_prefix(MATCH_MARKER))
                .filter_map(|json| {
                    let mut v: serde_json::Value = serde_json::from_str(json).ok()?;
                    Some((
                        v.get("id")?.as_str()?.to_lowercase(),
                        v.get_mut("match")?.take(),
                    ))
                })
                .collect();
            for (file, sheet) in split(&text) {
                let name = format!("catalog-snapshot/{}/{file}", about.key);
                let models = load_sheet(&Source::embedded(&name, sheet))
                    .map_err(|e| SnapshotError::Sheet(about.key, Box::new(e)))?;
                for model in models {
                    snapshot.insert(model, about.key == LITELLM.key);
                }
            }
            for (id, rule) in rules {
                // The first model of that id in the catalog's own bundle.
                let slot = snapshot.models.iter().position(|m| {
                    m.id.eq_ignore_ascii_case(&id)
                        && provenance_of(m).is_some_and(|p| p.key == about.key)
                });
                if let Some(slot) = slot {
                    snapshot.rules.push((slot, rule));
                }
            }
        }
        Ok(snapshot)
    }

    fn insert(&mut self, model: Model, litellm: bool) {
        let slot = self.models.len();
        let id = model.id.to_lowercase();
        self.exact.entry(id.clone()).or_insert(slot);
        let bare = bare_id(&id, litellm);
        if bare != id {
            self.bare.entry(bare.clone()).or_default().push(slot);
        }
        if let Some(stem) = super::resolve::strip_date(&bare)
            .or_else(|| bare.strip_suffix("-latest").map(String::from))
            .or_else(|| bare.strip_suffix("-0").map(String::from))
            .or_else(|| short_date(&bare))
        {
            self.undated.entry(stem).or_default().push(slot);
        }
        self.models.push(model);
    }

    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// The one model listed under `name`, as its id or its id without the
    /// catalog's route (no dated or `-latest` forms), if any.
    pub fn listed(&self, name: &str) -> Option<&Model> {
        let key = name.to_lowercase();
        if let Some(&i) = self.exact.get(&key) {
            return Some(&self.models[i]);
        }
        match self.pick(self.bare.get(&key)?) {
            Found::Model(m) => Some(m),
            Found::Ambiguous(_) | Found::Missing => None,
        }
    }

    /// The model a spelling names (see the module header for the order).
    pub fn find(&self, name: &str) -> Found<'_> {
        let key = name.to_lowercase();
        if let Some(&i) = self.exact.get(&key) {
            return Found::Model(&self.models[i]);
        }
        let hits: Vec<usize> = self
            .bare
            .get(&key)
            .into_iter()
            .chain(self.undated.get(&key))
            .flatten()
            .copied()
            .collect();
        if hits.is_empty() {
            Found::Missing
        } else {
            self.pick(&hits)
        }
    }

    /// The model whose maker's name rule in genai-prices accepts `name`
    /// (`claude-3-opus-20240229` is `anthropic/claude-3-opus-latest` by
    /// `{"starts_with": "claude-3-opus"}`): hosts' rules are not used, nor
    /// regular expressions, nor any rule for a `:free` variant.
    pub fn find_by_rule(&self, name: &str) -> Found<'_> {
        let name = name.to_lowercase();
        // A free variant is not the paid model a rule names.
        if name.ends_with(":free") {
            return Found::Missing;
        }
        let hits: Vec<usize> = self
            .rules
            .iter()
            .filter(|(slot, rule)| {
                let m = &self.models[*slot];
                providers::first_party(&m.provider, &m.id) && accepts(rule, &name)
            })
            .map(|(slot, _)| *slot)
            .collect();
        if hits.is_empty() {
            Found::Missing
        } else {
            self.pick(&hits)
        }
    }

    /// The maker's price before a host's; one seller, or sellers who agree.
    /// Ids the catalog lists under its own name come before ids found
    /// through a dated or `-latest` spelling (`hits` is in that order).
    fn pick(&self, hits: &[usize]) -> Found<'_> {
        let seller = |m: &Model| providers::canonical(&m.provider).to_string();
        let maker: Vec<&Model> = hits
            .iter()
            .map(|&i| &self.models[i])
            .filter(|m| providers::first_party(&m.provider, &m.id))
            .collect();
        let best: Vec<&Model> = if maker.is_empty() {
            hits.iter().map(|&i| &self.models[i]).collect()
        } else {
            maker
        };
        let first = best[0];
        let agree = best.iter().all(|m| {
            seller(m) == seller(first)
                || m.current_period().map(|p| &p.base) == first.current_period().map(|p| &p.base)
        });
        if agree {
            Found::Model(first)
        } else {
            Found::Ambiguous(best)
        }
    }
}

/// The id without the catalog's route: LiteLLM's first segment (`groq/`,
/// `azure/`, `gemini/`) and Fireworks' account path; genai-prices'
/// `provider/`. A region after the route (`azure/eu/`, `bedrock/us-east-1/`)
/// stays: regional endpoints cost more than global ones.
fn bare_id(id: &str, litellm: bool) -> String {
    let Some((_, mut rest)) = id.split_once('/') else {
        return id.to_string();
    };
    if litellm {
        if let Some(after) = rest.strip_prefix("accounts/fireworks/models/") {
            rest = after;
        }
    }
    rest.to_string()
}

/// Whether a genai-prices name rule accepts a (lower-case) name.
fn accepts(rule: &serde_json::Value, name: &str) -> bool {
    let Some(rule) = rule.as_object() else {
        return false;
    };
    rule.iter().all(|(kind, arg)| {
        let text = || arg.as_str().map(str::to_lowercase);
        match kind.as_str() {
            "equals" => text().is_some_and(|t| name == t),
            "starts_with" => text().is_some_and(|t| {
                name.strip_prefix(t.as_str())
                    .is_some_and(continues_as_snapshot)
            }),
            "ends_with" => text().is_some_and(|t| name.ends_with(&t)),
            "contains" => text().is_some_and(|t| name.contains(&t)),
            "or" => arg
                .as_array()
                .is_some_and(|a| a.iter().any(|r| accepts(r, name))),
            "and" => arg
                .as_array()
                .is_some_and(|a| a.iter().all(|r| accepts(r, name))),
            _ => false,
        }
    })
}

/// Whether what follows a `starts_with` prefix makes a snapshot of the
/// same model (`-20240229`, `-latest`, `@001`) rather than another one:
/// not `5` (`claude-opus-5` is not `claude-opus-55`), nor a short version
/// number (`claude-opus-4` is not `claude-opus-4-1`).
fn continues_as_snapshot(rest: &str) -> bool {
    let Some(first) = rest.chars().next() else {
        return true;
    };
    if first.is_ascii_alphanumeric() {
        return false;
    }
    let next: String = rest[1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    !(next.len() <= 2 && !next.is_empty() && next.chars().all(|c| c.is_ascii_digit()))
}

/// `grok-4-0709`, `grok-2-1212`: xAI's and others' month-day snapshot suffix.
fn short_date(id: &str) -> Option<String> {
    let (head, tail) = id.rsplit_once('-')?;
    let month: u32 = tail.get(..2)?.parse().ok()?;
    let day: u32 = tail.get(2..)?.parse().ok()?;
    (tail.len() == 4 && (1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| head.to_string())
}

fn decompress(bytes: &[u8]) -> std::io::Result<String> {
    use std::io::Read as _;
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes).read_to_string(&mut text)?;
    Ok(text)
}

/// A bundle's sheets: (file name, sheet text).
pub fn split(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for chunk in text.split(SHEET_MARKER).skip(1) {
        let (file, sheet) = chunk.split_once('\n').unwrap_or((chunk, ""));
        out.push((file.trim(), sheet));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_routes_are_taken_off_ids() {
        assert_eq!(bare_id("groq/llama3-8b-8192", true), "llama3-8b-8192");
        assert_eq!(bare_id("azure/gpt-4o", true), "gpt-4o");
        assert_eq!(bare_id("azure/eu/gpt-4o", true), "eu/gpt-4o");
        assert_eq!(
            bare_id("fireworks_ai/accounts/fireworks/models/gpt-oss-120b", true),
            "gpt-oss-120b"
        );
        assert_eq!(bare_id("openrouter/x-ai/grok-4", false), "x-ai/grok-4");
        assert_eq!(bare_id("gpt-4o", true), "gpt-4o");
        assert_eq!(short_date("grok-4-0709").as_deref(), Some("grok-4"));
        assert_eq!(short_date("gpt-4o-mini"), None);
        assert_eq!(short_date("llama3-8b-8192"), None);
    }

    #[test]
    fn genai_prices_name_rules() {
        let rule: serde_json::Value = serde_json::from_str(
            r#"{"or": [{"starts_with": "claude-3-opus"}, {"and": [{"contains": "opus"}, {"ends_with": "-v1:0"}]}]}"#,
        )
        .unwrap();
        assert!(accepts(&rule, "claude-3-opus-20240229"));
        assert!(accepts(&rule, "x.opus-v1:0"));
        assert!(!accepts(&rule, "claude-3-sonnet"));
        let opus: serde_json::Value =
            serde_json::from_str(r#"{"starts_with": "claude-opus-4"}"#).unwrap();
        assert!(accepts(&opus, "claude-opus-4"));
        assert!(accepts(&opus, "claude-opus-4-20250514"));
        assert!(!accepts(&opus, "claude-opus-45"), "another model");
        assert!(!accepts(&opus, "claude-opus-4-1"), "a newer version");
        let regex: serde_json::Value = serde_json::from_str(r#"{"regex": ".*"}"#).unwrap();
        assert!(!accepts(&regex, "anything"));
    }

    #[test]
    fn a_bundle_splits_into_its_sheets() {
        let text = format!("# header\n{SHEET_MARKER}a.toml\nx = 1\n{SHEET_MARKER}b.toml\ny = 2\n");
        assert_eq!(
            split(&text),
            vec![("a.toml", "x = 1\n"), ("b.toml", "y = 2\n")]
        );
    }
}
