//! `cost pricing import`: the full shipped catalogs (copied into
//! `tests/fixtures/catalogs/`, see ATTRIBUTION.md) import into sheets that
//! load with `--pricing`, and the imported prices match the source to the
//! last digit.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use cost::pricing::{genai_prices, litellm, Catalog};
use cost::source::{toml_files, Source};
use jiff::civil::Date;

use super::{fixture, Cost};

const DAY: Date = Date::constant(2026, 11, 28);

/// Imports a catalog once per test run into a temporary folder.
fn imported(from: &str, file: &str) -> &'static Path {
    static LITELLM: OnceLock<tempfile::TempDir> = OnceLock::new();
    static GENAI: OnceLock<tempfile::TempDir> = OnceLock::new();
    let cell = if from == "litellm" { &LITELLM } else { &GENAI };
    cell.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        Cost::new()
            .args([
                "pricing",
                "import",
                "--from",
                from,
                &fixture(file),
                "--verified",
                "2026-11-28",
                "--out-dir",
            ])
            .arg(dir.path())
            .run();
        dir
    })
    .path()
}

fn litellm_dir() -> &'static Path {
    imported("litellm", "catalogs/litellm-model-prices-1.110.2.json")
}

fn genai_dir() -> &'static Path {
    imported("genai-prices", "catalogs/genai-prices-v2-data.json")
}

fn load(dir: &Path) -> Catalog {
    let sources: Vec<Source> = toml_files(&[dir.to_path_buf()])
        .unwrap()
        .iter()
        .map(|p| Source::read(p).unwrap())
        .collect();
    Catalog::from_sources(&sources).expect("imported sheets load")
}

fn source_json(file: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(file)).unwrap()).unwrap()
}

#[test]
fn every_imported_litellm_price_matches_the_source_to_the_last_digit() {
    let catalog = load(litellm_dir());
    let json = source_json("catalogs/litellm-model-prices-1.110.2.json");
    assert!(catalog.models().len() > 3_000, "{}", catalog.models().len());
    let mut problems = Vec::new();
    for model in catalog.models() {
        let entry = json[model.litellm.as_deref().unwrap()].as_object().unwrap();
        problems.extend(litellm::differences(model, entry, DAY));
    }
    assert!(
        problems.is_empty(),
        "{:#?}",
        &problems[..problems.len().min(10)]
    );
    // Well-known models, by hand: USD per 1M tokens as LiteLLM states them per token.
    for (id, input, output) in [
        ("gpt-4o", 2.5, 10.0),
        ("claude-haiku-4-5", 1.0, 5.0),
        ("gemini/gemini-2.5-pro", 1.25, 10.0),
        ("deepseek/deepseek-chat", 0.28, 0.42),
    ] {
        let m = catalog.get(id).unwrap_or_else(|| panic!("{id} imported"));
        let p = m.period_at(Some(DAY)).unwrap();
        assert_eq!(p.base.input.usd_per_million(), input, "{id}");
        assert_eq!(p.base.output.usd_per_million(), output, "{id}");
    }
    let pro = catalog
        .get("gemini/gemini-2.5-pro")
        .unwrap()
        .period_at(Some(DAY))
        .unwrap();
    assert_eq!(pro.long_context[0].above, 200_000);
    assert_eq!(pro.long_context[0].rates.output.usd_per_million(), 15.0);
    assert!(pro.batch.is_some() && pro.flex.is_some() && pro.priority.is_some());
}

#[test]
fn imported_prices_bill_exactly_like_the_hand_examples() {
    let dir = litellm_dir().to_str().unwrap();
    let json = Cost::new()
        .args([
            "estimate",
            "-m",
            "gemini/gemini-2.5-pro",
            "--input",
            "200001",
            "--output",
            "1000",
            "--at",
            "2026-11-28",
            "--pricing",
            dir,
        ])
        .run_json();
    assert_eq!(json["total_usd"], serde_json::json!(0.515_002_5));
    let json = Cost::new()
        .args([
            "estimate",
            "-m",
            "gpt-4o",
            "--input",
            "12000",
            "--cache-read",
            "4000",
            "--output",
            "800",
            "--pricing",
            dir,
        ])
        .run_json();
    assert_eq!(json["total_usd"], serde_json::json!(0.033));
}

#[test]
fn every_imported_genai_price_matches_the_source_including_dated_changes() {
    let catalog = load(genai_dir());
    let data = source_json("catalogs/genai-prices-v2-data.json");
    assert!(catalog.models().len() > 1_000, "{}", catalog.models().len());
    for day in [Date::constant(2025, 6, 9), Date::constant(2025, 6, 10), DAY] {
        for model in catalog.models() {
            let diffs = genai_prices::differences(model, &data, day);
            assert!(diffs.is_empty(), "{day}: {diffs:#?}");
        }
    }
    let o3 = catalog.get("openai/o3").unwrap();
    let input = |d| o3.period_at(Some(d)).unwrap().base.input.usd_per_million();
    assert_eq!(input(Date::constant(2025, 6, 9)), 10.0);
    assert_eq!(input(Date::constant(2025, 6, 10)), 2.0);
}

