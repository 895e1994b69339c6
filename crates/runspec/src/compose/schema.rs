//! The keys the Compose Specification defines, level by level, so a key compose does not know
//! (`privilegd: true`, a key indented one level too deep) is reported instead of silently
//! ignored: `docker compose` refuses such a file outright (`additional properties … not
//! allowed`); plimsoll warns and audits the rest.
//!
//! The table mirrors `schema/compose-spec.json` of the Compose Specification (the copy in the
//! shared corpora, checked by a test so it cannot drift), plus the few keys compose-go's newer
//! embedded schema already accepts. A level is named by a pattern: `""` is the top level,
//! `services.*` a service, `services.*.deploy.resources` a nested mapping, `services.*.ports[]`
//! the items of a list, `*` any name (a service, a network, a ulimit). Only mappings the schema
//! closes (`additionalProperties: false`) are listed; open ones (`labels`, `environment`,
//! `logging.options`, `driver_opts`…) take any key. Keys starting with `x-` (extensions) are
//! always allowed.

use crate::compose::Diagnostic;
use crate::yaml::{Node, NodeKind};

/// The keys one closed mapping may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// Where the mapping is (`services.*.volumes[].bind`).
    pub pattern: &'static str,
    /// Its keys, sorted.
    pub keys: &'static [&'static str],
}

