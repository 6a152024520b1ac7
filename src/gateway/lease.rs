//! Budget leases: spend the ledger records ahead of use, so that most
//! reservations and settlements need no write of their own. Each budget
//! bucket holds a lease in the file (`leases`). A reservation or
//! settlement that the bucket's lease still covers is durable already:
//! after a crash every lease is counted as spent in full, so what was in
//! flight and what was settled since the last flush are counted, at most
//! the lease's unused part too many. Only a call the lease does not cover
//! waits for a write, which extends the lease ahead of it by `AHEAD` calls
//! of its size (at most `1 / LIMIT_SHARE` of the bucket's limit, and never
//! past the limit). A flush, ten times a second, moves settled costs from
//! the lease to `spend`; at stop the rest of each lease is handed back.
//!
//! All amounts are integer picodollars, as stored.

/// Calls of the current one's worst case a lease is extended ahead by.
pub const AHEAD: i128 = 256;

/// A lease never runs ahead by more than this share of its bucket's limit,
/// so a crash over-counts a small budget by at most `limit / LIMIT_SHARE`
/// beyond what was in flight.
pub const LIMIT_SHARE: i128 = 16;

/// One bucket's money, as the file and memory hold it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// The bucket's limit, if it has one.
    pub limit: Option<i128>,
    /// Spend in the file (`spend`).
    pub flushed: i128,
    /// Lease in the file (`leases`).
    pub leased: i128,
    /// Worst cases of the calls in flight.
    pub reserved: i128,
    /// Costs settled and not yet moved to `spend`.
    pub unflushed: i128,
}

/// What one flush does to a bucket: cost added to `spend`, and lease taken
/// off `leases` (the same cost, or the whole lease when it is handed back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flush {
    pub spend: i128,
    pub lease: i128,
}

impl Lease {
    /// What a crash now would have to count: the calls in flight at their
    /// worst case, and the costs settled since the last flush.
    pub fn owed(&self) -> i128 {
        self.reserved + self.unflushed
    }

    /// Whether the file already counts everything owed.
    pub fn covered(&self) -> bool {
        self.owed() <= self.leased
    }

    /// How much to add to the lease so it covers what is owed, plus
    /// `AHEAD` more calls of `amount` within the limit's room (0 when it
    /// is covered already).
    pub fn extension(&self, amount: i128) -> i128 {
        let need = self.owed() - self.leased;
        if need <= 0 {
            return 0;
        }
        let mut ahead = amount.max(0).saturating_mul(AHEAD);
        if let Some(limit) = self.limit {
            let room = limit - self.flushed - self.owed();
            ahead = ahead.min(limit / LIMIT_SHARE).min(room.max(0));
        }
        need + ahead
    }

    /// This bucket's part of a flush: its settled costs move to `spend`;
    /// the lease shrinks by as much (never below 0), or, when `hand_back`
    /// and no call is in flight in it, is returned whole. None when there
    /// is nothing to write.
    pub fn flush(&self, hand_back: bool) -> Option<Flush> {
        let spend = self.unflushed;
        let lease = if hand_back && self.reserved == 0 {
            self.leased
        } else {
            spend.min(self.leased).max(0)
        };
        (spend != 0 || lease != 0).then_some(Flush { spend, lease })
    }

    /// Memory after `flush` is committed.
    pub fn flushed_by(&mut self, f: Flush) {
        self.unflushed -= f.spend;
        self.flushed += f.spend;
        self.leased -= f.lease;
    }

    /// Nothing owed or leased: the bucket can leave memory.
    pub fn is_idle(&self) -> bool {
        self.reserved == 0 && self.unflushed == 0 && self.leased == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lease(limit: Option<i128>, flushed: i128, leased: i128, reserved: i128) -> Lease {
        Lease {
            limit,
            flushed,
            leased,
            reserved,
            unflushed: 0,
        }
    }

    #[test]
    fn a_covered_call_needs_no_extension() {
        let l = lease(None, 0, 1000, 400);
        assert!(l.covered());
        assert_eq!(l.extension(400), 0);
    }

    #[test]
    fn an_extension_covers_what_is_owed_and_runs_ahead() {
        let l = lease(None, 0, 100, 300);
        assert!(!l.covered());
        assert_eq!(l.extension(300), 200 + 300 * AHEAD);
    }

    #[test]
    fn ahead_is_bounded_by_a_share_of_the_limit_and_by_its_room() {
        // A limit of 1,600,000 lets a lease run 100,000 ahead at most.
        let l = lease(Some(1_600_000), 0, 0, 10);
        assert_eq!(l.extension(10), 10 + 10 * AHEAD);
        let l = lease(Some(1_600_000), 0, 0, 1000);
        assert_eq!(l.extension(1000), 1000 + 100_000);
        // Near the limit only the room left is leased: never past it.
        let l = lease(Some(1_600_000), 1_550_000, 0, 1000);
        let ext = l.extension(1000);
        assert_eq!(ext, 50_000);
        assert_eq!(l.flushed + l.leased + ext, 1_600_000);
    }

    #[test]
    fn a_cost_past_the_limit_is_leased_exactly_and_no_further() {
        let mut l = lease(Some(1000), 900, 0, 0);
        l.unflushed = 300;
        assert_eq!(l.extension(300), 300);
    }

    #[test]
    fn a_flush_moves_settled_cost_from_the_lease_to_spend() {
        let mut l = lease(None, 50, 1000, 200);
        l.unflushed = 300;
        let f = l.flush(false).unwrap();
        assert_eq!(
            f,
            Flush {
                spend: 300,
                lease: 300
            }
        );
        l.flushed_by(f);
        assert_eq!(
            (l.flushed, l.leased, l.unflushed, l.reserved),
            (350, 700, 0, 200)
        );
        assert!(l.covered());
        assert_eq!(l.flush(false), None, "nothing left to write");
    }

    #[test]
    fn a_lease_is_handed_back_only_with_no_call_in_flight() {
        let mut l = lease(None, 0, 1000, 0);
        l.unflushed = 100;
        let f = l.flush(true).unwrap();
        assert_eq!(
            f,
            Flush {
                spend: 100,
                lease: 1000
            }
        );
        l.flushed_by(f);
        assert!(l.is_idle());
        let l = lease(None, 0, 1000, 10);
        assert_eq!(l.flush(true), None, "kept while a call is in flight");
    }

    #[test]
    fn a_flush_never_takes_the_lease_below_zero() {
        // A settlement whose extension could not be written: owed exceeds
        // the lease; the flush moves the cost and empties the lease.
        let mut l = lease(None, 0, 100, 0);
        l.unflushed = 300;
        let f = l.flush(false).unwrap();
        assert_eq!(
            f,
            Flush {
                spend: 300,
                lease: 100
            }
        );
        l.flushed_by(f);
        assert_eq!(l.leased, 0);
    }
}
