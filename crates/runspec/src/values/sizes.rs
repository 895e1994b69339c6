//! Byte sizes (go-units `RAMInBytes`) and CPU counts (docker/cli `opts.ParseCPUs`).

/// Parses a memory size as the Docker CLI and compose do (go-units `RAMInBytes`): a decimal
/// number, then an optional unit `b`, `k`, `m`, `g`, `t`, `p`, each optionally followed by `b`
/// or `ib`, case-insensitive, optionally separated from the number by one space. Multiples are
/// binary whatever the spelling (`1k` = `1kb` = `1KiB` = 1024). Fractions are truncated
/// (`32.3` → 32). Negative sizes are rejected.
pub fn parse_ram_bytes(s: &str) -> Result<i64, String> {
    let (num, sfx) = match s.split_once(' ') {
        Some((num, sfx)) => (num, sfx),
        None => {
            // No space: the suffix starts after the last digit or dot.
            let Some(sep) = s.rfind(|c: char| c.is_ascii_digit() || c == '.') else {
                return Err(format!("invalid size: '{s}'"));
            };
            // `sep` is the byte index of an ASCII char, so `sep + 1` is a char boundary.
            (&s[..sep + 1], &s[sep + 1..])
        }
    };
    let size = parse_go_float(num).ok_or_else(|| format!("invalid size: '{s}'"))?;
    if size < 0.0 {
        return Err(format!("invalid size: '{s}'"));
    }
    let multiplier = size_multiplier(sfx).ok_or_else(|| format!("invalid suffix: '{sfx}'"))?;
    let bytes = size * multiplier as f64;
    // Go converts with int64(…), undefined beyond the range; say so instead.
    // `bytes` is finite and non-negative here; 2^63 is the first value i64 cannot hold.
    if bytes >= 9_223_372_036_854_775_808.0 {
        return Err(format!("invalid size: '{s}' (too large)"));
    }
    Ok(bytes as i64)
}

/// `--memory-swap`: like [`parse_ram_bytes`], plus `-1` for unlimited swap.
pub fn parse_swap_bytes(s: &str) -> Result<i64, String> {
    if s == "-1" {
        return Ok(-1);
    }
    parse_ram_bytes(s)
}

/// The binary multiplier of a `RAMInBytes` suffix, `None` when the suffix is invalid.
fn size_multiplier(sfx: &str) -> Option<i64> {
    if sfx.is_empty() {
        return Some(1);
    }
    if sfx.len() > 3 {
        return None;
    }
    let lower = sfx.to_ascii_lowercase();
    let mut chars = lower.chars();
    let first = chars.next()?;
    let rest: String = chars.collect();
    if first == 'b' {
        return rest.is_empty().then_some(1);
    }
    let mul: i64 = match first {
        'k' => 1 << 10,
        'm' => 1 << 20,
        'g' => 1 << 30,
        't' => 1 << 40,
        'p' => 1 << 50,
        _ => return None,
    };
    match rest.as_str() {
        "" | "b" | "ib" => Some(mul),
        _ => None,
    }
}

