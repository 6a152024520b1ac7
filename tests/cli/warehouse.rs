//! `cost export prices` and `cost export sql`, and the conformance suite
//! that runs the generated SQL on DuckDB and Spark against `cost replay`
//! (tests/warehouse/*.py). The python comes from `COST_PYTHON` or
//! `.venv/bin/python` (`.ci/run` makes one with `duckdb`, `pyspark` and
//! `sqlglot`); without it these tests say SKIPPED loudly, and fail when
//! `COST_CI_REQUIRE=1` says the packages must be there.

use std::path::PathBuf;
use std::process::Command;

use crate::Cost;

fn python(modules: &str) -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("COST_PYTHON").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        Command::new(p)
            .args(["-c", &format!("import {modules}")])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The python with `modules`, or `None` after a loud SKIPPED (a failure
/// under `COST_CI_REQUIRE=1`).
fn python_or_skip(test: &str, modules: &str) -> Option<PathBuf> {
    let found = python(modules);
    if found.is_none() {
        let msg = format!("SKIPPED: {test}: no python with `{modules}` (set COST_PYTHON or make .venv; .ci/run does)");
        assert!(
            std::env::var("COST_CI_REQUIRE").as_deref() != Ok("1"),
            "{msg}, and COST_CI_REQUIRE=1 requires them"
        );
        eprintln!("{msg}");
    }
    found
}

fn script(name: &str) -> String {
    format!("{}/tests/warehouse/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run_script(py: &PathBuf, args: &[&str]) -> serde_json::Value {
    let out = Command::new(py).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} failed:\n{stdout}\n{}",
        args[0],
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn export_prices_writes_exact_decimal_prices_per_component() {
    let out = Cost::new().args(["export", "prices"]).run();
    let text = out.stdout;
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("model_id,provider,effective_from,effective_to,"));
    // gpt-4o's standard input price: $2.50 per 1M tokens, per token.
    assert!(
        text.lines().any(|l| l.starts_with("gpt-4o,")
            && l.contains(",standard,true,,,,,,,,input,token,0.0000025,")),
        "no gpt-4o input row"
    );
    // Every row names a component the engine bills.
    let components = [
        "input",
        "cache_read",
        "cache_write",
        "cache_write_1h",
        "output",
        "reasoning",
        "per_request",
    ];
    assert!(text
        .lines()
        .skip(1)
        .all(|l| components.iter().any(|c| l.contains(&format!(",{c},")))));
}

#[test]
fn export_prices_aliases_and_parquet() {
    Cost::new()
        .args(["export", "prices", "--table", "aliases"])
        .stdout_contains("alias,model_id\n")
        .run();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prices.parquet");
    Cost::new()
        .args(["export", "prices", "-o"])
        .arg(&path)
        .stdout_empty()
        .run();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
}

#[test]
fn export_prices_refuses_a_format_it_does_not_write() {
    Cost::new()
        .args(["export", "prices", "--format", "json"])
        .status(2)
        .stderr_contains("error: --format json: `cost export prices` writes CSV")
        .run();
    Cost::new()
        .args(["export", "prices", "--table", "price"])
        .status(2)
        .stderr_contains("did you mean `prices`?")
        .run();
}

#[test]
fn export_sql_writes_the_three_views_for_each_dialect() {
    for dialect in ["duckdb", "spark", "clickhouse", "bigquery", "snowflake"] {
        Cost::new()
            .args(["export", "sql", "--dialect", dialect])
            .stdout_contains("cost_priced AS")
            .stdout_contains("cost_daily AS")
            .stdout_contains("cost_unpriced AS")
            .run();
    }
    Cost::new()
        .args([
            "export",
            "sql",
            "--dialect",
            "duckdb",
            "--usage-table",
            "x; DROP TABLE y",
        ])
        .status(2)
        .stderr_contains("not a table name")
        .run();
}

#[test]
fn the_untested_dialects_parse() {
    let Some(py) = python_or_skip("the_untested_dialects_parse", "sqlglot") else {
        return;
    };
    for (dialect, shape) in ["clickhouse", "bigquery", "snowflake", "duckdb", "spark"]
        .into_iter()
        .flat_map(|d| SHAPES.map(|s| (d, s)))
    {
        let out = Cost::new()
            .args(["export", "sql", "--dialect", dialect, "--log-shape", shape])
            .run();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.sql");
        std::fs::write(&path, &out.stdout).unwrap();
        let check = format!(
            "import sqlglot,sys; s=open(sys.argv[1]).read(); t=sqlglot.parse(s, read='{dialect}', error_level=sqlglot.ErrorLevel.RAISE); print(len([x for x in t if x is not None]))"
        );
        let res = Command::new(&py)
            .args(["-c", &check])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "sqlglot does not parse the {dialect} SQL of the {shape} shape: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&res.stdout).trim(),
            "3",
            "{dialect} {shape}"
        );
    }
}

