use proptest::prelude::*;

use super::*;
use crate::gateway::config::Limits;
use crate::gateway::lease::{AHEAD, LIMIT_SHARE};

/// When the tests' ledgers open: the day their writes are made on.
fn opened() -> Timestamp {
    "2026-12-01T09:00:00Z".parse().unwrap()
}

fn now() -> Timestamp {
    "2026-12-01T10:00:00Z".parse().unwrap()
}

/// A ledger whose keeper waits an hour between rounds: the test says when
/// settled costs are flushed.
fn open(path: &Path, accounts: Accounts, at: Timestamp) -> SqliteLedger {
    SqliteLedger::open_keeping(path, accounts, at, Duration::from_hours(1), now).unwrap()
}

impl SqliteLedger {
    /// Stops as a killed process would: nothing flushed or handed back
    /// (the keeper, left waiting, never runs again in the test).
    fn kill(mut self) {
        self.hand_back = false;
        std::mem::forget(self.stop.take());
        drop(self.keeper.take());
    }
}

fn limits() -> Accounts {
    Accounts {
        total: Limits {
            per_day: Some(Money::from_picos(1000)),
            per_month: None,
        },
        ..Accounts::default()
    }
}

fn key(k: &str) -> Who<'_> {
    Who {
        key: Some(k),
        tag: None,
    }
}

/// A commit outside an async runtime is made at once.
fn written(c: Commit) -> Result<(), Refused> {
    use futures_util::FutureExt;
    c.wait().now_or_never().expect("committed at once")
}

fn bucket(scope: &str, window: &str) -> Bucket {
    Bucket {
        scope: scope.into(),
        window: window.into(),
    }
}

fn day() -> Bucket {
    bucket("total", "2026-12-01")
}

/// What the file counts for a bucket: its spend and its lease.
fn in_file(conn: &Connection, b: &Bucket) -> (i128, i128) {
    let read = |table: &str| -> i128 {
        conn.query_row(
            &format!(
                "SELECT coalesce(sum(picos), 0) FROM {table} WHERE scope = ?1 AND window = ?2"
            ),
            rusqlite::params![b.scope, b.window],
            |r| r.get::<_, i64>(0),
        )
        .map(i128::from)
        .unwrap()
    };
    (read("spend"), read("leases"))
}

fn leases_in_file(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM leases", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_crash_counts_what_was_settled_and_in_flight_and_at_most_a_lease_more() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let ledger = open(&path, limits(), opened());
    let (hold, c) = ledger
        .reserve_for(key("a"), Money::from_picos(600), now())
        .unwrap();
    written(c).unwrap();
    written(ledger.settle(hold, Money::from_picos(700), None)).unwrap();
    let (released, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(50), now())
        .unwrap();
    written(c).unwrap();
    written(ledger.release(released, None)).unwrap();
    // In flight when the process dies: neither settled nor released.
    let (_lost, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(100), now())
        .unwrap();
    written(c).unwrap();
    assert_eq!(ledger.open_holds().unwrap(), 1);
    ledger.kill();

    let again = open(&path, limits(), opened());
    // The total's day: 700 settled, 100 in flight, and the lease ahead of
    // them, which a limit of 1,000 caps at 1,000 / 16.
    let ahead = 1000 / LIMIT_SHARE;
    let day_spent = again.spent(&day()).unwrap();
    assert_eq!(day_spent, Money::from_picos(800 + ahead));
    // a's month has no limit: its lease ran 256 calls of 600 ahead.
    let a_month = again.spent(&bucket("key:a", "2026-12")).unwrap();
    assert_eq!(a_month, Money::from_picos(600 + 600 * AHEAD));
    let r = again.recovered();
    assert_eq!(r.records, 4, "the total's and a's day and month");
    assert_eq!(r.largest, a_month);
    assert_eq!(again.open_holds().unwrap(), 0);
    let room = 1000 - 800 - ahead;
    assert!(again
        .reserve_for(Who::default(), Money::from_picos(room + 1), now())
        .is_err());
    let (h, c) = again
        .reserve_for(Who::default(), Money::from_picos(room), now())
        .unwrap();
    written(c).unwrap();
    written(again.settle(h, Money::from_picos(room), None)).unwrap();
    drop(again);
    assert_eq!(
        leases_in_file(&path),
        0,
        "a clean stop hands every lease back"
    );
    let third = open(&path, limits(), opened());
    assert_eq!(
        third.recovered().records,
        0,
        "the first crash is not counted again"
    );
    assert_eq!(third.spent(&day()).unwrap(), Money::from_picos(1000));
}

