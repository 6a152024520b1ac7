//! FOCUS 1.3 Cost and Usage rows (the FinOps Foundation's billing data
//! standard) from a replay's charges, so the LLM bill lands in the FinOps
//! tools that read cloud bills. One row per day, model, service tier,
//! billed part and unit price (`replay::charges`), at the public list price:
//! `BilledCost`, `EffectiveCost`, `ListCost` and `ContractedCost` are the
//! same exact amount, as no negotiated discount is known.
//!
//! Units follow the price lists: tokens are priced per 1M (`PricingUnit`
//! `1000000 Tokens`, `PricingQuantity` the tokens divided by 1M, unit
//! prices in USD per 1M tokens), consumed in `Tokens`; a per-request fee is
//! priced and consumed in `Requests`. `PricingQuantity` times a unit price
//! is the cost to the picodollar. Columns the logs cannot fill (accounts,
//! regions, resources, commitments, allocation) are null where the
//! specification allows it; `BillingAccountId`, which may not be null, is
//! `local-estimate`. `ProviderName` and `PublisherName`, deprecated in 1.3,
//! are still written, as 1.3 readers expect them. Pure: no I/O.

use jiff::civil::Date;
use serde_json::{Map, Value};

use super::aggregate::SEP;
use super::charges::{ChargeKey, ChargeSum, Charges};
use crate::money::Money;
use crate::pricing::{Catalog, Part};

pub const VERSION: &str = "1.3";

/// The placeholder billing account: FOCUS requires one, the logs have none.
pub const BILLING_ACCOUNT: &str = "local-estimate";

/// Every column written, in order: the FOCUS 1.3 Cost and Usage columns,
/// then `cost`'s own (`x_` prefixed, as FOCUS requires of custom columns).
pub const COLUMNS: [&str; 68] = [
    "AllocatedMethodDetails",
    "AllocatedMethodId",
    "AllocatedResourceId",
    "AllocatedResourceName",
    "AllocatedTags",
    "AvailabilityZone",
    "BilledCost",
    "BillingAccountId",
    "BillingAccountName",
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
    "x_Model",
    "x_ServiceTier",
    "x_Requests",
    "x_PriceSource",
];

/// One row: a value (or null) per `COLUMNS` entry.
pub type Row = Vec<Option<String>>;

/// The rows of every charge; `tag_names` are the log fields whose values
/// make up a charge's tags (in the order the tags key joins them).
pub fn rows(charges: &Charges<'_>, catalog: &Catalog, tag_names: &[String]) -> Vec<Row> {
    charges
        .sorted()
        .into_iter()
        .map(|(tags, key, sum)| row(key, sum, tags_json(tags, tag_names), catalog))
        .collect()
}

/// What a row says beyond its fixed values.
struct Facts {
    provider: String,
    source: Option<String>,
    cost: Option<String>,
    unit_price: String,
    quantity: String,
    pricing_unit: &'static str,
    consumed_unit: &'static str,
    month: (Date, Date),
    sku: String,
    description: String,
    price_id: String,
    details: String,
}

fn facts(key: &ChargeKey<'_>, sum: &ChargeSum, catalog: &Catalog) -> Facts {
    let model = catalog.get(key.model);
    let (unit_price, quantity, pricing_unit, consumed_unit) = if key.part == Part::PerRequest {
        (
            money(Money::from_picos(key.unit_picos)),
            sum.quantity.to_string(),
            "Requests",
            "Requests",
        )
    } else {
        // Picodollars per token are micro-dollars per 1M tokens.
        (
            decimal(key.unit_picos, 6),
            decimal(i128::from(sum.quantity), 6),
            "1000000 Tokens",
            "Tokens",
        )
    };
    let sku = format!("{}/{}/{}", key.model, key.part.key(), key.tier.key());
    let long_context = key
        .long_context
        .map(|above| format!(", prompts above {above} tokens"))
        .unwrap_or_default();
    let mut details = Map::new();
    details.insert("x_ServiceTier".into(), key.tier.key().into());
    if let Some(above) = key.long_context {
        details.insert("x_LongContextAbovePromptTokens".into(), above.into());
    }
    Facts {
        provider: model.map_or_else(|| key.model.to_string(), |m| m.provider.clone()),
        source: model.map(|m| {
            m.periods
                .iter()
                .find(|p| p.from == key.period_from)
                .and_then(|p| p.source.clone())
                .unwrap_or_else(|| m.source.clone())
        }),
        cost: Some(money(sum.cost)),
        price_id: format!(
            "{sku}/{}/{}/{unit_price}",
            key.period_from
                .map_or_else(|| "open".to_string(), |d| d.to_string()),
            key.long_context
                .map_or_else(|| "base".to_string(), |a| format!("above-{a}")),
        ),
        description: format!(
            "{} {}, {} tier{long_context}",
            key.model,
            meter(key.part).to_lowercase(),
            key.tier.key()
        ),
        unit_price,
        quantity,
        pricing_unit,
        consumed_unit,
        month: month(key.day),
        sku,
        details: Value::Object(details).to_string(),
    }
}

