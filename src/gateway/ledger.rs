//! The embedded spend ledger: SQLite (bundled) in WAL mode, one process
//! its only writer: the gateway holds an exclusive lock (`flock`) on the
//! file while it runs, because a second gateway on the same file would
//! keep its own view of the budgets; it is refused at start. Commits
//! append to the write-ahead log without waiting for the disk
//! (`synchronous=NORMAL`: a killed process loses nothing); the one step
//! that waits for the disk, the checkpoint that copies the log into the
//! database and syncs it, runs on a thread of its own with its own
//! connection, so no request waits for a sync of more than the few
//! frames its second pass copies (`checkpoint`), and the log is rewound
//! ten times a second instead of growing. A new ledger uses 1 KiB
//! pages: every commit appends each page it changed to the log, and a
//! request's two commits change a few small rows, so 4 KiB pages wrote
//! four times the bytes (1 KiB pages served 20% more requests/s at 32
//! connections, BENCHMARKS.md "Gateway"). The budget check runs in
//! memory under one lock; what it decides is written before the call goes
//! on:
//!
//! - `reserve` records the hold (its amount and buckets) in `holds`;
//! - `settle` deletes the hold and adds the exact cost to `spend` in one
//!   transaction, before the answer is returned or logged, so every cost
//!   a client was told or the log states is in the ledger;
//! - `release` deletes the hold.
//!
//! A hold still in `holds` when the ledger opens was in flight when the
//! process died: the provider may have billed it, and nothing says how
//! much. It is counted as spent at its reserved worst case (never less
//! than what it can have cost), moved to `crashed_holds` for the operator
//! to reconcile against the provider's invoice, and reported at start.
//! So no settled spend is lost, and no reservation outlives a restart.

use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::thread::JoinHandle;
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

use super::budget::{
    windows, Accounts, After, Bucket, Commit, Commits, Hold, Ledger, LedgerError, Refused, Who,
};
use crate::money::Money;

/// Separates the scope from the window, and the buckets, in a stored hold.
const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

pub struct SqliteLedger {
    core: Arc<Core>,
    recovered: Recovered,
    /// The file's lock and its checkpointer (none in memory).
    on_disk: Option<OnDisk>,
}

/// How often the checkpointer copies the write-ahead log into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// What a ledger in a file holds beside its connection.
struct OnDisk {
    _lock: File,
    stop: Option<Sender<()>>,
    checkpointer: Option<JoinHandle<()>>,
}

/// The budgets in memory, the writes queued behind them, and the
/// connection they are committed on (taken before the queue, so batches
/// commit in the order they were queued).
struct Core {
    state: Mutex<State>,
    conn: Mutex<Connection>,
    /// Writes and transactions committed (or tried) since the ledger opened.
    writes: AtomicU64,
    transactions: AtomicU64,
    /// Writes in transactions that failed, and the newest failure's reason.
    failed: AtomicU64,
    last_error: Mutex<Option<String>>,
}

struct State {
    accounts: Accounts,
    queue: Vec<Queued>,
    /// A commit task is on its way for what is queued.
    scheduled: bool,
    /// The id the next hold gets.
    next_id: u64,
    /// Holds reserved and not yet settled or released: the requests in
    /// flight a write could share its transaction with.
    in_flight: usize,
    /// The day (UTC) the accounts' buckets were last pruned for.
    pruned_for: jiff::civil::Date,
}

/// One write waiting for its transaction.
struct Queued {
    write: Write,
    then: After,
    done: tokio::sync::oneshot::Sender<Result<(), Refused>>,
}

enum Write {
    /// A hold to record; released in memory again if it cannot be.
    Hold(Hold, i64),
    /// A hold replaced by its cost (picos) in each of its buckets.
    Settle(Hold, i64),
    Release(u64),
}

impl Drop for SqliteLedger {
    fn drop(&mut self) {
        // What is still queued (its commit task never ran) is written now.
        self.core.drain();
        if let Some(d) = &mut self.on_disk {
            drop(d.stop.take());
            if let Some(t) = d.checkpointer.take() {
                let _ = t.join();
            }
        }
    }
}

/// Takes the file's exclusive lock (creating the file), or says who has it.
fn lock(path: &Path) -> Result<File, LedgerError> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| LedgerError(e.to_string()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(in_use()),
        Err(std::fs::TryLockError::Error(e)) => Err(LedgerError(e.to_string())),
    }
}

