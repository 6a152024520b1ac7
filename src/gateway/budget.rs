//! Budgets: the reservation rule and the ledger interface. Before a call the
//! gateway reserves the call's worst case in every scope it counts against
//! (all traffic, and the gateway key), for the UTC day and month it starts
//! in; it is admitted only if, in each scope, spent + reserved + this
//! reservation stays at or below the limit (a request that lands exactly
//! on the limit is admitted). On completion the reservation is replaced by
//! the exact cost; on failure it is released. `Accounts` is that rule over
//! plain numbers; a `Ledger` keeps it atomic and durable.

use std::collections::HashMap;

use jiff::Timestamp;

use super::config::Limits;
use crate::money::Money;

/// One budget window: a scope (`total` or `key:NAME`) in one UTC day
/// (`2026-12-01`) or month (`2026-12`).
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

#[derive(Debug, thiserror::Error)]
#[error("the spend ledger failed: {0}")]
pub struct LedgerError(pub String);

/// Where spend is kept. One process: the embedded SQLite ledger. Several
/// instances would share a store implementing the same three calls
/// atomically (README, "Budgets across instances").
pub trait Ledger: Send + Sync {
    /// Admits or refuses `amount` against the limits of `key` at `now`.
    fn reserve(&self, key: Option<&str>, amount: Money, now: Timestamp)
        -> Result<Hold, OverBudget>;
    /// Replaces the reservation with the exact cost and records it durably.
    fn settle(&self, hold: Hold, cost: Money) -> Result<(), LedgerError>;
    /// Drops the reservation: the call was not billed.
    fn release(&self, hold: Hold);
    /// Spent in a bucket (settled only), for reports and tests.
    fn spent(&self, bucket: &Bucket) -> Money;
}

/// Limits per scope and what each bucket holds.
#[derive(Debug, Default)]
pub struct Accounts {
    pub total: Limits,
    pub keys: HashMap<String, Limits>,
    /// bucket -> (spent, reserved)
    pub buckets: HashMap<Bucket, (Money, Money)>,
}

impl Accounts {
    /// The buckets a call by `key` at `now` counts in, with their limits.
    pub fn buckets_for(&self, key: Option<&str>, now: Timestamp) -> Vec<(Bucket, Option<Money>)> {
        let date = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let day = date.to_string();
        let month = format!("{:04}-{:02}", date.year(), date.month());
        let mut out = Vec::with_capacity(4);
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
        if let Some(k) = key {
            add(
                format!("key:{k}"),
                self.keys.get(k).unwrap_or(&Limits::default()),
            );
        }
        out
    }

    /// The reservation rule: all buckets admit `amount`, or none changes.
    pub fn reserve(
        &mut self,
        key: Option<&str>,
        amount: Money,
        now: Timestamp,
    ) -> Result<Hold, OverBudget> {
        let buckets = self.buckets_for(key, now);
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
        let h1 = a.reserve(None, usd(60), now).unwrap();
        let h2 = a.reserve(None, usd(40), now).unwrap();
        let over = a.reserve(None, usd(1), now).unwrap_err();
        assert_eq!((over.spent, over.reserved), (Money::ZERO, usd(100)));
        a.settle(&h1, usd(10));
        a.release(&h2);
        assert!(a.reserve(None, usd(90), now).is_ok());
        assert!(a.reserve(None, usd(1), now).is_err());
        let tomorrow: Timestamp = "2026-12-02T00:00:00Z".parse().unwrap();
        assert!(a.reserve(None, usd(100), tomorrow).is_ok());
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
        assert!(a.reserve(Some("a"), usd(6), now).is_err());
        assert!(a.reserve(Some("b"), usd(6), now).is_ok());
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
}
