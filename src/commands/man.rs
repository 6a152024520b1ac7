//! `cost man`: manual pages generated from the clap definition
//! (`clap_mangen`): cost(1) to stdout or `-o FILE`, or with `--out-dir DIR`
//! cost.1 and one page per subcommand (cost-compare.1, cost-pricing-import.1).

use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::write_all_atomically;
use crate::settings::ManSettings;

pub fn run(settings: &ManSettings) -> anyhow::Result<()> {
    let pages = pages()?;
    let Some(dir) = &settings.out_dir else {
        let (_, text) = &pages[0];
        return settings.printer.emit_text(&String::from_utf8_lossy(text));
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let paths: Vec<_> = pages.iter().map(|(name, _)| dir.join(name)).collect();
    let files: Vec<_> = paths
        .iter()
        .zip(&pages)
        .map(|(p, (_, bytes))| (p.as_path(), bytes.as_slice()))
        .collect();
    write_all_atomically(&files)?;
    settings.printer.note(&format!(
        "wrote {} manual pages to {}",
        pages.len(),
        dir.display()
    ));
    Ok(())
}

/// (file name, roff) of cost.1 and of every subcommand, depth first.
pub fn pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "cost", &mut out)?;
    Ok(out)
}

fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
    let page = cmd
        .clone()
        .display_name(name)
        .bin_name(name.replace('-', " "));
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("cost {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)?;
    out.push((format!("{name}.1"), roff));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        walk(sub, &format!("{name}-{}", sub.get_name()), out)?;
    }
    Ok(())
}
