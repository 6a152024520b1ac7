//! Resource limits and hostile input (issue 13): count flags have a range,
//! huge or escape-laden input never reaches the terminal as is, CSV cells
//! never start a formula.

use std::time::{Duration, Instant};

use crate::Cost;

#[test]
fn count_flags_out_of_range_are_usage_errors_not_panics() {
    let cases: &[&[&str]] = &[
        &["simulate", "default", "--trials", "18446744073709551615"],
        &["simulate", "default", "--trials", "1e11"],
        &["simulate", "default", "--trials", "0"],
        &["simulate", "default", "--trials", "10001"],
        &["simulate", "default", "--bins", "1e8"],
        &["simulate", "default", "--bins", "1001"],
        &["simulate", "default", "--bins", "0"],
        &[
            "compare",
            "default",
            "--bands",
            "--trials",
            "18446744073709551615",
        ],
        &["route", "default", "--bands", "--trials", "10001"],
        &["replay", "-", "--threads", "0"],
        &["replay", "-", "--threads", "1025"],
    ];
    for args in cases {
        let flag = args[args.len() - 2];
        Cost::new()
            .args(*args)
            .status(2)
            .stderr_contains(format!(
                "invalid value '{}' for '{flag}",
                args[args.len() - 1]
            ))
            .run();
    }
}

#[test]
fn count_flags_at_their_bounds_are_accepted() {
    Cost::new()
        .args(["simulate", "default", "--trials", "1", "--bins", "1000"])
        .args(["--histogram", "day", "--format", "csv"])
        .stdout_contains("bin_low_usd")
        .stderr_only_notes()
        .run();
}

#[test]
fn count_flag_ranges_are_in_the_help() {
    Cost::new()
        .args(["simulate", "--help"])
        .stdout_contains("1 to 10000")
        .stdout_contains("Histogram bins, 1 to 1000")
        .run();
    Cost::new()
        .args(["replay", "--help"])
        .stdout_contains("1 to 1024")
        .run();
}

#[test]
fn a_huge_unknown_model_id_is_quick_and_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let id = "x".repeat(10_000_000);
    std::fs::write(
        &path,
        format!(
            "name = \"huge\"\n[volume]\nrequests_per_day = 1\n[[classes]]\nname = \"a\"\n\
             share = 1.0\nprompt = 1\noutput = 1\n[[plans]]\nname = \"p\"\nmodel = \"{id}\"\n"
        ),
    )
    .unwrap();
    let start = Instant::now();
    let out = Cost::new()
        .arg("compare")
        .arg(&path)
        .status(2)
        .stderr_contains("unknown model")
        .stderr_contains("more bytes)")
        .run();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert!(
        out.stderr.len() < 4000,
        "stderr is {} bytes",
        out.stderr.len()
    );
}

#[test]
fn escape_sequences_in_a_log_never_reach_the_terminal() {
    let log = "{\"model\":\"gpt-4o\\u001b]0;pwned\\u0007\\u001b[2J\",\
               \"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n";
    let out = Cost::new()
        .args(["replay", "-"])
        .stdin(log)
        .stdout_contains("gpt-4o\\u{1b}]0;pwned\\u{7}")
        .stderr_contains("warning: 1 requests on unknown models")
        .run();
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'));
    assert!(!out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{7}'));
    let out = Cost::new()
        .args(["replay", "-", "--format", "markdown"])
        .stdin(log)
        .stderr_any()
        .run();
    assert!(!out.stdout.contains('\u{1b}'));
}

#[test]
fn escape_sequences_in_an_error_never_reach_the_terminal() {
    let out = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt\u{1b}[31m\u{9b}x",
            "--input",
            "1",
            "--output",
            "1",
        ])
        .status(2)
        .stderr_contains("gpt\\u{1b}[31m\\u{9b}x")
        .run();
    assert!(!out.stderr.contains('\u{1b}') && !out.stderr.contains('\u{9b}'));
}

#[test]
fn csv_cells_that_a_spreadsheet_would_evaluate_are_neutralised() {
    for model in ["\\n=1+1", "   =1+1", "\\u0000=1+1", "＝1+1"] {
        let log = format!(
            "{{\"model\":\"{model}\",\"usage\":{{\"prompt_tokens\":1,\"completion_tokens\":1}}}}\n"
        );
        let out = Cost::new()
            .args(["replay", "-", "--format", "csv"])
            .stdin(log)
            .stderr_any()
            .run();
        let row = out.stdout.lines().nth(1).unwrap_or_default().to_string();
        assert!(
            row.starts_with("\"'") || row.starts_with('\''),
            "{model}: {row:?}"
        );
    }
}

fn scenario_in(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("s.toml");
    std::fs::copy(crate::fixture("scenarios/budgeted.toml"), &path).unwrap();
    path
}

