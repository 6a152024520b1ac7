//! One simulated day of a plan: its volume, the class mix and routing
//! splits in whole requests (`apportion`), and its bill, request by request
//! or, for a class above `SimOptions::aggregate_above` requests, as a sum
//! (`aggregate`); with the latencies of the requests it keeps.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::aggregate::ClassMoments;
use super::paths::{request, Sampler};
use super::simulate::SimOptions;
use crate::scenario::Scenario;

/// Splits `total` into counts proportional to `weights`, summing to
/// `total`: each gets the floor of its exact share, and the leftover
/// requests go to shares by systematic sampling of the fractional parts, so
/// every count is right in expectation (and exact when shares are whole).
pub fn apportion<R: Rng + ?Sized>(total: u64, weights: &[f64], rng: &mut R) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let left = total.saturating_sub(counts.iter().sum::<u64>());
    if left == 0 {
        return counts;
    }
    let fractions: Vec<f64> = exact.iter().map(|e| e - e.floor()).collect();
    let scale = left as f64 / fractions.iter().sum::<f64>().max(f64::MIN_POSITIVE);
    let start: f64 = rng.gen();
    let (mut cumulative, mut next, mut given) = (0.0, start, 0);
    for (i, f) in fractions.iter().enumerate() {
        cumulative += f * scale;
        while next < cumulative && given < left {
            counts[i] += 1;
            given += 1;
            next += 1.0;
        }
    }
    // Rounding in the cumulative sum can leave one behind: give it to the largest fraction.
    if given < left {
        let i = (0..fractions.len())
            .max_by(|&a, &b| fractions[a].total_cmp(&fractions[b]))
            .unwrap_or(0);
        counts[i] += left - given;
    }
    counts
}

pub(super) type DayLatency = Vec<(Vec<f64>, Vec<f64>)>;

/// The most requests a simulated day holds (a drawn volume above it is cut
/// to it): the scenario loader refuses a larger fixed volume.
const MAX_VOLUME: u64 = crate::scenario::MAX_REQUESTS_PER_DAY as u64;

/// One simulated day.
pub(super) struct Day {
    /// The bill of its requests (USD), fixed costs aside.
    pub cost: f64,
    pub volume: u64,
    /// The latencies of up to about `keep` of its requests per class.
    pub latency: DayLatency,
    /// Requests per class.
    pub classes: Vec<u64>,
}

/// One simulated day: its bill, its volume, its requests per class, and
/// the latencies of up to about `keep` of its requests per class (`keep =
/// 0`: none).
pub(super) fn simulate_day(
    scenario: &Scenario,
    s: &Sampler,
    moments: &ClassMoments,
    opts: &SimOptions,
    rng: &mut Xoshiro256PlusPlus,
    keep: usize,
) -> Day {
    let volume = if let Some(d) = &scenario.variation.volume {
        d.sample(rng).min(MAX_VOLUME)
    } else {
        // A fractional volume rounds up with the probability of its fraction.
        let v = scenario.requests_per_day.min(MAX_VOLUME as f64);
        v.floor() as u64 + u64::from(rng.gen::<f64>() < v - v.floor())
    };
    let drift = scenario.variation.mix_drift;
    let shares: Vec<f64> = scenario
        .classes
        .iter()
        .map(|c| {
            if drift > 0.0 {
                c.share * rng.gen_range(1.0 - drift..=1.0 + drift)
            } else {
                c.share
            }
        })
        .collect();
    // The share of each path's requests whose latency is kept: all of them
    // up to `keep` requests a day, so kept latencies weigh paths and classes
    // as the traffic does.
    let kept_share = (keep as f64 / volume.max(1) as f64).min(1.0);
    let mut cost = 0.0;
    let mut latency: DayLatency = vec![(Vec::new(), Vec::new()); scenario.classes.len()];
    let counts = apportion(volume, &shares, rng);
    for (k, &n_k) in counts.iter().enumerate() {
        let (tokens, paths) = &s.classes[k];
        let probs: Vec<f64> = paths.iter().map(|p| p.prob).collect();
        let summed = (n_k > opts.aggregate_above).then(|| moments.of(s, k));
        for (j, (path, n)) in paths.iter().zip(apportion(n_k, &probs, rng)).enumerate() {
            let kept = (kept_share * n as f64).ceil() as u64;
            let mut record = |ttft: Option<f64>, e2e: Option<f64>| {
                if let Some(t) = ttft {
                    latency[k].0.push(t);
                }
                if let Some(e) = e2e {
                    latency[k].1.push(e);
                }
            };
            if let Some(m) = summed {
                cost += m[j].sum(n, rng);
                // Latency from individual requests, their cost already in the sum.
                for _ in 0..kept {
                    let (_, ttft, e2e) = request(s, tokens, path, rng);
                    record(ttft, e2e);
                }
            } else {
                for i in 0..n {
                    let (c, ttft, e2e) = request(s, tokens, path, rng);
                    cost += c;
                    if i < kept {
                        record(ttft, e2e);
                    }
                }
            }
        }
    }
    Day {
        cost,
        volume,
        latency,
        classes: counts,
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn apportion_keeps_the_total_and_is_right_in_expectation() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        assert_eq!(apportion(10, &[0.8, 0.2], &mut rng), vec![8, 2]);
        assert_eq!(
            apportion(10, &[1.0, 1.0, 1.0], &mut rng)
                .iter()
                .sum::<u64>(),
            10
        );
        assert_eq!(apportion(0, &[0.5, 0.5], &mut rng), vec![0, 0]);
        assert_eq!(apportion(7, &[0.0, 1.0], &mut rng), vec![0, 7]);
        // One request a day split 80/20: the small share gets it 20% of days.
        let days = 100_000;
        let small: u64 = (0..days)
            .map(|_| apportion(1, &[0.8, 0.2], &mut rng)[1])
            .sum();
        assert!(
            (small as f64 / f64::from(days) - 0.2).abs() < 0.01,
            "{small}"
        );
    }
}
