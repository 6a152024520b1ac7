//! Assigning each logged request to a scenario class, so that a plan can
//! route it (`--plan NAME --scenario FILE`). Three rules:
//!
//! - `--class-field FIELD`: the field's value names the class (optionally
//!   through `--class-map value=class,...`);
//! - `--class-bounds N,N,...`: prompt-size bounds, ascending; k bounds make
//!   k+1 classes in the scenario's order (prompt <= first bound -> the first
//!   class, and so on);
//! - otherwise the documented heuristic: the class whose `prompt` size is
//!   nearest to the request's prompt on a log scale (|ln p - ln p_k|;
//!   ties go to the earlier class). It uses only what a log always has.
//!
//! A field value that names no class falls back to the heuristic, and the
//! report counts how often.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    Field {
        field: String,
        /// Field value -> class index.
        values: BTreeMap<String, usize>,
    },
    Bounds(Vec<u64>),
    Nearest,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassRules {
    pub rule: Rule,
    /// ln(prompt) of each class, for the heuristic.
    log_prompts: Vec<f64>,
}

/// How a request was classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assigned {
    pub class: usize,
    /// The field rule found no class and the heuristic decided.
    pub fell_back: bool,
}

impl ClassRules {
    pub fn new(rule: Rule, class_prompts: &[u64]) -> ClassRules {
        ClassRules {
            rule,
            log_prompts: class_prompts
                .iter()
                .map(|&p| (p.max(1) as f64).ln())
                .collect(),
        }
    }

    pub fn field(&self) -> Option<&str> {
        match &self.rule {
            Rule::Field { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The class of a request with `prompt` tokens whose class field (if the
    /// rule uses one) has `value`.
    pub fn assign(&self, prompt: u64, value: Option<&str>) -> Assigned {
        match &self.rule {
            Rule::Field { values, .. } => match value.and_then(|v| values.get(v)) {
                Some(&class) => Assigned {
                    class,
                    fell_back: false,
                },
                None => Assigned {
                    class: self.nearest(prompt),
                    fell_back: true,
                },
            },
            Rule::Bounds(bounds) => Assigned {
                class: bounds
                    .iter()
                    .position(|&b| prompt <= b)
                    .unwrap_or(bounds.len()),
                fell_back: false,
            },
            Rule::Nearest => Assigned {
                class: self.nearest(prompt),
                fell_back: false,
            },
        }
    }

    fn nearest(&self, prompt: u64) -> usize {
        let p = (prompt.max(1) as f64).ln();
        let mut best = 0;
        for (k, lp) in self.log_prompts.iter().enumerate() {
            if (lp - p).abs() < (self.log_prompts[best] - p).abs() {
                best = k;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_on_a_log_scale() {
        let c = ClassRules::new(Rule::Nearest, &[1_500, 40_000]);
        assert_eq!(c.assign(1_000, None).class, 0);
        assert_eq!(c.assign(7_000, None).class, 0); // ln-midpoint is ~7,746
        assert_eq!(c.assign(8_000, None).class, 1);
        assert_eq!(c.assign(0, None).class, 0);
    }

    #[test]
    fn bounds_are_inclusive_upper_limits() {
        let c = ClassRules::new(Rule::Bounds(vec![4_000]), &[1, 2]);
        assert_eq!(c.assign(4_000, None).class, 0);
        assert_eq!(c.assign(4_001, None).class, 1);
    }

    #[test]
    fn an_unknown_field_value_falls_back_to_the_heuristic() {
        let values = BTreeMap::from([("search".to_string(), 1)]);
        let c = ClassRules::new(
            Rule::Field {
                field: "feature".into(),
                values,
            },
            &[1_000, 50_000],
        );
        assert_eq!(
            c.assign(10, Some("search")),
            Assigned {
                class: 1,
                fell_back: false
            }
        );
        assert_eq!(
            c.assign(10, Some("chat")),
            Assigned {
                class: 0,
                fell_back: true
            }
        );
    }
}