/// Copies the write-ahead log into the database every `CHECKPOINT_EVERY`,
/// and once more at stop (see `checkpoint`).
fn checkpointer(path: &Path, core: Arc<Core>) -> Result<(Sender<()>, JoinHandle<()>), LedgerError> {
    let conn = Connection::open(path).map_err(|e| err(&e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| err(&e))?;
    let (tx, rx) = channel::<()>();
    let run = move || loop {
        let stop = matches!(
            rx.recv_timeout(CHECKPOINT_EVERY),
            Err(RecvTimeoutError::Disconnected)
        );
        // A failed checkpoint is retried next time; the log keeps every commit.
        let _ = checkpoint(&conn, &core);
        if stop {
            break;
        }
    };
    let handle = std::thread::Builder::new()
        .name("cost-ledger-checkpoint".into())
        .spawn(run)
        .map_err(|e| LedgerError(e.to_string()))?;
    Ok((tx, handle))
}

/// What a checkpoint left: frames in the write-ahead log, and how many of
/// them are in the database now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Checkpointed {
    frames: i64,
    copied: i64,
}

/// One checkpoint, in two passes, so the log starts again from its
/// beginning. SQLite rewinds the log only at the start of a write when a
/// checkpoint has copied all of it; a checkpoint that runs while writes go
/// on never has, so the log would grow without end (it did: 45 MB per
/// 14,000 requests), and each append would search ever longer chains of
/// the log's index for its page. The first pass copies and syncs while
/// the gateway writes; the second holds the writer's connection for the
/// few frames appended since (two syncs of little data), and the next
/// commit rewinds the log. Commits queued meanwhile wait for it, on a
/// thread of the blocking pool, not on the runtime (`Core::start`).
fn checkpoint(conn: &Connection, core: &Core) -> Result<Checkpointed, LedgerError> {
    let pass = || {
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok(Checkpointed {
                frames: r.get(1)?,
                copied: r.get(2)?,
            })
        })
        .map_err(|e| err(&e))
    };
    let first = pass()?;
    if first.frames == 0 {
        return Ok(first);
    }
    let _writer = core.conn();
    pass()
}

/// Holds found open at start (a crash), now counted at their worst case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovered {
    pub holds: usize,
    pub amount: Money,
}

fn err(e: &rusqlite::Error) -> LedgerError {
    LedgerError(e.to_string())
}

/// The ledger file is another process's.
fn in_use() -> LedgerError {
    LedgerError(
        "it is locked by another process (another `cost gateway` on the same file?); \
         each gateway needs its own --ledger, or stop the other one first"
            .into(),
    )
}

fn picos(m: Money) -> Result<i64, LedgerError> {
    i64::try_from(m.picos()).map_err(|_| LedgerError(format!("${m} does not fit the ledger")))
}

fn encode(buckets: &[Bucket]) -> String {
    let mut out = String::new();
    for (i, b) in buckets.iter().enumerate() {
        if i > 0 {
            out.push(RECORD);
        }
        out.push_str(&b.scope);
        out.push(UNIT);
        out.push_str(&b.window);
    }
    out
}

fn decode(text: &str) -> Vec<Bucket> {
    text.split(RECORD)
        .filter_map(|r| r.split_once(UNIT))
        .map(|(scope, window)| Bucket {
            scope: scope.to_string(),
            window: window.to_string(),
        })
        .collect()
}

