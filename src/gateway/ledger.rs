//! The embedded spend ledger: SQLite (bundled) in WAL mode. Settled spend
//! is written per bucket in one transaction per call and read back at
//! start, so budgets survive a restart. Reservations live in memory under
//! the same lock as the check (one process is the only writer): a call in
//! flight when the process dies is neither settled nor reserved after the
//! restart; the request log says whether it was answered.

use std::path::Path;
use std::sync::Mutex;

use jiff::Timestamp;
use rusqlite::{params, Connection};

use super::budget::{Accounts, Bucket, Hold, Ledger, LedgerError, OverBudget};
use crate::money::Money;

pub struct SqliteLedger {
    inner: Mutex<(Accounts, Connection)>,
}

fn err(e: &rusqlite::Error) -> LedgerError {
    LedgerError(e.to_string())
}

impl SqliteLedger {
    /// Opens (or creates) the ledger at `path` with these limits;
    /// `:memory:` keeps it in memory only.
    pub fn open(path: &Path, mut accounts: Accounts) -> Result<SqliteLedger, LedgerError> {
        let conn = Connection::open(path).map_err(|e| err(&e))?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;
             CREATE TABLE IF NOT EXISTS spend (
               scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
               PRIMARY KEY (scope, window));",
        )
        .map_err(|e| err(&e))?;
        {
            let mut stmt = conn
                .prepare("SELECT scope, window, picos FROM spend")
                .map_err(|e| err(&e))?;
            let rows = stmt
                .query_map([], |r| {
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
        Ok(SqliteLedger {
            inner: Mutex::new((accounts, conn)),
        })
    }
}

impl Ledger for SqliteLedger {
    fn reserve(
        &self,
        key: Option<&str>,
        amount: Money,
        now: Timestamp,
    ) -> Result<Hold, OverBudget> {
        let mut inner = self.inner.lock().expect("ledger lock poisoned");
        inner.0.reserve(key, amount, now)
    }

    fn settle(&self, hold: Hold, cost: Money) -> Result<(), LedgerError> {
        let mut guard = self.inner.lock().expect("ledger lock poisoned");
        let (accounts, conn) = &mut *guard;
        accounts.settle(&hold, cost);
        if cost == Money::ZERO {
            return Ok(());
        }
        let picos =
            i64::try_from(cost.picos()).map_err(|_| LedgerError("cost too large".into()))?;
        let tx = conn.transaction().map_err(|e| err(&e))?;
        for b in &hold.buckets {
            tx.execute(
                "INSERT INTO spend (scope, window, picos) VALUES (?1, ?2, ?3)
                 ON CONFLICT(scope, window) DO UPDATE SET picos = picos + excluded.picos",
                params![b.scope, b.window, picos],
            )
            .map_err(|e| err(&e))?;
        }
        tx.commit().map_err(|e| err(&e))
    }

    fn release(&self, hold: Hold) {
        let mut inner = self.inner.lock().expect("ledger lock poisoned");
        inner.0.release(&hold);
    }

    fn spent(&self, bucket: &Bucket) -> Money {
        let inner = self.inner.lock().expect("ledger lock poisoned");
        inner.0.buckets.get(bucket).map_or(Money::ZERO, |b| b.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::config::Limits;

    #[test]
    fn spend_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let limits = || Accounts {
            total: Limits {
                per_day: Some(Money::from_picos(1000)),
                per_month: None,
            },
            ..Accounts::default()
        };
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let ledger = SqliteLedger::open(&path, limits()).unwrap();
        let hold = ledger
            .reserve(Some("a"), Money::from_picos(600), now)
            .unwrap();
        ledger.settle(hold, Money::from_picos(700)).unwrap();
        let lost = ledger.reserve(None, Money::from_picos(100), now).unwrap();
        drop(lost);
        drop(ledger);
        let again = SqliteLedger::open(&path, limits()).unwrap();
        let day = Bucket {
            scope: "total".into(),
            window: "2026-12-01".into(),
        };
        assert_eq!(again.spent(&day), Money::from_picos(700));
        assert_eq!(
            again.spent(&Bucket {
                scope: "key:a".into(),
                window: "2026-12".into()
            }),
            Money::from_picos(700)
        );
        assert!(again.reserve(None, Money::from_picos(301), now).is_err());
        assert!(again.reserve(None, Money::from_picos(300), now).is_ok());
    }
}
