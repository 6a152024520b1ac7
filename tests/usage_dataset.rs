//! `cost replay` against an independent price calculator: all 1,577 real
//! response bodies of genai-prices' usage dataset (commit 47df840, MIT; see
//! tests/fixtures/usage/ATTRIBUTION.md), with the prices genai-prices
//! computed for them. Every body is read by the shape `cost replay` detects
//! for it (OpenAI chat and Responses, Anthropic, Gemini `usageMetadata`,
//! Cohere `billed_units`), and looked up in the catalog every command uses:
//! the curated sheets, then the catalog snapshot.
//!
//! Of the bodies genai-prices priced, at least 95% must be priced by `cost`
//! too, and every one of them must either agree with genai-prices to the
//! picodollar or have its model listed with a reason in
//! `known-differences.txt` (as must every body `cost` does not price). A
//! listed model whose bodies all agree again fails the test, so the list
//! stays true.

use std::collections::{BTreeMap, BTreeSet};

use cost::money::Money;
use cost::pricing::bill::price_in_period;
use cost::pricing::snapshot::providers::canonical;
use cost::pricing::Catalog;
use cost::replay::api::parse_line;
use cost::replay::detect::jsonl_shape;
use cost::replay::LogShape;
use jiff::civil::Date;
use serde_json::Value;

const DATASET: &str = include_str!("fixtures/usage/genai-prices-usages.json");
const KNOWN: &str = include_str!("fixtures/usage/known-differences.txt");

/// Exact picodollars of a decimal string such as "0.0009541" or "5E-7".
fn picos(text: &str) -> Money {
    if let Some((mantissa, exp)) = text.split_once(['E', 'e']) {
        let shift: u32 = exp.trim_start_matches('-').parse().unwrap();
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: i128 = format!("{whole}{frac}").parse().unwrap();
        let scale = 12 - shift as i32 - frac.len() as i32;
        assert!(exp.starts_with('-') && scale >= 0, "{text}");
        return Money::from_picos(digits * 10i128.pow(scale as u32));
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut frac = frac.trim_end_matches('0').to_string();
    assert!(frac.len() <= 12, "{text}: finer than a picodollar");
    while frac.len() < 12 {
        frac.push('0');
    }
    Money::from_picos(
        whole.parse::<i128>().unwrap() * 1_000_000_000_000 + frac.parse::<i128>().unwrap(),
    )
}

/// genai-prices' API flavours for a body, best first.
fn flavours(shape: LogShape, body: &Value) -> &'static [&'static str] {
    match shape {
        LogShape::Gemini => &["default"],
        LogShape::Anthropic => &["default", "anthropic"],
        _ if body["usage"].get("prompt_tokens").is_some() => &["chat", "default"],
        _ => &["responses", "default", "anthropic"],
    }
}

/// The reference price: genai-prices' price under the seller whose price
/// `cost` used, for this API flavour (any flavour of that seller if none
/// fits); for an OpenRouter-style `maker/model` id that genai-prices prices
/// only under OpenRouter, OpenRouter's.
fn reference(
    entry: &Value,
    seller: &str,
    logged: &str,
    flavours: &[&str],
) -> Option<(Money, Money)> {
    let prices = entry["prices"].as_array()?;
    let under = |provider: &str| {
        let mine: Vec<&Value> = prices
            .iter()
            .filter(|p| p["provider_id"] == provider)
            .collect();
        flavours
            .iter()
            .find_map(|f| mine.iter().find(|p| p["api_flavor"] == *f))
            .or(mine.first())
            .map(|p| {
                (
                    picos(p["input_price"].as_str().unwrap()),
                    picos(p["output_price"].as_str().unwrap()),
                )
            })
    };
    under(seller).or_else(|| logged.contains('/').then(|| under("openrouter")).flatten())
}

#[derive(Default)]
struct Counts {
    /// Bodies genai-prices priced.
    reference: usize,
    /// Of those, bodies `cost` priced.
    priced: usize,
    /// Of those, bodies whose price agrees to the picodollar.
    agree: usize,
}

