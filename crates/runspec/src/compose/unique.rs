//! Sequences whose entries have an identity keep one entry per identity after merging, at
//! the first entry's position with the last entry's value (compose-go `override/uncity.go`
//! `EnforceUnicity`, the Compose Specification's "unique resources"): `ports` by
//! `{ip, published, target, protocol}`, `volumes` and `devices` by target, `secrets`/`configs`
//! by target, `environment`/`labels`/`cap_add`/`dns`… by the name before `=`, `env_file` by
//! path. Short and long syntax are identified alike (`"8080:80"` and `{target: 80,
//! published: 8080}` are the same port), as compose-go compares them after canonicalising.

use super::merge::key_part;
use super::nodes::text;
use crate::yaml::{Node, NodeKind};
use std::collections::HashMap;

/// How entries of a sequence are identified (compose-go `unique` indexers).
#[derive(Debug, Clone, Copy)]
enum Index {
    /// The name before `=` (the whole text when there is none).
    KeyValue,
    /// The whole text.
    Whole,
    /// A volume's target.
    Volume,
    /// A device's container path.
    Device,
    /// A secret/config: its target, else `<prefix>/<source>`.
    Mount(&'static str),
    EnvFile,
    Port,
}

/// Per-service sequences with an identity (compose-go `uncity.go`), by path under the
/// service.
const SERVICE_UNIQUE: &[(&[&str], Index)] = &[
    (&["annotations"], Index::KeyValue),
    (&["build", "args"], Index::KeyValue),
    (&["build", "additional_contexts"], Index::KeyValue),
    (&["build", "tags"], Index::KeyValue),
    (&["build", "labels"], Index::KeyValue),
    (&["cap_add"], Index::KeyValue),
    (&["cap_drop"], Index::KeyValue),
    (&["devices"], Index::Device),
    (&["configs"], Index::Mount("")),
    (&["deploy", "labels"], Index::KeyValue),
    (&["dns"], Index::KeyValue),
    (&["dns_opt"], Index::KeyValue),
    (&["dns_search"], Index::KeyValue),
    (&["environment"], Index::KeyValue),
    (&["env_file"], Index::EnvFile),
    (&["expose"], Index::Whole),
    (&["labels"], Index::KeyValue),
    (&["links"], Index::KeyValue),
    (&["ports"], Index::Port),
    (&["profiles"], Index::KeyValue),
    (&["secrets"], Index::Mount("/run/secrets")),
    (&["sysctls"], Index::KeyValue),
    (&["tmpfs"], Index::KeyValue),
    (&["volumes"], Index::Volume),
];

/// Keeps one entry per identity in the sequences that have one: the first entry's position,
/// the last entry's value (compose-go `EnforceUnicity`).
pub(crate) fn enforce_unicity(model: &mut Node) {
    if let Some(NodeKind::Map(services)) = model.get_mut("services").map(|s| &mut s.kind) {
        for (_, service) in services.iter_mut() {
            for (path, index) in SERVICE_UNIQUE {
                if let Some(seq) = get_path_mut(service, path) {
                    dedupe(seq, *index);
                }
            }
            if let Some(NodeKind::Map(nets)) = service.get_mut("networks").map(|n| &mut n.kind) {
                for (_, net) in nets.iter_mut() {
                    for field in ["aliases", "link_local_ips"] {
                        if let Some(seq) = net.get_mut(field) {
                            dedupe(seq, Index::KeyValue);
                        }
                    }
                }
            }
        }
    }
    if let Some(NodeKind::Map(nets)) = model.get_mut("networks").map(|n| &mut n.kind) {
        for (_, net) in nets.iter_mut() {
            for path in [&["labels"][..], &["ipam", "options"][..]] {
                if let Some(seq) = get_path_mut(net, path) {
                    dedupe(seq, Index::KeyValue);
                }
            }
        }
    }
}

fn get_path_mut<'n>(node: &'n mut Node, path: &[&str]) -> Option<&'n mut Node> {
    let mut cur = node;
    for seg in path {
        cur = cur.get_mut(seg)?;
    }
    Some(cur)
}

