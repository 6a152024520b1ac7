//! The set of models `cost` knows: the built-in sheets plus any the user adds
//! with `--pricing`. A user's model replaces a built-in one with the same id,
//! and a user's model id takes over a built-in model's alias of that name.
//! Below them, when enabled (`with_snapshot`, as every command does), the
//! catalog snapshot (`snapshot/`) answers what the sheets cannot, as a
//! lower tier that reports name. A name is tried as logged and in each
//! spelling `resolve.rs` derives (provider prefixes, Bedrock and Vertex ids,
//! `:variant`s...), on the sheets first and then on the snapshot; then by
//! genai-prices' own name rules; a dated suffix is dropped only as a last
//! resort (again the sheets first). Looking up an unknown id
//! is an error that suggests the closest ids; a name two sellers price
//! differently is an error naming them. Never a price of $0.
//! Figures files attach latency and quality figures to models already known.

use std::collections::HashMap;

use super::figures::{load_figures, looks_like_figures};
use super::load::load_sheet;
use super::model::Model;
use super::resolve::{spellings, Rule};
use super::snapshot::{self, Found};
use crate::source::{InputError, KeyPath, Problem, Source};

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    models: Vec<Model>,
    /// Lower-cased id or alias -> index into `models`.
    index: HashMap<String, usize>,
    shadowed: Vec<Shadowed>,
    /// Whether the catalog snapshot answers what the sheets cannot.
    snapshot: bool,
}

/// An alias that a later sheet's model id took over (`cost validate` warns).
#[derive(Debug, Clone, PartialEq)]
pub struct Shadowed {
    pub name: String,
    /// The model that lost the alias, and its file.
    pub model: String,
    pub file: String,
    /// The file whose model has the name as its id.
    pub by_file: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{file}: model `{model}` uses the name `{name}`, which {other_file} already gives to `{other}`\n  hint: remove the alias from one of them, or give the override the same id as the model it replaces")]
    NameClash {
        file: String,
        model: String,
        name: String,
        other: String,
        other_file: String,
    },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", unknown_text(.name, .suggestions, .ambiguous))]
pub struct UnknownModel {
    pub name: String,
    pub suggestions: Vec<String>,
    /// Snapshot ids that price the name differently (empty: not ambiguous).
    pub ambiguous: Vec<String>,
}

fn unknown_text(name: &str, suggestions: &[String], ambiguous: &[String]) -> String {
    if ambiguous.is_empty() {
        format!("unknown model `{name}`{}", suggestion_text(suggestions))
    } else {
        format!(
            "model `{name}` is ambiguous: the catalog snapshot has it from several sellers at different prices ({})\n  hint: use one of these ids, or add a price sheet with `--pricing`",
            ambiguous.join(", ")
        )
    }
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "\n  hint: `cost models` lists every known id; add a price sheet with `--pricing` for others".into()
    } else {
        let names: Vec<&str> = suggestions.iter().map(String::as_str).collect();
        format!(
            "\n  hint: {}(`cost models` lists every id)",
            crate::suggest::did_you_mean(&names)
        )
    }
}

