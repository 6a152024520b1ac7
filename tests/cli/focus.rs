//! `cost replay --format focus`: every row of real output checked against
//! the FOCUS Cost and Usage column rules (presence, nulls, types, formats,
//! allowed values, the unit price × quantity = cost identities, periods),
//! and the billed total checked against the replay's own total. The rules
//! are the requirements of the FOCUS specification's column definitions
//! (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, `specification/columns/`,
//! 1.2) with 1.3's new columns (`ServiceProviderName`, `HostProviderName`,
//! `ContractApplied`, the `Allocated*` columns).

use std::collections::{BTreeMap, HashMap};

use crate::{fixture, Cost};

/// Columns that must be present in every FOCUS dataset.
const MANDATORY: [&str; 24] = [
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
    "ServiceProviderName",
    "HostProviderName",
    "SkuPriceId",
];

/// Columns that may never be null where they are present.
const NOT_NULL: [&str; 18] = [
    "BilledCost",
    "BillingAccountId",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargeCategory",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "ContractedCost",
    "EffectiveCost",
    "InvoiceIssuerName",
    "ListCost",
    "ProviderName",
    "PublisherName",
    "ServiceCategory",
    "ServiceName",
    "ServiceSubcategory",
];

const DECIMAL: [&str; 13] = [
    "BilledCost",
    "CommitmentDiscountQuantity",
    "ConsumedQuantity",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "ListCost",
    "ListUnitPrice",
    "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost",
    "PricingCurrencyListUnitPrice",
    "PricingQuantity",
    "x_Requests",
];

const DATETIME: [&str; 4] = [
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "ChargePeriodEnd",
    "ChargePeriodStart",
];

const KEY_VALUE: [&str; 4] = [
    "SkuPriceDetails",
    "Tags",
    "AllocatedTags",
    "AllocatedMethodDetails",
];

/// Every FOCUS 1.3 Cost and Usage column (a column outside it must be `x_`).
const FOCUS_COLUMNS: [&str; 65] = [
    "AllocatedMethodDetails",
    "AllocatedMethodId",
    "AllocatedResourceId",
    "AllocatedResourceName",
    "AllocatedTags",
    "AvailabilityZone",
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
    "BillingAccountType",
    "BillingCurrency",
    "BillingPeriodEnd",
    "BillingPeriodStart",
    "CapacityReservationId",
    "CapacityReservationStatus",
    "ChargeCategory",
    "ChargeClass",
    "ChargeDescription",
    "ChargeFrequency",
    "ChargePeriodEnd",
    "ChargePeriodStart",
    "CommitmentDiscountCategory",
    "CommitmentDiscountId",
    "CommitmentDiscountName",
    "CommitmentDiscountQuantity",
    "CommitmentDiscountStatus",
    "CommitmentDiscountType",
    "CommitmentDiscountUnit",
    "ConsumedQuantity",
    "ConsumedUnit",
    "ContractApplied",
    "ContractedCost",
    "ContractedUnitPrice",
    "EffectiveCost",
    "HostProviderName",
    "InvoiceId",
    "InvoiceIssuerName",
    "ListCost",
    "ListUnitPrice",
    "PricingCategory",
    "PricingCurrency",
    "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost",
    "PricingCurrencyListUnitPrice",
    "PricingQuantity",
    "PricingUnit",
    "ProviderName",
    "PublisherName",
    "RegionId",
    "RegionName",
    "ResourceId",
    "ResourceName",
    "ResourceType",
    "ServiceCategory",
    "ServiceName",
    "ServiceProviderName",
    "ServiceSubcategory",
    "SkuId",
    "SkuMeter",
    "SkuPriceDetails",
    "SkuPriceId",
    "SubAccountId",
    "SubAccountName",
    "SubAccountType",
    "Tags",
];

type Row = HashMap<String, String>;

/// A decimal as (digits, scale): `0.0012` is (12, 4).
fn decimal(text: &str) -> Option<(i128, u32)> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let negative = whole.starts_with('-');
    let digits = whole.trim_start_matches('-');
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (text.contains('.') && frac.is_empty())
    {
        return None;
    }
    let m: i128 = format!("{digits}{frac}").parse().ok()?;
    Some((
        if negative { -m } else { m },
        u32::try_from(frac.len()).ok()?,
    ))
}