fn dedupe(seq: &mut Node, index: Index) {
    let NodeKind::Seq(items) = &mut seq.kind else {
        return;
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Node> = Vec::with_capacity(items.len());
    for item in std::mem::take(items) {
        match identity(&item, index) {
            Some(key) => match seen.get(&key) {
                Some(&j) => {
                    if let Some(slot) = out.get_mut(j) {
                        *slot = item;
                    }
                }
                None => {
                    seen.insert(key, out.len());
                    out.push(item);
                }
            },
            None => out.push(item),
        }
    }
    *items = out;
}

fn identity(item: &Node, index: Index) -> Option<String> {
    match index {
        Index::KeyValue => text(item).map(|t| key_part(t).to_string()),
        Index::Whole => text(item).map(str::to_string),
        Index::EnvFile => match &item.kind {
            NodeKind::Map(_) => item.get("path").and_then(text).map(str::to_string),
            _ => text(item).map(str::to_string),
        },
        // An empty target (an unset variable, a malformed spec) identifies nothing: the entry
        // stays for the mapper to report (compose-go fails on it here).
        Index::Volume => match &item.kind {
            NodeKind::Map(_) => item
                .get("target")
                .and_then(text)
                .filter(|t| !t.is_empty())
                .map(clean_target),
            _ => text(item).and_then(volume_target).map(|t| clean_target(&t)),
        },
        Index::Device => match &item.kind {
            NodeKind::Map(_) => item.get("target").and_then(text).map(str::to_string),
            _ => text(item).map(|t| {
                let mut parts = t.split(':');
                let first = parts.next().unwrap_or_default();
                parts.next().unwrap_or(first).to_string()
            }),
        },
        Index::Mount(prefix) => match &item.kind {
            NodeKind::Map(_) => match item.get("target").and_then(text) {
                Some(t) => Some(t.to_string()),
                None => item
                    .get("source")
                    .and_then(text)
                    .map(|s| format!("{prefix}/{s}")),
            },
            _ => text(item).map(|s| format!("{prefix}/{s}")),
        },
        Index::Port => port_identity(item),
    }
}

fn clean_target(t: &str) -> String {
    let cleaned = super::files::clean(std::path::Path::new(t));
    super::files::show(&cleaned)
}

/// The target of a short-syntax volume (`src:dst[:mode]`, or an anonymous `dst`), split as
/// compose-go's `format.ParseVolume` does (a Windows drive letter `C:` is not a separator,
/// nor is a `:` inside `${…}`).
pub(crate) fn volume_target(spec: &str) -> Option<String> {
    let fields = split_volume(spec);
    if fields.iter().any(|f| f.is_empty()) {
        return None; // compose-go: "empty section between colons"
    }
    match fields.len() {
        0 => None,
        1 => fields.first().map(|f| f.to_string()),
        _ => fields.get(1).map(|f| f.to_string()),
    }
}

/// The `:`-separated fields of a short volume spec, with their byte ranges.
pub(crate) fn split_volume(spec: &str) -> Vec<&str> {
    volume_field_ranges(spec)
        .into_iter()
        .filter_map(|(a, b)| spec.get(a..b))
        .collect()
}

/// Byte ranges of the fields of a short volume spec (see [`volume_target`]).
pub(crate) fn volume_field_ranges(spec: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0usize;
    let bytes = spec.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'$') if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            Some(b'}') if depth > 0 => depth -= 1,
            Some(b':') if depth == 0 => {
                let field_len = i - start;
                let drive = field_len == 1
                    && out.is_empty()
                    && spec
                        .get(start..i)
                        .is_some_and(|f| f.chars().all(|c| c.is_alphabetic()));
                if !drive {
                    out.push((start, i));
                    start = i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, bytes.len()));
    out
}

