//! The terminal table fits the width it is given (`COLUMNS`): snapshots of
//! the widest reports at 80 and 120 columns, every line checked against
//! the width, and `--wide` and `--table` beside them.

use super::{fixture, Cost};

/// Display width of a line (the tables use box-drawing characters and
/// arrows, one column each).
fn width(line: &str) -> usize {
    line.chars().count()
}

/// The table `args` print at `columns`, checked to fit.
#[track_caller]
fn table_at(args: &[&str], columns: usize) -> String {
    let out = Cost::new()
        .args(args)
        .args(["--at", "2026-12-01"])
        .env("COLUMNS", columns.to_string())
        .run()
        .stdout;
    for line in out.lines() {
        assert!(
            width(line) <= columns,
            "a line of `cost {}` is {} wide at COLUMNS={columns}:\n{line}",
            args.join(" "),
            width(line)
        );
    }
    out
}

macro_rules! snapshots {
    ($($name:ident: [$($arg:expr),*];)*) => {$(
        #[test]
        fn $name() {
            let args: Vec<String> = vec![$($arg.to_string()),*];
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            for columns in [80, 120] {
                insta::assert_snapshot!(
                    format!("{}_{columns}", stringify!($name)),
                    table_at(&args, columns)
                );
            }
        }
    )*};
}

snapshots! {
    compare_default: ["compare"];
    compare_chat_slo: ["compare", "chat-slo"];
    route_routing_example: ["route", "routing-example"];
    simulate_chat_slo: ["simulate", "chat-slo"];
    replay_litellm: ["replay", fixture("replay/litellm.csv")];
}

#[test]
fn wide_shows_every_column() {
    let compact = table_at(&["route", "routing-example"], 120);
    // Every column may not fit: --wide wraps what it can, and says nothing hidden.
    let wide = Cost::new()
        .args(["route", "routing-example", "--at", "2026-12-01", "--wide"])
        .env("COLUMNS", "120")
        .run()
        .stdout;
    for header in ["meant", "wasted", "b/e"] {
        assert!(wide.contains(header), "--wide shows `{header}`:\n{wide}");
    }
    assert!(!compact.contains("meant"), "{compact}");
    assert!(!wide.contains("more column"), "{wide}");
}

#[test]
fn piped_tables_default_to_120_columns() {
    let out = Cost::new()
        .args(["route", "routing-example", "--at", "2026-12-01"])
        .run()
        .stdout;
    let widest = out.lines().map(width).max().unwrap_or(0);
    assert!((100..=120).contains(&widest), "widest line {widest}");
}

#[test]
fn columns_zero_means_no_limit() {
    let out = Cost::new()
        .args(["route", "routing-example", "--at", "2026-12-01", "--wide"])
        .env("COLUMNS", "0")
        .run()
        .stdout;
    assert!(out.lines().map(width).max().unwrap_or(0) > 200, "{out}");
}

#[test]
fn long_routes_move_under_the_table_as_numbered_notes() {
    let out = table_at(&["route", "routing-example"], 80);
    assert!(out.contains("[1]"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with('[') && l.contains("classifier (TPR 0.90, FPR 0.10)")),
        "{out}"
    );
}

#[test]
fn csv_and_json_keep_every_column_and_the_full_routes() {
    let csv = Cost::new()
        .args([
            "route",
            "routing-example",
            "--format",
            "csv",
            "--table",
            "plans",
        ])
        .env("COLUMNS", "80")
        .stderr_only_notes()
        .run()
        .stdout;
    let header = csv.lines().next().unwrap_or_default();
    for key in [
        "breakeven_router_cost_usd",
        "random_router_per_month_usd",
        "model_shares",
    ] {
        assert!(header.contains(key), "{header}");
    }
    assert!(csv.contains("classifier (TPR 0.90, FPR 0.10): easy → gpt-4o-mini"));
}

