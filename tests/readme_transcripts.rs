//! The README's command transcripts are real runs of the binary built with
//! this test, so they cannot go stale. A transcript is a ```` ```console ````
//! block of `$ command` lines (a trailing `\` continues a command onto the
//! next line), each followed by what it printed, stdout and stderr as they
//! interleave. A block that holds only a command and is followed by
//! `<!-- begin output -->` ... `<!-- end output -->` shows the command's
//! stdout rendered as Markdown between those markers instead.
//!
//! `cargo test --test readme_transcripts` fails when any transcript differs
//! from what the binary prints now; `UPDATE_README=1 cargo test --test
//! readme_transcripts` rewrites README.md with the real output.
//!
//! Every command runs with `sh` in a fresh folder holding a link to the
//! repository's `tests/` (so `tests/fixtures/...` paths resolve and written
//! files land in the scratch folder), `cost` first on `PATH`, `NO_COLOR=1`,
//! no `COLUMNS` and no `COST_*` variables, and stdout and stderr on pipes (not a
//! terminal, so no progress bars and no terminal width). Nothing is
//! normalised: a command whose output depends on the day it runs must pin
//! the day with `--at` (checked below), and none prints timings.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::CommandFactory;

const BEGIN_OUTPUT: &str = "<!-- begin output -->";
const END_OUTPUT: &str = "<!-- end output -->";

/// The price date every transcript pins.
const AT: &str = "2026-12-01";

/// One command of a transcript and where its output goes.
#[derive(Debug)]
struct Block {
    /// Line index of the opening fence.
    start: usize,
    /// Line index one past the end of the replaced region.
    end: usize,
    commands: Vec<String>,
    rendered: bool,
}

fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

/// The `$ ` commands of a console block's lines, continuations joined.
fn commands_of(lines: &[&str]) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (i, line) in lines.iter().enumerate() {
        if open {
            let last = out.last_mut().expect("a command is open");
            last.1.push('\n');
            last.1.push_str(line);
            open = line.ends_with('\\');
        } else if let Some(cmd) = line.strip_prefix("$ ") {
            out.push((i, cmd.to_string()));
            open = cmd.ends_with('\\');
        }
    }
    out
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] != "```console" {
            i += 1;
            continue;
        }
        let close = (i + 1..lines.len())
            .find(|&j| lines[j] == "```")
            .unwrap_or_else(|| panic!("README.md:{}: unclosed console block", i + 1));
        let body = &lines[i + 1..close];
        let commands: Vec<String> = commands_of(body).into_iter().map(|(_, c)| c).collect();
        assert!(
            !commands.is_empty(),
            "README.md:{}: a console block without a `$ ` command",
            i + 1
        );
        let next = (close + 1..lines.len()).find(|&j| !lines[j].is_empty());
        let rendered = next.is_some_and(|j| lines[j] == BEGIN_OUTPUT);
        let end = if rendered {
            let begin = next.expect("checked");
            let end = (begin + 1..lines.len())
                .find(|&j| lines[j] == END_OUTPUT)
                .unwrap_or_else(|| {
                    panic!(
                        "README.md:{}: `{BEGIN_OUTPUT}` without `{END_OUTPUT}`",
                        begin + 1
                    )
                });
            assert_eq!(
                commands.len(),
                1,
                "README.md:{}: a rendered transcript has one command",
                i + 1
            );
            end + 1
        } else {
            close + 1
        };
        out.push(Block {
            start: i,
            end,
            commands,
            rendered,
        });
        i = end;
    }
    out
}

/// A scratch folder where commands run (see the module docs).
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&tests, dir.path().join("tests")).expect("link tests/");
    dir
}

/// Runs one command line with `sh` and returns what it printed: stdout
/// only (`rendered`), or stdout and stderr interleaved.
fn run(command: &str, dir: &Path, rendered: bool) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_cost"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("a folder").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ),
    )
    .expect("a PATH");
    let script = if rendered {
        command.to_string()
    } else {
        format!("exec 2>&1\n{command}")
    };
    let mut sh = Command::new("sh");
    sh.arg("-c").arg(script).current_dir(dir).env("PATH", path);
    sh.env("NO_COLOR", "1").env_remove("COLUMNS");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("COST_") {
            sh.env_remove(key);
        }
    }
    let out = sh.output().expect("sh runs");
    if rendered {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.lines().all(|l| l.starts_with("note: wrote ")),
            "`{command}`: a rendered transcript shows stdout only, but stderr has:\n{stderr}"
        );
    }
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The block's new text: the command lines as written, then the output.
fn regenerate(block: &Block, dir: &Path) -> Vec<String> {
    let mut out = vec!["```console".to_string()];
    for command in &block.commands {
        let mut parts = command.split('\n');
        out.push(format!("$ {}", parts.next().unwrap_or_default()));
        out.extend(parts.map(str::to_string));
        let printed = run(command, dir, block.rendered);
        if block.rendered {
            out.push("```".into());
            out.push(String::new());
            out.push(BEGIN_OUTPUT.into());
            out.push(String::new());
            out.extend(printed.trim_end().lines().map(str::to_string));
            out.push(String::new());
            out.push(END_OUTPUT.into());
            return out;
        }
        out.extend(printed.trim_end_matches('\n').lines().map(str::to_string));
        if printed.trim().is_empty() {
            continue;
        }
        out.push(String::new());
    }
    // No blank line before the closing fence.
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.push("```".into());
    out
}

