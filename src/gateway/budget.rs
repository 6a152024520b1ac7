//! Budgets: the reservation rule and the ledger interface. Before a call the
//! gateway reserves the call's worst case in every scope it counts against
//! (all traffic, the gateway key, and the user tag), for the UTC day and
//! month it starts in; it is admitted only if, in each scope, spent +
//! reserved + this reservation stays at or below the limit (a request that
//! lands exactly on the limit is admitted). On completion the reservation
//! is replaced by the exact cost; on failure it is released. `Accounts` is
//! that rule over plain numbers; a `Ledger` keeps it atomic and durable.

use std::collections::HashMap;

use jiff::Timestamp;

use super::config::Limits;
use crate::money::Money;

/// One budget window: a scope (`total`, `key:NAME` or `tag:VALUE`) in one
/// UTC day (`2026-12-01`) or month (`2026-12`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bucket {
    pub scope: String,
    pub window: String,
}

/// A reservation held for one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub buckets: Vec<Bucket>,
    pub amount: Money,
}

/// Whom a call is billed to: its gateway key and its user tag, if any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Who<'a> {
    pub key: Option<&'a str>,
    pub tag: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("budget `{scope}` for {window} is exhausted: ${spent} spent and ${reserved} reserved of ${limit}; this request may cost up to ${asked}")]
pub struct OverBudget {
    pub scope: String,
    pub window: String,
    pub limit: Money,
    pub spent: Money,
    pub reserved: Money,
    pub asked: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the spend ledger failed: {0}")]
pub struct LedgerError(pub String);

/// Why a reservation was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error(transparent)]
    Over(#[from] OverBudget),
    /// The ledger could not record the hold: refusing is the safe side.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// Where spend is kept. One process: the embedded SQLite ledger. Several
/// instances would share a store implementing the same calls atomically
/// (README, "Several instances").
///
/// The budget check is decided at once, in memory; what it decided is
/// written behind it, and the returned `Commit` resolves when the write
/// is durable. A caller awaits a reservation's commit before calling the
/// provider, and a settlement's before telling the client its cost. `then`
/// runs once the write is done (or has failed), before the `Commit`
/// resolves: the request log is written there, so no line states a cost
/// the ledger does not hold, even when the settling request is a stream
/// whose client left and nothing awaits it.
pub trait Ledger: Send + Sync {
    /// Admits or refuses `amount` against the limits of `who` at `now`.
    fn reserve_for(
        &self,
        who: Who<'_>,
        amount: Money,
        now: Timestamp,
    ) -> Result<(Hold, Commit), Refused>;
    /// `reserve_for` with the key and the tag of the request being served
    /// (the tag the server put in scope with `tag::scope`).
    fn reserve(
        &self,
        key: Option<&str>,
        amount: Money,
        now: Timestamp,
    ) -> Result<(Hold, Commit), Refused> {
        let tag = current_tag();
        self.reserve_for(
            Who {
                key,
                tag: tag.as_deref(),
            },
            amount,
            now,
        )
    }
    /// Replaces the reservation with the exact cost and records it durably.
    fn settle(&self, hold: Hold, cost: Money, then: After) -> Commit;
    /// Drops the reservation: the call was not billed.
    fn release(&self, hold: Hold, then: After) -> Commit;
    /// Spent in a bucket (settled only), for reports and tests; a bucket
    /// of any window, whether or not memory still holds it.
    fn spent(&self, bucket: &Bucket) -> Result<Money, LedgerError>;
    /// Writes so far and the transactions they took, for `/metrics`
    /// (none from a store that does not count them).
    fn commits(&self) -> Option<Commits> {
        None
    }
}

/// How well writes are grouped: `writes` holds, settlements and releases
/// committed in `transactions` transactions; and how many of them the
/// store refused (`failed`), with the newest reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Commits {
    pub writes: u64,
    pub transactions: u64,
    pub failed: u64,
    pub last_error: Option<String>,
}

/// What runs once a ledger write is done (see `Ledger`).
pub type After = Option<Box<dyn FnOnce() + Send>>;

/// A ledger write on its way to the store. It resolves to a refusal when
/// the write failed, or when a store that checks budgets itself (shared
/// by several instances) turns a reservation down.
#[must_use = "await the commit before acting on what it records"]
pub struct Commit(CommitState);

enum CommitState {
    Done(Result<(), Refused>),
    Pending(tokio::sync::oneshot::Receiver<Result<(), Refused>>),
}

impl Commit {
    /// A write already done (or refused before it was queued).
    pub fn done(result: Result<(), Refused>) -> Commit {
        Commit(CommitState::Done(result))
    }

