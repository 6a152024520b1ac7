//! `cost models`' selection of the catalog: which models a filter keeps and
//! in which order, with each model's prices in force on a date and a
//! blended price at a stated input:output mix.

use jiff::civil::Date;

use super::{Catalog, Model};

/// A figure a model may carry besides its prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Latency,
    Quality,
}

/// The order of the listing (ties by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// By provider, then cheapest blended price first.
    Provider,
    Id,
    Input,
    Output,
    Blended,
    /// Largest context window first.
    Context,
    /// Fastest output first.
    Speed,
}

/// Input:output token weights of the blended price, e.g. 3:1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mix {
    pub input: f64,
    pub output: f64,
}

impl std::str::FromStr for Mix {
    type Err = String;

    fn from_str(text: &str) -> Result<Mix, String> {
        let parse = || -> Option<Mix> {
            let (a, b) = text.split_once(':')?;
            let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
            (a >= 0.0 && b >= 0.0 && a + b > 0.0 && a.is_finite() && b.is_finite()).then_some(Mix {
                input: a,
                output: b,
            })
        };
        parse().ok_or_else(|| "expected IN:OUT, two non-negative numbers such as 3:1".to_string())
    }
}

impl Mix {
    /// The weighted mean of an input and an output price.
    pub fn blend(&self, input: f64, output: f64) -> f64 {
        (self.input * input + self.output * output) / (self.input + self.output)
    }
}

/// What to keep.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Text the id, an alias or the name contains (any case).
    pub text: Option<String>,
    pub provider: Option<String>,
    /// Largest blended price, USD per 1M tokens.
    pub max_price: Option<f64>,
    pub min_context: Option<u64>,
    /// Figures every kept model must carry.
    pub has: Vec<Figure>,
}

/// One model as listed: its prices in force on the date, USD per 1M tokens.
#[derive(Debug, Clone)]
pub struct Listed<'a> {
    pub model: &'a Model,
    pub input: f64,
    pub cache_read: Option<f64>,
    pub output: f64,
    pub blended: f64,
    pub long_context: Option<u64>,
    /// The latest score on the catalog's index scale (`index_scale`).
    pub index: Option<f64>,
}

/// The one index scale the listing shows: the Artificial Analysis index
/// version that covers most of the catalog (versions are never mixed).
pub fn index_scale(catalog: &Catalog) -> Option<String> {
    super::figures::choose_scale(catalog.models().iter().map(|m| m.quality.as_slice()))
}

/// The models with a price on `date` that `filter` keeps, in `sort` order.
pub fn list<'a>(
    catalog: &'a Catalog,
    date: Date,
    mix: Mix,
    filter: &Filter,
    sort: SortKey,
) -> Vec<Listed<'a>> {
    let needle = filter.text.as_deref().map(str::to_lowercase);
    let scale = index_scale(catalog);
    let mut rows: Vec<Listed> = Vec::new();
    for model in catalog.models() {
        let Some(period) = model.period_at(Some(date)) else {
            continue;
        };
        let rates = &period.base;
        let (input, output) = (
            rates.input.usd_per_million(),
            rates.output.usd_per_million(),
        );
        let row = Listed {
            model,
            input,
            cache_read: rates
                .cache_read
                .map(super::super::money::Rate::usd_per_million),
            output,
            blended: mix.blend(input, output),
            long_context: period.long_context.first().map(|t| t.above),
            index: model
                .quality
                .iter()
                .filter(|q| scale.as_deref() == Some(q.scale_key().as_str()))
                .max_by_key(|q| q.measured)
                .map(|q| q.value),
        };
        let keep = filter
            .provider
            .as_ref()
            .is_none_or(|p| model.provider.eq_ignore_ascii_case(p))
            && filter.max_price.is_none_or(|max| row.blended <= max)
            && filter
                .min_context
                .is_none_or(|min| model.context_window.is_some_and(|c| c >= min))
            && filter.has.iter().all(|h| match h {
                Figure::Latency => !model.latency.is_empty(),
                Figure::Quality => !model.quality.is_empty(),
            })
            && needle.as_ref().is_none_or(|n| {
                std::iter::once(&model.id)
                    .chain(&model.aliases)
                    .chain([&model.name])
                    .any(|s| s.to_lowercase().contains(n))
            });
        if keep {
            rows.push(row);
        }
    }
    sort_rows(&mut rows, sort);
    rows
}

fn sort_rows(rows: &mut [Listed], by: SortKey) {
    let speed = |r: &Listed| {
        crate::pricing::figures::headline(&r.model.latency)
            .and_then(|l| l.output_tps)
            .unwrap_or(0.0)
    };
    rows.sort_by(|a, b| {
        let key = match by {
            SortKey::Provider => a
                .model
                .provider
                .cmp(&b.model.provider)
                .then(a.blended.total_cmp(&b.blended)),
            SortKey::Id => a.model.id.cmp(&b.model.id),
            SortKey::Input => a.input.total_cmp(&b.input),
            SortKey::Output => a.output.total_cmp(&b.output),
            SortKey::Blended => a.blended.total_cmp(&b.blended),
            SortKey::Context => b.model.context_window.cmp(&a.model.context_window),
            SortKey::Speed => speed(b).total_cmp(&speed(a)),
        };
        key.then_with(|| a.model.id.cmp(&b.model.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        Date::constant(2026, 11, 28)
    }

    #[test]
    fn a_mix_blends_by_its_weights() {
        let mix: Mix = "3:1".parse().unwrap();
        assert_eq!(mix.blend(2.0, 10.0), 4.0);
        for bad in ["3", "a:b", "-1:1", "0:0", "inf:1"] {
            assert!(bad.parse::<Mix>().is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_keep_only_what_matches_and_sorting_is_total() {
        let catalog = Catalog::builtin().unwrap();
        let mix = Mix {
            input: 3.0,
            output: 1.0,
        };
        let all = list(&catalog, day(), mix, &Filter::default(), SortKey::Blended);
        assert!(all.windows(2).all(|w| w[0].blended <= w[1].blended));
        let filter = Filter {
            provider: Some("ANTHROPIC".into()),
            ..Filter::default()
        };
        let anthropic = list(&catalog, day(), mix, &filter, SortKey::Id);
        assert!(!anthropic.is_empty());
        assert!(anthropic.iter().all(|r| r.model.provider == "anthropic"));
        assert!(anthropic.windows(2).all(|w| w[0].model.id < w[1].model.id));
        let cheap = Filter {
            max_price: Some(1.0),
            ..Filter::default()
        };
        assert!(list(&catalog, day(), mix, &cheap, SortKey::Id)
            .iter()
            .all(|r| r.blended <= 1.0));
    }
}
