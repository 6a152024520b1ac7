//! The optional `[budget]` of a scenario: a limit that always carries its
//! unit (`usd_per_month` or `usd_per_day`) and, optionally, the one plan it
//! binds. A bare number is rejected: "5000" per what?

use super::model::{Budget, BudgetLimit, Plan};
use crate::money::Usd;
use crate::source::{KeyPath, Problem};

const UNITS_HINT: &str =
    "write `[budget]` with `usd_per_month = 5000` or `usd_per_day = 200` (and optionally `plan = \"routed\"`)";

pub fn build(value: &toml::Value, plans: &[Plan]) -> Result<Budget, Problem> {
    let at = KeyPath::root().key("budget");
    let table = value.as_table().ok_or_else(|| {
        Problem::new(
            at.clone(),
            format!("a budget needs a unit, but `budget = {value}` has none"),
        )
        .hint(UNITS_HINT)
    })?;
    for key in table.keys() {
        if !matches!(key.as_str(), "usd_per_month" | "usd_per_day" | "plan") {
            return Err(
                Problem::new(at.key(key), format!("unknown budget key `{key}`")).hint(UNITS_HINT),
            );
        }
    }
    let amount = |key: &str| -> Result<Option<Usd>, Problem> {
        let Some(v) = table.get(key) else {
            return Ok(None);
        };
        let usd = v
            .as_float()
            .or_else(|| v.as_integer().map(|i| i as f64))
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| {
                Problem::new(
                    at.key(key),
                    format!("{key} = {v} is not an amount of US dollars"),
                )
                .hint("a budget is a number of dollars, zero or more, e.g. 5000")
            })?;
        Ok(Some(Usd(usd)))
    };
    let limit = match (amount("usd_per_month")?, amount("usd_per_day")?) {
        (Some(m), None) => BudgetLimit::PerMonth(m),
        (None, Some(d)) => BudgetLimit::PerDay(d),
        (Some(_), Some(_)) => {
            return Err(Problem::new(
                at.key("usd_per_day"),
                "give one of `usd_per_month` and `usd_per_day`, not both",
            ))
        }
        (None, None) => {
            return Err(Problem::new(at, "the budget has no amount").hint(UNITS_HINT));
        }
    };
    let plan = match table.get("plan") {
        None => None,
        Some(toml::Value::String(name)) if plans.iter().any(|p| &p.name == name) => {
            Some(name.clone())
        }
        Some(other) => {
            let known: Vec<&str> = plans.iter().map(|p| p.name.as_str()).collect();
            return Err(Problem::new(
                at.key("plan"),
                format!("budget plan {other} is not a plan of this scenario"),
            )
            .hint(format!(
                "{}name one of: {}",
                other.as_str().map_or_else(String::new, |name| {
                    crate::suggest::did_you_mean(&crate::suggest::closest(
                        name,
                        known.iter().copied(),
                        3,
                    ))
                }),
                known.join(", ")
            )));
        }
    };
    Ok(Budget { limit, plan })
}

impl BudgetLimit {
    /// The limit and the unit, for messages: `$5,000.00/month`.
    pub fn describe(self) -> String {
        match self {
            BudgetLimit::PerMonth(u) => format!("{}/month", crate::human::usd(u.value())),
            BudgetLimit::PerDay(u) => format!("{}/day", crate::human::usd(u.value())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::PlanKind;

    fn plans() -> Vec<Plan> {
        vec![Plan {
            name: "routed".into(),
            description: None,
            kind: PlanKind::Single("m".into()),
            tier: None,
        }]
    }

    fn parse(text: &str) -> Result<Budget, Problem> {
        let doc: toml::Table = toml::from_str(text).unwrap();
        build(&doc["budget"], &plans())
    }

    #[test]
    fn a_budget_states_its_unit() {
        let b = parse("[budget]\nusd_per_month = 5000\nplan = \"routed\"").unwrap();
        assert_eq!(b.limit, BudgetLimit::PerMonth(Usd(5000.0)));
        assert_eq!(b.plan.as_deref(), Some("routed"));
        let d = parse("[budget]\nusd_per_day = 200.5").unwrap();
        assert_eq!(d.limit, BudgetLimit::PerDay(Usd(200.5)));
    }

    #[test]
    fn a_budget_without_a_unit_is_an_error() {
        let err = parse("budget = 5000").unwrap_err();
        assert!(err.message.contains("needs a unit"), "{err:?}");
        assert!(parse("[budget]\namount = 5000").is_err());
        assert!(parse("[budget]\nusd_per_month = -1").is_err());
        assert!(parse("[budget]\nusd_per_month = 1\nusd_per_day = 1").is_err());
        assert!(parse("[budget]\nusd_per_month = 1\nplan = \"nope\"").is_err());
    }
}
