//! Negative numbers on the command line (issue 13): a value that may be
//! negative (a score range) is taken as a value, not a flag; a count or an
//! amount that may not be negative says so in words instead of
//! "unexpected argument".

use crate::{fixture, Cost};

#[test]
fn a_negative_score_range_is_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.csv");
    std::fs::write(
        &path,
        "query,model,score,usd\nq1,weak,-1,0.001\nq1,strong,1,0.01\n\
         q2,weak,0.5,0.001\nq2,strong,1,0.01\n",
    )
    .unwrap();
    for range in [["--score-range", "-1..1"], ["--score-range=-1..1", ""]] {
        let args: Vec<&str> = range.iter().copied().filter(|a| !a.is_empty()).collect();
        let json = Cost::new()
            .arg("eval")
            .arg(&path)
            .args(["--cost", "usd"])
            .args(args)
            .stderr_any()
            .run_json();
        assert_eq!(json["score_range"], "-1..1", "{json}");
    }
}

#[test]
fn router_train_takes_a_negative_score_range_as_a_value_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("signed.csv");
    std::fs::write(&path, "query,model,score\nq1,weak,-1\nq1,strong,1\n").unwrap();
    // The range is read, so the error is the table's (no text column), not
    // clap's "unexpected argument '-1'".
    let out = Cost::new()
        .args(["router", "train"])
        .arg(&path)
        .args(["--text", "prompt", "--weak", "weak", "--strong", "strong"])
        .args(["--score-range", "-1..1"])
        .status(2)
        .stderr_contains("prompt")
        .run();
    assert!(
        !out.stderr.contains("unexpected argument"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_score_range_too_wide_to_tell_scores_apart_is_refused() {
    let path = fixture("routing/small.csv");
    for range in ["-1e308..1e308", "0..1e300", "1e16..1e16"] {
        Cost::new()
            .args(["eval", &path, "--score", "correct", "--cost", "usd"])
            .arg(format!("--score-range={range}"))
            .status(2)
            .stderr_contains(format!("invalid value '{range}' for '--score-range"))
            .run();
    }
    Cost::new()
        .args(["eval", &path, "--score", "correct", "--cost", "usd"])
        .args(["--score-range", "1..0"])
        .status(2)
        .stderr_contains("with LO < HI")
        .run();
}

#[test]
fn negative_counts_and_amounts_say_they_must_not_be_negative() {
    let cases: &[&[&str]] = &[
        &[
            "estimate", "-m", "gpt-4o", "--input", "1", "--output", "-10",
        ],
        &["estimate", "-m", "gpt-4o", "--output", "1", "--input", "-1"],
        &["tokens", "-", "--output", "-10"],
        &["models", "--max-price", "-1"],
        &["models", "--min-context", "-5"],
        &["compare", "default", "--prefill-tps", "-100"],
    ];
    for args in cases {
        let (flag, value) = (args[args.len() - 2], args[args.len() - 1]);
        Cost::new()
            .args(*args)
            .stdin("")
            .status(2)
            .stderr_contains(format!("invalid value '{value}' for '{flag}"))
            .stderr_contains("must not be negative")
            .run();
    }
}
