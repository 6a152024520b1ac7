//! Human formatting of numbers for the table and Markdown renderers.

use super::{Kind, Value};

pub fn human(value: &Value, kind: Kind) -> String {
    match value {
        Value::Empty => "—".into(),
        Value::Text(s) => s.clone(),
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
        Value::Number(v) => number(*v, kind),
    }
}

fn number(v: f64, kind: Kind) -> String {
    match kind {
        Kind::Usd => usd(v),
        Kind::UsdPerMillion => format!("${}", trimmed(v, 6, 2)),
        Kind::Tokens => thousands(v, 0),
        Kind::Percent => format!("{:.1}%", v * 100.0),
        Kind::Rate => format!("{v:.3}"),
        Kind::Seconds => format!("~{v:.2} s"),
        Kind::Number | Kind::Text | Kind::Flag => significant(v, 4),
    }
}

/// Dollars: cents for amounts of a dollar or more, four significant digits below.
pub fn usd(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a >= 1.0 || a == 0.0 {
        format!("{sign}${}", thousands(a, 2))
    } else {
        let decimals = (3 - a.log10().floor() as i32).max(2) as usize;
        format!("{sign}${a:.decimals$}")
    }
}

fn significant(v: f64, digits: i32) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = (digits - 1 - magnitude).max(0) as usize;
    if v.abs() >= 1000.0 {
        thousands(v, 0)
    } else {
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

fn trimmed(v: f64, max: usize, min: usize) -> String {
    let s = format!("{v:.max$}");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut frac = frac.trim_end_matches('0').to_string();
    while frac.len() < min {
        frac.push('0');
    }
    format!("{whole}.{frac}")
}

/// A count with thousands separators, e.g. `10,000`.
pub fn human_count(v: f64) -> String {
    thousands(v, 0)
}

fn thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", v.abs());
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut out = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    if v < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_keep_four_significant_digits_below_one() {
        assert_eq!(usd(0.033), "$0.03300");
        assert_eq!(usd(0.000255), "$0.0002550");
        assert_eq!(usd(1234.567), "$1,234.57");
        assert_eq!(usd(-42.5), "-$42.50");
        assert_eq!(usd(0.0), "$0.00");
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
