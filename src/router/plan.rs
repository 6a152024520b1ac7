//! A measured operating point written into a scenario file: the classifier
//! plan named by the caller gets the router's `tpr` and `fpr` (and loses
//! any `auc`, `threshold` or `strong_share` that would say otherwise), so
//! `cost route` and `cost simulate` forecast this router on the scenario's
//! traffic mix, its misroutes priced. The rest of the file, comments and
//! layout included, is left as it was (`toml_edit`).

use toml_edit::{value, DocumentMut, Item};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("not TOML: {0}")]
    Toml(String),
    #[error("no plan named `{name}`; the classifier plans there are: {}", if .classifiers.is_empty() { "(none)".to_string() } else { .classifiers.join(", ") })]
    NoPlan {
        name: String,
        classifiers: Vec<String>,
    },
    #[error("plan `{0}` is not a two-class classifier: it needs `routes` and `positive` (the class the router sends to the strong model)")]
    NotClassifier(String),
}

/// `text` with plan `name`'s `tpr` and `fpr` set; `origin` goes in a
/// comment above them, saying where they came from.
pub fn set_operating_point(
    text: &str,
    name: &str,
    tpr: f64,
    fpr: f64,
    origin: &str,
) -> Result<String, PlanError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| PlanError::Toml(e.message().to_string()))?;
    let plans = doc
        .get_mut("plans")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| PlanError::NoPlan {
            name: name.into(),
            classifiers: Vec::new(),
        })?;
    let is_classifier =
        |t: &toml_edit::Table| t.contains_key("routes") && t.contains_key("positive");
    let names: Vec<String> = plans
        .iter()
        .filter(|t| is_classifier(t))
        .filter_map(|t| t.get("name").and_then(Item::as_str).map(String::from))
        .collect();
    let plan = plans
        .iter_mut()
        .find(|t| t.get("name").and_then(Item::as_str) == Some(name))
        .ok_or_else(|| PlanError::NoPlan {
            name: name.into(),
            classifiers: names,
        })?;
    if !is_classifier(plan) {
        return Err(PlanError::NotClassifier(name.into()));
    }
    for stale in [
        "auc",
        "threshold",
        "strong_share",
        "confusion",
        "tpr",
        "fpr",
    ] {
        plan.remove(stale);
    }
    plan.insert("tpr", value(rounded(tpr)));
    plan.insert("fpr", value(rounded(fpr)));
    if let Some(mut key) = plan.key_mut("tpr") {
        key.leaf_decor_mut().set_prefix(format!("# {origin}\n"));
    }
    Ok(doc.to_string())
}

/// Six decimals: far below what a cross-validated rate can resolve.
fn rounded(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCENARIO: &str = r#"# my scenario
[[plans]]
name = "all-strong"
model = "gpt-4o"

[[plans]]
name = "learned"
routes = { easy = "gpt-4o-mini", hard = "gpt-4o" }
positive = "hard"
auc = 0.8   # a guess before measuring
fpr = 0.1
"#;

    #[test]
    fn writes_the_rates_and_drops_the_guess() {
        let out = set_operating_point(SCENARIO, "learned", 0.8125, 0.25, "measured").unwrap();
        let doc: toml::Value = toml::from_str(&out).unwrap();
        let plan = &doc["plans"].as_array().unwrap()[1];
        assert_eq!(plan["tpr"].as_float(), Some(0.8125));
        assert_eq!(plan["fpr"].as_float(), Some(0.25));
        assert!(plan.get("auc").is_none());
        assert!(out.starts_with("# my scenario"));
        assert!(out.contains("# measured\n"));
    }

    #[test]
    fn names_the_classifier_plans_there_are() {
        let e = set_operating_point(SCENARIO, "lerned", 0.5, 0.5, "m").unwrap_err();
        assert!(e
            .to_string()
            .contains("the classifier plans there are: learned"));
        let e = set_operating_point(SCENARIO, "all-strong", 0.5, 0.5, "m").unwrap_err();
        assert_eq!(e, PlanError::NotClassifier("all-strong".into()));
    }
}