/// Every `cost` subcommand that takes `--at` has it pinned in a transcript:
/// otherwise the output changes with the day the test runs.
fn check_pinned(command: &str) -> Result<(), String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some(i) = words.iter().position(|w| *w == "cost") else {
        return Ok(());
    };
    let root = cost::cli::Cli::command();
    let mut cmd = &root;
    for w in &words[i + 1..] {
        match cmd.find_subcommand(w) {
            Some(sub) => cmd = sub,
            None => break,
        }
    }
    let takes_at = cmd.get_arguments().any(|a| a.get_long() == Some("at"));
    let pinned = command.contains(&format!("--at {AT}"));
    if takes_at && !pinned {
        return Err(format!(
            "`{command}`: add `--at {AT}` (its output depends on the day)"
        ));
    }
    Ok(())
}

#[test]
fn readme_transcripts_are_what_the_binary_prints() {
    let readme = std::fs::read_to_string(readme_path()).expect("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    let blocks = blocks(&lines);
    assert!(
        blocks.len() >= 8,
        "only {} transcripts found: did the README's format change?",
        blocks.len()
    );
    let unpinned: Vec<String> = blocks
        .iter()
        .flat_map(|b| &b.commands)
        .filter_map(|c| check_pinned(c).err())
        .collect();
    assert!(unpinned.is_empty(), "{}", unpinned.join("\n"));

    // One scratch folder per block: a block's commands may read what the
    // earlier ones wrote (`> sweep.csv`, then `head sweep.csv`).
    let mut out: Vec<String> = Vec::new();
    let mut stale = Vec::new();
    let mut at = 0;
    for block in &blocks {
        out.extend(lines[at..block.start].iter().map(|l| (*l).to_string()));
        let dir = scratch();
        let new = regenerate(block, dir.path());
        let old: Vec<String> = lines[block.start..block.end]
            .iter()
            .map(|l| (*l).to_string())
            .collect();
        if new != old {
            let first = new
                .iter()
                .zip(&old)
                .position(|(a, b)| a != b)
                .unwrap_or(new.len().min(old.len()));
            stale.push(format!(
                "README.md:{}: `{}`\n  README: {:?}\n  now:    {:?}",
                block.start + first + 1,
                block.commands[0].lines().next().unwrap_or_default(),
                old.get(first).map_or("(end of block)", String::as_str),
                new.get(first).map_or("(end of block)", String::as_str),
            ));
        }
        out.extend(new);
        at = block.end;
    }
    out.extend(lines[at..].iter().map(|l| (*l).to_string()));
    let mut text = out.join("\n");
    if readme.ends_with('\n') {
        text.push('\n');
    }
    if std::env::var_os("UPDATE_README").is_some() {
        if text != readme {
            std::fs::write(readme_path(), text).expect("write README.md");
        }
        return;
    }
    assert!(
        stale.is_empty(),
        "{} README transcript(s) differ from what `cost` prints now; rerun them with\n  UPDATE_README=1 cargo test --test readme_transcripts\n{}",
        stale.len(),
        stale.join("\n")
    );
}

/// The steps of the README's GitHub Actions example: (working directory,
/// `if:` condition, the `run:` script), `uses:` steps left out.
fn ci_steps(readme: &str) -> Vec<(Option<String>, Option<String>, String)> {
    let section = &readme[readme.find("## Cost gates in CI").expect("the CI section")..];
    let start = section.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let block = &section[start..start + section[start..].find("\n```").expect("closed")];
    let mut steps = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut flush = |lines: &mut Vec<&str>| {
        let (mut dir, mut cond, mut run) = (None, None, None);
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim_start().trim_start_matches("- ");
            if let Some(d) = line.strip_prefix("working-directory: ") {
                dir = Some(d.to_string());
            } else if let Some(c) = line.strip_prefix("if: ") {
                cond = Some(c.to_string());
            } else if line == "run: |" {
                let indent = lines[i + 1].len() - lines[i + 1].trim_start().len();
                let mut body = Vec::new();
                while i + 1 < lines.len()
                    && lines[i + 1].len() - lines[i + 1].trim_start().len() >= indent
                {
                    i += 1;
                    body.push(&lines[i][indent..]);
                }
                run = Some(body.join("\n"));
            } else if let Some(r) = line.strip_prefix("run: ") {
                run = Some(r.to_string());
            }
            i += 1;
        }
        if let Some(run) = run {
            steps.push((dir, cond, run));
        }
        lines.clear();
    };
    for line in block.lines() {
        if line.starts_with("      - ") {
            flush(&mut current);
        }
        current.push(line);
    }
    flush(&mut current);
    steps
}