/// Every closed mapping of a compose file, sorted by pattern.
pub static LEVELS: &[Level] = &[
    Level {
        pattern: "",
        keys: &[
            "configs", "include", "models", "name", "networks", "secrets", "services", "version",
            "volumes",
        ],
    },
    Level {
        pattern: "configs.*",
        keys: &[
            "content",
            "environment",
            "external",
            "file",
            "labels",
            "name",
            "template_driver",
        ],
    },
    Level {
        pattern: "include[]",
        keys: &["env_file", "path", "project_directory"],
    },
    Level {
        pattern: "models.*",
        keys: &["context_size", "model", "name", "runtime_flags"],
    },
    Level {
        pattern: "networks.*",
        keys: &[
            "attachable",
            "driver",
            "driver_opts",
            "enable_ipv4",
            "enable_ipv6",
            "external",
            "internal",
            "ipam",
            "labels",
            "name",
        ],
    },
    Level {
        pattern: "networks.*.external",
        keys: &["name"],
    },
    Level {
        pattern: "networks.*.ipam",
        keys: &["config", "driver", "options"],
    },
    Level {
        pattern: "networks.*.ipam.config[]",
        keys: &["aux_addresses", "gateway", "ip_range", "subnet"],
    },
    Level {
        pattern: "secrets.*",
        keys: &[
            "driver",
            "driver_opts",
            "environment",
            "external",
            "file",
            "labels",
            "name",
            "template_driver",
        ],
    },
    Level {
        pattern: "services.*",
        keys: &[
            "annotations",
            "attach",
            "blkio_config",
            "build",
            "cap_add",
            "cap_drop",
            "cgroup",
            "cgroup_parent",
            "command",
            "configs",
            "container_name",
            "cpu_count",
            "cpu_percent",
            "cpu_period",
            "cpu_quota",
            "cpu_rt_period",
            "cpu_rt_runtime",
            "cpu_shares",
            "cpus",
            "cpuset",
            "credential_spec",
            "depends_on",
            "deploy",
            "develop",
            "device_cgroup_rules",
            "devices",
            "dns",
            "dns_opt",
            "dns_search",
            "domainname",
            "entrypoint",
            "env_file",
            "environment",
            "expose",
            "extends",
            "external_links",
            "extra_hosts",
            "gpus",
            "group_add",
            "healthcheck",
            "hostname",
            "image",
            "init",
            "ipc",
            "isolation",
            "label_file",
            "labels",
            "links",
            "logging",
            "mac_address",
            "mem_limit",
            "mem_reservation",
            "mem_swappiness",
            "memswap_limit",
            "models",
            "network_mode",
            "networks",
            "oom_kill_disable",
            "oom_score_adj",
            "pid",
            "pids_limit",
            "platform",
            "ports",
            "post_start",
            "pre_start",
            "pre_stop",
            "privileged",
            "profiles",
            "provider",
            "pull_policy",
            "pull_refresh_after",
            "read_only",
            "restart",
            "runtime",
            "scale",
            "secrets",
            "security_opt",
            "shm_size",
            "stdin_open",
            "stop_grace_period",
            "stop_signal",
            "storage_opt",
            "sysctls",
            "tmpfs",
            "tty",
            "ulimits",
            "use_api_socket",
            "user",
            "userns_mode",
            "uts",
            "volumes",
            "volumes_from",
            "working_dir",
        ],
    },
    Level {
        pattern: "services.*.blkio_config",
        keys: &[
            "device_read_bps",
            "device_read_iops",
            "device_write_bps",
            "device_write_iops",
            "weight",
            "weight_device",
        ],
    },
    Level {
        pattern: "services.*.blkio_config.device_read_bps[]",
        keys: &["path", "rate"],
    },
    Level {
        pattern: "services.*.blkio_config.device_read_iops[]",
        keys: &["path", "rate"],
    },
    Level {
        pattern: "services.*.blkio_config.device_write_bps[]",
        keys: &["path", "rate"],
    },
    Level {
        pattern: "services.*.blkio_config.device_write_iops[]",
        keys: &["path", "rate"],
    },
    Level {
        pattern: "services.*.blkio_config.weight_device[]",
        keys: &["path", "weight"],
    },
    Level {
        pattern: "services.*.build",
        keys: &[
            "additional_contexts",
            "args",
            "cache_from",
            "cache_to",
            "context",
            "dockerfile",
            "dockerfile_inline",
            "entitlements",
            "extra_hosts",
            "isolation",
            "labels",
            "network",
            "no_cache",
            "no_cache_filter",
            "platforms",
            "privileged",
            "provenance",
            "pull",
            "sbom",
            "secrets",
            "shm_size",
            "ssh",
            "tags",
            "target",
            "ulimits",
        ],
    },
    Level {
        pattern: "services.*.build.secrets[]",
        keys: &["gid", "mode", "source", "target", "uid"],
    },
    Level {
        pattern: "services.*.build.ulimits.*",
        keys: &["hard", "soft"],
    },
    Level {
        pattern: "services.*.configs[]",
        keys: &["gid", "mode", "source", "target", "uid"],
    },
    Level {
        pattern: "services.*.credential_spec",
        keys: &["config", "file", "registry"],
    },
    Level {
        pattern: "services.*.depends_on.*",
        keys: &["condition", "required", "restart"],
    },
    Level {
        pattern: "services.*.deploy",
        keys: &[
            "endpoint_mode",
            "labels",
            "mode",
            "placement",
            "replicas",
            "resources",
            "restart_policy",
            "rollback_config",
            "update_config",
        ],
    },
    Level {
        pattern: "services.*.deploy.placement",
        keys: &["constraints", "max_replicas_per_node", "preferences"],
    },
    Level {
        pattern: "services.*.deploy.placement.preferences[]",
        keys: &["spread"],
    },
    Level {
        pattern: "services.*.deploy.resources",
        keys: &["limits", "reservations"],
    },
    Level {
        pattern: "services.*.deploy.resources.limits",
        keys: &["cpus", "memory", "pids"],
    },
    Level {
        pattern: "services.*.deploy.resources.reservations",
        keys: &["cpus", "devices", "generic_resources", "memory"],
    },
    Level {
        pattern: "services.*.deploy.resources.reservations.devices[]",
        keys: &["capabilities", "count", "device_ids", "driver", "options"],
    },
    Level {
        pattern: "services.*.deploy.resources.reservations.generic_resources[]",
        keys: &["discrete_resource_spec"],
    },
    Level {
        pattern:
            "services.*.deploy.resources.reservations.generic_resources[].discrete_resource_spec",
        keys: &["kind", "value"],
    },
    Level {
        pattern: "services.*.deploy.restart_policy",
        keys: &["condition", "delay", "max_attempts", "window"],
    },
    Level {
        pattern: "services.*.deploy.rollback_config",
        keys: &[
            "delay",
            "failure_action",
            "max_failure_ratio",
            "monitor",
            "order",
            "parallelism",
        ],
    },
    Level {
        pattern: "services.*.deploy.update_config",
        keys: &[
            "delay",
            "failure_action",
            "max_failure_ratio",
            "monitor",
            "order",
            "parallelism",
        ],
    },
    Level {
        pattern: "services.*.develop",
        keys: &["watch"],
    },
    Level {
        pattern: "services.*.develop.watch[]",
        keys: &[
            "action",
            "exec",
            "ignore",
            "include",
            "initial_sync",
            "path",
            "target",
        ],
    },
    Level {
        pattern: "services.*.develop.watch[].exec",
        keys: &[
            "command",
            "environment",
            "privileged",
            "user",
            "working_dir",
        ],
    },
    Level {
        pattern: "services.*.devices[]",
        keys: &["permissions", "source", "target"],
    },
    Level {
        pattern: "services.*.env_file[]",
        keys: &["format", "path", "required"],
    },
    Level {
        pattern: "services.*.extends",
        keys: &["file", "service"],
    },
    Level {
        pattern: "services.*.healthcheck",
        keys: &[
            "disable",
            "interval",
            "retries",
            "start_interval",
            "start_period",
            "test",
            "timeout",
        ],
    },
    Level {
        pattern: "services.*.logging",
        keys: &["driver", "options"],
    },
    Level {
        pattern: "services.*.models.*",
        keys: &["endpoint_var", "model_var"],
    },
    Level {
        pattern: "services.*.networks.*",
        keys: &[
            "aliases",
            "driver_opts",
            "gw_priority",
            "interface_name",
            "ipv4_address",
            "ipv6_address",
            "link_local_ips",
            "mac_address",
            "priority",
        ],
    },
    Level {
        pattern: "services.*.ports[]",
        keys: &[
            "app_protocol",
            "host_ip",
            "mode",
            "name",
            "protocol",
            "published",
            "target",
        ],
    },
    Level {
        pattern: "services.*.post_start[]",
        keys: &[
            "command",
            "environment",
            "privileged",
            "user",
            "working_dir",
        ],
    },
    Level {
        pattern: "services.*.pre_start[]",
        keys: &[
            "command",
            "environment",
            "image",
            "per_replica",
            "privileged",
            "user",
            "working_dir",
        ],
    },
    Level {
        pattern: "services.*.pre_stop[]",
        keys: &[
            "command",
            "environment",
            "privileged",
            "user",
            "working_dir",
        ],
    },
    Level {
        pattern: "services.*.provider",
        keys: &["options", "type"],
    },
    Level {
        pattern: "services.*.secrets[]",
        keys: &["gid", "mode", "source", "target", "uid"],
    },
    Level {
        pattern: "services.*.ulimits.*",
        keys: &["hard", "soft"],
    },
    Level {
        pattern: "services.*.volumes[]",
        keys: &[
            "bind",
            "consistency",
            "image",
            "read_only",
            "source",
            "target",
            "tmpfs",
            "type",
            "volume",
        ],
    },
    Level {
        pattern: "services.*.volumes[].bind",
        keys: &["create_host_path", "propagation", "recursive", "selinux"],
    },
    Level {
        pattern: "services.*.volumes[].image",
        keys: &["subpath"],
    },
    Level {
        pattern: "services.*.volumes[].tmpfs",
        keys: &["mode", "size"],
    },
    Level {
        pattern: "services.*.volumes[].volume",
        keys: &["labels", "nocopy", "subpath"],
    },
    Level {
        pattern: "volumes.*",
        keys: &["driver", "driver_opts", "external", "labels", "name"],
    },
    Level {
        pattern: "volumes.*.external",
        keys: &["name"],
    },
];

