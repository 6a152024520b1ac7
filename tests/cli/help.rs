//! Every subcommand's `--help` ends with examples that parse with the real
//! command line, and the options every command takes are grouped apart.

use clap::{CommandFactory, Parser};

use cost::cli::Cli;

/// The example command lines of an "Examples:" block: `cost ...` lines,
/// continuations joined, `# comments`, pipes and redirections left out.
fn examples(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let line = line.trim();
        if open {
            let last = out.last_mut().expect("open");
            last.push(' ');
            last.push_str(line.trim_end_matches('\\').trim());
        } else if line.starts_with("cost ") {
            out.push(line.trim_end_matches('\\').trim().to_string());
        } else {
            continue;
        }
        open = line.ends_with('\\');
    }
    out.into_iter()
        .map(|e| {
            let e = e.split(" # ").next().unwrap_or(&e);
            let e = e.split(" | ").next().unwrap_or(e);
            e.split(" > ").next().unwrap_or(e).trim().to_string()
        })
        .collect()
}

/// (full name, command) of every subcommand, depth first.
fn subcommands(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, clap::Command)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{prefix} {}", sub.get_name());
        out.push((name.clone(), sub.clone()));
        subcommands(sub, &name, out);
    }
}

#[test]
fn every_subcommand_help_has_examples_that_parse() {
    let root = Cli::command();
    let mut all = vec![("cost".to_string(), root.clone())];
    subcommands(&root, "cost", &mut all);
    let mut problems = Vec::new();
    for (name, cmd) in &all {
        let help = cmd
            .get_after_help()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !help.contains("Examples:") {
            problems.push(format!("`{name} --help` has no Examples block"));
            continue;
        }
        let found = examples(&help);
        if found.is_empty() {
            problems.push(format!("`{name} --help`: no `cost ...` example"));
        }
        for example in found {
            if !example.starts_with(name.as_str()) {
                problems.push(format!("`{name} --help` shows another command: {example}"));
            }
            let words: Vec<String> = example
                .split_whitespace()
                .map(|w| w.trim_matches('\'').trim_matches('"').to_string())
                .collect();
            if let Err(e) = Cli::try_parse_from(&words) {
                problems.push(format!("`{example}` does not parse: {e}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn global_options_are_listed_apart() {
    let mut root = Cli::command();
    root.build();
    let help = root
        .find_subcommand_mut("compare")
        .expect("compare")
        .render_long_help()
        .to_string();
    let global = help
        .find("Global options:")
        .expect("a Global options heading");
    let own = help.find("--models").expect("compare's own option");
    let pricing = help.find("--pricing").expect("a global option");
    assert!(own < global && global < pricing, "{help}");
}
