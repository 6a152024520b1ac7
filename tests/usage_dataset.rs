//! `cost replay` against an independent price calculator: 879 real response
//! bodies (every OpenAI chat, OpenAI Responses and Anthropic Messages body in
//! genai-prices' usage dataset, commit 47df840, MIT; see
//! tests/fixtures/usage/ATTRIBUTION.md) with the prices genai-prices
//! computed for them. Every body must parse; every priced body must agree
//! with genai-prices to the picodollar, or its model must be listed with a
//! reason in `known-differences.txt`. A listed model that agrees again fails
//! the test too, so the list stays true.

use std::collections::{BTreeMap, BTreeSet};

use cost::money::Money;
use cost::pricing::bill::price_in_period;
use cost::pricing::Catalog;
use cost::replay::api::parse_line;
use cost::replay::LogShape;
use jiff::civil::Date;
use serde_json::Value;

const DATASET: &str = include_str!("fixtures/usage/genai-prices-usages-supported.json");
const KNOWN: &str = include_str!("fixtures/usage/known-differences.txt");

/// genai-prices' provider id for a catalog provider.
fn provider_id(provider: &str) -> &str {
    match provider {
        "xai" => "x-ai",
        other => other,
    }
}

/// Exact picodollars of a decimal string such as "0.0009541" or "5E-7".
fn picos(text: &str) -> Money {
    if let Some((mantissa, exp)) = text.split_once(['E', 'e']) {
        let shift: u32 = exp.trim_start_matches('-').parse().unwrap();
        assert!(
            exp.starts_with('-') && shift <= 12 && !mantissa.contains('.'),
            "{text}"
        );
        return Money::from_picos(mantissa.parse::<i128>().unwrap() * 10i128.pow(12 - shift));
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut frac = frac.to_string();
    assert!(frac.len() <= 12, "{text}: more than 12 decimals");
    while frac.len() < 12 {
        frac.push('0');
    }
    Money::from_picos(
        whole.parse::<i128>().unwrap() * 1_000_000_000_000 + frac.parse::<i128>().unwrap(),
    )
}

/// The reference price: the extractor of the model's own provider for this
/// API flavour, with a price.
fn reference(entry: &Value, provider: &str, shape: &str) -> Option<(Money, Money)> {
    let flavours: &[&str] = match shape {
        "chat" => &["chat", "default"],
        "responses" => &["responses"],
        _ => &["default", "anthropic"],
    };
    let extractors: Vec<&Value> = entry["extracted"]
        .as_array()?
        .iter()
        .flat_map(|e| e["extractors"].as_array().into_iter().flatten())
        .collect();
    flavours.iter().find_map(|flavour| {
        extractors.iter().find_map(|x| {
            (x["provider_id"] == provider_id(provider) && x["api_flavor"] == *flavour)
                .then(|| {
                    Some((
                        picos(x["input_price"].as_str()?),
                        picos(x["output_price"].as_str()?),
                    ))
                })
                .flatten()
        })
    })
}

#[test]
fn every_supported_body_parses_and_prices_like_genai_prices_or_is_explained() {
    let catalog = Catalog::from_sources(&Catalog::builtin_sources()).unwrap();
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
    assert_eq!(entries.len(), 879);
    let (mut agree, mut differ) = (0, BTreeMap::<String, Vec<String>>::new());
    for entry in &entries {
        let shape_name = entry["shape"].as_str().unwrap();
        let shape = if shape_name == "anthropic" {
            LogShape::Anthropic
        } else {
            LogShape::OpenAi
        };
        let line =
            serde_json::json!({"model": entry["model"], "usage": entry["usage"]}).to_string();
        let record = parse_line(line.as_bytes(), shape)
            .unwrap_or_else(|e| panic!("body {} does not parse: {e:?}", entry["index"]))
            .unwrap_or_else(|| panic!("body {} is not read as a request", entry["index"]));
        let name = record.model.to_string();
        let Some(model) = catalog.get(&name) else {
            differ
                .entry(name)
                .or_default()
                .push("not in catalog".into());
            continue;
        };
        let Some((input, output)) = reference(entry, &model.provider, shape_name) else {
            differ
                .entry(name)
                .or_default()
                .push("no genai-prices price".into());
            continue;
        };
        // The arithmetic against genai-prices' on its data's date; whether the
        // model was still served then is the lifecycle's business, not this check's.
        let period = model.period_at(Some(date)).unwrap();
        let bill = price_in_period(model, period, &record.request).unwrap();
        let ours_in: Money = bill.lines[..4].iter().map(|l| l.cost).sum();
        let ours_out: Money = bill.lines[4..6].iter().map(|l| l.cost).sum();
        if (ours_in, ours_out) == (input, output) {
            agree += 1;
        } else {
            differ.entry(name).or_default().push(format!(
                "body {}: ours {ours_in} + {ours_out}, genai-prices {input} + {output}",
                entry["index"]
            ));
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
    assert!(
        unexplained.is_empty(),
        "unexplained differences:\n{}",
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "listed but no longer different: {stale:?}"
    );
    // Most of the dataset must agree exactly, not just be explained away.
    assert!(agree >= 400, "only {agree} bodies agree");
    eprintln!(
        "{agree} bodies agree to the picodollar; {} models explained",
        known.len()
    );
}
