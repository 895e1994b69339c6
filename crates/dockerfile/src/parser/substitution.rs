//! The nesting bound on `${…}` substitutions, checked when a file is parsed.
//!
//! BuildKit expands variables in the arguments and flags of most instructions (`FROM`, `ENV`,
//! `ARG`, `WORKDIR`, `COPY`, …) with a recursive lexer; Go's growable stack lets it follow any
//! depth, but a Rust stack does not, and deep nesting also makes an expansion that keeps
//! unknown references as written cost (depth × length). plimsoll's lexer stops at
//! [`MAX_NESTING`] levels ([`crate::shell`]); this check refuses such a line up front, naming
//! the word, so the whole file gets one clear error instead of silently unexpanded values.

use crate::shell::MAX_NESTING;

/// The deepest `${` nesting in `text`, counting as the lexer does: `${` opens a level, `}`
/// closes the innermost open one, the escape token hides the character after it. Quotes are
/// not followed (`'${'` counts), which can only over-count, and only for text no real
/// Dockerfile writes.
pub fn depth(text: &str, escape: char) -> usize {
    let mut chars = text.chars().peekable();
    let (mut open, mut deepest) = (0usize, 0usize);
    while let Some(c) = chars.next() {
        if c == escape {
            chars.next();
        } else if c == '$' && chars.peek() == Some(&'{') {
            chars.next();
            open += 1;
            deepest = deepest.max(open);
        } else if c == '}' && open > 0 {
            open -= 1;
        }
    }
    deepest
}

/// Whether `text` nests substitutions deeper than the lexer follows.
pub fn too_deep(text: &str, escape: char) -> bool {
    text.contains("${") && depth(text, escape) > MAX_NESTING
}

/// The message and hint for a word that nests too deep.
pub fn error_text(keyword: &str) -> (String, String) {
    (
        format!(
            "{keyword}: variable substitutions nest more than {MAX_NESTING} levels deep \
             (`${{A:-${{B:-…}}}}`)"
        ),
        format!(
            "plimsoll follows at most {MAX_NESTING} nested `${{…}}` levels (real Dockerfiles \
             use two or three); simplify the nested defaults, e.g. with an ARG per level"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nested_substitutions_not_siblings() {
        assert_eq!(depth("plain", '\\'), 0);
        assert_eq!(depth("${A}${B}${C}", '\\'), 1);
        assert_eq!(depth("${A:-${B:-${C}}}", '\\'), 3);
        assert_eq!(
            depth(r"\${A:-${B}}", '\\'),
            1,
            "an escaped `$` opens nothing"
        );
        assert_eq!(
            depth("`${A:-${B}}", '`'),
            1,
            "the escape token follows the directive"
        );
    }

    #[test]
    fn the_bound_is_the_lexers() {
        let nest = |n: usize| format!("{}x{}", "${V-".repeat(n), "}".repeat(n));
        assert!(!too_deep(&nest(MAX_NESTING), '\\'));
        assert!(too_deep(&nest(MAX_NESTING + 1), '\\'));
    }
}
