//! The ledger file's tables and the statements that change them: spend
//! per bucket, the leases ahead of it, and what a crash left open.

use std::path::Path;

use jiff::Timestamp;
use rusqlite::{params, Connection};

use super::super::budget::{windows, Bucket, LedgerError};
use crate::money::Money;

/// Separates the scope from the window, and the buckets, in a stored hold.
const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// The tables; `holds` is read at start only, for a file an earlier
/// version left with calls in flight.
const SCHEMA: &str = "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
     PRAGMA busy_timeout=5000;
     PRAGMA wal_autocheckpoint=0;
     CREATE TABLE IF NOT EXISTS spend (
       scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
       PRIMARY KEY (scope, window)) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS leases (
       scope TEXT NOT NULL, window TEXT NOT NULL, picos INTEGER NOT NULL,
       PRIMARY KEY (scope, window)) WITHOUT ROWID;
     CREATE TABLE IF NOT EXISTS holds (
       id INTEGER PRIMARY KEY, buckets TEXT NOT NULL, picos INTEGER NOT NULL);
     CREATE TABLE IF NOT EXISTS crashed_holds (
       id INTEGER NOT NULL, buckets TEXT NOT NULL, picos INTEGER NOT NULL,
       counted_at TEXT NOT NULL);";

pub fn err(e: &rusqlite::Error) -> LedgerError {
    LedgerError(e.to_string())
}

/// Opens the file (or `:memory:`) and makes its tables.
pub fn open(path: &Path) -> Result<Connection, LedgerError> {
    let conn = Connection::open(path).map_err(|e| err(&e))?;
    conn.execute_batch(SCHEMA).map_err(|e| err(&e))?;
    Ok(conn)
}

/// Money in the form the file stores.
pub fn picos(m: Money) -> Result<i64, LedgerError> {
    i64::try_from(m.picos()).map_err(|_| LedgerError(format!("${m} does not fit the ledger")))
}

pub fn encode(buckets: &[Bucket]) -> String {
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

pub fn decode(text: &str) -> Vec<Bucket> {
    text.split(RECORD)
        .filter_map(|r| r.split_once(UNIT))
        .map(|(scope, window)| Bucket {
            scope: scope.to_string(),
            window: window.to_string(),
        })
        .collect()
}

/// The spend stored for `now`'s day and month: the buckets a budget checks.
pub fn current_spend(
    conn: &Connection,
    now: Timestamp,
) -> Result<Vec<(Bucket, Money)>, LedgerError> {
    let (day, month) = windows(now);
    let mut stmt = conn
        .prepare("SELECT scope, window, picos FROM spend WHERE window IN (?1, ?2)")
        .map_err(|e| err(&e))?;
    let rows = stmt
        .query_map(params![day, month], |r| {
            Ok((
                Bucket {
                    scope: r.get(0)?,
                    window: r.get(1)?,
                },
                Money::from_picos(i128::from(r.get::<_, i64>(2)?)),
            ))
        })
        .map_err(|e| err(&e))?;
    rows.collect::<Result<_, _>>().map_err(|e| err(&e))
}

/// The spend stored for one bucket (0 when it has none).
pub fn spend_of(conn: &Connection, bucket: &Bucket) -> Result<Money, LedgerError> {
    use rusqlite::OptionalExtension;
    let picos: Option<i64> = conn
        .query_row(
            "SELECT picos FROM spend WHERE scope = ?1 AND window = ?2",
            params![bucket.scope, bucket.window],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| err(&e))?;
    Ok(picos.map_or(Money::ZERO, |p| Money::from_picos(i128::from(p))))
}

/// What a start found left open by the last run (a crash): leases, and
/// holds of an earlier version, each now counted as spent in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Records counted: one per lease (a bucket) or per old hold.
    pub records: usize,
    /// The largest amount one budget bucket was charged for them.
    pub largest: Money,
}

