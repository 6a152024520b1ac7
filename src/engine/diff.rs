//! What changed between two runs of a scenario, plan by plan, and why.
//!
//! A plan's monthly cost is `M = R × Σ_k s_k c_k` (R requests per month, s_k
//! the share of class k, c_k the exact cost of one of its requests). The
//! change `M_head − M_base` is split into causes that add up to it exactly:
//!
//! - **volume**: `(R_h − R_b) × p_b`, with `p_b` the base cost per request;
//! - **mix**, for a class on both sides: `R_h × (s_h − s_b) × c_b`;
//! - **added / removed class**: `R_h × s_h × c_h` and `−R_h × s_b × c_b`;
//! - for a class on both sides, `R_h × s_h × (c_h − c_b)`, split by what
//!   changed in the request:
//!   - **route**: another model or service tier serves the class; the whole
//!     class change is the route's (prices of two models do not decompose);
//!   - otherwise, since a bill is linear, `c = Σ_p t_p r_p + fee` and
//!     `c_h − c_b = Σ_p (t_h − t_b) r_b + Σ_p t_h (r_h − r_b) + Δfee`:
//!     **tokens** (token changes at the base prices) then **price** (rate
//!     changes at the head token counts), per part. When the request crossed
//!     a long-context cliff, the rate change is labelled **cliff** rather
//!     than price: the sheet did not change, the prompt did.
//!
//! Causes are sequential (a waterfall): another order would split the
//! cross terms differently. This order answers "what did the token change
//! cost at the old prices, and what did the price change cost on the new
//! traffic", the two questions a reviewer asks.

use super::snapshot::{ClassSnapshot, PlanSnapshot, Snapshot};
use crate::money::{Money, Rate, Usd};
use crate::pricing::{Part, ServiceTier};

#[derive(Debug, Clone, PartialEq)]
pub struct PlanDiff {
    pub plan: String,
    pub base: Option<PlanSnapshot>,
    pub head: Option<PlanSnapshot>,
    /// Head minus base, per month (the whole head cost for an added plan).
    pub delta_per_month: Usd,
    /// The change as a fraction of the base cost (`None` when base is free or absent).
    pub delta_fraction: Option<f64>,
    pub causes: Vec<Cause>,
    /// Whether the causes are itemised (both sides carry per-class detail).
    pub itemised: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub kind: CauseKind,
    pub per_month: Usd,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CauseKind {
    Volume {
        before: f64,
        after: f64,
    },
    Mix {
        class: String,
        before: f64,
        after: f64,
    },
    ClassAdded {
        class: String,
    },
    ClassRemoved {
        class: String,
    },
    Route {
        class: String,
        before: (String, ServiceTier),
        after: (String, ServiceTier),
    },
    Tokens {
        class: String,
        part: Part,
        before: u64,
        after: u64,
    },
    Price {
        model: String,
        part: Part,
        before: Rate,
        after: Rate,
    },
    Fee {
        model: String,
        before: Money,
        after: Money,
    },
    Cliff {
        class: String,
        model: String,
        prompt_before: u64,
        prompt_after: u64,
        above_before: Option<u64>,
        above_after: Option<u64>,
    },
    /// A side has no per-class detail: the change cannot be itemised.
    Unexplained,
}

impl CauseKind {
    pub fn key(&self) -> &'static str {
        match self {
            CauseKind::Volume { .. } => "volume",
            CauseKind::Mix { .. } => "mix",
            CauseKind::ClassAdded { .. } => "class_added",
            CauseKind::ClassRemoved { .. } => "class_removed",
            CauseKind::Route { .. } => "route",
            CauseKind::Tokens { .. } => "tokens",
            CauseKind::Price { .. } => "price",
            CauseKind::Fee { .. } => "fee",
            CauseKind::Cliff { .. } => "cliff",
            CauseKind::Unexplained => "unitemised",
        }
    }

    pub fn class(&self) -> Option<&str> {
        match self {
            CauseKind::Mix { class, .. }
            | CauseKind::ClassAdded { class }
            | CauseKind::ClassRemoved { class }
            | CauseKind::Route { class, .. }
            | CauseKind::Tokens { class, .. }
            | CauseKind::Cliff { class, .. } => Some(class),
            _ => None,
        }
    }
}

/// Every plan on either side, in head order then base-only plans.
pub fn diff(base: &Snapshot, head: &Snapshot) -> Vec<PlanDiff> {
    let mut out: Vec<PlanDiff> = head
        .plans
        .iter()
        .map(|h| plan_diff(base, head, base.plan(&h.plan), Some(h)))
        .collect();
    for b in &base.plans {
        if head.plan(&b.plan).is_none() {
            out.push(plan_diff(base, head, Some(b), None));
        }
    }
    out
}

