//! A class's daily bill when it has too many requests to draw one by one.
//!
//! Above `AGGREGATE_ABOVE` requests of a class in a day, the simulation no
//! longer draws every request: the requests a path serves are independent
//! and identically distributed, so by the central limit theorem their summed
//! cost is close to Normal(n·μ, n·σ²), where μ and σ² are the mean and
//! variance of one request's cost along that path. μ and σ² are estimated
//! once per plan (and per price period) from `MOMENT_DRAWS` seeded draws of
//! single requests through the same pricing as the exact path (cliffs per
//! request, cache splits, cascade stages), so whatever a request can cost is
//! in them; a path's sum is then one normal draw, floored at zero. The cost
//! of a simulated day is thereby bounded by the class count, whatever the
//! volume. A sample mean of 65,536 draws is off by CV/256 (0.4% for a cost
//! whose standard deviation equals its mean) on every day alike, which at
//! 10^12 requests a day would dwarf the day-to-day spread: where the exact
//! expected cost of the class is known (the quadrature behind "expected
//! $/day"), the paths' means are scaled so that their blend is exactly it;
//! only the variance is then an estimate.

use std::sync::OnceLock;

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::paths::{request, Sampler};

/// Requests of one class in one day above which the day's cost of that
/// class is drawn as a sum (see the module header); at or below, every
/// request is drawn.
pub const AGGREGATE_ABOVE: u64 = 2_000;

/// Single requests drawn per path to estimate the mean and variance of its
/// cost.
pub const MOMENT_DRAWS: u32 = 1 << 16;

/// Mean and variance of one request's cost (USD) along a path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Moments {
    pub mean: f64,
    pub variance: f64,
}

impl Moments {
    /// The summed cost of `n` requests: one draw of Normal(n·μ, n·σ²),
    /// floored at zero (a bill is never negative).
    pub fn sum(self, n: u64, rng: &mut Xoshiro256PlusPlus) -> f64 {
        let n = n as f64;
        let z: f64 = StandardNormal.sample(rng);
        (n * self.mean + (n * self.variance).sqrt() * z).max(0.0)
    }
}

/// Per class, the moments of each of its paths, estimated the first time a
/// day needs them (the same numbers whichever thread asks first: each class
/// has its own seeded generator).
pub(super) struct ClassMoments {
    seed: u64,
    /// Per class, the exact expected cost of one request, where known.
    exact: Vec<Option<f64>>,
    classes: Vec<OnceLock<Vec<Moments>>>,
}

