//! Units of money and price. Exact billing uses integer picodollars so that a
//! request priced by hand and by `cost` agree to the last digit; expectations
//! over traffic mixes (shares, volumes, probabilities) are `Usd` floats.
//! Nothing here knows about files or the terminal.

use std::fmt;
use std::ops::{Add, AddAssign, Mul, Sub};

/// Picodollars in one US dollar.
const PICO_PER_USD: f64 = 1e12;

/// An exact amount of money in picodollars (1e-12 USD).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i128);

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest per-request fee a sheet may state ($1,000,000): far above
    /// any published fee, and small enough that no sum of bills overflows.
    pub const MAX_FEE: Money = Money(1_000_000 * 1_000_000_000_000);

    pub const fn from_picos(picos: i128) -> Money {
        Money(picos)
    }

    pub const fn picos(self) -> i128 {
        self.0
    }

    /// Parses a dollar amount given with at most 12 decimals (e.g. a per-request fee).
    pub fn from_usd(usd: f64) -> Option<Money> {
        exact_scaled(usd, PICO_PER_USD).map(Money)
    }

    pub fn usd(self) -> Usd {
        Usd(self.0 as f64 / PICO_PER_USD)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl fmt::Display for Money {
    /// Full precision: the exact dollar amount with trailing zeros trimmed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; MONEY_TEXT_MAX];
        f.write_str(self.write_to(&mut buf))
    }
}

/// The longest `Money` as text: a sign, 27 digits of dollars, the point
/// and 12 digits of picodollars.
const MONEY_TEXT_MAX: usize = 41;

impl Money {
    /// The amount as `Display` writes it, in `buf`: digit by digit, without
    /// an allocation or the formatting machinery, and with 64-bit division
    /// for any amount under $18 million (the gateway writes several of them
    /// for every request).
    fn write_to(self, buf: &mut [u8; MONEY_TEXT_MAX]) -> &str {
        const PICOS: u64 = 1_000_000_000_000;
        let abs = self.0.unsigned_abs();
        let (mut whole, frac) = match u64::try_from(abs) {
            Ok(small) => (u128::from(small / PICOS), small % PICOS),
            Err(_) => (abs / u128::from(PICOS), (abs % u128::from(PICOS)) as u64),
        };
        // Filled from the end: the picodollars (twelve digits, trailing
        // zeros cut, after a point), then the dollars, then the sign.
        let mut at = buf.len();
        if frac != 0 {
            let mut rest = frac;
            let mut significant = false;
            for _ in 0..12 {
                let d = (rest % 10) as u8;
                rest /= 10;
                significant |= d != 0;
                if significant {
                    at -= 1;
                    buf[at] = b'0' + d;
                }
            }
            at -= 1;
            buf[at] = b'.';
        }
        loop {
            at -= 1;
            buf[at] = b'0' + (whole % 10) as u8;
            whole /= 10;
            if whole == 0 {
                break;
            }
        }
        if self.0 < 0 {
            at -= 1;
            buf[at] = b'-';
        }
        std::str::from_utf8(&buf[at..]).expect("ASCII digits")
    }
}

/// An expected or aggregated amount in US dollars (a float: shares and
/// volumes make exactness meaningless here).
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Usd(pub f64);

impl Usd {
    pub const ZERO: Usd = Usd(0.0);

    pub fn value(self) -> f64 {
        self.0
    }

    /// The amount rounded to the picodollar, as exact money: how a float
    /// expectation is written out (no binary noise such as
    /// `0.027200000000000002`). `None` when it is not finite or too large to hold.
    pub fn to_money(self) -> Option<Money> {
        let picos = self.0 * PICO_PER_USD;
        (picos.is_finite() && picos.abs() < 1e36).then(|| Money(picos.round() as i128))
    }
}

impl Add for Usd {
    type Output = Usd;
    fn add(self, rhs: Usd) -> Usd {
        Usd(self.0 + rhs.0)
    }
}

impl AddAssign for Usd {
    fn add_assign(&mut self, rhs: Usd) {
        self.0 += rhs.0;
    }
}

impl Sub for Usd {
    type Output = Usd;
    fn sub(self, rhs: Usd) -> Usd {
        Usd(self.0 - rhs.0)
    }
}

impl Mul<f64> for Usd {
    type Output = Usd;
    fn mul(self, rhs: f64) -> Usd {
        Usd(self.0 * rhs)
    }
}

impl std::iter::Sum for Usd {
    fn sum<I: Iterator<Item = Usd>>(iter: I) -> Usd {
        iter.fold(Usd::ZERO, Add::add)
    }
}

/// A token price, stored exactly as picodollars per token, which is the same
/// number as micro-dollars per 1M tokens. Price sheets state USD per 1M tokens
/// with at most six decimals, so every published price is representable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(u64);

impl Rate {
    pub const ZERO: Rate = Rate(0);

    /// The largest price a sheet may state: $1,000,000 per 1M tokens.
    pub const MAX_USD_PER_MILLION: f64 = 1e6;

