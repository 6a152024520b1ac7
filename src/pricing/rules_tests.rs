//! The billing rules a sheet states beyond list prices, one test per edge:
//! threshold comparison (`above` vs `at_or_above`), time-of-day windows,
//! lifecycle dates, request options, and values the engine cannot hold.

use jiff::civil::Date;
use jiff::Timestamp;

use super::bill::{price, price_at, PriceError, Request};
use super::load::load_sheet;
use super::windows::TrafficProfile;
use super::Model;
use crate::source::Source;

fn sheet(model: &str) -> Result<Model, crate::source::InputError> {
    let text = format!(
        "[provider]\nid = \"p\"\nname = \"P\"\n[[models]]\nid = \"m\"\nsource = \"https://example.com\"\nverified = 2026-11-28\n{model}"
    );
    load_sheet(&Source::embedded("t.toml", &text)).map(|mut m| m.remove(0))
}

fn model(text: &str) -> Model {
    sheet(text).unwrap()
}

fn rejected_at(text: &str) -> String {
    let e = sheet(text).expect_err("the loader rejects it");
    format!("{} | {}", e.key, e.message)
}

fn day() -> Date {
    Date::constant(2026, 11, 28)
}

fn total(m: &Model, input: u64, output: u64) -> String {
    let r = Request {
        input,
        output,
        ..Request::default()
    };
    price(m, &r, day()).unwrap().total.to_string()
}

const XAI: &str = "[[models.prices]]\ninput = 1.25\noutput = 2.5\n[[models.prices.long_context]]\nat_or_above = 200000\ninput = 2.5\noutput = 5.0\n";
const GOOGLE: &str = "[[models.prices]]\ninput = 1.25\noutput = 2.5\n[[models.prices.long_context]]\nabove = 200000\ninput = 2.5\noutput = 5.0\n";

#[test]
fn at_or_above_bills_the_threshold_token_at_the_tier() {
    let m = model(XAI);
    assert_eq!(total(&m, 199_999, 0), "0.24999875");
    assert_eq!(total(&m, 200_000, 0), "0.5");
    assert_eq!(total(&m, 200_001, 0), "0.5000025");
}

#[test]
fn above_bills_the_threshold_token_at_the_base() {
    let m = model(GOOGLE);
    assert_eq!(total(&m, 200_000, 0), "0.25");
    assert_eq!(total(&m, 200_001, 0), "0.5000025");
}

#[test]
fn a_tier_with_both_rules_or_none_is_rejected() {
    let both = XAI.replace(
        "at_or_above = 200000",
        "at_or_above = 200000\nabove = 200000",
    );
    assert!(rejected_at(&both).contains("at_or_above"));
    let none = XAI.replace("at_or_above = 200000\n", "");
    assert!(rejected_at(&none).contains("needs `above` or `at_or_above`"));
}

const DEEPSEEK: &str = "[[models.prices]]\ninput = 1.32\ncache_read = 0.044\noutput = 3.96\n[[models.prices.windows]]\nname = \"off-peak\"\ndays = [\"weekdays\"]\nstart = \"00:00\"\nend = \"01:00\"\nmultiplier = 0.5\n[[models.prices.windows]]\nname = \"off-peak\"\ndays = [\"weekdays\"]\nstart = \"04:00\"\nend = \"06:00\"\nmultiplier = 0.5\n[[models.prices.windows]]\nname = \"off-peak\"\ndays = [\"weekdays\"]\nstart = \"10:00\"\nend = \"24:00\"\nmultiplier = 0.5\n[[models.prices.windows]]\nname = \"off-peak\"\ndays = [\"weekend\"]\nstart = \"00:00\"\nend = \"24:00\"\nmultiplier = 0.5\n";

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn million_in(m: &Model, time: &str) -> String {
    let r = Request {
        input: 1_000_000,
        ..Request::default()
    };
    price_at(m, &r, at(time)).unwrap().total.to_string()
}

