//! Settings of the catalog commands: `models` and `estimate`.

use jiff::civil::Date;

use crate::cli::{EstimateArgs, GlobalArgs, ModelsArgs};
use crate::output::Printer;
use crate::pricing::bill::Request;
use crate::pricing::listing::{Filter, Mix, SortKey};
use crate::pricing::{Catalog, Model};

/// `cost models`: which models, in which order, priced on which day.
pub struct ModelsSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    pub date: Date,
    pub mix: Mix,
    pub filter: Filter,
    pub sort: SortKey,
}

impl ModelsSettings {
    pub fn resolve(args: &ModelsArgs, global: &GlobalArgs) -> anyhow::Result<ModelsSettings> {
        let catalog = super::catalog(global)?;
        if let Some(provider) = &args.provider {
            known_provider(&catalog, provider)?;
        }
        Ok(ModelsSettings {
            printer: super::printer(global),
            catalog,
            date: super::date(args.at, None),
            mix: args.mix,
            filter: Filter {
                text: args.filter.clone(),
                provider: args.provider.clone(),
                max_price: args.max_price,
                min_context: args.min_context,
                has: args.has.clone(),
            },
            sort: args.sort,
        })
    }
}

/// `--provider NAME` must name a provider some sheet lists: a typo would
/// otherwise print an empty table and exit 0.
fn known_provider(catalog: &Catalog, provider: &str) -> anyhow::Result<()> {
    let mut known: Vec<&str> = catalog
        .models()
        .iter()
        .map(|m| m.provider.as_str())
        .collect();
    known.sort_unstable();
    known.dedup();
    if known.iter().any(|p| p.eq_ignore_ascii_case(provider)) {
        return Ok(());
    }
    anyhow::bail!(
        "--provider {provider}: no model in the price sheets has this provider\n  hint: {}providers: {}",
        crate::suggest::did_you_mean(&crate::suggest::closest(provider, known.iter().copied(), 3)),
        known.join(", ")
    )
}

/// `cost estimate`: one request on one model at one date.
pub struct EstimateSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    /// The catalog id `--model` resolved to.
    pub model: String,
    pub request: Request,
    pub date: Date,
    /// The request's UTC time of day, when given (`--time`).
    pub time: Option<jiff::civil::Time>,
}

impl EstimateSettings {
    pub fn resolve(args: &EstimateArgs, global: &GlobalArgs) -> anyhow::Result<EstimateSettings> {
        let catalog = super::catalog(global)?;
        let model = catalog.lookup(&args.model)?.id.clone();
        Ok(EstimateSettings {
            printer: super::printer(global),
            catalog,
            model,
            request: Request {
                input: args.input,
                cache_read: args.cache_read,
                cache_write: args.cache_write,
                cache_write_1h: args.cache_write_1h,
                output: args.output,
                reasoning: args.reasoning,
                tier: args.tier,
                fast: args.fast,
                regional: args.regional,
            },
            date: super::date(args.at, None),
            time: args.time,
        })
    }

    pub fn model(&self) -> &Model {
        self.catalog
            .lookup(&self.model)
            .expect("resolved from this catalog")
    }
}