/// A port's identity: `host_ip:published:target/protocol`, from either syntax, with compose's
/// defaults (`0.0.0.0`, `tcp`), so `"8080:80"` and `{target: 80, published: 8080}` collide.
fn port_identity(item: &Node) -> Option<String> {
    match &item.kind {
        NodeKind::Map(_) => {
            let get = |k: &str| item.get(k).and_then(text).unwrap_or_default().to_string();
            let host = item.get("host_ip").and_then(text).unwrap_or("0.0.0.0");
            let proto = item.get("protocol").and_then(text).unwrap_or("tcp");
            Some(format!(
                "{host}:{}:{}/{proto}",
                get("published"),
                get("target")
            ))
        }
        NodeKind::Scalar(_) => {
            let t = text(item)?;
            let (spec, proto) = t.rsplit_once('/').unwrap_or((t, "tcp"));
            let (host, rest) = match spec.strip_prefix('[') {
                Some(v6) => {
                    let (ip, rest) = v6.split_once(']')?;
                    (
                        ip.to_string(),
                        rest.strip_prefix(':').unwrap_or(rest).to_string(),
                    )
                }
                None => {
                    let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
                    if parts.len() == 3 {
                        let host = parts.get(2).copied().unwrap_or_default();
                        (host.to_string(), format!("{}:{}", parts[1], parts[0]))
                    } else {
                        (String::new(), spec.to_string())
                    }
                }
            };
            let (published, target) = rest.rsplit_once(':').unwrap_or(("", &rest));
            let host = if host.is_empty() { "0.0.0.0" } else { &host };
            Some(format!("{host}:{published}:{target}/{proto}"))
        }
        NodeKind::Seq(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};

    fn deduped(yaml: &str, field: &str) -> Vec<String> {
        let mut doc = parse("c.yaml", yaml, &Limits::default())
            .ok()
            .and_then(|d| d.into_iter().next())
            .expect("parses");
        enforce_unicity(&mut doc);
        let list = doc
            .get("services")
            .and_then(|s| s.get("web"))
            .and_then(|w| w.get(field))
            .and_then(Node::as_seq)
            .expect("a list");
        list.iter()
            .map(|n| match text(n) {
                Some(t) => t.to_string(),
                None => format!("{{{}}}", n.get("target").and_then(text).unwrap_or("?")),
            })
            .collect()
    }

    #[test]
    fn ports_are_identified_across_syntaxes() {
        let got = deduped(
            "services:\n  web:\n    ports:\n      - '8080:80'\n      - '[::1]:8080:80'\n      - 80\n      - {target: 80, published: '8080'}\n      - '8080:80/udp'\n",
            "ports",
        );
        assert_eq!(got, ["{80}", "[::1]:8080:80", "80", "8080:80/udp"]);
    }

    #[test]
    fn secrets_and_configs_by_target() {
        let got = deduped(
            "services:\n  web:\n    secrets:\n      - db\n      - {source: db, mode: 0400}\n      - {source: other, target: /run/secrets/db}\n",
            "secrets",
        );
        assert_eq!(got, ["{/run/secrets/db}"]);
        let got = deduped(
            "services:\n  web:\n    configs: [a, {source: a, target: /elsewhere}]\n",
            "configs",
        );
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn environment_lists_keep_the_first_position_and_the_last_value() {
        let got = deduped(
            "services:\n  web:\n    environment: [A=1, B=2, A=3, C]\n    cap_add: [NET_ADMIN, SYS_ADMIN, NET_ADMIN]\n",
            "environment",
        );
        assert_eq!(got, ["A=3", "B=2", "C"]);
    }

    #[test]
    fn volumes_by_clean_target_but_not_empty_ones() {
        let got = deduped(
            "services:\n  web:\n    volumes: ['./a:/data/', 'vol:/data', ':/x', '/x']\n",
            "volumes",
        );
        assert_eq!(got, ["vol:/data", ":/x", "/x"]);
    }
}
