//! `cost scenarios`: the built-in scenarios, by name, ready for `cost compare NAME`.

use crate::scenario::{builtin, builtin_names, load_scenario};
use crate::settings::ScenariosSettings;
use crate::views;

pub fn run(settings: &ScenariosSettings) -> anyhow::Result<()> {
    let mut scenarios = Vec::new();
    for name in builtin_names() {
        if let Some(source) = builtin(&name) {
            scenarios.push((name, load_scenario(&source, &settings.catalog)?));
        }
    }
    settings.printer.emit(&views::scenarios::report(&scenarios))
}
