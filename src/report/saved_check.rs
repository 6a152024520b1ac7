//! Whether a saved `compare` report agrees with itself before `cost diff`
//! trusts it: a plan's cost per request is its classes' share-weighted
//! expected costs (`PlanOutcome::from_classes`: `p = Σ_k s_k c_k`), its cost
//! per day and per month are that times the requests per day and per month,
//! and each class's cost per request is its billed tokens at its rates plus
//! its fee (`ClassSnapshot::priced`). A report edited by hand, or merged
//! badly, breaks one of these; diffing it would attribute a change to
//! nothing and let a gate pass. Pure: the reader hands in what it parsed.
//!
//! Amounts are rounded to the picodollar when a report is written, so two
//! sides agree when they differ by less than a millionth (relative) plus a
//! nanodollar; a real contradiction is far larger.

use crate::engine::snapshot::{ClassSnapshot, PlanSnapshot};
use crate::human::plain_usd;

/// A contradiction: the key at fault and what it contradicts.
#[derive(Debug, Clone, PartialEq)]
pub struct Contradiction {
    pub key: String,
    pub message: String,
}

fn agree(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()) + 1e-9
}

fn usd(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}${}", plain_usd(v.abs()))
}

/// Checks one class row (`classes[index]`).
pub fn class(index: usize, c: &ClassSnapshot) -> Result<(), Contradiction> {
    let at = |key: &str| format!("classes[{index}].{key}");
    if !(c.share.is_finite() && c.share >= 0.0) {
        return Err(Contradiction {
            key: at("share"),
            message: format!("{} is not a share of the traffic", c.share),
        });
    }
    let billed = ClassSnapshot::priced(&c.tokens, &c.rates, c.fee)
        .usd()
        .value();
    let cost = c.cost.usd().value();
    if !agree(billed, cost) {
        return Err(Contradiction {
            key: at("cost_per_request_usd"),
            message: format!(
                "{} per request, but the row's tokens at its rates plus its fee bill {}",
                usd(cost),
                usd(billed)
            ),
        });
    }
    Ok(())
}

/// Checks one plan (`plans[index]`) against its classes and the volume.
/// `month_in_pieces`: the report says the plan's month crosses a price
/// change and was priced in pieces, so its month is not `p × R`.
pub fn plan(
    index: usize,
    p: &PlanSnapshot,
    requests_per_day: f64,
    requests_per_month: f64,
    month_in_pieces: bool,
) -> Result<(), Contradiction> {
    let at = |key: &str| format!("plans[{index}].{key}");
    let per_request = p.per_request.value();
    if !p.classes.is_empty() {
        let blended: f64 = p.classes.iter().map(|c| c.share * c.expected.value()).sum();
        if !agree(per_request, blended) {
            return Err(Contradiction {
                key: at("cost_per_request_usd"),
                message: format!(
                    "plan `{}` costs {} per request, but its rows in `classes` add up to {} (share × expected_cost_per_request_usd)",
                    p.plan,
                    usd(per_request),
                    usd(blended)
                ),
            });
        }
    }
    let per_day = per_request * requests_per_day;
    if !agree(p.per_day.value(), per_day) {
        return Err(Contradiction {
            key: at("cost_per_day_usd"),
            message: format!(
                "plan `{}` costs {} per day, but {} per request × {requests_per_day} requests_per_day is {}",
                p.plan,
                usd(p.per_day.value()),
                usd(per_request),
                usd(per_day)
            ),
        });
    }
    let per_month = per_request * requests_per_month;
    if !month_in_pieces && !agree(p.per_month.value(), per_month) {
        return Err(Contradiction {
            key: at("cost_per_month_usd"),
            message: format!(
                "plan `{}` costs {} per month, but {} per request × {requests_per_month} requests_per_month is {}",
                p.plan,
                usd(p.per_month.value()),
                usd(per_request),
                usd(per_month)
            ),
        });
    }
    if !(p.per_month.value().is_finite() && p.per_month.value() >= 0.0) {
        return Err(Contradiction {
            key: at("cost_per_month_usd"),
            message: format!("{} is not a cost", p.per_month.value()),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Money, Rate, Usd};
    use crate::pricing::ServiceTier;

    fn class_row(share: f64, cost_usd: f64) -> ClassSnapshot {
        let rate = Rate::per_million(1.0).unwrap();
        let tokens = [(cost_usd * 1e6).round() as u64, 0, 0, 0, 0, 0];
        ClassSnapshot {
            class: "c".into(),
            share,
            model: "m".into(),
            tier: ServiceTier::Standard,
            prompt: tokens[0],
            tokens,
            rates: [rate; 6],
            fee: Money::ZERO,
            long_context: None,
            cost: Money::from_usd(cost_usd).unwrap(),
            expected: Usd(cost_usd),
        }
    }

    fn plan_of(per_request: f64, classes: Vec<ClassSnapshot>) -> PlanSnapshot {
        PlanSnapshot {
            plan: "p".into(),
            routes: "m".into(),
            declared: true,
            per_request: Usd(per_request),
            per_day: Usd(per_request * 10.0),
            per_month: Usd(per_request * 300.0),
            quality: None,
            ttft_s: None,
            e2e_s: None,
            classes,
        }
    }

    #[test]
    fn a_plan_agrees_with_its_classes_and_volume() {
        let p = plan_of(0.25, vec![class_row(0.5, 0.1), class_row(0.5, 0.4)]);
        assert_eq!(plan(0, &p, 10.0, 300.0, false), Ok(()));
        assert_eq!(class(0, &p.classes[0]), Ok(()));
    }

    #[test]
    fn a_plan_cost_its_classes_contradict_is_named_by_key() {
        let p = plan_of(-0.25, vec![class_row(0.5, 0.1), class_row(0.5, 0.4)]);
        let e = plan(3, &p, 10.0, 300.0, false).unwrap_err();
        assert_eq!(e.key, "plans[3].cost_per_request_usd");
        let mut p = plan_of(0.25, vec![class_row(1.0, 0.25)]);
        p.per_month = Usd(1.0);
        assert_eq!(
            plan(0, &p, 10.0, 300.0, false).unwrap_err().key,
            "plans[0].cost_per_month_usd"
        );
        assert_eq!(plan(0, &p, 10.0, 300.0, true), Ok(()), "priced in pieces");
        p.per_day = Usd(0.0);
        assert_eq!(
            plan(0, &p, 10.0, 300.0, true).unwrap_err().key,
            "plans[0].cost_per_day_usd"
        );
    }

    #[test]
    fn a_class_cost_its_tokens_do_not_bill_is_named_by_key() {
        let mut c = class_row(1.0, 0.25);
        c.cost = Money::from_usd(0.5).unwrap();
        assert_eq!(
            class(7, &c).unwrap_err().key,
            "classes[7].cost_per_request_usd"
        );
        c = class_row(-0.1, 0.25);
        assert_eq!(class(7, &c).unwrap_err().key, "classes[7].share");
    }

    #[test]
    fn picodollar_rounding_is_agreement() {
        assert!(agree(0.000_185_658_464, 0.000_185_658_464_4));
        assert!(!agree(56.5, 56.6));
    }
}