/// The pattern of a service definition.
pub const SERVICE: &str = "services.*";

/// Deepest nesting [`check_keys`] follows; the schema's own depth is 5.
const MAX_DEPTH: usize = 16;

/// Most unknown keys reported by one [`check_keys`] call (one more warning counts the rest), so
/// a file of a million made-up keys costs bounded memory.
const MAX_REPORTED: usize = 50;

/// The keys the mapping at `pattern` may hold, or `None` when the schema leaves it open (or
/// `pattern` names no mapping).
pub fn known_keys(pattern: &str) -> Option<&'static [&'static str]> {
    LEVELS
        .binary_search_by(|level| level.pattern.cmp(pattern))
        .ok()
        .and_then(|i| LEVELS.get(i))
        .map(|level| level.keys)
}

/// Warns about every key in `node` and below that the Compose Specification does not define.
///
/// `node` is the value at `pattern` (`""` for a whole file, [`SERVICE`] for one service,
/// `networks` for the top-level networks); `display` names it in messages (`services.web`;
/// `""` at the top level). Keys inside open mappings are not checked; `x-` keys are allowed
/// everywhere. The cost is linear in the size of `node`.
pub fn check_keys(node: &Node, pattern: &str, display: &str, out: &mut Vec<Diagnostic>) {
    let mut found = Found {
        out,
        reported: 0,
        more: 0,
    };
    walk(node, pattern, display, &mut found, 0);
    if found.more > 0 {
        found.out.push(Diagnostic {
            path: node.file.to_string(),
            span: Some(node.span),
            message: format!(
                "{} more unknown keys under {} not shown",
                found.more,
                shown(display)
            ),
            hint: None,
        });
    }
}

