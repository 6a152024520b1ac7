//! Token counts as distributions: a class's prompt, cache, output and
//! reasoning tokens can be fixed or drawn from a normal (truncated at 0),
//! log-normal, uniform or empirical distribution. statrs gives the CDFs and
//! quantiles (tails past a long-context cliff, expectations by quadrature);
//! `sample` draws for the Monte Carlo simulation.

use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use statrs::distribution::{Continuous, ContinuousCDF, LogNormal, Normal};

use crate::pricing::bill::Request;
use crate::pricing::ServiceTier;

/// The z-score of the 95th percentile of a standard normal.
pub const Z95: f64 = 1.644_853_626_951_472_2;

#[derive(Debug, Clone, PartialEq)]
pub enum TokenDist {
    Fixed(f64),
    /// Normal(mean, sd), truncated at 0 (resampled below 0).
    Normal {
        mean: f64,
        sd: f64,
    },
    /// ln X ~ Normal(mu, sigma).
    LogNormal {
        mu: f64,
        sigma: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Observed values, sorted ascending; each equally likely.
    Empirical(Arc<Vec<f64>>),
}

impl TokenDist {
    /// A log-normal with this median and 95th percentile (p95 > median).
    pub fn log_normal_from_quantiles(median: f64, p95: f64) -> TokenDist {
        let mu = median.ln();
        TokenDist::LogNormal {
            mu,
            sigma: (p95.ln() - mu) / Z95,
        }
    }

    pub fn is_fixed(&self) -> bool {
        matches!(self, TokenDist::Fixed(_))
    }

    /// P(X <= x).
    pub fn cdf(&self, x: f64) -> f64 {
        match self {
            TokenDist::Fixed(v) => f64::from(u8::from(*v <= x)),
            TokenDist::Normal { mean, sd } => {
                let n = normal(*mean, *sd);
                let below_zero = n.cdf(0.0);
                if x < 0.0 {
                    0.0
                } else {
                    (n.cdf(x) - below_zero) / (1.0 - below_zero)
                }
            }
            TokenDist::LogNormal { mu, sigma } => {
                if x <= 0.0 {
                    0.0
                } else {
                    log_normal(*mu, *sigma).cdf(x)
                }
            }
            TokenDist::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            TokenDist::Empirical(values) => {
                values.partition_point(|v| *v <= x) as f64 / values.len() as f64
            }
        }
    }

    /// The p-quantile, p in (0, 1).
    pub fn quantile(&self, p: f64) -> f64 {
        match self {
            TokenDist::Fixed(v) => *v,
            TokenDist::Normal { mean, sd } => {
                let n = normal(*mean, *sd);
                let below_zero = n.cdf(0.0);
                n.inverse_cdf(below_zero + p * (1.0 - below_zero)).max(0.0)
            }
            TokenDist::LogNormal { mu, sigma } => log_normal(*mu, *sigma).inverse_cdf(p),
            TokenDist::Uniform { min, max } => min + p * (max - min),
            TokenDist::Empirical(values) => {
                let i = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
                values[i - 1]
            }
        }
    }

