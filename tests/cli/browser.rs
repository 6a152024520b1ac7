//! The board report in a real browser: headless Chromium (the OS package;
//! `.ci/run` installs it, `COST_CHROMIUM` names another binary) opens the
//! report of every built-in scenario, once each, dumping the DOM it built,
//! its console log and a screenshot. Checked: no console message at all
//! (a blocked request is a Content-Security-Policy message), no element
//! that could fetch anything, every chart drawn with labelled axes, and a
//! screenshot of the window's size that is not blank. Without Chromium the
//! test says SKIPPED loudly, and fails when `COST_CI_REQUIRE=1`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::Cost;

const WINDOW: (u32, u32) = (1200, 2200);
/// Longest one page may take, start to screenshot.
const PAGE_TIMEOUT: Duration = Duration::from_secs(90);

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("COST_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// A child process killed if the test stops before it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What Chromium made of one page: the DOM it built and its log.
struct Visit {
    dom: String,
    log: String,
}

fn visit(chromium: &Path, page: &Path, screenshot: &Path, profile: &Path) -> Visit {
    let mut child = Child(
        Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--hide-scrollbars",
                // Nothing resolves: the page could not reach a network if it tried.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--enable-logging=stderr",
                "--v=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
            .arg(format!("--screenshot={}", screenshot.display()))
            .arg("--dump-dom")
            .arg(format!("file://{}", page.display()))
            .env("DBUS_SESSION_BUS_ADDRESS", "disabled:")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display())),
    );
    let mut out = child.0.stdout.take().unwrap();
    let mut err = child.0.stderr.take().unwrap();
    let dom = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let log = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            assert!(
                status.success(),
                "chromium exited {status} on {}",
                page.display()
            );
            break;
        }
        assert!(
            start.elapsed() < PAGE_TIMEOUT,
            "chromium took over {PAGE_TIMEOUT:?} on {}",
            page.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Visit {
        dom: dom.join().unwrap(),
        log: log.join().unwrap(),
    }
}

/// The page's own console messages (Chromium's logs about the machine,
/// such as a missing D-Bus, are not the page's).
fn console(log: &str) -> Vec<&str> {
    log.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

fn dom_problems(dom: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for tag in ["<h1>", "<h2", "<table", "<caption", "<th scope=\"col\""] {
        if !dom.contains(tag) {
            problems.push(format!("no {tag}"));
        }
    }
    for fetches in [
        "<script", "<link", "<img", "<iframe", "<object", "<embed", " src=", "url(", "@import",
    ] {
        if dom.contains(fetches) {
            problems.push(format!("the page has `{fetches}`"));
        }
    }
    for piece in dom.split("href=\"").skip(1) {
        if !piece.starts_with('#') {
            problems.push(format!(
                "a link off the page: {}",
                &piece[..60.min(piece.len())]
            ));
        }
    }
    let charts: Vec<&str> = dom
        .split("<svg")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap_or(""))
        .collect();
    if charts.len() < 2 {
        problems.push(format!(
            "{} charts (bands and tornado at least)",
            charts.len()
        ));
    }
    for (i, svg) in charts.iter().enumerate() {
        let shapes = ["<rect", "<line", "<path", "<circle", "<polyline"]
            .iter()
            .map(|t| svg.matches(t).count())
            .sum::<usize>();
        if shapes < 5 {
            problems.push(format!("chart {i} draws {shapes} shapes"));
        }
        if !svg.contains("<title") || !svg.contains("<desc") {
            problems.push(format!("chart {i} has no title or description"));
        }
        let labelled = ["USD per month", "USD per 1,000 requests"]
            .iter()
            .any(|x| svg.contains(x))
            && ["assumption", "plan", "quality"]
                .iter()
                .any(|y| svg.contains(y));
        if !labelled {
            problems.push(format!("chart {i} has no labelled axes"));
        }
    }
    problems
}