/// A checkpoint that runs while writes go on never copies the whole
/// log, so without the second pass the log never rewinds (here the
/// first assertion then fails) and would grow to hold every frame
/// written, about 9 MB.
#[test]
fn checkpoints_during_writes_rewind_the_log_instead_of_letting_it_grow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let wal = dir.path().join("ledger.sqlite-wal");
    let roomy = Accounts {
        total: Limits {
            per_day: Some(Money::from_picos(1 << 40)),
            per_month: None,
        },
        ..Accounts::default()
    };
    let ledger = Arc::new(open(&path, roomy, opened()));
    let rounds = 3000;
    let writer = {
        let ledger = ledger.clone();
        std::thread::spawn(move || {
            for _ in 0..rounds {
                let (hold, c) = ledger
                    .reserve_for(key("a"), Money::from_picos(600), now())
                    .unwrap();
                written(c).unwrap();
                written(ledger.settle(hold, Money::from_picos(7), None)).unwrap();
                // A flush a call: a transaction each time.
                ledger.flush().unwrap();
            }
        })
    };
    let reader = Connection::open(&path).unwrap();
    while !writer.is_finished() {
        let after = checkpoint(&reader, &ledger.core).unwrap();
        assert_eq!(
            after.frames, after.copied,
            "all of the log is in the database"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    writer.join().unwrap();
    let written_bytes = rounds as u64 * 3 * 1024;
    let size = std::fs::metadata(&wal).unwrap().len();
    assert!(
        size < written_bytes * 3 / 4,
        "the log holds {size} bytes of about {written_bytes} written"
    );
    assert_eq!(ledger.spent(&day()).unwrap(), Money::from_picos(rounds * 7));
    let (spend, _) = in_file(&ledger.core.conn(), &day());
    assert_eq!(spend, rounds * 7);
}

#[test]
fn a_second_gateway_on_the_same_file_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let first = open(&path, limits(), opened());
    let Err(e) = SqliteLedger::open(&path, limits(), opened()) else {
        panic!("two ledgers on one file");
    };
    assert!(e.to_string().contains("another `cost gateway`"), "{e}");
    drop(first);
    assert!(
        SqliteLedger::open(&path, limits(), opened()).is_ok(),
        "free once the first stops"
    );
}

