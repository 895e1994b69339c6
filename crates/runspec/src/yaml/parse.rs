//! YAML text to [`Node`] trees, built from saphyr-parser's events.
//!
//! We build our own tree rather than use a YAML library's because compose needs what typed
//! loaders throw away: every node's position (findings point at the line), the scalar text as
//! written (interpolation runs before typing) and local tags (`!reset`, `!override`). The
//! tree is built with an explicit stack, never recursion, and every cost a hostile file can
//! multiply is bounded by [`Limits`]: aliases are expanded into deep copies (a
//! "billion laughs" file fails at the node budget, before it allocates), nesting is capped
//! before each level is opened, and an alias to an anchor that is still open is an error.
//!
//! Mapping semantics follow Go's yaml.v3 as compose-go uses it: a repeated key is an error
//! (`mapping key "x" already defined at line N`), merge keys (`<<`) are applied.

mod merge;
mod source;

use super::node::{Node, NodeKind, Scalar, ScalarStyle};
use plimsoll_core::Span;
use saphyr_parser::{Event, Marker, Parser, ScanError, Tag};
use source::Source;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// The budget one parse may spend. Exceeding any of them is a [`YamlError`], never a crash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes (compose files are kilobytes).
    pub max_bytes: usize,
    /// Deepest nesting of collections: the document's root mapping is level 1. Alias copies
    /// count where they are placed, so no tree this parser returns is deeper.
    pub max_depth: usize,
    /// Nodes materialised in total (keys, values, items; alias copies and anchored originals
    /// included): what bounds memory when aliases multiply.
    pub max_nodes: usize,
    /// Bytes of scalar text materialised in total, alias copies included: an alias to one long
    /// string repeated many times costs its length each time.
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 << 20,
            max_depth: 64,
            max_nodes: 1_000_000,
            max_text_bytes: 64 << 20,
        }
    }
}

/// Why a file is not acceptable YAML (or exceeds [`Limits`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", at(.span))]
pub struct YamlError {
    pub path: String,
    pub span: Option<Span>,
    pub message: String,
    pub hint: Option<String>,
}

fn at(span: &Option<Span>) -> String {
    span.map_or_else(String::new, |s| {
        format!(":{}:{}", s.start.line, s.start.column)
    })
}

/// Parses every document of `text` (the file `path`) into a tree: zero documents for an
/// empty or comment-only file. Aliases are expanded, merge keys applied, duplicate keys
/// rejected; `Scalar::original` is left `None` (interpolation fills it).
pub fn parse(path: &str, text: &str, limits: &Limits) -> Result<Vec<Node>, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError {
            path: path.to_string(),
            span: None,
            message: format!(
                "the file is {} bytes, more than the limit of {} bytes (max_bytes)",
                text.len(),
                limits.max_bytes
            ),
            hint: Some("compose files are small; check that the right file is given".into()),
        });
    }
    let mut text = Cow::Borrowed(text);
    let mut shifts = BTreeMap::new();
    let mut budget = REPARSE_BYTES;
    loop {
        // saphyr-parser has a few `unwrap`s on states it considers impossible; should a
        // hostile input reach one, report it as an error instead of taking the audit down.
        let outcome = std::panic::catch_unwind(|| Builder::new(path, &text, &shifts, limits).run())
            .unwrap_or_else(|_| {
                Err(Stop::Error(YamlError {
                    path: path.to_string(),
                    span: None,
                    message: "the YAML parser failed on this file (internal error)".into(),
                    hint: Some("please report this file; it may be malformed YAML".into()),
                }))
            });
        match outcome {
            Ok(docs) => return Ok(docs),
            Err(Stop::Error(e)) => return Err(e),
            Err(Stop::Reindent {
                line,
                col,
                want,
                error,
            }) => {
                if budget < text.len() || !reindent(&mut text, &mut shifts, line, col, want) {
                    return Err(error);
                }
                budget -= text.len();
            }
        }
    }
}

