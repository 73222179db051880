use std::fmt;

use bigdecimal::BigDecimal;
use bigdecimal::num_bigint::{BigInt, Sign};
use bigdecimal::{ToPrimitive, Zero};

/// Most significant decimal digits a parsed number may carry. HCL numbers have 512-bit precision
/// (about 155 digits) and an exact f64 needs at most 767, so this only stops abusive input from
/// making big-integer parsing quadratic.
const MAX_SIGNIFICANT_DIGITS: usize = 10_000;
/// Largest decimal exponent (either sign) of a parsed number, so that printing it without an
/// exponent, as go-cty does, stays bounded.
const MAX_DECIMAL_EXPONENT: i64 = 100_000;

/// An arbitrary-precision cty number. HCL parses literals at 512-bit precision and sends the ones
/// an f64 cannot hold as decimal strings, so numbers are never squeezed through i64 or f64.
///
/// Finite numbers are exact decimals: a float64 received on the wire becomes its exact decimal
/// expansion, so it is sent back as the very same float64.
#[derive(Debug, Clone)]
pub enum Number {
    Finite(BigDecimal),
    PosInfinity,
    NegInfinity,
}

impl Number {
    pub fn is_integer(&self) -> bool {
        matches!(self, Number::Finite(d) if d.is_integer())
    }

    pub fn to_i64(&self) -> Option<i64> {
        match self {
            Number::Finite(d) if d.is_integer() => d.to_i64(),
            _ => None,
        }
    }

    pub fn to_u64(&self) -> Option<u64> {
        match self {
            Number::Finite(d) if d.is_integer() => d.to_u64(),
            _ => None,
        }
    }

    /// Nearest f64 (lossy).
    pub fn to_f64(&self) -> Option<f64> {
        match self {
            Number::Finite(d) => scientific_text(d).parse::<f64>().ok(),
            Number::PosInfinity => Some(f64::INFINITY),
            Number::NegInfinity => Some(f64::NEG_INFINITY),
        }
    }

    /// The f64 equal to this number, if there is one (infinities included).
    pub fn to_exact_f64(&self) -> Option<f64> {
        match self {
            Number::PosInfinity => Some(f64::INFINITY),
            Number::NegInfinity => Some(f64::NEG_INFINITY),
            Number::Finite(d) => {
                let (digits, scale) = normalized_parts(d);
                // An exact f64 has at most 767 significant digits, at most 1074 fractional digits
                // and magnitude below 2^1024 (about 1.8e308).
                let digit_count = digits.magnitude().to_string().len() as i64;
                if digit_count > 800 || scale > 1074 || digit_count - scale > 309 {
                    return None;
                }
                let candidate = format!("{digits}e{}", -scale).parse::<f64>().ok()?;
                (candidate.is_finite() && exact_decimal_of_f64(candidate) == *d).then_some(candidate)
            }
        }
    }

    /// A number for a value that came from an API or a calculation as f64. Uses the shortest
    /// decimal that round-trips (0.1f64 becomes 0.1), which is what a user would write in
    /// configuration; use [`Number::from_f64_exact`] to keep the binary value instead.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            None
        } else if f == f64::INFINITY {
            Some(Number::PosInfinity)
        } else if f == f64::NEG_INFINITY {
            Some(Number::NegInfinity)
        } else {
            Number::parse(&format!("{f:?}"))
        }
    }

    /// The exact value of an f64 (0.1f64 becomes 0.1000000000000000055511151231257827...), as
    /// go-cty's `NumberFloatVal` keeps it. `None` for NaN.
    pub fn from_f64_exact(f: f64) -> Option<Number> {
        if f.is_nan() {
            None
        } else if f == f64::INFINITY {
            Some(Number::PosInfinity)
        } else if f == f64::NEG_INFINITY {
            Some(Number::NegInfinity)
        } else {
            Some(Number::Finite(exact_decimal_of_f64(f)))
        }
    }

    /// Parses cty's number syntax as go-cty's `ParseNumberVal` does (`"12"`, `"-0.5"`, `"1e3"`,
    /// `".5"`, `"+Inf"`). Surrounding whitespace is ignored. `None` for anything else, and for
    /// numbers too long or too large to handle sensibly (more than 10 000 significant digits or a
    /// decimal exponent beyond ±100 000).
    pub fn parse(s: &str) -> Option<Number> {
        let s = s.trim();
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
            return Some(if negative { Number::NegInfinity } else { Number::PosInfinity });
        }
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
            return None;
        }
        let exponent: i64 = match exponent {
            None => 0,
            Some(e) => {
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !all_digits(digits) {
                    return None;
                }
                // Saturate: a huge exponent is rejected below unless the mantissa is zero.
                let magnitude = digits.parse::<i64>().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
                if e.starts_with('-') { -magnitude } else { magnitude }
            }
        };
        let joined: String = [int_part, frac_part].concat();
        let significant = joined.trim_start_matches('0');
        let trimmed = significant.trim_end_matches('0');
        if trimmed.is_empty() {
            return Some(Number::Finite(BigDecimal::zero()));
        }
        if trimmed.len() > MAX_SIGNIFICANT_DIGITS {
            return None;
        }
        let trailing_zeros = (significant.len() - trimmed.len()) as i64;
        // value = trimmed * 10^(exponent - frac_len + trailing_zeros)
        let power = exponent - frac_part.len() as i64 + trailing_zeros;
        let magnitude_exponent = power + trimmed.len() as i64;
        if !(-MAX_DECIMAL_EXPONENT..=MAX_DECIMAL_EXPONENT).contains(&power) || magnitude_exponent > MAX_DECIMAL_EXPONENT
        {
            return None;
        }
        let digits = BigInt::parse_bytes(trimmed.as_bytes(), 10)?;
        let digits = if negative { -digits } else { digits };
        Some(Number::Finite(BigDecimal::new(digits, -power)))
    }
}

