//! The JSON Schemas in `docs/schema/` are generated from the report model
//! (`cost::views::shape`, rendered by `cost::report::schema`), and the real
//! binary's `--format json` output of every command validates against them.
//!
//! `cargo test --test schema` fails when a shipped schema differs from what
//! the code generates; `UPDATE_SCHEMA=1 cargo test --test schema` rewrites
//! `docs/schema/*.json` (and removes schemas of commands that are gone).
//!
//! The runs below fill every optional field and table a schema declares
//! (checked), so a schema can neither miss a key the output has
//! (`additionalProperties: false`) nor list one no run produces.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use cost::report::schema;
use cost::report::shape::Shape;
use cost::views::shape::{shape, shapes};

const AT: &str = "2026-12-01";

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema")
}

/// A path for a run's arguments (leaked: the runs are built once).
fn leak(path: &Path) -> &'static str {
    Box::leak(path.to_str().unwrap().to_string().into_boxed_str())
}

fn fixture(path: &str) -> &'static str {
    leak(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
}

#[test]
fn the_shipped_schemas_are_what_the_report_model_generates() {
    let dir = schema_dir();
    let update = std::env::var_os("UPDATE_SCHEMA").is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    let mut expected = BTreeSet::new();
    for s in shapes() {
        let name = s.file_name();
        let path = dir.join(&name);
        let generated = schema::render(&s);
        expected.insert(name.clone());
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &generated).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.as_str()) {
            problems.push(format!("docs/schema/{name} is missing or stale"));
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if Path::new(&name).extension().is_some_and(|e| e == "json") && !expected.contains(&name) {
            if update {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                problems.push(format!("docs/schema/{name} is for no command"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n  regenerate with `UPDATE_SCHEMA=1 cargo test --test schema`",
        problems.join("\n")
    );
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema() {
    for s in shapes() {
        let doc = schema::schema(&s);
        assert!(jsonschema::meta::is_valid(&doc), "{}", s.file_name());
        assert_eq!(
            doc["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

/// Runs `cost ARGS --format json` and returns its stdout as JSON.
fn run(args: &[&str], status: i32) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cost"))
        .args(args)
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COST_PRICING")
        .env_remove("COST_FORMAT")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(status),
        "cost {}: {stderr}",
        args.join(" ")
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("cost {}: not JSON: {e}", args.join(" ")))
}

/// Every error of `doc` against the schema of `command`.
fn errors(command: &str, doc: &Value) -> Vec<String> {
    let s = shape(command).unwrap_or_else(|| panic!("no shape for `{command}`"));
    let validator = jsonschema::draft202012::new(&schema::schema(&s)).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Files the runs read, made once.
struct Inputs {
    dir: tempfile::TempDir,
}

impl Inputs {
    fn new() -> Inputs {
        let dir = tempfile::tempdir().unwrap();
        let inputs = Inputs { dir };
        std::fs::write(
            inputs.path("prompt.txt"),
            "Hello world, this is a prompt.\nAnother line.\n",
        )
        .unwrap();
        std::fs::write(
            inputs.path("bad.jsonl"),
            "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n{\"model\":\"gpt-4o-mnii\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\nnot json\n",
        )
        .unwrap();
        std::fs::write(
            inputs.path("bad-timing.csv"),
            "model,input_tokens,output_tokens,ttft_s,duration_s\ngpt-4o,10,5,2,1\n",
        )
        .unwrap();
        let budgeted = std::fs::read_to_string(fixture("scenarios/budgeted.toml")).unwrap();
        std::fs::write(
            inputs.path("daily.toml"),
            budgeted.replace("usd_per_month = 6000", "usd_per_day = 200"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_cost"))
            .args(["router", "train", fixture("routing/router-keyword.csv")])
            .args([
                "--wide",
                "--query",
                "id",
                "--models",
                "weak,strong",
                "--text",
                "prompt",
            ])
            .args(["--weak", "weak", "--strong", "strong", "-o"])
            .arg(inputs.path("router.json"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        inputs
    }

    fn path(&self, name: &str) -> &'static str {
        leak(&self.dir.path().join(name))
    }
}

/// Per run: the arguments and the exit status expected. Between them the
/// runs of a command fill every optional field and table of its shape.
#[allow(clippy::too_many_lines)] // a table: the runs of every command
fn runs(p: &Inputs) -> Vec<(Vec<String>, i32)> {
    let (router, keyword) = (p.path("router.json"), fixture("routing/router-keyword.csv"));

    let list: Vec<(Vec<&str>, i32)> = vec![
        (vec!["compare", "--at", AT], 0),
        (vec!["compare", "chat-slo", "--check", "--at", AT], 1),
        (vec!["compare", p.path("daily.toml"), "--at", AT], 0),
        (
            vec!["compare", fixture("scenarios/budgeted.toml"), "--at", AT],
            0,
        ),
        (vec!["models", "--at", AT], 0),
        (
            vec![
                "estimate", "-m", "gpt-4o", "--input", "10", "--output", "1", "--at", AT,
            ],
            0,
        ),
        (vec!["route", "routing-example", "--at", AT], 0),
        (vec!["route", "chat-slo", "--at", AT], 0),
        (
            vec![
                "sweep",
                "routing-example",
                "--vary",
                "auc=0.6..0.9:0.1",
                "--at",
                AT,
            ],
            0,
        ),
        (
            vec!["simulate", "chat-slo", "--trials", "20", "--at", AT],
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
                AT,
            ],
            0,
        ),
        (vec!["frontier", "routing-example", "--at", AT], 0),
        (vec!["scenarios"], 0),
        (
            vec![
                "diff",
                "default",
                fixture("scenarios/default-head.toml"),
                "--at",
                AT,
            ],
            0,
        ),
        (
            vec![
                "diff",
                "default",
                fixture("scenarios/default-head.toml"),
                "--at",
                AT,
                "--fail-above-pct",
                "1000",
            ],
            0,
        ),
        (vec!["validate", "--max-age", "1d", "--at", "2027-01-31"], 0),
        (
            vec![
                "pricing",
                "import",
                "--from",
                "litellm",
                fixture("catalogs/litellm-model-prices-1.110.2.json"),
            ],
            0,
        ),
        (
            vec![
                "pricing",
                "import",
                "--from",
                "litellm",
                fixture("catalogs/litellm-model-prices-1.110.2.json"),
                "-v",
            ],
            0,
        ),
        (
            vec!["replay", p.path("bad.jsonl"), "--skip-bad", "--at", AT],
            0,
        ),
        (vec!["replay", fixture("replay/latency-litellm.csv")], 0),
        (
            vec!["replay", p.path("bad-timing.csv"), "--skip-bad", "--at", AT],
            0,
        ),
        (
            vec![
                "replay",
                fixture("replay/generic.csv"),
                "--mapping",
                fixture("replay/generic-mapping.toml"),
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
        (vec!["tokens", p.path("prompt.txt"), "--at", AT], 0),
        (
            vec![
                "eval",
                fixture("routing/small.csv"),
                "--score",
                "correct",
                "--cost",
                "usd",
            ],
            0,
        ),
        (
            vec![
                "eval",
                fixture("routing/small.csv"),
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
        ),
        (
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
        ),
    ];
    list.into_iter()
        .map(|(args, status)| (args.into_iter().map(String::from).collect(), status))
        .collect()
}

/// Every top-level key and `table.column` key of a report.
fn keys(doc: &Value, into: &mut BTreeSet<String>) {
    for (key, value) in doc.as_object().unwrap() {
        into.insert(key.clone());
        for row in value.as_array().into_iter().flatten() {
            for column in row.as_object().into_iter().flatten().map(|(k, _)| k) {
                into.insert(format!("{key}.{column}"));
            }
        }
    }
}

/// Every key a shape declares, as `keys` names them (not the columns
/// named at run time, which it cannot list).
fn declared(s: &Shape) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = ["schema_version", "command", "title", "notes"]
        .into_iter()
        .map(String::from)
        .collect();
    out.extend(s.fields.iter().map(|f| f.key.to_string()));
    for t in &s.tables {
        out.insert(t.name.to_string());
        out.extend(
            t.columns
                .iter()
                .map(|(c, _)| format!("{}.{}", t.name, c.key)),
        );
    }
    out
}

#[test]
fn real_output_of_every_command_validates_against_its_schema() {
    let inputs = Inputs::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::default();
    for (args, status) in runs(&inputs) {
        let doc = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), status);
        let command = doc["command"].as_str().unwrap_or_default().to_string();
        for e in errors(&command, &doc) {
            problems.push(format!("cost {}: {e}", args.join(" ")));
        }
        keys(&doc, seen.entry(command).or_default());
    }
    for s in shapes() {
        let Some(got) = seen.get(s.command) else {
            problems.push(format!("`{}` is never run here", s.command));
            continue;
        };
        // A column is looked for only in tables some run gave rows.
        let with_rows: BTreeSet<&str> = got
            .iter()
            .filter_map(|k| k.split_once('.').map(|(table, _)| table))
            .collect();
        let want = declared(&s);
        let unseen: Vec<&String> = want
            .difference(got)
            .filter(|k| k.split_once('.').is_none_or(|(t, _)| with_rows.contains(t)))
            .collect();
        if !unseen.is_empty() {
            problems.push(format!("`{}`: no run produces {unseen:?}", s.command));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What a mutation breaks, and the mutation.
type Mutation = (&'static str, Box<dyn Fn(&mut Value)>);

#[test]
fn a_mutated_report_fails_validation() {
    let doc = run(&["compare", "chat-slo", "--check", "--at", AT], 1);
    assert_eq!(errors("compare", &doc), Vec::<String>::new());
    let mutations: Vec<Mutation> = vec![
        (
            "money as a string",
            Box::new(|d| d["plans"][0]["cost_per_month_usd"] = json!("12.5")),
        ),
        (
            "slo_met as text",
            Box::new(|d| d["plans"][0]["slo_met"] = json!("yes")),
        ),
        (
            "a required field gone",
            Box::new(|d| {
                d.as_object_mut().unwrap().remove("scenario");
            }),
        ),
        (
            "a required column gone",
            Box::new(|d| {
                d["plans"][0].as_object_mut().unwrap().remove("plan");
            }),
        ),
        (
            "an unknown row key",
            Box::new(|d| d["plans"][0]["cost_pct"] = json!(3)),
        ),
        ("an unknown field", Box::new(|d| d["total"] = json!(1))),
        (
            "another schema version",
            Box::new(|d| d["schema_version"] = json!(1)),
        ),
        (
            "a note that is not text",
            Box::new(|d| d["notes"][0] = json!(7)),
        ),
    ];
    for (what, mutate) in mutations {
        let mut bad = doc.clone();
        mutate(&mut bad);
        assert!(
            !errors("compare", &bad).is_empty(),
            "{what} passed validation"
        );
    }
    assert!(
        !errors("route", &doc).is_empty(),
        "a compare report passed as a route report"
    );
}
