//! A cascade: the cheapest model answers first; a verifier accepts the
//! answer or escalates to the next model; every model tried is paid for
//! (FrugalGPT, Chen et al., arXiv 2305.05176; `docs/routing-math.md`).
//!
//! Which requests fail where matters, and success rates per model do not
//! say. `cost` assumes *nested difficulty*: a request has a difficulty u,
//! uniform on [0, 1), and model i answers it correctly iff u < a_i, so a
//! stronger model solves everything a weaker one does. The verifier accepts
//! a correct answer with probability alpha and a wrong one with beta (or
//! passes on a plain share of each class). Integrating over u, piece by
//! piece between the a_i, gives exact expectations: the escalation rate
//! after one stage is a_W(1 - alpha) + (1 - a_W)(1 - beta) as in
//! `docs/routing-math.md`, and quality never exceeds the best stage's. A joint
//! per-query outcome table (`cost eval`) needs no such assumption.
//!
//! The verifier's mistakes are itemised as a classifier's misroutes are: a
//! correct answer rejected is a false escalation, and every later call and
//! check it causes is money wasted; a wrong answer accepted before the
//! last stage is a false accept, and its quality lost is the share of them
//! a later stage would have answered correctly.
//!
//! Latency assumes the cheap answer cannot be streamed (it may be
//! withdrawn): an answer from stage j arrives after every earlier stage's
//! full answer and a verification each; the last stage streams.

use super::super::legs::{leg, legs_cost, overhead_legs};
use super::super::outcome::{ClassOutcome, Context, EngineError, Leg, Misroutes, Role};
use super::super::paths::{CallBook, Path};
use crate::money::Usd;
use crate::scenario::{Cascade, Plan, Scenario, Verifier};

/// Expected reach, answers and quality of one class under the cascade.
struct Flow {
    /// P(request reaches stage j).
    pub reach: Vec<f64>,
    /// P(request is answered by stage j).
    pub answered: Vec<f64>,
    /// P(answered correctly); `None` without success rates.
    pub quality: Option<f64>,
    /// What the verifier gets wrong; `None` when it does not look at the
    /// answer (a plain escalation rate) or a stage's success rate is unknown.
    pub mistakes: Option<Mistakes>,
}

/// A verifier's two mistakes, per request of the class (nested difficulty).
#[derive(Debug, Clone, Default, PartialEq)]
struct Mistakes {
    /// P(a correct answer is rejected at some stage): a false escalation.
    false_escalated: f64,
    /// Per stage, the calls paid only because of an earlier false escalation.
    wasted_calls: Vec<f64>,
    /// Verifier checks paid only because of an earlier false escalation.
    wasted_checks: f64,
    /// P(a wrong answer is accepted before the last stage): a false accept.
    false_accepted: f64,
    /// P(a false accept that a later stage would have answered correctly):
    /// the quality it costs; `None` without the last stage's rate.
    quality_lost: Option<f64>,
}

fn flow(rates: &[Option<f64>], verifier: &Verifier, k: usize) -> Flow {
    let n = rates.len();
    let accept = |correct: bool| match verifier {
        Verifier::AcceptRates {
            correct: a,
            wrong: b,
        } => {
            if correct {
                *a
            } else {
                *b
            }
        }
        Verifier::Escalation(e) => 1.0 - e[k],
    };
    // A plain escalation rate does not look at the answer: reach is
    // geometric, and each stage answers a random share of the requests.
    let last = n - 1;
    let nonfinal: Option<Vec<f64>> = rates[..last].iter().copied().collect();
    let acc = if let (Verifier::AcceptRates { .. }, Some(mut acc)) = (verifier, nonfinal) {
        // The last stage's rate only matters for quality.
        acc.push(rates[last].unwrap_or(0.0));
        acc
    } else {
        let mut reach = vec![1.0; n];
        for j in 1..n {
            reach[j] = reach[j - 1] * (1.0 - accept(true));
        }
        let answered: Vec<f64> = (0..n)
            .map(|j| {
                if j < last {
                    reach[j] * accept(true)
                } else {
                    reach[j]
                }
            })
            .collect();
        let quality = rates
            .iter()
            .zip(&answered)
            .map(|(r, a)| r.map(|r| r * a))
            .sum::<Option<f64>>();
        return Flow {
            reach,
            answered,
            quality,
            mistakes: None,
        };
    };
    let mut cuts: Vec<f64> = acc.iter().copied().chain([0.0, 1.0]).collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let (mut reach, mut answered, mut quality) = (vec![0.0; n], vec![0.0; n], 0.0);
    let mut m = Mistakes {
        wasted_calls: vec![0.0; n],
        quality_lost: Some(0.0),
        ..Mistakes::default()
    };
    for w in cuts.windows(2) {
        let (width, u) = (w[1] - w[0], 0.5 * (w[0] + w[1]));
        if width <= 0.0 {
            continue;
        }
        // `here` reaches stage j; `spurious` is the part of it that got
        // there only because a correct answer was rejected earlier.
        let (mut here, mut spurious) = (1.0, 0.0);
        for j in 0..n {
            let correct = u < acc[j];
            reach[j] += width * here;
            m.wasted_calls[j] += width * spurious;
            let taken = if j + 1 < n { accept(correct) } else { 1.0 };
            answered[j] += width * here * taken;
            if correct {
                quality += width * here * taken;
            }
            if j + 1 < n {
                m.wasted_checks += width * spurious;
                if correct {
                    m.false_escalated += width * (here - spurious) * (1.0 - taken);
                    spurious = here;
                } else {
                    m.false_accepted += width * here * taken;
                    if acc[j + 1..].iter().any(|&a| u < a) {
                        m.quality_lost = m.quality_lost.map(|l| l + width * here * taken);
                    }
                }
            }
            here *= 1.0 - taken;
            spurious *= 1.0 - taken;
        }
    }
    if rates[last].is_none() {
        m.quality_lost = None;
    }
    Flow {
        reach,
        answered,
        quality: rates[last].map(|_| quality),
        mistakes: Some(m),
    }
}

