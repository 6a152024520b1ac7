//! Time to first token, time to first *answer* token and end-to-end time,
//! from the model's latency figures (`docs/latency.md`):
//!
//!   TTFT(x)        = b + x / R          x = prompt tokens, R = prefill rate
//!   answer(x, z)   = TTFT(x) + think    z = thinking tokens
//!   think          = the thinking time measured at the class's reasoning
//!                    effort where a figure gives one, else z / v
//!   E2E(x, z, y)   = answer(x, z) + y / v   y = answer tokens, v = output speed
//!
//! b is recovered from a TTFT measured at a known prompt size. A figure
//! measured on the user's own traffic wins over published ones; among
//! published ones, the model's own provider and the newest date win.
//! Figures are estimates: trackers disagree by 2-5x, so reports say so.

use serde::Serialize;

use crate::pricing::figures::{Basis, Effort, Latency, Measured};
use crate::pricing::Model;

/// What the latency model assumes where a figure is silent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencyAssumptions {
    /// Prefill rate (tokens/s) for models with no measured one.
    pub prefill_tps: f64,
    /// Prompt size (tokens) a TTFT was measured at when the figure does not say.
    pub ttft_prompt_tokens: u64,
}

impl Default for LatencyAssumptions {
    /// Prefill rates are rarely published; 5,000 tokens/s is an assumption
    /// (overridable with `--prefill-tps`), stated in every report that uses it.
    /// Artificial Analysis' older default workload prompt is about 1,000 tokens.
    fn default() -> Self {
        LatencyAssumptions {
            prefill_tps: 5_000.0,
            ttft_prompt_tokens: 1_000,
        }
    }
}

/// The latency of one request of a class on one model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatencyEstimate {
    pub ttft_s: f64,
    /// First answer token, thinking included; `None` when the model thinks
    /// but neither its speed nor a thinking-time figure is known.
    pub ttft_answer_s: Option<f64>,
    /// `None` when the model has no output speed.
    pub e2e_s: Option<f64>,
    /// Whether the assumed prefill rate was used.
    pub assumed_prefill: bool,
    /// The figures the estimate rests on.
    pub used: Used,
}

/// A model's latency line for one reasoning effort.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    pub fixed_s: f64,
    pub prefill_tps: f64,
    pub output_tps: Option<f64>,
    /// Thinking time measured at the effort asked for (replaces z / v).
    pub thinking_s: Option<f64>,
    pub assumed_prefill: bool,
}

impl Fit {
    pub fn ttft(&self, prompt: f64) -> f64 {
        self.fixed_s + prompt / self.prefill_tps
    }

    pub fn ttft_answer(&self, prompt: f64, thinking: f64) -> Option<f64> {
        let think = match (self.thinking_s, self.output_tps) {
            (Some(t), _) => Some(t),
            _ if thinking <= 0.0 => Some(0.0),
            (None, Some(v)) => Some(thinking / v),
            (None, None) => None,
        };
        think.map(|t| self.ttft(prompt) + t)
    }

    pub fn e2e(&self, prompt: f64, thinking: f64, output: f64) -> Option<f64> {
        let v = self.output_tps?;
        self.ttft_answer(prompt, thinking).map(|a| a + output / v)
    }
}

/// Which of a model's figures a fit uses, by index into `model.latency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Used {
    pub line: Option<usize>,
    /// The output speed's figure, where the line's has none.
    pub speed: Option<usize>,
}

impl Used {
    pub fn indices(self) -> impl Iterator<Item = usize> {
        [self.line, self.speed].into_iter().flatten()
    }
}

/// How light a setting is: figures measured with less thinking rank
/// first where the class states no effort.
fn lightness(m: Measured) -> u8 {
    match m {
        Measured::At(e) => 10 - e as u8,
        Measured::Default | Measured::Unstated | Measured::Mixed => 9,
    }
}

/// Ranks figures: the user's traffic first, then the class's effort (or,
/// with none stated, a setting without thinking), then the newest, then the
/// model's own provider as host, then the lightest setting.
fn rank(
    model: &Model,
    f: &Latency,
    effort: Option<Effort>,
) -> (bool, bool, jiff::civil::Date, bool, u8) {
    let own_host = f
        .host
        .as_deref()
        .is_some_and(|h| h.to_lowercase().contains(&model.provider.to_lowercase()));
    let matches = match (effort, f.reasoning) {
        (
            None,
            Measured::At(Effort::None | Effort::Minimal)
            | Measured::Default
            | Measured::Unstated
            | Measured::Mixed,
        ) => true,
        (Some(e), Measured::At(m)) => e == m,
        _ => false,
    };
    (
        f.basis == Basis::YourTraffic,
        matches,
        f.measured,
        own_host,
        lightness(f.reasoning),
    )
}

