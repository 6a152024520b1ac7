//! Latency measured on the user's own traffic: the timings of every request
//! of a group, and their percentiles. Pure: no I/O.
//!
//! - TTFT: start to first output token (or chunk), where the log says.
//! - E2E: start to end.
//! - Output tokens/s: (output + reasoning tokens) / (end − first token), only
//!   for requests with both times and a first token strictly before the end
//!   (a non-streamed request has its first token at its end: no rate).
//!
//! Percentiles are nearest-rank: the p-th percentile of n sorted values
//! is the value at rank ⌈p/100 · n⌉ (1-based), i.e. the smallest value
//! with at least p % of the values at or below it. It is always one of the
//! measured values, never an interpolation, so it can be checked by hand
//! (p50 of 1, 2, 3, 4 is 2; p90 of ten values is the 9th).
//!
//! Each timed request keeps its three numbers (24 bytes) until the end: the
//! one thing in a replay whose memory grows with the log.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use super::record::utc_date;
use super::timing::Timed;

/// The percentiles reported.
pub const PERCENTILES: [f64; 3] = [50.0, 90.0, 99.0];

/// The timings of one group's requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    ttft: Vec<i64>,
    e2e: Vec<i64>,
    tps: Vec<f64>,
    /// Requests with at least one usable timing.
    pub timed: u64,
    /// Requests whose log line carries no timing.
    pub untimed: u64,
    /// Requests whose timing fields are bad (priced, not measured).
    pub bad: u64,
    /// The earliest and latest start among the timed requests.
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

impl Samples {
    /// Adds one request: its timing, its start time and its generated tokens.
    pub fn add(&mut self, timed: &Timed, start: Option<Timestamp>, generated: u64) {
        let timing = match timed {
            Timed::Untimed => {
                self.untimed += 1;
                return;
            }
            Timed::Bad(_) => {
                self.bad += 1;
                return;
            }
            Timed::Measured(t) => t,
        };
        self.timed += 1;
        if let Some(ttft) = timing.ttft {
            self.ttft.push(nanos(ttft));
        }
        if let Some(e2e) = timing.e2e {
            self.e2e.push(nanos(e2e));
        }
        if let (Some(ttft), Some(e2e)) = (timing.ttft, timing.e2e) {
            let streaming = (e2e - ttft).as_secs_f64();
            if streaming > 0.0 {
                self.tps.push(generated as f64 / streaming);
            }
        }
        if let Some(at) = start {
            self.first = Some(self.first.map_or(at, |f| f.min(at)));
            self.last = Some(self.last.map_or(at, |l| l.max(at)));
        }
    }

    pub fn merge(&mut self, other: Samples) {
        self.ttft.extend(other.ttft);
        self.e2e.extend(other.e2e);
        self.tps.extend(other.tps);
        self.timed += other.timed;
        self.untimed += other.untimed;
        self.bad += other.bad;
        self.first = [self.first, other.first].into_iter().flatten().min();
        self.last = [self.last, other.last].into_iter().flatten().max();
    }

    /// The percentiles of what was added.
    pub fn stats(&self) -> Stats {
        let mut ttft = self.ttft.clone();
        let mut e2e = self.e2e.clone();
        let mut tps = self.tps.clone();
        ttft.sort_unstable();
        e2e.sort_unstable();
        tps.sort_unstable_by(f64::total_cmp);
        let secs = |v: &[i64]| percentiles(v).map(|p| p.map(|n| n as f64 / 1e9));
        Stats {
            timed: self.timed,
            untimed: self.untimed,
            bad: self.bad,
            ttft_n: ttft.len() as u64,
            e2e_n: e2e.len() as u64,
            tps_n: tps.len() as u64,
            ttft: secs(&ttft),
            e2e: secs(&e2e),
            tps: percentiles(&tps),
            first: self.first.map(utc_date),
            last: self.last.map(utc_date),
        }
    }
}

/// A catalog model's timings, with where they were measured: the hosts
/// the log names and the files they come from (for a latency sheet).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSamples {
    pub samples: Samples,
    /// Hosts named by timed requests; `untold` counts those naming none.
    pub hosts: BTreeSet<String>,
    pub untold: u64,
    pub files: BTreeSet<String>,
}

impl ModelSamples {
    pub fn add(&mut self, timed: &Timed, start: Option<Timestamp>, generated: u64, file: &str) {
        self.samples.add(timed, start, generated);
        if let Timed::Measured(t) = timed {
            match &t.host {
                Some(h) if !self.hosts.contains(h) => {
                    self.hosts.insert(h.clone());
                }
                Some(_) => {}
                None => self.untold += 1,
            }
            if !self.files.contains(file) {
                self.files.insert(file.to_string());
            }
        }
    }

    pub fn merge(&mut self, other: ModelSamples) {
        self.samples.merge(other.samples);
        self.hosts.extend(other.hosts);
        self.untold += other.untold;
        self.files.extend(other.files);
    }
}

fn nanos(d: SignedDuration) -> i64 {
    i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)
}