fn plan_diff(
    base: &Snapshot,
    head: &Snapshot,
    b: Option<&PlanSnapshot>,
    h: Option<&PlanSnapshot>,
) -> PlanDiff {
    let cost = |p: Option<&PlanSnapshot>| p.map_or(Usd::ZERO, |p| p.per_month);
    let delta = cost(h) - cost(b);
    let plan = h.or(b).map(|p| p.plan.clone()).unwrap_or_default();
    let (causes, itemised) = match (b, h) {
        (Some(b), Some(h)) => causes(base, head, b, h),
        _ => (vec![], false),
    };
    PlanDiff {
        plan,
        base: b.cloned(),
        head: h.cloned(),
        delta_per_month: delta,
        delta_fraction: b
            .filter(|b| b.per_month.value() > 0.0)
            .map(|b| delta.value() / b.per_month.value()),
        causes,
        itemised,
    }
}

fn causes(
    base: &Snapshot,
    head: &Snapshot,
    b: &PlanSnapshot,
    h: &PlanSnapshot,
) -> (Vec<Cause>, bool) {
    let r_b = base.requests_per_month;
    let r_h = head.requests_per_month;
    let mut out = Vec::new();
    // A route change is news even when it costs the same.
    let mut push = |kind: CauseKind, usd: f64| {
        if usd != 0.0 || matches!(kind, CauseKind::Route { .. }) {
            out.push(Cause {
                kind,
                per_month: Usd(usd),
            });
        }
    };
    if r_h != r_b {
        push(
            CauseKind::Volume {
                before: r_b,
                after: r_h,
            },
            (r_h - r_b) * b.per_request.value(),
        );
    }
    if b.classes.is_empty() || h.classes.is_empty() {
        let rest = r_h * (h.per_request - b.per_request).value();
        push(CauseKind::Unexplained, rest);
        return (out, false);
    }
    let usd = |m: Money| m.usd().value();
    for hc in &h.classes {
        let Some(bc) = b.classes.iter().find(|c| c.class == hc.class) else {
            push(
                CauseKind::ClassAdded {
                    class: hc.class.clone(),
                },
                r_h * hc.share * usd(hc.cost),
            );
            continue;
        };
        if hc.share != bc.share {
            push(
                CauseKind::Mix {
                    class: hc.class.clone(),
                    before: bc.share,
                    after: hc.share,
                },
                r_h * (hc.share - bc.share) * usd(bc.cost),
            );
        }
        let weight = r_h * hc.share;
        for (kind, change) in class_causes(bc, hc) {
            push(kind, weight * usd(change));
        }
    }
    for bc in &b.classes {
        if !h.classes.iter().any(|c| c.class == bc.class) {
            push(
                CauseKind::ClassRemoved {
                    class: bc.class.clone(),
                },
                -r_h * bc.share * usd(bc.cost),
            );
        }
    }
    // Expected costs of token distributions (cliff shares) are not the
    // bills of representative requests: name what the rows do not explain.
    let itemised: f64 = out.iter().map(|c| c.per_month.value()).sum();
    let delta = r_h * h.per_request.value() - r_b * b.per_request.value();
    if (delta - itemised).abs() > 1e-6 * delta.abs().max(1.0) {
        out.push(Cause {
            kind: CauseKind::Unexplained,
            per_month: Usd(delta - itemised),
        });
    }
    (merge_prices(out), true)
}

/// The change in one request's exact cost, split into causes whose amounts
/// add up to `head.cost − base.cost` to the picodollar.
fn class_causes(b: &ClassSnapshot, h: &ClassSnapshot) -> Vec<(CauseKind, Money)> {
    if b.model != h.model || b.tier != h.tier {
        return vec![(
            CauseKind::Route {
                class: h.class.clone(),
                before: (b.model.clone(), b.tier),
                after: (h.model.clone(), h.tier),
            },
            h.cost - b.cost,
        )];
    }
    let mut out = Vec::new();
    for (i, part) in Part::TOKENS.into_iter().enumerate() {
        if h.tokens[i] != b.tokens[i] {
            let change = b.rates[i].cost(h.tokens[i]) - b.rates[i].cost(b.tokens[i]);
            out.push((
                CauseKind::Tokens {
                    class: h.class.clone(),
                    part,
                    before: b.tokens[i],
                    after: h.tokens[i],
                },
                change,
            ));
        }
    }
    let rate_change = ClassSnapshot::priced(&h.tokens, &h.rates, Money::ZERO)
        - ClassSnapshot::priced(&h.tokens, &b.rates, Money::ZERO);
    if b.long_context == h.long_context {
        for (i, part) in Part::TOKENS.into_iter().enumerate() {
            if h.rates[i] != b.rates[i] {
                out.push((
                    CauseKind::Price {
                        model: h.model.clone(),
                        part,
                        before: b.rates[i],
                        after: h.rates[i],
                    },
                    h.rates[i].cost(h.tokens[i]) - b.rates[i].cost(h.tokens[i]),
                ));
            }
        }
    } else {
        out.push((
            CauseKind::Cliff {
                class: h.class.clone(),
                model: h.model.clone(),
                prompt_before: b.prompt,
                prompt_after: h.prompt,
                above_before: b.long_context,
                above_after: h.long_context,
            },
            rate_change,
        ));
    }
    if h.fee != b.fee {
        out.push((
            CauseKind::Fee {
                model: h.model.clone(),
                before: b.fee,
                after: h.fee,
            },
            h.fee - b.fee,
        ));
    }
    out
}

