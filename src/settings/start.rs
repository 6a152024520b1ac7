//! Settings of the starting points: `scenarios` (list or show one), `init`
//! and `man`.

use std::path::PathBuf;

use crate::cli::{GlobalArgs, InitArgs, ManArgs, ScenariosArgs, ScenariosCommand};
use crate::output::Printer;
use crate::pricing::Catalog;
use crate::scenario::{builtin_named, STARTER};
use crate::source::Source;

/// `cost scenarios`: the catalog the built-in scenarios load against, or
/// the one scenario to print as shipped.
pub struct ScenariosSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    pub show: Option<Source>,
}

impl ScenariosSettings {
    pub fn resolve(args: &ScenariosArgs, global: &GlobalArgs) -> anyhow::Result<ScenariosSettings> {
        let show = match &args.command {
            None => None,
            Some(ScenariosCommand::Show { name }) => Some(builtin_named(name)?),
        };
        Ok(ScenariosSettings {
            printer: super::printer(global),
            catalog: super::catalog(global)?,
            show,
        })
    }
}

/// `cost init`: the text to write, where, and whether it may replace a file.
pub struct InitSettings {
    pub printer: Printer,
    /// The catalog the written file must load against.
    pub catalog: Catalog,
    pub path: PathBuf,
    pub text: String,
    pub force: bool,
}

impl InitSettings {
    pub fn resolve(args: &InitArgs, global: &GlobalArgs) -> anyhow::Result<InitSettings> {
        if global.out.is_some() {
            anyhow::bail!(
                "-o: `cost init` writes FILE itself\n  hint: give the file as `cost init FILE`"
            );
        }
        let text = match &args.from {
            None => STARTER.to_string(),
            Some(name) => format!(
                "# Started from the built-in scenario `{name}` (`cost init --from {name}`).\n# Edit it, then `cost validate` and `cost compare` this file.\n{}",
                builtin_named(name)?.text
            ),
        };
        Ok(InitSettings {
            printer: super::printer(global),
            catalog: super::catalog(global)?,
            path: args.file.clone(),
            text,
            force: args.force,
        })
    }
}

/// `cost man`: cost(1) to the printer's output, or every page to a folder.
pub struct ManSettings {
    pub printer: Printer,
    pub out_dir: Option<PathBuf>,
}

impl ManSettings {
    pub fn resolve(args: &ManArgs, global: &GlobalArgs) -> ManSettings {
        ManSettings {
            printer: super::printer(global),
            out_dir: args.out_dir.clone(),
        }
    }
}