/// Calls its buckets' leases cover need no write; those ready together
/// that do (here each key's first call) share one transaction, and each
/// one's `then` (its log line) has run when its commit resolves.
#[tokio::test(flavor = "current_thread")]
async fn calls_a_lease_covers_need_no_write_and_the_rest_commit_together() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let ledger = Arc::new(open(&path, Accounts::default(), opened()));
    let logged = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let names: Vec<String> = (0..50).map(|i| format!("k{i}")).collect();
    let tasks: Vec<_> = names
        .iter()
        .cloned()
        .map(|k| {
            let (ledger, logged) = (ledger.clone(), logged.clone());
            tokio::spawn(async move {
                for _ in 0..4 {
                    let (hold, c) = ledger
                        .reserve_for(key(&k), Money::from_picos(10), now())
                        .unwrap();
                    c.wait().await.unwrap();
                    // The upstream call, during which the others go on.
                    tokio::task::yield_now().await;
                    let seen = logged.clone();
                    let then: After = Some(Box::new(move || {
                        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }));
                    let before = logged.load(std::sync::atomic::Ordering::SeqCst);
                    ledger
                        .settle(hold, Money::from_picos(7), then)
                        .wait()
                        .await
                        .unwrap();
                    assert!(logged.load(std::sync::atomic::Ordering::SeqCst) > before);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(logged.load(std::sync::atomic::Ordering::SeqCst), 200);
    let c = ledger.commits().unwrap();
    // Each key's first call extended its leases (the first alone, at
    // once; the other 49 together): 50 writes in a few transactions, and
    // the 150 calls after them none.
    assert_eq!((c.writes, c.failed), (50, 0), "{c:?}");
    assert!(c.transactions <= 5, "{c:?}");
    assert_eq!(ledger.open_holds().unwrap(), 0);
    ledger.flush().unwrap();
    let c = ledger.commits().unwrap();
    assert_eq!(c.writes, 250, "the 200 settlements, flushed in one");
    let (spend, lease) = in_file(&ledger.core.conn(), &day());
    assert_eq!(spend, 1400);
    assert!(lease > 0, "kept while the gateway runs");
    drop(Arc::try_unwrap(ledger).ok().expect("the tasks are done"));
    assert_eq!(leases_in_file(&path), 0);
    let again = open(&path, Accounts::default(), opened());
    assert_eq!(again.spent(&day()).unwrap(), Money::from_picos(1400));
    assert_eq!(
        again.spent(&bucket("key:k7", "2026-12")).unwrap(),
        Money::from_picos(28)
    );
}

/// The one call in flight that needs a write commits it before `reserve`
/// returns: nothing could share its transaction.
#[tokio::test]
async fn a_lone_request_commits_without_waiting_for_the_scheduler() {
    use futures_util::FutureExt;
    let ledger = open(Path::new(":memory:"), Accounts::default(), opened());
    let (hold, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(10), now())
        .unwrap();
    assert_eq!(
        c.wait().now_or_never(),
        Some(Ok(())),
        "the lease is written"
    );
    let (covered, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(10), now())
        .unwrap();
    assert_eq!(c.wait().now_or_never(), Some(Ok(())), "covered: no write");
    let (other, c) = ledger
        .reserve_for(key("new"), Money::from_picos(10), now())
        .unwrap();
    let mut queued = Box::pin(c.wait());
    assert_eq!(
        (&mut queued).now_or_never(),
        None,
        "others in flight: queued for a shared commit"
    );
    queued.await.unwrap();
    for h in [covered, other, hold] {
        assert_eq!(
            ledger
                .settle(h, Money::from_picos(4), None)
                .wait()
                .now_or_never(),
            Some(Ok(())),
            "settled within the lease"
        );
    }
    assert_eq!(ledger.commits().unwrap().transactions, 2);
}

/// An answer billed past what its lease covers is written before the
/// commit resolves.
#[tokio::test]
async fn a_cost_past_the_lease_extends_it() {
    let ledger = open(Path::new(":memory:"), limits(), opened());
    let (hold, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(10), now())
        .unwrap();
    c.wait().await.unwrap();
    let (_, leased) = in_file(&ledger.core.conn(), &day());
    assert_eq!(leased, 10 + 1000 / LIMIT_SHARE);
    ledger
        .settle(hold, Money::from_picos(900), None)
        .wait()
        .await
        .unwrap();
    let (spend, leased) = in_file(&ledger.core.conn(), &day());
    assert_eq!(
        (spend, leased),
        (0, 900 + 1000 / LIMIT_SHARE),
        "900 owed, and the lease ahead"
    );
    assert_eq!(ledger.commits().unwrap().transactions, 2);
}

/// The buckets in memory are the current day's and month's, loaded at
/// start and pruned when the day changes; the file keeps every one, and
/// the leases of windows past are handed back once nothing is in flight.
#[test]
fn memory_holds_the_current_windows_and_the_file_every_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let nov: Timestamp = "2026-11-30T12:00:00Z".parse().unwrap();
    let dec: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
    let spend = |ledger: &SqliteLedger, scope: &str, window: &str| {
        ledger.spent(&bucket(scope, window)).unwrap()
    };
    let held = |ledger: &SqliteLedger, scope: &str, window: &str| {
        let state = ledger.core.state();
        state.accounts.buckets.contains_key(&bucket(scope, window))
    };
    let ledger = open(&path, Accounts::default(), nov);
    for (k, at) in [("old", nov), ("new", dec)] {
        let (hold, c) = ledger
            .reserve_for(key(k), Money::from_picos(9), at)
            .unwrap();
        written(c).unwrap();
        written(ledger.settle(hold, Money::from_picos(4), None)).unwrap();
    }
    assert!(!held(&ledger, "key:old", "2026-11-30"), "pruned on the 1st");
    assert!(held(&ledger, "key:new", "2026-12-01"));
    for (scope, window) in [("key:old", "2026-11-30"), ("key:new", "2026-12-01")] {
        assert_eq!(
            spend(&ledger, scope, window),
            Money::from_picos(4),
            "{scope} {window}, from memory, or the file and what is owed"
        );
    }
    ledger
        .core
        .flush_on(&ledger.core.conn(), dec, false)
        .unwrap();
    {
        let conn = ledger.core.conn();
        assert_eq!(in_file(&conn, &bucket("key:old", "2026-11-30")), (4, 0));
        assert_eq!(in_file(&conn, &bucket("key:old", "2026-11")), (4, 0));
        let (_, lease) = in_file(&conn, &bucket("key:new", "2026-12-01"));
        assert!(lease > 0, "today's lease stays");
    }
    assert_eq!(
        spend(&ledger, "key:old", "2026-11-30"),
        Money::from_picos(4)
    );
    drop(ledger);
    let reopened = open(&path, Accounts::default(), nov);
    assert!(held(&reopened, "key:old", "2026-11-30"));
    assert!(
        !held(&reopened, "key:new", "2026-12-01"),
        "not loaded on the 30th"
    );
    assert_eq!(spend(&reopened, "total", "2026-11"), Money::from_picos(4));
    assert_eq!(
        spend(&reopened, "key:new", "2026-12-01"),
        Money::from_picos(4),
        "read from the file"
    );
    assert_eq!(spend(&reopened, "key:none", "2026-12-01"), Money::ZERO);
    drop(reopened);
    let rows: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM spend", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows, 8,
        "each key's and the total's day and month, on both days"
    );
}

/// A lease the disk refused covers nothing: the call is refused, and the
/// budget it took is free again.
#[test]
fn a_lease_that_cannot_be_written_refuses_its_call_and_frees_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let ledger = open(&path, limits(), opened());
    let other = Connection::open(&path).unwrap();
    other.execute_batch("DROP TABLE leases").unwrap();
    let (_, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(600), now())
        .unwrap();
    let e = written(c).unwrap_err();
    assert!(e.to_string().contains("leases"), "{e}");
    assert_eq!(ledger.open_holds().unwrap(), 0);
    other
        .execute_batch(
            "CREATE TABLE leases (scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
               PRIMARY KEY (scope, window)) WITHOUT ROWID",
        )
        .unwrap();
    let (_, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(1000), now())
        .expect("the refused call's 600 is free again");
    written(c).unwrap();
    assert_eq!(ledger.open_holds().unwrap(), 1);
    let counted = ledger.commits().unwrap();
    assert_eq!(counted.failed, 1, "the refused write is counted");
    assert!(counted.last_error.unwrap().contains("leases"));
}