    /// `usd_per_million` must be non-negative, at most `MAX_USD_PER_MILLION`,
    /// with at most six decimals.
    pub fn per_million(usd_per_million: f64) -> Option<Rate> {
        if !(0.0..=Self::MAX_USD_PER_MILLION).contains(&usd_per_million) {
            return None;
        }
        exact_scaled(usd_per_million, 1e6)
            .and_then(|p| u64::try_from(p).ok())
            .map(Rate)
    }

    /// Picodollars per token (the same number as micro-dollars per 1M tokens).
    pub fn picos_per_token(self) -> i128 {
        i128::from(self.0)
    }

    pub fn usd_per_million(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// Scales the price (a service-tier multiplier), rounded to the nearest
    /// micro-dollar per 1M tokens.
    pub fn scaled(self, factor: f64) -> Rate {
        // Saturates rather than wraps; multipliers are validated as small positive numbers.
        Rate((self.0 as f64 * factor).round().clamp(0.0, u64::MAX as f64) as u64)
    }

    /// The exact price of `tokens` tokens at this rate.
    pub fn cost(self, tokens: u64) -> Money {
        Money(i128::from(self.0) * i128::from(tokens))
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Money::from_picos(i128::from(self.0) * 1_000_000).fmt(f)
    }
}

/// `value * scale` as an integer, if `value` has no more precision than the
/// scale holds (tolerating binary floating-point noise).
fn exact_scaled(value: f64, scale: f64) -> Option<i128> {
    if !value.is_finite() {
        return None;
    }
    let scaled = value * scale;
    let rounded = scaled.round();
    // Relative tolerance for binary noise only: a value finer than the scale
    // (0.0000000001 USD per 1M tokens) is rejected, never rounded to zero.
    let tolerance = 1e-6 * rounded.abs().max(1.0);
    if (scaled - rounded).abs() > tolerance || rounded.abs() >= 1e36 {
        return None;
    }
    Some(rounded as i128)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_exactly_from_per_million_prices() {
        assert_eq!(
            Rate::per_million(2.5).unwrap().cost(8_000).to_string(),
            "0.02"
        );
        assert_eq!(Rate::per_million(0.075).unwrap(), Rate(75_000));
        assert_eq!(Rate::per_million(3.125).unwrap(), Rate(3_125_000));
        assert_eq!(
            Rate::per_million(1.1).unwrap().cost(1).to_string(),
            "0.0000011"
        );
    }

    #[test]
    fn rates_reject_negative_and_over_precise_prices() {
        assert!(Rate::per_million(-1.0).is_none());
        assert!(Rate::per_million(0.000_000_1).is_none());
        assert!(
            Rate::per_million(0.000_000_000_1).is_none(),
            "finer than the resolution: an error, not $0"
        );
        assert!(Rate::per_million(0.000_000_4).is_none());
        assert!(Rate::per_million(f64::INFINITY).is_none());
        assert!(Money::from_usd(1e30).is_none_or(|m| m > Money::MAX_FEE));
        assert!(Rate::per_million(f64::NAN).is_none());
        assert!(
            Rate::per_million(2e13).is_none(),
            "too large to hold: an error, not a wrapped price"
        );
    }

    #[test]
    fn money_displays_full_precision() {
        assert_eq!(Money::from_picos(515_002_500_000).to_string(), "0.5150025");
        assert_eq!(Money::from_picos(-1_500_000_000_000).to_string(), "-1.5");
        assert_eq!(Money::ZERO.to_string(), "0");
        assert_eq!(Money::from_picos(7).to_string(), "0.000000000007");
        assert_eq!(
            Money::from_picos(i128::MIN).to_string().len(),
            MONEY_TEXT_MAX
        );
    }

    /// How `Display` wrote amounts before it wrote digits itself.
    fn written_with_format(m: Money) -> String {
        let sign = if m.0 < 0 { "-" } else { "" };
        let abs = m.0.unsigned_abs();
        let (whole, frac) = (abs / 1_000_000_000_000, abs % 1_000_000_000_000);
        if frac == 0 {
            return format!("{sign}{whole}");
        }
        let digits = format!("{frac:012}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }

    proptest::proptest! {
        #[test]
        fn money_displays_as_format_would(picos in proptest::prelude::any::<i128>(), small in -10_i128.pow(20)..10_i128.pow(20)) {
            for m in [Money::from_picos(picos), Money::from_picos(small)] {
                proptest::prop_assert_eq!(m.to_string(), written_with_format(m));
            }
        }
    }

    #[test]
    fn float_expectations_are_written_without_binary_noise() {
        assert_eq!(
            Usd(0.027_200_000_000_000_002)
                .to_money()
                .unwrap()
                .to_string(),
            "0.0272"
        );
        assert_eq!(
            Usd(3_536.799_999_999_999_7).to_money().unwrap().to_string(),
            "3536.8"
        );
        assert!(Usd(f64::NAN).to_money().is_none());
        assert!(Usd(f64::INFINITY).to_money().is_none());
        assert!(Usd(1e30).to_money().is_none());
    }

    #[test]
    fn scaling_a_rate_rounds_to_a_micro_dollar_per_million() {
        assert_eq!(Rate::per_million(0.075).unwrap().scaled(0.5), Rate(37_500));
    }
}
