//! Settings of the catalog commands: `models` and `estimate`.

use jiff::civil::Date;

use crate::cli::{EstimateArgs, GlobalArgs};
use crate::output::Printer;
use crate::pricing::bill::Request;
use crate::pricing::{Catalog, Model};

/// `cost estimate`: one request on one model at one date.
pub struct EstimateSettings {
    pub printer: Printer,
    pub catalog: Catalog,
    /// The catalog id `--model` resolved to.
    pub model: String,
    pub request: Request,
    pub date: Date,
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
            },
            date: super::date(args.at, None),
        })
    }

    pub fn model(&self) -> &Model {
        self.catalog
            .lookup(&self.model)
            .expect("resolved from this catalog")
    }
}