/// `a × b == c`, exactly.
fn product_matches(a: &str, b: &str, c: &str) -> bool {
    let (Some((am, asc)), Some((bm, bsc)), Some((cm, csc))) = (decimal(a), decimal(b), decimal(c))
    else {
        return false;
    };
    let left = am * bm * 10_i128.pow(csc);
    let right = cm * 10_i128.pow(asc + bsc);
    left == right
}

fn is_datetime(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
            .into_iter()
            .all(|r| b[r].iter().all(u8::is_ascii_digit))
}

/// A unit in FOCUS's unit format: plural units, optionally after a whole
/// quantity (`Tokens`, `1000000 Tokens`, `Requests`).
fn is_unit(v: &str) -> bool {
    let unit = v.split_once(' ').map_or(v, |(q, u)| {
        if q.bytes().all(|b| b.is_ascii_digit()) {
            u
        } else {
            ""
        }
    });
    unit.starts_with(|c: char| c.is_ascii_uppercase())
        && unit.ends_with('s')
        && unit.chars().all(|c| c.is_ascii_alphabetic())
}

/// Every rule one row breaks, as messages.
fn violations(row: &Row) -> Vec<String> {
    let mut out = formats(row);
    out.extend(values(row));
    out.extend(dependencies(row));
    out
}

/// Nulls, decimals, date-times and key-value objects.
fn formats(row: &Row) -> Vec<String> {
    let mut out = Vec::new();
    let get = |c: &str| row.get(c).map(String::as_str).filter(|v| !v.is_empty());
    for c in NOT_NULL {
        if get(c).is_none() {
            out.push(format!("{c} is null"));
        }
    }
    for c in DECIMAL {
        if let Some(v) = get(c) {
            if decimal(v).is_none() {
                out.push(format!("{c} = {v:?} is not a decimal"));
            }
        }
    }
    for c in DATETIME {
        if let Some(v) = get(c) {
            if !is_datetime(v) {
                out.push(format!("{c} = {v:?} is not YYYY-MM-DDTHH:mm:ssZ"));
            }
        }
    }
    for c in KEY_VALUE {
        if let Some(v) = get(c) {
            match serde_json::from_str::<serde_json::Value>(v) {
                Ok(serde_json::Value::Object(map)) => {
                    if map.values().any(|x| x.is_object() || x.is_array()) {
                        out.push(format!("{c} holds an object or array value"));
                    }
                    if c == "SkuPriceDetails" && map.keys().any(|k| !k.starts_with("x_")) {
                        out.push(format!(
                            "{c} has a key that is neither FOCUS-defined nor x_"
                        ));
                    }
                }
                _ => out.push(format!("{c} = {v:?} is not a JSON object")),
            }
        }
    }
    out
}

/// Allowed values and currency codes.
fn values(row: &Row) -> Vec<String> {
    let mut out = Vec::new();
    let get = |c: &str| row.get(c).map(String::as_str).filter(|v| !v.is_empty());
    let allowed = |c: &str, values: &[&str], out: &mut Vec<String>| {
        if let Some(v) = get(c) {
            if !values.contains(&v) {
                out.push(format!("{c} = {v:?} is not an allowed value"));
            }
        }
    };
    allowed(
        "ChargeCategory",
        &["Usage", "Purchase", "Tax", "Credit", "Adjustment"],
        &mut out,
    );
    allowed("ChargeClass", &["Correction"], &mut out);
    allowed(
        "ChargeFrequency",
        &["One-Time", "Recurring", "Usage-Based"],
        &mut out,
    );
    allowed(
        "PricingCategory",
        &["Standard", "Dynamic", "Committed", "Other"],
        &mut out,
    );
    allowed("ServiceCategory", &["AI and Machine Learning"], &mut out);
    allowed(
        "ServiceSubcategory",
        &[
            "AI Platforms",
            "Bots",
            "Generative AI",
            "Machine Learning",
            "Natural Language Processing",
            "Other (AI and Machine Learning)",
        ],
        &mut out,
    );
    for c in ["BillingCurrency", "PricingCurrency"] {
        if let Some(v) = get(c) {
            if v.len() != 3 || !v.bytes().all(|b| b.is_ascii_uppercase()) {
                out.push(format!("{c} = {v:?} is not an ISO 4217 code"));
            }
        }
    }
    out
}