/// What `cost` makes of one body genai-prices priced.
enum Outcome {
    /// Not priced, and why.
    Unpriced(String),
    /// Priced; the difference from genai-prices (or why there is no
    /// reference), if any.
    Priced(Option<String>),
}

/// Reads, looks up and prices one body (already read as `shape`) as
/// `cost replay` would, at `date`, and compares with genai-prices.
fn judge(entry: &Value, shape: LogShape, catalog: &Catalog, date: Date) -> Outcome {
    let body = &entry["body"];
    let line = body.to_string();
    let logged = body["model"].as_str().unwrap_or_default();
    let record = match parse_line(line.as_bytes(), shape) {
        Ok(Some(record)) => record,
        Ok(None) => return Outcome::Unpriced("not read as a billed request".into()),
        Err(bad) => {
            return Outcome::Unpriced(format!("not read: `{}`: {}", bad.field, bad.message))
        }
    };
    let model = match catalog.lookup(&record.model) {
        Ok(model) => model,
        Err(e) => return Outcome::Unpriced(e.to_string().lines().next().unwrap().to_string()),
    };
    // The arithmetic against genai-prices' on its data's date; whether the
    // model was still served then is the lifecycle's business, not this check's.
    let Some(period) = model.period_at(Some(date)) else {
        return Outcome::Unpriced(format!("not priced: no price of {} on {date}", model.id));
    };
    let bill = match price_in_period(model, period, &record.request) {
        Ok(bill) => bill,
        Err(e) => return Outcome::Unpriced(format!("not priced: {e}")),
    };
    let ours_in: Money = bill.lines[..4].iter().map(|l| l.cost).sum();
    let ours_out: Money = bill.lines[4..6].iter().map(|l| l.cost).sum();
    let seller = canonical(&model.provider);
    Outcome::Priced(
        match reference(entry, seller, logged, flavours(shape, body)) {
            None => Some(format!(
                "priced as {} ({seller}), which genai-prices does not price",
                model.id
            )),
            Some(theirs) if theirs == (ours_in, ours_out) => None,
            Some((input, output)) => Some(format!(
            "priced as {} ({seller}): ours {ours_in} + {ours_out}, genai-prices {input} + {output}",
            model.id
        )),
        },
    )
}

