//! Human formatting of numbers for the table and Markdown renderers.

use super::{Kind, Value};
use crate::human::{printable, significant, thousands, usd, usd_per_million};

pub fn human(value: &Value, kind: Kind) -> String {
    match value {
        Value::Empty => "—".into(),
        Value::Text(s) => printable(s, false).into_owned(),
        Value::Bool(b) => match (kind, b) {
            (Kind::Flag, true) => "✓".into(),
            (Kind::Flag, false) => String::new(),
            (_, true) => "yes".into(),
            (_, false) => "no".into(),
        },
        Value::Count(n) => match kind {
            Kind::Usd => usd(*n as f64),
            _ => thousands(*n as f64, 0),
        },
        Value::Money(m) => number(m.usd().value(), kind),
        Value::Usd(u) => number(u.value(), kind),
        Value::Number(v) => number(*v, kind),
    }
}

fn number(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Usd => usd(v),
        Kind::UsdPerMillion => usd_per_million(v),
        Kind::Tokens => thousands(v, 0),
        Kind::Percent => format!("{:.1}%", v * 100.0),
        Kind::Rate => format!("{v:.3}"),
        Kind::Seconds => format!("~{v:.2} s"),
        Kind::Number | Kind::Text | Kind::Flag => significant(v, 4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_million_prices_show_their_precision() {
        assert_eq!(human(&Value::Number(2.5), Kind::UsdPerMillion), "$2.50");
        assert_eq!(
            human(&Value::Number(0.0375), Kind::UsdPerMillion),
            "$0.0375"
        );
    }

    #[test]
    fn counts_get_thousands_separators() {
        assert_eq!(human(&Value::Count(1_234_567), Kind::Tokens), "1,234,567");
    }
}