fn best(model: &Model, effort: Option<Effort>, keep: impl Fn(&Latency) -> bool) -> Option<usize> {
    model
        .latency
        .iter()
        .enumerate()
        .filter(|(_, f)| keep(f))
        .max_by_key(|(_, f)| rank(model, f, effort))
        .map(|(i, _)| i)
}

/// The latency line of a model at a reasoning effort, or `None` when it has
/// no TTFT figure.
///
/// A figure measured at the class's own effort gives its thinking time
/// directly (time to first answer token minus TTFT; zero where thinking is
/// hidden and the first token is the answer). Otherwise thinking takes the
/// class's thinking tokens at the output speed.
pub fn fit(
    model: &Model,
    effort: Option<Effort>,
    assume: &LatencyAssumptions,
) -> Option<(Fit, Used)> {
    let line = best(model, effort, |f| {
        f.ttft_s.is_some() || f.ttft_answer_s.is_some()
    })?;
    let figure = &model.latency[line];
    let rate = figure.prefill_tps.unwrap_or(assume.prefill_tps);
    let at = figure
        .ttft_prompt_tokens
        .unwrap_or(assume.ttft_prompt_tokens) as f64;
    // With only a time to first answer token (thinking not streamed), the
    // first token the client sees is the answer.
    let first = figure.ttft_s.or(figure.ttft_answer_s)?;
    let at_own_effort = effort.is_some() && effort.map(Measured::At) == Some(figure.reasoning);
    let thinking_s = if at_own_effort {
        Some((figure.ttft_answer_s.unwrap_or(first) - first).max(0.0))
    } else {
        None
    };
    let speed = if figure.output_tps.is_some() {
        Some(line)
    } else {
        best(model, effort, |f| f.output_tps.is_some())
    };
    Some((
        Fit {
            fixed_s: (first - at / rate).max(0.0),
            prefill_tps: rate,
            output_tps: speed.and_then(|i| model.latency[i].output_tps),
            thinking_s,
            assumed_prefill: figure.prefill_tps.is_none(),
        },
        Used {
            line: Some(line),
            speed: speed.filter(|&s| s != line),
        },
    ))
}

