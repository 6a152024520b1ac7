//! `Cost`: runs the real binary and checks its exit status, stdout and
//! stderr together, from expectations stated before the run.
//!
//! Defaults, so that a test only states what it expects:
//! - the exit status is 0;
//! - stderr is empty: a command that prints notes or warnings must say so
//!   (`.stderr_contains("note: ")`, `.stderr(..)`, or `.stderr_any()`);
//! - stdout may be anything on success;
//! - exit status 2 is an error: stdout is empty and stderr starts with
//!   `error: ` (unless `.failure_report()` says the command reports on
//!   stdout and then fails, as `cost validate` does);
//! - stderr never contains `panicked`, whatever else is allowed.
//!
//! Every mismatch is collected, and the panic message shows the command
//! line, the exit status, stdout and stderr.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::process::Stdio;

/// What a stream must hold.
#[derive(Debug, Clone)]
enum Expect {
    /// Anything at all (still never a panic on stderr).
    Any,
    /// Exactly this text.
    Exact(String),
    /// Every one of these pieces, anywhere.
    Contains(Vec<String>),
    /// Nothing.
    Empty,
}

impl Expect {
    fn contains(self, piece: String) -> Self {
        match self {
            Expect::Contains(mut pieces) => {
                pieces.push(piece);
                Expect::Contains(pieces)
            }
            _ => Expect::Contains(vec![piece]),
        }
    }

    fn check(&self, name: &str, text: &str, problems: &mut Vec<String>) {
        match self {
            Expect::Any => {}
            Expect::Exact(want) => {
                if text != want {
                    problems.push(format!("{name} is not exactly:\n{want}"));
                }
            }
            Expect::Contains(pieces) => {
                for piece in pieces {
                    if !text.contains(piece.as_str()) {
                        problems.push(format!("{name} does not contain {piece:?}"));
                    }
                }
            }
            Expect::Empty => {
                if !text.is_empty() {
                    problems.push(format!("{name} is not empty"));
                }
            }
        }
    }
}

/// A `cost` invocation and what it must print.
#[derive(Default)]
#[must_use = "a `Cost` does nothing until `.run()`"]
pub struct Cost {
    args: Vec<OsString>,
    env: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
    close_stdout: bool,
    status: i32,
    stdout: Option<Expect>,
    stderr: Option<Expect>,
    stderr_only_notes: bool,
    failure_report: bool,
}

/// What a checked run printed.
#[derive(Debug)]
pub struct Output {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Cost {
    /// The binary, isolated from the caller's environment (`COST_PRICING`,
    /// `COST_FORMAT`, `COLUMNS` removed, `NO_COLOR=1`) and run from the crate root.
    pub fn new() -> Self {
        Cost::default()
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I>(mut self, args: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Closes the read end of stdout as soon as the process starts, as
    /// `cost ... | head -0` would; stdout is then not checked.
    pub fn close_stdout(mut self) -> Self {
        self.close_stdout = true;
        self
    }

    /// The expected exit status (0 unless stated).
    pub fn status(mut self, status: i32) -> Self {
        self.status = status;
        self
    }

    /// Stdout is exactly `text`.
    pub fn stdout(mut self, text: impl Into<String>) -> Self {
        self.stdout = Some(Expect::Exact(text.into()));
        self
    }

    /// Stdout contains `piece` (repeatable: every piece must be there).
    pub fn stdout_contains(mut self, piece: impl Into<String>) -> Self {
        self.stdout = Some(
            self.stdout
                .take()
                .unwrap_or(Expect::Any)
                .contains(piece.into()),
        );
        self
    }

    /// Stdout is empty.
    pub fn stdout_empty(mut self) -> Self {
        self.stdout = Some(Expect::Empty);
        self
    }

    /// Stderr is exactly `text`.
    pub fn stderr(mut self, text: impl Into<String>) -> Self {
        self.stderr = Some(Expect::Exact(text.into()));
        self
    }

    /// Stderr contains `piece` (repeatable: every piece must be there).
    pub fn stderr_contains(mut self, piece: impl Into<String>) -> Self {
        self.stderr = Some(
            self.stderr
                .take()
                .unwrap_or(Expect::Any)
                .contains(piece.into()),
        );
        self
    }

    /// Every line on stderr is a `note: ` (there may be none): no warning,
    /// error or stray output slips in beside the notes a test expects.
    pub fn stderr_only_notes(mut self) -> Self {
        self.stderr_only_notes = true;
        if self.stderr.is_none() {
            self.stderr = Some(Expect::Any);
        }
        self
    }

    /// Stderr may hold anything but a panic: for commands whose notes the
    /// test does not pin down.
    pub fn stderr_any(mut self) -> Self {
        self.stderr = Some(Expect::Any);
        self
    }

    /// The command writes its report to stdout and then exits with the
    /// status given (`cost validate` on bad files): exit status 2 is then not
    /// held to the error shape (empty stdout, stderr starting `error: `).
    pub fn failure_report(mut self) -> Self {
        self.failure_report = true;
        self
    }

    /// Runs with `--format json` added, checks everything, and parses stdout.
    #[track_caller]
    pub fn run_json(self) -> serde_json::Value {
        self.args(["--format", "json"]).run().json()
    }

    /// The command line as a shell would show it.
    fn command_line(&self) -> String {
        let mut line = String::from("cost");
        for arg in &self.args {
            let arg = arg.to_string_lossy();
            let plain = !arg.is_empty()
                && arg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c));
            if plain {
                write!(line, " {arg}").unwrap();
            } else {
                write!(line, " '{}'", arg.replace('\'', r"'\''")).unwrap();
            }
        }
        line
    }