pub(super) fn expect(
    scenario: &Scenario,
    plan: &Plan,
    c: &Cascade,
    ctx: &Context,
) -> Result<Vec<ClassOutcome>, EngineError> {
    let last = c.stages.len() - 1;
    let mut out = Vec::with_capacity(scenario.classes.len());
    for (k, class) in scenario.classes.iter().enumerate() {
        let mut legs: Vec<Leg> = c
            .stages
            .iter()
            .map(|m| leg(scenario, plan, k, m, Role::Serve, 1.0, ctx))
            .collect::<Result<_, _>>()?;
        let rates: Vec<Option<f64>> = legs
            .iter()
            .map(|l| scenario.quality.rate(&class.name, &l.model))
            .collect();
        let f = flow(&rates, &c.verifier, k);
        for (l, reach) in legs.iter_mut().zip(&f.reach) {
            l.calls = *reach;
        }
        let (mut ttft, mut e2e, mut waited) = (Some(0.0), Some(0.0), Some(0.0));
        let mut answer = Some(0.0);
        for (j, l) in legs.iter().enumerate() {
            let (t, e) = (l.latency.map(|x| x.ttft_s), l.latency.and_then(|x| x.e2e_s));
            if j == last {
                ttft = ttft
                    .zip(waited.zip(t))
                    .map(|(acc, (w, x))| acc + f.answered[j] * (w + x));
                answer = answer
                    .zip(waited.zip(l.latency.and_then(|x| x.ttft_answer_s)))
                    .map(|(acc, (w, x))| acc + f.answered[j] * (w + x));
                e2e = e2e
                    .zip(waited.zip(e))
                    .map(|(acc, (w, x))| acc + f.answered[j] * (w + x));
            } else {
                waited = waited.zip(e).map(|(w, x)| w + x + c.overhead.latency_s);
                ttft = ttft.zip(waited).map(|(acc, w)| acc + f.answered[j] * w);
                answer = answer.zip(waited).map(|(acc, w)| acc + f.answered[j] * w);
                e2e = e2e.zip(waited).map(|(acc, w)| acc + f.answered[j] * w);
            }
        }
        let verifications: f64 = f.reach[..last].iter().sum();
        let (verifier, fees) = overhead_legs(
            &c.overhead,
            scenario,
            plan,
            k,
            Role::Verifier,
            verifications,
            ctx,
        )?;
        let misroutes = f.mistakes.as_ref().map_or_else(Misroutes::default, |m| {
            let per_check = if verifications > 0.0 {
                legs_cost(&verifier, fees) * (1.0 / verifications)
            } else {
                Usd::ZERO
            };
            let calls: Usd = legs
                .iter()
                .zip(&m.wasted_calls)
                .map(|(l, &w)| l.expected * w)
                .sum();
            Misroutes {
                over: m.false_escalated,
                wasted: calls + per_check * m.wasted_checks,
                under: m.false_accepted,
                quality_lost: m.quality_lost,
            }
        });
        legs.retain(|l| l.calls > 0.0);
        legs.extend(verifier);
        out.push(ClassOutcome {
            class: class.name.clone(),
            share: class.share,
            cost: legs_cost(&legs, fees),
            fees,
            quality: f.quality,
            ttft_s: ttft,
            ttft_answer_s: answer,
            e2e_s: e2e,
            intended: c.stages.first().cloned(),
            misroutes,
            escalated: Some(f.reach.get(1).copied().unwrap_or(0.0)),
            legs,
        });
    }
    Ok(out)
}