#[test]
fn a_request_is_priced_by_the_window_its_minute_falls_in() {
    let m = model(DEEPSEEK);
    // Tuesday 2026-12-01: peak 01:00-04:00 and 06:00-10:00 UTC.
    assert_eq!(million_in(&m, "2026-12-01T00:59:59Z"), "0.66");
    assert_eq!(million_in(&m, "2026-12-01T01:00:00Z"), "1.32");
    assert_eq!(million_in(&m, "2026-12-01T03:59:59Z"), "1.32");
    assert_eq!(million_in(&m, "2026-12-01T04:00:00Z"), "0.66");
    assert_eq!(million_in(&m, "2026-12-01T05:59:00Z"), "0.66");
    assert_eq!(million_in(&m, "2026-12-01T06:00:00Z"), "1.32");
    assert_eq!(million_in(&m, "2026-12-01T09:59:00Z"), "1.32");
    assert_eq!(million_in(&m, "2026-12-01T10:00:00Z"), "0.66");
    assert_eq!(million_in(&m, "2026-12-01T23:59:59Z"), "0.66");
    // Saturday 2026-12-05: off-peak all day, peak hours included.
    assert_eq!(million_in(&m, "2026-12-05T02:00:00Z"), "0.66");
    // Friday 23:59 is off-peak, Monday 01:00 peak again.
    assert_eq!(million_in(&m, "2026-12-07T01:00:00Z"), "1.32");
}

#[test]
fn without_a_time_the_list_price_applies_and_a_profile_blends() {
    let m = model(DEEPSEEK);
    assert_eq!(total(&m, 1_000_000, 0), "1.32");
    let period = &m.periods[0];
    // 7 peak hours on each of 5 weekdays: 35 of 168 hours at full price.
    let uniform = TrafficProfile::Uniform.factor(period);
    assert!(
        (uniform - (35.0 + 133.0 * 0.5) / 168.0).abs() < 1e-12,
        "{uniform}"
    );
    assert!((TrafficProfile::WindowShare(1.0).factor(period) - 0.5).abs() < 1e-12);
    assert!((TrafficProfile::WindowShare(0.0).factor(period) - 1.0).abs() < 1e-12);
    let mut hours = [0.0; 24];
    hours[2] = 1.0; // every request at 02:00 UTC
    let weekdays = TrafficProfile::Hourly {
        hours,
        weekend_share: Some(0.0),
    };
    assert!((weekdays.factor(period) - 1.0).abs() < 1e-12);
}

#[test]
fn windows_that_overlap_cross_midnight_or_round_a_price_are_rejected() {
    let overlap = format!("{DEEPSEEK}[[models.prices.windows]]\ndays = [\"mon\"]\nstart = \"00:30\"\nend = \"02:00\"\nmultiplier = 0.5\n");
    assert!(rejected_at(&overlap).contains("overlaps"));
    let wrap = "[[models.prices]]\ninput = 1.0\noutput = 1.0\n[[models.prices.windows]]\ndays = [\"mon\"]\nstart = \"22:00\"\nend = \"02:00\"\nmultiplier = 0.5\n";
    assert!(rejected_at(wrap).contains("at or before it starts"));
    let fine = "[[models.prices]]\ninput = 0.000001\noutput = 1.0\n[[models.prices.windows]]\ndays = [\"mon\"]\nstart = \"02:00\"\nend = \"04:00\"\nmultiplier = 0.5\n";
    assert!(rejected_at(fine).contains("finer than the engine's resolution"));
    let day = "[[models.prices]]\ninput = 1.0\noutput = 1.0\n[[models.prices.windows]]\ndays = [\"monday\"]\nstart = \"02:00\"\nend = \"04:00\"\nmultiplier = 0.5\n";
    assert!(rejected_at(day).contains("unknown day"));
}

const LIFE: &str = "released = 2026-01-10\ndeprecated = 2026-06-01\nretired = 2026-09-01\nlifecycle_source = \"https://example.com/deprecations\"\n[[models.prices]]\ninput = 1.0\noutput = 1.0\n";

fn on(m: &Model, date: Date) -> Result<super::bill::Bill, PriceError> {
    price(m, &Request::default(), date)
}

