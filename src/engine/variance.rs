//! Plan vs actual: why a month of logged traffic cost more or less than
//! the plan forecast. The traffic is cut into segments (the classes, or
//! the models when the log names no class); each segment has a month of
//! forecast and a month of actuals, each as calls, billed tokens and cost.
//!
//! The variance `actual − forecast` is decomposed by the standard
//! sequential price-volume-mix method: starting from the forecast, one
//! factor at a time is switched to its actual value, in this order, and
//! each step's change is that factor's part:
//!
//! ```text
//! cost = N · Σ_i s_i · t_i · p_i       N calls a month, s_i segment i's share of
//!                                      them, t_i its billed tokens per call,
//!                                      p_i its cost per billed token
//! L0 = N_f · Σ s_f · t_f · p_f         the forecast
//! L1 = N_a · Σ s_f · t_f · p_f         volume    = L1 − L0
//! L2 = N_a · Σ s_a · t_f · p_f         mix       = L2 − L1
//! L3 = N_a · Σ s_a · t_a · p_f         tokens    = L3 − L2
//! L4 = N_a · Σ s_a · t_a · p_a         prices    = L4 − L3 (the actual)
//! ```
//!
//! "Prices" is the actual cost per billed token against the forecast's: a
//! price change, and also another split between input, cached and output
//! tokens, or another model, tier or cache use within the segment. A segment only the actuals have enters the mix step at its own
//! actual cost per call (it has no forecast tokens or prices to hold); a
//! segment only the forecast has drops out at the mix step. Every level is
//! rounded to the picodollar once and the parts are differences of
//! consecutive levels, so they add up to the variance exactly.

use crate::money::{Money, Usd};
use crate::pricing::bill::Request;

use super::PlanOutcome;

/// A month of one segment's traffic.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Traffic {
    /// Calls (requests of a class, or calls to a model) in the month.
    pub calls: f64,
    /// Billed tokens in the month: prompt, cache reads and writes, output
    /// and reasoning.
    pub tokens: f64,
    pub cost: Money,
}

impl Traffic {
    fn per_call(&self) -> Option<f64> {
        (self.calls > 0.0).then(|| self.cost.usd().value() / self.calls)
    }

    fn per_token(&self) -> Option<f64> {
        (self.tokens > 0.0).then(|| self.cost.usd().value() / self.tokens)
    }

    pub fn tokens_per_call(&self) -> Option<f64> {
        (self.calls > 0.0).then(|| self.tokens / self.calls)
    }

    fn add(&mut self, calls: f64, tokens: f64, cost: Usd) {
        self.calls += calls;
        self.tokens += tokens;
        self.cost += cost.to_money().unwrap_or(Money::ZERO);
    }
}

/// One segment: its forecast month, its actual month, either may be absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub name: String,
    pub forecast: Option<Traffic>,
    pub actual: Option<Traffic>,
}

/// The variance bridge, in picodollars a month: `forecast + volume + mix +
/// tokens + prices == actual`, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bridge {
    pub forecast: Money,
    pub volume: Money,
    pub mix: Money,
    pub tokens: Money,
    pub prices: Money,
    pub actual: Money,
}

