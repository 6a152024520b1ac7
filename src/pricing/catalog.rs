//! The set of models `cost` knows: the built-in sheets plus any the user adds
//! with `--pricing`. A user's model replaces a built-in one with the same id,
//! and a user's model id takes over a built-in model's alias of that name.
//! Looking up an unknown id is an error that suggests the closest ids.
//! Figures files attach latency and quality figures to models already known.

use std::collections::HashMap;

use super::figures::{load_figures, looks_like_figures};
use super::load::load_sheet;
use super::model::Model;
use crate::source::{InputError, KeyPath, Problem, Source};

#[derive(Debug, Clone, Default)]
pub struct Catalog {
    models: Vec<Model>,
    /// Lower-cased id or alias -> index into `models`.
    index: HashMap<String, usize>,
    shadowed: Vec<Shadowed>,
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
#[error("unknown model `{name}`{}", suggestion_text(.suggestions))]
pub struct UnknownModel {
    pub name: String,
    pub suggestions: Vec<String>,
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
        let slot = self
            .index
            .get(&self.lookup(id)?.id.to_lowercase())
            .copied()
            .expect("looked up");
        let mut out = self.clone();
        out.models[slot] = self.models[slot].scaled(factor);
        Ok(out)
    }

    /// Aliases that later sheets' model ids took over, in load order.
    pub fn shadowed(&self) -> &[Shadowed] {
        &self.shadowed
    }

    pub fn models(&self) -> &[Model] {
        &self.models
    }

    pub fn get(&self, name: &str) -> Option<&Model> {
        self.index
            .get(&name.to_lowercase())
            .map(|&i| &self.models[i])
            .or_else(|| {
                // `provider/model` spellings, as LiteLLM and gateways write them.
                let (_, bare) = name.rsplit_once('/')?;
                self.index
                    .get(&bare.to_lowercase())
                    .map(|&i| &self.models[i])
            })
    }

    pub fn lookup(&self, name: &str) -> Result<&Model, UnknownModel> {
        self.get(name).ok_or_else(|| UnknownModel {
            name: name.to_string(),
            suggestions: self.closest(name, 3),
        })
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