fn row(key: &ChargeKey<'_>, sum: &ChargeSum, tags: Option<String>, catalog: &Catalog) -> Row {
    let Facts {
        provider,
        source,
        cost,
        unit_price,
        quantity,
        pricing_unit,
        consumed_unit,
        month: (month_start, month_end),
        sku,
        description,
        price_id,
        details,
    } = facts(key, sum, catalog);
    let s = |v: &str| Some(v.to_string());
    let values: [(&str, Option<String>); 68] = [
        ("AllocatedMethodDetails", None),
        ("AllocatedMethodId", None),
        ("AllocatedResourceId", None),
        ("AllocatedResourceName", None),
        ("AllocatedTags", None),
        ("AvailabilityZone", None),
        ("BilledCost", cost.clone()),
        ("BillingAccountId", s(BILLING_ACCOUNT)),
        ("BillingAccountName", None),
        ("BillingCurrency", s("USD")),
        ("BillingPeriodEnd", Some(midnight(month_end))),
        ("BillingPeriodStart", Some(midnight(month_start))),
        ("CapacityReservationId", None),
        ("CapacityReservationStatus", None),
        ("ChargeCategory", s("Usage")),
        ("ChargeClass", None),
        ("ChargeDescription", Some(description)),
        ("ChargeFrequency", s("Usage-Based")),
        ("ChargePeriodEnd", key.day.tomorrow().ok().map(midnight)),
        ("ChargePeriodStart", Some(midnight(key.day))),
        ("CommitmentDiscountCategory", None),
        ("CommitmentDiscountId", None),
        ("CommitmentDiscountName", None),
        ("CommitmentDiscountQuantity", None),
        ("CommitmentDiscountStatus", None),
        ("CommitmentDiscountType", None),
        ("CommitmentDiscountUnit", None),
        ("ConsumedQuantity", Some(sum.quantity.to_string())),
        ("ConsumedUnit", s(consumed_unit)),
        ("ContractApplied", None),
        ("ContractedCost", cost.clone()),
        ("ContractedUnitPrice", Some(unit_price.clone())),
        ("EffectiveCost", cost.clone()),
        ("HostProviderName", Some(provider.clone())),
        ("InvoiceId", None),
        ("InvoiceIssuerName", Some(provider.clone())),
        ("ListCost", cost.clone()),
        ("ListUnitPrice", Some(unit_price.clone())),
        ("PricingCategory", s("Standard")),
        ("PricingCurrency", s("USD")),
        (
            "PricingCurrencyContractedUnitPrice",
            Some(unit_price.clone()),
        ),
        ("PricingCurrencyEffectiveCost", cost),
        ("PricingCurrencyListUnitPrice", Some(unit_price)),
        ("PricingQuantity", Some(quantity)),
        ("PricingUnit", s(pricing_unit)),
        ("ProviderName", Some(provider.clone())),
        ("PublisherName", Some(provider.clone())),
        ("RegionId", None),
        ("RegionName", None),
        ("ResourceId", None),
        ("ResourceName", None),
        ("ResourceType", None),
        ("ServiceCategory", s("AI and Machine Learning")),
        ("ServiceName", Some(format!("{provider} API"))),
        ("ServiceProviderName", Some(provider)),
        ("ServiceSubcategory", s("Generative AI")),
        ("SkuId", Some(sku)),
        ("SkuMeter", s(meter(key.part))),
        ("SkuPriceDetails", Some(details)),
        ("SkuPriceId", Some(price_id)),
        ("SubAccountId", None),
        ("SubAccountName", None),
        ("SubAccountType", None),
        ("Tags", tags),
        ("x_Model", s(key.model)),
        ("x_ServiceTier", s(key.tier.key())),
        ("x_Requests", Some(sum.requests.to_string())),
        ("x_PriceSource", source),
    ];
    debug_assert!(values.iter().zip(COLUMNS).all(|((name, _), c)| *name == c));
    values.into_iter().map(|(_, v)| v).collect()
}

/// What a part's meter is called.
fn meter(part: Part) -> &'static str {
    match part {
        Part::Input => "Input tokens",
        Part::CacheRead => "Cache read tokens",
        Part::CacheWrite => "Cache write tokens",
        Part::CacheWrite1h => "Cache write tokens (1-hour)",
        Part::Output => "Output tokens",
        Part::Reasoning => "Reasoning tokens",
        Part::PerRequest => "Requests",
    }
}

