//! Namespaces and cgroups: `network_mode`, `networks`, `pid`, `ipc`, `uts`, `userns_mode`,
//! `cgroup`, `cgroup_parent`.

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{NamespaceMode, RunSpec, Sourced};
use crate::values::{
    parse_namespace_mode, parse_network_mode, validate_namespace_mode, NamespaceKind,
};
use crate::yaml::{Node, NodeKind};

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    // An empty value is unset in compose-go (`omitempty`).
    spec.network_mode = m
        .string_setting(svc, Field::NetworkMode)?
        .filter(|s| !s.value.is_empty())
        .map(|s| Sourced::new(parse_network_mode(&s.value), s.origin));
    if let Some(node) = svc.get(Field::Networks.compose()) {
        spec.networks = networks(m, node)?;
        if let (Some(mode), Some(first)) = (&spec.network_mode, spec.networks.first()) {
            let message = format!(
                "{}: `network_mode` and `networks` exclude each other; docker compose refuses this",
                m.display("networks")
            );
            let hint = format!(
                "keep `{}` or the `networks` list (first: `{}`)",
                mode.origin.written, first.value
            );
            m.warn(node, message, Some(hint));
        }
    }
    let namespaces = [
        (Field::Pid.compose(), NamespaceKind::Pid),
        (Field::Ipc.compose(), NamespaceKind::Ipc),
        (Field::Uts.compose(), NamespaceKind::Uts),
        (Field::Userns.compose(), NamespaceKind::Userns),
        (Field::Cgroupns.compose(), NamespaceKind::Cgroupns),
    ];
    for (key, kind) in namespaces {
        let Some(node) = svc.get(key) else { continue };
        let Some(mode) = namespace(m, node, key, kind)? else {
            continue;
        };
        let slot = match kind {
            NamespaceKind::Pid => &mut spec.pid,
            NamespaceKind::Ipc => &mut spec.ipc,
            NamespaceKind::Uts => &mut spec.uts,
            NamespaceKind::Userns => &mut spec.userns,
            NamespaceKind::Cgroupns => &mut spec.cgroupns,
        };
        *slot = Some(mode);
    }
    spec.cgroup_parent = m
        .string_setting(svc, Field::CgroupParent)?
        .filter(|s| !s.value.is_empty());
    Ok(())
}

/// `networks: [front, back]` or `networks: {front: {aliases: …}, back: null}`: the names, in
/// order, each pointing at where it is written.
fn networks(m: &Mapper, node: &Node) -> Result<Vec<Sourced<String>>, Diagnostic> {
    m.check_size(node, Field::Networks.compose())?;
    let mut out = Vec::new();
    match &node.kind {
        _ if node.is_null() => {}
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let via = format!("networks[{i}]");
                let name = m.scalar_text(item, &via, "a network name")?;
                out.push(m.sourced(name.to_string(), item, &via));
            }
        }
        NodeKind::Map(pairs) => {
            for (key, value) in pairs {
                let name = m.key(key, Field::Networks.compose())?;
                let via = format!("networks.{name}");
                if !value.is_null() && value.as_map().is_none() {
                    return Err(m.wrong_type(
                        value,
                        &via,
                        "a mapping or null",
                        &format!("write `{name}:` alone, or `{name}: {{aliases: [db]}}`"),
                    ));
                }
                let origin = m.origin(key, &via, format!("networks: {name}"));
                out.push(Sourced::new(name.to_string(), origin));
            }
        }
        NodeKind::Scalar(_) => {
            return Err(m.wrong_type(
                node,
                "networks",
                "a list or a mapping",
                "write `networks: [front]` or `networks: {front: {}}`",
            ))
        }
    }
    Ok(out)
}