/// Estimates latency for one request, or `None` when the model has no TTFT figure.
pub fn estimate(
    model: &Model,
    prompt: u64,
    thinking: u64,
    output: u64,
    effort: Option<Effort>,
    assume: &LatencyAssumptions,
) -> Option<LatencyEstimate> {
    let (f, used) = fit(model, effort, assume)?;
    let (x, z, y) = (prompt as f64, thinking as f64, output as f64);
    Some(LatencyEstimate {
        ttft_s: f.ttft(x),
        ttft_answer_s: f.ttft_answer(x, z),
        e2e_s: f.e2e(x, z, y),
        assumed_prefill: f.assumed_prefill,
        used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pricing::Catalog;

    fn figure(
        reasoning: Measured,
        ttft: Option<f64>,
        answer: Option<f64>,
        tps: Option<f64>,
    ) -> Latency {
        Latency {
            basis: Basis::Published,
            host: Some("OpenAI".into()),
            reasoning,
            ttft_s: ttft,
            ttft_answer_s: answer,
            ttft_prompt_tokens: Some(10_000),
            prefill_tps: None,
            output_tps: tps,
            ttft_p90_s: None,
            ttft_p99_s: None,
            e2e_s: None,
            e2e_p90_s: None,
            e2e_p99_s: None,
            samples: None,
            first: None,
            last: None,
            measured: jiff::civil::date(2026, 9, 22),
            source: "https://example.com".into(),
            note: None,
            origin: "test".into(),
        }
    }

    fn model_with(figures: Vec<Latency>) -> Model {
        let mut m = Catalog::builtin()
            .unwrap()
            .lookup("gpt-6-sol")
            .unwrap()
            .clone();
        m.latency = figures;
        m
    }

    #[test]
    fn thinking_is_priced_in_the_answer_not_the_first_token() {
        // No-reasoning figure: 2.5 s at 10k tokens, 100 tok/s; prefill 5,000/s
        // assumed, so b = 2.5 - 10,000/5,000 = 0.5.
        let m = model_with(vec![figure(
            Measured::At(Effort::None),
            Some(2.5),
            None,
            Some(100.0),
        )]);
        // Prompt 4,000: TTFT = 0.5 + 0.8 = 1.3 s.
        // 3,000 thinking tokens at 100/s = 30 s: answer at 31.3 s.
        // 800 answer tokens: E2E = 31.3 + 8 = 39.3 s.
        let e = estimate(
            &m,
            4_000,
            3_000,
            800,
            Some(Effort::High),
            &LatencyAssumptions::default(),
        )
        .unwrap();
        assert!((e.ttft_s - 1.3).abs() < 1e-9, "{e:?}");
        assert!((e.ttft_answer_s.unwrap() - 31.3).abs() < 1e-9, "{e:?}");
        assert!((e.e2e_s.unwrap() - 39.3).abs() < 1e-9, "{e:?}");
    }

    #[test]
    fn a_figure_at_the_classes_effort_gives_the_thinking_time() {
        let m = model_with(vec![
            figure(
                Measured::At(Effort::None),
                Some(2.5),
                Some(2.5),
                Some(100.0),
            ),
            // Thinking streams: first token at 3.0 s, first answer at 103.0 s.
            figure(
                Measured::At(Effort::Max),
                Some(3.0),
                Some(103.0),
                Some(115.0),
            ),
        ]);
        // At max: b = 3.0 - 10,000/5,000 = 1.0; prompt 4,000: TTFT = 1.8 s;
        // thinking as measured, 100 s: answer 101.8 s; 800 tokens at
        // 115 tok/s = 6.9565 s: E2E = 108.7565 s.
        let e = estimate(
            &m,
            4_000,
            3_000,
            800,
            Some(Effort::Max),
            &LatencyAssumptions::default(),
        )
        .unwrap();
        assert!((e.ttft_s - 1.8).abs() < 1e-9, "{e:?}");
        assert!((e.ttft_answer_s.unwrap() - 101.8).abs() < 1e-9, "{e:?}");
        assert!(
            (e.e2e_s.unwrap() - (101.8 + 800.0 / 115.0)).abs() < 1e-9,
            "{e:?}"
        );
        // At an effort with no figure the light one is used, thinking at
        // the speed: 1.3 + 3,000/100 = 31.3 s.
        let low = estimate(
            &m,
            4_000,
            3_000,
            800,
            Some(Effort::Low),
            &LatencyAssumptions::default(),
        )
        .unwrap();
        assert!((low.ttft_answer_s.unwrap() - 31.3).abs() < 1e-9, "{low:?}");
    }

    #[test]
    fn hidden_thinking_makes_the_first_token_the_answer() {
        // A closed model at high effort: TTFT = answer = 22.77 s at 10k tokens.
        let m = model_with(vec![
            figure(
                Measured::At(Effort::Low),
                Some(9.98),
                Some(9.98),
                Some(178.3),
            ),
            figure(
                Measured::At(Effort::High),
                Some(22.77),
                Some(22.77),
                Some(183.75),
            ),
        ]);
        let e = estimate(
            &m,
            10_000,
            3_000,
            800,
            Some(Effort::High),
            &LatencyAssumptions::default(),
        )
        .unwrap();
        assert!((e.ttft_s - 22.77).abs() < 1e-9, "{e:?}");
        assert_eq!(e.ttft_answer_s, Some(e.ttft_s));
        assert!((e.e2e_s.unwrap() - (22.77 + 800.0 / 183.75)).abs() < 1e-9);
        // No effort stated: the lightest figure, here low.
        let (_, used) = fit(&m, None, &LatencyAssumptions::default()).unwrap();
        assert_eq!(used.line, Some(0));
    }

    #[test]
    fn the_users_traffic_wins_over_published_figures() {
        let mut mine = figure(Measured::Unstated, Some(4.0), None, Some(50.0));
        mine.basis = Basis::YourTraffic;
        mine.measured = jiff::civil::date(2026, 1, 1);
        let m = model_with(vec![
            figure(Measured::At(Effort::None), Some(2.5), None, Some(100.0)),
            mine,
        ]);
        let (f, used) = fit(&m, None, &LatencyAssumptions::default()).unwrap();
        assert_eq!(used.line, Some(1));
        assert_eq!(f.output_tps, Some(50.0));
    }

    #[test]
    fn a_thinking_model_with_no_speed_has_no_answer_time() {
        let m = model_with(vec![figure(
            Measured::At(Effort::None),
            Some(2.5),
            None,
            None,
        )]);
        let e = estimate(&m, 4_000, 3_000, 800, None, &LatencyAssumptions::default()).unwrap();
        assert_eq!(e.ttft_answer_s, None);
        let e = estimate(&m, 4_000, 0, 800, None, &LatencyAssumptions::default()).unwrap();
        assert_eq!(e.ttft_answer_s, Some(e.ttft_s));
        assert_eq!(e.e2e_s, None);
    }
}
