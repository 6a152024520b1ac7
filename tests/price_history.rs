//! The shipped price history, lifecycle dates, threshold rules and request
//! options, each on its exact day: the day before, the day itself and the day
//! after a change; each edge of a time-of-day window; the boundary token of
//! every long-context tier; each unsupported option.

use cost::pricing::bill::{lifecycle, price, price_at, PriceError, Request};
use cost::pricing::{Catalog, Model, ServiceTier};
use jiff::civil::Date;

fn catalog() -> Catalog {
    Catalog::from_sources(&Catalog::builtin_sources()).expect("shipped sheets load")
}

fn d(text: &str) -> Date {
    text.parse().unwrap()
}

fn million(input: u64, cache_read: u64, output: u64) -> Request {
    Request {
        input,
        cache_read,
        output,
        ..Request::default()
    }
}

fn total(m: &Model, r: &Request, date: &str) -> String {
    price(m, r, d(date))
        .unwrap_or_else(|e| panic!("{} on {date}: {e}", m.id))
        .total
        .to_string()
}

/// (model, request, [(date, expected total)])
fn check(cat: &Catalog, id: &str, r: Request, cases: &[(&str, &str)]) {
    let m = cat.get(id).unwrap_or_else(|| panic!("{id} is shipped"));
    for (date, want) in cases {
        assert_eq!(total(m, &r, date), *want, "{id} on {date}");
    }
}

#[test]
fn each_price_change_applies_from_its_day() {
    let cat = catalog();
    let input = million(1_000_000, 0, 0);
    let short = million(100_000, 0, 100_000);
    check(
        &cat,
        "deepseek-v4-pro",
        input,
        &[
            ("2026-08-15", "0.435"),
            ("2026-08-16", "1.32"),
            ("2026-08-17", "1.32"),
        ],
    );
    check(
        &cat,
        "deepseek-v4-flash",
        input,
        &[
            ("2026-08-15", "0.14"),
            ("2026-08-16", "0.44"),
            ("2026-08-17", "0.44"),
            ("2026-09-09", "0.44"),
            ("2026-09-10", "0.3"),
            ("2026-09-11", "0.3"),
        ],
    );
    for id in ["gemini-3.6-flash", "gemini-3.7-flash", "gemini-3.8-flash"] {
        check(
            &cat,
            id,
            input,
            &[
                ("2026-12-31", "0.75"),
                ("2027-01-01", "1.5"),
                ("2027-01-02", "1.5"),
            ],
        );
        check(
            &cat,
            id,
            million(1_000_000, 1_000_000, 0),
            &[("2026-12-31", "0.075"), ("2027-01-01", "0.15")],
        );
    }
    check(
        &cat,
        "gpt-5.6-sol",
        short,
        &[
            ("2026-08-20", "3.5"),
            ("2026-08-21", "2.4"),
            ("2026-08-22", "2.4"),
        ],
    );
    check(
        &cat,
        "claude-sonnet-5-5",
        million(1_000_000, 1_000_000, 0),
        &[
            ("2026-10-06", "0.2"),
            ("2026-10-07", "0.1"),
            ("2026-10-08", "0.1"),
        ],
    );
    check(
        &cat,
        "gemini-4-argon",
        input,
        &[
            ("2026-11-30", "2"),
            ("2026-12-01", "4"),
            ("2026-12-02", "4"),
        ],
    );
}

#[test]
fn earlier_periods_offer_the_tiers_of_their_family() {
    let cat = catalog();
    for (id, date, tier, want) in [
        ("o3", "2025-05-01", ServiceTier::Batch, "0.5"),
        ("o3", "2025-05-01", ServiceTier::Flex, "0.5"),
        ("gpt-5.6-terra", "2026-07-29", ServiceTier::Batch, "0.125"),
        ("gpt-5.6-luna", "2026-07-29", ServiceTier::Priority, "0.2"),
        ("claude-opus-4-6", "2026-03-12", ServiceTier::Batch, "0.25"),
        (
            "claude-sonnet-4-6",
            "2026-03-12",
            ServiceTier::Batch,
            "0.15",
        ),
    ] {
        let r = Request {
            tier,
            ..million(100_000, 0, 0)
        };
        assert_eq!(
            total(cat.get(id).unwrap(), &r, date),
            want,
            "{id} {tier:?} on {date}"
        );
    }
}