const SHAPES: [&str; 5] = ["generic", "openai", "anthropic", "litellm", "otel"];

/// LiteLLM spend logs and flattened OTel spans, priced on DuckDB as `cost
/// replay` prices the same log (a CSV spend log; OTLP JSON lines).
#[test]
fn duckdb_prices_litellm_and_otel_logs_as_cost_replay_does() {
    let Some(py) = python_or_skip(
        "duckdb_prices_litellm_and_otel_logs_as_cost_replay_does",
        "duckdb",
    ) else {
        return;
    };
    let cost = assert_cmd::cargo::cargo_bin("cost");
    for shape in ["litellm", "otel"] {
        let dir = tempfile::tempdir().unwrap();
        let report = run_script(
            &py,
            &[
                &script("conformance.py"),
                "--cost",
                cost.to_str().unwrap(),
                "--rows",
                "200000",
                "--workdir",
                dir.path().to_str().unwrap(),
                "--engines",
                "duckdb",
                "--shape",
                shape,
            ],
        );
        assert_eq!(report["duckdb_row_differences"], 0, "{report}");
        assert_eq!(report["duckdb_model_day_differences"], 0, "{report}");
        assert_eq!(report["duckdb_unpriced_rows"], 0, "{report}");
        let requests = report["requests"].as_u64().unwrap();
        // Some rows are not requests (LiteLLM's cache hits, agent spans).
        assert!(requests > 150_000 && requests < 200_000, "{report}");
        assert_eq!(report["duckdb_rows"], requests, "{report}");
        assert!(
            report["duckdb_model_days"].as_u64().unwrap() > 100,
            "{report}"
        );
        eprintln!("conformance ({shape}): {report}");
    }
}

/// Rows of the conformance run: `COST_CONFORMANCE_ROWS`, else 1M.
fn conformance_rows() -> String {
    std::env::var("COST_CONFORMANCE_ROWS").unwrap_or_else(|_| "1000000".to_string())
}

#[test]
fn duckdb_and_spark_price_every_row_as_cost_replay_does() {
    let Some(py) = python_or_skip(
        "duckdb_and_spark_price_every_row_as_cost_replay_does",
        "duckdb, pyspark",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cost = assert_cmd::cargo::cargo_bin("cost");
    let rows = conformance_rows();
    let report = run_script(
        &py,
        &[
            &script("conformance.py"),
            "--cost",
            cost.to_str().unwrap(),
            "--rows",
            &rows,
            "--workdir",
            dir.path().to_str().unwrap(),
        ],
    );
    for engine in ["duckdb", "spark"] {
        assert_eq!(report[format!("{engine}_row_differences")], 0, "{report}");
        assert_eq!(
            report[format!("{engine}_model_day_differences")],
            0,
            "{report}"
        );
        assert_eq!(report[format!("{engine}_unpriced_rows")], 0, "{report}");
        assert_eq!(
            report[format!("{engine}_rows")].to_string(),
            rows,
            "{report}"
        );
    }
    assert!(
        report["duckdb_model_days"].as_u64().unwrap() > 100,
        "{report}"
    );
    eprintln!("conformance: {report}");
}

#[test]
fn bad_input_gets_the_same_classes_of_error_in_sql_as_in_the_cli() {
    let Some(py) = python_or_skip(
        "bad_input_gets_the_same_classes_of_error_in_sql_as_in_the_cli",
        "duckdb, pyspark",
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cost = assert_cmd::cargo::cargo_bin("cost");
    let report = run_script(
        &py,
        &[
            &script("bad_input.py"),
            "--cost",
            cost.to_str().unwrap(),
            "--workdir",
            dir.path().to_str().unwrap(),
        ],
    );
    assert_eq!(report["failures"], serde_json::json!([]), "{report}");
}
