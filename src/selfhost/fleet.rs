//! How many GPUs a scenario's traffic needs on a deployment.
//!
//! 1. The row: the measured row closest to the scenario's mean request
//!    shape (by |ln(x_row/x)| + |ln(y_row/y)|), among the rows meeting the
//!    per-user speed target when one is set; then the highest usable
//!    throughput. Rows that state no shape are used only when none does.
//! 2. Usable throughput per GPU: an interactive row's figure as measured;
//!    an offline (max-throughput) row's times a derate. The default derate
//!    is NVIDIA NIM's published concurrency sweep for Llama-3.3-70B FP8 on
//!    2 x H100 (5000 in / 500 out): at 25 concurrent users (38.75 ms ITL,
//!    about 26 tok/s per user, 0.69 s TTFT) it serves 623.4 of the 920.9
//!    tok/s it reaches saturated, 67.7%; one stream gets 51.67, 5.6%.
//!    MLPerf's Interactive/Offline ratios range from 25% to 86% across
//!    models and systems, so the derate is a default, not a constant.
//! 3. Fleet: peak output tok/s = requests/day x output tokens / 86,400 x
//!    the traffic profile's peak-to-mean ratio; serving replicas =
//!    ceil(peak / (usable x GPUs per replica)), at least 1; plus the spare
//!    replicas (N+1 by default).

use super::model::{Deployment, Row};
use crate::pricing::windows::TrafficProfile;

/// NIM sweep: chat concurrency (c = 25) over saturated (c = 150) output tok/s.
pub const CHAT_DERATE: f64 = 623.4 / 920.9;
/// NIM sweep: one stream (c = 1) over saturated.
pub const SINGLE_STREAM_SHARE: f64 = 51.67 / 920.9;
pub const SECONDS_PER_DAY: f64 = 86_400.0;

/// The traffic a fleet must carry: mean request shape and volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    pub requests_per_day: f64,
    /// Mean prompt tokens per request.
    pub input_tokens: f64,
    /// Mean generated tokens per request (answer plus reasoning).
    pub output_tokens: f64,
    /// Busiest hour's rate over the mean rate.
    pub peak_factor: f64,
    pub days_per_month: f64,
}

impl Workload {
    pub fn mean_output_tps(&self) -> f64 {
        self.requests_per_day * self.output_tokens / SECONDS_PER_DAY
    }

    pub fn with_volume(&self, requests_per_day: f64) -> Workload {
        Workload {
            requests_per_day,
            ..*self
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Replicas held back for failures and maintenance (1 = N+1).
    pub spare_replicas: u32,
    /// Per-user output speed a row must state to be used (tok/s).
    pub min_user_tps: Option<f64>,
    /// Share of an offline row's throughput usable at interactive latency.
    pub offline_derate: f64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            spare_replicas: 1,
            min_user_tps: None,
            offline_derate: CHAT_DERATE,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FleetError {
    #[error("no row of `{deployment}` states a per-user speed of at least {target} tok/s (fastest stated: {})", .best.map_or("none: its rows are offline runs".to_string(), |b| format!("{b:.1} tok/s")))]
    NoRowMeets {
        deployment: String,
        target: f64,
        best: Option<f64>,
    },
}

/// The row a workload is sized on and what of it is usable.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen<'a> {
    pub row: &'a Row,
    pub usable_tps_per_gpu: f64,
    /// The derate applied (offline rows only).
    pub derate: Option<f64>,
}

fn shape_distance(row: &Row, w: &Workload) -> Option<f64> {
    let (x, y) = (row.input_tokens? as f64, row.output_tokens? as f64);
    let log = |a: f64, b: f64| (a.max(1.0) / b.max(1.0)).ln().abs();
    Some(log(x, w.input_tokens) + log(y, w.output_tokens))
}

pub fn choose_row<'a>(
    d: &'a Deployment,
    w: &Workload,
    policy: &Policy,
) -> Result<Chosen<'a>, FleetError> {
    let eligible: Vec<&Row> = d
        .rows
        .iter()
        .filter(|r| match policy.min_user_tps {
            Some(t) => !r.offline && r.per_user_tps().is_some_and(|u| u >= t),
            None => true,
        })
        .collect();
    let usable = |r: &Row| {
        if r.offline {
            r.output_tps_per_gpu * policy.offline_derate
        } else {
            r.output_tps_per_gpu
        }
    };
    let shaped: Vec<(&Row, f64)> = eligible
        .iter()
        .filter_map(|r| shape_distance(r, w).map(|dist| (*r, dist)))
        .collect();
    let pool: Vec<&Row> = if shaped.is_empty() {
        eligible
    } else {
        let nearest = shaped.iter().map(|(_, d)| *d).fold(f64::INFINITY, f64::min);
        shaped
            .into_iter()
            .filter(|(_, dist)| *dist <= nearest + 1e-9)
            .map(|(r, _)| r)
            .collect()
    };
    let best = pool
        .into_iter()
        .max_by(|a, b| usable(a).total_cmp(&usable(b)).then(b.index.cmp(&a.index)));
    match best {
        Some(row) => Ok(Chosen {
            row,
            usable_tps_per_gpu: usable(row),
            derate: row.offline.then_some(policy.offline_derate),
        }),
        None => Err(FleetError::NoRowMeets {
            deployment: d.id.clone(),
            target: policy.min_user_tps.unwrap_or(0.0),
            best: d
                .rows
                .iter()
                .filter(|r| !r.offline)
                .filter_map(Row::per_user_tps)
                .reduce(f64::max),
        }),
    }
}

