//! Merging compose models: several `-f` files, a service over the one it `extends`, a
//! project's own definitions over `include`d ones. The rules are compose-go's
//! (`override/merge.go`, `override/uncity.go`), which is what `docker compose` runs; the
//! Compose Specification (13-merge.md) states them more loosely:
//!
//! - mappings merge key by key; a scalar is replaced; a sequence is appended to;
//! - `command`, `entrypoint`, `healthcheck.test` (and each `ulimits` entry) are replaced;
//! - `environment`, `labels`, `sysctls`, `build.args`, `env_file`, `dns*`, `tmpfs`… merge as
//!   `KEY=VALUE` lists whichever syntax each file used; `extra_hosts` appends what is new;
//!   `networks`/`depends_on` merge as mappings whichever syntax; `build: path` merges as
//!   `{context: path}`; `logging` options merge only when the driver is the same;
//! - `!reset` removes a value, `!override` replaces it wholesale;
//! - afterwards ([`super::unique`]) sequences with an identity keep one entry per key.
//!
//! Positions survive: a value the override file set is the override file's node (its file
//! and span), a mapping merged key by key keeps the base's node for itself and gets each
//! entry from wherever it was last set.
//!
//! Two deliberate differences in *representation* (not meaning): when both sides of an
//! `environment`-like merge are mappings the result stays a mapping (compose-go turns it into
//! a sorted `KEY=VALUE` list), and converted lists keep source order instead of sorting.

use super::nodes::{
    error_at, is_override, is_reset, map_like, null_like, scalar_like, seq_like, text,
};
use super::Diagnostic;
use crate::yaml::{Node, NodeKind, Scalar, ScalarStyle};
use std::collections::{HashMap, HashSet};

/// How compose-go merges the value at a given path (its `mergeSpecials`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// The override replaces the base (`command`, `entrypoint`, `healthcheck.test`, each
    /// `ulimits` entry).
    Override,
    /// Both sides as `KEY=VALUE` lists, concatenated (`mergeToSequence`).
    ToSequence,
    /// Both as lists; override entries already present are not repeated.
    ExtraHosts,
    /// `build: path` is `{context: path}`; then a mapping merge.
    Build,
    /// A list of names is a mapping to `{condition: service_started, required: true}`.
    DependsOn,
    /// A list of names is a mapping to null (`networks`, `models`).
    ToMapping,
    /// Options merge only when both name the same driver (or one names none).
    Logging,
    /// `networks.*.ipam.config`: entries matched by `subnet`.
    IpamConfig,
}

const SPECIALS: &[(&[&str], Rule)] = &[
    (&["networks", "*", "ipam", "config"], Rule::IpamConfig),
    (&["networks", "*", "labels"], Rule::ToSequence),
    (&["volumes", "*", "labels"], Rule::ToSequence),
    (&["services", "*", "annotations"], Rule::ToSequence),
    (&["services", "*", "build"], Rule::Build),
    (&["services", "*", "build", "args"], Rule::ToSequence),
    (
        &["services", "*", "build", "additional_contexts"],
        Rule::ToSequence,
    ),
    (&["services", "*", "build", "extra_hosts"], Rule::ExtraHosts),
    (&["services", "*", "build", "labels"], Rule::ToSequence),
    (&["services", "*", "command"], Rule::Override),
    (&["services", "*", "depends_on"], Rule::DependsOn),
    (&["services", "*", "deploy", "labels"], Rule::ToSequence),
    (&["services", "*", "dns"], Rule::ToSequence),
    (&["services", "*", "dns_opt"], Rule::ToSequence),
    (&["services", "*", "dns_search"], Rule::ToSequence),
    (&["services", "*", "entrypoint"], Rule::Override),
    (&["services", "*", "env_file"], Rule::ToSequence),
    (&["services", "*", "label_file"], Rule::ToSequence),
    (&["services", "*", "environment"], Rule::ToSequence),
    (&["services", "*", "extra_hosts"], Rule::ExtraHosts),
    (&["services", "*", "healthcheck", "test"], Rule::Override),
    (&["services", "*", "labels"], Rule::ToSequence),
    (&["services", "*", "logging"], Rule::Logging),
    (&["services", "*", "models"], Rule::ToMapping),
    (&["services", "*", "networks"], Rule::ToMapping),
    (&["services", "*", "sysctls"], Rule::ToSequence),
    (&["services", "*", "tmpfs"], Rule::ToSequence),
    (&["services", "*", "ulimits", "*"], Rule::Override),
];

