//! Turns a price sheet's text into validated `Model`s. Every rule a sheet
//! must follow is checked here (the price periods in `load_prices`), once,
//! and reported with the key it broke.

use jiff::civil::Date;
use toml::value::Datetime;

use super::load_prices::{build_period, check_no_overlap};
use super::model::Model;
use super::sheet::{ModelEntry, SheetFile};
use crate::source::{InputError, KeyPath, Problem, Source};

/// Parses and validates one price sheet.
pub fn load_sheet(source: &Source) -> Result<Vec<Model>, InputError> {
    let sheet: SheetFile =
        toml::from_str(&source.text).map_err(|e| InputError::from_toml(source, &e))?;
    build_sheet(&sheet, &source.name).map_err(|p| p.in_source(source))
}

fn build_sheet(sheet: &SheetFile, origin: &str) -> Result<Vec<Model>, Problem> {
    let provider = &sheet.provider;
    if provider.id.trim().is_empty() {
        return Err(Problem::new(
            KeyPath::root().key("provider").key("id"),
            "provider id is empty",
        ));
    }
    let models = KeyPath::root().key("models");
    sheet
        .models
        .iter()
        .enumerate()
        .map(|(i, entry)| build_model(entry, &provider.id, origin, &models.index(i)))
        .collect()
}

fn build_model(
    entry: &ModelEntry,
    provider: &str,
    origin: &str,
    at: &KeyPath,
) -> Result<Model, Problem> {
    if entry.id.trim().is_empty() {
        return Err(Problem::new(at.key("id"), "model id is empty"));
    }
    let source = entry
        .source
        .clone()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            Problem::new(
                at.key("source"),
                format!("model `{}` has no source URL", entry.id),
            )
            .hint("add `source = \"https://...\"`: the page the prices were taken from")
        })?;
    let verified = entry.verified.as_ref().ok_or_else(|| {
        Problem::new(
            at.key("verified"),
            format!("model `{}` has no `verified` date", entry.id),
        )
        .hint("add `verified = YYYY-MM-DD`: the day the prices were last checked")
    })?;
    let verified = date(verified, &at.key("verified"))?;
    if entry.prices.is_empty() {
        return Err(Problem::new(
            at.key("prices"),
            format!("model `{}` has no prices", entry.id),
        )
        .hint("add a `[[models.prices]]` block with at least `input` and `output`"));
    }
    let mut periods = entry
        .prices
        .iter()
        .enumerate()
        .map(|(i, p)| build_period(p, &at.key("prices").index(i)))
        .collect::<Result<Vec<_>, _>>()?;
    check_no_overlap(&periods, &at.key("prices"))?;
    periods.sort_by_key(|p| p.from);
    let lifecycle = lifecycle(entry, at)?;
    Ok(Model {
        id: entry.id.clone(),
        name: entry.name.clone().unwrap_or_else(|| entry.id.clone()),
        provider: provider.to_string(),
        aliases: entry.aliases.clone(),
        context_window: count(entry.context_window, &at.key("context_window"))?,
        max_output: count(entry.max_output, &at.key("max_output"))?,
        tokenizer: entry.tokenizer.clone(),
        source,
        verified,
        released: lifecycle[0],
        deprecated: lifecycle[1],
        retired: lifecycle[2],
        lifecycle_source: entry.lifecycle_source.clone(),
        litellm: entry.litellm.clone(),
        catalog_note: entry.catalog_note.clone(),
        genai_prices: entry.genai_prices.clone(),
        periods,
        latency: Vec::new(),
        quality: Vec::new(),
        origin: origin.to_string(),
    })
}

/// `released`, `deprecated`, `retired`, in that order when stated, with the
/// page they come from.
fn lifecycle(entry: &ModelEntry, at: &KeyPath) -> Result<[Option<Date>; 3], Problem> {
    let keys = ["released", "deprecated", "retired"];
    let mut dates = [None; 3];
    for (i, (key, value)) in keys
        .iter()
        .zip([&entry.released, &entry.deprecated, &entry.retired])
        .enumerate()
    {
        dates[i] = value.as_ref().map(|d| date(d, &at.key(key))).transpose()?;
    }
    if dates.iter().any(Option::is_some)
        && entry
            .lifecycle_source
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        return Err(Problem::new(
            at.key("lifecycle_source"),
            format!(
                "model `{}` has lifecycle dates but no `lifecycle_source`",
                entry.id
            ),
        )
        .hint("add `lifecycle_source = \"https://...\"`: the page that states the dates"));
    }
    let stated: Vec<(usize, Date)> = dates
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.map(|d| (i, d)))
        .collect();
    for w in stated.windows(2) {
        let ((i, a), (j, b)) = (w[0], w[1]);
        if a > b || (i == 0 && a == b) {
            return Err(Problem::new(
                at.key(keys[j]),
                format!("`{}` ({b}) comes before `{}` ({a})", keys[j], keys[i]),
            )
            .hint("a model is released, then deprecated, then retired"));
        }
    }
    Ok(dates)
}

