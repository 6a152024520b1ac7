//! The README's table of output fields ("Output formats") lists exactly the
//! JSON keys each command emits: summary fields, table names and row keys,
//! over invocations that fill every optional table. A key added to a report
//! without the README, or a documented key that no longer exists, fails.

use std::collections::{BTreeMap, BTreeSet};

use super::{fixture, Cost};

/// `a_{x,y}_b` → `a_x_b`, `a_y_b` (one brace group).
fn expand(token: &str) -> Vec<String> {
    match (token.find('{'), token.find('}')) {
        (Some(open), Some(close)) if open < close => token[open + 1..close]
            .split(',')
            .map(|alt| format!("{}{}{}", &token[..open], alt.trim(), &token[close + 1..]))
            .collect(),
        _ => vec![token.to_string()],
    }
}

/// Command → every key the README's output table names for it.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("| command | JSON summary fields | table key: row fields |")
        .expect("the README has the output-fields table");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in readme[start..].lines().skip(2) {
        if !line.starts_with("| `") {
            break;
        }
        let cells: Vec<&str> = line.split(" | ").collect();
        let command = cells[0].trim_start_matches("| `");
        let command = &command[..command.find('`').unwrap()];
        let keys = out.entry(command.to_string()).or_default();
        for cell in &cells[1..] {
            for (i, token) in cell.split('`').enumerate() {
                // Odd pieces are inside backticks; flags and prose are not keys.
                if i % 2 == 1 && !token.starts_with(['-', '[']) && !token.contains(' ') {
                    keys.extend(expand(token));
                }
            }
        }
    }
    out
}

/// Every key of a JSON report: top-level fields, table names, row keys.
fn keys_of(json: &serde_json::Value, into: &mut BTreeSet<String>) {
    for (key, value) in json.as_object().expect("a JSON report is an object") {
        if ["schema_version", "command", "title", "notes"].contains(&key.as_str()) {
            continue;
        }
        into.insert(key.clone());
        for row in value.as_array().into_iter().flatten() {
            into.extend(
                row.as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone()),
            );
        }
    }
}

fn emitted(runs: &[(Vec<&str>, i32)]) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (args, status) in runs {
        let json = Cost::new()
            .args(args)
            .args(["--format", "json"])
            .status(*status)
            .stderr_any()
            .run()
            .json();
        keys_of(&json, &mut keys);
    }
    keys
}

/// Arguments and the exit status expected.
type Invocation<'a> = (Vec<&'a str>, i32);

/// Files the invocations read, made once per test run.
struct Inputs {
    _dir: tempfile::TempDir,
    text: String,
    bad_log: String,
    daily: String,
    head: String,
    litellm: String,
    generic: String,
    mapping: String,
    small: String,
    latency_log: String,
    bad_timing: String,
    keyword: String,
    router: String,
    gateway_log: String,
    gateway_scenario: String,
}

fn inputs() -> Inputs {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let (text, bad_log, daily) = (path("prompt.txt"), path("bad.jsonl"), path("daily.toml"));
    let bad_timing = path("bad-timing.csv");
    std::fs::write(
        &bad_timing,
        "model,input_tokens,output_tokens,ttft_s,duration_s\ngpt-4o,10,5,2,1\n",
    )
    .unwrap();
    std::fs::write(&text, "Hello world, this is a prompt.\nAnother line.\n").unwrap();
    std::fs::write(
        &bad_log,
        "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n{\"model\":\"gpt-4o-mnii\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\nnot json\n",
    )
    .unwrap();
    let budgeted = std::fs::read_to_string(fixture("scenarios/budgeted.toml")).unwrap();
    std::fs::write(
        &daily,
        budgeted.replace("usd_per_month = 6000", "usd_per_day = 200"),
    )
    .unwrap();
    let keyword = fixture("routing/router-keyword.csv");
    let router = path("router.json");
    Cost::new()
        .args([
            "router",
            "train",
            &keyword,
            "--wide",
            "--query",
            "id",
            "--models",
            "weak,strong",
        ])
        .args([
            "--text", "prompt", "--weak", "weak", "--strong", "strong", "-o", &router,
        ])
        .stderr_any()
        .run();
    Inputs {
        _dir: dir,
        keyword,
        router,
        text,
        bad_log,
        daily,
        head: fixture("scenarios/default-head.toml"),
        litellm: fixture("catalogs/litellm-model-prices-1.110.2.json"),
        generic: fixture("replay/generic.csv"),
        mapping: fixture("replay/generic-mapping.toml"),
        small: fixture("routing/small.csv"),
        latency_log: fixture("replay/latency-litellm.csv"),
        bad_timing,
        gateway_log: fixture("gateway/requests.jsonl"),
        gateway_scenario: fixture("gateway/scenario.toml"),
    }
}

