//! A validated traffic scenario: how many requests, of which classes, with
//! which token counts, and the plans that decide which model serves them.
//! Model ids here are canonical catalog ids (aliases already resolved).

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::engine::bill::Request;
use crate::money::Usd;
use crate::pricing::ServiceTier;

/// Days in an average Gregorian month (365.25 / 12): how `cost` turns a daily
/// volume into a monthly one unless a scenario says otherwise.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub date: Option<Date>,
    pub requests_per_day: f64,
    pub days_per_month: f64,
    pub classes: Vec<Class>,
    pub quality: Quality,
    pub quality_source: Option<String>,
    pub plans: Vec<Plan>,
    /// Name of the plan savings are measured against.
    pub baseline: String,
    pub compare_models: Vec<String>,
    /// What the scenario may cost (`cost compare --check`, `cost diff`).
    pub budget: Option<Budget>,
    pub origin: String,
}

impl Scenario {
    pub fn requests_per_month(&self) -> f64 {
        self.requests_per_day * self.days_per_month
    }

    pub fn class_index(&self, name: &str) -> Option<usize> {
        self.classes.iter().position(|c| c.name == name)
    }

    pub fn plan(&self, name: &str) -> Option<&Plan> {
        self.plans.iter().find(|p| p.name == name)
    }

    /// Every model the scenario's plans send traffic to, in first-use order.
    pub fn plan_models(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for plan in &self.plans {
            for model in plan.models() {
                if !out.contains(&model) {
                    out.push(model);
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: String,
    pub description: Option<String>,
    pub share: f64,
    pub request: Request,
    /// Model id -> the request as that model would run it (its own output
    /// and reasoning lengths).
    pub per_model: BTreeMap<String, Request>,
}

impl Class {
    /// The request this class sends to `model`.
    pub fn request_for(&self, model: &str, tier: Option<ServiceTier>) -> Request {
        let mut request = self.per_model.get(model).copied().unwrap_or(self.request);
        if let Some(tier) = tier {
            request.tier = tier;
        }
        request
    }
}

/// Success rates from the user's own evals: class -> model -> rate in 0..=1.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality(pub BTreeMap<String, BTreeMap<String, f64>>);

impl Quality {
    pub fn rate(&self, class: &str, model: &str) -> Option<f64> {
        self.0.get(class)?.get(model).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(BTreeMap::is_empty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    pub description: Option<String>,
    pub kind: PlanKind,
    /// Overrides every class's service tier (e.g. the same models on batch).
    pub tier: Option<ServiceTier>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PlanKind {
    /// All traffic to one model.
    Single(String),
    /// A model per class, by class index: a perfect class router.
    Routes(Vec<String>),
}

impl Plan {
    pub fn single(model: &str) -> Plan {
        Plan {
            name: format!("all → {model}"),
            description: None,
            kind: PlanKind::Single(model.to_string()),
            tier: None,
        }
    }

    pub fn models(&self) -> Vec<String> {
        match &self.kind {
            PlanKind::Single(m) => vec![m.clone()],
            PlanKind::Routes(ms) => {
                let mut out: Vec<String> = Vec::new();
                for m in ms {
                    if !out.contains(m) {
                        out.push(m.clone());
                    }
                }
                out
            }
        }
    }

    /// The model serving class `k`.
    pub fn model_for(&self, k: usize) -> &str {
        match &self.kind {
            PlanKind::Single(m) => m,
            PlanKind::Routes(ms) => &ms[k],
        }
    }
}

/// A spending limit with its unit, and the plans it binds.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub limit: BudgetLimit,
    /// The plan the budget applies to; `None`: every plan the scenario declares.
    pub plan: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BudgetLimit {
    PerDay(Usd),
    PerMonth(Usd),
}
