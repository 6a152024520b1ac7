//! Chart data the board draws that `plot` has no shape for: the tornado of
//! assumptions, the monthly cost bands of every plan and the variance bridge. Plain numbers in
//! USD per month; the renderer picks the scale.

use crate::engine::sensitivity::Sensitivity;
use crate::engine::simulate::{percentile, PlanSim};
use crate::engine::PlanOutcome;

/// One bar per assumption around the plan's cost as the scenario states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tornado {
    pub x_label: String,
    /// The plan's monthly cost, where every bar pivots.
    pub base: f64,
    /// Largest swing first.
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    /// The assumption's low and high end, in words (`8,000 requests/day`).
    pub low_label: String,
    pub high_label: String,
    pub at_low: f64,
    pub at_high: f64,
}

/// The simulated monthly bill of every plan: the 5th to 95th percentile
/// band, the median and the expectation; the budget line if there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    pub x_label: String,
    pub budget: Option<f64>,
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub label: String,
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
    pub expected: f64,
    /// The recommended plan, drawn in the accent colour.
    pub highlight: bool,
}

/// The variance bridge: the forecast, each cause's step, the actual.
#[derive(Debug, Clone, PartialEq)]
pub struct Bridge {
    pub x_label: String,
    pub steps: Vec<Step>,
}

/// A bar from `from` to `to`, USD per month; a total starts at zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub label: String,
    pub from: f64,
    pub to: f64,
    pub total: bool,
}

pub fn tornado(t: &Sensitivity, value: impl Fn(&str, f64) -> String) -> Tornado {
    Tornado {
        x_label: "USD per month".into(),
        base: t.base.per_month.value(),
        bars: t
            .swings
            .iter()
            .map(|w| Bar {
                label: w.assumption.clone(),
                low_label: value(&w.assumption, w.low_value),
                high_label: value(&w.assumption, w.high_value),
                at_low: w.at_low.value(),
                at_high: w.at_high.value(),
            })
            .collect(),
    }
}

pub fn bands(
    outcomes: &[PlanOutcome],
    sims: &[PlanSim],
    budget: Option<f64>,
    recommended: &str,
) -> Bands {
    Bands {
        x_label: "USD per month".into(),
        budget,
        bands: outcomes
            .iter()
            .zip(sims)
            .map(|(o, sim)| Band {
                label: o.plan.clone(),
                p5: percentile(&sim.monthly, 0.05),
                p50: percentile(&sim.monthly, 0.5),
                p95: percentile(&sim.monthly, 0.95),
                expected: o.per_month.value(),
                highlight: o.plan == recommended,
            })
            .collect(),
    }
}
