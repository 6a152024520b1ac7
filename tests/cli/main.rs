//! Runs the real `cost` binary and checks stdout, stderr and exit codes.
//! One integration-test binary; a module per subcommand.

mod compare;
mod diff;
mod errors;
mod estimate;
mod eval;
mod frontier;
mod import;
mod models;
mod replay;
mod route;
mod scenarios;
mod simulate;
mod sweep;
mod tokens;
mod validate;

use assert_cmd::Command;

/// The binary, isolated from the caller's environment and working directory.
pub fn cost() -> Command {
    let mut cmd = Command::cargo_bin("cost").expect("the cost binary is built");
    cmd.env_remove("COST_PRICING")
        .env_remove("COST_FORMAT")
        .env("NO_COLOR", "1")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// A fixture path relative to the crate root.
pub fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cost` with `args`, expecting success, and returns stdout.
pub fn stdout_of(args: &[&str]) -> String {
    let out = cost().args(args).output().expect("cost runs");
    assert!(
        out.status.success(),
        "cost {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs `cost` expecting exit code 2, and returns stderr.
pub fn input_error(args: &[&str]) -> String {
    let out = cost().args(args).output().expect("cost runs");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
    assert_eq!(
        out.status.code(),
        Some(2),
        "cost {args:?}: expected exit 2, stderr: {stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing on stdout for an error");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    stderr
}

pub fn json_of(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout_of(&all)).expect("valid JSON")
}