    /// E[X], exact.
    pub fn mean(&self) -> f64 {
        match self {
            TokenDist::Fixed(v) => *v,
            TokenDist::Normal { mean, sd } => {
                if *sd == 0.0 {
                    return mean.max(0.0);
                }
                // Mean of a normal truncated below at 0.
                let alpha = -mean / sd;
                let n = Normal::standard();
                mean + sd * n.pdf(alpha) / (1.0 - n.cdf(alpha))
            }
            TokenDist::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            TokenDist::Uniform { min, max } => (min + max) / 2.0,
            TokenDist::Empirical(values) => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// E[X | lo < X <= hi] and P(lo < X <= hi), in closed form (partial
    /// expectations of the normal and log-normal; exact for the others).
    pub fn band(&self, lo: f64, hi: f64) -> (f64, f64) {
        let (p_lo, p_hi) = (self.cdf(lo), self.cdf(hi));
        let p = p_hi - p_lo;
        if p <= 0.0 {
            return (0.0, 0.0);
        }
        let std = Normal::standard();
        let partial = match self {
            TokenDist::Fixed(v) => v * p,
            TokenDist::Empirical(values) => {
                let inside = values.iter().filter(|v| **v > lo && **v <= hi);
                inside.sum::<f64>() / values.len() as f64
            }
            TokenDist::Uniform { min, max } => {
                let (a, b) = (lo.max(*min), hi.min(*max));
                p * (a + b) / 2.0
            }
            TokenDist::LogNormal { mu, sigma } => {
                // E[X; a < X <= b] = e^(mu + sigma^2/2) [Phi(d_b) - Phi(d_a)], d = (ln x - mu - sigma^2) / sigma.
                let d = |x: f64| {
                    if x <= 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        (x.ln() - mu - sigma * sigma) / sigma
                    }
                };
                (mu + sigma * sigma / 2.0).exp() * (std.cdf(d(hi)) - std.cdf(d(lo)))
            }
            TokenDist::Normal { mean, sd } => {
                if *sd == 0.0 {
                    mean.max(0.0) * p
                } else {
                    // Truncated at 0: E[X; a < X <= b] / P(X > 0) with
                    // E[X; a < X <= b] = mean [Phi(b') - Phi(a')] + sd [phi(a') - phi(b')].
                    let (a, b) = ((lo.max(0.0) - mean) / sd, (hi - mean) / sd);
                    let untruncated =
                        mean * (std.cdf(b) - std.cdf(a)) + sd * (std.pdf(a) - std.pdf(b));
                    untruncated / (1.0 - std.cdf(-mean / sd))
                }
            }
        };
        (partial / p, p)
    }

    /// One draw, rounded to a whole token count.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        let x = match self {
            TokenDist::Fixed(v) => *v,
            TokenDist::Normal { mean, sd } => loop {
                let z: f64 = StandardNormal.sample(rng);
                let x = mean + sd * z;
                if x >= 0.0 {
                    break x;
                }
            },
            TokenDist::LogNormal { mu, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                (mu + sigma * z).exp()
            }
            TokenDist::Uniform { min, max } => rng.gen_range(*min..=*max),
            TokenDist::Empirical(values) => values[rng.gen_range(0..values.len())],
        };
        x.round().max(0.0) as u64
    }
}

fn normal(mean: f64, sd: f64) -> Normal {
    Normal::new(mean, sd.max(f64::MIN_POSITIVE)).expect("validated: finite mean, positive sd")
}

fn log_normal(mu: f64, sigma: f64) -> LogNormal {
    LogNormal::new(mu, sigma.max(f64::MIN_POSITIVE)).expect("validated: finite mu, positive sigma")
}

/// Cache tokens: a count (fixed or a distribution) or a share of the prompt.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheSpec {
    Tokens(TokenDist),
    Share(f64),
}

impl CacheSpec {
    pub fn mean(&self, prompt_mean: f64) -> f64 {
        match self {
            CacheSpec::Tokens(d) => d.mean(),
            CacheSpec::Share(s) => s * prompt_mean,
        }
    }
}

/// Every token count of a class (or of one model on a class) as distributions.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenModel {
    pub prompt: TokenDist,
    pub cache_read: CacheSpec,
    pub cache_write: CacheSpec,
    pub cache_write_1h: CacheSpec,
    pub output: TokenDist,
    pub reasoning: TokenDist,
}

impl TokenModel {
    pub fn fixed(
        prompt: u64,
        cache_read: u64,
        cache_write: u64,
        cache_write_1h: u64,
        output: u64,
        reasoning: u64,
    ) -> TokenModel {
        let f = |v: u64| TokenDist::Fixed(v as f64);
        TokenModel {
            prompt: f(prompt),
            cache_read: CacheSpec::Tokens(f(cache_read)),
            cache_write: CacheSpec::Tokens(f(cache_write)),
            cache_write_1h: CacheSpec::Tokens(f(cache_write_1h)),
            output: f(output),
            reasoning: f(reasoning),
        }
    }