#[test]
fn the_full_catalog_loads_with_pricing_dir_and_is_fast() {
    let start = Instant::now();
    let out = Cost::new()
        .args([
            "models",
            "--format",
            "csv",
            "-q",
            "--pricing",
            litellm_dir().to_str().unwrap(),
            "--pricing",
            genai_dir().to_str().unwrap(),
        ])
        .run()
        .stdout;
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(out.lines().count() > 4_000, "{}", out.lines().count());
    // An imported id that a built-in model lists as an alias takes the name over.
    let json = Cost::new()
        .args([
            "models",
            "deepseek-flash",
            "--pricing",
            litellm_dir().to_str().unwrap(),
        ])
        .run_json();
    assert!(json["models"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "deepseek-flash"));
}

#[test]
fn the_report_counts_what_could_not_be_mapped() {
    let json = Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("catalogs/litellm-model-prices-1.110.2.json"),
            "-v",
        ])
        .run_json();
    let entries = json["entries"].as_u64().unwrap();
    let imported = json["imported"].as_u64().unwrap();
    let skipped = json["skipped"].as_u64().unwrap();
    assert_eq!(entries, imported + skipped);
    let reasons = json["skipped_reasons"].as_array().unwrap();
    let total: u64 = reasons.iter().map(|r| r["entries"].as_u64().unwrap()).sum();
    assert_eq!(total, skipped);
    assert!(reasons
        .iter()
        .any(|r| r["reason"] == "not a text-generation model"));
    assert_eq!(
        json["skipped"].as_u64(),
        Some(json["skipped"].as_u64().unwrap())
    );
    assert!(json["dropped_prices"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["key"] == "search_context_cost_per_query"));
    assert!(json["out_dir"].is_null(), "no -o: nothing written");
}

#[test]
fn a_file_that_is_not_the_claimed_catalog_is_an_input_error() {
    let err = Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "genai-prices",
            &fixture("catalogs/litellm-subset.json"),
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("not genai-prices data"), "{err}");
    assert!(err.contains("--from litellm"), "{err}");
    let err = Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("catalogs/genai-prices-subset.json"),
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("not LiteLLM model price data"), "{err}");
    let err = Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("scenarios/bad-shares.toml"),
        ])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("invalid JSON"), "{err}");
}

fn import_into(dir: &Path) -> super::harness::Output {
    Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("catalogs/litellm-subset.json"),
            "--verified",
            "2026-11-28",
            "-q",
            "--out-dir",
        ])
        .arg(dir)
        .run()
}

#[test]
fn an_import_that_fails_leaves_the_old_folder_untouched() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("imported");
    import_into(&dir);
    let before: Vec<(String, Vec<u8>)> = sheets_in(&dir);
    assert_eq!(before.len(), 9, "one sheet per provider");
    // A sheet that cannot be written (a symlink to nothing) among the nine:
    // nothing may change, not even the sheets staged before it.
    std::fs::remove_file(dir.join("litellm-xai.toml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.path().join("missing"), dir.join("litellm-xai.toml")).unwrap();
    let openai = dir.join("litellm-openai.toml");
    std::fs::write(&openai, "# an earlier import\n").unwrap();
    let err = Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("catalogs/litellm-subset.json"),
            "--out-dir",
        ])
        .arg(&dir)
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("litellm-xai.toml"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&openai).unwrap(),
        "# an earlier import\n"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 9, "no temporary file left behind: {names:?}");
}

#[test]
fn an_import_replaces_its_own_stale_sheets_and_keeps_other_files() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("imported");
    import_into(&dir);
    let header = std::fs::read_to_string(dir.join("litellm-openai.toml")).unwrap();
    let first_line = header.lines().next().unwrap();
    // A provider an earlier import had and this one has not, a sheet of
    // the other catalog, and the user's own sheet.
    std::fs::write(dir.join("litellm-gone.toml"), format!("{first_line}\n")).unwrap();
    std::fs::write(
        dir.join("genai-prices-openai.toml"),
        "# Imported by `cost pricing import` from genai-prices data (x) on 2026-11-28.\n",
    )
    .unwrap();
    std::fs::write(dir.join("litellm-mine.toml"), "# my own prices\n").unwrap();
    import_into(&dir);
    assert!(
        !dir.join("litellm-gone.toml").exists(),
        "stale sheet removed"
    );
    assert!(dir.join("genai-prices-openai.toml").exists());
    assert!(dir.join("litellm-mine.toml").exists());
    assert_eq!(sheets_in(&dir).len(), 11);
    // A new folder appears whole: no staging folder is left beside it.
    let siblings: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, ["imported"]);
}

#[test]
fn dash_o_is_the_report_file_and_a_folder_there_points_to_out_dir() {
    let root = tempfile::tempdir().unwrap();
    let err = Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("catalogs/litellm-subset.json"),
            "-o",
        ])
        .arg(root.path())
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("is a folder, but -o names the file"), "{err}");
    assert!(err.contains("--out-dir"), "{err}");
    let report = root.path().join("import.json");
    let dir = root.path().join("sheets");
    Cost::new()
        .args([
            "pricing",
            "import",
            "--from",
            "litellm",
            &fixture("catalogs/litellm-subset.json"),
            "--format",
            "json",
            "-q",
            "-o",
        ])
        .arg(&report)
        .arg("--out-dir")
        .arg(&dir)
        .stdout_empty()
        .run();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["out_dir"], dir.to_str().unwrap());
    assert_eq!(sheets_in(&dir).len(), 9);
}

fn sheets_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    out.sort();
    out
}
