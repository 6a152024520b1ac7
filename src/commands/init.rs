//! `cost init FILE`: writes a starter scenario (commented, or a built-in
//! one with `--from`) that loads as written; never replaces a file unless
//! `--force`.

use crate::output::write_atomically;
use crate::scenario::load_scenario;
use crate::settings::InitSettings;
use crate::source::Source;

pub fn run(settings: &InitSettings) -> anyhow::Result<()> {
    let path = &settings.path;
    if !settings.force && std::fs::symlink_metadata(path).is_ok() {
        anyhow::bail!(
            "{}: already exists; refusing to overwrite it\n  hint: choose another file name, or add --force to replace it",
            path.display()
        );
    }
    // What is written must load: a starter that fails `cost compare` is a bug.
    load_scenario(
        &Source::embedded("starter.toml", &settings.text),
        &settings.catalog,
    )?;
    write_atomically(path, settings.text.as_bytes())?;
    settings.printer.note(&format!(
        "wrote {0}; edit it, then `cost validate {0}` and `cost compare {0}`",
        path.display()
    ));
    Ok(())
}
