//! Settings of the gate and data-maintenance commands: `diff`, `validate`
//! and `pricing import`.

use std::path::PathBuf;

use anyhow::Context as _;
use jiff::civil::Date;

use crate::cli::{DiffArgs, GlobalArgs, ImportArgs, ValidateArgs};
use crate::engine::gate::Limits;
use crate::engine::latency::LatencyAssumptions;
use crate::engine::snapshot::Snapshot;
use crate::output::Printer;
use crate::pricing::against::CatalogData;
use crate::pricing::import::CatalogKind;
use crate::pricing::Catalog;
use crate::report::saved;
use crate::scenario::{builtin, builtin_names, load_scenario, Scenario};
use crate::source::{is_stdin, toml_files, Source};

/// `cost pricing import`.
pub struct ImportSettings {
    /// Prints the report; `-o` here names the folder of sheets, so the
    /// report always goes to stdout.
    pub printer: Printer,
    pub catalog: CatalogKind,
    pub source: Source,
    /// The `verified` date stamped on every imported model.
    pub verified: Date,
    pub verbose: bool,
    pub out_dir: Option<PathBuf>,
}

impl ImportSettings {
    pub fn resolve(args: &ImportArgs, global: &GlobalArgs) -> anyhow::Result<ImportSettings> {
        if let Some(out) = &global.out {
            let folder = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
            if folder {
                anyhow::bail!(
                    "-o {}: is a folder, but -o names the file the import report is written to\n  hint: write the sheets into a folder with --out-dir {} (-o named that folder before)",
                    out.display(),
                    out.display()
                );
            }
        }
        let printer = super::printer(global);
        Ok(ImportSettings {
            printer,
            catalog: args.from,
            source: Source::read(&args.file)?,
            verified: super::date(args.verified, None),
            verbose: args.verbose,
            out_dir: args.out_dir.clone(),
        })
    }
}

/// One side of `cost diff` as given: a saved report, or a scenario to
/// evaluate under its own catalog and date.
pub enum DiffInput {
    Saved {
        run: Snapshot,
        label: String,
    },
    Scenario {
        scenario: Box<Scenario>,
        catalog: Catalog,
        date: Date,
        label: String,
    },
}

/// `cost diff`.
pub struct DiffSettings {
    pub printer: Printer,
    pub base: DiffInput,
    pub head: DiffInput,
    pub latency: LatencyAssumptions,
    pub limits: Limits,
    /// `--plan`: gate only this plan.
    pub plan: Option<String>,
}

impl DiffSettings {
    pub fn resolve(args: &DiffArgs, global: &GlobalArgs) -> anyhow::Result<DiffSettings> {
        let latency = super::latency_assumptions(args.latency.prefill_tps)?;
        let limits = limits(args)?;
        if args.head.is_none()
            && args.base_pricing.is_empty()
            && args.head_pricing.is_empty()
            && args.base_at.is_none()
            && args.head_at.is_none()
        {
            anyhow::bail!("cost diff needs two runs to compare\n  hint: give BASE and HEAD (saved reports or scenarios), or one scenario with --base-pricing/--head-pricing or --base-at/--head-at");
        }
        let head_name = args.head.as_deref().unwrap_or(&args.base);
        let base = side(
            &args.base,
            &args.base_pricing,
            args.base_at.or(args.at),
            global,
        )
        .context("base")?;
        let head = side(
            head_name,
            &args.head_pricing,
            args.head_at.or(args.at),
            global,
        )
        .context("head")?;
        Ok(DiffSettings {
            printer: super::printer(global),
            base,
            head,
            latency,
            limits,
            plan: args.plan.clone(),
        })
    }
}

/// A saved report (JSON), or a scenario file or built-in name with its
/// extra price sheets and date; the label names it in the report.
fn side(
    name: &str,
    pricing: &[PathBuf],
    at: Option<Date>,
    global: &GlobalArgs,
) -> anyhow::Result<DiffInput> {
    let path = std::path::Path::new(name);
    let file = (is_stdin(path) || path.exists())
        .then(|| Source::read(path))
        .transpose()?;
    if let Some(source) = file.as_ref().filter(|s| saved::is_json(s)) {
        if !pricing.is_empty() || at.is_some() {
            anyhow::bail!("{name} is a saved report: its prices are fixed, so price sheets and dates do not apply to it\n  hint: pass scenarios to compare them under other prices");
        }
        return Ok(DiffInput::Saved {
            run: saved::read(source)?,
            label: name.to_string(),
        });
    }
    let mut catalog = super::catalog_with(global, pricing)?;
    let mut scenario = match file {
        Some(source) => load_scenario(&source, &catalog)?,
        None => super::scenario(Some(name), &catalog)?,
    };
    super::host_routes(&mut scenario, &mut catalog)?;
    let date = super::date(at, scenario.date);
    let mut label = name.to_string();
    if let Some(first) = pricing.first() {
        label.push_str(&format!(" + {}", first.display()));
    }
    if at.is_some() {
        label.push_str(&format!(" @ {date}"));
    }
    Ok(DiffInput::Scenario {
        scenario: Box::new(scenario),
        catalog,
        date,
        label,
    })
}

fn limits(args: &DiffArgs) -> anyhow::Result<Limits> {
    let check = |v: Option<f64>, flag: &str| -> anyhow::Result<Option<f64>> {
        match v {
            Some(x) if !(x.is_finite() && x >= 0.0) => {
                anyhow::bail!("{flag} {x}: must be zero or a positive number")
            }
            other => Ok(other),
        }
    };
    Ok(Limits {
        usd_per_month: check(args.fail_above_usd, "--fail-above-usd")?,
        fraction: check(args.fail_above_pct, "--fail-above-pct")?.map(|p| p / 100.0),
    })
}

/// `cost validate`.
pub struct ValidateSettings {
    pub printer: Printer,
    pub sheets: Vec<Source>,
    pub scenarios: Vec<Source>,
    pub today: Date,
    /// `--max-age`, in days.
    pub max_age: i64,
    /// `--against`: the catalog and the name of its file.
    pub against: Option<(CatalogData, String)>,
    pub strict: bool,
}

impl ValidateSettings {
    pub fn resolve(args: &ValidateArgs, global: &GlobalArgs) -> anyhow::Result<ValidateSettings> {
        let max_age = parse_age(&args.max_age)?;
        let against = args
            .against
            .as_deref()
            .map(|p| read_catalog(p).map(|c| (c, p.display().to_string())))
            .transpose()?;
        let (sheets, scenarios) = inputs(args, global)?;
        Ok(ValidateSettings {
            printer: super::printer(global),
            sheets,
            scenarios,
            today: super::date(args.at, None),
            max_age,
            against,
            strict: args.strict,
        })
    }
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
    toml::from_str::<toml::Table>(&source.text).map_or_else(
        |_| source.text.lines().any(|l| l.trim() == "[provider]"),
        |t| t.contains_key("provider"),
    )
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

fn read_catalog(path: &std::path::Path) -> anyhow::Result<CatalogData> {
    let source = Source::read(path)?;
    let value: serde_json::Value = serde_json::from_str(&source.text).with_context(|| {
        format!("--against {}: not JSON\n  hint: give LiteLLM's model price JSON or genai-prices' data.json", source.name)
    })?;
    CatalogData::from_json(value).with_context(|| {
        format!(
            "--against {}: neither LiteLLM's model map (an object) nor genai-prices data (a list)",
            source.name
        )
    })
}