#[test]
fn route_csv_reaches_the_plan_summary_with_table() {
    let plans = Cost::new()
        .args([
            "route",
            "routing-example",
            "--format",
            "csv",
            "--table",
            "plans",
        ])
        .stderr_only_notes()
        .run()
        .stdout;
    assert!(plans.starts_with("plan,routes,"), "{plans}");
    assert!(plans.contains("savings_share"), "{plans}");
    let default = Cost::new()
        .args(["route", "routing-example", "--format", "csv"])
        .stderr_only_notes()
        .run()
        .stdout;
    assert!(
        default.starts_with("plan,class,"),
        "the main table is the first: {default}"
    );
}

#[test]
fn a_json_only_table_is_reachable_in_csv() {
    let classes = Cost::new()
        .args(["compare", "--format", "csv", "--table", "classes"])
        .stderr_only_notes()
        .run()
        .stdout;
    assert!(
        classes.starts_with("plan,declared,class,share,model,"),
        "{classes}"
    );
}

#[test]
fn an_unknown_table_lists_the_tables() {
    Cost::new()
        .args([
            "route",
            "routing-example",
            "--format",
            "csv",
            "--table",
            "plan",
        ])
        .status(2)
        .stderr_contains("error: `cost route` has no table `plan`")
        .stderr_contains("did you mean `plans`?")
        .stderr_contains("its tables are: classes, plans")
        .run();
}

#[test]
fn json_carries_every_table_whatever_table_says() {
    let json = Cost::new()
        .args(["route", "routing-example", "--table", "plans"])
        .run_json();
    assert!(json["classes"].is_array() && json["plans"].is_array());
}

#[test]
fn version_names_the_price_data_verified_date() {
    let out = Cost::new().arg("--version").run().stdout;
    assert!(
        out.starts_with(&format!(
            "cost {} (prices verified 20",
            env!("CARGO_PKG_VERSION")
        )),
        "{out}"
    );
}

/// Significant digits of a number as written (`0.0012` has 2).
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // Trailing zeros are not counted (`622087495400.0` has 10).
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Every (key, number) in a JSON report whose key is not money.
fn plain_numbers(value: &serde_json::Value, key: &str, out: &mut Vec<(String, String)>) {
    match value {
        serde_json::Value::Number(n) if !key.contains("usd") => {
            out.push((key.to_string(), n.to_string()));
        }
        serde_json::Value::Array(items) => {
            for v in items {
                plain_numbers(v, key, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                plain_numbers(v, k, out);
            }
        }
        _ => {}
    }
}

const RUNS: [&[&str]; 5] = [
    &["compare"],
    &["route", "routing-example"],
    &["simulate", "chat-slo"],
    &["sweep", "routing-example", "--vary", "auc=0.5..1:0.05"],
    &["frontier", "routing-example"],
];

#[test]
fn no_plain_number_in_json_or_csv_has_float_noise() {
    for args in RUNS {
        let json = Cost::new().args(args).run_json();
        let mut numbers = Vec::new();
        plain_numbers(&json, "", &mut numbers);
        assert!(!numbers.is_empty());
        for (key, n) in numbers {
            assert!(
                significant_digits(&n) <= 10,
                "`cost {}`: {key} = {n}",
                args.join(" ")
            );
        }
        let csv = Cost::new()
            .args(args)
            .args(["--format", "csv"])
            .stderr_only_notes()
            .run()
            .stdout;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        for row in reader.records() {
            for (key, cell) in headers.iter().zip(row.unwrap().iter()) {
                if !key.contains("usd") && cell.parse::<f64>().is_ok() {
                    assert!(significant_digits(cell) <= 10, "{key} = {cell}");
                }
            }
        }
    }
}

#[test]
fn booleans_are_booleans_in_json_and_csv() {
    let json = Cost::new().args(["compare", "chat-slo"]).run_json();
    let plans = json["plans"].as_array().unwrap();
    assert!(plans
        .iter()
        .all(|p| p["slo_met"].is_boolean() && p["baseline"].is_boolean()));
    let csv = Cost::new()
        .args(["simulate", "chat-slo", "--format", "csv"])
        .stderr_only_notes()
        .run()
        .stdout;
    let last = csv.lines().nth(1).unwrap_or_default();
    assert!(last.ends_with(",true") || last.ends_with(",false"), "{csv}");
}
