//! `cost validate`: every finding with its file, line and key.

use crate::report::columns::gates::{CHECK, KEY, LINE, MESSAGE, SEVERITY};
use crate::report::columns::{FILE, MODEL};
use crate::report::{Column, Report, Table, Value};
use crate::validation::{Severity, Validation};

/// `against`: the catalog file the prices were compared with, if any.
pub fn report(v: &Validation, strict: bool, max_age: i64, against: Option<&str>) -> Report {
    let (findings, files, models) = (&v.findings, v.files, v.models);
    let mut table = Table::new("findings", columns());
    for f in findings {
        table.push(vec![
            match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Explained => "explained",
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
    let (errors, warnings) = (v.errors(), v.warnings());
    let explained = findings
        .iter()
        .filter(|f| f.severity == Severity::Explained)
        .count();
    let mut notes = vec![format!(
        "{files} files, {models} models checked: {errors} errors, {warnings} warnings; prices verified more than {max_age} days ago are stale (--max-age)"
    )];
    if explained > 0 {
        notes.push(format!(
            "{explained} catalog differences are explained by the sheets' `catalog_note` and never fail validation"
        ));
    }
    notes.push(if strict {
        "--strict: warnings fail validation too (exit 2)".into()
    } else {
        "errors fail validation (exit 2); warnings do not unless --strict".into()
    });
    if let Some(path) = against {
        notes.push(format!("prices compared with {path} (models matched by their `litellm`/`genai_prices` key, else by id)"));
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

/// The `findings` table's columns.
pub fn columns() -> Vec<Column> {
    vec![SEVERITY, FILE, LINE, KEY, MODEL, CHECK, MESSAGE]
}