#[test]
fn a_day_before_release_or_from_retirement_has_no_price() {
    let m = model(LIFE);
    assert!(matches!(
        on(&m, Date::constant(2026, 1, 9)),
        Err(PriceError::NotReleased { .. })
    ));
    assert!(on(&m, Date::constant(2026, 1, 10)).is_ok());
    assert!(on(&m, Date::constant(2026, 8, 31)).is_ok());
    assert!(matches!(
        on(&m, Date::constant(2026, 9, 1)),
        Err(PriceError::Retired { .. })
    ));
    assert!(matches!(
        on(&m, Date::constant(2026, 9, 2)),
        Err(PriceError::Retired { .. })
    ));
}

#[test]
fn from_deprecation_the_bill_carries_its_date() {
    let m = model(LIFE);
    assert_eq!(
        on(&m, Date::constant(2026, 5, 31)).unwrap().deprecated,
        None
    );
    let d = Some(Date::constant(2026, 6, 1));
    assert_eq!(on(&m, Date::constant(2026, 6, 1)).unwrap().deprecated, d);
    assert_eq!(on(&m, Date::constant(2026, 6, 2)).unwrap().deprecated, d);
}

#[test]
fn lifecycle_dates_need_a_source_and_their_order() {
    let no_source = LIFE.replace(
        "lifecycle_source = \"https://example.com/deprecations\"\n",
        "",
    );
    assert!(rejected_at(&no_source).contains("lifecycle_source"));
    let backwards = LIFE.replace("retired = 2026-09-01", "retired = 2026-05-01");
    assert!(rejected_at(&backwards).contains("comes before"));
}

fn option(m: &Model, r: Request) -> Result<String, PriceError> {
    price(m, &r, day()).map(|b| b.total.to_string())
}

#[test]
fn fast_mode_and_regional_uplift_scale_every_price_where_the_sheet_has_them() {
    let m = model("[[models.prices]]\ninput = 4.0\ncache_write = 5.0\ncache_write_1h = 8.0\noutput = 20.0\nfast = 2.0\nregional = 1.1\n");
    let r = Request {
        input: 1_000_000,
        output: 1_000_000,
        ..Request::default()
    };
    assert_eq!(option(&m, r).unwrap(), "24");
    assert_eq!(option(&m, Request { fast: true, ..r }).unwrap(), "48");
    assert_eq!(
        option(
            &m,
            Request {
                regional: true,
                ..r
            }
        )
        .unwrap(),
        "26.4"
    );
    let long = Request {
        cache_write_1h: 1_000_000,
        ..r
    };
    assert_eq!(option(&m, long).unwrap(), "28");
}

#[test]
fn an_option_the_sheet_does_not_price_is_an_error_naming_model_and_option() {
    let m = model("[[models.prices]]\ninput = 2.5\ncache_write = 3.125\noutput = 10.0\n");
    let base = Request {
        input: 1_000,
        output: 10,
        ..Request::default()
    };
    for (r, option) in [
        (Request { fast: true, ..base }, "fast mode"),
        (
            Request {
                regional: true,
                ..base
            },
            "regional",
        ),
        (
            Request {
                cache_write_1h: 500,
                ..base
            },
            "long-retention cache writes",
        ),
    ] {
        let e = option_err(&m, r);
        assert!(e.contains("`m`") && e.contains(option), "{e}");
    }
}

fn option_err(m: &Model, r: Request) -> String {
    option(m, r).expect_err("unsupported").to_string()
}

#[test]
fn amounts_the_engine_cannot_hold_are_errors_at_their_key() {
    let fee = rejected_at("[[models.prices]]\ninput = 1.0\noutput = 1.0\nper_request = 1e30\n");
    assert!(fee.starts_with("models[0].prices[0].per_request"), "{fee}");
    let fine = rejected_at("[[models.prices]]\ninput = 0.0000000001\noutput = 1.0\n");
    assert!(fine.starts_with("models[0].prices[0].input"), "{fine}");
    let huge = rejected_at("[[models.prices]]\ninput = 1.0\noutput = 1e300\n");
    assert!(huge.starts_with("models[0].prices[0].output"), "{huge}");
    let nan = rejected_at("[[models.prices]]\ninput = nan\noutput = 1.0\n");
    assert!(nan.starts_with("models[0].prices[0].input"), "{nan}");
    let inf = rejected_at("[[models.prices]]\ninput = 1.0\noutput = inf\nfast = 2.0\n");
    assert!(inf.starts_with("models[0].prices[0].output"), "{inf}");
}