    /// A queued write and the sender its writer answers on.
    pub fn pending() -> (Commit, tokio::sync::oneshot::Sender<Result<(), Refused>>) {
        let (tx, rx) = tokio::sync::oneshot::channel();
        (Commit(CommitState::Pending(rx)), tx)
    }

    /// Resolves when the write is durable, or says why it is not.
    pub async fn wait(self) -> Result<(), Refused> {
        match self.0 {
            CommitState::Done(r) => r,
            CommitState::Pending(rx) => rx.await.unwrap_or_else(|_| {
                Err(Refused::Ledger(LedgerError(
                    "the ledger stopped before the write was made".into(),
                )))
            }),
        }
    }
}

tokio::task_local! {
    static TAG: Option<String>;
}

/// Runs `fut` with `tag` as the user tag of the request it serves.
pub async fn scope_tag<F: std::future::Future>(tag: Option<String>, fut: F) -> F::Output {
    TAG.scope(tag, fut).await
}

/// The user tag of the request being served (none outside `scope_tag`).
pub fn current_tag() -> Option<String> {
    TAG.try_with(Clone::clone).ok().flatten()
}

/// Limits per scope and what each bucket holds.
#[derive(Debug, Default)]
pub struct Accounts {
    pub total: Limits,
    pub keys: HashMap<String, Limits>,
    /// Limits of named tags.
    pub tags: HashMap<String, Limits>,
    /// The limits of every tag not named in `tags`.
    pub each_tag: Limits,
    /// bucket -> (spent, reserved): the current day's and month's, and
    /// older ones only while a hold still counts in them (`prune`).
    pub buckets: HashMap<Bucket, (Money, Money)>,
}

/// The day's and the month's window names at `now` (UTC): `2026-12-03`
/// and `2026-12`, the `window` of the buckets a call then counts in.
pub fn windows(now: Timestamp) -> (String, String) {
    let date = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    (
        date.to_string(),
        format!("{:04}-{:02}", date.year(), date.month()),
    )
}

impl Accounts {
    /// Drops the buckets of days and months before `now`'s that no hold
    /// counts in any more. A budget only checks the current day's and
    /// month's, so a gateway that runs for months, pruning once a day
    /// (`SqliteLedger`), keeps the buckets of the keys and tags active
    /// today and this month, not of its whole history (each new user tag
    /// adds buckets; the ledger's file keeps them all).
    pub fn prune(&mut self, now: Timestamp) {
        let (day, month) = windows(now);
        self.buckets.retain(|b, (_, reserved)| {
            *reserved != Money::ZERO || b.window == day || b.window == month
        });
    }

    /// The buckets a call by `who` at `now` counts in, with their limits.
    pub fn buckets_for(&self, who: Who<'_>, now: Timestamp) -> Vec<(Bucket, Option<Money>)> {
        let (day, month) = windows(now);
        let mut out = Vec::with_capacity(6);
        let mut add = |scope: String, limits: &Limits| {
            out.push((
                Bucket {
                    scope: scope.clone(),
                    window: day.clone(),
                },
                limits.per_day,
            ));
            out.push((
                Bucket {
                    scope,
                    window: month.clone(),
                },
                limits.per_month,
            ));
        };
        add("total".into(), &self.total);
        if let Some(k) = who.key {
            add(
                format!("key:{k}"),
                self.keys.get(k).unwrap_or(&Limits::default()),
            );
        }
        if let Some(t) = who.tag {
            add(
                format!("tag:{t}"),
                self.tags.get(t).unwrap_or(&self.each_tag),
            );
        }
        out
    }

