//! Short quotes of compose YAML, for `Origin::written` (the evidence a finding shows) and for
//! error messages. A quote is one line and bounded in length whatever the input: a huge
//! mapping or a multi-line script is cut, not copied.

use crate::yaml::{Node, NodeKind};

/// Longest quote kept, in characters (a cut quote ends with `…`).
const MAX_CHARS: usize = 120;
/// Deepest nesting shown in a flow rendering.
const MAX_DEPTH: usize = 4;

/// `key: value` as written: `cap_add: SYS_ADMIN`, `ports: 0.0.0.0:80:80`,
/// `volumes: {type: bind, source: /, target: /host}`. `via` is the compose path of the value
/// (`cap_add[0]`); list indexes are dropped from the key. A value that interpolation (or path
/// resolution) changed shows what was written too: `image: nginx:1.27 (from ${IMAGE})`.
pub fn written(via: &str, node: &Node) -> String {
    cut(format!("{}: {}", key_path(via), value(node)))
}

/// `via` without list indexes: `volumes[2].bind` → `volumes.bind`.
pub fn key_path(via: &str) -> String {
    let mut out = String::with_capacity(via.len());
    let mut in_index = false;
    for c in via.chars() {
        match c {
            '[' => in_index = true,
            ']' => in_index = false,
            _ if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

/// The value of `node` on one line, with its original text when interpolation changed it.
pub fn value(node: &Node) -> String {
    let mut out = String::new();
    flow(node, &mut out, 0);
    if let Some(original) = node.as_scalar().and_then(|s| s.original.as_deref()) {
        if node.as_scalar().is_some_and(|s| s.text != original) {
            out.push_str(" (from ");
            push_text(&mut out, original);
            out.push(')');
        }
    }
    cut(out)
}

/// `text` on one line, cut to the quote length.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    push_text(&mut out, text);
    cut(out)
}

/// What a node is, for "expected X, found Y" messages: `a string (`abc`)`, `a mapping`.
pub fn found(node: &Node) -> String {
    match &node.kind {
        NodeKind::Scalar(s) if !node.is_null() => {
            let mut text = String::new();
            push_text(&mut text, &s.text);
            let text = if text.chars().count() > 60 {
                let mut short: String = text.chars().take(59).collect();
                short.push('…');
                short
            } else {
                text
            };
            match s.original.as_deref().filter(|o| *o != s.text) {
                // Say what was written too: an unset `${VAR}` is the usual cause.
                Some(original) => format!(
                    "{} (`{text}`, from `{}`)",
                    node.type_name(),
                    one_line(original)
                ),
                None => format!("{} (`{text}`)", node.type_name()),
            }
        }
        _ => node.type_name().to_string(),
    }
}

fn flow(node: &Node, out: &mut String, depth: usize) {
    if out.len() > MAX_CHARS * 4 {
        return;
    }
    match &node.kind {
        NodeKind::Scalar(_) if node.is_null() => out.push_str("null"),
        NodeKind::Scalar(s) if s.text.is_empty() => out.push_str("\"\""),
        NodeKind::Scalar(s) => push_text(out, &s.text),
        NodeKind::Seq(_) | NodeKind::Map(_) if depth >= MAX_DEPTH => out.push('…'),
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if out.len() > MAX_CHARS * 4 {
                    break;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                flow(item, out, depth + 1);
            }
            out.push(']');
        }
        NodeKind::Map(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if out.len() > MAX_CHARS * 4 {
                    break;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                flow(k, out, depth + 1);
                out.push_str(": ");
                flow(v, out, depth + 1);
            }
            out.push('}');
        }
    }
}

/// Appends `text` on one line (line breaks become spaces), at most a bounded amount.
fn push_text(out: &mut String, text: &str) {
    for c in text.chars().take(MAX_CHARS * 2) {
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
}

/// Cuts `text` to [`MAX_CHARS`] characters.
fn cut(text: String) -> String {
    if text.chars().count() <= MAX_CHARS {
        return text;
    }
    let mut short: String = text.chars().take(MAX_CHARS - 1).collect();
    short.push('…');
    short
}