    /// The request with every count at its mean, rounded: a class's
    /// representative request (exact when the counts are fixed).
    pub fn mean_request(&self, tier: ServiceTier) -> Request {
        let prompt = self.prompt.mean();
        let round = |v: f64| v.round().max(0.0) as u64;
        Request {
            input: round(prompt),
            cache_read: round(self.cache_read.mean(prompt)),
            cache_write: round(self.cache_write.mean(prompt)),
            cache_write_1h: round(self.cache_write_1h.mean(prompt)),
            output: round(self.output.mean()),
            reasoning: round(self.reasoning.mean()),
            tier,
            ..Request::default()
        }
    }

    /// Whether every count is a fixed number.
    pub fn is_fixed(&self) -> bool {
        let cache_fixed = |c: &CacheSpec| match c {
            CacheSpec::Tokens(d) => d.is_fixed(),
            CacheSpec::Share(_) => self.prompt.is_fixed(),
        };
        self.prompt.is_fixed()
            && self.output.is_fixed()
            && self.reasoning.is_fixed()
            && cache_fixed(&self.cache_read)
            && cache_fixed(&self.cache_write)
            && cache_fixed(&self.cache_write_1h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn log_normal_from_median_and_p95_round_trips() {
        let d = TokenDist::log_normal_from_quantiles(2_000.0, 12_000.0);
        assert!((d.quantile(0.5) - 2_000.0).abs() < 1e-6);
        assert!((d.quantile(0.95) - 12_000.0).abs() < 1e-3);
        assert!((d.cdf(12_000.0) - 0.95).abs() < 1e-9);
    }

    #[test]
    fn truncated_normal_has_no_mass_below_zero() {
        let d = TokenDist::Normal {
            mean: 100.0,
            sd: 200.0,
        };
        assert_eq!(d.cdf(-1.0), 0.0);
        assert!(d.quantile(0.001) >= 0.0);
        assert!(d.mean() > 100.0, "truncation lifts the mean");
    }

    #[test]
    fn band_means_recombine_to_the_mean() {
        for d in [
            TokenDist::log_normal_from_quantiles(50_000.0, 300_000.0),
            TokenDist::Normal {
                mean: 1_000.0,
                sd: 300.0,
            },
            TokenDist::Uniform {
                min: 0.0,
                max: 400_000.0,
            },
            TokenDist::Empirical(Arc::new(vec![1.0, 5.0, 9.0, 250_000.0])),
        ] {
            let (m1, p1) = d.band(f64::NEG_INFINITY, 200_000.0);
            let (m2, p2) = d.band(200_000.0, f64::INFINITY);
            assert!((p1 + p2 - 1.0).abs() < 1e-9);
            let mean = m1 * p1 + m2 * p2;
            assert!(
                (mean - d.mean()).abs() / d.mean() < 2e-3,
                "{d:?}: {mean} vs {}",
                d.mean()
            );
        }
    }

    #[test]
    fn empirical_quantiles_are_observed_values() {
        let d = TokenDist::Empirical(Arc::new(vec![10.0, 20.0, 30.0, 40.0]));
        assert_eq!(d.quantile(0.5), 20.0);
        assert_eq!(d.quantile(0.99), 40.0);
        assert_eq!(d.cdf(25.0), 0.5);
    }

    #[test]
    fn samples_are_reproducible_for_a_seed() {
        let d = TokenDist::log_normal_from_quantiles(1_000.0, 5_000.0);
        let draw = |seed| {
            let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            (0..5).map(|_| d.sample(&mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }
}

#[cfg(test)]
mod tail_tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn the_share_of_draws_above_a_cliff_matches_the_tail_probability() {
        let d = TokenDist::log_normal_from_quantiles(150_000.0, 320_000.0);
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(11);
        let n = 200_000;
        let above = (0..n).filter(|_| d.sample(&mut rng) > 272_000).count() as f64 / f64::from(n);
        let tail = 1.0 - d.cdf(272_000.0);
        // Binomial standard error at n = 200,000 is under 0.001.
        assert!((above - tail).abs() < 0.004, "{above} vs {tail}");
    }
}