    /// The limit `buckets_for` gives `bucket`: of its scope, per day or
    /// per month by its window (`2026-12-03` or `2026-12`).
    pub fn limit_of(&self, bucket: &Bucket) -> Option<Money> {
        let none = Limits::default();
        let limits = match bucket.scope.split_once(':') {
            None if bucket.scope == "total" => &self.total,
            Some(("key", k)) => self.keys.get(k).unwrap_or(&none),
            Some(("tag", t)) => self.tags.get(t).unwrap_or(&self.each_tag),
            _ => &none,
        };
        match bucket.window.len() {
            7 => limits.per_month,
            _ => limits.per_day,
        }
    }

    /// The reservation rule: all buckets admit `amount`, or none changes.
    pub fn reserve(
        &mut self,
        who: Who<'_>,
        amount: Money,
        now: Timestamp,
    ) -> Result<Hold, OverBudget> {
        let buckets = self.buckets_for(who, now);
        for (bucket, limit) in &buckets {
            let Some(limit) = *limit else { continue };
            let (spent, reserved) = self.buckets.get(bucket).copied().unwrap_or_default();
            if spent + reserved + amount > limit {
                return Err(OverBudget {
                    scope: bucket.scope.clone(),
                    window: bucket.window.clone(),
                    limit,
                    spent,
                    reserved,
                    asked: amount,
                });
            }
        }
        for (bucket, _) in &buckets {
            self.buckets.entry(bucket.clone()).or_default().1 += amount;
        }
        Ok(Hold {
            buckets: buckets.into_iter().map(|(b, _)| b).collect(),
            amount,
        })
    }

    pub fn settle(&mut self, hold: &Hold, cost: Money) {
        for bucket in &hold.buckets {
            let entry = self.buckets.entry(bucket.clone()).or_default();
            entry.1 = entry.1 - hold.amount;
            entry.0 += cost;
        }
    }

