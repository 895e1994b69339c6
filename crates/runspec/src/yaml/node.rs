//! The YAML tree compose files are read into: every node keeps its file and span, plain and
//! quoted scalars keep their source text (compose interpolates `${VAR}` in the text before
//! values are typed), and local tags (`!reset`, `!override`) are kept for the merge.

use plimsoll_core::Span;
use std::sync::Arc;

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The file the node was written in (after merging, nodes of one tree come from several
    /// files).
    pub file: Arc<str>,
    /// Where it is written: a scalar's text, a collection's first to last character. For a node
    /// copied from an alias, the span of the anchored original (where the value is written);
    /// for a key merged with `<<` and its value, where the `<<: *alias` entry is written (the
    /// mapping that merges it, not the anchor every user shares).
    pub span: Span,
    /// A tag as written (`!reset`, `!override`, `!!str`), if any.
    pub tag: Option<String>,
    pub kind: NodeKind,
}

/// What a node holds.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar, with its text as resolved by YAML (escapes decoded, folding applied) and its
    /// style. An empty plain scalar (`key:`) and `~`/`null` are scalars whose
    /// [`Node::is_null`] is true.
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// A mapping in source order. Keys are nodes (almost always scalars). Merge keys (`<<`)
    /// are already applied.
    Map(Vec<(Node, Node)>),
}

/// A scalar's text and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The value: as YAML resolved it, then after compose interpolation.
    pub text: String,
    pub style: ScalarStyle,
    /// The text as written before interpolation, when interpolation changed it (`${DB_PASS}`),
    /// so rules can tell a literal secret from one taken from the environment.
    pub original: Option<String>,
}

/// How a scalar was written; only plain scalars are typed (`true`, `42`, `null`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

impl Node {
    /// The scalar's text, if the node is a scalar (any style, including null-like ones).
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text, if the node is a scalar that is not null.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(s) if !self.is_null() => Some(&s.text),
            _ => None,
        }
    }

    /// Whether the node is YAML null: an empty plain scalar, `~`, `null`, `Null`, `NULL`
    /// (YAML 1.2 core schema), not explicitly tagged as a string.
    pub fn is_null(&self) -> bool {
        match &self.kind {
            NodeKind::Scalar(s) => {
                s.style == ScalarStyle::Plain
                    && self.tag.as_deref() != Some("!!str")
                    && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL")
            }
            _ => false,
        }
    }

    /// A plain scalar read as a YAML 1.2 core-schema boolean (`true`/`True`/`TRUE`, and the
    /// same for false). Quoted scalars are strings, as in compose.
    pub fn as_bool(&self) -> Option<bool> {
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        match s.text.as_str() {
            "true" | "True" | "TRUE" => Some(true),
            "false" | "False" | "FALSE" => Some(false),
            _ => None,
        }
    }

    /// A plain scalar read as a YAML 1.2 core-schema integer (decimal, `0o` octal, `0x` hex,
    /// optional sign).
    pub fn as_i64(&self) -> Option<i64> {
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        let t = s.text.as_str();
        let (neg, digits) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let value = if let Some(hex) = digits.strip_prefix("0x") {
            i64::from_str_radix(hex, 16).ok()?
        } else if let Some(oct) = digits.strip_prefix("0o") {
            i64::from_str_radix(oct, 8).ok()?
        } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            digits.parse().ok()?
        } else {
            return None;
        };
        Some(if neg { -value } else { value })
    }

    /// A plain scalar read as a YAML 1.2 core-schema float (or integer).
    pub fn as_f64(&self) -> Option<f64> {
        if let Some(i) = self.as_i64() {
            return Some(i as f64);
        }
        let s = self.as_scalar()?;
        if s.style != ScalarStyle::Plain {
            return None;
        }
        let t = s.text.as_str();
        let looks_numeric = t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
            && t.bytes().any(|b| b.is_ascii_digit());
        if looks_numeric {
            t.parse().ok()
        } else {
            None
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of `key` in a mapping (the last one, if a key repeats).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The mutable value of `key` in a mapping.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match &mut self.kind {
            NodeKind::Map(entries) => entries
                .iter_mut()
                .rev()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short name of the node's type for error messages: `a mapping`, `a list`, `a string`,
    /// `a number`, `a boolean`, `null`.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Map(_) => "a mapping",
            NodeKind::Seq(_) => "a list",
            NodeKind::Scalar(_) if self.is_null() => "null",
            NodeKind::Scalar(_) if self.as_bool().is_some() => "a boolean",
            NodeKind::Scalar(_) if self.as_f64().is_some() => "a number",
            NodeKind::Scalar(_) => "a string",
        }
    }
}