/// The tags key (values joined by the group separator) as a JSON object
/// of the fields' names; `None` without tag fields.
fn tags_json(key: &str, names: &[String]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    let map: Map<String, Value> = names
        .iter()
        .zip(key.split(SEP))
        .map(|(name, value)| {
            let value = if value.is_empty() {
                Value::Null
            } else {
                Value::String(value.to_string())
            };
            (name.clone(), value)
        })
        .collect();
    Some(Value::Object(map).to_string())
}

/// The exact dollar amount, without trailing zeros.
fn money(m: Money) -> String {
    m.to_string()
}

/// `n / 10^scale` written exactly, without trailing zeros.
fn decimal(n: i128, scale: u32) -> String {
    let unit = 10_i128.pow(scale);
    let sign = if n < 0 { "-" } else { "" };
    let (whole, frac) = (
        n.unsigned_abs() / unit.unsigned_abs(),
        n.unsigned_abs() % unit.unsigned_abs(),
    );
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:0width$}", width = scale as usize);
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// `2026-11-30T00:00:00Z`.
fn midnight(day: Date) -> String {
    format!("{day}T00:00:00Z")
}

/// The calendar month holding `day`: its first day and the next month's.
fn month(day: Date) -> (Date, Date) {
    let first = day.first_of_month();
    let next = first
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(first);
    (first, next)
}

/// The rows as CSV: a header of `COLUMNS`, nulls as empty fields.
pub fn csv(rows: &[Row]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = out.write_record(COLUMNS);
    for row in rows {
        let _ = out.write_record(row.iter().map(|v| v.as_deref().unwrap_or("")));
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::bill::{period_on, price_in_period, Request};

    fn column(row: &Row, name: &str) -> Option<String> {
        let i = COLUMNS.iter().position(|c| *c == name).unwrap();
        row[i].clone()
    }

    #[test]
    fn decimals_are_exact_and_trimmed() {
        assert_eq!(decimal(2_500_000, 6), "2.5");
        assert_eq!(decimal(1_200, 6), "0.0012");
        assert_eq!(decimal(3_000_000, 6), "3");
        assert_eq!(decimal(-75_000, 6), "-0.075");
    }

    #[test]
    fn a_day_of_one_model_makes_one_row_per_billed_part_at_list_price() {
        let catalog = Catalog::builtin().unwrap();
        let model = catalog.get("gpt-4o-mini").unwrap();
        let day = jiff::civil::date(2026, 11, 30);
        let bill = price_in_period(
            model,
            period_on(model, day).unwrap(),
            &Request {
                input: 1_000_000,
                cache_read: 400_000,
                output: 2_000,
                ..Request::default()
            },
        )
        .unwrap();
        let mut charges = Charges::default();
        charges.add("team-a", day, &model.id, &bill);
        let rows = rows(&charges, &catalog, &["team".to_string()]);
        assert_eq!(rows.len(), 3);
        let input = &rows[0];
        assert_eq!(column(input, "SkuMeter").as_deref(), Some("Input tokens"));
        // 600,000 fresh input tokens at $0.15 per 1M: 0.6 x 0.15 = $0.09.
        assert_eq!(column(input, "PricingQuantity").as_deref(), Some("0.6"));
        assert_eq!(column(input, "ListUnitPrice").as_deref(), Some("0.15"));
        assert_eq!(column(input, "BilledCost").as_deref(), Some("0.09"));
        assert_eq!(column(input, "ConsumedQuantity").as_deref(), Some("600000"));
        assert_eq!(
            column(input, "ChargePeriodStart").as_deref(),
            Some("2026-11-30T00:00:00Z")
        );
        assert_eq!(
            column(input, "ChargePeriodEnd").as_deref(),
            Some("2026-12-01T00:00:00Z")
        );
        assert_eq!(
            column(input, "BillingPeriodEnd").as_deref(),
            Some("2026-12-01T00:00:00Z")
        );
        assert_eq!(
            column(input, "Tags").as_deref(),
            Some(r#"{"team":"team-a"}"#)
        );
        assert_eq!(column(input, "ChargeClass"), None);
        let billed: Money = rows
            .iter()
            .map(|r| {
                let text = column(r, "BilledCost").unwrap();
                crate::money::Usd(text.parse().unwrap()).to_money().unwrap()
            })
            .sum();
        assert_eq!(billed, bill.total);
    }

    #[test]
    fn csv_has_the_header_and_empty_fields_for_nulls() {
        let text = csv(&[vec![None; COLUMNS.len()]]);
        let mut lines = text.lines();
        assert!(lines.next().unwrap().starts_with("AllocatedMethodDetails,"));
        assert_eq!(lines.next().unwrap(), ",".repeat(COLUMNS.len() - 1));
    }
}