/// What one column requires of others: usage rows, units, unit price x
/// quantity = cost, and periods.
fn dependencies(row: &Row) -> Vec<String> {
    let mut out = Vec::new();
    let get = |c: &str| row.get(c).map(String::as_str).filter(|v| !v.is_empty());
    let usage = get("ChargeCategory") == Some("Usage") && get("ChargeClass").is_none();
    if usage {
        for c in [
            "PricingCategory",
            "PricingQuantity",
            "PricingUnit",
            "ListUnitPrice",
            "ContractedUnitPrice",
            "SkuId",
            "SkuPriceId",
            "ConsumedQuantity",
            "ConsumedUnit",
        ] {
            if get(c).is_none() {
                out.push(format!("{c} is null on a usage row"));
            }
        }
    }
    for (unit, quantity) in [
        ("PricingUnit", "PricingQuantity"),
        ("ConsumedUnit", "ConsumedQuantity"),
    ] {
        if get(unit).is_some() != get(quantity).is_some() {
            out.push(format!("{unit} and {quantity} are not null together"));
        }
        if let Some(u) = get(unit) {
            if !is_unit(u) {
                out.push(format!("{unit} = {u:?} is not in the unit format"));
            }
        }
    }
    if get("SkuPriceId").is_none() && get("SkuPriceDetails").is_some() {
        out.push("SkuPriceDetails without a SkuPriceId".into());
    }
    for (price, cost) in [
        ("ListUnitPrice", "ListCost"),
        ("ContractedUnitPrice", "ContractedCost"),
        ("PricingCurrencyListUnitPrice", "ListCost"),
    ] {
        if let (Some(p), Some(q), Some(c)) = (get(price), get("PricingQuantity"), get(cost)) {
            if decimal(p).is_some_and(|(m, _)| m < 0) {
                out.push(format!("{price} is negative"));
            }
            if !product_matches(p, q, c) {
                out.push(format!("{price} {p} x PricingQuantity {q} != {cost} {c}"));
            }
        }
    }
    if let (Some(s), Some(e), Some(bs), Some(be)) = (
        get("ChargePeriodStart"),
        get("ChargePeriodEnd"),
        get("BillingPeriodStart"),
        get("BillingPeriodEnd"),
    ) {
        // Same-format UTC timestamps order as text.
        if s >= e {
            out.push("ChargePeriodStart is not before ChargePeriodEnd".into());
        }
        if s < bs || e > be {
            out.push("the charge period is outside its billing period".into());
        }
    }
    out
}