fn rule_for(path: &[String]) -> Option<Rule> {
    SPECIALS
        .iter()
        .find(|(pattern, _)| {
            pattern.len() == path.len()
                && pattern.iter().zip(path).all(|(p, s)| *p == "*" || p == s)
        })
        .map(|(_, r)| *r)
}

/// What merging one value did.
enum Outcome {
    /// `!reset`: the key goes away.
    Removed,
    /// The base node stays (possibly with merged content): the base's key is kept.
    Kept(Node),
    /// The override's node replaces the base: the override's key is used too, so key and
    /// value point at the same file.
    Replaced(Node),
}

/// Merges a document (or a whole loaded model) over the model accumulated so far.
pub(crate) fn merge_models(base: Node, over: Node) -> Result<Node, Diagnostic> {
    let at = base.clone_meta();
    match merge_at(base, over, &mut Vec::new())? {
        Outcome::Removed => Ok(map_like(&at, Vec::new())),
        Outcome::Kept(n) | Outcome::Replaced(n) => Ok(n),
    }
}

/// Merges the definition of `name` under `kind` (`services`, `volumes`…) over `base`: for
/// `extends` (the extending service over its base) and `include` (the project's own
/// definition over the included one). `Ok(None)`: the override is `!reset`.
pub(crate) fn merge_named(
    kind: &str,
    name: &str,
    base: Node,
    over: Node,
) -> Result<Option<Node>, Diagnostic> {
    let mut path = vec![kind.to_string(), name.to_string()];
    let mut marks = Vec::new();
    collect_tags(&over, &mut Vec::new(), &mut marks);
    Ok(match merge_at(base, over, &mut path)? {
        Outcome::Removed => None,
        Outcome::Kept(mut n) | Outcome::Replaced(mut n) => {
            reapply_tags(&marks, &mut n);
            Some(n)
        }
    })
}

/// A `!reset`/`!override` an overriding definition carries: its path under the definition,
/// the key it is written on, and the tag.
type TagMark = (Vec<String>, Node, String);

/// The merge tags under a service mapping (not below a tagged node, not inside sequences).
fn collect_tags(node: &Node, path: &mut Vec<String>, out: &mut Vec<TagMark>) {
    let Some(entries) = node.as_map() else {
        return;
    };
    for (k, v) in entries {
        let Some(key) = text(k) else { continue };
        path.push(key.to_string());
        match v.tag.as_deref() {
            Some(tag @ ("!reset" | "!override")) => {
                out.push((path.clone(), k.clone(), tag.to_string()));
            }
            _ => collect_tags(v, path, out),
        }
        path.pop();
    }
}

/// Puts an overriding definition's merge tags back on the merged result. Merging it over its
/// base (for `extends` or an `include`d resource) consumed them, but compose-go applies a
/// file's `!reset`/`!override` paths to the earlier files too: `ports: !override […]` in an
/// extending service of an override file replaces the base file's ports as well. A reset
/// key comes back as a `!reset` null, which the merge with earlier files (or [`clean`])
/// consumes.
fn reapply_tags(marks: &[TagMark], merged: &mut Node) {
    for (path, key, tag) in marks {
        let Some((last, parents)) = path.split_last() else {
            continue;
        };
        let Some(cur) = descend(merged, parents) else {
            continue;
        };
        if tag == "!override" {
            if let Some(value) = cur.get_mut(last) {
                value.tag = Some(tag.clone());
            }
        } else if cur.get(last).is_none() {
            if let NodeKind::Map(entries) = &mut cur.kind {
                let mut null = null_like(key);
                null.tag = Some(tag.clone());
                entries.push((key.clone(), null));
            }
        }
    }
}

fn descend<'n>(node: &'n mut Node, path: &[String]) -> Option<&'n mut Node> {
    let mut cur = node;
    for p in path {
        cur = cur.get_mut(p)?;
    }
    Some(cur)
}

/// A value as it enters the model without anything to merge with: `!reset` values (and
/// entries/items holding them) are dropped, `!override` tags are consumed.
pub(crate) fn clean(mut node: Node) -> Option<Node> {
    if is_reset(&node) {
        return None;
    }
    if is_override(&node) {
        node.tag = None;
    }
    node.kind = match node.kind {
        NodeKind::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .filter_map(|(k, v)| clean(v).map(|v| (k, v)))
                .collect(),
        ),
        NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().filter_map(clean).collect()),
        scalar => scalar,
    };
    Some(node)
}