/// How many bytes of re-parsing [`reindent`] may cost in total (bounds the work on a file
/// with many under-indented flow lines).
const REPARSE_BYTES: usize = 32 << 20;

/// Why a parse attempt stopped.
enum Stop {
    Error(YamlError),
    /// saphyr refused a line inside a flow collection (`[`…`]`) indented no deeper than the
    /// block it is in, typically a closing `]` under its key. libyaml and Go's yaml.v3 (hence
    /// docker compose) accept that, so the line is indented to column `want` (0-based) and the
    /// parse retried; `error` is reported if that is not possible.
    Reindent {
        line: usize,
        col: usize,
        want: usize,
        error: YamlError,
    },
}

/// Inserts spaces at the start of 1-based `line` so that its first character, now at 0-based
/// column `col`, moves to `want`; records the shift. False when the line does not start with
/// that character after spaces (nothing safe to do).
fn reindent(
    text: &mut Cow<'_, str>,
    shifts: &mut BTreeMap<usize, usize>,
    line: usize,
    col: usize,
    want: usize,
) -> bool {
    if want <= col {
        return false;
    }
    let Some(start) = line_start(text, line) else {
        return false;
    };
    let rest = text.get(start..).unwrap_or("");
    let indent = rest.chars().take_while(|&c| c == ' ').count();
    if indent != col
        || rest
            .chars()
            .nth(indent)
            .is_none_or(|c| c == '\n' || c == '\r')
    {
        return false;
    }
    text.to_mut().insert_str(start, &" ".repeat(want - col));
    *shifts.entry(line).or_insert(0) += want - col;
    true
}

/// Byte offset where 1-based `line` starts, counting line breaks as saphyr does (`\r\n`,
/// `\n`, lone `\r`).
fn line_start(text: &str, line: usize) -> Option<usize> {
    let mut current = 1;
    if line == 1 {
        return Some(0);
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied();
        let is_break = match b {
            Some(b'\n') => true,
            Some(b'\r') => bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        };
        i += 1;
        if is_break {
            current += 1;
            if current == line {
                return Some(i);
            }
        }
    }
    None
}

/// Size of a finished subtree, for the budgets.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
    /// Collections on the longest path down (a scalar is 0).
    height: usize,
}

impl Cost {
    fn add(&mut self, child: Cost) {
        self.nodes += child.nodes;
        self.bytes += child.bytes;
        self.height = self.height.max(child.height);
    }
}

/// A finished node with what it cost and where its last character ends.
struct Built {
    node: Node,
    cost: Cost,
    end: Marker,
}

/// A collection being read.
struct Frame {
    start: Marker,
    /// A `[`…`]` or `{`…`}` collection (`start` is at the bracket).
    flow: bool,
    /// The furthest end of any child so far (block collections end with their last child).
    end: Marker,
    tag: Option<String>,
    anchor: usize,
    /// Cost of the children so far.
    cost: Cost,
    kind: FrameKind,
}

enum FrameKind {
    Seq(Vec<Node>),
    Map(Box<MapFrame>),
}

#[derive(Default)]
struct MapFrame {
    entries: Vec<(Node, Node)>,
    /// A key waiting for its value.
    key: Option<Node>,
    /// Scalar keys written so far, with their line, for the duplicate-key error.
    seen: HashMap<String, u32>,
    /// Where the `<<` entry was, its value, and where it is written (`<<: *defaults`),
    /// applied when the mapping ends.
    merge: Option<(usize, Node, Span)>,
}

struct Anchored {
    node: Node,
    cost: Cost,
}

struct Builder<'a> {
    path: &'a str,
    file: Arc<str>,
    src: Source<'a>,
    text: &'a str,
    limits: &'a Limits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    /// Anchors of collections still open: an alias to one of them would be infinite.
    open: HashSet<usize>,
    /// Totals spent, checked against the limits.
    nodes: usize,
    bytes: usize,
    /// End of the previous event, where a block scalar's header search starts.
    prev_end: Marker,
    docs: Vec<Node>,
    root: Option<Node>,
}

