//! `[traffic]`: when in the week (UTC) a scenario's requests arrive, so that
//! time-of-day prices (DeepSeek's off-peak windows) are priced as a blend
//! weighted by the profile. Without the table traffic is spread evenly over
//! the week.

use super::file::TrafficEntry;
use crate::pricing::windows::TrafficProfile;
use crate::source::{KeyPath, Problem};

pub(super) fn build(entry: Option<&TrafficEntry>) -> Result<TrafficProfile, Problem> {
    let Some(e) = entry else {
        return Ok(TrafficProfile::Uniform);
    };
    let at = KeyPath::root().key("traffic");
    let share = |v: f64, key: &str| {
        if (0.0..=1.0).contains(&v) {
            Ok(v)
        } else {
            Err(Problem::new(
                at.key(key),
                format!("{key} = {v} is not a share in 0..=1"),
            ))
        }
    };
    match (e.off_peak_share, &e.hours_utc) {
        (Some(_), Some(_)) => Err(Problem::new(
            at.key("hours_utc"),
            "`[traffic]` states both `off_peak_share` and `hours_utc`",
        )
        .hint("keep one: a share of requests off-peak, or weights per UTC hour")),
        (Some(s), None) => {
            if e.weekend_share.is_some() {
                return Err(Problem::new(
                    at.key("weekend_share"),
                    "`weekend_share` goes with `hours_utc`, not `off_peak_share`",
                ));
            }
            Ok(TrafficProfile::WindowShare(share(s, "off_peak_share")?))
        }
        (None, Some(h)) => {
            let hours: [f64; 24] = h.as_slice().try_into().map_err(|_| {
                Problem::new(
                    at.key("hours_utc"),
                    format!(
                        "`hours_utc` has {} weights; it needs 24 (00:00 to 23:00 UTC)",
                        h.len()
                    ),
                )
            })?;
            if hours.iter().any(|w| !(w.is_finite() && *w >= 0.0))
                || hours.iter().sum::<f64>() <= 0.0
            {
                return Err(Problem::new(
                    at.key("hours_utc"),
                    "`hours_utc` weights must be non-negative and not all zero",
                ));
            }
            Ok(TrafficProfile::Hourly {
                hours,
                weekend_share: e
                    .weekend_share
                    .map(|w| share(w, "weekend_share"))
                    .transpose()?,
            })
        }
        (None, None) => Err(Problem::new(at, "`[traffic]` is empty")
            .hint("add `off_peak_share = 0.5` or `hours_utc = [24 weights]`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(off: Option<f64>, hours: Option<Vec<f64>>) -> TrafficEntry {
        TrafficEntry {
            off_peak_share: off,
            hours_utc: hours,
            weekend_share: None,
        }
    }

    #[test]
    fn a_share_outside_0_to_1_is_rejected_at_its_key() {
        let e = build(Some(&entry(Some(1.5), None))).unwrap_err();
        assert_eq!(e.key.to_string(), "traffic.off_peak_share");
    }

    #[test]
    fn hours_need_24_weights() {
        let e = build(Some(&entry(None, Some(vec![1.0; 23])))).unwrap_err();
        assert!(e.message.contains("24"), "{}", e.message);
    }

    #[test]
    fn no_table_is_uniform() {
        assert_eq!(build(None).unwrap(), TrafficProfile::Uniform);
    }
}