fn parse(csv_text: &str) -> (Vec<String>, Vec<Row>) {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The dataset's own violations: header rules, then every row's.
fn check(csv_text: &str) -> Vec<String> {
    let (header, rows) = parse(csv_text);
    let mut out: Vec<String> = MANDATORY
        .iter()
        .filter(|c| !header.iter().any(|h| h == *c))
        .map(|c| format!("column {c} is missing"))
        .collect();
    for h in &header {
        if !FOCUS_COLUMNS.contains(&h.as_str()) && !h.starts_with("x_") {
            out.push(format!("column {h} is neither FOCUS nor x_-prefixed"));
        }
    }
    for (i, row) in rows.iter().enumerate() {
        out.extend(
            violations(row)
                .into_iter()
                .map(|v| format!("row {}: {v}", i + 1)),
        );
    }
    out
}

fn focus(args: &[&str]) -> String {
    Cost::new()
        .arg("replay")
        .args(args)
        .args(["--format", "focus"])
        .stderr_any()
        .run()
        .stdout
}

/// Sums a decimal column per `x_Model`, exactly (as picodollars).
fn picos_by_model(rows: &[Row], column: &str) -> BTreeMap<String, i128> {
    let mut out = BTreeMap::new();
    for r in rows {
        let (m, scale) = decimal(&r[column]).unwrap();
        *out.entry(r["x_Model"].clone()).or_insert(0) += m * 10_i128.pow(12 - scale);
    }
    out
}

fn json_picos(v: &serde_json::Value) -> i128 {
    let (m, scale) = decimal(&v.to_string()).unwrap();
    m * 10_i128.pow(12 - scale)
}

#[test]
fn every_row_of_every_log_shape_keeps_the_focus_column_rules() {
    let rules = fixture("replay/focus-rules.csv");
    let mapping = fixture("replay/focus-rules.toml");
    let runs: Vec<Vec<String>> = vec![
        vec![
            rules.clone(),
            "--mapping".into(),
            mapping.clone(),
            "--by".into(),
            "team".into(),
        ],
        vec![fixture("replay/otel-spans.jsonl")],
        vec![fixture("replay/chat.jsonl")],
        vec![fixture("replay/anthropic.jsonl")],
        vec![fixture("replay/litellm.csv")],
        vec![fixture("replay/gateway.jsonl")],
        vec![fixture("replay/responses.jsonl")],
    ];
    for run in runs {
        let args: Vec<&str> = run.iter().map(String::as_str).collect();
        let text = focus(&args);
        assert!(text.lines().count() > 1, "{args:?}: no FOCUS rows");
        let problems = check(&text);
        assert!(problems.is_empty(), "{args:?}:\n{}", problems.join("\n"));
    }
}

#[test]
fn the_billed_total_per_model_is_the_replay_total_to_the_picodollar() {
    let rules = fixture("replay/focus-rules.csv");
    let mapping = fixture("replay/focus-rules.toml");
    let args = [rules.as_str(), "--mapping", mapping.as_str()];
    let (_, rows) = parse(&focus(&args));
    let billed = picos_by_model(&rows, "BilledCost");
    let json = Cost::new()
        .arg("replay")
        .args(args)
        .args(["--by", "model"])
        .stderr_contains("mystery-model")
        .run_json();
    let mut replayed = BTreeMap::new();
    for g in json["groups"].as_array().unwrap() {
        if g["priced_requests"]
            .as_u64()
            .unwrap_or(g["requests"].as_u64().unwrap())
            > 0
            && !g["cost_usd"].is_null()
        {
            replayed.insert(
                g["model"].as_str().unwrap().to_string(),
                json_picos(&g["cost_usd"]),
            );
        }
    }
    replayed.retain(|_, v| *v != 0);
    assert_eq!(billed, replayed);
    // Every rule the fixture was written to hit shows in the rows.
    let meters: Vec<&str> = rows.iter().map(|r| r["SkuPriceId"].as_str()).collect();
    assert!(
        meters.iter().any(|m| m.contains("/above-100000/")),
        "long context"
    );
    assert!(rows.iter().any(|r| r["x_ServiceTier"] == "batch"), "batch");
    assert!(
        meters.iter().any(|m| m.ends_with("/0.66")),
        "off-peak window"
    );
    assert!(meters.iter().any(|m| m.ends_with("/1.32")), "peak window");
    assert!(rows
        .iter()
        .any(|r| r["BillingPeriodStart"] == "2026-10-01T00:00:00Z"));
    assert!(rows
        .iter()
        .any(|r| r["BillingPeriodStart"] == "2026-11-01T00:00:00Z"));
}

#[test]
fn the_checker_catches_a_broken_row() {
    let text = focus(&[&fixture("replay/chat.jsonl")]);
    assert!(check(&text).is_empty());
    let (header, rows) = parse(&text);
    let broken = |column: &str, value: &str| {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        let mut row = rows[0].clone();
        row.insert(column.to_string(), value.to_string());
        w.write_record(header.iter().map(|h| row[h].as_str()))
            .unwrap();
        check(&String::from_utf8(w.into_inner().unwrap()).unwrap())
    };
    assert!(!broken("ListCost", "0.0061").is_empty());
    assert!(!broken("ChargePeriodStart", "2026-11-02 00:00:00").is_empty());
    assert!(!broken("ChargeCategory", "Fee").is_empty());
    assert!(!broken("BillingAccountId", "").is_empty());
    assert!(!broken("Tags", "[1]").is_empty());
}

#[test]
fn the_focus_format_is_refused_where_it_means_nothing() {
    Cost::new()
        .args(["compare", "--format", "focus"])
        .status(2)
        .stderr_contains("--format focus is for `cost replay` only")
        .run();
    Cost::new()
        .args(["replay", &fixture("replay/chat.jsonl"), "--format", "focus"])
        .args(["--as", "gpt-4o-mini"])
        .status(2)
        .stderr_contains("not a what-if")
        .run();
}

#[test]
fn requests_without_a_time_are_refused_not_dated() {
    let log =
        "{\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}\n";
    Cost::new()
        .args(["replay", "-", "--format", "focus"])
        .stdin(log)
        .status(2)
        .stderr_contains("1 requests have no time in the log")
        .run();
}