#[test]
fn the_dataset_is_priced_like_genai_prices_or_explained() {
    let catalog = Catalog::builtin().unwrap().with_snapshot();
    // genai-prices computed its prices at its commit date.
    let date = Date::constant(2026, 8, 21);
    let known: BTreeMap<&str, &str> = KNOWN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (model, reason) = l.split_once("  # ").expect("`model  # reason`");
            (model.trim(), reason.trim())
        })
        .collect();
    let entries: Vec<Value> = serde_json::from_str(DATASET).unwrap();
    assert_eq!(entries.len(), 1577);
    let mut n = Counts::default();
    // Logged model -> what went wrong, per body.
    let mut differ = BTreeMap::<String, Vec<String>>::new();
    let mut shapes = BTreeMap::<&str, usize>::new();
    for entry in &entries {
        let body = &entry["body"];
        let line = body.to_string();
        let has_reference = !entry["prices"].as_array().unwrap().is_empty();
        let shape = jsonl_shape(line.as_bytes()).ok().map(|d| d.shape);
        *shapes
            .entry(shape.map_or("none", LogShape::key))
            .or_default() += 1;
        let Some(shape) = shape else {
            assert!(
                !has_reference,
                "body {}: genai-prices priced a body `cost replay` cannot tell the shape of",
                entry["index"]
            );
            continue;
        };
        if !has_reference {
            // Read or rejected with the field at fault; it must not panic.
            let _ = parse_line(line.as_bytes(), shape);
            continue;
        }
        n.reference += 1;
        let why = match judge(entry, shape, &catalog, date) {
            Outcome::Unpriced(why) => why,
            Outcome::Priced(difference) => {
                n.priced += 1;
                match difference {
                    None => {
                        n.agree += 1;
                        continue;
                    }
                    Some(why) => why,
                }
            }
        };
        let logged = body["model"]
            .as_str()
            .or(body["modelVersion"].as_str())
            .unwrap_or("(no model)");
        differ
            .entry(logged.to_string())
            .or_default()
            .push(format!("body {}: {why}", entry["index"]));
    }
    if std::env::var_os("USAGE_DATASET_VERBOSE").is_some() {
        for (m, why) in &differ {
            eprintln!("{m}  # {} bodies: {}", why.len(), why.join(" | "));
        }
    }
    let unexplained: Vec<String> = differ
        .iter()
        .filter(|(m, _)| !known.contains_key(m.as_str()))
        .map(|(m, why)| format!("{m}: {} bodies, e.g. {}", why.len(), why[0]))
        .collect();
    let stale: BTreeSet<&str> = known
        .keys()
        .copied()
        .filter(|m| !differ.contains_key(*m))
        .collect();
    let share = n.priced as f64 / n.reference as f64;
    eprintln!(
        "{} of {} bodies genai-prices priced are priced by cost ({:.1}%); {} agree to the picodollar; {} models explained; shapes {shapes:?}",
        n.priced,
        n.reference,
        100.0 * share,
        n.agree,
        known.len()
    );
    assert!(
        unexplained.is_empty(),
        "unexplained differences:\n{}",
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed but no longer different: {stale:?}"
    );
    assert_eq!(n.reference, 1298, "bodies with a genai-prices price");
    assert!(
        share >= 0.95,
        "only {:.1}% of the priced bodies are priced",
        100.0 * share
    );
    // Most of the dataset must agree exactly, not just be explained away.
    assert!(n.agree >= 1110, "only {} bodies agree", n.agree);
}

#[test]
fn the_embedded_snapshot_loads_in_full() {
    use cost::pricing::snapshot::{self, Snapshot};
    let loaded = Snapshot::load(&snapshot::bundles()).unwrap();
    let from = |key: &str| {
        loaded
            .models()
            .iter()
            .filter(|m| snapshot::provenance_of(m).is_some_and(|p| p.key == key))
            .count()
    };
    // Every model of both bundles, each one marked with its catalog.
    assert!(from("litellm") > 1500, "{}", from("litellm"));
    assert!(from("genai-prices") > 900, "{}", from("genai-prices"));
    assert_eq!(
        from("litellm") + from("genai-prices"),
        loaded.models().len()
    );
    for m in loaded.models() {
        assert!(!m.periods.is_empty(), "{} has no price", m.id);
        assert_eq!(m.verified.to_string(), snapshot::TAKEN, "{}", m.id);
    }
}

/// With the public catalogs at hand (`COST_PRICING_SOURCES=dir`), the
/// embedded snapshot must be exactly what its generator makes of them.
#[test]
fn the_embedded_snapshot_is_its_generators_output() {
    use cost::pricing::snapshot::{self, generate};
    let Some(dir) = std::env::var_os("COST_PRICING_SOURCES") else {
        eprintln!("COST_PRICING_SOURCES not set: the snapshot is checked by loading it only");
        return;
    };
    let taken: Date = snapshot::TAKEN.parse().unwrap();
    for (about, embedded) in snapshot::bundles() {
        let path = std::path::Path::new(&dir).join(about.source_file);
        let text = std::fs::read_to_string(&path).unwrap();
        let bundle = if about.key == snapshot::LITELLM.key {
            generate::litellm(&text, about.source_file, taken, &about)
        } else {
            generate::genai_prices(&text, about.source_file, taken, &about)
        }
        .unwrap();
        assert!(
            generate::compress(&bundle.text) == embedded,
            "{} is stale: run `cargo run --release --example catalog_snapshot -- {} pricing/snapshot`",
            snapshot::file_name(&about),
            path.parent().unwrap().display()
        );
    }
}
