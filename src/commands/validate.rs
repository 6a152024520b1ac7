//! `cost validate [PATHS]`: lint price sheets and scenarios. Errors are what
//! the loaders reject (schema, semantics, name clashes); warnings are what
//! loads but deserves a look (stale `verified` dates, cache reads above
//! input, tiers priced the wrong way, ids that take over an alias, prices
//! that differ from a public catalog with `--against`). Exit 2 on errors,
//! and on warnings too with `--strict`; the report is written either way.

use std::path::PathBuf;

use anyhow::Context as _;
use jiff::civil::Date;

use crate::cli::{GlobalArgs, ValidateArgs};
use crate::pricing::load::load_sheet;
use crate::pricing::{genai_prices, lint, litellm, Catalog, CatalogError};
use crate::report::{col, Kind, Report, Table, Value};
use crate::scenario::{builtin, builtin_names, load_scenario};
use crate::settings;
use crate::source::{toml_files, InputError, KeyPath, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Severity {
    Error,
    Warning,
}

struct Finding {
    severity: Severity,
    file: String,
    line: Option<usize>,
    key: String,
    model: Option<String>,
    check: &'static str,
    message: String,
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

pub fn run(args: &ValidateArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let printer = settings::printer(global);
    let today = settings::date(args.at, None);
    let max_age = parse_age(&args.max_age)?;
    let against = args.against.as_deref().map(read_catalog).transpose()?;
    let (sheets, scenarios) = inputs(args, global)?;
    let mut findings = Vec::new();
    let mut catalog = Catalog::from_sources(&Catalog::builtin_sources())?;
    let mut models = 0;
    for source in &sheets {
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
                other => findings.push(Finding {
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
            let mut warn = |check: &'static str, key: &str, message: String| {
                findings.push(Finding {
                    severity: Severity::Warning,
                    file: source.name.clone(),
                    line: source.line_of(&at.key(key)).or_else(|| source.line_of(&at)),
                    key: at.key(key).to_string(),
                    model: Some(model.id.clone()),
                    check,
                    message,
                });
            };
            for l in lint::lint(model, today, max_age) {
                warn(l.check, l.key, l.message);
            }
            if let Some(data) = &against {
                for d in catalog_differences(model, data, today) {
                    warn("catalog-difference", "prices", d);
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
    for source in &scenarios {
        if let Err(e) = load_scenario(source, &catalog) {
            findings.push(Finding::input("scenario", &e));
        }
    }
    findings.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    printer.emit(&report(
        &findings,
        sheets.len() + scenarios.len(),
        models,
        args,
        max_age,
    ))?;
    if errors > 0 || (args.strict && warnings > 0) {
        anyhow::bail!(
            "validation failed: {errors} errors, {warnings} warnings{}",
            if errors == 0 { " (--strict)" } else { "" }
        );
    }
    Ok(())
}

/// The files to check: PATHS split into sheets and scenarios by content, or
/// the built-in ones plus `--pricing` when no PATHS are given.
fn inputs(args: &ValidateArgs, global: &GlobalArgs) -> anyhow::Result<(Vec<Source>, Vec<Source>)> {
    let mut sheets = Vec::new();
    let mut scenarios = Vec::new();
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        sheets.extend(Catalog::builtin_sources());
        scenarios.extend(builtin_names().iter().filter_map(|n| builtin(n)));
        global.pricing.clone()
    } else {
        args.paths.clone()
    };
    for path in toml_files(&paths)? {
        let source = Source::read(&path)?;
        if is_sheet(&source) {
            sheets.push(source);
        } else {
            scenarios.push(source);
        }
    }
    Ok((sheets, scenarios))
}

/// A price sheet has a `[provider]` table; anything else is read as a scenario.
fn is_sheet(source: &Source) -> bool {
    toml::from_str::<toml::Table>(&source.text)
        .map(|t| t.contains_key("provider"))
        .unwrap_or_else(|_| source.text.lines().any(|l| l.trim() == "[provider]"))
}

fn parse_age(text: &str) -> anyhow::Result<i64> {
    let t = text.trim();
    let (digits, days) = match t.chars().last() {
        Some('d') => (&t[..t.len() - 1], 1),
        Some('w') => (&t[..t.len() - 1], 7),
        _ => (t, 1),
    };
    digits
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .map(|n| n * days)
        .with_context(|| format!("--max-age {text}: expected a number of days such as 30d or 8w"))
}

enum CatalogData {
    Litellm(serde_json::Map<String, serde_json::Value>),
    GenaiPrices(serde_json::Value),
}

fn read_catalog(path: &std::path::Path) -> anyhow::Result<CatalogData> {
    let source = Source::read(path)?;
    let value: serde_json::Value = serde_json::from_str(&source.text).with_context(|| {
        format!("--against {}: not JSON\n  hint: give LiteLLM's model price JSON or genai-prices' data.json", source.name)
    })?;
    match value {
        serde_json::Value::Object(o) => Ok(CatalogData::Litellm(o)),
        v @ serde_json::Value::Array(_) => Ok(CatalogData::GenaiPrices(v)),
        _ => anyhow::bail!(
            "--against {}: neither LiteLLM's model map (an object) nor genai-prices data (a list)",
            source.name
        ),
    }
}

fn catalog_differences(
    model: &crate::pricing::Model,
    data: &CatalogData,
    date: Date,
) -> Vec<String> {
    let (name, diffs) = match data {
        CatalogData::Litellm(map) => {
            let key = model.litellm.as_deref().unwrap_or(&model.id);
            let Some(entry) = map.get(key).and_then(|v| v.as_object()) else {
                return vec![];
            };
            ("LiteLLM", litellm::differences(model, entry, date))
        }
        CatalogData::GenaiPrices(v) => ("genai-prices", genai_prices::differences(model, v, date)),
    };
    let price = |p: Option<f64>| p.map_or("none".to_string(), |v| format!("${v}"));
    diffs
        .iter()
        .map(|d| {
            format!(
                "`{}` {} {}{}: ours {}, {name} {} per 1M tokens",
                d.model,
                d.tier.key(),
                d.part.key(),
                d.above
                    .map(|a| format!(" above {a} tokens"))
                    .unwrap_or_default(),
                price(d.ours),
                price(d.theirs)
            )
        })
        .collect()
}

fn report(
    findings: &[Finding],
    files: usize,
    models: usize,
    args: &ValidateArgs,
    max_age: i64,
) -> Report {
    let mut table = Table::new(
        "findings",
        vec![
            col("severity", "severity", Kind::Text),
            col("file", "file", Kind::Text),
            col("line", "line", Kind::Tokens),
            col("key", "key", Kind::Text),
            col("model", "model", Kind::Text),
            col("check", "check", Kind::Text),
            col("message", "message", Kind::Text),
        ],
    );
    for f in findings {
        table.push(vec![
            match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .into(),
            f.file.clone().into(),
            f.line.map(|l| l as u64).into(),
            Value::from(Some(f.key.clone()).filter(|k| !k.is_empty())),
            f.model.clone().into(),
            f.check.into(),
            f.message.clone().into(),
        ]);
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    let mut notes = vec![format!(
        "{files} files, {models} models checked: {errors} errors, {warnings} warnings; prices verified more than {max_age} days ago are stale (--max-age)"
    )];
    notes.push(if args.strict {
        "--strict: warnings fail validation too (exit 2)".into()
    } else {
        "errors fail validation (exit 2); warnings do not unless --strict".into()
    });
    if let Some(path) = &args.against {
        notes.push(format!("prices compared with {} (models matched by their `litellm`/`genai_prices` key, else by id)", path.display()));
    }
    Report {
        command: "validate",
        title: format!("cost validate: {errors} errors, {warnings} warnings"),
        fields: vec![
            ("files", (files as u64).into()),
            ("models", (models as u64).into()),
            ("errors", (errors as u64).into()),
            ("warnings", (warnings as u64).into()),
        ],
        tables: vec![table],
        notes,
    }
}
