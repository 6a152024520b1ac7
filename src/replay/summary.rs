//! What a finished tally adds up to, in a stable order: the grand total,
//! the unknown models (most requests first), the reasons requests could not
//! be priced, the bad lines by field, each plan class's share of the
//! traffic. The report and the warnings are built from this. Pure.

use super::aggregate::Totals;
use super::tally::Tally;

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Every group added up.
    pub all: Totals,
    /// `(model, requests, tokens)`, most requests first, then by name.
    pub unknown: Vec<(String, u64, u64)>,
    pub unknown_requests: u64,
    /// `(reason, requests)` not priced, sorted by reason.
    pub unpriced: Vec<(String, u64)>,
    pub unpriced_requests: u64,
    /// `(reason, requests)` with no what-if price, sorted by reason.
    pub what_if_unpriced: Vec<(String, u64)>,
    /// `(field, bad lines)`, most first, then by field.
    pub bad_by_field: Vec<(String, u64)>,
    /// Each plan class's share of all requests (0 when there are none).
    pub class_shares: Vec<f64>,
    /// Requests whose class field named no class.
    pub fell_back: u64,
}

impl Summary {
    pub fn of(tally: &Tally) -> Summary {
        let all = tally.groups.total();
        let mut unknown: Vec<(String, u64, u64)> = tally
            .unknown
            .iter()
            .map(|(m, &(n, tokens))| (m.clone(), n, tokens))
            .collect();
        unknown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let sorted = |map: &std::collections::HashMap<String, u64>| {
            let mut v: Vec<(String, u64)> = map.iter().map(|(k, &n)| (k.clone(), n)).collect();
            v.sort();
            v
        };
        let mut bad_by_field = sorted(&tally.bad.by_field);
        bad_by_field.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let class_shares = tally
            .classes
            .iter()
            .map(|c| share(c.totals.requests, all.requests))
            .collect();
        Summary {
            unknown_requests: unknown.iter().map(|u| u.1).sum(),
            unknown,
            unpriced_requests: tally.unpriced.values().sum(),
            unpriced: sorted(&tally.unpriced),
            what_if_unpriced: sorted(&tally.what_if_unpriced),
            bad_by_field,
            class_shares,
            fell_back: tally.classes.iter().map(|c| c.fell_back).sum(),
            all,
        }
    }

    /// "`model` (requests), ..." for warnings and notes.
    pub fn unknown_list(&self) -> String {
        self.unknown
            .iter()
            .map(|(m, n, _)| format!("`{m}` ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::tally::TallyOptions;
    use crate::replay::what_if::WhatIf;

    #[test]
    fn unknown_models_sort_by_requests_then_name_and_reasons_by_text() {
        let catalog =
            crate::pricing::Catalog::from_sources(&crate::pricing::Catalog::builtin_sources())
                .unwrap();
        let opts = TallyOptions {
            catalog: &catalog,
            dims: vec![],
            undated: jiff::civil::Date::constant(2026, 11, 28),
            what_if: WhatIf::Nothing,
            skip_bad: true,
            latency_by_model: false,
            charges: false,
        };
        let mut tally = Tally::new(&opts, false);
        tally.unknown.insert("b".into(), (1, 10));
        tally.unknown.insert("a".into(), (1, 5));
        tally.unknown.insert("c".into(), (3, 1));
        tally.unpriced.insert("z: no price".into(), 2);
        tally.unpriced.insert("a: no tier".into(), 1);
        tally.bad.by_field.insert("usage".into(), 1);
        tally.bad.by_field.insert("model".into(), 4);
        let s = Summary::of(&tally);
        assert_eq!(s.unknown_list(), "`c` (3), `a` (1), `b` (1)");
        assert_eq!(s.unknown_requests, 5);
        assert_eq!(s.unpriced_requests, 3);
        assert_eq!(s.unpriced[0].0, "a: no tier");
        assert_eq!(s.bad_by_field[0], ("model".to_string(), 4));
        assert!(s.class_shares.is_empty());
    }

    #[test]
    fn shares_of_nothing_are_zero() {
        assert_eq!(share(0, 0), 0.0);
        assert_eq!(share(1, 4), 0.25);
    }
}
