//! Human formatting of numbers for the table and Markdown renderers, and
//! the one rule for plain numbers in CSV and JSON (`clean`).

use super::{Kind, Value};
use crate::human::{printable, significant, thousands, usd, usd_per_million};

/// Significant digits of a number that is not money in CSV and JSON.
pub const SIGNIFICANT: usize = 10;

/// A float that is not money (a share, seconds, an index, a rate), as CSV
/// and JSON write it: rounded to `SIGNIFICANT` significant digits, then in
/// its shortest form, so arithmetic noise never reaches a reader
/// (`0.1 + 0.2` is written `0.3`). Ten digits keep far more precision than
/// any input has, and drop the last few bits a sum or product disturbs.
pub fn clean(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v + 0.0;
    }
    format!("{:.*e}", SIGNIFICANT - 1, v).parse().unwrap_or(v)
}

pub fn human(value: &Value, kind: Kind) -> String {
    match value {
        Value::Empty => "—".into(),
        Value::Text(s) => printable(s, false).into_owned(),
        Value::Bool(b) => match (kind, b) {
            (Kind::Flag, true) => "✓".into(),
            (Kind::Flag, false) => String::new(),
            (Kind::Verdict, false) => "BREACH".into(),
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
        Kind::Number | Kind::Text | Kind::Flag | Kind::Verdict => significant(v, 4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Significant digits of a number as written (`0.0012` has 2).
    fn significant_digits(text: &str) -> usize {
        let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        // Trailing zeros are not counted (`622087495400.0` has 10).
        digits.trim_start_matches('0').trim_end_matches('0').len()
    }

    #[test]
    fn float_noise_is_cleaned() {
        assert_eq!(format!("{}", clean(0.1 + 0.2)), "0.3");
        assert_eq!(format!("{}", clean(0.975_000_000_000_000_1)), "0.975");
        assert_eq!(format!("{}", clean(-0.0)), "0");
        assert_eq!(format!("{}", clean(1.0 / 3.0)), "0.3333333333");
    }

    proptest! {
        #[test]
        fn clean_numbers_are_short_and_close(v in -1e12f64..1e12) {
            let c = clean(v);
            prop_assert!((c - v).abs() <= v.abs() * 1e-9);
            prop_assert!(significant_digits(&format!("{c}")) <= SIGNIFICANT, "{c}");
            let json = serde_json::Number::from_f64(c).map(|n| n.to_string()).unwrap_or_default();
            prop_assert!(significant_digits(&json) <= SIGNIFICANT, "{json}");
        }
    }

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
