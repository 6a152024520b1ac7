//! Which logged names this run priced from the catalog snapshot or by a
//! guessing spelling rule, so that the report says so (`note`). Lookups
//! record here as they happen; the printer adds the note to whatever
//! report the command emits, so no command can forget it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use super::Provenance;
use crate::pricing::resolve::Rule;

/// How a logged name was priced, when that needs saying.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Use {
    model: String,
    catalog: Option<Provenance>,
    rule: Option<Rule>,
}

static USED: Mutex<BTreeMap<String, Use>> = Mutex::new(BTreeMap::new());

/// Records that `name` was priced as `model`: from `catalog` (a snapshot
/// model) and/or by a guessing `rule`. Nothing to record otherwise.
pub fn record(name: &str, model: &str, catalog: Option<Provenance>, rule: Option<Rule>) {
    let rule = rule.filter(|r| r.is_guess());
    if catalog.is_none() && rule.is_none() {
        return;
    }
    let mut used = USED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !used.contains_key(name) {
        used.insert(
            name.to_string(),
            Use {
                model: model.to_string(),
                catalog,
                rule,
            },
        );
    }
}

/// How many names a note lists before "and N more".
const LISTED: usize = 8;

/// The notes a report carries for what this run priced second-hand.
pub fn note() -> Vec<String> {
    let used = USED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut notes = Vec::new();
    let mut by_catalog: BTreeMap<&str, (Provenance, Vec<String>)> = BTreeMap::new();
    // A command looks a name up, then looks its model up again by id: the
    // second lookup says nothing new.
    let again = |name: &str| {
        used.iter()
            .any(|(n, u)| n != name && u.model.eq_ignore_ascii_case(name))
    };
    for (name, u) in used.iter() {
        if again(name) {
            continue;
        }
        if let Some(p) = u.catalog {
            let as_model = if name.eq_ignore_ascii_case(&u.model) {
                name.clone()
            } else {
                format!("{name} as {}", u.model)
            };
            by_catalog
                .entry(p.key)
                .or_insert((p, vec![]))
                .1
                .push(as_model);
        }
    }
    for (p, names) in by_catalog.values() {
        notes.push(format!(
            "catalog snapshot ({} {}, {}): {} priced from this lower tier, not the curated sheets (a public catalog's price, copied {}; check it): {}",
            p.catalog,
            p.version,
            p.published,
            plural(names.len(), "model"),
            super::TAKEN,
            listed(names)
        ));
    }
    let guessed: Vec<String> = used
        .iter()
        .filter(|(_, u)| u.rule.is_some())
        .map(|(name, u)| format!("{name} as {}", u.model))
        .collect();
    if !guessed.is_empty() {
        notes.push(format!(
            "{} priced at the price of the model without its dated or `-latest` suffix, which may differ: {}",
            plural(guessed.len(), "model id"),
            listed(&guessed)
        ));
    }
    notes
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn listed(names: &[String]) -> String {
    let mut text = names
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > LISTED {
        text.push_str(&format!(" and {} more", names.len() - LISTED));
    }
    text
}
