//! Go's `unicode` character classes, as BuildKit's Go code uses them.
//!
//! BuildKit decides what is whitespace, a letter or a digit with Go's `unicode.IsSpace`,
//! `unicode.IsLetter` and `unicode.IsDigit`, and quotes strings for its AST dumps with
//! `strconv.IsPrint`. Rust's `char::is_alphabetic`/`is_numeric` are based on different Unicode
//! properties (e.g. Indic vowel signs are alphabetic in Rust but not letters in Go), so these
//! helpers use the general category, as Go does.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// Go `unicode.IsSpace`: `\t \n \v \f \r`, space, U+0085, U+00A0 and the `White_Space`
/// property — the same set as Rust's `char::is_whitespace`.
#[inline]
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go `unicode.IsLetter`: general category L (Lu, Ll, Lt, Lm, Lo).
#[inline]
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

/// Go `unicode.IsDigit`: general category Nd.
#[inline]
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == Gc::DecimalNumber
}

/// Go `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
pub fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !matches!(
        get_general_category(c),
        Gc::SpaceSeparator
            | Gc::LineSeparator
            | Gc::ParagraphSeparator
            | Gc::Control
            | Gc::Format
            | Gc::Surrogate
            | Gc::PrivateUse
            | Gc::Unassigned
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_go() {
        assert!(is_space('\u{a0}') && is_space('\u{85}') && is_space('\u{3000}'));
        assert!(!is_space('x'));
        assert!(is_letter('é') && is_letter('한') && !is_letter('\u{93e}')); // Devanagari vowel sign AA (Mc)
        assert!(is_digit('٣') && !is_digit('²'));
        assert!(is_print('한') && !is_print('\u{a0}') && !is_print('\u{7f}') && is_print(' '));
    }
}