/// Per answering stage j, a path: stages before j answer in full and are
/// rejected (each checked by the verifier), stage j answers; only the last
/// stage's answer streams, an earlier one is shown after its check.
pub(super) fn paths(
    book: &mut CallBook,
    scenario: &Scenario,
    c: &Cascade,
    k: usize,
) -> Result<Vec<Path>, EngineError> {
    let class = &scenario.classes[k];
    let rates: Vec<Option<f64>> = c
        .stages
        .iter()
        .map(|m| scenario.quality.rate(&class.name, m))
        .collect();
    let f = flow(&rates, &c.verifier, k);
    let stages: Vec<usize> = c
        .stages
        .iter()
        .map(|m| book.serve(m, class))
        .collect::<Result<_, _>>()?;
    let verifier = c
        .overhead
        .call
        .as_ref()
        .map(|(m, prompt, output)| book.fixed(m, *prompt, *output, class))
        .transpose()?;
    let last = stages.len() - 1;
    let mut paths = Vec::new();
    for (j, &answered) in f.answered.iter().enumerate() {
        if answered <= 0.0 {
            continue;
        }
        // Stage j's answer follows j rejected answers; a non-final answer is checked too.
        let checks = if j == last { j } else { j + 1 };
        let mut path = Path::answer(answered, stages[j]);
        path.side_calls = verifier.map(|v| vec![v; checks]).unwrap_or_default();
        path.waited_calls = stages[..j].to_vec();
        path.streams = j == last;
        path.fee = c.overhead.fee.usd().value() * checks as f64;
        path.delay_s = c.overhead.latency_s * j as f64;
        path.check_s = c.overhead.latency_s;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_after_one_stage_matches_routing_math() {
        let f = flow(
            &[Some(0.84), Some(0.9)],
            &Verifier::AcceptRates {
                correct: 0.95,
                wrong: 0.2,
            },
            0,
        );
        assert!((f.reach[1] - (0.84 * 0.05 + 0.16 * 0.8)).abs() < 1e-12);
        assert!((f.answered.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn nested_quality_is_weak_plus_the_caught_share_of_the_gap() {
        // a_W + (1 - beta)(a_S - a_W) when a_S >= a_W.
        let f = flow(
            &[Some(0.4), Some(0.85)],
            &Verifier::AcceptRates {
                correct: 0.95,
                wrong: 0.2,
            },
            0,
        );
        assert!((f.quality.unwrap() - (0.4 + 0.8 * 0.45)).abs() < 1e-12);
    }

    #[test]
    fn quality_never_exceeds_the_best_stage() {
        for (a, b, c) in [(0.3, 0.6, 0.9), (0.9, 0.5, 0.7), (0.5, 0.5, 0.5)] {
            let f = flow(
                &[Some(a), Some(b), Some(c)],
                &Verifier::AcceptRates {
                    correct: 0.9,
                    wrong: 0.3,
                },
                0,
            );
            assert!(f.quality.unwrap() <= a.max(b).max(c) + 1e-12);
        }
    }

    #[test]
    fn accept_rates_escalate_by_the_cheap_stage_even_without_the_last_stages_rate() {
        let f = flow(
            &[Some(0.4), None],
            &Verifier::AcceptRates {
                correct: 0.95,
                wrong: 0.2,
            },
            0,
        );
        assert!((f.reach[1] - (0.4 * 0.05 + 0.6 * 0.8)).abs() < 1e-12);
        assert!(f.quality.is_none());
    }

    #[test]
    fn a_plain_escalation_rate_is_geometric() {
        let f = flow(&[None, None, None], &Verifier::Escalation(vec![0.25]), 0);
        assert_eq!(f.reach, vec![1.0, 0.25, 0.0625]);
        assert!(f.quality.is_none());
    }

    #[test]
    fn the_verifiers_mistakes_are_itemised() {
        // a_W 0.4, a_S 0.85, alpha 0.95, beta 0.2. False escalations: 0.4 ×
        // 0.05 = 0.02, each paying one strong call. False accepts: 0.6 ×
        // 0.2 = 0.12, of which the strong model solves u in [0.4, 0.85):
        // 0.45 × 0.2 = 0.09 of quality lost.
        let f = flow(
            &[Some(0.4), Some(0.85)],
            &Verifier::AcceptRates {
                correct: 0.95,
                wrong: 0.2,
            },
            0,
        );
        let m = f.mistakes.unwrap();
        assert!((m.false_escalated - 0.02).abs() < 1e-12);
        assert!((m.wasted_calls[1] - 0.02).abs() < 1e-12);
        assert_eq!(m.wasted_calls[0], 0.0);
        assert_eq!(m.wasted_checks, 0.0, "the last stage is not checked");
        assert!((m.false_accepted - 0.12).abs() < 1e-12);
        assert!((m.quality_lost.unwrap() - 0.09).abs() < 1e-12);
        // A plain escalation rate does not look at the answer.
        let plain = flow(
            &[Some(0.4), Some(0.85)],
            &Verifier::Escalation(vec![0.3]),
            0,
        );
        assert!(plain.mistakes.is_none());
    }
}
