//! A classifier router: each request goes to the model of the class the
//! classifier *predicts*, so class k is split over models by row k of the
//! confusion matrix. Misroutes cost money (a dearer model than intended) or
//! quality (a cheaper one); the router itself adds a cost and a delay.

use super::super::confusion::{confusion, operating_point};
use super::super::legs::{leg, legs_cost, overhead_legs};
use super::super::outcome::{ClassOutcome, Context, EngineError, Leg, Misroutes, Role};
use super::super::paths::{CallBook, Path};
use crate::scenario::{Accuracy, Classifier, Plan, Scenario};

pub(super) fn expect(
    scenario: &Scenario,
    plan: &Plan,
    c: &Classifier,
    ctx: &Context,
) -> Result<Vec<ClassOutcome>, EngineError> {
    let shares: Vec<f64> = scenario.classes.iter().map(|c| c.share).collect();
    let matrix = confusion(&c.accuracy, &shares);
    let mut out = Vec::with_capacity(scenario.classes.len());
    for (k, class) in scenario.classes.iter().enumerate() {
        let intended = leg(scenario, plan, k, &c.routes[k], Role::Serve, 1.0, ctx)?;
        let mut served: Vec<Leg> = Vec::new();
        let mut quality = Some(0.0);
        let mut ttft = Some(0.0);
        let mut answer = Some(0.0);
        let mut e2e = Some(0.0);
        let mut misroutes = Misroutes {
            quality_lost: Some(0.0),
            ..Misroutes::default()
        };
        for (j, &p) in matrix[k].iter().enumerate() {
            if p == 0.0 {
                continue;
            }
            let mut l = leg(scenario, plan, k, &c.routes[j], Role::Serve, p, ctx)?;
            let rate = scenario.quality.rate(&class.name, &l.model);
            quality = quality.zip(rate).map(|(q, a)| q + p * a);
            ttft = ttft
                .zip(l.latency.map(|x| x.ttft_s))
                .map(|(t, x)| t + p * x);
            answer = answer
                .zip(l.latency.and_then(|x| x.ttft_answer_s))
                .map(|(t, x)| t + p * x);
            e2e = e2e
                .zip(l.latency.and_then(|x| x.e2e_s))
                .map(|(t, x)| t + p * x);
            if l.model != intended.model {
                let extra = l.expected - intended.expected;
                if extra.value() > 0.0 {
                    misroutes.over += p;
                    misroutes.wasted += extra * p;
                } else {
                    misroutes.under += p;
                    let lost = scenario
                        .quality
                        .rate(&class.name, &intended.model)
                        .zip(rate)
                        .map(|(a, b)| a - b);
                    misroutes.quality_lost =
                        misroutes.quality_lost.zip(lost).map(|(q, l)| q + p * l);
                }
            }
            if let Some(existing) = served.iter_mut().find(|s| s.model == l.model) {
                existing.calls += p;
            } else {
                l.calls = p;
                served.push(l);
            }
        }
        let (router, fees) = overhead_legs(&c.router, scenario, plan, k, Role::Router, 1.0, ctx)?;
        served.extend(router);
        let delay = c.router.latency_s;
        out.push(ClassOutcome {
            class: class.name.clone(),
            share: class.share,
            cost: legs_cost(&served, fees),
            fees,
            quality,
            ttft_s: ttft.map(|t| t + delay),
            ttft_answer_s: answer.map(|t| t + delay),
            e2e_s: e2e.map(|t| t + delay),
            intended: Some(intended.model.clone()),
            misroutes,
            escalated: None,
            legs: served,
        });
    }
    Ok(out)
}

/// Per predicted class, a path: the router's call on the side (paid, its
/// time added as a fixed delay), then the predicted class's model answers.
pub(super) fn paths(
    book: &mut CallBook,
    scenario: &Scenario,
    c: &Classifier,
    k: usize,
) -> Result<Vec<Path>, EngineError> {
    let class = &scenario.classes[k];
    let router = c
        .router
        .call
        .as_ref()
        .map(|(m, prompt, output)| book.fixed(m, *prompt, *output, class))
        .transpose()?;
    let shares: Vec<f64> = scenario.classes.iter().map(|c| c.share).collect();
    let mut paths = Vec::new();
    for (j, &p) in confusion(&c.accuracy, &shares)[k].iter().enumerate() {
        if p == 0.0 {
            continue;
        }
        let mut path = Path::answer(p, book.serve(&c.routes[j], class)?);
        path.side_calls = router.into_iter().collect();
        path.fee = c.router.fee.usd().value();
        path.delay_s = c.router.latency_s;
        paths.push(path);
    }
    Ok(paths)
}

/// The classifier's accuracy in a few words, e.g. "AUC 0.80 at FPR 0.10, TPR 0.46".
pub fn describe(accuracy: &Accuracy, scenario: &Scenario) -> String {
    match accuracy {
        Accuracy::Confusion(_) => "confusion matrix".into(),
        Accuracy::Rates { tpr, fpr, .. } => format!("TPR {tpr:.2}, FPR {fpr:.2}"),
        Accuracy::Auc { positive, auc, at } => {
            let (tpr, fpr) = operating_point(*auc, *at, scenario.classes[*positive].share);
            format!("AUC {auc:.2} at FPR {fpr:.2}, TPR {tpr:.2}")
        }
    }
}
