//! `cost scenarios`: the built-in scenarios, by name, ready for `cost compare NAME`;
//! `cost scenarios show NAME` prints one exactly as shipped.

use crate::scenario::{builtin, builtin_names, load_scenario};
use crate::settings::ScenariosSettings;
use crate::views;

pub fn run(settings: &ScenariosSettings) -> anyhow::Result<()> {
    if let Some(source) = &settings.show {
        return settings.printer.emit_text(&source.text);
    }
    let mut scenarios = Vec::new();
    for name in builtin_names() {
        if let Some(source) = builtin(&name) {
            scenarios.push((name, load_scenario(&source, &settings.catalog)?));
        }
    }
    settings.printer.emit(&views::scenarios::report(&scenarios))
}