/// Where warnings go, and how many were given.
struct Found<'o> {
    out: &'o mut Vec<Diagnostic>,
    reported: usize,
    more: usize,
}

impl Found<'_> {
    fn push(&mut self, make: impl FnOnce() -> Diagnostic) {
        if self.reported < MAX_REPORTED {
            self.reported += 1;
            self.out.push(make());
        } else {
            self.more += 1;
        }
    }
}

fn walk(node: &Node, pattern: &str, display: &str, out: &mut Found, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match &node.kind {
        NodeKind::Map(entries) => {
            let known = known_keys(pattern);
            for (key, value) in entries {
                let Some(name) = key.as_scalar().map(|s| s.text.as_str()) else {
                    out.push(|| Diagnostic {
                        path: key.file.to_string(),
                        span: Some(key.span),
                        message: format!(
                            "{} has a key that is {}; compose keys are strings",
                            shown(display),
                            key.type_name()
                        ),
                        hint: None,
                    });
                    continue;
                };
                if name.starts_with("x-") {
                    continue;
                }
                let child = match known {
                    Some(keys) if keys.contains(&name) => join(pattern, name),
                    Some(keys) => {
                        out.push(|| unknown_key(key, name, display, keys));
                        continue;
                    }
                    None => join(pattern, "*"),
                };
                if leads_somewhere(&child) {
                    walk(value, &child, &join(display, name), out, depth + 1);
                }
            }
        }
        NodeKind::Seq(items) => {
            let child = format!("{pattern}[]");
            if leads_somewhere(&child) {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &child, &format!("{display}[{i}]"), out, depth + 1);
                }
            }
        }
        NodeKind::Scalar(_) => {}
    }
}

fn unknown_key(key: &Node, name: &str, display: &str, keys: &[&str]) -> Diagnostic {
    let path = join(display, name);
    let suggestion = closest(name, keys)
        .map(|k| format!("did you mean `{k}`? "))
        .unwrap_or_default();
    Diagnostic {
        path: key.file.to_string(),
        span: Some(key.span),
        message: format!("unknown key `{path}`: the Compose Specification does not define it, so it is ignored here"),
        hint: Some(format!(
            "{suggestion}docker compose refuses the file (`additional properties '{name}' not allowed`); \
             keys of your own must start with `x-`"
        )),
    }
}

/// `a.b`, or `b` when `a` is the top level.
fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

fn shown(display: &str) -> &str {
    if display.is_empty() {
        "the top level"
    } else {
        display
    }
}

/// Whether some closed level is at or below `pattern` (otherwise there is nothing to check).
fn leads_somewhere(pattern: &str) -> bool {
    LEVELS.iter().any(|level| {
        level
            .pattern
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
    })
}