impl Catalog {
    /// Loads sheets in order; later sheets override earlier ones by model id.
    /// Figures files (latency, quality) attach after every price sheet, so
    /// they may name a model any sheet defines.
    pub fn from_sources(sources: &[Source]) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let (figures, sheets): (Vec<&Source>, Vec<&Source>) =
            sources.iter().partition(|s| looks_like_figures(&s.text));
        for source in sheets.into_iter().chain(figures) {
            catalog.add(source)?;
        }
        Ok(catalog)
    }

    /// Loads one more sheet, or figures file, on top of the catalog.
    pub fn add(&mut self, source: &Source) -> Result<(), CatalogError> {
        if looks_like_figures(&source.text) {
            return self.attach(source);
        }
        for model in load_sheet(source)? {
            self.insert(model)?;
        }
        Ok(())
    }

    /// Attaches a figures file's latency and quality figures to its models.
    fn attach(&mut self, source: &Source) -> Result<(), CatalogError> {
        let figures = load_figures(source)?;
        let slot_of = |name: &str, at: &KeyPath| {
            let id = self
                .lookup(name)
                .map_err(|e| Problem::new(at.key("model"), e.to_string()).in_source(source))?
                .id
                .to_lowercase();
            Ok::<usize, InputError>(self.index[&id])
        };
        let mut latency = Vec::new();
        for n in figures.latency {
            latency.push((slot_of(&n.model, &n.at)?, n.figure));
        }
        let mut quality = Vec::new();
        for n in figures.quality {
            quality.push((slot_of(&n.model, &n.at)?, n.figure));
        }
        for (slot, figure) in latency {
            self.models[slot].latency.push(figure);
        }
        for (slot, figure) in quality {
            self.models[slot].quality.push(figure);
        }
        Ok(())
    }

    /// The catalog of the sheets compiled into the binary alone.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_sources(&Catalog::builtin_sources())
    }

    /// The same catalog with the catalog snapshot below it.
    pub fn with_snapshot(mut self) -> Catalog {
        self.snapshot = true;
        self
    }

    /// Whether the catalog snapshot answers what the sheets cannot.
    pub fn has_snapshot(&self) -> bool {
        self.snapshot
    }

    /// The sheets compiled into the binary.
    pub fn builtin_sources() -> Vec<Source> {
        let sheets = crate::embedded::PRICE_SHEETS
            .iter()
            .map(|(name, text)| Source::embedded(&format!("pricing/{name}"), text));
        let figures = crate::embedded::FIGURES
            .iter()
            .map(|(name, text)| Source::embedded(&format!("pricing/figures/{name}"), text));
        sheets.chain(figures).collect()
    }

    fn insert(&mut self, model: Model) -> Result<(), CatalogError> {
        let key = model.id.to_lowercase();
        if let Some(&old) = self.index.get(&key) {
            if self.models[old].id.to_lowercase() == key {
                self.replace(old, model)?;
                return Ok(());
            }
        }
        let slot = self.models.len();
        self.claim_names(&model, slot)?;
        self.models.push(model);
        Ok(())
    }

    /// A later sheet's prices replace a model's; its figures stay, being
    /// about the model served, not its price.
    fn replace(&mut self, slot: usize, mut model: Model) -> Result<(), CatalogError> {
        model.latency = std::mem::take(&mut self.models[slot].latency);
        model.quality = std::mem::take(&mut self.models[slot].quality);
        self.index.retain(|_, i| *i != slot);
        self.claim_names(&model, slot)?;
        self.models[slot] = model;
        Ok(())
    }

    fn claim_names(&mut self, model: &Model, slot: usize) -> Result<(), CatalogError> {
        for name in std::iter::once(&model.id).chain(&model.aliases) {
            let key = name.to_lowercase();
            if let Some(&other) = self.index.get(&key) {
                // A later sheet's id is more specific than an earlier model's
                // alias (an imported `deepseek-flash` entry versus a built-in
                // model that lists it as an alias): the id wins, the alias goes.
                let is_id = name == &model.id;
                if other != slot && is_id && self.models[other].id.to_lowercase() != key {
                    let earlier = &mut self.models[other];
                    earlier.aliases.retain(|a| a.to_lowercase() != key);
                    self.shadowed.push(Shadowed {
                        name: name.clone(),
                        model: earlier.id.clone(),
                        file: earlier.origin.clone(),
                        by_file: model.origin.clone(),
                    });
                    self.index.insert(key, slot);
                    continue;
                }
                if other != slot {
                    let other = &self.models[other];
                    return Err(CatalogError::NameClash {
                        file: model.origin.clone(),
                        model: model.id.clone(),
                        name: name.clone(),
                        other: other.id.clone(),
                        other_file: other.origin.clone(),
                    });
                }
            }
            self.index.insert(key, slot);
        }
        Ok(())
    }

    /// A copy with `id`'s prices multiplied by `factor`.
    pub fn with_price_factor(&self, id: &str, factor: f64) -> Result<Catalog, UnknownModel> {
        let model = self.lookup(id)?;
        let mut out = self.clone();
        match self.index.get(&model.id.to_lowercase()) {
            Some(&slot) if self.models[slot].id == model.id => {
                out.models[slot] = model.scaled(factor);
            }
            // A snapshot model: the scaled copy goes into the sheets' tier
            // under its own id, which no sheet model has.
            _ => {
                let slot = out.models.len();
                out.index.insert(model.id.to_lowercase(), slot);
                out.models.push(model.scaled(factor));
            }
        }
        Ok(out)
    }

    /// Aliases that later sheets' model ids took over, in load order.
    pub fn shadowed(&self) -> &[Shadowed] {
        &self.shadowed
    }

    pub fn models(&self) -> &[Model] {
        &self.models
    }

    /// The model `name` stands for, or `None` (see `lookup` for why).
    pub fn get(&self, name: &str) -> Option<&Model> {
        self.resolve(name).ok()
    }

    pub fn lookup(&self, name: &str) -> Result<&Model, UnknownModel> {
        self.resolve(name).map_err(|ambiguous| UnknownModel {
            name: name.to_string(),
            suggestions: if ambiguous.is_empty() {
                self.closest(name, 3)
            } else {
                vec![]
            },
            ambiguous,
        })
    }

    /// The model for `name`; on failure, the snapshot ids that make it
    /// ambiguous (empty: unknown).
    fn resolve(&self, name: &str) -> Result<&Model, Vec<String>> {
        if let Some(&i) = self.index.get(&name.to_lowercase()) {
            return Ok(&self.models[i]);
        }
        let all = spellings(name);
        let (exact, guesses): (Vec<_>, Vec<_>) = all
            .iter()
            .partition(|(_, rule)| !rule.is_some_and(Rule::is_guess));
        // A host's own id for the model (`openai.gpt-5.5` on Bedrock,
        // `groq/...`) names the seller: its price, not the maker's. Not
        // OpenRouter's `maker/model` ids, which gateways of every kind write
        // for the maker's model.
        if self.snapshot {
            if let Some(model) = snapshot::embedded().listed(name) {
                let host = !snapshot::providers::first_party(&model.provider, &model.id)
                    && snapshot::providers::canonical(&model.provider) != "openrouter";
                if host {
                    snapshot::record(name, &model.id, snapshot::provenance_of(model), None);
                    return Ok(model);
                }
            }
        }
        // Otherwise every spelling on the sheets before any on the
        // snapshot: the curated sheets stay first (`openai/gpt-4o` is the
        // sheets' gpt-4o, not genai-prices' `openai/gpt-4o`).
        if let Some(model) = self.curated(name, &exact) {
            return Ok(model);
        }
        let mut ambiguous: Vec<String> = Vec::new();
        if self.snapshot {
            for (spelling, rule) in &exact {
                if let Some(model) = Self::find(name, spelling, *rule, &mut ambiguous) {
                    return Ok(model);
                }
            }
        }
        // Guesses on the sheets come before the snapshot's name rules and
        // guesses, for the same reason.
        if let Some(model) = self.curated(name, &guesses) {
            return Ok(model);
        }
        if !self.snapshot || !ambiguous.is_empty() {
            return Err(ambiguous);
        }
        // The catalog's own name rules for its makers' models, before any
        // guess of ours.
        for (spelling, rule) in &exact {
            if let Found::Model(model) = snapshot::embedded().find_by_rule(spelling) {
                snapshot::record(name, &model.id, snapshot::provenance_of(model), *rule);
                return Ok(model);
            }
        }
        for (spelling, rule) in &guesses {
            if let Some(model) = Self::find(name, spelling, *rule, &mut ambiguous) {
                return Ok(model);
            }
        }
        Err(ambiguous)
    }

    /// The first of `spellings` the sheets know.
    fn curated(&self, name: &str, spellings: &[&(String, Option<Rule>)]) -> Option<&Model> {
        spellings.iter().find_map(|(spelling, rule)| {
            let model = &self.models[*self.index.get(&spelling.to_lowercase())?];
            snapshot::record(name, &model.id, None, *rule);
            Some(model)
        })
    }

    /// One spelling on the snapshot. An ambiguous spelling is remembered;
    /// after one, a shorter spelling may only find the model's maker, not
    /// yet another host.
    fn find(
        name: &str,
        spelling: &str,
        rule: Option<Rule>,
        ambiguous: &mut Vec<String>,
    ) -> Option<&'static Model> {
        match snapshot::embedded().find(spelling) {
            Found::Model(model)
                if ambiguous.is_empty()
                    || snapshot::providers::first_party(&model.provider, &model.id) =>
            {
                snapshot::record(name, &model.id, snapshot::provenance_of(model), rule);
                Some(model)
            }
            Found::Ambiguous(models) if ambiguous.is_empty() => {
                *ambiguous = models.iter().map(|m| m.id.clone()).collect();
                None
            }
            Found::Model(_) | Found::Ambiguous(_) | Found::Missing => None,
        }
    }

    /// The `n` ids nearest to `name` (by id or alias), best first.
    pub fn closest(&self, name: &str, n: usize) -> Vec<String> {
        let mut keys: Vec<&str> = self.index.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut out: Vec<String> = Vec::new();
        for key in crate::suggest::closest(name, keys, usize::MAX) {
            let id = &self.models[self.index[key]].id;
            if !out.contains(id) {
                out.push(id.clone());
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Catalog {
        Catalog::builtin().unwrap().with_snapshot()
    }

    fn tier(model: &Model) -> Option<&'static str> {
        snapshot::provenance_of(model).map(|p| p.key)
    }

    #[test]
    fn the_version_names_the_sheets_oldest_and_newest_verified_dates() {
        let c = Catalog::builtin().unwrap();
        let dates: Vec<_> = c.models().iter().map(|m| m.verified).collect();
        let (oldest, newest) = (dates.iter().min().unwrap(), dates.iter().max().unwrap());
        let range = crate::embedded::PRICES_VERIFIED;
        // Price periods may carry their own, later, dates: the range spans both.
        assert!(range.starts_with(&oldest.to_string()), "{range}");
        assert!(
            range.rsplit(' ').next().unwrap() >= newest.to_string().as_str(),
            "{range}"
        );
        assert!(crate::embedded::VERSION.ends_with(&format!("(prices verified {range})")));
    }

    #[test]
    fn the_curated_sheets_answer_first_in_every_spelling() {
        let c = shipped();
        for name in [
            "gpt-4o",
            "openai/gpt-4o",
            "anthropic/claude-sonnet-4.5",
            "models/gemini-2.5-flash",
        ] {
            let m = c.lookup(name).unwrap();
            assert_eq!(tier(m), None, "{name} -> {}", m.id);
        }
        assert_eq!(
            c.lookup("anthropic/claude-sonnet-4.5").unwrap().id,
            "claude-sonnet-4-5"
        );
    }

    #[test]
    fn a_dated_id_the_snapshot_lists_beats_a_guess_on_the_sheets() {
        // gpt-4o-2024-05-13 cost $5/$15, not gpt-4o's $2.50/$10.
        let c = shipped();
        let m = c.lookup("gpt-4o-2024-05-13").unwrap();
        assert_eq!(
            (m.id.as_str(), tier(m)),
            ("gpt-4o-2024-05-13", Some("litellm"))
        );
    }

    #[test]
    fn the_snapshot_prefers_the_maker_over_hosts() {
        let c = shipped();
        let m = c.lookup("x-ai/grok-4").unwrap();
        assert_eq!(
            (m.id.as_str(), tier(m)),
            ("x-ai/grok-4-0709", Some("genai-prices"))
        );
        let m = c.lookup("claude-3-opus-20240229").unwrap();
        assert_eq!(m.provider, "anthropic", "{}", m.id);
        let m = c
            .lookup("us.anthropic.claude-3-5-sonnet-20240620-v1:0")
            .unwrap();
        assert_eq!(m.provider, "bedrock", "Bedrock ids keep Bedrock's price");
        let m = c.lookup("openai.gpt-5.5").unwrap();
        assert_eq!(m.provider, "aws", "{}: Bedrock's price, not OpenAI's", m.id);
    }

    #[test]
    fn ambiguous_and_unknown_names_are_errors_without_the_snapshot_too() {
        let c = shipped();
        let e = c.lookup("glm-4.7").map(|m| m.id.clone()).unwrap_err();
        assert!(e.ambiguous.iter().any(|id| id.starts_with("zai/")), "{e}");
        assert!(e.to_string().contains("ambiguous"), "{e}");
        assert!(
            c.lookup("claude-opus-55").is_err(),
            "a genai-prices prefix rule must not match another model"
        );
        assert!(c.lookup("no-such-model").unwrap_err().ambiguous.is_empty());
        let curated = Catalog::builtin().unwrap();
        assert!(
            curated.get("x-ai/grok-4").is_none(),
            "the snapshot is opt-in"
        );
        assert!(curated.get("openai/gpt-4o").is_some());
    }
}
