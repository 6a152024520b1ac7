//! Numbers as a person reads them: dollars, per-million prices and counts;
//! and outside text made safe to print (`printable`, `clip`).
//! Table and Markdown renderers use these, and so do messages in every layer
//! (a budget in an error, a volume in a note). CSV and JSON never do: they
//! carry exact values.

/// Dollars: cents for amounts of a dollar or more, four significant digits
/// below; rounded half away from zero on the amount's exact decimal (to
/// the picodollar), so binary noise never shows: $2.675 is `$2.68`, and
/// 0.0009999999999999998 is `$0.001000`, not `$0.0010000`.
pub fn usd(v: f64) -> String {
    const PER_USD: i128 = 1_000_000_000_000;
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    let Some(picos) = crate::money::Usd(a)
        .to_money()
        .map(crate::money::Money::picos)
    else {
        return format!("{sign}${}", thousands(a, 2));
    };
    let round = |p: i128, decimals: u32| -> i128 {
        let unit = 10i128.pow(12 - decimals);
        (p + unit / 2) / unit * unit
    };
    let small = picos < PER_USD && picos > 0;
    let decimals = if small {
        // Four significant digits: the first is at 10^(digits - 13) dollars.
        let digits = picos.to_string().len() as u32;
        let d = (16u32.saturating_sub(digits)).clamp(2, 12);
        // Rounding up to the next power of ten takes one digit fewer.
        let r = round(picos, d);
        if r >= PER_USD {
            2
        } else if r.to_string().len() as u32 > digits {
            (d - 1).max(2)
        } else {
            d
        }
    } else {
        2
    };
    let p = round(picos, decimals);
    let frac = p % PER_USD / 10i128.pow(12 - decimals);
    let whole = thousands((p / PER_USD) as f64, 0);
    format!("{sign}${whole}.{frac:0width$}", width = decimals as usize)
}

pub fn significant(v: f64, digits: i32) -> String {
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

pub fn trimmed(v: f64, max: usize, min: usize) -> String {
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

pub fn thousands(v: f64, decimals: usize) -> String {
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

/// Dollars in a sentence or title, without `$` or separators: cents, or
/// four decimals below a dollar (`12.50`, `0.0012`).
pub fn plain_usd(v: f64) -> String {
    if v.abs() < 1.0 {
        format!("{v:.4}")
    } else {
        format!("{v:.2}")
    }
}

/// A signed dollar change, e.g. `+$12.00` or `-$3.50`.
pub fn signed_usd(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", usd(v))
    } else {
        usd(v)
    }
}

/// A price per 1M tokens with every decimal it has (at least two), e.g. `$0.0375`.
pub fn usd_per_million(v: f64) -> String {
    format!("${}", trimmed(v, 6, 2))
}

/// Text from outside (log fields, model ids, paths) as it may reach a
/// terminal: every control character (ESC, BEL, CR, NUL, DEL, the C1 range)
/// and bidirectional override is shown as a `\u{..}` escape, so no escape
/// sequence in a log can move the cursor, retitle the window or hide text.
/// Line feeds are kept when `keep_newlines` (multi-line messages).
pub fn printable(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(keep_newlines && c == '\n'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// At most `max` characters of `s`; longer text ends with `…` and how much
/// was left out, so a message never echoes megabytes of input.
pub fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((cut, _)) => {
            std::borrow::Cow::Owned(format!("{}… ({} more bytes)", &s[..cut], s.len() - cut))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_keep_four_significant_digits_below_one() {
        assert_eq!(usd(0.033), "$0.03300");
        assert_eq!(usd(0.000_255), "$0.0002550");
        assert_eq!(usd(1234.567), "$1,234.57");
        assert_eq!(usd(-42.5), "-$42.50");
        assert_eq!(usd(0.0), "$0.00");
        // The exact decimal is rounded, not the binary neighbour below it,
        // and noise under a power of ten does not add a digit.
        assert_eq!(usd(2.675), "$2.68");
        assert_eq!(usd(0.1 + 0.2), "$0.3000");
        assert_eq!(usd(0.000_999_999_999_999_999_8), "$0.001000");
        assert_eq!(usd(0.999_96), "$1.00");
        assert_eq!(usd(0.000_000_000_001), "$0.000000000001");
    }

    #[test]
    fn plain_dollars_round_to_cents_above_a_dollar() {
        assert_eq!(plain_usd(0.001_234_5), "0.0012");
        assert_eq!(plain_usd(12.5), "12.50");
    }

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed_usd(12.0), "+$12.00");
        assert_eq!(signed_usd(-3.5), "-$3.50");
        assert_eq!(signed_usd(0.0), "$0.00");
    }

    #[test]
    fn per_million_prices_show_their_precision() {
        assert_eq!(usd_per_million(2.5), "$2.50");
        assert_eq!(usd_per_million(0.0375), "$0.0375");
        assert_eq!(usd_per_million(3.0), "$3.00");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(
            printable("a\u{1b}]0;pwned\u{7}b", false),
            "a\\u{1b}]0;pwned\\u{7}b"
        );
        assert_eq!(printable("x\ry\u{9b}", false), "x\\u{d}y\\u{9b}");
        assert_eq!(printable("rtl\u{202e}txt", false), "rtl\\u{202e}txt");
        assert_eq!(printable("line\nnext", true), "line\nnext");
        assert_eq!(printable("line\nnext", false), "line\\u{a}next");
        assert_eq!(printable("gpt-4o ✓", false), "gpt-4o ✓");
    }

    #[test]
    fn long_text_is_clipped_with_an_ellipsis() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdef", 3), "abc… (3 more bytes)");
        assert_eq!(clip("ééé", 1), "é… (4 more bytes)");
    }
}
