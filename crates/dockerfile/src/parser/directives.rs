//! Parser directives (`# syntax=`, `# escape=`, `# check=`), as BuildKit's `DirectiveParser`
//! (moby/buildkit `frontend/dockerfile/parser/directives.go`, Apache-2.0) reads them.
//!
//! Directives are comment lines of the form `# key=value` at the very top of the file. The
//! first line that is not one (an instruction, a blank line, any other comment, an unknown
//! key) ends the directive section for good. Keys are case-insensitive, spaces are allowed
//! around `=`, and each directive may appear only once.

use std::sync::LazyLock;

use regex::Regex;

/// `key=value`, as BuildKit's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (Go's `\s` is ASCII).
static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\x0C\r ]*=[\t\n\x0C\r ]*(.+?)[\t\n\x0C\r ]*$")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

/// One directive found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased key: `syntax`, `escape` or `check`.
    pub name: &'static str,
    pub value: String,
    /// Byte range of the value within the line given to [`DirectiveParser::parse_line`].
    pub value_range: (usize, usize),
}

/// Stateful: feed it every line from the top; it stops recognising directives at the first
/// line that is not one.
#[derive(Debug, Default)]
pub struct DirectiveParser {
    done: bool,
    seen: Vec<&'static str>,
}

impl DirectiveParser {
    /// Reads one line (leading whitespace already removed, no line terminator). Errors on a
    /// repeated directive.
    pub fn parse_line(&mut self, line: &str) -> Result<Option<Directive>, String> {
        if self.done {
            return Ok(None);
        }
        let Some(rest) = line.strip_prefix('#') else {
            self.done = true;
            return Ok(None);
        };
        let trimmed = rest.trim_start_matches(crate::shell::chars::is_space);
        let offset = line.len() - trimmed.len();
        let Some(caps) = DIRECTIVE.captures(trimmed) else {
            self.done = true;
            return Ok(None);
        };
        let (Some(key), Some(value)) = (caps.get(1), caps.get(2)) else {
            self.done = true;
            return Ok(None);
        };
        let name = match key.as_str().to_ascii_lowercase().as_str() {
            "syntax" => "syntax",
            "escape" => "escape",
            "check" => "check",
            _ => {
                self.done = true;
                return Ok(None);
            }
        };
        if self.seen.contains(&name) {
            return Err(format!("only one {name} parser directive can be used"));
        }
        self.seen.push(name);
        Ok(Some(Directive {
            name,
            value: value.as_str().to_string(),
            value_range: (offset + value.start(), offset + value.end()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_directives_until_the_first_other_line() {
        let mut p = DirectiveParser::default();
        let d = p
            .parse_line("# Syntax = docker/dockerfile:1 ")
            .unwrap()
            .unwrap();
        assert_eq!(
            (d.name, d.value.as_str()),
            ("syntax", "docker/dockerfile:1")
        );
        assert_eq!(p.parse_line("#escape=`").unwrap().unwrap().value, "`");
        assert!(p.parse_line("# not a directive").unwrap().is_none());
        assert!(p.parse_line("# check=skip=all").unwrap().is_none());
    }

    #[test]
    fn rejects_repeats_and_unknown_keys_end_the_section() {
        let mut p = DirectiveParser::default();
        p.parse_line("# escape=\\").unwrap();
        assert!(p.parse_line("# ESCAPE=`").is_err());
        let mut p = DirectiveParser::default();
        assert!(p.parse_line("# foo=bar").unwrap().is_none());
        assert!(p.parse_line("# escape=`").unwrap().is_none());
    }
}
