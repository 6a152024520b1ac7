//! What `cost validate` checks: price sheets and scenarios loaded exactly
//! as the loaders load them (errors), then the lints (stale `verified`
//! dates, suspicious prices), ids that take over another model's alias, and
//! differences from a public catalog (warnings). Pure: sources in, findings
//! out.

use jiff::civil::Date;

use crate::pricing::against::{differences, CatalogData};
use crate::pricing::figures::looks_like_figures;
use crate::pricing::load::load_sheet;
use crate::pricing::{lint, Catalog, CatalogError};
use crate::scenario::load_scenario;
use crate::source::{InputError, KeyPath, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// A catalog difference the sheet explains (`catalog_note`): shown, never failing.
    Explained,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub file: String,
    pub line: Option<usize>,
    pub key: String,
    pub model: Option<String>,
    pub check: &'static str,
    pub message: String,
}

impl Finding {
    fn input(check: &'static str, e: &InputError) -> Finding {
        let mut message = e.message.clone();
        if let Some(hint) = &e.hint {
            message.push_str(&format!(" (hint: {hint})"));
        }
        Finding {
            severity: Severity::Error,
            file: e.file.clone(),
            line: e.line,
            key: e.key.clone(),
            model: None,
            check,
            message,
        }
    }
}

/// What was checked and what was found, errors first.
#[derive(Debug)]
pub struct Validation {
    pub findings: Vec<Finding>,
    pub files: usize,
    pub models: usize,
}

impl Validation {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count()
    }
}

/// Checks `sheets` (on top of the built-in catalog) and then `scenarios`
/// against the catalog they make, as of `today`.
pub fn validate(
    sheets: &[Source],
    scenarios: &[Source],
    today: Date,
    max_age: i64,
    against: Option<&CatalogData>,
) -> Result<Validation, CatalogError> {
    let mut findings = Vec::new();
    let mut catalog = Catalog::builtin()?;
    let mut models = 0;
    for source in sheets {
        // Figures files attach to models: checked by loading them on the catalog.
        if looks_like_figures(&source.text) {
            if let Err(CatalogError::Input(e)) = catalog.clone().add(source) {
                findings.push(Finding::input("figures", &e));
            }
            continue;
        }
        let loaded = match load_sheet(source) {
            Ok(m) => m,
            Err(e) => {
                findings.push(Finding::input("sheet", &e));
                continue;
            }
        };
        if let Err(e) = catalog.add(source) {
            match e {
                CatalogError::Input(e) => findings.push(Finding::input("sheet", &e)),
                other @ CatalogError::NameClash { .. } => findings.push(Finding {
                    severity: Severity::Error,
                    file: source.name.clone(),
                    line: None,
                    key: String::new(),
                    model: None,
                    check: "name-clash",
                    message: other.to_string().replace('\n', " "),
                }),
            }
        }
        for (i, model) in loaded.iter().enumerate() {
            models += 1;
            let at = KeyPath::root().key("models").index(i);
            let mut push = |severity, check: &'static str, key: &str, message: String| {
                findings.push(Finding {
                    severity,
                    file: source.name.clone(),
                    line: source.line_of(&at.key(key)).or_else(|| source.line_of(&at)),
                    key: at.key(key).to_string(),
                    model: Some(model.id.clone()),
                    check,
                    message,
                });
            };
            for l in lint::lint(model, today, max_age) {
                push(Severity::Warning, l.check, l.key, l.message);
            }
            if let Some(data) = against {
                for d in differences(model, data, today) {
                    match &model.catalog_note {
                        None => push(Severity::Warning, "catalog-difference", "prices", d),
                        Some(why) => push(
                            Severity::Explained,
                            "catalog-difference",
                            "catalog_note",
                            format!("{d} (explained: {why})"),
                        ),
                    }
                }
            }
        }
    }
    for s in catalog.shadowed() {
        findings.push(Finding {
            severity: Severity::Warning,
            file: s.by_file.clone(),
            line: None,
            key: String::new(),
            model: Some(s.name.clone()),
            check: "alias-taken",
            message: format!(
                "model id `{}` takes over an alias of `{}` ({}); that name now means this model",
                s.name, s.model, s.file
            ),
        });
    }
    for source in scenarios {
        if let Err(e) = load_scenario(source, &catalog) {
            findings.push(Finding::input("scenario", &e));
        }
    }
    findings.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    Ok(Validation {
        findings,
        files: sheets.len() + scenarios.len(),
        models,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date::constant(2026, 11, 28)
    }

    const SHEET: &str = "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m-test\"\nsource = \"https://example.com\"\nverified = 2026-01-01\n[[models.prices]]\ninput = 1.0\noutput = 2.0\n";

    #[test]
    fn a_stale_sheet_is_a_warning_with_its_model() {
        let v = validate(&[Source::embedded("p.toml", SHEET)], &[], day(), 90, None).unwrap();
        assert_eq!(v.errors(), 0);
        let stale: Vec<&Finding> = v
            .findings
            .iter()
            .filter(|f| f.model.as_deref() == Some("m-test"))
            .collect();
        assert!(!stale.is_empty(), "{:?}", v.findings);
        assert!(stale.iter().all(|f| f.severity == Severity::Warning));
        assert_eq!((v.files, v.models), (1, 1));
    }

    #[test]
    fn a_scenario_the_loader_rejects_is_an_error_with_its_line() {
        let scenario = "name = \"s\"\nbaseline = \"x\"\n[volume]\nrequests_per_day = 10\n[[classes]]\nname = \"a\"\nshare = 1.0\nprompt = 10\noutput = 10\n[[plans]]\nname = \"x\"\nmodel = \"no-such-model\"\n";
        let v = validate(
            &[],
            &[Source::embedded("s.toml", scenario)],
            day(),
            90,
            None,
        )
        .unwrap();
        assert_eq!(v.errors(), 1, "{:?}", v.findings);
        let f = &v.findings[0];
        assert_eq!(f.check, "scenario");
        assert!(f.line.is_some(), "{f:?}");
        assert!(f.message.contains("unknown model"), "{f:?}");
    }
}