/// The known key closest to a misspelt one (edit distance at most 2, and less than half its
/// length), for the hint.
fn closest<'k>(name: &str, keys: &[&'k str]) -> Option<&'k str> {
    if name.len() > 64 {
        return None;
    }
    keys.iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, k)| *d <= 2 && *d * 2 < k.len().max(name.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over bytes (keys are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.bytes().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};

    /// Keys compose-go's embedded schema (what `docker compose` validates against) accepts
    /// and the corpus snapshot of the Compose Specification (compose-spec @ 170098ba07d9) does
    /// not have yet. When the snapshot is refreshed and has them, this list must shrink.
    const NEWER_THAN_SNAPSHOT: &[(&str, &str)] = &[
        ("services.*", "pre_start"),
        ("services.*.build", "no_cache_filter"),
        ("services.*.pre_start[]", "command"),
        ("services.*.pre_start[]", "environment"),
        ("services.*.pre_start[]", "image"),
        ("services.*.pre_start[]", "per_replica"),
        ("services.*.pre_start[]", "privileged"),
        ("services.*.pre_start[]", "user"),
        ("services.*.pre_start[]", "working_dir"),
    ];

    #[derive(Default)]
    struct Found {
        closed: BTreeMap<String, BTreeSet<String>>,
        open: BTreeSet<String>,
    }

    fn resolve<'v>(defs: &'v Value, mut node: &'v Value) -> &'v Value {
        for _ in 0..16 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let name = reference.rsplit('/').next().unwrap_or_default();
            node = &defs[name];
        }
        node
    }

    /// The same reading of the schema as `LEVELS` documents: a mapping is closed when it has
    /// `properties`, `additionalProperties: false` and no name pattern other than `^x-`.
    fn walk_schema(defs: &Value, node: &Value, path: &str, found: &mut Found, depth: usize) {
        let node = resolve(defs, node);
        if depth > 40 {
            return;
        }
        for combinator in ["oneOf", "anyOf", "allOf"] {
            for variant in node
                .get(combinator)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                walk_schema(defs, variant, path, found, depth + 1);
            }
        }
        let types: Vec<&str> = match node.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let props = node.get("properties").and_then(Value::as_object);
        let patterns: Vec<(&String, &Value)> = node
            .get("patternProperties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(p, _)| p.as_str() != "^x-")
            .collect();
        if types.contains(&"object") || props.is_some() || !patterns.is_empty() {
            let closed = node.get("additionalProperties") == Some(&Value::Bool(false));
            match props {
                Some(props) if closed && patterns.is_empty() && !props.is_empty() => {
                    found
                        .closed
                        .entry(path.to_string())
                        .or_default()
                        .extend(props.keys().cloned());
                }
                _ => {
                    found.open.insert(path.to_string());
                }
            }
            for (key, sub) in props.into_iter().flatten() {
                walk_schema(defs, sub, &join(path, key), found, depth + 1);
            }
            for (_, sub) in patterns {
                walk_schema(defs, sub, &join(path, "*"), found, depth + 1);
            }
        }
        if let Some(items) = node.get("items").filter(|i| i.is_object()) {
            walk_schema(defs, items, &format!("{path}[]"), found, depth + 1);
        }
    }

    #[test]
    fn levels_match_the_compose_spec_schema() {
        let Some(dir) = plimsoll_testkit::corpora::locate("schemas") else {
            return;
        };
        let text = std::fs::read_to_string(dir.join("compose-spec.json")).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        let defs = &schema["definitions"];
        let mut found = Found::default();
        walk_schema(defs, &schema, "", &mut found, 0);

        let both: Vec<_> = found
            .closed
            .keys()
            .filter(|p| found.open.contains(*p))
            .collect();
        assert!(both.is_empty(), "levels both open and closed: {both:?}");

        let mut ours: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for level in LEVELS {
            let keys: BTreeSet<String> = level
                .keys
                .iter()
                .filter(|k| !NEWER_THAN_SNAPSHOT.contains(&(level.pattern, **k)))
                .map(|k| k.to_string())
                .collect();
            if !keys.is_empty() {
                ours.insert(level.pattern.to_string(), keys);
            }
        }
        for (pattern, keys) in &found.closed {
            assert_eq!(
                ours.get(pattern),
                Some(keys),
                "keys of `{pattern}` differ from the schema"
            );
        }
        for pattern in ours.keys() {
            assert!(
                found.closed.contains_key(pattern),
                "`{pattern}` is not a closed mapping in the schema"
            );
        }
        for (pattern, key) in NEWER_THAN_SNAPSHOT {
            let in_snapshot = found
                .closed
                .get(*pattern)
                .is_some_and(|keys| keys.contains(*key));
            assert!(
                !in_snapshot,
                "`{pattern}.{key}` is in the schema now: drop it from NEWER_THAN_SNAPSHOT"
            );
        }
    }

    #[test]
    fn levels_are_sorted_and_keys_unique() {
        for pair in LEVELS.windows(2) {
            assert!(
                pair[0].pattern < pair[1].pattern,
                "{} before {}",
                pair[0].pattern,
                pair[1].pattern
            );
        }
        for level in LEVELS {
            for pair in level.keys.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{}: {} before {}",
                    level.pattern,
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn looks_up_levels() {
        assert!(known_keys(SERVICE).unwrap().contains(&"cap_add"));
        assert!(known_keys("services.*.volumes[].bind")
            .unwrap()
            .contains(&"propagation"));
        assert_eq!(known_keys("services.*.environment"), None);
        assert_eq!(known_keys("nonsense"), None);
    }

    #[test]
    fn suggests_the_closest_key() {
        let keys = known_keys(SERVICE).unwrap();
        assert_eq!(closest("privilegd", keys), Some("privileged"));
        assert_eq!(closest("cap-add", keys), Some("cap_add"));
        assert_eq!(closest("completely_else", keys), None);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