#[test]
fn an_output_path_that_is_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario_in(dir.path());
    let before = std::fs::read(&s).unwrap();
    // Spelt differently, the same file.
    let other = dir.path().join(".").join("s.toml");
    Cost::new()
        .arg("compare")
        .arg(&s)
        .arg("-o")
        .arg(&other)
        .status(2)
        .stderr_contains("is one of this command's inputs")
        .run();
    assert_eq!(std::fs::read(&s).unwrap(), before, "the input is untouched");
}

#[cfg(unix)]
#[test]
fn output_keeps_an_existing_mode_and_writes_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let s = scenario_in(dir.path());
    let report = dir.path().join("report.txt");
    std::fs::write(&report, "old").unwrap();
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&report, &link).unwrap();
    Cost::new()
        .arg("compare")
        .arg(&s)
        .arg("-o")
        .arg(&link)
        .run();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let meta = std::fs::metadata(&report).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .contains("cost compare"));
    let dangling = dir.path().join("dangling.txt");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    Cost::new()
        .arg("compare")
        .arg(&s)
        .arg("-o")
        .arg(&dangling)
        .status(2)
        .stderr_contains("symlink to a missing file")
        .run();
}

#[test]
fn a_chart_is_not_written_when_the_report_cannot_be() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario_in(dir.path());
    let svg = dir.path().join("bill.svg");
    Cost::new()
        .args(["simulate", "--trials", "2"])
        .arg(&s)
        .arg("--plot")
        .arg(&svg)
        .arg("-o")
        .arg(dir.path().join("missing-folder").join("r.txt"))
        .status(2)
        .stderr_contains("cannot create a file in")
        .run();
    assert!(!svg.exists(), "no chart without its report");
}

/// A one-class scenario whose prompt is `prompt` (TOML).
fn scenario_with_prompt(dir: &std::path::Path, prompt: &str) -> std::path::PathBuf {
    let path = dir.join("dist.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"d\"\n[volume]\nrequests_per_day = 10\n[[classes]]\nname = \"a\"\n\
             share = 1.0\nprompt = {prompt}\noutput = 1\n[[plans]]\nname = \"p\"\nmodel = \"gpt-4o\"\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn absurd_distribution_parameters_are_refused_at_load() {
    let dir = tempfile::tempdir().unwrap();
    for prompt in [
        "{ dist = \"lognormal\", mu = 1, sigma = 1e18 }",
        "{ dist = \"normal\", mean = 1e300, sd = 1 }",
        "{ dist = \"uniform\", min = 0, max = 1e300 }",
    ] {
        let s = scenario_with_prompt(dir.path(), prompt);
        Cost::new()
            .arg("compare")
            .arg(&s)
            .status(2)
            .stderr_contains("classes[0].prompt")
            .stderr_contains("above the most allowed")
            .run();
    }
}

#[test]
fn a_blend_mix_that_overflows_is_refused() {
    Cost::new()
        .args(["models", "--mix", "1e308:1e308"])
        .status(2)
        .stderr_contains("invalid value '1e308:1e308' for '--mix")
        .run();
}

#[test]
fn empirical_files_are_regular_bounded_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "SECRET_TOKEN=hunter2";
    std::fs::write(dir.path().join("env.txt"), format!("{secret}\n")).unwrap();
    let s = scenario_with_prompt(dir.path(), "{ dist = \"empirical\", file = \"env.txt\" }");
    let out = Cost::new()
        .arg("compare")
        .arg(&s)
        .status(2)
        .stderr_contains("env.txt:1: not a token count")
        .run();
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);

    // Relative to the scenario's folder, not the working directory.
    std::fs::write(dir.path().join("ok.txt"), "100\n200\n").unwrap();
    let s = scenario_with_prompt(dir.path(), "{ dist = \"empirical\", file = \"ok.txt\" }");
    Cost::new().arg("compare").arg(&s).stderr_any().run();

    let s = scenario_with_prompt(dir.path(), "{ dist = \"empirical\", file = \"/dev/zero\" }");
    Cost::new()
        .arg("compare")
        .arg(&s)
        .status(2)
        .stderr_contains("/dev/zero is not a regular file")
        .run();
    let s = scenario_with_prompt(dir.path(), "{ dist = \"empirical\", file = \".\" }");
    Cost::new()
        .arg("compare")
        .arg(&s)
        .status(2)
        .stderr_contains("is not a regular file")
        .run();

    let big = std::fs::File::create(dir.path().join("big.txt")).unwrap();
    big.set_len(16 * 1024 * 1024 + 1).unwrap();
    let s = scenario_with_prompt(dir.path(), "{ dist = \"empirical\", file = \"big.txt\" }");
    Cost::new()
        .arg("compare")
        .arg(&s)
        .status(2)
        .stderr_contains("is larger than 16777216 bytes")
        .run();
}
