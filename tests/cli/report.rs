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
