//! BuildKit's low-level parse tree (`parser.Node`), kept so that plimsoll's parse can be
//! compared byte for byte with BuildKit's `Node.Dump()` output (the `result` files of its
//! parser test suite). The typed [`crate::ast`] is built from it.

use crate::shell::chars;

/// A word of an instruction and where it is in the logical line (byte range), when it is a
/// piece of the line (separators such as ENV's `=` marker are not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub range: Option<(usize, usize)>,
}

impl Word {
    pub fn new(value: impl Into<String>, range: Option<(usize, usize)>) -> Self {
        Word {
            value: value.into(),
            range,
        }
    }
}

/// One element of a node's `Next` chain: a plain value, or (ONBUILD) a nested instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Word(Word),
    Sub(Box<Node>),
}

/// An instruction as BuildKit's parser sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The keyword as written (`run`, `RUN`, or an unknown word).
    pub value: String,
    /// Byte range of the keyword in the logical line.
    pub range: (usize, usize),
    /// `--flag[=value]` words (quotes and escapes processed), with their ranges.
    pub flags: Vec<Word>,
    pub args: Vec<Arg>,
    /// Written in JSON (exec) form.
    pub json: bool,
}

/// A heredoc as BuildKit's parser records it (`parser.Heredoc`): the content is raw (no `<<-`
/// tab stripping; lines keep their terminators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocNode {
    pub name: String,
    pub file_descriptor: u32,
    pub expand: bool,
    pub chomp: bool,
    pub content: String,
}

impl Node {
    /// BuildKit's `Node.Dump()` of one instruction: `run ["--flag"] "arg" …`, without the
    /// surrounding parentheses.
    pub fn dump(&self) -> String {
        let mut out = go_lower(&self.value);
        if !self.flags.is_empty() {
            out.push_str(" [");
            for (i, f) in self.flags.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&go_quote(&f.value));
            }
            out.push(']');
        }
        for arg in &self.args {
            out.push(' ');
            match arg {
                Arg::Word(w) => out.push_str(&go_quote(&w.value)),
                // A node holding children dumps as its (empty) value followed by each child in
                // parentheses and a newline, then trimmed: `(run "x")`.
                Arg::Sub(child) => {
                    out.push('(');
                    out.push_str(&child.dump());
                    out.push(')');
                }
            }
        }
        out.trim_matches(chars::is_space).to_string()
    }
}

/// Dumps a whole file's instructions as BuildKit's root `Node.Dump()` does, plus the final
/// newline of the `result` files: one `(instruction …)` per line.
pub fn dump_nodes<'a>(nodes: impl IntoIterator<Item = &'a Node>) -> String {
    let mut out = String::new();
    for n in nodes {
        out.push('(');
        out.push_str(&n.dump());
        out.push_str(")\n");
    }
    out
}

/// Go's `strings.ToLower`: simple case mapping per character (so `İ` becomes `i`, unlike
/// Rust's full mapping).
pub fn go_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars()
        .map(|c| match c {
            '\u{130}' => 'i',
            c => {
                let mut l = c.to_lowercase();
                match (l.next(), l.next()) {
                    (Some(one), None) => one,
                    _ => c,
                }
            }
        })
        .collect()
}

/// Go's `strconv.Quote`: double-quoted, with Go escapes for `"`, `\`, control characters and
/// non-printable characters; printable non-ASCII characters stay as they are.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if chars::is_print(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_like_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(go_quote("\t\n\u{0}\u{7f}"), r#""\t\n\x00\x7f""#);
        assert_eq!(go_quote("한국어\u{a0}"), "\"한국어\\u00a0\"");
        assert_eq!(go_quote("\u{e0000}"), "\"\\U000e0000\"");
    }

    #[test]
    fn lowers_like_go() {
        assert_eq!(go_lower("RUN"), "run");
        assert_eq!(go_lower("ENTRYPO\u{130}NT"), "entrypoint");
        assert_eq!(go_lower("WOR\u{212a}DIR"), "workdir");
    }
}
