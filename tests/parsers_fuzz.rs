//! Every parser on arbitrary bytes and on structured mutations of a valid
//! file (a flipped byte, a truncation, a duplicated or dropped line): never
//! a panic, and a refusal names the file (issue 13). The proptest
//! equivalent of fuzzing, bounded so the whole file runs in well under a
//! minute in a debug build: price sheets, scenarios, saved reports and
//! catalog imports in process; every replay log shape and the outcome
//! table through the binary (detection and the whole-file paths included).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use cost::pricing::import::CatalogKind;
use cost::pricing::Catalog;
use cost::scenario::load_scenario;
use cost::source::Source;
use proptest::prelude::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap()
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap())
}

/// One structured change to a valid file.
#[derive(Debug, Clone)]
enum Mutation {
    Flip {
        at: prop::sample::Index,
        mask: u8,
    },
    Truncate(prop::sample::Index),
    DuplicateLine(prop::sample::Index),
    DropLine(prop::sample::Index),
    Insert {
        at: prop::sample::Index,
        bytes: Vec<u8>,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1u8..=255)
            .prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        any::<prop::sample::Index>().prop_map(Mutation::DuplicateLine),
        any::<prop::sample::Index>().prop_map(Mutation::DropLine),
        (
            any::<prop::sample::Index>(),
            prop::sample::select(vec![
                b"\"".to_vec(),
                b"-1".to_vec(),
                b"1e400".to_vec(),
                b"\xff\xfe".to_vec(),
                b"\n[[".to_vec(),
                b"{".to_vec(),
                b",".to_vec(),
                b"\\u0000".to_vec(),
                b"NaN".to_vec(),
                b"18446744073709551616".to_vec(),
            ])
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

/// Applies up to three mutations in turn.
fn mutate(valid: &[u8], changes: &[Mutation]) -> Vec<u8> {
    let mut bytes = valid.to_vec();
    for change in changes {
        if bytes.is_empty() {
            break;
        }
        let lines = || -> Vec<(usize, usize)> {
            let mut spans = Vec::new();
            let mut start = 0;
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'\n' {
                    spans.push((start, i + 1));
                    start = i + 1;
                }
            }
            if start < bytes.len() {
                spans.push((start, bytes.len()));
            }
            spans
        };
        match change {
            Mutation::Flip { at, mask } => {
                let i = at.index(bytes.len());
                bytes[i] ^= mask;
            }
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
            Mutation::DuplicateLine(at) => {
                let spans = lines();
                let (s, e) = spans[at.index(spans.len())];
                let line = bytes[s..e].to_vec();
                bytes.splice(e..e, line);
            }
            Mutation::DropLine(at) => {
                let spans = lines();
                let (s, e) = spans[at.index(spans.len())];
                bytes.drain(s..e);
            }
            Mutation::Insert { at, bytes: extra } => {
                let i = at.index(bytes.len() + 1);
                bytes.splice(i..i, extra.iter().copied());
            }
        }
    }
    bytes
}

/// Text as the loaders receive it (a file that is not UTF-8 is refused by
/// `source.rs` before any parser sees it).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn named(name: &str, bytes: &[u8]) -> Source {
    Source {
        name: name.to_string(),
        text: text(bytes),
        path: None,
    }
}

fn names_the_file(err: &impl std::fmt::Display, name: &str) {
    let message = err.to_string();
    assert!(
        message.contains(name),
        "the error does not name `{name}`: {message}"
    );
}

fn check_sheet(bytes: &[u8]) {
    let mut catalog = catalog().clone();
    if let Err(e) = catalog.add(&named("fuzz-sheet.toml", bytes)) {
        names_the_file(&e, "fuzz-sheet.toml");
    }
}

fn check_scenario(bytes: &[u8]) {
    if let Err(e) = load_scenario(&named("fuzz-scenario.toml", bytes), catalog()) {
        names_the_file(&e, "fuzz-scenario.toml");
    }
}

fn check_saved(bytes: &[u8]) {
    if let Err(e) = cost::report::saved::read(&named("fuzz-report.json", bytes)) {
        names_the_file(&e, "fuzz-report.json");
    }
}

fn check_import(kind: CatalogKind, bytes: &[u8]) {
    let date = jiff::civil::Date::constant(2026, 12, 1);
    if let Err(e) = kind.import(&text(bytes), "fuzz-catalog.json", date) {
        names_the_file(&e, "fuzz-catalog.json");
    }
}