impl ClassMoments {
    /// `exact`: per class of the sampler, the exact expected cost (USD) of
    /// one of its requests, or `None` to keep the sampled mean.
    pub fn new(sampler: &Sampler, seed: u64, exact: Vec<Option<f64>>) -> ClassMoments {
        ClassMoments {
            seed,
            exact,
            classes: sampler.classes.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The moments of class `k`'s paths, in the order of its paths.
    pub fn of(&self, sampler: &Sampler, k: usize) -> &[Moments] {
        self.classes[k].get_or_init(|| {
            let (tokens, paths) = &sampler.classes[k];
            let mut moments: Vec<Moments> = paths
                .iter()
                .enumerate()
                .map(|(j, path)| {
                    let stream = ((k as u64) << 32 | j as u64).wrapping_mul(0xA24B_AED4_963E_E407);
                    let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.seed ^ stream);
                    welford((0..MOMENT_DRAWS).map(|_| request(sampler, tokens, path, &mut rng).0))
                })
                .collect();
            let blended: f64 = paths
                .iter()
                .zip(&moments)
                .map(|(p, m)| p.prob * m.mean)
                .sum();
            let weight: f64 = paths.iter().map(|p| p.prob).sum();
            if let Some(exact) = self.exact.get(k).copied().flatten() {
                let sampled = blended / weight;
                if sampled > 0.0 && exact.is_finite() {
                    let scale = exact / sampled;
                    for m in &mut moments {
                        m.mean *= scale;
                    }
                }
            }
            moments
        })
    }
}

/// Mean and (unbiased) variance in one pass, stable for large values.
fn welford(values: impl Iterator<Item = f64>) -> Moments {
    let (mut n, mut mean, mut m2) = (0.0_f64, 0.0_f64, 0.0_f64);
    for x in values {
        n += 1.0;
        let d = x - mean;
        mean += d / n;
        m2 += d * (x - mean);
    }
    Moments {
        mean,
        variance: if n > 1.0 { m2 / (n - 1.0) } else { 0.0 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_the_two_pass_formulas() {
        let xs = [1.0, 2.0, 4.0, 8.0, 16.0];
        let m = welford(xs.iter().copied());
        let mean = xs.iter().sum::<f64>() / 5.0;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 4.0;
        assert!((m.mean - mean).abs() < 1e-12);
        assert!((m.variance - var).abs() < 1e-12);
    }

    #[test]
    fn a_sum_has_the_mean_and_spread_of_n_requests() {
        let m = Moments {
            mean: 0.01,
            variance: 1e-4,
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let n = 10_000;
        let sums: Vec<f64> = (0..20_000).map(|_| m.sum(n, &mut rng)).collect();
        let mean = sums.iter().sum::<f64>() / sums.len() as f64;
        let sd = (sums.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / sums.len() as f64).sqrt();
        // n·μ = 100 and sqrt(n·σ²) = 1.
        assert!((mean - 100.0).abs() < 0.05, "{mean}");
        assert!((sd - 1.0).abs() < 0.03, "{sd}");
        // A huge volume neither overflows nor loses the mean.
        let big = m.sum(1_000_000_000_000, &mut rng);
        assert!((big / 1e10 - 1.0).abs() < 1e-4, "{big}");
    }

    /// The two ways of drawing a day agree where both apply: a cascade, a
    /// router and a single model at 5,000 requests a day (lognormal tokens,
    /// cache shares, class-mix drift), every request drawn vs every class
    /// drawn as a sum. Seeded, so the outcome is fixed; the tolerances are
    /// several standard errors of 300 days.
    #[test]
    fn summed_days_agree_with_days_drawn_request_by_request() {
        use crate::engine::simulate::{percentile, simulate, SimOptions};
        use crate::engine::testing::{catalog, context, scenario};
        let catalog = catalog();
        let ctx = context(&catalog);
        let mut s = scenario("chat-slo", &catalog);
        s.requests_per_day = 5_000.0;
        s.variation.volume = None;
        let opts = |aggregate_above| SimOptions {
            trials: 300,
            seed: 11,
            latency_samples: 200_000,
            aggregate_above,
        };
        let close = |a: f64, b: f64, tol: f64, what: &str| {
            assert!((a / b - 1.0).abs() < tol, "{what}: {a} vs {b}");
        };
        for plan in &s.plans {
            let o = crate::engine::evaluate(&s, plan, &ctx).unwrap();
            let exact = simulate(&s, &o, &ctx, &opts(u64::MAX), &|_| {}).unwrap();
            let summed = simulate(&s, &o, &ctx, &opts(0), &|_| {}).unwrap();
            let name = &plan.name;
            close(
                summed.mean_daily(),
                exact.mean_daily(),
                0.01,
                &format!("{name} mean"),
            );
            // Against the exact expectation: the daily mix drift is the noise.
            close(
                summed.mean_daily(),
                o.per_day.value(),
                0.01,
                &format!("{name} expected"),
            );
            for p in [0.1, 0.5, 0.9] {
                let (a, b) = (percentile(&summed.daily, p), percentile(&exact.daily, p));
                close(a, b, 0.02, &format!("{name} day P{}", p * 100.0));
            }
            close(
                percentile(&summed.monthly, 0.9),
                percentile(&exact.monthly, 0.9),
                0.01,
                &format!("{name} month P90"),
            );
            let (a, b) = (summed.ttft.unwrap(), exact.ttft.unwrap());
            close(
                percentile(&a, 0.95),
                percentile(&b, 0.95),
                0.05,
                &format!("{name} TTFT P95"),
            );
            let (a, b) = (summed.e2e.unwrap(), exact.e2e.unwrap());
            close(
                percentile(&a, 0.95),
                percentile(&b, 0.95),
                0.05,
                &format!("{name} E2E P95"),
            );
            assert_eq!(summed.requests, exact.requests);
        }
    }

    #[test]
    fn a_trillion_requests_a_day_is_one_draw_per_path() {
        use crate::engine::simulate::{simulate, SimOptions};
        use crate::engine::testing::{catalog, context, scenario};
        let catalog = catalog();
        let ctx = context(&catalog);
        let mut s = scenario("chat-slo", &catalog);
        s.requests_per_day = 1e12;
        s.variation.volume = None;
        s.variation.mix_drift = 0.0;
        let opts = SimOptions {
            trials: 1000,
            seed: 42,
            latency_samples: 20_000,
            aggregate_above: AGGREGATE_ABOVE,
        };
        let o = crate::engine::evaluate(&s, &s.plans[2], &ctx).unwrap();
        let sim = simulate(&s, &o, &ctx, &opts, &|_| {}).unwrap();
        // Whole class and path counts, so only the sums' own spread is left.
        let off = sim.mean_daily() / o.per_day.value() - 1.0;
        assert!(off.abs() < 1e-5, "{off}");
        assert_eq!(sim.requests, 1_000_000_000_000_000);
        // Latencies stay a bounded sample of individual requests.
        let kept = sim.ttft.as_ref().map_or(0, Vec::len);
        assert!((20_000..=20_010).contains(&kept), "{kept}");
    }
}
