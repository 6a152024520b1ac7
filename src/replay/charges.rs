//! Billed charges per day, model, service tier, billed part and unit price:
//! what a FOCUS billing file lists (`replay::focus`). A request's bill has
//! one line per part (fresh input, cache reads and writes, output,
//! reasoning, the per-request fee); each line with something on it adds to
//! the charge of its exact unit price, so a charge's cost is always its
//! quantity times its unit price, to the picodollar. Pure: no I/O.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::money::Money;
use crate::pricing::bill::Bill;
use crate::pricing::{Part, ServiceTier};

/// What one charge is for: one price of one part of one model on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChargeKey<'c> {
    pub day: Date,
    /// The catalog id.
    pub model: &'c str,
    pub tier: ServiceTier,
    pub part: Part,
    /// Picodollars per token, or per request for the per-request fee.
    pub unit_picos: i128,
    /// The long-context threshold the requests crossed, if any.
    pub long_context: Option<u64>,
    /// The first day of the price period used (`None`: open-ended).
    pub period_from: Option<Date>,
}

/// The sums of one charge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChargeSum {
    pub requests: u64,
    /// Tokens, or requests for the per-request fee.
    pub quantity: u64,
    pub cost: Money,
}

/// Allocation tags (the `--by` fields of the log, as one key) -> charges.
#[derive(Debug, Clone, Default)]
pub struct Charges<'c>(pub HashMap<Box<str>, HashMap<ChargeKey<'c>, ChargeSum>>);

impl<'c> Charges<'c> {
    /// Adds every line of `bill` with tokens or a fee on it.
    pub fn add(&mut self, tags: &str, day: Date, model: &'c str, bill: &Bill) {
        if !self.0.contains_key(tags) {
            self.0.insert(tags.into(), HashMap::new());
        }
        let charges = self.0.get_mut(tags).expect("just inserted");
        for line in &bill.lines {
            let unit_picos = if line.part == Part::PerRequest {
                if line.cost == Money::ZERO {
                    continue;
                }
                line.cost.picos()
            } else {
                if line.tokens == 0 {
                    continue;
                }
                line.rate.picos_per_token()
            };
            let key = ChargeKey {
                day,
                model,
                tier: bill.tier,
                part: line.part,
                unit_picos,
                long_context: bill.long_context,
                period_from: bill.period_from,
            };
            let sum = charges.entry(key).or_default();
            sum.requests += 1;
            sum.quantity += line.tokens;
            sum.cost += line.cost;
        }
    }

    pub fn merge(&mut self, other: Charges<'c>) {
        for (tags, theirs) in other.0 {
            let mine = self.0.entry(tags).or_default();
            for (key, sum) in theirs {
                let m = mine.entry(key).or_default();
                m.requests += sum.requests;
                m.quantity += sum.quantity;
                m.cost += sum.cost;
            }
        }
    }

    /// Every charge, sorted by tags, then day, model, tier, part and price.
    pub fn sorted(&self) -> Vec<(&str, &ChargeKey<'c>, &ChargeSum)> {
        let mut rows: Vec<_> = self
            .0
            .iter()
            .flat_map(|(tags, c)| c.iter().map(move |(k, s)| (&**tags, k, s)))
            .collect();
        rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        rows
    }

    pub fn total(&self) -> Money {
        self.0
            .values()
            .flat_map(HashMap::values)
            .map(|s| s.cost)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Rate;
    use crate::pricing::bill::{period_on, price_in_period, Request};
    use crate::pricing::Catalog;

    #[test]
    fn each_line_adds_to_the_charge_of_its_own_price_and_costs_are_quantity_times_price() {
        let catalog = Catalog::builtin().unwrap();
        let model = catalog.get("gpt-4o-mini").unwrap();
        let day = jiff::civil::date(2026, 11, 30);
        let period = period_on(model, day).unwrap();
        let request = Request {
            input: 1_000,
            cache_read: 400,
            output: 50,
            ..Request::default()
        };
        let bill = price_in_period(model, period, &request).unwrap();
        let mut charges = Charges::default();
        charges.add("", day, &model.id, &bill);
        charges.add("", day, &model.id, &bill);
        let rows = charges.sorted();
        // Fresh input (600 tokens), cache reads (400) and output (50): three
        // charges, each holding both requests.
        assert_eq!(rows.len(), 3);
        for (_, key, sum) in &rows {
            assert_eq!(sum.requests, 2);
            assert_eq!(
                sum.cost,
                Money::from_picos(key.unit_picos * i128::from(sum.quantity))
            );
        }
        let quantities: Vec<u64> = rows.iter().map(|r| r.2.quantity).collect();
        assert_eq!(quantities, vec![1_200, 800, 100]);
        assert_eq!(charges.total(), bill.total + bill.total);
        assert_eq!(Rate::per_million(0.15).unwrap().picos_per_token(), 150_000);
    }

    #[test]
    fn a_per_request_fee_is_a_charge_per_request_at_the_fee() {
        let catalog = Catalog::builtin().unwrap();
        let model = catalog.get("gpt-4o-mini").unwrap();
        let day = jiff::civil::date(2026, 11, 30);
        let mut bill = price_in_period(
            model,
            period_on(model, day).unwrap(),
            &Request {
                input: 10,
                ..Request::default()
            },
        )
        .unwrap();
        let fee = Money::from_picos(5_000_000_000); // $0.005 a request
        bill.lines[6].cost = fee;
        bill.lines[6].tokens = 1;
        let mut charges = Charges::default();
        charges.add("", day, &model.id, &bill);
        charges.add("", day, &model.id, &bill);
        let rows = charges.sorted();
        let (_, key, sum) = rows.iter().find(|r| r.1.part == Part::PerRequest).unwrap();
        assert_eq!(
            (key.unit_picos, sum.quantity, sum.requests),
            (5_000_000_000, 2, 2)
        );
        assert_eq!(sum.cost, Money::from_picos(10_000_000_000));
    }
}