/// A flush the disk refuses is counted once per settlement and retried;
/// the lease keeps the cost counted meanwhile.
#[test]
fn a_flush_the_disk_refuses_is_counted_and_the_lease_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let ledger = open(&path, limits(), opened());
    let (hold, c) = ledger
        .reserve_for(Who::default(), Money::from_picos(60), now())
        .unwrap();
    written(c).unwrap();
    written(ledger.settle(hold, Money::from_picos(50), None)).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("DROP TABLE spend").unwrap();
    for _ in 0..3 {
        let e = ledger.flush().unwrap_err();
        assert!(e.0.contains("spend"), "{e}");
    }
    let counted = ledger.commits().unwrap();
    assert_eq!(counted.failed, 1, "{counted:?}");
    let leased: i64 = other
        .query_row(
            "SELECT picos FROM leases WHERE window = '2026-12-01'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(leased >= 50, "the settled 50 stays counted: {leased}");
    other
        .execute_batch(
            "CREATE TABLE spend (scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
               PRIMARY KEY (scope, window)) WITHOUT ROWID",
        )
        .unwrap();
    ledger.flush().unwrap();
    assert_eq!(in_file(&ledger.core.conn(), &day()).0, 50);
}

/// What keeps a commit's log append small (see the module's note).
#[test]
fn a_new_ledger_file_has_small_pages_in_write_ahead_log_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    drop(open(&path, limits(), opened()));
    let conn = Connection::open(&path).unwrap();
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!((page, mode.as_str()), (1024, "wal"));
}