trait Meta {
    /// A childless copy of the node (its file, span and tag), to build a replacement at the
    /// same position.
    fn clone_meta(&self) -> Node;
}

impl Meta for Node {
    fn clone_meta(&self) -> Node {
        Node {
            file: self.file.clone(),
            span: self.span,
            tag: self.tag.clone(),
            kind: NodeKind::Seq(Vec::new()),
        }
    }
}

fn replaced(over: Node) -> Outcome {
    clean(over).map_or(Outcome::Removed, Outcome::Replaced)
}

fn merge_at(base: Node, over: Node, path: &mut Vec<String>) -> Result<Outcome, Diagnostic> {
    if is_reset(&over) {
        return Ok(Outcome::Removed);
    }
    if is_override(&over) || base.is_null() {
        return Ok(replaced(over));
    }
    let rule = rule_for(path);
    if over.is_null() {
        // compose-go: a null override keeps the base, except where the rule is "replace".
        return Ok(if rule == Some(Rule::Override) {
            Outcome::Replaced(over)
        } else {
            Outcome::Kept(base)
        });
    }
    match rule {
        Some(Rule::Override) => Ok(replaced(over)),
        Some(Rule::ToSequence) => Ok(Outcome::Kept(to_sequence(base, over))),
        Some(Rule::ExtraHosts) => Ok(Outcome::Kept(extra_hosts(base, over))),
        Some(Rule::Build) => merge_generic(as_build_map(base), as_build_map(over), path),
        Some(Rule::DependsOn) => merge_generic(depends_on_map(base), depends_on_map(over), path),
        Some(Rule::ToMapping) => merge_generic(names_map(base), names_map(over), path),
        Some(Rule::Logging) => {
            let driver = |n: &Node| n.get("driver").and_then(text).map(str::to_string);
            match (driver(&base), driver(&over)) {
                (Some(b), Some(o)) if b != o => Ok(replaced(over)),
                _ => merge_generic(base, over, path),
            }
        }
        Some(Rule::IpamConfig) => ipam_config(base, over, path),
        None => merge_generic(base, over, path),
    }
}

fn merge_generic(base: Node, over: Node, path: &mut Vec<String>) -> Result<Outcome, Diagnostic> {
    let base_kind = base.type_name();
    match (&base.kind, &over.kind) {
        (NodeKind::Map(_), NodeKind::Map(_)) => Ok(Outcome::Kept(merge_mappings(base, over, path)?)),
        (NodeKind::Seq(_), NodeKind::Seq(_)) => {
            let Node {
                file,
                span,
                tag,
                kind,
            } = base;
            let mut items = match kind {
                NodeKind::Seq(items) => items,
                _ => Vec::new(),
            };
            if let NodeKind::Seq(more) = over.kind {
                items.extend(more.into_iter().filter_map(clean));
            }
            Ok(Outcome::Kept(Node {
                file,
                span,
                tag,
                kind: NodeKind::Seq(items),
            }))
        }
        (NodeKind::Map(_), _) | (NodeKind::Seq(_), _) => Err(error_at(
            &over,
            format!(
                "cannot override `{}`: it is {} in {} and {} here",
                path.join("."),
                base_kind,
                base.file,
                over.type_name()
            ),
            Some("a file merged over another must keep each key's type (a mapping stays a mapping, a list a list)"),
        )),
        _ => Ok(replaced(over)),
    }
}

fn merge_mappings(base: Node, over: Node, path: &mut Vec<String>) -> Result<Node, Diagnostic> {
    let mut out = base.clone_meta();
    let mut map = Keyed::new(base);
    let more = match over.kind {
        NodeKind::Map(e) => e,
        _ => Vec::new(),
    };
    for (k, v) in more {
        let Some(key) = text(&k).map(str::to_string) else {
            return Err(error_at(
                &k,
                "a mapping key must be a string",
                Some("compose keys are plain names; complex keys are not allowed"),
            ));
        };
        let Some((base_key, base_value)) = map.take(&key) else {
            if let Some(v) = clean(v) {
                map.push(key, k, v);
            }
            continue;
        };
        path.push(key.clone());
        let outcome = merge_at(base_value, v, path);
        path.pop();
        match outcome? {
            Outcome::Removed => map.forget(&key),
            Outcome::Kept(n) => map.put_back(&key, base_key, n),
            Outcome::Replaced(n) => map.put_back(&key, k, n),
        }
    }
    out.kind = NodeKind::Map(map.into_entries());
    Ok(out)
}

