//! Crash safety: the real `cost gateway` process under load, killed with
//! SIGKILL while requests are in flight (some answered, some stalled
//! upstream), then started again on the same ledger and log. The ledger
//! must hold every cost a client was told and every cost the log states
//! (nothing settled is lost), the holds open at the kill must be counted at
//! their worst case and none left open (no reservation leaks), and the
//! only difference between the ledger and the log is log lines still
//! queued at the kill, each worth one request.

use std::time::Duration;

use cost::gateway::price::worst_case;
use cost::money::Money;
use cost::pricing::{Catalog, ServiceTier};
use cost::tokenizer::Encoding;
use serde_json::{json, Value};

use super::process::Gateway;
use super::{bounded, chat, client, config_vars, log_lines, mock, money, KEY};

/// Concurrent clients answered at once, and requests stalled upstream.
const FAST: usize = 8;
const STALLED: usize = 4;

/// `cost gateway` on the test scenario, `mock` upstream and `dir`'s ledger.
fn gateway_args(mock: &str, dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    let scenario = crate::fixture("gateway/scenario.toml");
    let mut out: Vec<std::ffi::OsString> = [
        "gateway",
        &scenario,
        "--plan",
        "router",
        "--listen",
        "127.0.0.1:0",
        "--upstream",
        &format!("openai=http://{mock}"),
        "--ledger",
    ]
    .iter()
    .map(Into::into)
    .collect();
    out.push(dir.join("ledger.sqlite").into());
    out
}

/// The gateway on `dir`'s ledger and log, with `extra` arguments.
fn spawn(mock: &str, dir: &std::path::Path, extra: &[&str]) -> Gateway {
    let mut args = gateway_args(mock, dir);
    if !extra.contains(&"--log") {
        args.push("--log".into());
        args.push(dir.join("requests.jsonl").into());
    }
    args.extend(extra.iter().map(Into::into));
    Gateway::spawn(&args, &config_vars())
}

fn ledger_sums(path: &std::path::Path, month: &str) -> (Money, Money, usize, usize) {
    let db = rusqlite::Connection::open(path).unwrap();
    let spent: i64 = db
        .query_row(
            "SELECT coalesce(sum(picos), 0) FROM spend WHERE scope = 'total' AND window = ?1",
            [month],
            |r| r.get(0),
        )
        .unwrap();
    let (crashed, n): (i64, i64) = db
        .query_row(
            "SELECT coalesce(sum(picos), 0), count(*) FROM crashed_holds",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let open: i64 = db
        .query_row("SELECT count(*) FROM holds", [], |r| r.get(0))
        .unwrap();
    (
        Money::from_picos(i128::from(spent)),
        Money::from_picos(i128::from(crashed)),
        n as usize,
        open as usize,
    )
}

/// A second gateway on a ledger in use exits 2 naming the cause, and
/// the first one's budgets stay its own.
fn second_gateway_is_refused(mock: &str, dir: &std::path::Path) {
    let ledger = dir.join("ledger.sqlite");
    let mut cost = crate::Cost::new().args(gateway_args(mock, dir));
    for (var, value) in config_vars() {
        cost = cost.env(var, value);
    }
    cost.status(2)
        .stderr_contains(format!("cannot open the spend ledger {}", ledger.display()))
        .stderr_contains("another `cost gateway` on the same file?")
        .run();
}

// One scenario, kill and restart, read whole.
#[allow(clippy::too_many_lines)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_gateway_loses_no_settled_spend_and_leaks_no_reservation() {
    bounded(async {
        let dir = tempfile::tempdir().unwrap();
        let (mock_addr, _mock) = mock::start().await;
        let mock_addr = mock_addr.to_string();
        // Killed on one thread; restarted on the default runtime.
        let gw = spawn(&mock_addr, dir.path(), &["--threads", "1"]);
        let url = format!("http://{}/v1/chat/completions", gw.addr);
        let http = client();
        let mut fast = chat("hi");
        fast["mock_usage"] = json!({"prompt": 40, "output": 100});
        let mut stalled = fast.clone();
        stalled["mock"] = json!("stall");
        for _ in 0..STALLED {
            let (http, url, body) = (http.clone(), url.clone(), stalled.clone());
            tokio::spawn(async move {
                let _ = http.post(url).bearer_auth(KEY).json(&body).send().await;
            });
        }
        let (told_tx, mut told_rx) = tokio::sync::mpsc::unbounded_channel::<Money>();
        for _ in 0..FAST {
            let (http, url, body, told) =
                (http.clone(), url.clone(), fast.clone(), told_tx.clone());
            tokio::spawn(async move {
                loop {
                    let Ok(r) = http.post(&url).bearer_auth(KEY).json(&body).send().await else {
                        break;
                    };
                    let Some(c) = r
                        .headers()
                        .get("x-cost-usd")
                        .map(|v| money(&json!(v.to_str().unwrap())))
                    else {
                        break;
                    };
                    if told.send(c).is_err() {
                        break;
                    }
                }
            });
        }
        drop(told_tx);
        let mut told = Vec::new();
        while told.len() < 200 {
            told.push(told_rx.recv().await.expect("answers keep coming"));
        }
        second_gateway_is_refused(&mock_addr, dir.path());
        drop(gw); // SIGKILL, mid-load
        while let Some(c) = told_rx.recv().await {
            told.push(c);
        }
        let told_sum: Money = told.iter().copied().sum();
        let each = told[0];
        assert!(
            told.iter().all(|c| *c == each),
            "every answer costs the same"
        );

        let catalog = Catalog::builtin().unwrap().with_snapshot();
        let mini = catalog.lookup("gpt-4o-mini").unwrap();
        let counted = Encoding::O200k.count_chat(fast["messages"].as_array().unwrap());
        let worst = worst_case(
            mini,
            counted,
            Some(100),
            ServiceTier::Standard,
            jiff::Timestamp::now(),
        )
        .unwrap();

        let again = spawn(&mock_addr, dir.path(), &[]);
        let note = again
            .notes
            .recv_timeout(Duration::from_secs(5))
            .expect("a note about the holds left open");
        assert!(
            note.contains("were open when the last run stopped"),
            "{note}"
        );
        let log_path = dir.path().join("requests.jsonl");
        let before: Vec<Value> = log_lines(&log_path, 1).await;
        let r = http
            .post(format!("http://{}/v1/chat/completions", again.addr))
            .bearer_auth(KEY)
            .json(&fast)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "the restarted gateway serves");
        let lines = log_lines(&log_path, before.len() + 1).await;
        drop(again);

        let month = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y-%m")
            .to_string();
        let (spent, crashed, crashed_n, open) =
            ledger_sums(&dir.path().join("ledger.sqlite"), &month);
        let logged: Money = lines
            .iter()
            .filter_map(|l| l.get("cost_usd"))
            .map(money)
            .sum();
        let settled = spent - crashed;
        assert_eq!(open, 0, "no hold outlives a restart");
        assert!(
            (STALLED..=STALLED + FAST).contains(&crashed_n),
            "the stalled holds, and any answered ones in flight: {crashed_n}"
        );
        assert_eq!(
            crashed,
            Money::from_picos(worst.picos() * crashed_n as i128),
            "each counted at its worst case"
        );
        assert!(
            settled >= told_sum + each,
            "every cost a client was told is in the ledger (plus the request after the restart)"
        );
        assert!(
            settled >= logged,
            "every cost the log states is in the ledger"
        );
        let missing = settled - logged;
        assert_eq!(
            missing.picos() % each.picos(),
            0,
            "the ledger and the log differ by whole requests: {missing}"
        );
        assert!(
            missing.picos() / each.picos() <= FAST as i128,
            "at most the log lines queued at the kill: {missing}"
        );
    })
    .await;
}