#[derive(Debug, Clone)]
enum Op {
    Reserve { key: u8, amount: i128 },
    Settle { which: usize, cost: i128 },
    Release { which: usize },
    Flush,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0u8..3, 1i128..400).prop_map(|(key, amount)| Op::Reserve { key, amount }),
        3 => (any::<usize>(), 0i128..600).prop_map(|(which, cost)| Op::Settle { which, cost }),
        1 => any::<usize>().prop_map(|which| Op::Release { which }),
        1 => Just(Op::Flush),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// After every step, in every bucket, the file counts at least what
    /// was settled and what is in flight at its worst case (what a crash
    /// at that moment would leave), and its spend no more than was
    /// settled. The file never counts a limited bucket past its limit
    /// unless a cost itself went past its reservation.
    #[test]
    fn the_file_always_counts_what_a_crash_would_owe(ops in proptest::collection::vec(op(), 1..60)) {
        let mut accounts = limits();
        accounts.keys.insert("k1".into(), Limits { per_day: Some(Money::from_picos(5000)), per_month: None });
        let ledger = open(Path::new(":memory:"), accounts, opened());
        let mut held: Vec<Hold> = Vec::new();
        let mut past_limit = false;
        for op in ops {
            match op {
                Op::Reserve { key: k, amount } => {
                    let name = format!("k{k}");
                    if let Ok((h, c)) = ledger.reserve_for(key(&name), Money::from_picos(amount), now()) {
                        written(c).unwrap();
                        held.push(h);
                    }
                }
                Op::Settle { which, cost } if !held.is_empty() => {
                    let h = held.remove(which % held.len());
                    past_limit |= cost > h.amount.picos();
                    written(ledger.settle(h, Money::from_picos(cost), None)).unwrap();
                }
                Op::Release { which } if !held.is_empty() => {
                    let h = held.remove(which % held.len());
                    written(ledger.release(h, None)).unwrap();
                }
                Op::Flush => ledger.flush().unwrap(),
                _ => {}
            }
            let state = ledger.core.state();
            let conn = ledger.core.conn.try_lock().unwrap();
            for (b, (spent, reserved)) in &state.accounts.buckets {
                let (spend, lease) = in_file(&conn, b);
                let owed = spent.picos() + reserved.picos();
                prop_assert!(spend + lease >= owed, "{b:?}: file {spend} + {lease} < owed {owed}");
                prop_assert!(spend <= spent.picos(), "{b:?}: spend is only what was settled");
                if let Some(limit) = state.accounts.limit_of(b) {
                    if !past_limit {
                        prop_assert!(spend + lease <= limit.picos(), "{b:?} past its limit");
                    }
                }
            }
        }
    }
}
