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
//! pages: commits change a few small rows, and 4 KiB pages wrote four
//! times the bytes (BENCHMARKS.md "Gateway").
//!
//! The budget check runs in memory under one lock. What makes it durable
//! is a lease per budget bucket (`super::lease`): spend the file counts
//! ahead of use. A reservation or settlement its buckets' leases cover
//! needs no write; one they do not cover waits for a write that extends
//! them (batched with the others ready at the same moment: a group
//! commit). Ten times a second the settled costs move from the leases to
//! `spend`; at stop, what is left of each lease is handed back.
//!
//! A lease still in `leases` when the ledger opens was left by a process
//! that died. It covers what was in flight (the provider may have billed
//! it, and nothing says how much) and what was settled since the last
//! flush, so it is counted as spent in full (never less than what those
//! calls cost, at most the lease's unused part more), moved to
//! `crashed_holds` for the operator to reconcile against the provider's
//! invoice, and reported at start. So no settled spend is lost, and no
//! reservation outlives a restart.

mod store;

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};
use std::thread::JoinHandle;
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::Connection;

use super::budget::{
    windows, Accounts, After, Bucket, Commit, Commits, Hold, Ledger, LedgerError, Refused, Who,
};
use super::lease::{Flush, Lease};
use crate::money::Money;
pub use store::Recovered;
use store::{add_rows, err, picos, transaction, Sums, Table};

pub struct SqliteLedger {
    core: Arc<Core>,
    recovered: Recovered,
    /// The file's lock (none in memory).
    _lock: Option<File>,
    /// At drop, flush and hand the leases back (not when a test plays a
    /// crash).
    hand_back: bool,
    /// Stops the keeper, which flushes and checkpoints.
    stop: Option<Sender<()>>,
    keeper: Option<JoinHandle<()>>,
}

/// How often the keeper flushes settled costs and checkpoints the log.
const KEEP_EVERY: Duration = Duration::from_millis(100);

/// A lease of a window this long past is handed back once no call is in
/// flight in it: a call counts in the windows of the moment it started,
/// and none runs for an hour.
const STALE_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

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
    /// What time it is, for which leases are of windows past.
    clock: fn() -> Timestamp,
}

struct State {
    accounts: Accounts,
    /// Each bucket's money as the file holds it (spend and lease) and as
    /// memory owes it (in flight, settled since the last flush).
    leases: HashMap<Bucket, Lease>,
    /// Leases to extend before the calls they are for go on.
    queue: Vec<Queued>,
    /// A commit task is on its way for what is queued.
    scheduled: bool,
    /// Calls reserved and not yet settled or released: the requests in
    /// flight a write could share its transaction with.
    in_flight: usize,
    /// Settlements since the last flush (counted as writes when flushed).
    settled: u64,
    /// The day (UTC) the accounts' buckets were last pruned for.
    pruned_for: jiff::civil::Date,
}

/// A call whose buckets' leases must be extended to cover it.
struct Queued {
    hold: Hold,
    /// Its worst case, or the cost it settled at (picos).
    amount: i128,
    /// A reservation, refused and released if the write fails; else a
    /// settlement, whose cost stays owed and is flushed later.
    reservation: bool,
    then: After,
    done: tokio::sync::oneshot::Sender<Result<(), Refused>>,
}