/// Counts what a crash left open as spent in its buckets, moves it to
/// `crashed_holds` for the operator to reconcile, and empties `leases`
/// and `holds`, in one transaction.
pub fn recover(conn: &mut Connection, now: Timestamp) -> Result<Recovered, LedgerError> {
    let tx = conn.transaction().map_err(|e| err(&e))?;
    let mut open: Vec<(String, i64)> = {
        let mut stmt = tx
            .prepare("SELECT buckets, picos FROM holds ORDER BY id")
            .map_err(|e| err(&e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| err(&e))?;
        rows.collect::<Result<_, _>>().map_err(|e| err(&e))?
    };
    {
        let mut stmt = tx
            .prepare(
                "SELECT scope, window, picos FROM leases WHERE picos != 0 ORDER BY scope, window",
            )
            .map_err(|e| err(&e))?;
        let rows = stmt
            .query_map([], |r| {
                let b = Bucket {
                    scope: r.get(0)?,
                    window: r.get(1)?,
                };
                Ok((encode(&[b]), r.get(2)?))
            })
            .map_err(|e| err(&e))?;
        for row in rows {
            open.push(row.map_err(|e| err(&e))?);
        }
    }
    let first_id: i64 = tx
        .query_row(
            "SELECT coalesce(max(id), 0) + 1 FROM crashed_holds",
            [],
            |r| r.get(0),
        )
        .map_err(|e| err(&e))?;
    let mut charged: Vec<(Bucket, i128)> = Vec::new();
    let counted_at = now.to_string();
    for (n, (buckets, amount)) in open.iter().enumerate() {
        let buckets_of = decode(buckets);
        let additions: Vec<_> = buckets_of.iter().map(|b| (b, *amount)).collect();
        add_rows(&tx, Table::Spend, &additions)?;
        for b in buckets_of {
            match charged.iter_mut().find(|(c, _)| *c == b) {
                Some((_, sum)) => *sum += i128::from(*amount),
                None => charged.push((b, i128::from(*amount))),
            }
        }
        tx.execute(
            "INSERT INTO crashed_holds (id, buckets, picos, counted_at) VALUES (?1, ?2, ?3, ?4)",
            params![first_id + n as i64, buckets, amount, counted_at],
        )
        .map_err(|e| err(&e))?;
    }
    tx.execute_batch("DELETE FROM holds; DELETE FROM leases;")
        .map_err(|e| err(&e))?;
    tx.commit().map_err(|e| err(&e))?;
    Ok(Recovered {
        records: open.len(),
        largest: Money::from_picos(charged.iter().map(|(_, s)| *s).max().unwrap_or(0)),
    })
}

/// A table of amounts per bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Spend,
    Leases,
}