impl From<YamlError> for Stop {
    fn from(e: YamlError) -> Self {
        Stop::Error(e)
    }
}

impl<'a> Builder<'a> {
    fn new(
        path: &'a str,
        text: &'a str,
        shifts: &'a BTreeMap<usize, usize>,
        limits: &'a Limits,
    ) -> Self {
        Builder {
            path,
            file: Arc::from(path),
            src: Source::new(text, shifts),
            text,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            open: HashSet::new(),
            nodes: 0,
            bytes: 0,
            prev_end: Marker::default(),
            docs: Vec::new(),
            root: None,
        }
    }

    fn run(mut self) -> Result<Vec<Node>, Stop> {
        let mut parser = Parser::new_from_str(self.text);
        loop {
            let (event, ev_span) = match parser.next_event() {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(e)) => return Err(self.scan_stop(&e)),
            };
            match event {
                Event::StreamEnd => break,
                Event::Nothing | Event::StreamStart => {}
                Event::DocumentStart(_) => {
                    self.anchors.clear();
                    self.open.clear();
                    self.root = None;
                }
                Event::DocumentEnd => {
                    let root = self
                        .root
                        .take()
                        .unwrap_or_else(|| self.null_node(ev_span.start));
                    self.docs.push(root);
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let props = anchor != 0 || tag.is_some();
                    let built = self.scalar(&text, style, tag.as_deref(), props, ev_span)?;
                    if anchor != 0 {
                        self.remember(anchor, &built)?;
                    }
                    self.attach(built)?;
                }
                Event::Alias(id) => {
                    let built = self.alias(id, ev_span)?;
                    self.attach(built)?;
                }
                Event::SequenceStart(anchor, tag) => {
                    self.open_collection(anchor, tag.as_deref(), ev_span, true)?;
                }
                Event::MappingStart(anchor, tag) => {
                    self.open_collection(anchor, tag.as_deref(), ev_span, false)?;
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let built = self.close_collection(ev_span)?;
                    self.attach(built)?;
                }
            }
            self.prev_end = ev_span.end;
        }
        Ok(self.docs)
    }

    fn error(&self, span: Option<Span>, message: String, hint: &str) -> YamlError {
        YamlError {
            path: self.path.to_string(),
            span,
            message,
            hint: Some(hint.to_string()),
        }
    }

    /// A scan error, or the retry of an under-indented line in a flow collection.
    fn scan_stop(&self, e: &ScanError) -> Stop {
        let error = self.scan_error(e);
        // saphyr raises these two only inside flow collections (block indentation is unrolled
        // before the check); the marker is the first character of the refused line.
        if !matches!(
            e.info(),
            "invalid indentation" | "invalid indentation in flow construct"
        ) {
            return Stop::Error(error);
        }
        let mark = *e.marker();
        // Indenting past the innermost open bracket always satisfies saphyr. When the parser
        // has not reported that bracket yet (the scanner reads ahead), one more column
        // usually does, and a retry that still fails adds another.
        let want = self
            .stack
            .iter()
            .rev()
            .find(|f| f.flow)
            .map(|f| f.start)
            .filter(|open| open.line() < mark.line())
            .map_or(mark.col() + 1, |open| (open.col() + 1).max(mark.col() + 1));
        Stop::Reindent {
            line: mark.line(),
            col: mark.col(),
            want,
            error,
        }
    }

    fn scan_error(&self, e: &ScanError) -> YamlError {
        let mark = *e.marker();
        let start = self.src.pos(mark);
        let end = plimsoll_core::Pos::new(start.line, start.column.saturating_add(1));
        let info = e.info();
        let hint = if info.contains("mapping values are not allowed") {
            "a `key: value` cannot follow a value on the same line: check the indentation, or \
             quote a value that contains `: `"
        } else if info.contains("cannot start any token") {
            "values starting with `@`, `` ` `` or `%` must be quoted"
        } else if info.contains("tab") {
            "YAML indentation must use spaces, not tabs"
        } else if info.contains("unknown anchor") {
            "an alias (`*name`) must refer to an anchor (`&name`) defined earlier in the document"
        } else {
            "check the indentation and quoting around this position"
        };
        let message = match self
            .src
            .alias_at(mark)
            .filter(|_| info.contains("unknown anchor"))
        {
            // saphyr does not say which anchor: the alias is written at its marker.
            Some(name) => {
                format!("invalid YAML: unknown anchor: alias `*{name}` has no `&{name}` before it")
            }
            None => format!("invalid YAML: {info}"),
        };
        YamlError {
            path: self.path.to_string(),
            span: Some(Span::new(start, end)),
            message,
            hint: Some(hint.to_string()),
        }
    }

    /// Counts `cost` against the node and text budgets, and `extra_depth` levels placed at
    /// the current depth against the depth limit.
    fn spend(&mut self, cost: Cost, at: Span) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(cost.nodes);
        self.bytes = self.bytes.saturating_add(cost.bytes);
        if self.nodes > self.limits.max_nodes {
            return Err(self.error(
                Some(at),
                format!(
                    "the document expands to more than {} nodes (max_nodes)",
                    self.limits.max_nodes
                ),
                "aliases (`*name`) are copied where they are used; nested aliases multiply \
                 (\"billion laughs\"): this file is either hostile or far larger than any \
                 compose project",
            ));
        }
        if self.bytes > self.limits.max_text_bytes {
            return Err(self.error(
                Some(at),
                format!(
                    "the document expands to more than {} bytes of text (max_text_bytes)",
                    self.limits.max_text_bytes
                ),
                "aliases (`*name`) are copied where they are used: an alias of a long string \
                 repeated many times multiplies its size",
            ));
        }
        Ok(())
    }

    fn check_depth(&self, levels: usize, at: Span) -> Result<(), YamlError> {
        if self.stack.len().saturating_add(levels) > self.limits.max_depth {
            return Err(self.error(
                Some(at),
                format!(
                    "the document nests collections more than {} levels deep (max_depth)",
                    self.limits.max_depth
                ),
                "compose files nest a few levels; deeper nesting (directly or through aliases) \
                 is refused to bound the work",
            ));
        }
        Ok(())
    }

    fn null_node(&self, at: Marker) -> Node {
        Node {
            file: self.file.clone(),
            span: self.src.span(at, at),
            tag: None,
            kind: NodeKind::Scalar(Scalar {
                text: String::new(),
                style: ScalarStyle::Plain,
                original: None,
            }),
        }
    }

    fn scalar(
        &mut self,
        text: &str,
        style: saphyr_parser::ScalarStyle,
        tag: Option<&Tag>,
        has_properties: bool,
        ev: saphyr_parser::Span,
    ) -> Result<Built, YamlError> {
        use saphyr_parser::ScalarStyle as S;
        let style = match style {
            S::Plain => ScalarStyle::Plain,
            S::SingleQuoted => ScalarStyle::SingleQuoted,
            S::DoubleQuoted => ScalarStyle::DoubleQuoted,
            S::Literal => ScalarStyle::Literal,
            S::Folded => ScalarStyle::Folded,
        };
        let tag = tag.map(tag_text);
        let (start, end) = match style {
            // An empty plain scalar (`key:`) has no text: point just at where it would be,
            // unless it has properties (`key: !reset`), which then are its text.
            ScalarStyle::Plain if text.is_empty() => {
                if has_properties {
                    (ev.start, ev.end)
                } else {
                    (ev.start, ev.start)
                }
            }
            ScalarStyle::Literal | ScalarStyle::Folded => {
                let start = self
                    .src
                    .block_header(self.prev_end, ev.end)
                    .unwrap_or(ev.start);
                (start, self.src.trim_end(start, ev.end))
            }
            ScalarStyle::Plain => (
                self.src
                    .skip_properties(ev.start, ev.end)
                    .unwrap_or(ev.start),
                ev.end,
            ),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                let start = self
                    .src
                    .skip_properties(ev.start, ev.end)
                    .unwrap_or(ev.start);
                (start, self.src.quoted_end(start, ev.end).unwrap_or(ev.end))
            }
        };
        let node_span = self.src.span(start, end);
        let cost = Cost {
            nodes: 1,
            bytes: text.len(),
            height: 0,
        };
        self.spend(cost, node_span)?;
        Ok(Built {
            node: Node {
                file: self.file.clone(),
                span: node_span,
                tag,
                kind: NodeKind::Scalar(Scalar {
                    text: text.to_string(),
                    style,
                    original: None,
                }),
            },
            cost,
            end,
        })
    }

    /// Keeps a copy of an anchored node for its aliases; the copy counts against the budget.
    fn remember(&mut self, anchor: usize, built: &Built) -> Result<(), YamlError> {
        self.spend(built.cost, built.node.span)?;
        self.open.remove(&anchor);
        self.anchors.insert(
            anchor,
            Anchored {
                node: built.node.clone(),
                cost: built.cost,
            },
        );
        Ok(())
    }

    fn alias(&mut self, id: usize, ev: saphyr_parser::Span) -> Result<Built, YamlError> {
        let at = self.src.span(ev.start, ev.end);
        let name = self.src.slice(ev.start, ev.end).to_string();
        if self.open.contains(&id) {
            return Err(self.error(
                Some(at),
                format!("alias {name} refers to a node that contains it (recursive anchor)"),
                "an alias must refer to a node that is complete where the alias is written",
            ));
        }
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(self.error(
                Some(at),
                format!("alias {name} refers to an unknown anchor"),
                "define the anchor (`&name`) before the alias (`*name`) in the same document",
            ));
        };
        let cost = anchored.cost;
        self.check_depth(cost.height, at)?;
        self.spend(cost, at)?;
        let node = self
            .anchors
            .get(&id)
            .map_or_else(|| self.null_node(ev.start), |a| a.node.clone());
        Ok(Built {
            node,
            cost,
            end: ev.end,
        })
    }

    fn open_collection(
        &mut self,
        anchor: usize,
        tag: Option<&Tag>,
        ev: saphyr_parser::Span,
        seq: bool,
    ) -> Result<(), YamlError> {
        let start = self.src.skip_properties(ev.start, ev.end).unwrap_or(ev.end);
        let start = if ev.start.index() == ev.end.index() || anchor == 0 && tag.is_none() {
            ev.start
        } else {
            start
        };
        self.check_depth(1, self.src.span(start, ev.end))?;
        self.spend(
            Cost {
                nodes: 1,
                bytes: 0,
                height: 0,
            },
            self.src.span(start, ev.end),
        )?;
        if anchor != 0 {
            self.open.insert(anchor);
        }
        // A flow collection's event ends just after its bracket; a block one's is empty or
        // ends where its first entry starts.
        let flow = ev.start.index() < ev.end.index()
            && matches!(
                self.src.char_at(Marker::new(ev.end.index() - 1, 0, 0)),
                Some('[' | '{')
            );
        self.stack.push(Frame {
            start,
            flow,
            end: ev.end,
            tag: tag.map(tag_text),
            anchor,
            cost: Cost {
                nodes: 1,
                bytes: 0,
                height: 0,
            },
            kind: if seq {
                FrameKind::Seq(Vec::new())
            } else {
                FrameKind::Map(Box::default())
            },
        });
        Ok(())
    }

    fn close_collection(&mut self, ev: saphyr_parser::Span) -> Result<Built, YamlError> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.error(
                Some(self.src.span(ev.start, ev.end)),
                "invalid YAML: unbalanced collection end".into(),
                "check the brackets and indentation",
            ));
        };
        // A flow collection ends with its `]`/`}` (a non-empty span); a block one with its
        // last child.
        let end = if ev.start.index() < ev.end.index() {
            ev.end
        } else {
            frame.end
        };
        let node_span = self.src.span(frame.start, end);
        let kind = match frame.kind {
            FrameKind::Seq(items) => NodeKind::Seq(items),
            FrameKind::Map(mut m) => {
                if let Some(key) = m.key.take() {
                    // Cannot happen with saphyr's event stream (a key always gets a value),
                    // but never lose a key silently.
                    let null = self.null_node(key_end(&key));
                    m.entries.push((key, null));
                }
                if let Some((at, value, used)) = m.merge.take() {
                    if let Err(bad) = merge::apply(&mut m.entries, at, value, used) {
                        return Err(self.error(
                            Some(bad.span),
                            format!("{}, not {}", merge::WANT_MAP, bad.type_name()),
                            "`<<` merges the keys of a mapping (`<<: *defaults`) or of a list \
                             of mappings (`<<: [*a, *b]`)",
                        ));
                    }
                }
                NodeKind::Map(m.entries)
            }
        };
        let mut cost = frame.cost;
        cost.height += 1;
        let built = Built {
            node: Node {
                file: self.file.clone(),
                span: node_span,
                tag: frame.tag,
                kind,
            },
            cost,
            end,
        };
        if frame.anchor != 0 {
            self.remember(frame.anchor, &built)?;
        }
        Ok(built)
    }

    /// Adds a finished node to the collection being read, or makes it the document root.
    fn attach(&mut self, built: Built) -> Result<(), YamlError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(());
        };
        frame.cost.add(built.cost);
        if built.end.index() > frame.end.index() {
            frame.end = built.end;
        }
        let m = match &mut frame.kind {
            FrameKind::Seq(items) => {
                items.push(built.node);
                return Ok(());
            }
            FrameKind::Map(m) => m,
        };
        let Some(key) = m.key.take() else {
            // A key: refuse it if the mapping already has it (merged keys do not count).
            if let Some(text) = built.node.as_scalar().map(|s| s.text.clone()) {
                let line = built.node.span.start.line;
                if let Some(first) = m.seen.insert(text.clone(), line) {
                    let at = built.node.span;
                    return Err(self.error(
                        Some(at),
                        format!("mapping key {text:?} already defined at line {first}"),
                        "a mapping cannot repeat a key: remove or rename one of them",
                    ));
                }
            }
            m.key = Some(built.node);
            return Ok(());
        };
        if merge::is_merge_key(&key) {
            let used = Span::new(key.span.start, self.src.span(built.end, built.end).end);
            m.merge = Some((m.entries.len(), built.node, used));
        } else {
            m.entries.push((key, built.node));
        }
        Ok(())
    }
}

/// Where a node's span ends, as a marker (for a synthetic null after it).
fn key_end(node: &Node) -> Marker {
    let line = node.span.end.line as usize;
    let col = (node.span.end.column as usize).saturating_sub(1);
    Marker::new(0, line, col)
}

/// A tag as it is written: `!!str` for the core schema, `!reset` for local tags.
fn tag_text(tag: &Tag) -> String {
    const CORE: &str = "tag:yaml.org,2002:";
    if tag.handle == CORE {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else if tag.handle.is_empty() {
        match tag.suffix.strip_prefix(CORE) {
            Some(core) => format!("!!{core}"),
            None if tag.suffix == "!" => "!".to_string(),
            None => format!("!<{}>", tag.suffix),
        }
    } else {
        format!("!<{}{}>", tag.handle, tag.suffix)
    }
}

#[cfg(test)]
mod tests;
