//! One evaluated scenario in the shape `cost diff` compares: every plan's
//! totals plus, per class, the model, the billed tokens and the rates used.
//! It comes from a live evaluation (`Snapshot::from_comparison`) or from a saved
//! `cost compare --format json` report (`report::saved`), so both sides of
//! a diff are the same data whatever they were made from.

use jiff::civil::Date;

use super::compare::Comparison;
use super::outcome::{ClassOutcome, Role};
use crate::money::{Money, Rate, Usd};
use crate::pricing::ServiceTier;
use crate::scenario::{Budget, Scenario};

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub scenario: String,
    pub price_date: Option<Date>,
    pub requests_per_day: f64,
    pub requests_per_month: f64,
    pub plans: Vec<PlanSnapshot>,
    pub budget: Option<Budget>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanSnapshot {
    pub plan: String,
    /// "model" or "easy → a, hard → b".
    pub routes: String,
    /// Declared in the scenario, rather than an "all → M" comparison row.
    pub declared: bool,
    pub per_request: Usd,
    pub per_day: Usd,
    pub per_month: Usd,
    pub quality: Option<f64>,
    pub ttft_s: Option<f64>,
    pub e2e_s: Option<f64>,
    /// Empty when read from a report that carries no per-class detail.
    pub classes: Vec<ClassSnapshot>,
}

/// One class as a plan served it: enough to re-derive its cost exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassSnapshot {
    pub class: String,
    pub share: f64,
    pub model: String,
    pub tier: ServiceTier,
    /// The whole prompt, which long-context cliffs are judged on.
    pub prompt: u64,
    /// Billed tokens per part, in `Part::TOKENS` order (`input` is the
    /// uncached part of the prompt).
    pub tokens: [u64; 6],
    /// The rate each part was billed at, in `Part::TOKENS` order.
    pub rates: [Rate; 6],
    pub fee: Money,
    pub long_context: Option<u64>,
    /// The exact cost of one request of this class (its representative
    /// request, token counts at their means).
    pub cost: Money,
    /// The expected cost of one request: `cost` when token counts are
    /// fixed, else the expectation over their distributions (cliffs included).
    pub expected: Usd,
}

impl ClassSnapshot {
    /// One row per model call a class makes: a class served by one model is
    /// one row named after the class; a class split over models (a
    /// classifier, a cascade, a router) becomes a row per call named
    /// `class · model`, weighted by its expected calls per request, plus a
    /// `class · fees` row for fixed router or verifier fees.
    pub fn from_outcome(c: &ClassOutcome) -> Vec<ClassSnapshot> {
        let single = c.legs.len() == 1 && c.fees.value() == 0.0 && c.legs[0].calls == 1.0;
        let mut rows: Vec<ClassSnapshot> = c
            .legs
            .iter()
            .map(|leg| {
                let mut tokens = [0; 6];
                let mut rates = [Rate::ZERO; 6];
                for (i, line) in leg.bill.lines.iter().take(6).enumerate() {
                    tokens[i] = line.tokens;
                    rates[i] = line.rate;
                }
                let role = match leg.role {
                    Role::Serve => "",
                    Role::Router => " (router)",
                    Role::Verifier => " (verifier)",
                };
                ClassSnapshot {
                    class: if single {
                        c.class.clone()
                    } else {
                        format!("{} · {}{role}", c.class, leg.model)
                    },
                    share: c.share * leg.calls,
                    model: leg.model.clone(),
                    tier: leg.bill.tier,
                    prompt: leg.request.prompt(),
                    tokens,
                    rates,
                    fee: leg.bill.lines[6].cost,
                    long_context: leg.bill.long_context,
                    cost: leg.bill.total,
                    expected: leg.expected,
                }
            })
            .collect();
        if c.fees.value() > 0.0 {
            rows.push(ClassSnapshot {
                class: format!("{} · fees", c.class),
                share: c.share,
                model: "fee".into(),
                tier: ServiceTier::Standard,
                prompt: 0,
                tokens: [0; 6],
                rates: [Rate::ZERO; 6],
                fee: Money::from_usd(c.fees.value()).unwrap_or(Money::ZERO),
                long_context: None,
                cost: Money::from_usd(c.fees.value()).unwrap_or(Money::ZERO),
                expected: c.fees,
            });
        }
        rows
    }

    /// The cost of `tokens` at `rates` plus `fee`: what a bill sums to.
    pub fn priced(tokens: &[u64; 6], rates: &[Rate; 6], fee: Money) -> Money {
        tokens
            .iter()
            .zip(rates)
            .map(|(t, r)| r.cost(*t))
            .sum::<Money>()
            + fee
    }
}

impl Snapshot {
    pub fn from_comparison(scenario: &Scenario, comparison: &Comparison, date: Date) -> Snapshot {
        Snapshot {
            scenario: scenario.name.clone(),
            price_date: Some(date),
            requests_per_day: scenario.requests_per_day,
            requests_per_month: scenario.requests_per_month(),
            plans: comparison
                .rows
                .iter()
                .map(|row| {
                    let o = &row.outcome;
                    PlanSnapshot {
                        plan: o.plan.clone(),
                        routes: o.summary.clone(),
                        declared: row.declared,
                        per_request: o.per_request,
                        per_day: o.per_day,
                        per_month: o.per_month,
                        quality: o.quality,
                        ttft_s: o.ttft_s,
                        e2e_s: o.e2e_s,
                        classes: o
                            .classes
                            .iter()
                            .flat_map(ClassSnapshot::from_outcome)
                            .collect(),
                    }
                })
                .collect(),
            budget: scenario.budget.clone(),
        }
    }

    pub fn plan(&self, name: &str) -> Option<&PlanSnapshot> {
        self.plans.iter().find(|p| p.plan == name)
    }
}