impl Drop for SqliteLedger {
    fn drop(&mut self) {
        // What is still queued (its commit task never ran) is written, the
        // settled costs flushed and the leases handed back.
        if self.hand_back {
            self.core.drain();
            let conn = self.core.conn();
            let _ = self.core.flush_on(&conn, (self.core.clock)(), true);
        }
        drop(self.stop.take());
        if let Some(t) = self.keeper.take() {
            let _ = t.join();
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

/// Every `KEEP_EVERY`, and once more at stop: flushes settled costs to
/// `spend`, then (for a file, on a connection of its own) checkpoints.
fn keeper(
    core: Arc<Core>,
    checkpoints: Option<Connection>,
    every: Duration,
) -> Result<(Sender<()>, JoinHandle<()>), LedgerError> {
    let (tx, rx) = channel::<()>();
    let run = move || loop {
        let stop = matches!(rx.recv_timeout(every), Err(RecvTimeoutError::Disconnected));
        // A failed flush or checkpoint is retried next time: the leases and
        // the log keep what it would have written.
        core.flush();
        if let Some(conn) = &checkpoints {
            let _ = checkpoint(conn, &core);
        }
        if stop {
            break;
        }
    };
    let handle = std::thread::Builder::new()
        .name("cost-ledger".into())
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

/// The ledger file is another process's.
fn in_use() -> LedgerError {
    LedgerError(
        "it is locked by another process (another `cost gateway` on the same file?); \
         each gateway needs its own --ledger, or stop the other one first"
            .into(),
    )
}

impl SqliteLedger {
    /// Opens (or creates) the ledger at `path` with these limits, counting
    /// any lease a crash left open; `:memory:` keeps it in memory only. Of
    /// the spend stored, the buckets of `now`'s day and month are loaded:
    /// the only ones a budget checks (see `Accounts::prune`).
    pub fn open(
        path: &Path,
        accounts: Accounts,
        now: Timestamp,
    ) -> Result<SqliteLedger, LedgerError> {
        Self::open_keeping(path, accounts, now, KEEP_EVERY, Timestamp::now)
    }

    /// `open` with the keeper's round every `keep_every` and its `clock`
    /// (tests: rarely, on their own day, so that what is flushed when is
    /// theirs to say).
    fn open_keeping(
        path: &Path,
        mut accounts: Accounts,
        now: Timestamp,
        keep_every: Duration,
        clock: fn() -> Timestamp,
    ) -> Result<SqliteLedger, LedgerError> {
        let in_memory = path.as_os_str() == ":memory:";
        let file_lock = if in_memory { None } else { Some(lock(path)?) };
        let mut conn = store::open(path)?;
        let recovered = store::recover(&mut conn, now)?;
        for (bucket, spent) in store::current_spend(&conn, now)? {
            accounts.buckets.insert(bucket, (spent, Money::ZERO));
        }
        let core = Arc::new(Core {
            state: Mutex::new(State {
                accounts,
                leases: HashMap::new(),
                queue: Vec::new(),
                scheduled: false,
                in_flight: 0,
                settled: 0,
                pruned_for: now.to_zoned(jiff::tz::TimeZone::UTC).date(),
            }),
            conn: Mutex::new(conn),
            writes: AtomicU64::new(0),
            transactions: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            last_error: Mutex::new(None),
            clock,
        });
        let checkpoints = if in_memory {
            None
        } else {
            let c = Connection::open(path).map_err(|e| err(&e))?;
            c.busy_timeout(Duration::from_secs(5))
                .map_err(|e| err(&e))?;
            Some(c)
        };
        let (stop, handle) = keeper(core.clone(), checkpoints, keep_every)?;
        Ok(SqliteLedger {
            core,
            recovered,
            _lock: file_lock,
            hand_back: true,
            stop: Some(stop),
            keeper: Some(handle),
        })
    }

    /// What this start found left open by the last one.
    pub fn recovered(&self) -> Recovered {
        self.recovered
    }

    /// Reservations held now (not yet settled or released).
    pub fn open_holds(&self) -> Result<usize, LedgerError> {
        Ok(self.core.state().in_flight)
    }

    /// Moves the costs settled so far to `spend` now, instead of at the
    /// keeper's next round (tests read the file after it).
    pub fn flush(&self) -> Result<(), LedgerError> {
        self.core.drain();
        self.core
            .flush_on(&self.core.conn(), (self.core.clock)(), false)
    }
}

impl State {
    /// A lease for `bucket`, first counted in now: its stored spend is
    /// then all its spend (nothing is owed yet).
    fn new_lease(&self, bucket: &Bucket) -> Lease {
        let flushed = self
            .accounts
            .buckets
            .get(bucket)
            .map_or(Money::ZERO, |b| b.0);
        Lease {
            limit: self.accounts.limit_of(bucket).map(Money::picos),
            flushed: flushed.picos(),
            ..Lease::default()
        }
    }

    /// The lease of `bucket`, made on its first use.
    fn lease(&mut self, bucket: &Bucket) -> &mut Lease {
        if !self.leases.contains_key(bucket) {
            let lease = self.new_lease(bucket);
            self.leases.insert(bucket.clone(), lease);
        }
        self.leases.get_mut(bucket).expect("inserted above")
    }

    /// Applies `change` to the lease of each of `hold`'s buckets (one
    /// lookup each, the per-request path); true when they all cover what
    /// is owed after it.
    fn change_leases(&mut self, hold: &Hold, change: impl Fn(&mut Lease)) -> bool {
        let mut covered = true;
        for b in &hold.buckets {
            if let Some(lease) = self.leases.get_mut(b) {
                change(lease);
                covered &= lease.covered();
                continue;
            }
            let mut lease = self.new_lease(b);
            change(&mut lease);
            covered &= lease.covered();
            self.leases.insert(b.clone(), lease);
        }
        covered
    }

    /// Counts `amount` as in flight in each of `hold`'s buckets (negative:
    /// no longer); true when their leases cover it all.
    fn hold_in_leases(&mut self, hold: &Hold, amount: i128) -> bool {
        self.change_leases(hold, |l| l.reserved += amount)
    }

    /// Replaces `hold` by its `cost` in its buckets' leases; true when they
    /// cover it.
    fn settle_in_leases(&mut self, hold: &Hold, cost: i128) -> bool {
        let held = hold.amount.picos();
        self.change_leases(hold, |l| {
            l.reserved -= held;
            l.unflushed += cost;
        })
    }

    /// The extensions a batch's calls need, per bucket: each call's
    /// shortfall and the lease ahead of it (`Lease::extension`).
    fn extensions(&self, batch: &[Queued]) -> Vec<(Bucket, i128)> {
        let mut out: Vec<(Bucket, i128)> = Vec::new();
        for q in batch {
            for b in &q.hold.buckets {
                let Some(lease) = self.leases.get(b) else {
                    continue;
                };
                let planned = out.iter_mut().find(|(p, _)| p == b);
                let mut lease = *lease;
                lease.leased += planned.as_ref().map_or(0, |p| p.1);
                let ext = lease.extension(q.amount);
                match (ext, planned) {
                    (0, _) => {}
                    (_, Some(p)) => p.1 += ext,
                    (_, None) => out.push((b.clone(), ext)),
                }
            }
        }
        out
    }
}

impl Core {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("ledger lock poisoned")
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().expect("ledger connection lock poisoned")
    }

    /// Queues a lease extension for `hold` (the caller holds `state`), and
    /// says whether a commit must be started for it.
    fn queue(
        state: &mut State,
        hold: Hold,
        amount: i128,
        reservation: bool,
        then: After,
    ) -> (Commit, bool) {
        let (commit, done) = Commit::pending();
        state.queue.push(Queued {
            hold,
            amount,
            reservation,
            then,
            done,
        });
        let start = !std::mem::replace(&mut state.scheduled, true);
        (commit, start)
    }

    /// Commits what is queued: from a task of the async runtime when there
    /// is one (after the other ready requests have queued theirs), at once
    /// when there is not. When the connection is taken (a checkpoint's
    /// second pass, a flush), a thread of the blocking pool waits for it,
    /// so the runtime goes on serving.
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

    /// Starts the commit of a write queued: on this thread at once when no
    /// other request is in flight to share its transaction (this saves the
    /// commit task's round through the scheduler and its poll of the
    /// sockets), else through `start`.
    fn commit_queued(self: &Arc<Self>, start: bool, alone: bool) {
        if start && !(alone && self.try_drain()) {
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

    /// Commits the queue, batch after batch, until it is empty.
    fn drain(&self) {
        self.drain_on(&self.conn());
    }

    fn drain_on(&self, conn: &Connection) {
        loop {
            let (batch, plan) = {
                let mut state = self.state();
                if state.queue.is_empty() {
                    state.scheduled = false;
                    return;
                }
                let batch = std::mem::take(&mut state.queue);
                // Reckoned now, from the leases as the file holds them:
                // what an earlier batch extended may cover this one.
                let plan = state.extensions(&batch);
                (batch, plan)
            };
            let result = if plan.is_empty() {
                Ok(())
            } else {
                self.transactions.fetch_add(1, Ordering::Relaxed);
                self.writes.fetch_add(batch.len() as u64, Ordering::Relaxed);
                write_leases(conn, &plan)
            };
            {
                let mut state = self.state();
                match &result {
                    Ok(()) => {
                        for (b, ext) in &plan {
                            state.lease(b).leased += ext;
                        }
                    }
                    Err(e) => {
                        self.failed.fetch_add(batch.len() as u64, Ordering::Relaxed);
                        *self.last_error.lock().expect("ledger error lock poisoned") =
                            Some(e.0.clone());
                        // Not covered, not held: each call is refused rather
                        // than unbudgeted, its hold released before anyone
                        // hears. A settlement's cost stays owed, for the
                        // next flush.
                        for q in batch.iter().filter(|q| q.reservation) {
                            state.accounts.release(&q.hold);
                            state.hold_in_leases(&q.hold, -q.amount);
                            state.in_flight = state.in_flight.saturating_sub(1);
                        }
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

    /// The keeper's flush: on the writer's connection, after what is queued.
    fn flush(&self) {
        let conn = self.conn();
        self.drain_on(&conn);
        let _ = self.flush_on(&conn, (self.clock)(), false);
    }

    /// Moves the costs settled since the last flush from the leases to
    /// `spend`, and hands back the leases of windows past (all of them
    /// when `stopping`) in which nothing is in flight. The money is counted
    /// in the file throughout: both sides change in one transaction.
    fn flush_on(
        &self,
        conn: &Connection,
        now: Timestamp,
        stopping: bool,
    ) -> Result<(), LedgerError> {
        let (day, month) = windows(now);
        let (day_before, month_before) = windows(now - STALE_AFTER);
        let current = [day, month, day_before, month_before];
        let (plan, settled) = {
            let mut state = self.state();
            let plan: Vec<(Bucket, Flush)> = state
                .leases
                .iter()
                .filter_map(|(b, lease)| {
                    let past = !current.contains(&b.window);
                    lease.flush(stopping || past).map(|f| (b.clone(), f))
                })
                .collect();
            (plan, std::mem::take(&mut state.settled))
        };
        if plan.is_empty() {
            return Ok(());
        }
        let mut spend = Sums::default();
        let mut leases = Sums::default();
        for (b, f) in &plan {
            spend.add(b, f.spend);
            leases.add(b, -f.lease);
        }
        let (spend, leases) = (spend.additions(), leases.additions());
        let statements =
            spend.len().div_ceil(store::ADD_ROWS) + leases.len().div_ceil(store::ADD_ROWS) + 1;
        self.transactions.fetch_add(1, Ordering::Relaxed);
        let result = transaction(conn, statements, || {
            add_rows(conn, Table::Spend, &spend)?;
            add_rows(conn, Table::Leases, &leases)?;
            store::run(conn, "DELETE FROM leases WHERE picos = 0")
        });
        match &result {
            Ok(()) => {
                self.writes.fetch_add(settled, Ordering::Relaxed);
                let mut state = self.state();
                for (b, f) in plan {
                    if let Some(lease) = state.leases.get_mut(&b) {
                        lease.flushed_by(f);
                        if lease.is_idle() {
                            state.leases.remove(&b);
                        }
                    }
                }
            }
            Err(e) => {
                // Counted once: a flush retried holds no new settlement.
                self.failed.fetch_add(settled, Ordering::Relaxed);
                *self.last_error.lock().expect("ledger error lock poisoned") = Some(e.0.clone());
            }
        }
        result
    }
}

/// Extends the leases of `plan`'s buckets, in one transaction.
fn write_leases(conn: &Connection, plan: &[(Bucket, i128)]) -> Result<(), LedgerError> {
    let mut sums = Sums::default();
    for (b, ext) in plan {
        sums.add(b, *ext);
    }
    let additions = sums.additions();
    transaction(conn, additions.len().div_ceil(store::ADD_ROWS), || {
        add_rows(conn, Table::Leases, &additions)
    })
}

impl Ledger for SqliteLedger {
    fn reserve_for(
        &self,
        who: Who<'_>,
        amount: Money,
        now: Timestamp,
    ) -> Result<(Hold, Commit), Refused> {
        picos(amount)?;
        let (commit, start, alone, hold) = {
            let mut state = self.core.state();
            let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
            if today != state.pruned_for {
                state.pruned_for = today;
                state.accounts.prune(now);
            }
            let hold = state.accounts.reserve(who, amount, now)?;
            let alone = state.in_flight == 0;
            state.in_flight += 1;
            if state.hold_in_leases(&hold, amount.picos()) {
                return Ok((hold, Commit::done(Ok(()))));
            }
            let (commit, start) = Core::queue(&mut state, hold.clone(), amount.picos(), true, None);
            (commit, start, alone, hold)
        };
        self.core.commit_queued(start, alone);
        Ok((hold, commit))
    }

    fn settle(&self, hold: Hold, cost: Money, then: After) -> Commit {
        if let Err(e) = picos(cost) {
            // Left in flight at its worst case: counted, never as $0.
            if let Some(then) = then {
                then();
            }
            return Commit::done(Err(e.into()));
        }
        let (commit, start, alone) = {
            let mut state = self.core.state();
            state.accounts.settle(&hold, cost);
            state.in_flight = state.in_flight.saturating_sub(1);
            state.settled += 1;
            let alone = state.in_flight == 0;
            if state.settle_in_leases(&hold, cost.picos()) {
                drop(state);
                if let Some(then) = then {
                    then();
                }
                return Commit::done(Ok(()));
            }
            let (commit, start) = Core::queue(&mut state, hold, cost.picos(), false, then);
            (commit, start, alone)
        };
        self.core.commit_queued(start, alone);
        commit
    }

    fn release(&self, hold: Hold, then: After) -> Commit {
        {
            let mut state = self.core.state();
            state.accounts.release(&hold);
            state.hold_in_leases(&hold, -hold.amount.picos());
            state.in_flight = state.in_flight.saturating_sub(1);
        }
        if let Some(then) = then {
            then();
        }
        Commit::done(Ok(()))
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
        let owed = {
            let state = self.core.state();
            if let Some(b) = state.accounts.buckets.get(bucket) {
                return Ok(b.0);
            }
            state.leases.get(bucket).map_or(0, |l| l.unflushed)
        };
        // Not in memory: of a window before today's (pruned, with no hold
        // left in it) or not loaded at the open. The file has every bucket
        // but the costs settled since the last flush.
        let stored = store::spend_of(&self.core.conn(), bucket)?;
        Ok(stored + Money::from_picos(owed))
    }
}

#[cfg(test)]
mod tests;