impl SqliteLedger {
    /// Opens (or creates) the ledger at `path` with these limits, counting
    /// any hold a crash left open; `:memory:` keeps it in memory only. Of
    /// the spend stored, the buckets of `now`'s day and month are loaded:
    /// the only ones a budget checks (see `Accounts::prune`).
    pub fn open(
        path: &Path,
        mut accounts: Accounts,
        now: Timestamp,
    ) -> Result<SqliteLedger, LedgerError> {
        let in_memory = path.as_os_str() == ":memory:";
        let file_lock = if in_memory { None } else { Some(lock(path)?) };
        let mut conn = Connection::open(path).map_err(|e| err(&e))?;
        conn.execute_batch(
            "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             PRAGMA busy_timeout=5000;
             PRAGMA wal_autocheckpoint=0;
             CREATE TABLE IF NOT EXISTS spend (
               scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
               PRIMARY KEY (scope, window)) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS holds (
               id INTEGER PRIMARY KEY, buckets TEXT NOT NULL, picos INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS crashed_holds (
               id INTEGER NOT NULL, buckets TEXT NOT NULL, picos INTEGER NOT NULL,
               counted_at TEXT NOT NULL);",
        )
        .map_err(|e| err(&e))?;
        let recovered = recover(&mut conn, now)?;
        {
            let (day, month) = windows(now);
            let mut stmt = conn
                .prepare("SELECT scope, window, picos FROM spend WHERE window IN (?1, ?2)")
                .map_err(|e| err(&e))?;
            let rows = stmt
                .query_map(params![day, month], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })
                .map_err(|e| err(&e))?;
            for row in rows {
                let (scope, window, picos) = row.map_err(|e| err(&e))?;
                accounts.buckets.insert(
                    Bucket { scope, window },
                    (Money::from_picos(i128::from(picos)), Money::ZERO),
                );
            }
        }
        let next_id = conn
            .query_row(
                "SELECT coalesce(max(id), 0) + 1 FROM crashed_holds",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| err(&e))? as u64;
        let core = Arc::new(Core {
            state: Mutex::new(State {
                accounts,
                queue: Vec::new(),
                scheduled: false,
                next_id,
                in_flight: 0,
                pruned_for: now.to_zoned(jiff::tz::TimeZone::UTC).date(),
            }),
            conn: Mutex::new(conn),
            writes: AtomicU64::new(0),
            transactions: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            last_error: Mutex::new(None),
        });
        let on_disk = match file_lock {
            Some(lock) => {
                let (stop, handle) = checkpointer(path, core.clone())?;
                Some(OnDisk {
                    _lock: lock,
                    stop: Some(stop),
                    checkpointer: Some(handle),
                })
            }
            None => None,
        };
        Ok(SqliteLedger {
            core,
            recovered,
            on_disk,
        })
    }

    /// What this start found left open by the last one.
    pub fn recovered(&self) -> Recovered {
        self.recovered
    }

    /// Reservations held now (not yet settled or released).
    pub fn open_holds(&self) -> Result<usize, LedgerError> {
        self.core.drain();
        self.core
            .conn()
            .query_row("SELECT count(*) FROM holds", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| err(&e))
    }
}

/// Counts the holds a crash left open as spent at their worst case.
fn recover(conn: &mut Connection, now: Timestamp) -> Result<Recovered, LedgerError> {
    let tx = conn.transaction().map_err(|e| err(&e))?;
    let open: Vec<(i64, String, i64)> = {
        let mut stmt = tx
            .prepare("SELECT id, buckets, picos FROM holds ORDER BY id")
            .map_err(|e| err(&e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| err(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| err(&e))?
    };
    let now = now.to_string();
    let mut out = Recovered::default();
    for (id, buckets, amount) in &open {
        let buckets_of = decode(buckets);
        let additions: Vec<_> = buckets_of.iter().map(|b| (b, *amount)).collect();
        add_spend(&tx, &additions)?;
        tx.execute(
            "INSERT INTO crashed_holds (id, buckets, picos, counted_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, buckets, amount, now],
        )
        .map_err(|e| err(&e))?;
        out.holds += 1;
        out.amount += Money::from_picos(i128::from(*amount));
    }
    tx.execute("DELETE FROM holds", []).map_err(|e| err(&e))?;
    tx.commit().map_err(|e| err(&e))?;
    Ok(out)
}

impl Core {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("ledger lock poisoned")
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().expect("ledger connection lock poisoned")
    }

    /// Queues `write` (the caller holds `state`), and says whether a commit
    /// must be started for it.
    fn queue(state: &mut State, write: Write, then: After) -> (Commit, bool) {
        let (commit, done) = Commit::pending();
        state.queue.push(Queued { write, then, done });
        let start = !std::mem::replace(&mut state.scheduled, true);
        (commit, start)
    }

    /// Commits what is queued: from a task of the async runtime when there
    /// is one (after the other ready requests have queued theirs), at once
    /// when there is not. When the connection is taken (a checkpoint's
    /// second pass), a thread of the blocking pool waits for it, so the
    /// runtime goes on serving.
    fn start(self: &Arc<Self>) {
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                let core = self.clone();
                rt.spawn(async move {
                    tokio::task::yield_now().await;
                    if !core.try_drain() {
                        drop(tokio::task::spawn_blocking(move || core.drain()));
                    }
                });
            }
            Err(_) => self.drain(),
        }
    }

    /// Starts the commit of a write queued by the only request in flight:
    /// on this thread at once, since no other request is on its way to
    /// share the transaction (one in flight, this saves the commit task's
    /// round through the scheduler and its poll of the sockets); through
    /// `start` when the connection is taken (a checkpoint's second pass).
    fn start_alone(self: &Arc<Self>) {
        if !self.try_drain() {
            self.start();
        }
    }

    /// Commits the queue if the connection is free; false when it is taken.
    fn try_drain(&self) -> bool {
        match self.conn.try_lock() {
            Ok(conn) => {
                self.drain_on(&conn);
                true
            }
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Poisoned(_)) => panic!("ledger connection lock poisoned"),
        }
    }

    /// Starts the commit of a write just queued (`start`: whether one must
    /// be started; `alone`: no other request is in flight).
    fn commit_queued(self: &Arc<Self>, start: bool, alone: bool) {
        match (start, alone) {
            (false, _) => {}
            (true, true) => self.start_alone(),
            (true, false) => self.start(),
        }
    }

    /// Commits the queue, batch after batch, until it is empty.
    fn drain(&self) {
        self.drain_on(&self.conn());
    }

    fn drain_on(&self, conn: &Connection) {
        loop {
            let batch = {
                let mut state = self.state();
                if state.queue.is_empty() {
                    state.scheduled = false;
                    return;
                }
                std::mem::take(&mut state.queue)
            };
            let result = write_batch(conn, &batch);
            self.transactions.fetch_add(1, Ordering::Relaxed);
            self.writes.fetch_add(batch.len() as u64, Ordering::Relaxed);
            if let Err(e) = &result {
                self.failed.fetch_add(batch.len() as u64, Ordering::Relaxed);
                *self.last_error.lock().expect("ledger error lock poisoned") = Some(e.0.clone());
                // Not recorded, not held: each call is refused rather than
                // unbudgeted, its hold released before anyone hears.
                let mut state = self.state();
                for q in &batch {
                    if let Write::Hold(hold, _) = &q.write {
                        state.accounts.release(hold);
                        state.in_flight = state.in_flight.saturating_sub(1);
                    }
                }
            }
            // What runs after each write (the log lines) runs first, its
            // lines appended together; then the writers hear.
            let mut done = Vec::with_capacity(batch.len());
            super::log::batched(|| {
                for q in batch {
                    if let Some(then) = q.then {
                        then();
                    }
                    done.push(q.done);
                }
            });
            for d in done {
                let _ = d.send(result.clone().map_err(Refused::from));
            }
        }
    }
}