/// A ledger that stops recording is said on stderr (once a second at
/// most) and counted on /metrics; the client still gets its answer, and
/// the hold its settlement could not close stays in the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_the_ledger_refuses_is_said_and_counted() {
    bounded(async {
        let dir = tempfile::tempdir().unwrap();
        let (mock_addr, _mock) = mock::start().await;
        let gw = spawn(&mock_addr.to_string(), dir.path(), &[]);
        let ledger = dir.path().join("ledger.sqlite");
        rusqlite::Connection::open(&ledger)
            .unwrap()
            .execute_batch("DROP TABLE spend")
            .unwrap();
        let said = one_call_then_said(
            gw,
            "\ncost_gateway_ledger_failed_writes_total 1\n",
            "could not record",
        )
        .await;
        assert!(
            said.starts_with("warning: cost gateway: the spend ledger could not record 1 write (no such table: spend)."),
            "{said}"
        );
        let open: i64 = rusqlite::Connection::open(&ledger)
            .unwrap()
            .query_row("SELECT count(*) FROM holds", [], |r| r.get(0))
            .unwrap();
        assert_eq!(open, 1, "the unsettled hold stays, to count at its worst case");
    })
    .await;
}

/// A request log the disk refuses (`/dev/full`: no space left) is said
/// and counted the same way; the call is answered, its cost in the ledger.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_line_the_disk_refuses_is_said_and_counted() {
    bounded(async {
        let dir = tempfile::tempdir().unwrap();
        let (mock_addr, _mock) = mock::start().await;
        let gw = spawn(&mock_addr.to_string(), dir.path(), &["--log", "/dev/full"]);
        let said = one_call_then_said(
            gw,
            "\ncost_gateway_log_failed_lines_total 1\n",
            "could not take",
        )
        .await;
        assert!(
            said.starts_with("warning: cost gateway: the request log could not take 1 line (No space left on device"),
            "{said}"
        );
        let spent: i64 = rusqlite::Connection::open(dir.path().join("ledger.sqlite"))
            .unwrap()
            .query_row("SELECT coalesce(sum(picos), 0) FROM spend", [], |r| r.get(0))
            .unwrap();
        assert!(spent > 0, "the call's cost is in the ledger");
    })
    .await;
}

/// One answered call through `gw`; then /metrics must hold `counted`, and
/// the line of stderr that contains `needle` is returned (within 5 s).
async fn one_call_then_said(gw: Gateway, counted: &str, needle: &'static str) -> String {
    let http = client();
    let r = http
        .post(format!("http://{}/v1/chat/completions", gw.addr))
        .bearer_auth(KEY)
        .json(&chat("hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("x-cost-usd"));
    let metrics = http
        .get(format!("http://{}/metrics", gw.addr))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains(counted), "{metrics}");
    tokio::task::spawn_blocking(move || {
        let mut seen = Vec::new();
        while let Ok(line) = gw.notes.recv_timeout(Duration::from_secs(5)) {
            if line.contains(needle) {
                return line;
            }
            seen.push(line);
        }
        panic!("no warning on stderr: {seen:?}");
    })
    .await
    .unwrap()
}
