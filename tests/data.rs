//! Every shipped price sheet and scenario loads, validates and agrees with
//! the public catalogs it was checked against (LiteLLM 1.110.2 and
//! genai-prices 47df840, see `tests/fixtures/catalogs/ATTRIBUTION.md`).

use std::collections::BTreeSet;
use std::path::Path;

use cost::engine::compare::compare;
use cost::engine::latency::LatencyAssumptions;
use cost::engine::Context;
use cost::pricing::{litellm, Catalog, ServiceTier};
use cost::scenario::{builtin, builtin_names, load_scenario};
use cost::source::Source;
use jiff::civil::Date;

const CHECKED_ON: Date = Date::constant(2026, 11, 28);

fn catalog() -> Catalog {
    Catalog::from_sources(&Catalog::builtin_sources()).expect("shipped sheets load")
}

fn files_in(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            Path::new(n)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        })
        .collect()
}

#[test]
fn every_sheet_on_disk_is_embedded_and_loads() {
    let embedded: BTreeSet<String> = Catalog::builtin_sources()
        .iter()
        .map(|s| s.name.trim_start_matches("<built-in>/pricing/").to_string())
        .collect();
    let figures: BTreeSet<String> = files_in("pricing/figures")
        .into_iter()
        .map(|n| format!("figures/{n}"))
        .collect();
    let on_disk: BTreeSet<String> = files_in("pricing").union(&figures).cloned().collect();
    assert_eq!(embedded, on_disk);
    for name in files_in("pricing") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("pricing")
            .join(&name);
        let source = Source::read(&path).unwrap();
        cost::pricing::load::load_sheet(&source).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Every number in a figures file appears in the source text it was read
/// from (`quote`), as written or converted from milliseconds.
#[test]
fn every_shipped_figure_is_in_its_quote() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("pricing/figures");
    let mut checked = 0;
    for name in files_in("pricing/figures") {
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let table: toml::Table = text.parse().unwrap();
        for kind in ["latency", "quality"] {
            let Some(entries) = table.get(kind).and_then(|v| v.as_array()) else {
                continue;
            };
            for (i, e) in entries.iter().enumerate() {
                let Some(quote) = e.get("quote").and_then(|q| q.as_str()) else {
                    continue;
                };
                for key in [
                    "ttft_s",
                    "ttft_answer_s",
                    "output_tps",
                    "prefill_tps",
                    "value",
                ] {
                    let Some(v) = e
                        .get(key)
                        .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                    else {
                        continue;
                    };
                    let written = [v, v * 1000.0]
                        .iter()
                        .flat_map(|x| {
                            [
                                format!("{x}"),
                                format!("{x:.1}"),
                                format!("{x:.2}"),
                                format!("{}", x.round()),
                            ]
                        })
                        .any(|t| quote.contains(&t));
                    assert!(
                        written,
                        "{name} {kind}[{i}].{key} = {v} is not in its quote: {quote}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked} figures checked");
}

#[test]
fn the_figures_cover_the_lineup() {
    let catalog = catalog();
    let with = |f: &dyn Fn(&cost::pricing::Model) -> bool| {
        catalog.models().iter().filter(|m| f(m)).count()
    };
    let ttft = with(&|m| m.latency.iter().any(|l| l.ttft_s.is_some()));
    let speed = with(&|m| m.latency.iter().any(|l| l.output_tps.is_some()));
    let quality = with(&|m| !m.quality.is_empty());
    assert!(
        ttft >= 40 && speed >= 40 && quality >= 40,
        "ttft {ttft}, speed {speed}, quality {quality}"
    );
    let providers: BTreeSet<&str> = catalog
        .models()
        .iter()
        .filter(|m| m.latency.iter().any(|l| l.ttft_s.is_some()))
        .map(|m| m.provider.as_str())
        .collect();
    assert!(providers.len() >= 8, "{providers:?}");
    for id in [
        "claude-haiku-5-5",
        "claude-sonnet-5-5",
        "claude-opus-5-5",
        "gpt-6-luna",
        "gpt-6-sol",
        "gemini-3.5-flash-lite",
        "gemini-3.1-pro-preview",
    ] {
        let m = catalog.get(id).unwrap();
        assert!(
            m.latency
                .iter()
                .any(|l| l.ttft_s.is_some() && l.output_tps.is_some()),
            "{id} has latency"
        );
        assert!(!m.quality.is_empty(), "{id} has a quality score");
    }
}

#[test]
fn catalog_covers_the_current_lineup_with_provenance() {
    let catalog = catalog();
    assert!(
        catalog.models().len() >= 40,
        "{} models",
        catalog.models().len()
    );
    for id in [
        "gpt-6-sol",
        "gpt-6-luna",
        "gpt-5.5",
        "gpt-5.4-mini",
        "gpt-4o",
        "gpt-4o-mini",
        "o3",
        "o4-mini",
        "claude-opus-5-5",
        "claude-sonnet-5-5",
        "claude-haiku-5-5",
        "claude-opus-4-5",
        "claude-sonnet-4-5",
        "claude-haiku-4-5",
        "gemini-3.1-pro-preview",
        "gemini-3.5-flash",
        "gemini-3.5-flash-lite",
        "gemini-2.5-pro",
        "gemini-2.5-flash",
        "gemini-2.5-flash-lite",
        "grok-4.7",
        "deepseek-v4-pro",
        "mistral-large-4",
        "qwen3.8-max",
        "meta-llama/Llama-3.3-70B-Instruct",
        "openai/gpt-oss-120b",
    ] {
        assert!(catalog.get(id).is_some(), "{id} is in the catalog");
    }
    for m in catalog.models() {
        assert!(
            m.source.starts_with("https://"),
            "{}: source {}",
            m.id,
            m.source
        );
        assert!(
            m.verified <= jiff::Zoned::now().date(),
            "{} verified in the future",
            m.id
        );
        for l in &m.latency {
            assert!(l.source.starts_with("https://"), "{} latency source", m.id);
        }
        for q in &m.quality {
            assert!(q.source.starts_with("https://"), "{} quality source", m.id);
        }
    }
}

#[test]
fn every_shipped_scenario_loads_and_compares() {
    let catalog = catalog();
    assert_eq!(
        builtin_names()
            .into_iter()
            .map(|n| format!("{n}.toml"))
            .collect::<BTreeSet<_>>(),
        files_in("scenarios")
    );
    let ctx = Context {
        catalog: &catalog,
        date: CHECKED_ON,
        latency: LatencyAssumptions::default(),
        traffic: cost::pricing::windows::TrafficProfile::Uniform,
    };
    let hosting = cost::selfhost::shipped().unwrap();
    for name in builtin_names() {
        let mut scenario =
            load_scenario(&builtin(&name).unwrap(), &catalog).unwrap_or_else(|e| panic!("{e}"));
        // Self-hosted routes are sized and priced into a catalog of their own.
        let mut hosted = catalog.clone();
        cost::engine::hosted::host(&mut scenario, &mut hosted, &hosting)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let ctx = Context {
            catalog: &hosted,
            ..ctx
        };
        let result = compare(&scenario, &scenario.compare_models, &ctx)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            result.rows.iter().any(|r| r.is_baseline),
            "{name} has its baseline"
        );
        assert!(
            result
                .rows
                .iter()
                .all(|r| r.outcome.per_request.value() > 0.0),
            "{name}: no plan is free"
        );
    }
}

#[test]
fn shipped_prices_match_litellm_for_every_checked_model() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalogs/litellm-subset.json"),
    )
    .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let catalog = catalog();
    let mut checked = 0;
    let mut problems = Vec::new();
    for model in catalog.models() {
        let Some(key) = model.litellm.as_ref() else {
            assert!(
                NOT_IN_LITELLM.contains(&model.id.as_str()),
                "{} names its LiteLLM key, or is listed as absent from LiteLLM 1.110.2",
                model.id
            );
            continue;
        };
        let entry = json
            .get(key)
            .and_then(|v| v.as_object())
            .unwrap_or_else(|| panic!("{key} in the LiteLLM fixture"));
        checked += 1;
        problems.extend(
            litellm::differences(model, entry, CHECKED_ON)
                .into_iter()
                .filter(|d| !known_litellm_exception(d)),
        );
    }
    assert!(checked >= 40);
    assert!(
        problems.is_empty(),
        "{} prices differ from LiteLLM 1.110.2: {problems:#?}",
        problems.len()
    );
}

/// Shipped models LiteLLM 1.110.2 does not carry (newer than it, or a host it
/// lacks); their sheets cite the provider or tracker page instead.
const NOT_IN_LITELLM: [&str; 4] = [
    "claude-fable-5-2",
    "gpt-6.2-sol",
    "gpt-6.2-astra",
    "llama-3.1-8b-instant",
];

/// LiteLLM lists `cache_creation_input_token_cost = 0.0` for DeepSeek, whose
/// API has no cache-write charge: a cache miss is billed as plain input
/// (api-docs.deepseek.com/quick_start/pricing). Read literally, LiteLLM's
/// zero would make those tokens free; the sheets bill them as input instead.
fn known_litellm_exception(d: &litellm::Difference) -> bool {
    d.model.starts_with("deepseek-")
        && d.part == cost::pricing::Part::CacheWrite
        && d.theirs == Some(0.0)
}

#[test]
fn litellm_check_catches_a_wrong_price() {
    let sheet = "[provider]\nid = \"openai\"\nname = \"OpenAI\"\n[[models]]\nid = \"gpt-4o\"\nsource = \"https://x\"\nverified = 2026-11-01\n[[models.prices]]\ninput = 2.5\ncache_read = 1.25\noutput = 12.0\n";
    let model = cost::pricing::load::load_sheet(&Source::embedded("t.toml", sheet))
        .unwrap()
        .remove(0);
    let entry = serde_json::json!({"input_cost_per_token": 2.5e-6, "cache_read_input_token_cost": 1.25e-6, "output_cost_per_token": 1e-5, "input_cost_per_token_batches": 1.25e-6});
    let diffs = litellm::differences(&model, entry.as_object().unwrap(), CHECKED_ON);
    assert!(diffs
        .iter()
        .any(|d| d.part == cost::pricing::Part::Output && d.tier == ServiceTier::Standard));
    assert!(
        diffs
            .iter()
            .any(|d| d.tier == ServiceTier::Batch && d.ours.is_none()),
        "a missing batch tier is reported"
    );
}

/// Differences between the sheets (LiteLLM 1.110.2, November 2026) and
/// genai-prices (August 2026) that are explained; see the fixture file.
fn known_genai_differences() -> BTreeSet<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/catalogs/genai-prices-known-differences.txt"),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('#').next().unwrap().trim().to_string())
        .collect()
}

