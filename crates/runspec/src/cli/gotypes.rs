//! Go's number and duration syntaxes, as pflag reads typed flag values (`Int64Var` uses
//! `strconv.ParseInt(s, 0, 64)`, `DurationVar` uses `time.ParseDuration`).

/// `strconv.ParseInt(s, 0, 64)`: optional sign, then decimal, `0x` hex, `0o`/leading-`0`
/// octal or `0b` binary; `_` separators are allowed between digits when the base comes from a
/// prefix (as in Go, where base 0 permits them).
pub(crate) fn parse_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d, true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d, true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') {
        return None;
    }
    if digits.contains('_') && (!prefixed || digits.contains("__")) {
        return None;
    }
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(&clean, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// `time.ParseDuration`, in nanoseconds: `[-+]?` then one or more `<number><unit>` (`1h30m`,
/// `1.5s`, `300ms`), units `ns`, `us`/`µs`/`μs`, `ms`, `s`, `m`, `h`; `0` alone is allowed.
pub fn parse_duration(s: &str) -> Option<i128> {
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, after) = rest.split_at(num_len);
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let scale: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        let n: f64 = num.parse().ok()?;
        total += n * scale;
        rest = next;
    }
    // Go refuses durations beyond ±2^63 ns.
    if !total.is_finite() || total > 9.2e18 {
        return None;
    }
    let ns = total as i128;
    Some(if negative { -ns } else { ns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(parse_int("100"), Some(100));
        assert_eq!(parse_int("-1"), Some(-1));
        assert_eq!(parse_int("+5"), Some(5));
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("010"), Some(8));
        assert_eq!(parse_int("0o17"), Some(15));
        assert_eq!(parse_int("0b101"), Some(5));
        assert_eq!(parse_int("0"), Some(0));
        assert_eq!(parse_int("1_000"), None);
        assert_eq!(parse_int("0x1_000"), Some(4096));
        assert_eq!(parse_int("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("08"), None);
        assert_eq!(parse_int("1k"), None);
        assert_eq!(parse_int(&"9".repeat(200)), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("30s"), Some(30_000_000_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_duration("300ms"), Some(300_000_000));
        assert_eq!(parse_duration("-1s"), Some(-1_000_000_000));
        assert_eq!(parse_duration("10µs"), Some(10_000));
        for bad in ["", "10", "s", "1x", "1..2s", ".s", "9999999999999h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
