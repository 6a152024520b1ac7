//! What a self-hosted fleet costs against an API, and where they cross.
//!
//! Notation: `P` $ per GPU-hour on the chosen basis, `T` usable output
//! tok/s per GPU, `y` output tokens per request, `g` GPUs per replica,
//! `s` spare replicas, `k` the peak-to-mean factor, `c` the API's cost per
//! request for the same traffic (priced exactly by the sheets).
//!
//! - Fleet cost per day = replicas x g x P x 24 (exact picodollars). It is
//!   the reservation-based cost: every paid hour counts whether it serves
//!   or idles (llm-d's inference-cost proposal argues an API must be
//!   compared with this figure, not with busy time only).
//! - Cost per request at 100% utilisation = P x y / (T x 3600): the GPU-
//!   seconds one request takes, priced per hour.
//! - Break-even utilisation u* = that cost / c. Above 1, no utilisation wins.
//! - Break-even daily volume V*: the least volume at which the fleet it
//!   needs costs less per day than the API. A fleet of n replicas carries
//!   (n - s) g T 86,400 / (y k) requests a day and costs n g P 24, so it can
//!   beat the API only if n / (n - s) <= R = c / (k x cost at 100%); the
//!   first such n is ceil(s R / (R - 1)) (at least s + 1) and
//!   V* = n g P 24 / c. If R <= 1 the API is cheaper at every volume.

use super::fleet::{capacity, Policy, Workload};
use crate::money::{Money, Usd};

const HOURS_PER_DAY: i128 = 24;

/// Exact cost per day of `gpus` GPUs at `per_gpu_hour`.
pub fn fleet_cost_per_day(per_gpu_hour: Money, gpus: u32) -> Money {
    Money::from_picos(per_gpu_hour.picos() * i128::from(gpus) * HOURS_PER_DAY)
}

/// Cost of one request's GPU time with no idle time: P x y / (T x 3600).
pub fn cost_at_full_use(per_gpu_hour: Money, usable_tps_per_gpu: f64, output_tokens: f64) -> Usd {
    Usd(per_gpu_hour.usd().value() * output_tokens / (usable_tps_per_gpu * 3600.0))
}

/// u* = cost at full use / API cost per request (`None` without an API cost).
pub fn breakeven_utilisation(full_use: Usd, api_per_request: Usd) -> Option<f64> {
    (api_per_request.value() > 0.0).then(|| full_use.value() / api_per_request.value())
}

/// Where self-hosting first costs less per day than the API.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakEvenVolume {
    pub requests_per_day: f64,
    /// Replicas (spares included) of the fleet at that volume.
    pub replicas: u32,
}

pub fn breakeven_volume(
    per_gpu_hour: Money,
    usable_tps_per_gpu: f64,
    gpus_per_replica: u32,
    w: &Workload,
    policy: &Policy,
    api_per_request: Usd,
) -> Option<BreakEvenVolume> {
    let c = api_per_request.value();
    let full = cost_at_full_use(per_gpu_hour, usable_tps_per_gpu, w.output_tokens).value();
    if !(c > 0.0 && full > 0.0) {
        return None;
    }
    let r = c / (w.peak_factor * full);
    if r <= 1.0 {
        return None;
    }
    let s = f64::from(policy.spare_replicas);
    let first = (s * r / (r - 1.0)).ceil().max(s + 1.0);
    if first > f64::from(u32::MAX / 2) {
        return None;
    }
    let mut n = first as u32;
    // Guard against rounding at the boundary: the n found must carry V*.
    loop {
        let cost = fleet_cost_per_day(per_gpu_hour, n * gpus_per_replica)
            .usd()
            .value();
        let v = cost / c;
        let cap = capacity(
            n - policy.spare_replicas,
            gpus_per_replica,
            usable_tps_per_gpu,
            w,
        );
        if v <= cap * (1.0 + 1e-12) {
            return Some(BreakEvenVolume {
                requests_per_day: v,
                replicas: n,
            });
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workload() -> Workload {
        Workload {
            requests_per_day: 10_000.0,
            input_tokens: 1000.0,
            output_tokens: 500.0,
            peak_factor: 1.0,
            days_per_month: 30.0,
        }
    }

    #[test]
    fn cost_per_day_is_exact() {
        // $7.912 per GPU-hour x 8 GPUs x 24 h = $1,519.104 per day, to the picodollar.
        let p = Money::from_usd(7.912).unwrap();
        assert_eq!(
            fleet_cost_per_day(p, 8),
            Money::from_picos(1_519_104_000_000_000)
        );
    }

    #[test]
    fn cost_per_request_at_full_use() {
        // $2/GPU-h, 1,000 tok/s per GPU, 500 output tokens: the request
        // takes 0.5 GPU-seconds, 2 x 0.5 / 3600 = $0.000277778.
        let c = cost_at_full_use(Money::from_usd(2.0).unwrap(), 1000.0, 500.0);
        assert!((c.value() - 0.000_277_777_8).abs() < 1e-10);
    }

    #[test]
    fn breakeven_utilisation_is_the_cost_ratio() {
        // $0.000277778 self-hosted at full use against $0.001 per request
        // on the API: self-hosting wins above 27.78% utilisation.
        let u = breakeven_utilisation(Usd(0.000_277_777_8), Usd(0.001)).unwrap();
        assert!((u - 0.277_777_8).abs() < 1e-9);
        // An API at $0.0002 per request: u* = 1.39, never.
        assert!(breakeven_utilisation(Usd(0.000_277_777_8), Usd(0.0002)).unwrap() > 1.0);
    }

    #[test]
    fn breakeven_volume_with_n_plus_one() {
        // $2/GPU-h, 1 GPU per replica at 1,000 tok/s, 500 tokens out, API
        // $0.001 per request, peak 1, one spare.
        // Full-use cost $0.000277778, so R = 0.001 / 0.000277778 = 3.6.
        // First fleet: ceil(1 x 3.6 / 2.6) = ceil(1.385) = 2 replicas.
        // It costs 2 x $2 x 24 = $96 a day, the API's cost of 96,000
        // requests; one serving replica carries 1,000 x 86,400 / 500 =
        // 172,800 a day, so V* = 96,000 requests/day on 2 GPUs.
        let p = Money::from_usd(2.0).unwrap();
        let v =
            breakeven_volume(p, 1000.0, 1, &workload(), &Policy::default(), Usd(0.001)).unwrap();
        assert_eq!(v.replicas, 2);
        assert!((v.requests_per_day - 96_000.0).abs() < 1e-6);
    }

    #[test]
    fn breakeven_volume_needs_several_replicas_when_the_margin_is_thin() {
        // API $0.0004: R = 1.44; n >= 1.44 / 0.44 = 3.27, so 4 replicas
        // ($192/day), V* = 192 / 0.0004 = 480,000 requests/day; 3 serving
        // replicas carry 518,400, so the fleet holds it.
        let p = Money::from_usd(2.0).unwrap();
        let v =
            breakeven_volume(p, 1000.0, 1, &workload(), &Policy::default(), Usd(0.0004)).unwrap();
        assert_eq!(v.replicas, 4);
        assert!((v.requests_per_day - 480_000.0).abs() < 1e-6);
    }

    #[test]
    fn no_breakeven_when_the_api_is_cheaper_than_full_use() {
        // API $0.0002 < $0.000278 at full use: R = 0.72.
        let p = Money::from_usd(2.0).unwrap();
        assert_eq!(
            breakeven_volume(p, 1000.0, 1, &workload(), &Policy::default(), Usd(0.0002)),
            None
        );
    }
}