#[test]
fn shipped_prices_match_genai_prices_or_the_difference_is_explained() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/catalogs/genai-prices-subset.json"),
    )
    .unwrap();
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    let catalog = catalog();
    let mut found = BTreeSet::new();
    let mut compared = 0;
    for model in catalog.models() {
        let Some(key) = &model.genai_prices else {
            continue;
        };
        let Some(theirs) = cost::pricing::genai_prices::prices_on(&data, key, CHECKED_ON) else {
            continue;
        };
        compared += 1;
        let period = model.period_at(Some(CHECKED_ON)).unwrap();
        for (part, tiered) in &theirs {
            let ours = period
                .base
                .stated(*part)
                .map(cost::money::Rate::usd_per_million);
            if ours.and_then(cost::money::Rate::per_million)
                != cost::money::Rate::per_million(tiered.base)
            {
                found.insert(format!("{} {} base", model.id, part.key()));
            }
            for (start, price) in &tiered.tiers {
                let ours = period
                    .long_context
                    .iter()
                    .find(|t| t.stated().1 == *start)
                    .and_then(|t| t.rates.stated(*part));
                if ours
                    .map(cost::money::Rate::usd_per_million)
                    .and_then(cost::money::Rate::per_million)
                    != cost::money::Rate::per_million(*price)
                {
                    found.insert(format!("{} {} above {start}", model.id, part.key()));
                }
            }
        }
        for tier in &period.long_context {
            if !theirs
                .values()
                .any(|t| t.tiers.iter().any(|(s, _)| *s == tier.stated().1))
            {
                found.insert(format!(
                    "{} cliff {} missing in genai-prices",
                    model.id,
                    tier.stated().1
                ));
            }
        }
    }
    assert!(compared >= 30, "compared {compared} models");
    let known = known_genai_differences();
    let unexplained: Vec<_> = found.difference(&known).collect();
    let stale: Vec<_> = known.difference(&found).collect();
    assert!(
        unexplained.is_empty(),
        "differences from genai-prices with no explanation: {unexplained:#?}"
    );
    assert!(
        stale.is_empty(),
        "explained differences that no longer exist: {stale:#?}"
    );
}
