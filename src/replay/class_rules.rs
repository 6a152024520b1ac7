//! Assigning each logged request to a scenario class, so that a plan can
//! route it. Three rules:
//!
//! - by a field: the field's value names the class (optionally through a
//!   map of values to class names);
//! - by prompt-size bounds, ascending: k bounds make k+1 classes in the
//!   scenario's order (prompt <= first bound -> the first class, and so on);
//! - otherwise the documented heuristic: the class whose `prompt` size is
//!   nearest to the request's prompt on a log scale (|ln p - ln p_k|;
//!   ties go to the earlier class). It uses only what a log always has.
//!
//! A field value that names no class falls back to the heuristic, and the
//! report counts how often.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::scenario::Scenario;

/// How the user asked requests to be assigned to classes, before it is
/// checked against a scenario's classes.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassChoice {
    /// The value of `field` names the class, or is mapped to one.
    Field {
        field: String,
        map: Vec<ClassMapEntry>,
    },
    /// Ascending prompt-size bounds.
    Bounds(Vec<u64>),
    /// The prompt-size heuristic.
    Nearest,
}

/// `VALUE=CLASS`: a field value that means a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassMapEntry {
    pub value: String,
    pub class: String,
}

impl FromStr for ClassMapEntry {
    type Err = String;

    fn from_str(text: &str) -> Result<ClassMapEntry, String> {
        let (value, class) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}`: expected VALUE=CLASS"))?;
        Ok(ClassMapEntry {
            value: value.trim().to_string(),
            class: class.trim().to_string(),
        })
    }
}

impl fmt::Display for ClassMapEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.value, self.class)
    }
}

/// A class choice that does not fit the scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClassRuleError {
    #[error("scenario `{scenario}` has no class `{}` (its classes: {})", .entry.class, .classes.join(", "))]
    NoClass {
        entry: ClassMapEntry,
        scenario: String,
        classes: Vec<String>,
    },
    #[error("need {} ascending bounds for the {} classes of `{scenario}` ({})", .classes.len().saturating_sub(1), .classes.len(), .classes.join(", "))]
    Bounds {
        scenario: String,
        classes: Vec<String>,
    },
}

impl ClassChoice {
    /// The rules this choice means for `scenario`'s classes.
    pub fn rules(&self, scenario: &Scenario) -> Result<ClassRules, ClassRuleError> {
        let classes: Vec<String> = scenario.classes.iter().map(|c| c.name.clone()).collect();
        let rule = match self {
            ClassChoice::Field { field, map } => {
                let mut values: BTreeMap<String, usize> = classes
                    .iter()
                    .enumerate()
                    .map(|(k, c)| (c.clone(), k))
                    .collect();
                for entry in map {
                    let Some(k) = scenario.class_index(&entry.class) else {
                        return Err(ClassRuleError::NoClass {
                            entry: entry.clone(),
                            scenario: scenario.name.clone(),
                            classes,
                        });
                    };
                    values.insert(entry.value.clone(), k);
                }
                Rule::Field {
                    field: field.clone(),
                    values,
                }
            }
            ClassChoice::Bounds(bounds) => {
                if bounds.len() + 1 != classes.len() || !bounds.is_sorted() {
                    return Err(ClassRuleError::Bounds {
                        scenario: scenario.name.clone(),
                        classes,
                    });
                }
                Rule::Bounds(bounds.clone())
            }
            ClassChoice::Nearest => Rule::Nearest,
        };
        let prompts: Vec<u64> = scenario
            .classes
            .iter()
            .map(|c| c.request.prompt())
            .collect();
        Ok(ClassRules::new(rule, &prompts))
    }
}

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
pub(crate) mod tests {
    use super::*;

    #[test]
    fn class_map_entries_parse_and_trim() {
        let e: ClassMapEntry = " search = hard ".parse().unwrap();
        assert_eq!((e.value.as_str(), e.class.as_str()), ("search", "hard"));
        assert_eq!(
            "nothing".parse::<ClassMapEntry>().unwrap_err(),
            "`nothing`: expected VALUE=CLASS"
        );
    }

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

    /// The built-in `default` scenario: classes `easy` and `hard`.
    pub(crate) fn default_scenario() -> (crate::pricing::Catalog, Scenario) {
        let catalog =
            crate::pricing::Catalog::from_sources(&crate::pricing::Catalog::builtin_sources())
                .unwrap();
        let source = crate::scenario::builtin("default").unwrap();
        let scenario = crate::scenario::load_scenario(&source, &catalog).unwrap();
        (catalog, scenario)
    }

    #[test]
    fn a_class_map_adds_to_the_class_names_and_must_name_a_class() {
        let (_, s) = default_scenario();
        let choice = ClassChoice::Field {
            field: "team".into(),
            map: vec!["search=hard".parse().unwrap()],
        };
        let rules = choice.rules(&s).unwrap();
        assert_eq!(rules.field(), Some("team"));
        assert_eq!(rules.assign(1, Some("search")).class, 1);
        assert_eq!(rules.assign(1, Some("easy")).class, 0);
        let wrong = ClassChoice::Field {
            field: "team".into(),
            map: vec!["search=nope".parse().unwrap()],
        };
        let err = wrong.rules(&s).unwrap_err().to_string();
        assert!(
            err.contains("has no class `nope` (its classes: easy, hard)"),
            "{err}"
        );
    }

    #[test]
    fn bounds_must_be_one_fewer_than_the_classes_and_ascending() {
        let (_, s) = default_scenario();
        assert!(ClassChoice::Bounds(vec![4_000]).rules(&s).is_ok());
        let err = ClassChoice::Bounds(vec![1, 2]).rules(&s).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("need 1 ascending bounds for the 2 classes"),
            "{err}"
        );
    }
}