fn at(m: &Model, time: &str) -> String {
    price_at(m, &million(1_000_000, 0, 0), time.parse().unwrap())
        .unwrap()
        .total
        .to_string()
}

#[test]
fn deepseek_bills_each_request_by_its_minute() {
    let cat = catalog();
    let m = cat.get("deepseek-v4-pro").unwrap();
    // Tuesday 2026-12-01, each edge of the peak hours.
    for (time, want) in [
        ("2026-12-01T00:59:59Z", "0.66"),
        ("2026-12-01T01:00:00Z", "1.32"),
        ("2026-12-01T03:59:59Z", "1.32"),
        ("2026-12-01T04:00:00Z", "0.66"),
        ("2026-12-01T05:59:59Z", "0.66"),
        ("2026-12-01T06:00:00Z", "1.32"),
        ("2026-12-01T09:59:59Z", "1.32"),
        ("2026-12-01T10:00:00Z", "0.66"),
        ("2026-12-01T23:59:59Z", "0.66"),
        // Weekend all day since 2026-08-23; before it, weekends kept peak hours.
        ("2026-12-05T02:00:00Z", "0.66"),
        ("2026-12-06T23:59:59Z", "0.66"),
        ("2026-12-07T01:00:00Z", "1.32"),
        ("2026-08-22T02:00:00Z", "1.32"),
        ("2026-08-23T02:00:00Z", "0.66"),
        // Before 2026-08-16: the flat price at any hour.
        ("2026-08-15T02:00:00Z", "0.435"),
        ("2026-08-15T12:00:00Z", "0.435"),
        ("2026-08-16T12:00:00Z", "0.66"),
    ] {
        assert_eq!(at(m, time), want, "{time}");
    }
}

fn outcome(m: &Model, date: &str) -> Result<Option<Date>, PriceError> {
    lifecycle(m, d(date))
}

#[test]
fn lifecycle_dates_refuse_or_warn_on_their_day() {
    let cat = catalog();
    for (id, last_ok, retired) in [
        ("deepseek-chat", "2026-07-23", "2026-07-24"),
        ("deepseek-reasoner", "2026-07-23", "2026-07-24"),
        ("claude-opus-4-1", "2026-08-04", "2026-08-05"),
        ("o4-mini", "2026-10-22", "2026-10-23"),
        ("gemini-2.5-pro", "2026-11-30", "2026-12-01"),
        ("gemini-2.5-flash", "2026-11-30", "2026-12-01"),
        ("o3", "2026-12-10", "2026-12-11"),
        ("gpt-4o", "2027-01-13", "2027-01-14"),
        ("claude-opus-4-5", "2027-01-21", "2027-01-22"),
    ] {
        let m = cat.get(id).unwrap();
        assert!(outcome(m, last_ok).is_ok(), "{id} on {last_ok}");
        assert!(
            matches!(outcome(m, retired), Err(PriceError::Retired { .. })),
            "{id} on {retired}"
        );
        let after = d(retired).tomorrow().unwrap().to_string();
        assert!(
            matches!(outcome(m, &after), Err(PriceError::Retired { .. })),
            "{id} on {after}"
        );
    }
    for (id, before, released) in [
        ("deepseek-v4-pro", "2026-04-23", "2026-04-24"),
        ("gemini-3.8-flash", "2026-09-01", "2026-09-02"),
        ("gpt-6.2-sol", "2026-11-16", "2026-11-17"),
        ("claude-haiku-5-5", "2026-10-06", "2026-10-07"),
    ] {
        let m = cat.get(id).unwrap();
        assert!(
            matches!(outcome(m, before), Err(PriceError::NotReleased { .. })),
            "{id} on {before}"
        );
        assert!(outcome(m, released).is_ok(), "{id} on {released}");
    }
    for (id, before, deprecated) in [
        ("claude-opus-4-5", "2026-11-22", "2026-11-23"),
        ("claude-sonnet-4-5", "2026-11-29", "2026-11-30"),
    ] {
        let m = cat.get(id).unwrap();
        assert_eq!(outcome(m, before).unwrap(), None, "{id} on {before}");
        assert_eq!(
            outcome(m, deprecated).unwrap(),
            Some(d(deprecated)),
            "{id} on {deprecated}"
        );
        let after = d(deprecated).tomorrow().unwrap().to_string();
        assert_eq!(
            outcome(m, &after).unwrap(),
            Some(d(deprecated)),
            "{id} on {after}"
        );
    }
}