    /// Runs the binary and checks status, stdout and stderr together.
    #[track_caller]
    pub fn run(self) -> Output {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("cost"));
        command
            .args(&self.args)
            .env_remove("COST_PRICING")
            .env_remove("COST_FORMAT")
            .env_remove("COLUMNS")
            .env("NO_COLOR", "1")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("{}: cannot start: {e}", self.command_line()));
        if self.close_stdout {
            drop(child.stdout.take());
        }
        let writer = child.stdin.take().map(|mut pipe| {
            let input = self.stdin.clone().unwrap_or_default();
            std::thread::spawn(move || {
                use std::io::Write;
                // The process may exit without reading everything.
                let _ = pipe.write_all(&input);
            })
        });
        let (out, killed) = wait_bounded(child)
            .unwrap_or_else(|e| panic!("{}: cannot wait: {e}", self.command_line()));
        if let Some(writer) = writer {
            writer.join().expect("the stdin writer");
        }
        let status = out.status.code().unwrap_or(-1);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();

        let mut problems = Vec::new();
        if killed {
            problems.push(format!(
                "did not exit within {} s, and was killed",
                RUN_LIMIT.as_secs()
            ));
        }
        if status != self.status {
            problems.push(format!("exit status {status}, expected {}", self.status));
        }
        if std::str::from_utf8(&out.stdout).is_err() {
            problems.push("stdout is not UTF-8".into());
        }
        if std::str::from_utf8(&out.stderr).is_err() {
            problems.push("stderr is not UTF-8".into());
        }
        if stderr.contains("panicked") {
            problems.push("stderr shows a panic".into());
        }
        let error_shape = self.status == 2 && !self.failure_report;
        if error_shape {
            if !stdout.is_empty() {
                problems.push("an error (exit 2) printed to stdout".into());
            }
            if !stderr.starts_with("error: ") {
                problems
                    .push("an error (exit 2) whose stderr does not start with `error: `".into());
            }
        }
        let stdout_expect = match (&self.stdout, self.close_stdout, error_shape) {
            (Some(expect), false, _) => expect.clone(),
            (None, false, true) => Expect::Empty,
            _ => Expect::Any,
        };
        stdout_expect.check("stdout", &stdout, &mut problems);
        let stderr_expect = match (&self.stderr, error_shape) {
            (Some(expect), _) => expect.clone(),
            // Already required to start with `error: `.
            (None, true) => Expect::Any,
            (None, false) => Expect::Empty,
        };
        stderr_expect.check("stderr", &stderr, &mut problems);
        if self.stderr_only_notes {
            for line in stderr.lines().filter(|l| !l.starts_with("note: ")) {
                problems.push(format!("stderr has a line that is not a note: {line:?}"));
            }
        }

