//! The answer a board reads first: which plan, what it costs and saves,
//! its quality and latency, and the risk (P90 month, P(over budget)).

use super::build::{risk, Inputs};
use crate::engine::PlanOutcome;
use crate::human::usd;
use crate::scenario::BudgetLimit;

/// The budget and SLO the scenario sets, in words.
fn constraints(s: &crate::scenario::Scenario) -> String {
    let mut parts = Vec::new();
    match s.budget.as_ref().map(|b| b.limit) {
        Some(BudgetLimit::PerMonth(u)) => parts.push(format!("{} monthly budget", usd(u.value()))),
        Some(BudgetLimit::PerDay(u)) => parts.push(format!("{} daily budget", usd(u.value()))),
        None => {}
    }
    let mut slo = Vec::new();
    if let Some(t) = s.slo.ttft_p95_s {
        slo.push(format!(
            "TTFT {} s",
            crate::human::trimmed(t, 2, 0).trim_end_matches('.')
        ));
    }
    if let Some(t) = s.slo.e2e_p95_s {
        slo.push(format!(
            "E2E {} s",
            crate::human::trimmed(t, 2, 0).trim_end_matches('.')
        ));
    }
    if !slo.is_empty() {
        parts.push(format!("p95 latency SLO ({})", slo.join(", ")));
    }
    if parts.is_empty() {
        "budget and latency SLO".into()
    } else {
        parts.join(" and ")
    }
}

pub fn sentences(i: &Inputs, chosen: &PlanOutcome, base: Option<&PlanOutcome>) -> Vec<String> {
    let s = i.scenario;
    let mut out = Vec::new();
    match i.pick {
        Some(p) if !p.meets => out.push(format!(
            "No declared plan meets the scenario's {}. The closest is `{}` ({}): {}. It costs {} a month in expectation.",
            constraints(s),
            chosen.plan,
            chosen.summary,
            crate::views::sensitivity::missed(p),
            usd(chosen.per_month.value())
        )),
        Some(_) => {
            let within = if crate::engine::recommend::constrained(s) {
                format!(", within the scenario's {}", constraints(s))
            } else {
                String::new()
            };
            out.push(format!(
                "Recommended plan: `{}` ({}){within}. It costs {} a month in expectation.",
                chosen.plan,
                chosen.summary,
                usd(chosen.per_month.value())
            ));
        }
        None => out.push(format!(
            "Plan examined: `{}` ({}). It costs {} a month in expectation.",
            chosen.plan,
            chosen.summary,
            usd(chosen.per_month.value())
        )),
    }
    match base {
        Some(b) if b.plan != chosen.plan && b.per_month.value() > 0.0 => {
            let saved = b.per_month.value() - chosen.per_month.value();
            let verb = if saved >= 0.0 { "saves" } else { "costs" };
            out.push(format!(
                "Against the baseline `{}` ({} a month) it {verb} {} a month ({:.1}%).",
                b.plan,
                usd(b.per_month.value()),
                usd(saved.abs()),
                saved.abs() / b.per_month.value() * 100.0
            ));
        }
        _ => out.push(format!("It is the baseline plan `{}`.", s.baseline)),
    }
    match (chosen.quality, base.and_then(|b| b.quality)) {
        (Some(q), Some(b)) => out.push(format!(
            "Its blended success rate is {:.1}% (baseline {:.1}%).",
            q * 100.0,
            b * 100.0
        )),
        (Some(q), None) => out.push(format!("Its blended success rate is {:.1}%.", q * 100.0)),
        _ => out.push("The scenario has no success rates for it, so quality is not judged.".into()),
    }
    if let (Some(t), Some(e)) = (chosen.ttft_s, chosen.e2e_s) {
        out.push(format!(
            "Estimated time to first token {t:.2} s, a whole answer in {e:.2} s."
        ));
    }
    let (p90, over) = risk(i, i.chosen);
    let mut risk_text = format!(
        "Risk: in {} simulated months the 90th percentile bill is {}",
        crate::human::human_count(i.sim.trials as f64),
        usd(p90)
    );
    match (s.budget.as_ref().map(|b| b.limit), over) {
        (Some(BudgetLimit::PerMonth(b)), Some(p)) => risk_text.push_str(&format!(
            "; the chance that a month exceeds the {} monthly budget is {:.1}%.",
            usd(b.value()),
            p * 100.0
        )),
        (Some(BudgetLimit::PerDay(b)), Some(p)) => risk_text.push_str(&format!(
            "; the chance that a day exceeds the {} daily budget is {:.1}%.",
            usd(b.value()),
            p * 100.0
        )),
        (Some(_), None) => risk_text.push_str("; the scenario's budget binds another plan."),
        (None, _) => risk_text.push_str("; the scenario sets no budget."),
    }
    out.push(risk_text);
    if let Some(top) = i.sensitivity.swings.first() {
        out.push(format!(
            "The assumption that moves the bill most is {}: {} to {} a month.",
            top.assumption,
            usd(top.at_low.value().min(top.at_high.value())),
            usd(top.at_low.value().max(top.at_high.value()))
        ));
    }
    out
}