#[test]
fn every_long_context_tier_is_judged_on_its_boundary_token() {
    let cat = catalog();
    let mut checked = 0;
    for m in cat.models() {
        for p in &m.periods {
            let date = p
                .from
                .or_else(|| p.to.and_then(|t| t.yesterday().ok()))
                .unwrap_or(d("2026-11-28"));
            if lifecycle(m, date).is_err() {
                continue;
            }
            for t in &p.long_context {
                let (rule, n) = t.stated();
                let below = if t.inclusive { n - 1 } else { n };
                let bill = |prompt: u64| price(m, &million(prompt, 0, 0), date).unwrap();
                let lower = p
                    .long_context
                    .iter()
                    .map(|u| u.above)
                    .filter(|a| *a < below)
                    .max();
                assert_eq!(
                    bill(below).long_context,
                    lower,
                    "{} {rule} {n}: {below} tokens stay below the tier",
                    m.id
                );
                let first = below + 1;
                assert_eq!(
                    bill(first).long_context,
                    Some(t.above),
                    "{} {rule} {n}: {first} tokens move to the tier",
                    m.id
                );
                if m.provider == "xai" {
                    assert!(
                        t.inclusive,
                        "{}: xAI bills long context once the prompt reaches it",
                        m.id
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked} tiers checked");
}

#[test]
fn request_options_are_priced_or_refused_by_name() {
    let cat = catalog();
    let base = million(100_000, 0, 100_000);
    let opus = cat.get("claude-opus-5-5").unwrap();
    assert_eq!(total(opus, &base, "2026-12-01"), "2.4");
    assert_eq!(
        total(opus, &Request { fast: true, ..base }, "2026-12-01"),
        "4.8"
    );
    assert_eq!(
        total(
            opus,
            &Request {
                regional: true,
                ..base
            },
            "2026-12-01"
        ),
        "2.64"
    );
    let sol = cat.get("gpt-5.6-sol").unwrap();
    let write = |part: fn(&mut Request)| {
        let mut r = million(100_000, 0, 0);
        part(&mut r);
        total(sol, &r, "2026-12-01")
    };
    assert_eq!(write(|r| r.cache_write = 100_000), "0.5");
    assert_eq!(
        write(|r| r.cache_write_1h = 100_000),
        "1",
        "12-hour write at 2x the short one"
    );
    for (id, r, option) in [
        ("gpt-4o", Request { fast: true, ..base }, "fast mode"),
        (
            "deepseek-v4-pro",
            Request {
                regional: true,
                ..base
            },
            "regional",
        ),
        (
            "gpt-4o",
            Request {
                cache_write_1h: 1_000,
                ..base
            },
            "long-retention cache writes",
        ),
        (
            "claude-sonnet-5-5",
            Request { fast: true, ..base },
            "fast mode",
        ),
    ] {
        let e = price(cat.get(id).unwrap(), &r, d("2026-12-01")).expect_err("unsupported");
        let text = e.to_string();
        assert!(text.contains(id) && text.contains(option), "{text}");
    }
}