impl Bridge {
    /// The four parts in the order they are applied, with their names.
    pub fn parts(&self) -> [(&'static str, Money); 4] {
        [
            ("volume", self.volume),
            ("mix", self.mix),
            ("token sizes", self.tokens),
            ("prices", self.prices),
        ]
    }

    pub fn variance(&self) -> Money {
        self.actual - self.forecast
    }
}

fn money(usd: f64) -> Money {
    Usd(usd).to_money().unwrap_or(Money::ZERO)
}

/// Decomposes the segments' variance (see the module's formula).
pub fn bridge(segments: &[Segment]) -> Bridge {
    let sum = |f: &dyn Fn(&Traffic) -> Money, side: fn(&Segment) -> Option<Traffic>| -> Money {
        segments.iter().filter_map(side).map(|t| f(&t)).sum()
    };
    let forecast = sum(&|t| t.cost, |s| s.forecast);
    let actual = sum(&|t| t.cost, |s| s.actual);
    let calls = |side: fn(&Segment) -> Option<Traffic>| -> f64 {
        segments.iter().filter_map(side).map(|t| t.calls).sum()
    };
    let (n_f, n_a) = (calls(|s| s.forecast), calls(|s| s.actual));
    let l1 = if n_f > 0.0 {
        money(forecast.usd().value() * n_a / n_f)
    } else {
        forecast
    };
    // Each actual segment at the forecast's cost per call (mix), then at
    // its own tokens and the forecast's cost per token (token sizes).
    let (mut l2, mut l3) = (0.0, 0.0);
    for s in segments {
        let Some(a) = s.actual else { continue };
        let own = a.cost.usd().value();
        let f = s.forecast.filter(|f| f.calls > 0.0);
        let at_mix = f.and_then(|f| f.per_call()).map_or(own, |c| a.calls * c);
        l2 += at_mix;
        l3 += f
            .and_then(|f| f.per_token())
            .map_or(at_mix, |p| a.tokens * p);
    }
    let (l2, l3) = (money(l2), money(l3));
    Bridge {
        forecast,
        volume: l1 - forecast,
        mix: l2 - l1,
        tokens: l3 - l2,
        prices: actual - l3,
        actual,
    }
}

/// Every billed token of a request.
pub fn billed_tokens(r: &Request) -> u64 {
    r.input + r.cached() + r.generated()
}

/// The plan's forecast month per class: its requests, the tokens of every
/// call one of them makes, and its cost (fees included).
pub fn forecast_by_class(o: &PlanOutcome, month: f64) -> Vec<(String, Traffic)> {
    o.classes
        .iter()
        .map(|c| {
            let calls = c.share * month;
            let tokens: f64 = c
                .legs
                .iter()
                .map(|l| l.calls * billed_tokens(&l.request) as f64)
                .sum();
            let mut t = Traffic::default();
            t.add(calls, calls * tokens, c.cost * calls);
            (c.class.clone(), t)
        })
        .collect()
}

/// The plan's forecast month per model: the calls to it (router and
/// verifier calls included), their tokens and cost, in first-use order;
/// and the fixed router or verifier fees, which are no model's.
pub fn forecast_by_model(o: &PlanOutcome, month: f64) -> (Vec<(String, Traffic)>, Usd) {
    let mut out: Vec<(String, Traffic)> = Vec::new();
    let mut fees = Usd::default();
    for c in &o.classes {
        fees += c.fees * (c.share * month);
        for l in &c.legs {
            let calls = c.share * month * l.calls;
            let k = if let Some(k) = out.iter().position(|(m, _)| *m == l.model) {
                k
            } else {
                out.push((l.model.clone(), Traffic::default()));
                out.len() - 1
            };
            out[k].1.add(
                calls,
                calls * billed_tokens(&l.request) as f64,
                l.expected * calls,
            );
        }
    }
    (out, fees)
}

/// Forecast and actual months joined by name: the forecast's order, then
/// segments only the actuals have, in their order.
pub fn join(forecast: Vec<(String, Traffic)>, actual: Vec<(String, Traffic)>) -> Vec<Segment> {
    let mut out: Vec<Segment> = forecast
        .into_iter()
        .map(|(name, f)| Segment {
            name,
            forecast: Some(f),
            actual: None,
        })
        .collect();
    for (name, a) in actual {
        match out.iter_mut().find(|s| s.name == name) {
            Some(s) => s.actual = Some(a),
            None => out.push(Segment {
                name,
                forecast: None,
                actual: Some(a),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exact dollars from their decimal text.
    fn usd(v: &str) -> Money {
        let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
        let frac: i128 = format!("{frac:0<12}").parse().unwrap();
        Money::from_picos(whole.parse::<i128>().unwrap() * 1_000_000_000_000 + frac)
    }

    fn seg(name: &str, f: Option<(f64, f64, &str)>, a: Option<(f64, f64, &str)>) -> Segment {
        let t = |(calls, tokens, cost): (f64, f64, &str)| Traffic {
            calls,
            tokens,
            cost: usd(cost),
        };
        Segment {
            name: name.into(),
            forecast: f.map(t),
            actual: a.map(t),
        }
    }

    #[test]
    fn a_hand_worked_bridge_adds_up_to_the_variance() {
        // Forecast: 1,000 requests a month, 80% easy (1,000 tokens, $0.001
        // each: $0.000001 a token), 20% hard (2,000 tokens, $0.01 each:
        // $0.000005 a token). L0 = 800 × 0.001 + 200 × 0.01 = $2.80.
        // Actual: 1,200 requests, 900 easy (1,200 tokens, $0.0015 each),
        // 300 hard (2,000 tokens, $0.012 each).
        // L4 = 900 × 0.0015 + 300 × 0.012 = 1.35 + 3.60 = $4.95.
        let segments = [
            seg(
                "easy",
                Some((800.0, 800_000.0, "0.8")),
                Some((900.0, 1_080_000.0, "1.35")),
            ),
            seg(
                "hard",
                Some((200.0, 400_000.0, "2")),
                Some((300.0, 600_000.0, "3.6")),
            ),
        ];
        let b = bridge(&segments);
        assert_eq!(b.forecast, usd("2.80"));
        assert_eq!(b.actual, usd("4.95"));
        // L1 = 1,200 × (2.80 / 1,000) = $3.36: volume +$0.56.
        assert_eq!(b.volume, usd("0.56"));
        // L2 = 900 × 0.001 + 300 × 0.01 = 0.90 + 3.00 = $3.90: mix +$0.54.
        assert_eq!(b.mix, usd("0.54"));
        // L3 = 1,080,000 × 0.000001 + 600,000 × 0.000005 = 1.08 + 3.00
        // = $4.08: token sizes +$0.18.
        assert_eq!(b.tokens, usd("0.18"));
        // Prices: 4.95 − 4.08 = +$0.87.
        assert_eq!(b.prices, usd("0.87"));
        // 0.56 + 0.54 + 0.18 + 0.87 = 2.15 = 4.95 − 2.80.
        let parts: Money = b.parts().iter().map(|(_, m)| *m).sum();
        assert_eq!(parts, b.variance());
        assert_eq!(b.variance(), usd("2.15"));
    }

    #[test]
    fn parts_sum_exactly_even_when_levels_round() {
        // Thirds of a cent and segments on one side only: every level
        // rounds, the parts still sum to the picodollar.
        let segments = [
            seg(
                "a",
                Some((3.0, 7.0, "0.01")),
                Some((7.0, 11.0, "0.0333333333")),
            ),
            seg("b", Some((1.0, 0.0, "0.000000000001")), None),
            seg("c", None, Some((2.0, 9.0, "0.019999999999"))),
        ];
        let b = bridge(&segments);
        let parts: Money = b.parts().iter().map(|(_, m)| *m).sum();
        assert_eq!(b.forecast + parts, b.actual);
        assert_eq!(b.actual, usd("0.053333333299"));
    }

    #[test]
    fn same_traffic_no_variance_and_volume_alone_is_volume() {
        let same = [seg("x", Some((10.0, 100.0, "1")), Some((10.0, 100.0, "1")))];
        let b = bridge(&same);
        assert_eq!(b.parts().map(|(_, m)| m), [Money::ZERO; 4]);
        let double = [seg("x", Some((10.0, 100.0, "1")), Some((20.0, 200.0, "2")))];
        let b = bridge(&double);
        assert_eq!(b.volume, usd("1"));
        assert_eq!(
            (b.mix, b.tokens, b.prices),
            (Money::ZERO, Money::ZERO, Money::ZERO)
        );
    }

    #[test]
    fn joined_in_forecast_order_then_the_actuals_own() {
        let t = Traffic::default();
        let s = join(
            vec![("b".into(), t), ("a".into(), t)],
            vec![("z".into(), t), ("a".into(), t)],
        );
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "z"]);
        assert!(s[0].actual.is_none() && s[2].forecast.is_none());
    }
}