/// Adds each amount to its bucket's row in `table` (creating the rows it
/// lacks), `ADD_ROWS` buckets a statement.
pub fn add_rows(
    conn: &Connection,
    table: Table,
    additions: &[(&Bucket, i64)],
) -> Result<(), LedgerError> {
    for part in additions.chunks(ADD_ROWS) {
        let mut add = conn
            .prepare_cached(add_rows_sql(table, part.len()))
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

/// The most buckets one statement adds to: a call counts in a few (a
/// key's day and month, the total's), and one statement for all of them
/// runs SQLite's statement machinery once instead of once a bucket.
pub const ADD_ROWS: usize = 8;

/// The statement that adds to `rows` buckets of `table` (1 to `ADD_ROWS`).
fn add_rows_sql(table: Table, rows: usize) -> &'static str {
    static TEXT: std::sync::OnceLock<[Vec<String>; 2]> = std::sync::OnceLock::new();
    let text = TEXT.get_or_init(|| {
        ["spend", "leases"].map(|name| {
            (1..=ADD_ROWS)
                .map(|n| {
                    let values: Vec<String> = (0..n)
                        .map(|i| format!("(?{}, ?{}, ?{})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                        .collect();
                    format!(
                        "INSERT INTO {name} (scope, window, picos) VALUES {}
                         ON CONFLICT(scope, window) DO UPDATE SET picos = picos + excluded.picos",
                        values.join(", ")
                    )
                })
                .collect()
        })
    });
    &text[table as usize][rows - 1]
}

/// Runs a statement kept prepared (`BEGIN`, `COMMIT`, ...).
pub fn run(conn: &Connection, sql: &str) -> Result<(), LedgerError> {
    conn.prepare_cached(sql)
        .and_then(|mut s| s.execute([]))
        .map(drop)
        .map_err(|e| err(&e))
}

/// Runs `f` in one transaction; nothing of it stays if it fails. A single
/// statement is atomic alone and runs without `BEGIN` and `COMMIT`.
pub fn transaction(
    conn: &Connection,
    statements: usize,
    f: impl FnOnce() -> Result<(), LedgerError>,
) -> Result<(), LedgerError> {
    if statements <= 1 {
        return f();
    }
    run(conn, "BEGIN")?;
    match f().and_then(|()| run(conn, "COMMIT")) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Amounts per bucket summed before they are written (in the order first
/// seen), because one call's buckets and a batch's calls mostly share
/// buckets (a key's day and month, the total's month).
#[derive(Default)]
pub struct Sums<'a>(Vec<(&'a Bucket, i128)>);

impl<'a> Sums<'a> {
    pub fn add(&mut self, bucket: &'a Bucket, picos: i128) {
        match self.0.iter_mut().find(|(b, _)| *b == bucket) {
            Some((_, sum)) => *sum += picos,
            None => self.0.push((bucket, picos)),
        }
    }

    /// Each bucket's addition, as stored integers: nothing for a sum of
    /// zero, and a sum past the column's range in several parts.
    pub fn additions(&self) -> Vec<(&'a Bucket, i64)> {
        self.0
            .iter()
            .flat_map(|&(b, sum)| {
                let part = i128::from(i64::MAX) * sum.signum();
                let whole = if part == 0 { 0 } else { sum / part };
                let rest = if part == 0 { 0 } else { sum % part };
                std::iter::repeat_n((b, part as i64), whole as usize)
                    .chain((rest != 0).then_some((b, rest as i64)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Bucket {
        Bucket {
            scope: "total".into(),
            window: "2026-12-01".into(),
        }
    }

    /// Amounts are added once per bucket, exactly, however large.
    #[test]
    fn sums_add_each_buckets_amounts_once() {
        let (day, month) = (
            day(),
            Bucket {
                scope: "total".into(),
                window: "2026-12".into(),
            },
        );
        let mut sums = Sums::default();
        for picos in [7, 5, 0] {
            sums.add(&day, picos);
            sums.add(&month, picos);
        }
        let none = Bucket {
            scope: "key:k".into(),
            window: "2026-12".into(),
        };
        sums.add(&none, 0);
        let out: Vec<_> = sums
            .additions()
            .into_iter()
            .map(|(b, p)| (b.clone(), p))
            .collect();
        assert_eq!(out, vec![(day.clone(), 12), (month.clone(), 12)]);

        let mut big = Sums::default();
        for _ in 0..3 {
            big.add(&day, i128::from(i64::MAX));
        }
        big.add(&day, 2);
        let parts: Vec<i64> = big.additions().into_iter().map(|(_, p)| p).collect();
        assert_eq!(parts, vec![i64::MAX, i64::MAX, i64::MAX, 2]);
        let mut negative = Sums::default();
        negative.add(&day, -3 * i128::from(i64::MAX) - 2);
        let parts: Vec<i64> = negative.additions().into_iter().map(|(_, p)| p).collect();
        assert_eq!(parts, vec![-i64::MAX, -i64::MAX, -i64::MAX, -2]);
    }

    #[test]
    fn amounts_added_in_statements_of_several_buckets_land_in_each() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
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
        for table in [Table::Spend, Table::Leases] {
            add_rows(&conn, table, &additions).unwrap();
            add_rows(&conn, table, &additions[..1]).unwrap();
        }
        for table in ["spend", "leases"] {
            let got: Vec<(String, i64)> = conn
                .prepare(&format!("SELECT scope, picos FROM {table} ORDER BY picos"))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut want: Vec<(String, i64)> =
                (1..19).map(|i| (format!("tag:{i}"), i + 1)).collect();
            want.push(("tag:0".into(), 1 + 100 + 1000 + 1));
            assert_eq!(got, want, "{table}");
        }
    }

    /// Leases and an earlier version's holds, left by a crash, are counted
    /// as spent in their buckets and kept in `crashed_holds`.
    #[test]
    fn a_crash_leaves_leases_and_holds_counted_as_spent() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        let month = Bucket {
            scope: "total".into(),
            window: "2026-12".into(),
        };
        add_rows(&conn, Table::Spend, &[(&day(), 5)]).unwrap();
        add_rows(&conn, Table::Leases, &[(&day(), 300), (&month, 300)]).unwrap();
        conn.execute(
            "INSERT INTO holds (id, buckets, picos) VALUES (7, ?1, 40)",
            [encode(&[day(), month.clone()])],
        )
        .unwrap();
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let r = recover(&mut conn, now).unwrap();
        assert_eq!(
            r,
            Recovered {
                records: 3,
                largest: Money::from_picos(340)
            }
        );
        assert_eq!(spend_of(&conn, &day()).unwrap(), Money::from_picos(345));
        assert_eq!(spend_of(&conn, &month).unwrap(), Money::from_picos(340));
        let (left, crashed): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM leases) + (SELECT count(*) FROM holds),
                        (SELECT sum(picos) FROM crashed_holds)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((left, crashed), (0, 640));
        assert_eq!(recover(&mut conn, now).unwrap(), Recovered::default());
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
