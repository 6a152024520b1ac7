//! Crash safety: the real `cost gateway` process under load, killed with
//! SIGKILL while requests are in flight (some answered, some stalled
//! upstream), then started again on the same ledger and log. The ledger
//! must hold every cost a client was told and every cost the log states
//! (nothing settled is lost), the leases open at the kill must cover the
//! stalled calls at their worst case and none be left open after a clean
//! stop (no reservation leaks), and what was flushed to spend before the
//! kill must be in the log, but for lines being written at that moment.

use std::time::Duration;

use cost::gateway::lease;
use cost::gateway::price::worst_case;
use cost::money::Money;
use cost::pricing::{Catalog, ServiceTier};
use cost::tokenizer::Encoding;
use serde_json::{json, Value};

use super::process::Gateway;
use super::{bounded, chat, client, config_vars, log_lines, metrics_until, mock, money, KEY};

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

/// The total's spend in `month`, what the restart counted of the leases a
/// crash left (in that bucket), and the leases and holds still open.
fn ledger_sums(path: &std::path::Path, month: &str) -> (Money, Money, usize) {
    let db = rusqlite::Connection::open(path).unwrap();
    let spent: i64 = db
        .query_row(
            "SELECT coalesce(sum(picos), 0) FROM spend WHERE scope = 'total' AND window = ?1",
            [month],
            |r| r.get(0),
        )
        .unwrap();
    let crashed: i64 = db
        .query_row(
            "SELECT coalesce(sum(picos), 0) FROM crashed_holds WHERE buckets = 'total' || char(31) || ?1",
            [month],
            |r| r.get(0),
        )
        .unwrap();
    let open: i64 = db
        .query_row(
            "SELECT (SELECT count(*) FROM leases) + (SELECT count(*) FROM holds)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (
        Money::from_picos(i128::from(spent)),
        Money::from_picos(i128::from(crashed)),
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
            .expect("a note about the leases left open");
        assert!(
            note.contains("budget lease(s) were open when the last run stopped"),
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
        // A clean stop this time: settled costs flushed, leases handed back.
        again.terminate();

        let month = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .strftime("%Y-%m")
            .to_string();
        let (spent, crashed, open) = ledger_sums(&dir.path().join("ledger.sqlite"), &month);
        let logged: Money = lines
            .iter()
            .filter_map(|l| l.get("cost_usd"))
            .map(money)
            .sum();
        let stalled = Money::from_picos(worst.picos() * STALLED as i128);
        assert_eq!(open, 0, "no lease or hold outlives a clean stop");
        assert!(
            crashed >= stalled,
            "the leases left at the kill cover the stalled calls' worst case: {crashed} < {stalled}"
        );
        // And at most what a lease may run ahead: what was owed at its last
        // extension (calls in flight at their worst case, costs settled
        // since the last flush, some of them answered after the kill) and
        // `AHEAD` more calls' worst case.
        let ahead = Money::from_picos(
            worst.picos() * (STALLED + FAST) as i128 + worst.picos() * lease::AHEAD,
        );
        let unanswered = Money::from_picos(each.picos() * FAST as i128);
        assert!(
            crashed <= ahead + told_sum + unanswered,
            "a lease runs ahead by at most {} calls: {crashed} counted",
            lease::AHEAD
        );
        assert!(
            spent >= told_sum + each + stalled,
            "every cost a client was told is in the ledger (plus the request after the \
             restart), and the stalled calls at their worst case"
        );
        assert!(
            spent >= logged + stalled,
            "every cost the log states is in the ledger"
        );
        let flushed = spent - crashed;
        assert!(
            flushed <= logged + Money::from_picos(each.picos() * FAST as i128),
            "what was flushed to spend was logged, but for lines being written at the kill: \
             {flushed} against {logged}"
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
        let leased: i64 = rusqlite::Connection::open(&ledger)
            .unwrap()
            .query_row(
                "SELECT coalesce(sum(picos), 0) FROM leases WHERE scope = 'total'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(
            leased > 0,
            "the call's lease stays, to count its cost as spent at the next start"
        );
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
        let counted: i64 = rusqlite::Connection::open(dir.path().join("ledger.sqlite"))
            .unwrap()
            .query_row(
                "SELECT (SELECT coalesce(sum(picos), 0) FROM spend WHERE scope = 'total')
                      + (SELECT coalesce(sum(picos), 0) FROM leases WHERE scope = 'total')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(counted > 0, "the call's cost is in the ledger, spent or leased");
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
    // A settlement is written by the next flush, a tenth of a second on.
    metrics_until(&format!("http://{}", gw.addr), counted).await;
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