/// p50, p90 and p99 of one quantity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles<T = f64> {
    pub p50: T,
    pub p90: T,
    pub p99: T,
}

impl<T: Copy> Percentiles<T> {
    fn map<U>(self, f: impl Fn(T) -> U) -> Percentiles<U> {
        Percentiles {
            p50: f(self.p50),
            p90: f(self.p90),
            p99: f(self.p99),
        }
    }
}

/// The percentiles of sorted values; `None` when there are none.
fn percentiles<T: Copy>(sorted: &[T]) -> Option<Percentiles<T>> {
    let [p50, p90, p99] = PERCENTILES.map(|p| nearest_rank(sorted, p));
    Some(Percentiles {
        p50: p50?,
        p90: p90?,
        p99: p99?,
    })
}

/// The nearest-rank `p`-th percentile (0 < p ≤ 100) of sorted values.
pub fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// A group's latency figures: counts, and percentiles where there are values.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub timed: u64,
    pub untimed: u64,
    pub bad: u64,
    /// How many requests each percentile is over.
    pub ttft_n: u64,
    pub e2e_n: u64,
    pub tps_n: u64,
    /// Seconds.
    pub ttft: Option<Percentiles>,
    /// Seconds.
    pub e2e: Option<Percentiles>,
    /// Output tokens per second.
    pub tps: Option<Percentiles>,
    /// UTC days of the first and last timed request.
    pub first: Option<Date>,
    pub last: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::record::BadField;
    use crate::replay::timing::Timing;

    fn measured(ttft_ms: Option<i64>, e2e_ms: Option<i64>) -> Timed {
        Timed::Measured(Timing {
            ttft: ttft_ms.map(SignedDuration::from_millis),
            e2e: e2e_ms.map(SignedDuration::from_millis),
            host: None,
        })
    }

    #[test]
    fn nearest_rank_is_a_measured_value() {
        let v = [1, 2, 3, 4];
        // ⌈0.5·4⌉ = 2nd, ⌈0.9·4⌉ = 4th, ⌈0.99·4⌉ = 4th.
        assert_eq!(nearest_rank(&v, 50.0), Some(2));
        assert_eq!(nearest_rank(&v, 90.0), Some(4));
        let ten: Vec<u32> = (1..=10).collect();
        // ⌈0.9·10⌉ = 9th; ⌈0.99·10⌉ = 10th; ⌈0.5·10⌉ = 5th.
        assert_eq!(nearest_rank(&ten, 90.0), Some(9));
        assert_eq!(nearest_rank(&ten, 99.0), Some(10));
        assert_eq!(nearest_rank(&ten, 50.0), Some(5));
        let hundred: Vec<u32> = (1..=100).collect();
        assert_eq!(nearest_rank(&hundred, 99.0), Some(99));
        assert_eq!(nearest_rank(&[7], 1.0), Some(7));
        assert_eq!(nearest_rank::<u32>(&[], 50.0), None);
    }

    #[test]
    fn rates_need_a_first_token_before_the_end() {
        let mut s = Samples::default();
        // 100 tokens over 3.0 − 1.0 s = 50 tokens/s.
        s.add(&measured(Some(1000), Some(3000)), None, 100);
        // Not streamed: the first token is the end, so no rate.
        s.add(&measured(Some(2000), Some(2000)), None, 100);
        // E2E only.
        s.add(&measured(None, Some(4000)), None, 100);
        s.add(&Timed::Untimed, None, 1);
        s.add(&Timed::Bad(BadField::new("end", "x")), None, 1);
        let st = s.stats();
        assert_eq!((st.timed, st.untimed, st.bad), (3, 1, 1));
        assert_eq!((st.ttft_n, st.e2e_n, st.tps_n), (2, 3, 1));
        assert_eq!(st.tps.unwrap().p50, 50.0);
        // E2E sorted 2, 3, 4 s: p50 = ⌈1.5⌉ = 2nd = 3 s; p90 = ⌈2.7⌉ = 3rd = 4 s.
        let e2e = st.e2e.unwrap();
        assert_eq!((e2e.p50, e2e.p90, e2e.p99), (3.0, 4.0, 4.0));
        assert_eq!(st.ttft.unwrap().p50, 1.0);
    }

    #[test]
    fn merging_keeps_every_sample_and_the_date_range() {
        let day = |d: &str| -> Timestamp { format!("{d}T12:00:00Z").parse().unwrap() };
        let mut a = Samples::default();
        a.add(&measured(None, Some(1000)), Some(day("2026-11-05")), 0);
        let mut b = Samples::default();
        b.add(&measured(None, Some(2000)), Some(day("2026-11-01")), 0);
        b.add(&measured(None, Some(3000)), Some(day("2026-11-30")), 0);
        a.merge(b);
        let st = a.stats();
        assert_eq!(st.e2e_n, 3);
        assert_eq!(st.first.unwrap().to_string(), "2026-11-01");
        assert_eq!(st.last.unwrap().to_string(), "2026-11-30");
        assert_eq!(st.e2e.unwrap().p50, 2.0);
        assert_eq!(Samples::default().stats().e2e, None);
    }
}
