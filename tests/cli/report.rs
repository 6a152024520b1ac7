//! `cost report`: one self-contained, deterministic HTML file.

use super::Cost;

fn report(args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    Cost::new().args(all).run().stdout
}

#[test]
fn the_same_inputs_give_the_same_bytes_and_o_writes_them() {
    let args = [
        "default",
        "--at",
        "2026-12-01",
        "--seed",
        "7",
        "--trials",
        "60",
    ];
    let first = report(&args);
    let second = report(&args);
    assert!(first == second, "two runs differ");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let mut with_o: Vec<&str> = vec!["report"];
    with_o.extend_from_slice(&args);
    let p = path.to_str().unwrap();
    with_o.extend_from_slice(&["-o", p]);
    Cost::new().args(with_o).stdout_empty().run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    // Another seed draws other months: the bands (and so the bytes) move.
    let other = report(&[
        "default",
        "--at",
        "2026-12-01",
        "--seed",
        "8",
        "--trials",
        "60",
    ]);
    assert!(other != first, "the seed changes nothing");
}

#[test]
fn the_page_answers_first_and_loads_nothing() {
    let html = report(&["routing-example", "--at", "2026-12-01", "--trials", "40"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains(r#"content="default-src 'none'; style-src 'unsafe-inline'; img-src data:""#)
    );
    let answer = html
        .find(r#"<h2 id="answer-h">"#)
        .expect("the answer section");
    for later in [
        "id=\"plans-h\"",
        "id=\"frontier-h\"",
        "id=\"bands-h\"",
        "id=\"sensitivity-h\"",
        "id=\"provenance-h\"",
    ] {
        assert!(
            html.find(later).expect(later) > answer,
            "{later} before the answer"
        );
    }
    assert!(html.contains("Recommended plan: <code>"));
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "@import", "url(", " src=",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    // Every link is a fragment of the page itself.
    for piece in html.split("href=\"").skip(1) {
        assert!(
            piece.starts_with('#'),
            "link {}",
            &piece[..40.min(piece.len())]
        );
    }
    // Charts carry a title and a description.
    assert_eq!(html.matches("<svg").count(), 3, "frontier, bands, tornado");
    assert_eq!(html.matches("<title id=").count(), 3);
    assert_eq!(html.matches("<desc id=").count(), 3);
    // Provenance: the scenario's hash and the tool's version.
    let hash = html.split("scenario SHA-256: ").nth(1).expect("a hash");
    assert!(
        hash[..64].chars().all(|c| c.is_ascii_hexdigit()),
        "{}",
        &hash[..64]
    );
    assert!(html.contains(&format!("tool: cost {}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn plan_names_are_escaped() {
    let scenario = std::fs::read_to_string(super::fixture("../../scenarios/routing-example.toml"))
        .unwrap()
        .replace("\"perfect-router\"", "\"<b>perfect</b>\"");
    let out = Cost::new()
        .args(["report", "-", "--at", "2026-12-01", "--trials", "20"])
        .stdin(scenario)
        .run()
        .stdout;
    assert!(out.contains("&lt;b&gt;perfect&lt;/b&gt;"));
    assert!(!out.contains("<b>perfect</b>"));
}

fn with_replay(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = [
        "report",
        "routing-example",
        "--plan",
        "perfect-router",
        "--at",
        "2026-12-01",
        "--trials",
        "20",
        "--replay",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    args.extend(extra.iter().map(|s| (*s).to_string()));
    args
}

/// The text of one section, tags dropped.
fn section_text(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let body = &html[at..at + html[at..].find("</section>").unwrap()];
    let mut out = String::new();
    let mut tag = false;
    for c in body.chars() {
        match c {
            '<' => tag = true,
            '>' => {
                tag = false;
                out.push(' ');
            }
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn replay_adds_plan_vs_actual_per_class_and_model_and_stays_deterministic() {
    let log = super::fixture("report/gateway-routing.jsonl");
    let first = Cost::new().args(with_replay(&[&log])).run().stdout;
    let second = Cost::new().args(with_replay(&[&log])).run().stdout;
    assert!(first == second, "two runs with --replay differ");
    let text = section_text(&first, "plan-vs-actual");
    // 49 requests over 7 min 12 s: 0.005 days, scaled × 30.4375 / 0.005.
    assert!(text.contains("49 priced requests"), "{text}");
    assert!(text.contains("0.005 actual days"), "{text}");
    assert!(text.contains("× 30.4375 / 0.005"), "{text}");
    assert!(text.contains("Per class"), "{text}");
    assert!(text.contains("Per model"), "{text}");
    assert!(!text.contains("grouped by model"), "{text}");
    for step in ["volume", "mix", "token sizes", "prices"] {
        assert!(text.contains(step), "{step}: {text}");
    }
    // The section sits after the plans and before the frontier; the
    // bridge is a fourth chart with its title and description.
    let at = |id: &str| first.find(&format!("id=\"{id}-h\"")).unwrap();
    assert!(at("plans") < at("plan-vs-actual") && at("plan-vs-actual") < at("frontier"));
    assert_eq!(first.matches("<svg").count(), 4);
    assert!(first.contains("<title id=\"variance-chart-t\">"));
    assert!(first.contains("The logged traffic runs at"));
    // Two copies of the log: twice the requests over the same span, so
    // twice the volume and the same everything else.
    let twice = Cost::new().args(with_replay(&[&log, &log])).run().stdout;
    let text2 = section_text(&twice, "plan-vs-actual");
    assert!(text2.contains("98 priced requests"), "{text2}");
}

#[test]
fn a_log_without_classes_is_grouped_by_model_and_says_so() {
    let log = super::fixture("replay/chat.jsonl");
    let html = Cost::new().args(with_replay(&[&log])).run().stdout;
    let text = section_text(&html, "plan-vs-actual");
    assert!(text.contains("no class field"), "{text}");
    assert!(text.contains("grouped by model"), "{text}");
    assert!(!text.contains("Per class"), "{text}");
    assert!(text.contains("claude-haiku-4-5"), "{text}");
}

#[test]
fn bad_logs_are_located_errors_and_no_file_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let o = out.to_str().unwrap();
    let missing = dir.path().join("nope.jsonl");
    Cost::new()
        .args(with_replay(&[missing.to_str().unwrap(), "-o", o]))
        .status(2)
        .stderr_contains("error: ")
        .stderr_contains("nope.jsonl")
        .run();
    let bad = dir.path().join("bad.jsonl");
    let good = std::fs::read_to_string(super::fixture("report/gateway-routing.jsonl")).unwrap();
    let mut lines: Vec<&str> = good.lines().take(3).collect();
    lines.push(r#"{"log":"cost-gateway","ts":"2026-11-02T10:09:00Z","model":"gpt-4o","usage":{"input":"many"}}"#);
    std::fs::write(&bad, lines.join("\n")).unwrap();
    Cost::new()
        .args(with_replay(&[bad.to_str().unwrap(), "-o", o]))
        .status(2)
        .stderr_contains("bad.jsonl:4")
        .stderr_contains("hint: ")
        .run();
    let undated = dir.path().join("undated.jsonl");
    std::fs::write(
        &undated,
        r#"{"model":"gpt-4o","usage":{"prompt_tokens":10,"completion_tokens":5}}"#,
    )
    .unwrap();
    Cost::new()
        .args(with_replay(&[undated.to_str().unwrap(), "-o", o]))
        .status(2)
        .stderr_contains("no request time")
        .run();
    assert!(!out.exists(), "a failed report left a file");
}

/// routing-example with a monthly budget (and the rest as shipped).
fn with_budget(usd: &str) -> String {
    let s =
        std::fs::read_to_string(super::fixture("../../scenarios/routing-example.toml")).unwrap();
    format!("{s}\n[budget]\nusd_per_month = {usd}\n")
}

#[test]
fn the_recommendation_keeps_within_the_budget_or_says_none_does() {
    // Unconstrained, the baseline keeps quality best and is recommended;
    // a budget below it moves the pick to a plan within it.
    let free = Cost::new()
        .args([
            "sensitivity",
            "routing-example",
            "--at",
            "2026-12-01",
            "--format",
            "json",
        ])
        .run()
        .stdout;
    assert!(free.contains("\"plan\": \"all-strong\""), "{free}");
    let within = Cost::new()
        .args(["sensitivity", "-", "--at", "2026-12-01", "--format", "json"])
        .stdin(with_budget("1000"))
        .run()
        .stdout;
    assert!(!within.contains("\"plan\": \"all-strong\""), "{within}");
    assert!(within.contains("is the recommended"), "{within}");
    // No plan costs under $1 a month: the closest is named, plainly.
    let html = Cost::new()
        .args(["report", "-", "--at", "2026-12-01", "--trials", "20"])
        .stdin(with_budget("1"))
        .run()
        .stdout;
    let answer = section_text(&html, "answer");
    assert!(
        answer.contains("No declared plan meets the scenario's $1.00 monthly budget"),
        "{answer}"
    );
    assert!(answer.contains("The closest is all-weak"), "{answer}");
    assert!(answer.contains("it misses the budget by"), "{answer}");
}