/// Go's `strconv.ParseFloat` for the decimal forms that occur in sizes: Rust's parser also
/// accepts `inf`/`nan` spellings, which Go reads differently; those are refused here.
fn parse_go_float(s: &str) -> Option<f64> {
    if s.is_empty()
        || s.chars()
            .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Parses `--cpus` / `cpus:` like docker/cli `opts.ParseCPUs`: a decimal (`1.5`, `2`, `1e-1`)
/// or a fraction (`3/2`), which must be a whole number of nano-CPUs (at most 9 decimals).
/// Negative values are refused (the engine rejects them).
pub fn parse_cpus(s: &str) -> Result<f64, String> {
    let nanos = cpu_nanos(s)?;
    if nanos < 0 {
        return Err(format!(
            "invalid value {s:?} for CPUs: must not be negative"
        ));
    }
    Ok(nanos as f64 / 1e9)
}

/// The exact number of nano-CPUs `s` denotes (big.Rat semantics, bounded).
fn cpu_nanos(s: &str) -> Result<i128, String> {
    let bad = || format!("failed to parse {s} as a rational number");
    if let Some((num, den)) = s.split_once('/') {
        let num = parse_small_int(num).ok_or_else(bad)?;
        let den = parse_small_int(den).ok_or_else(bad)?;
        if den <= 0 {
            return Err(bad());
        }
        let scaled = num.checked_mul(1_000_000_000).ok_or_else(bad)?;
        if scaled % den != 0 {
            return Err("value is too precise".to_string());
        }
        return Ok(scaled / den);
    }
    let (mantissa, exp) = s
        .split_once(['e', 'E'])
        .map_or((s, None), |(m, e)| (m, Some(e)));
    let exp: i32 = match exp {
        Some(e) => e.parse().map_err(|_| bad())?,
        None => 0,
    };
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty()
        || !int_part
            .chars()
            .chain(frac_part.chars())
            .all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    let all: String = int_part.chars().chain(frac_part.chars()).collect();
    let all = all.trim_start_matches('0');
    // 38 digits fit an i128; anything longer is no CPU count.
    if all.len() > 36 {
        return Err(bad());
    }
    let mut value: i128 = if all.is_empty() {
        0
    } else {
        all.parse().map_err(|_| bad())?
    };
    if value == 0 {
        return Ok(0);
    }
    let frac_len = i32::try_from(frac_part.len()).map_err(|_| bad())?;
    let mut shift = 9i32.checked_add(exp).ok_or_else(bad)? - frac_len;
    while shift > 0 {
        value = value.checked_mul(10).ok_or_else(bad)?;
        shift -= 1;
    }
    while shift < 0 {
        if value % 10 != 0 {
            return Err("value is too precise".to_string());
        }
        value /= 10;
        shift += 1;
    }
    Ok(if negative { -value } else { value })
}

fn parse_small_int(s: &str) -> Option<i128> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || digits.len() > 30 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIB: i64 = 1024;
    const MIB: i64 = 1024 * KIB;
    const GIB: i64 = 1024 * MIB;
    const TIB: i64 = 1024 * GIB;
    const PIB: i64 = 1024 * TIB;

    /// go-units size_test.go `TestRAMInBytes`.
    #[test]
    fn ram_in_bytes_upstream_table() {
        let ok: &[(&str, i64)] = &[
            ("32", 32),
            ("32b", 32),
            ("32B", 32),
            ("32k", 32 * KIB),
            ("32K", 32 * KIB),
            ("32kb", 32 * KIB),
            ("32Kb", 32 * KIB),
            ("32Kib", 32 * KIB),
            ("32KIB", 32 * KIB),
            ("32Mb", 32 * MIB),
            ("32Gb", 32 * GIB),
            ("32Tb", 32 * TIB),
            ("32Pb", 32 * PIB),
            ("32PB", 32 * PIB),
            ("32P", 32 * PIB),
            ("32.3", 32),
            ("32.3 mb", (32.3 * MIB as f64) as i64),
            ("0.3MB", (0.3 * MIB as f64) as i64),
            ("512m", 512 * MIB),
            ("1g", GIB),
            ("1.5GiB", GIB + GIB / 2),
        ];
        for (input, want) in ok {
            assert_eq!(parse_ram_bytes(input), Ok(*want), "{input}");
        }
        for bad in [
            "", "hello", "-32", " 32 ", "32m b", "32bm", "32kibb", "32x", "inf", "nan", "1e400",
        ] {
            assert!(parse_ram_bytes(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn swap_accepts_minus_one_only() {
        assert_eq!(parse_swap_bytes("-1"), Ok(-1));
        assert_eq!(parse_swap_bytes("1g"), Ok(GIB));
        assert!(parse_swap_bytes("-2").is_err());
    }

    #[test]
    fn ram_in_bytes_never_panics_on_multibyte() {
        assert!(parse_ram_bytes("1ĸ").is_err());
        assert!(parse_ram_bytes("ĸ1").is_err());
        assert!(parse_ram_bytes("1 ĸĸĸ").is_err());
    }

    #[test]
    fn cpus_like_parse_cpus() {
        assert_eq!(parse_cpus("1.5"), Ok(1.5));
        assert_eq!(parse_cpus("2"), Ok(2.0));
        assert_eq!(parse_cpus("0.000000001"), Ok(1e-9));
        assert_eq!(parse_cpus("3/2"), Ok(1.5));
        assert_eq!(parse_cpus("1e-1"), Ok(0.1));
        assert_eq!(parse_cpus("0"), Ok(0.0));
        assert_eq!(
            parse_cpus("0.0000000001"),
            Err("value is too precise".to_string())
        );
        assert!(parse_cpus("one").is_err());
        assert!(parse_cpus("").is_err());
        assert!(parse_cpus(".").is_err());
        assert!(parse_cpus("-1").is_err());
        assert!(parse_cpus("1/0").is_err());
        assert!(parse_cpus("1e999999999").is_err());
        assert!(parse_cpus(&"9".repeat(100)).is_err());
        assert_eq!(parse_cpus("0e-999999999"), Ok(0.0));
        assert!(parse_cpus("1e-999999999").is_err());
    }
}
