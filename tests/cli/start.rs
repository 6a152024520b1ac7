//! Starting points: `cost scenarios show`, `cost init` and `cost man`.

use super::Cost;

/// The shipped file of a built-in scenario.
fn shipped(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/scenarios/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("a shipped scenario")
}

fn builtin_names() -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(format!("{}/scenarios", env!("CARGO_MANIFEST_DIR")))
            .expect("scenarios/")
            .filter_map(|e| {
                let name = e.ok()?.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".toml").map(str::to_string)
            })
            .collect();
    names.sort();
    names
}

#[test]
fn scenarios_show_prints_the_shipped_file_exactly() {
    for name in builtin_names() {
        Cost::new()
            .args(["scenarios", "show", &name])
            .stdout(shipped(&name))
            .run();
    }
}

#[test]
fn scenarios_show_of_an_unknown_name_suggests_the_nearest() {
    let err = Cost::new()
        .args(["scenarios", "show", "suport-bot"])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("did you mean `support-bot`?"), "{err}");
}

#[test]
fn init_from_a_builtin_compares_exactly_as_the_builtin() {
    let dir = tempfile::tempdir().unwrap();
    for name in builtin_names() {
        let file = dir.path().join(format!("{name}.toml"));
        let file = file.to_str().unwrap();
        Cost::new()
            .args(["init", "--from", &name, file])
            .stderr_contains(format!("note: wrote {file}"))
            .run();
        let written = std::fs::read_to_string(file).unwrap();
        assert!(
            written.ends_with(&shipped(&name)),
            "{name}: the shipped text"
        );
        assert!(
            written.starts_with("# Started from the built-in scenario"),
            "{written}"
        );
        let args = |scenario: &str| {
            vec![
                "compare".to_string(),
                scenario.to_string(),
                "--no-bands".into(),
                "--at".into(),
                "2026-12-01".into(),
                "--format".into(),
                "json".into(),
            ]
        };
        let builtin = Cost::new().args(args(&name)).run().stdout;
        let from_file = Cost::new().args(args(file)).run().stdout;
        assert_eq!(builtin, from_file, "{name}: compare of the written file");
    }
}

#[test]
fn init_writes_a_commented_starter_that_compares() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-feature.toml");
    let file = file.to_str().unwrap();
    Cost::new()
        .args(["init", file])
        .stderr_contains("note: wrote")
        .run();
    let text = std::fs::read_to_string(file).unwrap();
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 20,
        "{text}"
    );
    Cost::new()
        .args(["validate", file, "--at", "2026-12-01"])
        .stderr_any()
        .run();
    Cost::new()
        .args(["compare", file, "--no-bands", "--at", "2026-12-01"])
        .stdout_contains("my-feature")
        .stdout_contains("routed")
        .run();
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mine.toml");
    std::fs::write(&file, "my own work\n").unwrap();
    let file = file.to_str().unwrap();
    let err = Cost::new().args(["init", file]).status(2).run().stderr;
    assert!(
        err.contains("already exists; refusing to overwrite it"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(file).unwrap(), "my own work\n");
    Cost::new()
        .args(["init", "--from", "rag", "--force", file])
        .stderr_contains("note: wrote")
        .run();
    assert!(std::fs::read_to_string(file)
        .unwrap()
        .contains("name = \"rag\""));
}

#[test]
fn init_from_an_unknown_name_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.toml");
    let err = Cost::new()
        .args(["init", "--from", "suport-bot", file.to_str().unwrap()])
        .status(2)
        .run()
        .stderr;
    assert!(err.contains("did you mean `support-bot`?"), "{err}");
    assert!(!file.exists());
}

#[test]
fn man_prints_cost_1_and_writes_a_page_per_subcommand() {
    let page = Cost::new().args(["man"]).run().stdout;
    assert!(
        page.contains(".TH cost 1"),
        "{}",
        &page[..page.len().min(300)]
    );
    assert!(page.contains("compare"), "subcommands are listed");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    Cost::new()
        .args(["man", "--out-dir", out.to_str().unwrap()])
        .stderr_contains("manual pages to")
        .run();
    for page in [
        "cost.1",
        "cost-compare.1",
        "cost-scenarios-show.1",
        "cost-pricing-import.1",
        "cost-init.1",
    ] {
        let text = std::fs::read_to_string(out.join(page)).unwrap_or_else(|_| panic!("{page}"));
        assert!(text.starts_with(".ie") || text.contains(".TH"), "{page}");
    }
    assert!(!out.join("cost-help.1").exists());
}