        if !problems.is_empty() {
            let mut message = format!("`{}` did not run as expected:\n", self.command_line());
            for problem in &problems {
                writeln!(message, "  - {problem}").unwrap();
            }
            write!(
                message,
                "exit status: {status}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- end ---"
            )
            .unwrap();
            panic!("{message}");
        }
        Output {
            status,
            stdout,
            stderr,
        }
    }
}

// The harness itself: it must catch what it promises to catch.

#[test]
fn harness_passes_a_clean_run_and_shows_its_output() {
    let out = Cost::new()
        .args(["scenarios", "--format", "json"])
        .stdout_contains("\"scenarios\"")
        .run();
    assert_eq!(out.status, 0);
    assert!(out.stderr.is_empty());
    assert!(out.json()["scenarios"].is_array());
}

#[test]
#[should_panic(expected = "stderr is not empty")]
fn harness_rejects_unexpected_stderr() {
    // CSV prints its notes on stderr; the test did not say so.
    Cost::new().args(["compare", "--format", "csv"]).run();
}

#[test]
#[should_panic(expected = "exit status 2, expected 0")]
fn harness_rejects_an_unexpected_status() {
    Cost::new().args(["compare", "no-such-scenario"]).run();
}

#[test]
#[should_panic(expected = "an error (exit 2) printed to stdout")]
fn harness_holds_exit_2_to_the_error_shape() {
    // validate prints its findings and exits 2: only `.failure_report()` allows that.
    Cost::new()
        .args(["validate", "tests/fixtures/scenarios/bad-shares.toml"])
        .status(2)
        .stderr_any()
        .run();
}

#[test]
#[should_panic(expected = "stdout does not contain \"no such text\"")]
fn harness_checks_stdout() {
    Cost::new()
        .args(["scenarios"])
        .stdout_contains("default")
        .stdout_contains("no such text")
        .run();
}

#[test]
#[should_panic(expected = "stderr has a line that is not a note: \"error: ")]
fn harness_tells_notes_from_other_stderr() {
    Cost::new()
        .args([
            "validate",
            "tests/fixtures/scenarios/bad-shares.toml",
            "--format",
            "csv",
        ])
        .status(2)
        .failure_report()
        .stderr_only_notes()
        .run();
}

#[test]
fn harness_checks_exact_stdout_and_passes_the_environment() {
    Cost::new()
        .arg("--version")
        .stdout_contains(format!(
            "cost {} (prices verified ",
            env!("CARGO_PKG_VERSION")
        ))
        .run();
    // The caller's COST_FORMAT never leaks in; one the test sets does.
    let json = Cost::new()
        .arg("scenarios")
        .env("COST_FORMAT", "json")
        .run()
        .json();
    assert!(json["scenarios"].is_array());
}

#[test]
fn harness_quotes_the_command_line() {
    let line = Cost::new()
        .args(["compare", "a b", "it's", "--at", "2026-11-28"])
        .command_line();
    assert_eq!(line, r"cost compare 'a b' 'it'\''s' --at 2026-11-28");
}

/// The longest one run of the binary may take: a run that would go on (a
/// server that should have refused to start) fails its test instead of
/// stalling the suite.
const RUN_LIMIT: std::time::Duration = std::time::Duration::from_mins(3);

/// The child's exit and output, killing it if it outlives `RUN_LIMIT`
/// (and saying so).
fn wait_bounded(mut child: std::process::Child) -> std::io::Result<(std::process::Output, bool)> {
    fn drain(
        pipe: Option<impl std::io::Read + Send + 'static>,
    ) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    }
    let (stdout, stderr) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let deadline = std::time::Instant::now() + RUN_LIMIT;
    let mut killed = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            killed = true;
            break child.wait()?;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let out = std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    Ok((out, killed))
}