/// Per command, invocations that between them fill every optional table.
#[allow(clippy::too_many_lines)] // a table: one entry per command
fn invocations(p: &Inputs) -> Vec<(&'static str, Vec<Invocation<'_>>)> {
    let (text, bad_log, daily, head) = (&*p.text, &*p.bad_log, &*p.daily, &*p.head);
    let (litellm, generic, mapping, small) = (&*p.litellm, &*p.generic, &*p.mapping, &*p.small);
    let (latency_log, bad_timing) = (&*p.latency_log, &*p.bad_timing);
    let (keyword, router) = (&*p.keyword, &*p.router);
    let at = "2026-11-28";
    vec![
        (
            "compare",
            vec![
                (vec!["compare", "--at", at], 0),
                (vec!["compare", "chat-slo", "--check", "--at", at], 1),
                (vec!["compare", daily, "--at", at], 0),
            ],
        ),
        ("models", vec![(vec!["models", "--at", at], 0)]),
        (
            "breakeven",
            vec![
                (
                    vec!["breakeven", "--deploy", "gpt-oss-120b@h200-fp8", "--at", at],
                    0,
                ),
                (
                    vec![
                        "breakeven",
                        "--deploy",
                        "gpt-oss-120b@h200-fp8",
                        "--vary",
                        "volume=1000..5000:1000",
                        "--at",
                        at,
                    ],
                    0,
                ),
                (
                    vec![
                        "breakeven",
                        "--deploy",
                        "gpt-oss-120b@h200-fp8",
                        "--vary",
                        "basis",
                        "--at",
                        at,
                    ],
                    0,
                ),
            ],
        ),
        (
            "estimate",
            vec![(
                vec![
                    "estimate", "-m", "gpt-4o", "--input", "10", "--output", "1", "--at", at,
                ],
                0,
            )],
        ),
        (
            "route",
            vec![
                (vec!["route", "routing-example", "--at", at], 0),
                (vec!["route", "chat-slo", "--at", at], 0),
            ],
        ),
        (
            "sweep",
            vec![(
                vec![
                    "sweep",
                    "routing-example",
                    "--vary",
                    "auc=0.6..0.9:0.1",
                    "--at",
                    at,
                ],
                0,
            )],
        ),
        (
            "simulate",
            vec![
                (
                    vec!["simulate", "chat-slo", "--trials", "20", "--at", at],
                    0,
                ),
                (
                    vec![
                        "simulate",
                        "chat-slo",
                        "--trials",
                        "20",
                        "--histogram",
                        "day",
                        "--at",
                        at,
                    ],
                    0,
                ),
            ],
        ),
        (
            "frontier",
            vec![(vec!["frontier", "routing-example", "--at", at], 0)],
        ),
        ("scenarios", vec![(vec!["scenarios"], 0)]),
        (
            "sensitivity",
            vec![(
                vec![
                    "sensitivity",
                    "routing-example",
                    "--plan",
                    "perfect-router",
                    "--at",
                    at,
                ],
                0,
            )],
        ),
        (
            "diff",
            vec![(
                vec![
                    "diff",
                    "default",
                    head,
                    "--at",
                    at,
                    "--fail-above-pct",
                    "1000",
                ],
                0,
            )],
        ),
        (
            "validate",
            vec![(vec!["validate", "--max-age", "1d", "--at", "2027-01-31"], 0)],
        ),
        (
            "pricing import",
            vec![(
                vec!["pricing", "import", "--from", "litellm", litellm, "-v"],
                0,
            )],
        ),
        (
            "replay",
            vec![
                (vec!["replay", bad_log, "--skip-bad"], 0),
                (vec!["replay", latency_log], 0),
                (vec!["replay", bad_timing, "--skip-bad"], 0),
                (
                    vec![
                        "replay",
                        generic,
                        "--mapping",
                        mapping,
                        "--scenario",
                        "default",
                        "--plan",
                        "routed",
                        "--class-field",
                        "team",
                        "--class-map",
                        "search=hard,chat=easy",
                    ],
                    0,
                ),
                (
                    vec![
                        "replay",
                        &*p.gateway_log,
                        "--forecast",
                        &*p.gateway_scenario,
                        "--plan",
                        "router",
                    ],
                    0,
                ),
            ],
        ),
        ("tokens", vec![(vec!["tokens", text, "--at", at], 0)]),
        (
            "router eval",
            vec![(
                vec![
                    "router",
                    "eval",
                    router,
                    keyword,
                    "--wide",
                    "--query",
                    "id",
                    "--models",
                    "weak,strong",
                    "--cost-per-query",
                    "weak=0.0001",
                    "--cost-per-query",
                    "strong=0.01",
                    "--category",
                    "batch",
                    "--curves",
                ],
                0,
            )],
        ),
        (
            "eval",
            vec![(
                vec![
                    "eval",
                    small,
                    "--score",
                    "correct",
                    "--cost",
                    "usd",
                    "--router-score",
                    "p_strong",
                    "--category",
                    "category",
                    "--curves",
                ],
                0,
            )],
        ),
    ]
}

#[test]
fn the_readme_lists_exactly_the_keys_each_command_emits() {
    let inputs = inputs();
    let runs = invocations(&inputs);
    let documented = documented();
    let mut problems = Vec::new();
    for (command, invocations) in &runs {
        let Some(doc) = documented.get(*command) else {
            problems.push(format!(
                "`{command}` has no row in the README's output table"
            ));
            continue;
        };
        let got = emitted(invocations);
        let missing: Vec<&String> = got.difference(doc).collect();
        let stale: Vec<&String> = doc.difference(&got).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "`{command}` emits keys the README does not list: {missing:?}"
            ));
        }
        if !stale.is_empty() {
            problems.push(format!(
                "the README lists keys `{command}` does not emit: {stale:?}"
            ));
        }
    }
    let tested: BTreeSet<&str> = runs.iter().map(|(c, _)| *c).collect();
    for command in documented.keys() {
        if !tested.contains(command.as_str()) {
            problems.push(format!(
                "the README documents `{command}`, which this test does not run"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn brace_groups_in_the_readme_expand_to_every_key() {
    assert_eq!(expand("day_{p5,p95}_usd"), ["day_p5_usd", "day_p95_usd"]);
    assert_eq!(expand("plan"), ["plan"]);
    let doc = documented();
    assert!(doc["simulate"].contains("ttft_p99_s"));
    assert!(doc["diff"].contains("quality_head"));
}