    pub fn release(&mut self, hold: &Hold) {
        for bucket in &hold.buckets {
            if let Some(entry) = self.buckets.get_mut(bucket) {
                entry.1 = entry.1 - hold.amount;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(cents: i128) -> Money {
        Money::from_picos(cents * 10_000_000_000)
    }

    fn key(k: &str) -> Who<'_> {
        Who {
            key: Some(k),
            tag: None,
        }
    }

    #[test]
    fn pruning_keeps_todays_and_this_months_buckets_and_those_still_held() {
        let mut a = Accounts::default();
        let late: Timestamp = "2026-11-30T23:59:00Z".parse().unwrap();
        let settled = a.reserve(key("a"), usd(5), late).unwrap();
        a.settle(&settled, usd(3));
        let in_flight = a.reserve(key("b"), usd(7), late).unwrap();
        let next: Timestamp = "2026-12-01T00:01:00Z".parse().unwrap();
        let today = a.reserve(key("a"), usd(1), next).unwrap();
        // The total's, a's and b's day and month on the 30th, the total's
        // and a's on the 1st.
        assert_eq!(a.buckets.len(), 10);
        a.prune(next);
        let mut kept: Vec<String> = a
            .buckets
            .keys()
            .map(|b| format!("{} {}", b.scope, b.window))
            .collect();
        kept.sort();
        assert_eq!(
            kept,
            [
                "key:a 2026-12",
                "key:a 2026-12-01",
                "key:b 2026-11",
                "key:b 2026-11-30",
                "total 2026-11",
                "total 2026-11-30",
                "total 2026-12",
                "total 2026-12-01",
            ],
            "November's key:a buckets go; b's hold still counts in November's"
        );
        a.settle(&in_flight, usd(7));
        a.settle(&today, usd(1));
        a.prune(next);
        assert_eq!(a.buckets.len(), 4);
        assert_eq!(a.buckets[&today.buckets[0]].0, usd(1));
    }

    #[test]
    fn admits_up_to_the_limit_exactly_and_settles_to_the_cost() {
        let mut a = Accounts {
            total: Limits {
                per_day: Some(usd(100)),
                per_month: None,
            },
            ..Accounts::default()
        };
        let now: Timestamp = "2026-12-01T23:59:59Z".parse().unwrap();
        let h1 = a.reserve(Who::default(), usd(60), now).unwrap();
        let h2 = a.reserve(Who::default(), usd(40), now).unwrap();
        let over = a.reserve(Who::default(), usd(1), now).unwrap_err();
        assert_eq!((over.spent, over.reserved), (Money::ZERO, usd(100)));
        a.settle(&h1, usd(10));
        a.release(&h2);
        assert!(a.reserve(Who::default(), usd(90), now).is_ok());
        assert!(a.reserve(Who::default(), usd(1), now).is_err());
        let tomorrow: Timestamp = "2026-12-02T00:00:00Z".parse().unwrap();
        assert!(a.reserve(Who::default(), usd(100), tomorrow).is_ok());
    }

    /// What the ledger leases against: each bucket's own limit.
    #[test]
    fn a_buckets_limit_is_the_one_its_reservation_checks() {
        let lim = |day: i128, month: i128| Limits {
            per_day: Some(usd(day)),
            per_month: Some(usd(month)),
        };
        let mut a = Accounts {
            total: lim(1, 2),
            each_tag: lim(3, 4),
            ..Accounts::default()
        };
        a.keys.insert("k".into(), lim(5, 6));
        a.keys.insert("open".into(), Limits::default());
        a.tags.insert("named".into(), lim(7, 8));
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        for (key, tag) in [
            (Some("k"), Some("named")),
            (Some("open"), Some("anyone")),
            (Some("unknown"), None),
        ] {
            for (bucket, limit) in a.buckets_for(Who { key, tag }, now) {
                assert_eq!(a.limit_of(&bucket), limit, "{bucket:?}");
            }
        }
        let odd = Bucket {
            scope: "other".into(),
            window: "2026-12".into(),
        };
        assert_eq!(a.limit_of(&odd), None);
    }

    #[test]
    fn a_key_limit_binds_only_that_key() {
        let mut a = Accounts::default();
        a.keys.insert(
            "a".into(),
            Limits {
                per_day: None,
                per_month: Some(usd(5)),
            },
        );
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        assert!(a.reserve(key("a"), usd(6), now).is_err());
        assert!(a.reserve(key("b"), usd(6), now).is_ok());
        assert_eq!(
            a.buckets
                .get(&Bucket {
                    scope: "total".into(),
                    window: "2026-12".into()
                })
                .unwrap()
                .1,
            usd(6)
        );
    }

    #[test]
    fn each_tag_has_its_own_budget_and_named_tags_their_own() {
        let mut a = Accounts {
            each_tag: Limits {
                per_day: Some(usd(10)),
                per_month: None,
            },
            ..Accounts::default()
        };
        a.tags.insert(
            "vip".into(),
            Limits {
                per_day: Some(usd(50)),
                per_month: None,
            },
        );
        let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let tag = |t| Who {
            key: Some("k"),
            tag: Some(t),
        };
        assert!(a.reserve(tag("alice"), usd(10), now).is_ok());
        let over = a.reserve(tag("alice"), usd(1), now).unwrap_err();
        assert_eq!(
            (over.scope.as_str(), over.window.as_str()),
            ("tag:alice", "2026-12-01")
        );
        assert!(
            a.reserve(tag("bob"), usd(10), now).is_ok(),
            "another tag is not bound by alice's spend"
        );
        assert!(a.reserve(tag("vip"), usd(50), now).is_ok());
        assert!(a.reserve(tag("vip"), usd(1), now).is_err());
        assert!(
            a.reserve(key("k"), usd(100), now).is_ok(),
            "untagged calls have no tag budget"
        );
    }

    #[tokio::test]
    async fn the_tag_is_in_scope_for_the_request_only() {
        assert_eq!(current_tag(), None);
        let inside = scope_tag(Some("t".into()), async { current_tag() }).await;
        assert_eq!(inside.as_deref(), Some("t"));
        assert_eq!(current_tag(), None);
    }
}