/// A mapping's entries with an index by key, so merging two mappings of n and m keys costs
/// n + m, not n × m (a hostile file can hold hundreds of thousands of keys).
pub(crate) struct Keyed {
    slots: Vec<Option<(Node, Node)>>,
    index: HashMap<String, usize>,
}

impl Keyed {
    fn new(map: Node) -> Self {
        match map.kind {
            NodeKind::Map(e) => Keyed::from_entries(e),
            _ => Keyed::from_entries(Vec::new()),
        }
    }

    pub(crate) fn from_entries(entries: Vec<(Node, Node)>) -> Self {
        let slots: Vec<Option<(Node, Node)>> = entries.into_iter().map(Some).collect();
        let mut index = HashMap::with_capacity(slots.len());
        for (i, slot) in slots.iter().enumerate() {
            if let Some(key) = slot.as_ref().and_then(|(k, _)| text(k)) {
                // The last of repeated keys wins, like `Node::get`.
                index.insert(key.to_string(), i);
            }
        }
        Keyed { slots, index }
    }

    /// Takes the entry for `key` out (its slot stays reserved until `put_back`/`forget`).
    pub(crate) fn take(&mut self, key: &str) -> Option<(Node, Node)> {
        let i = *self.index.get(key)?;
        self.slots.get_mut(i).and_then(Option::take)
    }

    pub(crate) fn put_back(&mut self, key: &str, k: Node, v: Node) {
        if let Some(slot) = self.index.get(key).and_then(|&i| self.slots.get_mut(i)) {
            *slot = Some((k, v));
        }
    }

    pub(crate) fn forget(&mut self, key: &str) {
        if let Some(i) = self.index.remove(key) {
            if let Some(slot) = self.slots.get_mut(i) {
                *slot = None;
            }
        }
    }

    /// Adds or replaces (in place) the entry for `key`.
    pub(crate) fn push(&mut self, key: String, k: Node, v: Node) {
        match self.index.get(&key).and_then(|&i| self.slots.get_mut(i)) {
            Some(slot) => *slot = Some((k, v)),
            None => {
                self.index.insert(key, self.slots.len());
                self.slots.push(Some((k, v)));
            }
        }
    }

    pub(crate) fn into_entries(self) -> Vec<(Node, Node)> {
        self.slots.into_iter().flatten().collect()
    }
}

/// `KEY=VALUE` lists (compose-go `mergeToSequence`), or a key-by-key mapping merge when both
/// sides are mappings (same meaning, keeps each value's own node).
fn to_sequence(base: Node, over: Node) -> Node {
    if let (NodeKind::Map(_), NodeKind::Map(_)) = (&base.kind, &over.kind) {
        let mut out = base.clone_meta();
        let mut map = Keyed::new(base);
        if let NodeKind::Map(more) = over.kind {
            for (k, v) in more {
                let key = text(&k).unwrap_or_default().to_string();
                match clean(v) {
                    None => map.forget(&key),
                    Some(v) => map.push(key, k, v),
                }
            }
        }
        out.tag = None;
        out.kind = NodeKind::Map(map.into_entries());
        return out;
    }
    let reset: HashSet<String> = match &over.kind {
        NodeKind::Map(e) => e
            .iter()
            .filter(|(_, v)| is_reset(v))
            .filter_map(|(k, _)| text(k).map(str::to_string))
            .collect(),
        _ => HashSet::new(),
    };
    let at = base.clone_meta();
    let mut items = into_items(base);
    if !reset.is_empty() {
        items.retain(|i| !text(i).is_some_and(|t| reset.contains(key_part(t))));
    }
    items.extend(into_items(over));
    let mut out = at;
    out.tag = None;
    out.kind = NodeKind::Seq(items);
    out
}

/// `extra_hosts`: both as lists, override entries not already present appended.
fn extra_hosts(base: Node, over: Node) -> Node {
    let at = base.clone_meta();
    let mut items = into_items(base);
    let present: HashSet<String> = items.iter().filter_map(text).map(str::to_string).collect();
    items.extend(
        into_items(over)
            .into_iter()
            .filter(|i| !text(i).is_some_and(|t| present.contains(t))),
    );
    seq_like(&at, items)
}