/// Digits without trailing zeros and the matching scale (value = digits × 10^-scale).
fn normalized_parts(d: &BigDecimal) -> (BigInt, i64) {
    let (digits, scale) = d.as_bigint_and_exponent();
    if digits.is_zero() {
        return (digits, 0);
    }
    let text = digits.magnitude().to_string();
    let trimmed = text.trim_end_matches('0');
    let trailing_zeros = (text.len() - trimmed.len()) as i64;
    if trailing_zeros == 0 {
        return (digits, scale);
    }
    let magnitude = BigInt::parse_bytes(trimmed.as_bytes(), 10).unwrap_or_default();
    let digits = if digits.sign() == Sign::Minus { -magnitude } else { magnitude };
    (digits, scale - trailing_zeros)
}

/// `digits e exponent` text, cheap even for very large or small magnitudes.
fn scientific_text(d: &BigDecimal) -> String {
    let (digits, scale) = d.as_bigint_and_exponent();
    format!("{digits}e{}", -scale)
}

/// The exact decimal value of a finite f64: mantissa × 2^exponent, where a negative power of two
/// is written as mantissa × 5^k / 10^k.
fn exact_decimal_of_f64(f: f64) -> BigDecimal {
    let bits = f.to_bits();
    let negative = bits >> 63 == 1;
    let biased_exponent = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1u64 << 52) - 1);
    let (mantissa, exponent) =
        if biased_exponent == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), biased_exponent - 1075) };
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    let mantissa = BigInt::from_biguint(sign, mantissa.into());
    let value = if exponent >= 0 {
        BigDecimal::new(mantissa << (exponent as usize), 0)
    } else {
        let k = (-exponent) as u32;
        BigDecimal::new(mantissa * BigInt::from(5).pow(k), i64::from(k))
    };
    let (digits, scale) = normalized_parts(&value);
    BigDecimal::new(digits, scale)
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Finite(a), Number::Finite(b)) => a == b,
            (Number::PosInfinity, Number::PosInfinity) | (Number::NegInfinity, Number::NegInfinity) => true,
            _ => false,
        }
    }
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Number::Finite(BigDecimal::from(n))
    }
}
impl From<i32> for Number {
    fn from(n: i32) -> Self {
        Number::Finite(BigDecimal::from(n))
    }
}
impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number::Finite(BigDecimal::from(n))
    }
}
impl From<u32> for Number {
    fn from(n: u32) -> Self {
        Number::Finite(BigDecimal::from(n))
    }
}
impl From<BigDecimal> for Number {
    fn from(d: BigDecimal) -> Self {
        Number::Finite(d)
    }
}