/// One line per price change of a plan, however many classes it touched.
fn merge_prices(causes: Vec<Cause>) -> Vec<Cause> {
    let mut out: Vec<Cause> = Vec::with_capacity(causes.len());
    for cause in causes {
        let same = out.iter_mut().find(|c| {
            matches!(
                (&c.kind, &cause.kind),
                (CauseKind::Price { .. }, CauseKind::Price { .. })
                    | (CauseKind::Fee { .. }, CauseKind::Fee { .. })
            ) && c.kind == cause.kind
        });
        match same {
            Some(c) => c.per_month += cause.per_month,
            None => out.push(cause),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::ServiceTier;

    fn class(name: &str, share: f64, model: &str, out_tokens: u64, out_rate: f64) -> ClassSnapshot {
        let mut tokens = [0; 6];
        let mut rates = [Rate::ZERO; 6];
        tokens[0] = 1_000;
        rates[0] = Rate::per_million(1.0).unwrap();
        tokens[4] = out_tokens;
        rates[4] = Rate::per_million(out_rate).unwrap();
        let cost = ClassSnapshot::priced(&tokens, &rates, Money::ZERO);
        ClassSnapshot {
            class: name.into(),
            share,
            model: model.into(),
            tier: ServiceTier::Standard,
            prompt: 1_000,
            tokens,
            rates,
            fee: Money::ZERO,
            long_context: None,
            cost,
            expected: cost.usd(),
        }
    }

    fn run(requests_per_month: f64, classes: Vec<ClassSnapshot>) -> Snapshot {
        let per_request: f64 = classes.iter().map(|c| c.share * c.cost.usd().value()).sum();
        Snapshot {
            scenario: "s".into(),
            price_date: None,
            requests_per_day: requests_per_month / 30.0,
            requests_per_month,
            plans: vec![PlanSnapshot {
                plan: "p".into(),
                routes: String::new(),
                declared: true,
                per_request: Usd(per_request),
                per_day: Usd(per_request * requests_per_month / 30.0),
                per_month: Usd(per_request * requests_per_month),
                quality: None,
                ttft_s: None,
                e2e_s: None,
                classes,
            }],
            budget: None,
        }
    }

    fn total(d: &PlanDiff) -> f64 {
        d.causes.iter().map(|c| c.per_month.value()).sum()
    }

    #[test]
    fn causes_add_up_to_the_change() {
        let base = run(
            300_000.0,
            vec![
                class("easy", 0.8, "a", 250, 4.0),
                class("hard", 0.2, "b", 800, 10.0),
            ],
        );
        let head = run(
            400_000.0,
            vec![
                class("easy", 0.7, "c", 250, 2.0),
                class("hard", 0.3, "b", 1_200, 12.0),
            ],
        );
        let d = &diff(&base, &head)[0];
        assert!(d.itemised);
        assert!(
            (total(d) - d.delta_per_month.value()).abs() < 1e-6,
            "{d:#?}"
        );
        let kinds: Vec<&str> = d.causes.iter().map(|c| c.kind.key()).collect();
        assert_eq!(kinds, ["volume", "mix", "route", "mix", "tokens", "price"]);
    }

    #[test]
    fn a_token_change_at_unchanged_prices_is_all_tokens() {
        let base = run(1_000_000.0, vec![class("hard", 1.0, "b", 800, 10.0)]);
        let head = run(1_000_000.0, vec![class("hard", 1.0, "b", 1_200, 10.0)]);
        let d = &diff(&base, &head)[0];
        assert_eq!(d.causes.len(), 1);
        // 400 more output tokens at $10/1M on a million requests = $4,000.
        assert!((d.causes[0].per_month.value() - 4_000.0).abs() < 1e-6);
    }

    #[test]
    fn a_plan_on_one_side_only_has_no_causes() {
        let base = run(1.0, vec![class("x", 1.0, "a", 1, 1.0)]);
        let mut head = base.clone();
        head.plans[0].plan = "q".into();
        let diffs = diff(&base, &head);
        assert_eq!(diffs.len(), 2);
        assert!(diffs.iter().all(|d| d.causes.is_empty()));
    }
}