fn count(value: Option<i64>, at: &KeyPath) -> Result<Option<u64>, Problem> {
    value
        .map(|v| {
            u64::try_from(v).map_err(|_| {
                Problem::new(
                    at.clone(),
                    format!("{v} is not a token count: it must be zero or more"),
                )
            })
        })
        .transpose()
}

/// A TOML date (no time, no offset) as a calendar date.
pub fn date(value: &Datetime, at: &KeyPath) -> Result<Date, Problem> {
    match (value.date, value.time) {
        (Some(d), None) => Date::new(d.year as i16, d.month as i8, d.day as i8)
            .map_err(|e| Problem::new(at.clone(), format!("invalid date {value}: {e}"))),
        _ => Err(
            Problem::new(at.clone(), format!("`{value}` is not a plain date"))
                .hint("write dates as YYYY-MM-DD, without a time"),
        ),
    }
}

#[cfg(test)]
mod tests {
    //! The price-sheet loader's validation rules, one test each: what is
    //! rejected, at which key and line.
    use super::*;

    const HEAD: &str = "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m\"\nsource = \"https://example.com\"\nverified = 2026-11-28\n";

    fn rejected(prices: &str, key: &str, message: &str) {
        let text = format!("{HEAD}{prices}");
        let e = load_sheet(&Source::embedded("p.toml", &text)).expect_err("the loader rejects it");
        assert_eq!(e.key, key, "{e:?}");
        assert!(e.message.contains(message), "{e:?}");
        assert!(e.line.is_some(), "a line number: {e:?}");
    }

    #[test]
    fn a_minimal_sheet_loads_with_exact_rates() {
        let text = format!("{HEAD}[[models.prices]]\ninput = 2.5\noutput = 10.0\n");
        let models = load_sheet(&Source::embedded("p.toml", &text)).unwrap();
        assert_eq!(models.len(), 1);
        let period = models[0].period_at(None).unwrap();
        assert_eq!(period.base.input.usd_per_million(), 2.5);
    }

    #[test]
    fn a_model_needs_prices() {
        let e = load_sheet(&Source::embedded("p.toml", HEAD)).unwrap_err();
        assert!(e.message.contains("has no prices"), "{e:?}");
    }

    #[test]
    fn a_model_needs_a_source() {
        let text = HEAD.replace("source = \"https://example.com\"\n", "")
            + "[[models.prices]]\ninput = 1.0\noutput = 1.0\n";
        let e = load_sheet(&Source::embedded("p.toml", &text)).unwrap_err();
        assert!(e.message.contains("no source URL"), "{e:?}");
    }

    #[test]
    fn a_price_finer_than_a_micro_dollar_per_million_is_rejected() {
        rejected(
            "[[models.prices]]\ninput = 0.0000004\noutput = 1.0\n",
            "models[0].prices[0].input",
            "not a valid USD-per-1M-tokens amount",
        );
    }

    #[test]
    fn price_periods_do_not_overlap() {
        rejected(
            "[[models.prices]]\nto = 2026-06-01\ninput = 1.0\noutput = 1.0\n[[models.prices]]\nfrom = 2026-05-01\ninput = 1.0\noutput = 1.0\n",
            "models[0].prices[1].from",
            "overlaps period 0",
        );
    }

    #[test]
    fn a_long_context_tier_does_not_lower_the_price() {
        let e = load_sheet(&Source::embedded(
            "p.toml",
            &format!("{HEAD}[[models.prices]]\ninput = 2.0\noutput = 8.0\n[[models.prices.long_context]]\nabove = 1000\ninput = 1.0\noutput = 8.0\n"),
        ))
        .unwrap_err();
        assert!(e.message.contains("lowers the price"), "{e:?}");
    }

    #[test]
    fn a_service_multiplier_is_bounded() {
        let e = load_sheet(&Source::embedded(
            "p.toml",
            &format!("{HEAD}[[models.prices]]\ninput = 2.0\noutput = 8.0\n[models.prices.batch]\nmultiplier = 1000\n"),
        ))
        .unwrap_err();
        assert!(e.message.contains("no larger than 100"), "{e:?}");
    }
}