/// One transaction for a batch of writes. A batch of one statement (a
/// lone hold or release, as with one request in flight) commits by itself;
/// `BEGIN` and `COMMIT` are cached statements, not parsed again each time.
fn write_batch(conn: &Connection, batch: &[Queued]) -> Result<(), LedgerError> {
    if let [only] = batch {
        match &only.write {
            Write::Hold(hold, amount) => return insert_hold(conn, hold, *amount),
            Write::Release(id) => return delete_hold(conn, *id),
            Write::Settle(..) => {}
        }
    }
    run(conn, "BEGIN")?;
    match write_all(conn, batch).and_then(|()| run(conn, "COMMIT")) {
        Ok(()) => Ok(()),
        Err(e) => {
            // Nothing of a failed batch stays: its holds are released in
            // memory (`drain`), and the holds its settlements would have
            // closed stay, counted at their worst case at the next start.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn run(conn: &Connection, sql: &str) -> Result<(), LedgerError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute([]))
        .map(drop)
        .map_err(|e| err(&e))
}

/// A batch's writes, inside its transaction. Holds are inserted and
/// deleted one by one; the costs settled are summed per bucket first and
/// added once each, because a batch's settlements mostly share their
/// buckets (a key's day and month, the total's month).
fn write_all(conn: &Connection, batch: &[Queued]) -> Result<(), LedgerError> {
    let mut spent = Spent::default();
    for q in batch {
        match &q.write {
            Write::Hold(hold, amount) => insert_hold(conn, hold, *amount)?,
            Write::Settle(hold, cost) => {
                for b in &hold.buckets {
                    spent.add(b, *cost);
                }
                delete_hold(conn, hold.id)?;
            }
            Write::Release(id) => delete_hold(conn, *id)?,
        }
    }
    let additions: Vec<_> = spent.additions().collect();
    add_spend(conn, &additions)
}

/// Adds each cost to its bucket's spend, `ADD_SPEND_ROWS` buckets a statement.
fn add_spend(conn: &Connection, additions: &[(&Bucket, i64)]) -> Result<(), LedgerError> {
    for part in additions.chunks(ADD_SPEND_ROWS) {
        let mut add = conn
            .prepare_cached(add_spend_rows(part.len()))
            .map_err(|e| err(&e))?;
        for (i, (b, picos)) in part.iter().enumerate() {
            let at = 3 * i + 1;
            add.raw_bind_parameter(at, &b.scope)
                .and_then(|()| add.raw_bind_parameter(at + 1, &b.window))
                .and_then(|()| add.raw_bind_parameter(at + 2, picos))
                .map_err(|e| err(&e))?;
        }
        add.raw_execute().map_err(|e| err(&e))?;
    }
    Ok(())
}

/// The most buckets one statement adds to: a batch's settlements touch a
/// few (a key's day and month, the total's), and one statement for all of
/// them runs SQLite's statement machinery once instead of once a bucket.
const ADD_SPEND_ROWS: usize = 8;

/// The statement that adds to the spend of `rows` buckets (1 to
/// `ADD_SPEND_ROWS`), creating the rows it lacks.
fn add_spend_rows(rows: usize) -> &'static str {
    static TEXT: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let text = TEXT.get_or_init(|| {
        (1..=ADD_SPEND_ROWS)
            .map(|n| {
                let values: Vec<String> = (0..n)
                    .map(|i| format!("(?{}, ?{}, ?{})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                    .collect();
                format!(
                    "INSERT INTO spend (scope, window, picos) VALUES {}
                     ON CONFLICT(scope, window) DO UPDATE SET picos = picos + excluded.picos",
                    values.join(", ")
                )
            })
            .collect()
    });
    &text[rows - 1]
}

/// The costs a batch settles, summed per bucket (in the order first seen).
#[derive(Default)]
struct Spent<'a>(Vec<(&'a Bucket, i128)>);

impl<'a> Spent<'a> {
    fn add(&mut self, bucket: &'a Bucket, picos: i64) {
        match self.0.iter_mut().find(|(b, _)| *b == bucket) {
            Some((_, sum)) => *sum += i128::from(picos),
            None => self.0.push((bucket, i128::from(picos))),
        }
    }

    /// Each bucket's addition, as stored integers: nothing for a sum of
    /// zero, and a sum past the column's range in several parts.
    fn additions(self) -> impl Iterator<Item = (&'a Bucket, i64)> {
        self.0.into_iter().flat_map(|(b, sum)| {
            let part = i128::from(i64::MAX) * sum.signum();
            let whole = if part == 0 { 0 } else { sum / part };
            let rest = if part == 0 { 0 } else { sum % part };
            std::iter::repeat_n((b, part as i64), whole as usize)
                .chain((rest != 0).then_some((b, rest as i64)))
        })
    }
}

fn insert_hold(conn: &Connection, hold: &Hold, amount: i64) -> Result<(), LedgerError> {
    conn.prepare_cached("INSERT INTO holds (id, buckets, picos) VALUES (?1, ?2, ?3)")
        .and_then(|mut s| s.execute(params![hold.id as i64, encode(&hold.buckets), amount]))
        .map(drop)
        .map_err(|e| err(&e))
}

fn delete_hold(conn: &Connection, id: u64) -> Result<(), LedgerError> {
    conn.prepare_cached("DELETE FROM holds WHERE id = ?1")
        .and_then(|mut s| s.execute(params![id as i64]))
        .map(drop)
        .map_err(|e| err(&e))
}

impl Ledger for SqliteLedger {
    fn reserve_for(
        &self,
        who: Who<'_>,
        amount: Money,
        now: Timestamp,
    ) -> Result<(Hold, Commit), Refused> {
        let stored = picos(amount)?;
        let (hold, commit, start, alone) = {
            let mut state = self.core.state();
            let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
            if today != state.pruned_for {
                state.pruned_for = today;
                state.accounts.prune(now);
            }
            let mut hold = state.accounts.reserve(who, amount, now)?;
            hold.id = state.next_id;
            state.next_id += 1;
            let alone = state.in_flight == 0;
            state.in_flight += 1;
            let (commit, start) = Core::queue(&mut state, Write::Hold(hold.clone(), stored), None);
            (hold, commit, start, alone)
        };
        self.core.commit_queued(start, alone);
        Ok((hold, commit))
    }

    fn settle(&self, hold: Hold, cost: Money, then: After) -> Commit {
        let stored = picos(cost);
        let (commit, start, alone) = {
            let mut state = self.core.state();
            state.accounts.settle(&hold, cost);
            state.in_flight = state.in_flight.saturating_sub(1);
            let alone = state.in_flight == 0;
            match stored {
                Ok(p) => {
                    let (commit, start) = Core::queue(&mut state, Write::Settle(hold, p), then);
                    (commit, start, alone)
                }
                Err(e) => {
                    drop(state);
                    if let Some(then) = then {
                        then();
                    }
                    return Commit::done(Err(e.into()));
                }
            }
        };
        self.core.commit_queued(start, alone);
        commit
    }

    fn release(&self, hold: Hold, then: After) -> Commit {
        let (commit, start, alone) = {
            let mut state = self.core.state();
            state.accounts.release(&hold);
            state.in_flight = state.in_flight.saturating_sub(1);
            let alone = state.in_flight == 0;
            // A hold left behind by a failed write is counted at its worst
            // case on the next start: the safe side.
            let (commit, start) = Core::queue(&mut state, Write::Release(hold.id), then);
            (commit, start, alone)
        };
        self.core.commit_queued(start, alone);
        commit
    }

    fn commits(&self) -> Option<Commits> {
        Some(Commits {
            writes: self.core.writes.load(Ordering::Relaxed),
            transactions: self.core.transactions.load(Ordering::Relaxed),
            failed: self.core.failed.load(Ordering::Relaxed),
            last_error: self.core.last_error.lock().ok().and_then(|e| e.clone()),
        })
    }

    fn spent(&self, bucket: &Bucket) -> Result<Money, LedgerError> {
        if let Some(b) = self.core.state().accounts.buckets.get(bucket) {
            return Ok(b.0);
        }
        // Not in memory: of a window before today's (pruned, with no hold
        // left in it) or not loaded at the open. The file has every bucket.
        let picos: Option<i64> = self
            .core
            .conn()
            .query_row(
                "SELECT picos FROM spend WHERE scope = ?1 AND window = ?2",
                params![bucket.scope, bucket.window],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| err(&e))?;
        Ok(picos.map_or(Money::ZERO, |p| Money::from_picos(i128::from(p))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::config::Limits;

    /// When the tests' ledgers open: the day their writes are made on.
    fn opened() -> Timestamp {
        "2026-12-01T09:00:00Z".parse().unwrap()
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

    fn day() -> Bucket {
        Bucket {
            scope: "total".into(),
            window: "2026-12-01".into(),
        }
    }

    #[test]
    fn spend_survives_reopening_and_an_open_hold_counts_at_its_worst_case() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let ledger = SqliteLedger::open(&path, limits(), opened()).unwrap();
        let (hold, c) = ledger
            .reserve_for(key("a"), Money::from_picos(600), now)
            .unwrap();
        written(c).unwrap();
        written(ledger.settle(hold, Money::from_picos(700), None)).unwrap();
        let (released, c) = ledger
            .reserve_for(Who::default(), Money::from_picos(50), now)
            .unwrap();
        written(c).unwrap();
        written(ledger.release(released, None)).unwrap();
        // In flight when the process dies: neither settled nor released.
        let _lost = ledger
            .reserve_for(Who::default(), Money::from_picos(100), now)
            .unwrap();
        assert_eq!(ledger.open_holds().unwrap(), 1);
        drop(ledger);
        let again = SqliteLedger::open(&path, limits(), opened()).unwrap();
        assert_eq!(
            again.recovered(),
            Recovered {
                holds: 1,
                amount: Money::from_picos(100)
            }
        );
        assert_eq!(again.open_holds().unwrap(), 0);
        assert_eq!(again.spent(&day()).unwrap(), Money::from_picos(800));
        assert_eq!(
            again
                .spent(&Bucket {
                    scope: "key:a".into(),
                    window: "2026-12".into()
                })
                .unwrap(),
            Money::from_picos(700)
        );
        assert!(again
            .reserve_for(Who::default(), Money::from_picos(201), now)
            .is_err());
        assert!(again
            .reserve_for(Who::default(), Money::from_picos(200), now)
            .is_ok());
        drop(again);
        let third = SqliteLedger::open(&path, limits(), opened()).unwrap();
        assert_eq!(
            third.recovered().holds,
            1,
            "the second start's hold, not the first's again"
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
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let roomy = Accounts {
            total: Limits {
                per_day: Some(Money::from_picos(1 << 40)),
                per_month: None,
            },
            ..Accounts::default()
        };
        let ledger = Arc::new(SqliteLedger::open(&path, roomy, opened()).unwrap());
        let rounds = 3000;
        let writer = {
            let ledger = ledger.clone();
            std::thread::spawn(move || {
                for _ in 0..rounds {
                    let (hold, c) = ledger
                        .reserve_for(key("a"), Money::from_picos(600), now)
                        .unwrap();
                    written(c).unwrap();
                    written(ledger.settle(hold, Money::from_picos(7), None)).unwrap();
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
    }

    #[test]
    fn a_second_gateway_on_the_same_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let first = SqliteLedger::open(&path, limits(), opened()).unwrap();
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

    /// Requests that are ready together share one transaction, and each
    /// one's `then` (its log line) has run when its commit resolves.
    #[tokio::test(flavor = "current_thread")]
    async fn writes_queued_together_commit_as_one_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let ledger = Arc::new(SqliteLedger::open(&path, Accounts::default(), opened()).unwrap());
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let logged = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (ledger, logged) = (ledger.clone(), logged.clone());
                tokio::spawn(async move {
                    let (hold, c) = ledger
                        .reserve_for(Who::default(), Money::from_picos(10), now)
                        .unwrap();
                    c.wait().await.unwrap();
                    // The upstream call, during which the others go on.
                    tokio::task::yield_now().await;
                    let seen = logged.clone();
                    let then: After = Some(Box::new(move || {
                        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }));
                    let settled = ledger.settle(hold, Money::from_picos(7), then);
                    settled.wait().await.unwrap();
                    logged.load(std::sync::atomic::Ordering::SeqCst) > 0
                })
            })
            .collect();
        for t in tasks {
            assert!(
                t.await.unwrap(),
                "the line is written before the commit resolves"
            );
        }
        assert_eq!(logged.load(std::sync::atomic::Ordering::SeqCst), 50);
        let c = ledger.commits().unwrap();
        assert_eq!((c.writes, c.failed), (100, 0));
        // The first hold, made while nothing else was in flight, commits
        // at once; the other writes share a few transactions.
        assert!(c.transactions <= 5, "{c:?}");
        assert_eq!(ledger.open_holds().unwrap(), 0);
        drop(Arc::try_unwrap(ledger).ok().expect("the tasks are done"));
        let again = SqliteLedger::open(&path, Accounts::default(), opened()).unwrap();
        assert_eq!(again.spent(&day()).unwrap(), Money::from_picos(350));
    }

    /// With nothing else in flight a write is committed before `reserve`
    /// or `settle` returns: nothing could share its transaction.
    #[tokio::test]
    async fn a_lone_request_commits_without_waiting_for_the_scheduler() {
        use futures_util::FutureExt;
        let ledger =
            SqliteLedger::open(Path::new(":memory:"), Accounts::default(), opened()).unwrap();
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let (hold, c) = ledger
            .reserve_for(Who::default(), Money::from_picos(10), now)
            .unwrap();
        assert_eq!(
            c.wait().now_or_never(),
            Some(Ok(())),
            "the hold is committed"
        );
        let (second, c2) = ledger
            .reserve_for(Who::default(), Money::from_picos(10), now)
            .unwrap();
        let mut queued = Box::pin(c2.wait());
        assert_eq!(
            (&mut queued).now_or_never(),
            None,
            "one more in flight: queued for a shared commit"
        );
        queued.await.unwrap();
        ledger
            .settle(second, Money::from_picos(3), None)
            .wait()
            .await
            .unwrap();
        assert_eq!(
            ledger
                .settle(hold, Money::from_picos(4), None)
                .wait()
                .now_or_never(),
            Some(Ok(())),
            "the last in flight settles at once"
        );
        assert_eq!(ledger.commits().unwrap().transactions, 4);
    }

    /// The buckets in memory are the current day's and month's, loaded at
    /// start and pruned when the day changes; the file keeps every one.
    #[test]
    fn memory_holds_the_current_windows_and_the_file_every_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let nov: Timestamp = "2026-11-30T12:00:00Z".parse().unwrap();
        let dec: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let bucket = |scope: &str, window: &str| Bucket {
            scope: scope.into(),
            window: window.into(),
        };
        let spend = |ledger: &SqliteLedger, scope: &str, window: &str| {
            ledger.spent(&bucket(scope, window)).unwrap()
        };
        let held = |ledger: &SqliteLedger, scope: &str, window: &str| {
            let state = ledger.core.state();
            state.accounts.buckets.contains_key(&bucket(scope, window))
        };
        let ledger = SqliteLedger::open(&path, Accounts::default(), nov).unwrap();
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
                "{scope} {window}, from memory or the file"
            );
        }
        drop(ledger);
        let reopened = SqliteLedger::open(&path, Accounts::default(), nov).unwrap();
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

    /// A batch's costs are added once per bucket, exactly, however large.
    #[test]
    fn a_batch_adds_each_buckets_costs_once() {
        let (day, month) = (
            day(),
            Bucket {
                scope: "total".into(),
                window: "2026-12".into(),
            },
        );
        let mut spent = Spent::default();
        for picos in [7, 5, 0] {
            spent.add(&day, picos);
            spent.add(&month, picos);
        }
        let none = Bucket {
            scope: "key:k".into(),
            window: "2026-12".into(),
        };
        spent.add(&none, 0);
        let out: Vec<_> = spent.additions().map(|(b, p)| (b.clone(), p)).collect();
        assert_eq!(out, vec![(day.clone(), 12), (month.clone(), 12)]);

        let mut big = Spent::default();
        for _ in 0..3 {
            big.add(&day, i64::MAX);
        }
        big.add(&day, 2);
        let parts: Vec<i64> = big.additions().map(|(_, p)| p).collect();
        assert_eq!(parts, vec![i64::MAX, i64::MAX, i64::MAX, 2]);
        let total: i128 = parts.iter().map(|&p| i128::from(p)).sum();
        assert_eq!(total, 3 * i128::from(i64::MAX) + 2);
    }

    /// A hold the disk refused is not held: the call is refused, and the
    /// budget it took is free again.
    #[test]
    fn a_hold_that_cannot_be_written_is_refused_and_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let ledger = SqliteLedger::open(&path, limits(), opened()).unwrap();
        let other = Connection::open(&path).unwrap();
        other.execute_batch("DROP TABLE holds").unwrap();
        let (_, c) = ledger
            .reserve_for(Who::default(), Money::from_picos(600), now)
            .unwrap();
        let e = written(c).unwrap_err();
        assert!(e.to_string().contains("holds"), "{e}");
        other
            .execute_batch(
                "CREATE TABLE holds (id INTEGER PRIMARY KEY, buckets TEXT NOT NULL, picos INTEGER NOT NULL)",
            )
            .unwrap();
        let (_, c) = ledger
            .reserve_for(Who::default(), Money::from_picos(1000), now)
            .expect("the refused hold's 600 is free again");
        written(c).unwrap();
        assert_eq!(ledger.open_holds().unwrap(), 1);
        let counted = ledger.commits().unwrap();
        assert_eq!(counted.failed, 1, "the refused write is counted");
        assert!(counted.last_error.unwrap().contains("holds"));
    }

    /// What keeps a commit's log append small (see the module's note).
    #[test]
    fn a_new_ledger_file_has_small_pages_in_write_ahead_log_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        drop(SqliteLedger::open(&path, limits(), opened()).unwrap());
        let conn = Connection::open(&path).unwrap();
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!((page, mode.as_str()), (1024, "wal"));
    }

    #[test]
    fn spend_added_in_statements_of_several_buckets_lands_in_each() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE spend (scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
               PRIMARY KEY (scope, window)) WITHOUT ROWID;",
        )
        .unwrap();
        let buckets: Vec<Bucket> = (0..19)
            .map(|i| Bucket {
                scope: format!("tag:{i}"),
                window: "2026-12".into(),
            })
            .collect();
        // 21 additions: past two whole statements, one bucket twice in a
        // statement, one in two statements.
        let mut additions: Vec<(&Bucket, i64)> = buckets.iter().zip(1..).collect();
        additions.insert(3, (&buckets[0], 100));
        additions.push((&buckets[0], 1000));
        add_spend(&conn, &additions).unwrap();
        add_spend(&conn, &additions[..1]).unwrap();
        let got: Vec<(String, i64)> = conn
            .prepare("SELECT scope, picos FROM spend ORDER BY picos")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut want: Vec<(String, i64)> = (1..19).map(|i| (format!("tag:{i}"), i + 1)).collect();
        want.push(("tag:0".into(), 1 + 100 + 1000 + 1));
        assert_eq!(got, want);
    }

    #[test]
    fn buckets_round_trip_through_their_stored_form() {
        let b = vec![
            day(),
            Bucket {
                scope: "tag:a b:c".into(),
                window: "2026-12".into(),
            },
        ];
        assert_eq!(decode(&encode(&b)), b);
    }
}