/// The name part of a `KEY=VALUE` entry.
pub(crate) fn key_part(entry: &str) -> &str {
    entry.split_once('=').map_or(entry, |(k, _)| k)
}

/// A mapping, list or single string as list items (compose-go `convertIntoSequence`): a
/// mapping entry `K: V` becomes the item `K=V` at the value's position (`K` alone, at the
/// key, for a null value).
fn into_items(node: Node) -> Vec<Node> {
    match node.kind {
        NodeKind::Map(entries) => {
            let mut items = Vec::new();
            for (k, v) in entries {
                if is_reset(&v) {
                    continue;
                }
                let key = text(&k).unwrap_or_default().to_string();
                match &v.kind {
                    _ if v.is_null() => items.push(scalar_like(&k, key)),
                    NodeKind::Scalar(s) => items.push(Node {
                        file: v.file.clone(),
                        span: v.span,
                        tag: None,
                        kind: NodeKind::Scalar(Scalar {
                            text: format!("{key}={}", s.text),
                            style: ScalarStyle::Plain,
                            original: s.original.as_ref().map(|o| format!("{key}={o}")),
                        }),
                    }),
                    NodeKind::Seq(values) => {
                        for value in values {
                            if let Some(t) = text(value) {
                                items.push(scalar_like(value, format!("{key}={t}")));
                            }
                        }
                    }
                    NodeKind::Map(_) => {}
                }
            }
            items
        }
        NodeKind::Seq(items) => items.into_iter().filter_map(clean).collect(),
        NodeKind::Scalar(_) if node.is_null() => Vec::new(),
        NodeKind::Scalar(_) => clean(node).into_iter().collect(),
    }
}

fn as_build_map(node: Node) -> Node {
    if node.as_scalar().is_some() && !node.is_null() {
        let key = scalar_like(&node, "context");
        let mut value = node;
        value.tag = None;
        let at = value.clone_meta();
        return map_like(&at, vec![(key, value)]);
    }
    node
}

fn depends_on_map(node: Node) -> Node {
    match node.kind {
        NodeKind::Seq(items) => {
            let entries = items
                .into_iter()
                .map(|item| {
                    let cond = map_like(
                        &item,
                        vec![
                            (
                                scalar_like(&item, "condition"),
                                scalar_like(&item, "service_started"),
                            ),
                            (scalar_like(&item, "required"), scalar_like(&item, "true")),
                        ],
                    );
                    (item, cond)
                })
                .collect();
            Node {
                kind: NodeKind::Map(entries),
                ..node
            }
        }
        kind => Node { kind, ..node },
    }
}

fn names_map(node: Node) -> Node {
    match node.kind {
        NodeKind::Seq(items) => {
            let entries = items
                .into_iter()
                .map(|item| {
                    let null = null_like(&item);
                    (item, null)
                })
                .collect();
            Node {
                kind: NodeKind::Map(entries),
                ..node
            }
        }
        kind => Node { kind, ..node },
    }
}

/// `networks.*.ipam.config`: the override's entries, each merged over the base entry with the
/// same `subnet` (compose-go `mergeIPAMConfig` keeps only subnets the override names).
fn ipam_config(base: Node, over: Node, path: &mut Vec<String>) -> Result<Outcome, Diagnostic> {
    let (NodeKind::Seq(bases), NodeKind::Seq(_)) = (&base.kind, &over.kind) else {
        return merge_generic(base, over, path);
    };
    if bases.is_empty() {
        return Ok(replaced(over));
    }
    let subnet = |n: &Node| n.get("subnet").and_then(text).map(str::to_string);
    let by_subnet: HashMap<String, &Node> = bases
        .iter()
        .filter(|b| b.as_map().is_some())
        .filter_map(|b| subnet(b).map(|s| (s, b)))
        .collect();
    let at = over.clone_meta();
    let mut out = Vec::new();
    if let NodeKind::Seq(items) = over.kind {
        for item in items {
            let Some(item) = clean(item) else { continue };
            let same = subnet(&item).and_then(|s| by_subnet.get(&s).copied());
            match (same, &item.kind) {
                (Some(b), NodeKind::Map(_)) => out.push(merge_mappings(b.clone(), item, path)?),
                _ => out.push(item),
            }
        }
    }
    let mut node = at;
    node.tag = None;
    node.kind = NodeKind::Seq(out);
    Ok(Outcome::Replaced(node))
}