/// Width, height and the share of pixels that are not near-white, from a
/// PNG of 8-bit RGB or RGBA (what Chromium writes).
fn png_ink(bytes: &[u8]) -> (u32, u32, f64) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let (mut width, mut height, mut channels) = (0u32, 0u32, 0usize);
    let mut data = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let kind = &bytes[at + 4..at + 8];
        let body = &bytes[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(body[0..4].try_into().unwrap());
                height = u32::from_be_bytes(body[4..8].try_into().unwrap());
                assert_eq!(body[8], 8, "8-bit samples");
                assert_eq!(body[12], 0, "not interlaced");
                channels = match body[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
            }
            b"IDAT" => data.extend_from_slice(body),
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&data[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width as usize * channels;
    let mut prev = vec![0u8; stride];
    let mut ink = 0usize;
    for row in raw.chunks(stride + 1).take(height as usize) {
        let (filter, line) = (row[0], &row[1..]);
        let mut cur = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= channels { cur[i - channels] } else { 0 };
            let b = prev[i];
            let c = if i >= channels { prev[i - channels] } else { 0 };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => a.midpoint(b),
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                other => panic!("filter {other}"),
            };
            cur[i] = line[i].wrapping_add(predicted);
        }
        ink += cur
            .chunks(channels)
            .filter(|px| px[..3].iter().any(|v| *v < 235))
            .count();
        prev = cur;
    }
    (
        width,
        height,
        ink as f64 / (f64::from(width) * f64::from(height)),
    )
}

fn builtin_scenarios() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(str::to_string)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_builtin_scenarios_report_renders_cleanly_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        let msg = "SKIPPED: every_builtin_scenarios_report_renders…: no Chromium (apt-get install chromium, or set COST_CHROMIUM; .ci/run installs it)";
        assert!(
            std::env::var("COST_CI_REQUIRE").as_deref() != Ok("1"),
            "{msg}, and COST_CI_REQUIRE=1 requires it"
        );
        eprintln!("{msg}");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    let scenarios = builtin_scenarios();
    assert!(scenarios.len() >= 7, "{scenarios:?}");
    let mut failures = Vec::new();
    // Every scenario, then one report with plan vs actual (`--replay`).
    let mut runs: Vec<(String, Vec<String>)> = scenarios
        .iter()
        .map(|name| (name.clone(), vec![name.clone()]))
        .collect();
    runs.push((
        "routing-example-replay".into(),
        ["routing-example", "--plan", "perfect-router", "--replay"]
            .iter()
            .map(|s| (*s).to_string())
            .chain([super::fixture("report/gateway-routing.jsonl")])
            .collect(),
    ));
    for (name, args) in &runs {
        let page = dir.path().join(format!("{name}.html"));
        let shot = dir.path().join(format!("{name}.png"));
        Cost::new()
            .arg("report")
            .args(args)
            .args(["--at", "2026-12-01", "--trials", "40", "-o"])
            .arg(&page)
            .stderr_any()
            .run();
        let seen = visit(&chromium, &page, &shot, &profile);
        let mut problems: Vec<String> = console(&seen.log)
            .iter()
            .map(|l| format!("console: {l}"))
            .collect();
        problems.extend(dom_problems(&seen.dom));
        let png = std::fs::read(&shot).unwrap_or_default();
        if png.len() < 20_000 {
            problems.push(format!("a screenshot of {} bytes", png.len()));
        } else {
            let (w, h, ink) = png_ink(&png);
            if (w, h) != WINDOW {
                problems.push(format!(
                    "a {w}x{h} screenshot, not {}x{}",
                    WINDOW.0, WINDOW.1
                ));
            }
            if ink < 0.03 {
                problems.push(format!("a blank screenshot ({:.1}% ink)", ink * 100.0));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  {}", problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_checks_catch_a_page_that_fetches_or_errs() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: the_checks_catch_a_page_that_fetches_or_errs: no Chromium");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    let html = Cost::new()
        .args(["report", "default", "--at", "2026-12-01", "--trials", "20"])
        .run()
        .stdout
        .replace(
            "</main>",
            r#"<img alt="" src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></main>"#,
        );
    std::fs::write(&page, html).unwrap();
    let seen = visit(
        &chromium,
        &page,
        &dir.path().join("bad.png"),
        &dir.path().join("p"),
    );
    let messages = console(&seen.log).join("\n");
    assert!(messages.contains("Content Security Policy"), "{messages}");
    let problems = dom_problems(&seen.dom).join("\n");
    assert!(
        problems.contains("`<img`") && problems.contains("`<script`"),
        "{problems}"
    );
}