/// `${{ steps.diff.outputs.exit }}` and the like, from `$GITHUB_OUTPUT`.
fn expand(text: &str, outputs: &str) -> String {
    let exit = outputs
        .lines()
        .find_map(|l| l.strip_prefix("exit="))
        .unwrap_or("")
        .to_string();
    text.replace("${{ steps.diff.outputs.exit }}", &exit)
}

#[test]
fn readme_ci_example_runs_against_the_binary() {
    let readme = std::fs::read_to_string(readme_path()).expect("README.md");
    let steps = ci_steps(&readme);
    assert!(steps.len() >= 6, "CI steps not found: {steps:?}");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scenarios");
    let work = tempfile::tempdir().expect("a checkout folder");
    let runner_temp = tempfile::tempdir().expect("RUNNER_TEMP");
    let github_output = runner_temp.path().join("github-output");
    std::fs::write(&github_output, "").expect("GITHUB_OUTPUT");
    let bin = Path::new(env!("CARGO_BIN_EXE_cost"));
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("a folder").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ),
    )
    .expect("a PATH");
    let mut ran = Vec::new();
    let mut last_status = None;
    for (dir, cond, run) in &steps {
        let outputs = std::fs::read_to_string(&github_output).expect("GITHUB_OUTPUT");
        if run.contains("cargo install") {
            assert!(
                run.contains("\"$COST_GIT_URL\"") && readme.contains("COST_GIT_URL: "),
                "the install step names the documented URL variable: {run}"
            );
            continue;
        }
        if run.starts_with("git worktree add .cost-base") {
            // What the base commit's checkout holds, and this pull request's.
            for (folder, fixture) in [
                (".cost-base", "default-base.toml"),
                (".", "default-head.toml"),
            ] {
                let scenarios = work.path().join(folder).join("scenarios");
                std::fs::create_dir_all(&scenarios).expect("scenarios/");
                std::fs::copy(fixtures.join(fixture), scenarios.join("feature.toml"))
                    .expect("copy");
            }
            continue;
        }
        if run.starts_with("gh pr comment") {
            let file = run
                .split("--body-file ")
                .nth(1)
                .expect("--body-file")
                .trim_matches('"')
                .replace("$RUNNER_TEMP", &runner_temp.path().display().to_string());
            let comment = std::fs::read_to_string(&file).expect("the comment file was written");
            assert!(comment.starts_with("### cost diff"), "{comment}");
            continue;
        }
        if let Some(cond) = cond {
            assert_eq!(
                cond, "steps.diff.outputs.exit != '0'",
                "a condition this test knows"
            );
            if expand("${{ steps.diff.outputs.exit }}", &outputs) == "0" {
                continue;
            }
        }
        let script = format!("set -e\n{}", expand(run, &outputs));
        let status = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(work.path().join(dir.as_deref().unwrap_or(".")))
            .env("PATH", &path)
            .env("RUNNER_TEMP", runner_temp.path())
            .env("GITHUB_OUTPUT", &github_output)
            .env_remove("COLUMNS")
            .status()
            .expect("bash runs");
        last_status = status.code();
        ran.push(run.clone());
        if cond.is_none() {
            assert!(status.success(), "step failed: {run}");
        }
    }
    assert_eq!(
        ran.len(),
        3 + usize::from(last_status != Some(0)),
        "{ran:?}"
    );
    let outputs = std::fs::read_to_string(&github_output).expect("GITHUB_OUTPUT");
    let exit = expand("${{ steps.diff.outputs.exit }}", &outputs);
    assert!(exit == "0" || exit == "1", "cost diff exited {exit:?}");
    let comment =
        std::fs::read_to_string(runner_temp.path().join("cost-comment.md")).expect("comment");
    assert_eq!(exit == "0", comment.contains("gates passed"), "{comment}");
    if exit == "1" {
        assert_eq!(
            last_status,
            Some(1),
            "the last step fails the build with the gate's code"
        );
    }
}
