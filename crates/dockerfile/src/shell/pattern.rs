//! Shell wildcard patterns of `${var#pat}`, `${var%pat}` and `${var/pat/repl}`.
//!
//! Re-implements BuildKit's `convertShellPatternToRegex`, `trimPrefix`, `trimSuffix` and
//! `reversePattern` (moby/buildkit `frontend/dockerfile/shell/lex.go`, Apache-2.0): `*` is any
//! string (shortest or longest), `?` one character, `\` escapes `*`, `?` and `\`; bracket
//! expressions are not supported. The pattern becomes a regular expression with the same
//! leftmost-first semantics Go's `regexp` has (the `regex` crate's default).

use regex::Regex;

/// Converts a shell pattern to a regex. `greedy` picks `.*` over `.*?` for `*`; `anchored`
/// prefixes `^`. Errors on an escape of anything but `*`, `?`, `\` (and the `}`/`/` escapes
/// that belong to the `${}` syntax, which are dropped).
pub fn shell_pattern_to_regex(
    pattern: &str,
    greedy: bool,
    anchored: bool,
) -> Result<Regex, String> {
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let star = if greedy { ".*" } else { ".*?" };
    // Go's text/scanner skips a byte-order mark at the very start.
    let pattern = pattern.strip_prefix('\u{feff}').unwrap_or(pattern);
    let mut chars = pattern.chars().peekable();
    while let Some(tok) = chars.next() {
        match tok {
            '*' => {
                out.push_str(star);
                continue;
            }
            '?' => {
                out.push('.');
                continue;
            }
            '\\' => {
                if matches!(chars.peek(), Some('}') | Some('/')) {
                    continue;
                }
                out.push('\\');
                match chars.next() {
                    Some(c @ ('*' | '?' | '\\')) => out.push(c),
                    Some(c) => return Err(format!("invalid escape '\\{c}'")),
                    None => return Err("invalid escape at end of pattern".to_string()),
                }
                continue;
            }
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => out.push('\\'),
            _ => {}
        }
        out.push(tok);
    }
    Regex::new(&out).map_err(|e| e.to_string())
}

/// `${value#word}` / `${value##word}`: removes the shortest (longest) matching prefix.
pub fn trim_prefix(word: &str, value: &str, greedy: bool) -> Result<String, String> {
    let re = shell_pattern_to_regex(word, greedy, true)
        .map_err(|e| format!("invalid pattern ({word}) in substitution: {e}"))?;
    Ok(match re.find(value) {
        Some(m) => value[m.end()..].to_string(),
        None => value.to_string(),
    })
}

/// `${value%word}` / `${value%%word}`: removes the shortest (longest) matching suffix, by
/// reversing both pattern and value and trimming a prefix (as BuildKit does).
pub fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let pattern = reverse_pattern(pattern);
    let reversed: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&pattern, &reversed, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each escape before the character it escapes (`a\*c` → `c\*a`).
pub fn reverse_pattern(pattern: &str) -> String {
    let runes: Vec<char> = pattern.chars().collect();
    let n = runes.len();
    let mut out = vec!['\0'; n];
    let mut i = 0;
    while i < n {
        let tok = runes[i];
        let out_idx = n - 1 - i;
        if tok == '\\' && i + 1 < n {
            out[out_idx - 1] = tok;
            out[out_idx] = runes[i + 1];
            i += 2;
        } else {
            out[out_idx] = tok;
            i += 1;
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_like_buildkit() {
        let cases = [
            ("*", "^.*"),
            ("?", "^."),
            ("\\*", "^\\*"),
            (
                "(()[]{\\}^$.\\*\\?|\\\\",
                "^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\",
            ),
        ];
        for (pattern, want) in cases {
            assert_eq!(
                shell_pattern_to_regex(pattern, true, true)
                    .unwrap()
                    .as_str(),
                want
            );
        }
        for bad in ["\\", "\\x", "\\\\\\"] {
            assert!(shell_pattern_to_regex(bad, true, true).is_err(), "{bad}");
        }
    }

    #[test]
    fn reverses_patterns() {
        let cases = [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
        ];
        for (pattern, want) in cases {
            assert_eq!(reverse_pattern(pattern), want);
        }
    }
}
