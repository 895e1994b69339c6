//! Heredoc detection on an instruction line (`RUN <<EOF`, `COPY <<A <<B /dest`, `RUN 3<<-"X"`).
//!
//! As BuildKit's `heredocsFromLine`/`ParseHeredoc` (moby/buildkit
//! `frontend/dockerfile/parser/parser.go`, Apache-2.0): the whole line is split into words by
//! the shell lexer with quotes and escapes kept (always with `\` as escape, whatever the
//! `# escape=` directive says), and each word matching `^(\d*)<<(-?)\s*([^<]*)$` names a
//! heredoc. The delimiter is the word lexed again; if quoting changed it (`<<'EOF'`,
//! `<<E"O"F`), the body is not expanded. A lexing error on the line means "no heredocs".

use std::sync::LazyLock;

use regex::Regex;

use super::node::HeredocNode;
use crate::shell::{Lex, NoEnv};

static HEREDOC_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]*)<<(-?)[\t\n\x0C\r ]*([^<]*)$")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// Heredocs named on `line`, in order, with empty content. Errors only where BuildKit's
/// `ParseHeredoc` errors (a delimiter whose quoting does not lex consistently).
pub fn heredocs_from_line(line: &str) -> Result<Vec<HeredocNode>, String> {
    let mut lex = Lex::new('\\');
    lex.raw_quotes = true;
    lex.raw_escapes = true;
    lex.skip_unset_env = true;
    let words = lex.process_words(line, &NoEnv).unwrap_or_default();
    let mut docs = Vec::new();
    for w in words {
        if let Some(h) = parse_heredoc(&w)? {
            docs.push(h);
        }
    }
    Ok(docs)
}

/// BuildKit's `ParseHeredoc`: the heredoc a word introduces, if any.
pub fn parse_heredoc(word: &str) -> Result<Option<HeredocNode>, String> {
    let Some(caps) = HEREDOC_WORD.captures(word) else {
        return Ok(None);
    };
    let fd_text = caps.get(1).map_or("", |m| m.as_str());
    let chomp = caps.get(2).is_some_and(|m| m.as_str() == "-");
    let rest = caps.get(3).map_or("", |m| m.as_str());
    if rest.is_empty() {
        return Ok(None);
    }
    // Go's ParseUint error (overflow) leaves 0.
    let fd = fd_text
        .parse::<u64>()
        .ok()
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(0);

    let mut lex = Lex::new('\\');
    lex.skip_unset_env = true;
    let words = lex
        .process_words(rest, &NoEnv)
        .map_err(|e| format!("failed to process {}: {e}", super::node::go_quote(rest)))?;
    if words.len() != 1 {
        return Ok(None);
    }
    lex.raw_quotes = true;
    let words_raw = lex
        .process_words(rest, &NoEnv)
        .map_err(|e| format!("failed to process {}: {e}", super::node::go_quote(rest)))?;
    if words_raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let word = &words[0];
    let quotes = |s: &str| s.chars().filter(|c| *c == '\'' || *c == '"').count();
    let expand = quotes(word) == quotes(&words_raw[0]);
    Ok(Some(HeredocNode {
        name: word.clone(),
        file_descriptor: fd,
        expand,
        chomp,
        content: String::new(),
    }))
}

/// `<<-` strips leading tabs from every body line (BuildKit's `ChompHeredocContent`).
pub fn chomp_content(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.split_inclusive('\n') {
        out.push_str(line.trim_start_matches('\t'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(src: &str) -> Option<String> {
        parse_heredoc(src).unwrap().map(|h| h.name)
    }

    #[test]
    fn helpers_like_buildkit() {
        for src in [
            "<<EOF",
            "<<'EOF'",
            "<<\"EOF\"",
            "<<-EOF",
            "<<-'EOF'",
            "<<-\"EOF\"",
            "<<EO\"F\"",
            "<< EOF",
            "<<- EOF",
        ] {
            assert_eq!(name(src).as_deref(), Some("EOF"), "{src}");
        }
        for src in ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""] {
            assert!(parse_heredoc(src).is_err(), "{src}");
        }
        for src in ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"] {
            assert_eq!(name(src), None, "{src}");
        }
    }

    #[test]
    fn from_line_like_buildkit() {
        let names = |l: &str| -> Vec<String> {
            heredocs_from_line(l)
                .unwrap()
                .into_iter()
                .map(|h| h.name)
                .collect()
        };
        assert_eq!(names("RUN <<EOF"), vec!["EOF"]);
        assert_eq!(names("RUN <<-EOF"), vec!["EOF"]);
        // BuildKit's own table expects "EOF" here but only checks the heredocs it finds (none):
        // the lexer keeps blanks after `<<`, not after `<<-`, so `<<-` and `EOF` are two words.
        assert!(names("RUN <<- EOF").is_empty());
        assert_eq!(names("RUN << -EOF"), vec!["-EOF"]);
        assert_eq!(names("RUN <<'EOF'"), vec!["EOF"]);
        assert_eq!(names("RUN 4<<EOF"), vec!["EOF"]);
        assert_eq!(names("RUN <<EOF <<EOF2"), vec!["EOF", "EOF2"]);
        assert!(names("RUN '<<EOF'").is_empty());
        assert!(names("RUN \"<<EOF\"").is_empty());
    }

    #[test]
    fn chomps_tabs() {
        assert_eq!(chomp_content("\thello\n\tworld\n"), "hello\nworld\n");
    }
}