/// A saved `cost compare` report, made once by the binary.
fn saved_report() -> &'static [u8] {
    static REPORT: OnceLock<Vec<u8>> = OnceLock::new();
    REPORT.get_or_init(|| {
        let out = Command::new(env!("CARGO_BIN_EXE_cost"))
            .arg("compare")
            .arg(root().join("tests/fixtures/scenarios/budgeted.toml"))
            .args(["--at", "2026-12-01", "--format", "json", "-q"])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    })
}

/// Runs the binary on `bytes` written to a file named like `file`: exit 0
/// or 2, never a panic or an abort, and a refusal names the file.
fn check_cli(file: &str, bytes: &[u8], args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join(file);
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cost"))
        .args(&args[..1])
        .arg(&path)
        .args(&args[1..])
        .stdin(Stdio::null())
        .env_remove("COST_FORMAT")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => {}
        Some(2) => assert!(
            stderr.contains(file),
            "`cost {}` on a mutated {file}: the error does not name the file:\n{stderr}",
            args[0]
        ),
        other => panic!(
            "`cost {}` on a mutated {file} exited {other:?}:\n{stderr}",
            args[0]
        ),
    }
}

const LOGS: &[&str] = &[
    "chat.jsonl",
    "responses.jsonl",
    "legacy.jsonl",
    "anthropic.jsonl",
    "claude-code.jsonl",
    "gemini.jsonl",
    "otel-spans.jsonl",
    "cohere.jsonl",
    "gateway.jsonl",
    "litellm.csv",
    "latency-generic.csv",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn price_sheets_never_panic(changes in prop::collection::vec(mutation(), 1..4), noise in prop::collection::vec(any::<u8>(), 0..200)) {
        check_sheet(&mutate(&read("pricing/openai.toml"), &changes));
        check_sheet(&noise);
    }

    #[test]
    fn scenarios_never_panic(changes in prop::collection::vec(mutation(), 1..4), noise in prop::collection::vec(any::<u8>(), 0..200)) {
        check_scenario(&mutate(&read("scenarios/chat-slo.toml"), &changes));
        check_scenario(&mutate(&read("scenarios/routing-example.toml"), &changes));
        check_scenario(&noise);
    }

    #[test]
    fn saved_reports_never_panic(changes in prop::collection::vec(mutation(), 1..4), noise in prop::collection::vec(any::<u8>(), 0..200)) {
        check_saved(&mutate(saved_report(), &changes));
        check_saved(&noise);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn catalog_imports_never_panic(changes in prop::collection::vec(mutation(), 1..4), noise in prop::collection::vec(any::<u8>(), 0..200)) {
        check_import(CatalogKind::Litellm, &mutate(&read("tests/fixtures/catalogs/litellm-subset.json"), &changes));
        check_import(CatalogKind::GenaiPrices, &mutate(&read("tests/fixtures/catalogs/genai-prices-subset.json"), &changes));
        check_import(CatalogKind::Litellm, &noise);
        check_import(CatalogKind::GenaiPrices, &noise);
    }
}

proptest! {
    // Each case runs the binary once per log shape: a few cases go a long way.
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_log_shape_never_panics(changes in prop::collection::vec(mutation(), 1..4)) {
        for log in LOGS {
            let bytes = mutate(&read(&format!("tests/fixtures/replay/{log}")), &changes);
            check_cli(log, &bytes, &["replay", "--skip-bad"]);
            check_cli(log, &bytes, &["replay"]);
        }
        // The generic shape, read through its column mapping.
        let bytes = mutate(&read("tests/fixtures/replay/generic.csv"), &changes);
        let mapping = ["replay", "--mapping", "tests/fixtures/replay/generic-mapping.toml"];
        check_cli("generic.csv", &bytes, &mapping);
        check_cli("generic.csv", &bytes, &[&mapping[..], &["--skip-bad"]].concat());
    }

    #[test]
    fn arbitrary_bytes_as_a_log_never_panic(noise in prop::collection::vec(any::<u8>(), 0..300)) {
        check_cli("noise.jsonl", &noise, &["replay"]);
        check_cli("noise.csv", &noise, &["replay"]);
    }

    #[test]
    fn outcome_tables_never_panic(changes in prop::collection::vec(mutation(), 1..4), noise in prop::collection::vec(any::<u8>(), 0..300)) {
        let args = ["eval", "--score", "correct", "--cost", "usd"];
        check_cli("outcomes.csv", &mutate(&read("tests/fixtures/routing/small.csv"), &changes), &args);
        check_cli("noise.csv", &noise, &args);
    }
}