/// One namespace setting. An empty value is unset (compose-go `omitempty`); a value the
/// engine would refuse is kept (as [`NamespaceMode::Other`]) with a warning, except compose's
/// own `service:<name>`, which compose turns into `container:<id>`.
fn namespace(
    m: &mut Mapper,
    node: &Node,
    key: &str,
    kind: NamespaceKind,
) -> Result<Option<Sourced<NamespaceMode>>, Diagnostic> {
    let Some(text) = m.string(node, key)?.filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let mode = parse_namespace_mode(&text);
    if !matches!(mode, NamespaceMode::Service(_)) {
        if let Err(e) = validate_namespace_mode(kind, &text) {
            let message = format!("{}: the engine refuses `{text}` ({e})", m.display(key));
            m.warn(
                node,
                message,
                Some(format!("see the Compose Specification for `{key}`")),
            );
        }
    }
    Ok(Some(m.sourced(mode, node, key)))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use crate::model::{NamespaceMode, NetworkMode};

    #[test]
    fn host_namespaces() {
        let (spec, warnings) = map(r#"
            services:
              agent:
                network_mode: host
                pid: host
                ipc: host
                uts: host
                userns_mode: host
                cgroup: host
                cgroup_parent: /custom
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(spec.network_mode.unwrap().value, NetworkMode::Host);
        assert_eq!(spec.pid.as_ref().unwrap().value, NamespaceMode::Host);
        assert_eq!(spec.pid.unwrap().origin.written, "pid: host");
        assert_eq!(spec.ipc.unwrap().value, NamespaceMode::Host);
        assert_eq!(spec.uts.unwrap().value, NamespaceMode::Host);
        assert_eq!(spec.userns.unwrap().value, NamespaceMode::Host);
        assert_eq!(spec.cgroupns.unwrap().value, NamespaceMode::Host);
        assert_eq!(spec.cgroup_parent.unwrap().value, "/custom");
    }

    #[test]
    fn service_and_container_modes() {
        let (spec, warnings) = map(r#"
            services:
              sidecar:
                network_mode: "service:app"
                pid: "service:app"
                ipc: "container:abc"
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            spec.network_mode.unwrap().value,
            NetworkMode::Service("app".into())
        );
        assert_eq!(
            spec.pid.unwrap().value,
            NamespaceMode::Service("app".into())
        );
        assert_eq!(
            spec.ipc.unwrap().value,
            NamespaceMode::Container("abc".into())
        );
    }

    #[test]
    fn empty_and_null_are_unset_and_odd_values_warn() {
        let (spec, warnings) = map("services:\n  a:\n    pid:\n    ipc: \"\"\n    uts: private\n");
        assert!(spec.pid.is_none() && spec.ipc.is_none());
        assert_eq!(spec.uts.unwrap().value, NamespaceMode::Private);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].message.contains("services.a.uts"),
            "{warnings:?}"
        );
    }

    #[test]
    fn networks_list_or_map() {
        let (spec, _) = map("services:\n  a:\n    networks: [front, back]\n");
        let names: Vec<_> = spec.networks.iter().map(|n| n.value.as_str()).collect();
        assert_eq!(names, ["front", "back"]);
        assert_eq!(spec.networks[1].origin.written, "networks: back");

        let (spec, _) = map(r#"
            services:
              a:
                networks:
                  front:
                    aliases: [web]
                  back:
            "#);
        let names: Vec<_> = spec.networks.iter().map(|n| n.value.as_str()).collect();
        assert_eq!(names, ["front", "back"]);
        assert_eq!(spec.networks[0].origin.written, "networks: front");
        assert_eq!(spec.networks[0].origin.location.span.unwrap().start.line, 4);

        let err = map_err("services:\n  a:\n    networks: front\n");
        assert!(
            err.message
                .contains("services.a.networks must be a list or a mapping"),
            "{err:?}"
        );
        let err = map_err("services:\n  a:\n    networks:\n      front: [x]\n");
        assert!(
            err.message
                .contains("services.a.networks.front must be a mapping or null"),
            "{err:?}"
        );
    }

    #[test]
    fn network_mode_with_networks_warns() {
        let (spec, warnings) =
            map("services:\n  a:\n    network_mode: host\n    networks: [front]\n");
        assert_eq!(spec.network_mode.unwrap().value, NetworkMode::Host);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].message.contains("exclude each other"),
            "{warnings:?}"
        );
    }
}
