//! `cost validate [PATHS]`: lint price sheets and scenarios. Errors are what
//! the loaders reject (schema, semantics, name clashes); warnings are what
//! loads but deserves a look (`validation`). Exit 2 on errors, and on
//! warnings too with `--strict`; the report is written either way.

use crate::settings::ValidateSettings;
use crate::validation::validate;
use crate::views;

pub fn run(settings: &ValidateSettings) -> anyhow::Result<()> {
    let v = validate(
        &settings.sheets,
        &settings.scenarios,
        settings.today,
        settings.max_age,
        settings.against.as_ref().map(|(c, _)| c),
    )?;
    settings.printer.emit(&views::validate::report(
        &v,
        settings.strict,
        settings.max_age,
        settings.against.as_ref().map(|(_, name)| name.as_str()),
    ))?;
    let (errors, warnings) = (v.errors(), v.warnings());
    if errors > 0 || (settings.strict && warnings > 0) {
        anyhow::bail!(
            "validation failed: {errors} errors, {warnings} warnings{}",
            if errors == 0 { " (--strict)" } else { "" }
        );
    }
    Ok(())
}
