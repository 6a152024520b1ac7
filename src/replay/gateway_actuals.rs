//! What a gateway log says happened, per class, in the gateway's own exact
//! figures: the requests it served, what their attempts cost (`cost_usd`)
//! and what the same usage would have cost on the baseline plan's model
//! (`baseline_cost_usd`, the counterfactual the gateway writes on each
//! line). Money is read from the decimals as written, to the picodollar.
//! Pure: lines in, sums out.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::gateway::MARK;
use super::read::{Chunker, Input};
use super::record::{logged_usd, parse_time, BadField, BadLine};
use crate::money::Money;

/// One class's actual traffic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClassActual {
    /// Requests routed to the class (their first attempts).
    pub requests: u64,
    /// Upstream attempts, retries and fallbacks included.
    pub attempts: u64,
    /// The exact cost of every attempt.
    pub cost: Money,
    /// Attempts whose line states a baseline cost, that cost, and the
    /// actual cost of the same attempts.
    pub with_baseline: u64,
    pub baseline: Money,
    pub cost_where_baseline: Money,
}

impl ClassActual {
    /// Baseline minus actual over the attempts that have both: positive saves.
    pub fn savings(&self) -> Option<Money> {
        (self.with_baseline > 0).then(|| self.baseline - self.cost_where_baseline)
    }
}

/// The sums of a whole log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actuals {
    /// By class name.
    pub classes: BTreeMap<String, ClassActual>,
    /// Requests refused before any attempt (no class).
    pub refused: u64,
    pub first: Option<Timestamp>,
    pub last: Option<Timestamp>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    log: Option<&'a str>,
    #[serde(borrow, default)]
    ts: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    attempt: u32,
    #[serde(borrow, default)]
    class: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    cost_usd: Option<&'a RawValue>,
    #[serde(borrow, default)]
    baseline_cost_usd: Option<&'a RawValue>,
}

/// A decimal as the gateway writes it (`0.000123`), exactly; an exponent
/// form goes through `f64`, as other logs' costs do.
fn exact(field: &str, raw: &RawValue) -> Result<Money, BadField> {
    let text = raw.get();
    let bad = || BadField::new(field, format!("{text} is not a cost in USD"));
    if text.contains(['e', 'E']) {
        return logged_usd(field, text.parse().map_err(|_| bad())?);
    }
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.starts_with('-') || frac.len() > 12 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let whole: i128 = whole.parse().map_err(|_| bad())?;
    let frac: i128 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<12}").parse().map_err(|_| bad())?
    };
    Ok(Money::from_picos(whole * 1_000_000_000_000 + frac))
}

impl Actuals {
    /// Adds one line of a gateway log.
    pub fn add(&mut self, line: &[u8]) -> Result<(), BadField> {
        let l: Line =
            serde_json::from_slice(line).map_err(|e| BadField::new("line", e.to_string()))?;
        if l.log != Some(MARK) {
            return Err(BadField::new(
                "log",
                format!("not a `cost gateway` line (its `log` field is not \"{MARK}\")"),
            ));
        }
        if let Some(ts) = l.ts.as_deref() {
            let t = parse_time("ts", ts)?;
            self.first = Some(self.first.map_or(t, |f| f.min(t)));
            self.last = Some(self.last.map_or(t, |f| f.max(t)));
        }
        let Some(class) = l.class else {
            self.refused += 1;
            return Ok(());
        };
        let cost = l.cost_usd.map(|c| exact("cost_usd", c)).transpose()?;
        let baseline = l
            .baseline_cost_usd
            .map(|c| exact("baseline_cost_usd", c))
            .transpose()?;
        let c = self.classes.entry(class.into_owned()).or_default();
        c.attempts += 1;
        if l.attempt <= 1 {
            c.requests += 1;
        }
        let cost = cost.unwrap_or(Money::ZERO);
        c.cost += cost;
        if let Some(b) = baseline {
            c.with_baseline += 1;
            c.baseline += b;
            c.cost_where_baseline += cost;
        }
        Ok(())
    }

    pub fn requests(&self) -> u64 {
        self.classes.values().map(|c| c.requests).sum()
    }

    pub fn cost(&self) -> Money {
        self.classes.values().map(|c| c.cost).sum()
    }
}

/// Why a log could not be summed.
#[derive(Debug, thiserror::Error)]
pub enum ActualsError {
    #[error(transparent)]
    Bad(#[from] BadLine),
    #[error("{0}: {1}")]
    Read(String, std::io::Error),
}

/// Sums every line of `inputs` (each a whole gateway log).
pub fn read(inputs: Vec<Input>) -> Result<Actuals, ActualsError> {
    let mut out = Actuals::default();
    for input in inputs {
        let mut chunks = Chunker::new(input.reader);
        while let Some(chunk) = chunks
            .next_chunk()
            .map_err(|e| ActualsError::Read(input.name.clone(), e))?
        {
            for (n, line) in chunk.lines() {
                out.add(line).map_err(|e| e.at(&input.name, n))?;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_per_class_exactly_with_retries_and_refusals() {
        let mut a = Actuals::default();
        for line in [
            r#"{"log":"cost-gateway","ts":"2026-12-01T10:00:00Z","attempt":1,"class":"easy","cost_usd":0.000000000001,"baseline_cost_usd":0.00001}"#,
            r#"{"log":"cost-gateway","ts":"2026-12-01T10:00:01Z","attempt":1,"class":"hard","outcome":"upstream_error"}"#,
            r#"{"log":"cost-gateway","ts":"2026-12-01T10:00:02Z","attempt":2,"class":"hard","cost_usd":0.25,"baseline_cost_usd":0.25}"#,
            r#"{"log":"cost-gateway","ts":"2026-12-01T09:00:00Z","attempt":0,"outcome":"over_budget"}"#,
        ] {
            a.add(line.as_bytes()).unwrap();
        }
        let easy = &a.classes["easy"];
        assert_eq!((easy.requests, easy.attempts), (1, 1));
        assert_eq!(easy.cost, Money::from_picos(1));
        assert_eq!(easy.savings(), Some(Money::from_picos(9_999_999)));
        let hard = &a.classes["hard"];
        assert_eq!(
            (hard.requests, hard.attempts, hard.with_baseline),
            (1, 2, 1)
        );
        assert_eq!(hard.savings(), Some(Money::ZERO));
        assert_eq!(a.refused, 1);
        assert_eq!(a.first.unwrap().to_string(), "2026-12-01T09:00:00Z");
        assert_eq!(a.requests(), 2);
    }

    #[test]
    fn refuses_other_logs_and_bad_costs() {
        let mut a = Actuals::default();
        let other = br#"{"model":"gpt-4o","usage":{"prompt_tokens":1}}"#;
        assert_eq!(a.add(other).unwrap_err().field, "log");
        let bad = br#"{"log":"cost-gateway","class":"easy","cost_usd":-1}"#;
        assert_eq!(a.add(bad).unwrap_err().field, "cost_usd");
    }
}