impl fmt::Display for Number {
    /// Plain decimal text without exponent and without trailing zeros, as Go's
    /// `big.Float.Text('f', -1)` prints cty numbers (`1e3` → `1000`, `2.50` → `2.5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Finite(d) => {
                let (digits, scale) = normalized_parts(d);
                let text = digits.magnitude().to_string();
                if digits.sign() == Sign::Minus {
                    f.write_str("-")?;
                }
                if scale <= 0 {
                    f.write_str(&text)?;
                    for _ in 0..-scale {
                        f.write_str("0")?;
                    }
                    Ok(())
                } else {
                    let scale = scale as usize;
                    if text.len() > scale {
                        let (int_part, frac_part) = text.split_at(text.len() - scale);
                        write!(f, "{int_part}.{frac_part}")
                    } else {
                        f.write_str("0.")?;
                        for _ in 0..scale - text.len() {
                            f.write_str("0")?;
                        }
                        f.write_str(&text)
                    }
                }
            }
            Number::PosInfinity => f.write_str("+Inf"),
            Number::NegInfinity => f.write_str("-Inf"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn display_is_plain_decimal_without_trailing_zeros() {
        for (input, shown) in [
            ("0", "0"),
            ("-0", "0"),
            ("0.000", "0"),
            ("1e3", "1000"),
            ("1E3", "1000"),
            ("2.50", "2.5"),
            ("-2.50", "-2.5"),
            ("1e-30", "0.000000000000000000000000000001"),
            ("123.456e2", "12345.6"),
            (".5", "0.5"),
            ("5.", "5"),
            ("+7", "7"),
            ("00012.3400", "12.34"),
            ("-0.001", "-0.001"),
            ("18446744073709551616", "18446744073709551616"),
            ("inf", "+Inf"),
            ("-Inf", "-Inf"),
        ] {
            assert_eq!(n(input).to_string(), shown, "{input}");
        }
    }

    #[test]
    fn parse_rejects_non_numbers_and_absurd_sizes() {
        for bad in ["", "-", ".", "e3", "1e", "1e+", "abc", "1.2.3", "0x10", "1_000", "NaN", "1 2", "--1", "1e3.5"] {
            assert!(Number::parse(bad).is_none(), "{bad:?} should not parse");
        }
        assert!(Number::parse("1e100001").is_none());
        assert!(Number::parse("1e-100001").is_none());
        assert!(Number::parse(&"7".repeat(10_001)).is_none());
        // Zero with any exponent is still zero.
        assert_eq!(n("0e999999999999999999999"), Number::from(0));
    }

    #[test]
    fn equality_ignores_scale() {
        assert_eq!(n("1.50"), n("1.5"));
        assert_eq!(n("1e2"), Number::from(100));
        assert_ne!(n("1"), Number::PosInfinity);
    }

    #[test]
    fn exact_f64_detection() {
        assert_eq!(n("1.5").to_exact_f64(), Some(1.5));
        assert_eq!(n("0.1").to_exact_f64(), None);
        assert_eq!(n("9223372036854775808").to_exact_f64(), Some(9223372036854775808.0));
        assert_eq!(n("9223372036854775809").to_exact_f64(), None);
        assert_eq!(n("1e400").to_exact_f64(), None);
        assert_eq!(n("1e-400").to_exact_f64(), None);
        let tiny = Number::from_f64_exact(f64::from_bits(1)).unwrap_or(Number::PosInfinity);
        assert_eq!(tiny.to_exact_f64(), Some(f64::from_bits(1)));
        let max = Number::from_f64_exact(f64::MAX).unwrap_or(Number::PosInfinity);
        assert_eq!(max.to_exact_f64(), Some(f64::MAX));
    }

    #[test]
    fn from_f64_shortest_versus_exact() {
        assert_eq!(Number::from_f64(0.1).map(|x| x.to_string()).as_deref(), Some("0.1"));
        assert_eq!(
            Number::from_f64_exact(0.1).map(|x| x.to_string()).as_deref(),
            Some("0.1000000000000000055511151231257827021181583404541015625")
        );
        assert_eq!(Number::from_f64_exact(-2.0).map(|x| x.to_string()).as_deref(), Some("-2"));
        assert!(Number::from_f64(f64::NAN).is_none());
        assert_eq!(Number::from_f64(f64::NEG_INFINITY), Some(Number::NegInfinity));
    }

    #[test]
    fn integer_conversions() {
        assert_eq!(n("42.0").to_i64(), Some(42));
        assert_eq!(n("42.5").to_i64(), None);
        assert_eq!(n("18446744073709551615").to_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551615").to_i64(), None);
        assert_eq!(n("0.25").to_f64(), Some(0.25));
    }
}