#[cfg(test)]
mod tests {
    use super::super::unique::{enforce_unicity, split_volume, volume_target};
    use super::*;
    use crate::yaml::{parse, Limits};

    fn doc(path: &str, text: &str) -> Node {
        parse(path, text, &Limits::default())
            .ok()
            .and_then(|d| d.into_iter().next())
            .expect("test YAML parses")
    }

    fn merged(a: &str, b: &str) -> Node {
        let mut m = merge_models(doc("a.yaml", a), doc("b.yaml", b)).expect("merges");
        enforce_unicity(&mut m);
        m
    }

    fn svc<'n>(m: &'n Node, path: &[&str]) -> &'n Node {
        let mut cur = m.get("services").and_then(|s| s.get("web")).expect("web");
        for p in path {
            cur = cur.get(p).unwrap_or_else(|| panic!("no {p}"));
        }
        cur
    }

    fn texts(n: &Node) -> Vec<String> {
        n.as_seq()
            .expect("a list")
            .iter()
            .map(|i| text(i).unwrap_or("?").to_string())
            .collect()
    }

    #[test]
    fn mappings_merge_and_scalars_are_replaced() {
        let m = merged(
            "services:\n  web:\n    image: a\n    user: root\n",
            "services:\n  web:\n    image: b\n    read_only: true\n",
        );
        let web = svc(&m, &[]);
        assert_eq!(web.get("image").and_then(text), Some("b"));
        assert_eq!(web.get("image").map(|n| &*n.file), Some("b.yaml"));
        assert_eq!(web.get("user").and_then(text), Some("root"));
        assert_eq!(web.get("read_only").and_then(|n| n.as_bool()), Some(true));
        // The key of a replaced value comes from the override file too.
        let entries = web.as_map().expect("map");
        let (k, _) = entries
            .iter()
            .find(|(k, _)| text(k) == Some("image"))
            .expect("image");
        assert_eq!(&*k.file, "b.yaml");
    }

    #[test]
    fn command_is_replaced_and_cap_add_appended_unique() {
        let m = merged(
            "services:\n  web:\n    command: [a, b]\n    cap_add: [NET_ADMIN]\n",
            "services:\n  web:\n    command: [c]\n    cap_add: [SYS_ADMIN, NET_ADMIN]\n",
        );
        assert_eq!(texts(svc(&m, &["command"])), ["c"]);
        assert_eq!(texts(svc(&m, &["cap_add"])), ["NET_ADMIN", "SYS_ADMIN"]);
    }

    #[test]
    fn ports_and_volumes_are_unique_by_key() {
        let m = merged(
            "services:\n  web:\n    ports: ['8080:80', '443:443']\n    volumes: ['./a:/data', 'logs:/logs']\n",
            "services:\n  web:\n    ports:\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n      - '0.0.0.0:443:443'\n    volumes:\n      - type: bind\n        source: /etc\n        target: /data/\n",
        );
        let ports = svc(&m, &["ports"]).as_seq().expect("ports");
        // 127.0.0.1:8080:80 differs from 0.0.0.0:8080:80; 0.0.0.0:443:443 replaces 443:443.
        assert_eq!(ports.len(), 3);
        assert_eq!(ports.get(1).and_then(text), Some("0.0.0.0:443:443"));
        assert_eq!(ports.get(1).map(|n| &*n.file), Some("b.yaml"));
        let vols = svc(&m, &["volumes"]).as_seq().expect("volumes");
        assert_eq!(vols.len(), 2);
        assert_eq!(
            vols.first().and_then(|v| v.get("source")).and_then(text),
            Some("/etc")
        );
    }

    #[test]
    fn environment_merges_across_syntaxes() {
        let m = merged(
            "services:\n  web:\n    environment:\n      A: '1'\n      B: '2'\n",
            "services:\n  web:\n    environment:\n      - B=3\n      - C\n",
        );
        assert_eq!(texts(svc(&m, &["environment"])), ["A=1", "B=3", "C"]);
        let both_maps = merged(
            "services:\n  web:\n    environment:\n      A: '1'\n      B: '2'\n",
            "services:\n  web:\n    environment:\n      B: '3'\n",
        );
        let env = svc(&both_maps, &["environment"]);
        assert_eq!(env.get("B").and_then(text), Some("3"));
        assert_eq!(env.get("B").map(|n| &*n.file), Some("b.yaml"));
        assert_eq!(env.get("A").and_then(text), Some("1"));
    }

    #[test]
    fn reset_and_override_tags() {
        let m = merged(
            "services:\n  web:\n    ports: ['80:80']\n    environment:\n      FOO: bar\n      KEEP: x\n    dns: [1.1.1.1]\n",
            "services:\n  web:\n    ports: !reset []\n    environment:\n      FOO: !reset null\n    dns: !override [8.8.8.8]\n",
        );
        let web = svc(&m, &[]);
        assert!(web.get("ports").is_none());
        assert!(svc(&m, &["environment"]).get("FOO").is_none());
        assert_eq!(
            svc(&m, &["environment"]).get("KEEP").and_then(text),
            Some("x")
        );
        assert_eq!(texts(svc(&m, &["dns"])), ["8.8.8.8"]);
        assert_eq!(svc(&m, &["dns"]).tag, None);
    }

    #[test]
    fn build_networks_depends_on_and_logging() {
        let m = merged(
            "services:\n  web:\n    build: ./app\n    networks: [front]\n    depends_on: [db]\n    logging:\n      driver: json-file\n      options: {max-size: 1m}\n",
            "services:\n  web:\n    build:\n      dockerfile: Other\n    networks:\n      back: {}\n    depends_on:\n      cache:\n        condition: service_healthy\n    logging:\n      driver: syslog\n",
        );
        assert_eq!(svc(&m, &["build", "context"]).as_str(), Some("./app"));
        assert_eq!(svc(&m, &["build", "dockerfile"]).as_str(), Some("Other"));
        let nets: Vec<_> = svc(&m, &["networks"])
            .as_map()
            .expect("map")
            .iter()
            .map(|(k, _)| text(k).unwrap_or(""))
            .collect();
        assert_eq!(nets, ["front", "back"]);
        assert_eq!(
            svc(&m, &["depends_on", "db", "condition"]).as_str(),
            Some("service_started")
        );
        assert_eq!(
            svc(&m, &["depends_on", "cache", "condition"]).as_str(),
            Some("service_healthy")
        );
        // Different driver: the override's logging replaces the base's options.
        assert!(svc(&m, &["logging"]).get("options").is_none());
    }

    #[test]
    fn null_override_keeps_the_base_but_not_for_command() {
        let m = merged(
            "services:\n  web:\n    image: a\n    command: run\n",
            "services:\n  web:\n    image:\n    command:\n",
        );
        assert_eq!(svc(&m, &["image"]).as_str(), Some("a"));
        assert!(svc(&m, &["command"]).is_null());
    }

    #[test]
    fn type_conflicts_are_errors_at_the_override() {
        let err = merge_models(
            doc("a.yaml", "services:\n  web:\n    volumes: [a:/a]\n"),
            doc("b.yaml", "services:\n  web:\n    volumes: oops\n"),
        )
        .expect_err("error");
        assert_eq!(err.path, "b.yaml");
        assert_eq!(err.span.map(|s| s.start.line), Some(3));
        assert!(
            err.message.contains("services.web.volumes"),
            "{}",
            err.message
        );
    }

    #[test]
    fn volume_fields_split_like_compose() {
        assert_eq!(split_volume("./a:/b:ro"), ["./a", "/b", "ro"]);
        assert_eq!(split_volume("C:\\x:/b"), ["C:\\x", "/b"]);
        assert_eq!(split_volume("${A:-x}:/b"), ["${A:-x}", "/b"]);
        assert_eq!(volume_target("/anon").as_deref(), Some("/anon"));
        assert_eq!(volume_target(":/x"), None);
    }

    #[test]
    fn ulimits_entries_are_replaced() {
        let m = merged(
            "services:\n  web:\n    ulimits:\n      nofile: {soft: 1, hard: 2}\n      nproc: 10\n",
            "services:\n  web:\n    ulimits:\n      nofile: {soft: 3}\n",
        );
        assert!(svc(&m, &["ulimits", "nofile"]).get("hard").is_none());
        assert_eq!(svc(&m, &["ulimits", "nproc"]).as_i64(), Some(10));
    }
}