/// The busiest hour's request rate over the mean: 1 without a profile.
/// With `hours_utc` weights it is the largest weight over their mean,
/// times the busiest day's share over 1/7 when a weekend share is stated.
pub fn peak_to_mean(profile: &TrafficProfile) -> f64 {
    match profile {
        TrafficProfile::Uniform | TrafficProfile::WindowShare(_) => 1.0,
        TrafficProfile::Hourly {
            hours,
            weekend_share,
        } => {
            let mean = hours.iter().sum::<f64>() / 24.0;
            let hour = hours.iter().copied().fold(0.0, f64::max) / mean;
            let day = weekend_share.map_or(1.0, |s| ((1.0 - s) / 5.0).max(s / 2.0) * 7.0);
            hour * day
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fleet {
    pub serving_replicas: u32,
    pub replicas: u32,
    pub gpus: u32,
    pub mean_output_tps: f64,
    pub peak_output_tps: f64,
    /// Mean load over what all the fleet's GPUs could serve.
    pub utilisation: f64,
    /// Requests per day the serving replicas carry at the peak factor.
    pub capacity_requests_per_day: f64,
}

/// Requests per day `serving` replicas carry with the peak factor's headroom.
pub fn capacity(serving: u32, gpus_per_replica: u32, usable: f64, w: &Workload) -> f64 {
    f64::from(serving) * f64::from(gpus_per_replica) * usable * SECONDS_PER_DAY
        / (w.output_tokens * w.peak_factor)
}

pub fn size(gpus_per_replica: u32, usable: f64, w: &Workload, policy: &Policy) -> Fleet {
    let mean = w.mean_output_tps();
    let peak = mean * w.peak_factor;
    let per_replica = usable * f64::from(gpus_per_replica);
    let serving = ((peak / per_replica).ceil().max(1.0)).min(f64::from(u32::MAX / 2)) as u32;
    let replicas = serving + policy.spare_replicas;
    let gpus = replicas * gpus_per_replica;
    Fleet {
        serving_replicas: serving,
        replicas,
        gpus,
        mean_output_tps: mean,
        peak_output_tps: peak,
        utilisation: mean / (f64::from(gpus) * usable),
        capacity_requests_per_day: capacity(serving, gpus_per_replica, usable, w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfhost::model::Precision;
    use crate::selfhost::testing::{deployment, row};

    fn workload(v: f64) -> Workload {
        Workload {
            requests_per_day: v,
            input_tokens: 1000.0,
            output_tokens: 500.0,
            peak_factor: 2.0,
            days_per_month: 30.0,
        }
    }

    #[test]
    fn fleet_with_peak_factor_and_n_plus_one() {
        // 1,000,000 requests/day x 500 output tokens / 86,400 s = 5,787.04 tok/s
        // mean; x 2 peak = 11,574.07 tok/s. A replica of 2 GPUs at 1,000
        // usable tok/s per GPU serves 2,000: ceil(5.787) = 6 serving
        // replicas, + 1 spare = 7 replicas = 14 GPUs. Utilisation =
        // 5,787.04 / (14 x 1,000) = 0.41336.
        let f = size(2, 1000.0, &workload(1e6), &Policy::default());
        assert_eq!((f.serving_replicas, f.replicas, f.gpus), (6, 7, 14));
        assert!((f.mean_output_tps - 5787.037).abs() < 1e-3);
        assert!((f.utilisation - 0.413_36).abs() < 1e-5, "{}", f.utilisation);
        // Capacity: 6 x 2 x 1,000 x 86,400 / (500 x 2) = 1,036,800 requests/day.
        assert!((f.capacity_requests_per_day - 1_036_800.0).abs() < 1e-6);
    }

    #[test]
    fn a_tiny_load_still_needs_one_replica_and_its_spare() {
        let f = size(1, 1000.0, &workload(10.0), &Policy::default());
        assert_eq!((f.serving_replicas, f.gpus), (1, 2));
    }

    #[test]
    fn offline_rows_are_derated_and_the_nearest_shape_wins() {
        let mut d = deployment("llama-3.3-70b", 2, Precision::Fp8);
        d.rows = vec![row(1000, 1000, 3000.0), row(8000, 1000, 600.0)];
        d.rows[1].index = 1;
        // 1000/500 is nearer 1000/1000 (|ln 2| = 0.69) than 8000/1000 (2.77).
        let c = choose_row(&d, &workload(1.0), &Policy::default()).unwrap();
        assert_eq!(c.row.index, 0);
        // 3000 x 623.4 / 920.9 = 2030.84 usable tok/s per GPU.
        assert!((c.usable_tps_per_gpu - 2030.84).abs() < 0.01);
    }

    #[test]
    fn a_speed_target_no_row_meets_is_an_error() {
        let mut d = deployment("llama-3.3-70b", 2, Precision::Fp8);
        let mut r = row(5000, 500, 300.0);
        r.offline = false;
        r.itl_ms = Some(40.0); // 25 tok/s per user
        d.rows = vec![r, row(5000, 500, 460.0)];
        let policy = Policy {
            min_user_tps: Some(50.0),
            ..Policy::default()
        };
        let err = choose_row(&d, &workload(1.0), &policy).unwrap_err();
        assert_eq!(
            err,
            FleetError::NoRowMeets {
                deployment: d.id.clone(),
                target: 50.0,
                best: Some(25.0)
            }
        );
        // At 20 tok/s per user the interactive row is used as measured.
        let ok = Policy {
            min_user_tps: Some(20.0),
            ..Policy::default()
        };
        let c = choose_row(&d, &workload(1.0), &ok).unwrap();
        assert_eq!((c.usable_tps_per_gpu, c.derate), (300.0, None));
    }

    #[test]
    fn peak_to_mean_of_an_hourly_profile() {
        // 12 hours at weight 2 and 12 at weight 0: mean 1, peak 2. A 10%
        // weekend share makes a weekday carry 0.9 / 5 = 0.18 of the week,
        // 1.26 x the 1/7 mean: 2 x 1.26 = 2.52.
        let mut hours = [0.0; 24];
        hours[..12].fill(2.0);
        let p = TrafficProfile::Hourly {
            hours,
            weekend_share: Some(0.1),
        };
        assert!((peak_to_mean(&p) - 2.52).abs() < 1e-12);
        assert_eq!(peak_to_mean(&TrafficProfile::Uniform), 1.0);
    }
}
