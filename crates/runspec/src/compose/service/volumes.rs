//! Mounts: `volumes` (short `src:dst:mode` and long syntax), `tmpfs`, and `use_api_socket`
//! (which docker compose turns into a bind of the engine's socket).
//!
//! A named volume that the top-level `volumes:` defines as a bind of a host directory
//! (`driver_opts: {type: none, o: bind, device: /etc}`, the local driver) is a bind of that
//! directory in effect, and is mapped as one: hiding a host mount behind a volume name must
//! not hide it from the audit.

use super::read::Mapper;
use super::render;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{Mount, MountKind, RunSpec, Sourced};
use crate::values::{clean_path, parse_tmpfs_spec, parse_volume_spec};
use crate::yaml::{Node, NodeKind};
use std::collections::HashSet;

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    if let Some(node) = svc.get(Field::Volumes.compose()) {
        let items = m
            .seq(
                node,
                Field::Volumes.compose(),
                "`volumes: [\"./data:/data:ro\"]`",
            )?
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let via = format!("volumes[{i}]");
            let mount = match &item.kind {
                NodeKind::Scalar(_) if !item.is_null() => short(m, item, &via)?,
                NodeKind::Map(_) => long(m, item, &via)?,
                _ => return Err(m.wrong_type(
                    item,
                    &via,
                    "a string or a mapping",
                    "write `- ./data:/data:ro` or `- {type: bind, source: ./data, target: /data}`",
                )),
            };
            spec.mounts.push(named_bind(m, mount, item, &via));
        }
    }
    if let Some(node) = svc.get("volumes_from") {
        volumes_from(m, node, spec)?;
    }
    if let Some(node) = svc.get("use_api_socket") {
        // docker compose (pkg/compose/apiSocket.go) binds the engine's socket, read-write, and
        // hands the caller's registry credentials along: the whole engine, in effect.
        if m.bool(node, "use_api_socket")? == Some(true) {
            let socket = Mount::engine_socket();
            let written = format!(
                "{} (binds /var/run/docker.sock)",
                render::written("use_api_socket", node)
            );
            spec.mounts.push(Sourced::new(
                socket,
                m.origin(node, "use_api_socket", written),
            ));
        }
    }
    if let Some(node) = svc.get(Field::Tmpfs.compose()) {
        for (item, via) in m.string_or_list(
            node,
            Field::Tmpfs.compose(),
            "`tmpfs: [/run, /tmp:size=64m]`",
        )? {
            let text = m.scalar_text(item, &via, "a path")?;
            let mount = parse_tmpfs_spec(text).map_err(|e| {
                m.bad_value(
                    item,
                    &via,
                    &format!("is not a tmpfs mount ({e})"),
                    "write `/path[:options]`, e.g. `/tmp:size=64m`",
                )
            })?;
            spec.mounts.push(m.sourced(mount, item, &via));
        }
    }
    Ok(())
}

/// How many services a `volumes_from` chain is followed through (`a` takes from `b`, which
/// takes from `c`…); each service is visited once, so a cycle ends.
const MAX_VOLUMES_FROM_DEPTH: usize = 8;

/// How many inherited `volumes` entries one service's `volumes_from` may read in all, so a
/// hostile file (a service with many volumes, taken from many times) costs bounded work.
const MAX_INHERITED: usize = 10_000;

/// `volumes_from: [service[:ro|rw]]`: the container gets every mount of that service (and of
/// the services it takes from in turn), so a socket or host directory mounted there is
/// mounted here too. `container:<name>` entries name containers outside the project and are
/// not followed.
fn volumes_from(m: &mut Mapper, node: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    let items = m
        .seq(node, "volumes_from", "`volumes_from: [app:ro]`")?
        .unwrap_or_default();
    let mut budget = MAX_INHERITED;
    let mut taken: HashSet<&str> = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        let via = format!("volumes_from[{i}]");
        let text = m.scalar_text(item, &via, "a service name")?;
        if text.starts_with("container:") || !taken.insert(text) {
            continue;
        }
        let (service, mode) = text.split_once(':').unwrap_or((text, ""));
        let written = render::written(&via, item);
        let mut seen = vec![m.name.to_string()];
        let inherited = inherited_mounts(m.cx, service, &mut seen, &mut budget);
        if budget == 0 {
            let message = format!(
                "{}: more than {MAX_INHERITED} inherited volumes; the rest are not audited",
                m.display("volumes_from")
            );
            m.warn(item, message, None);
        }
        for inherited in inherited {
            let shown = render::one_line(&format!(
                "{written} (mounts {}:{})",
                inherited.source.as_deref().unwrap_or("<anonymous>"),
                inherited.target
            ));
            let mount = Mount {
                read_only: inherited.read_only || mode == "ro",
                ..inherited
            };
            spec.mounts
                .push(Sourced::new(mount, m.origin(item, &via, shown)));
        }
        if budget == 0 {
            break;
        }
    }
    Ok(())
}

/// The mounts of `service` as `volumes_from` hands them on: its `volumes` (named volumes that
/// bind host directories resolved) and what it takes from others. Entries that do not read
/// are skipped here; mapping that service reports them.
fn inherited_mounts(
    cx: &super::MapContext,
    service: &str,
    seen: &mut Vec<String>,
    budget: &mut usize,
) -> Vec<Mount> {
    let Some(other) = cx.service(service) else {
        return Vec::new();
    };
    if seen.len() > MAX_VOLUMES_FROM_DEPTH || seen.iter().any(|s| s == service) {
        return Vec::new();
    }
    seen.push(service.to_string());
    let mut scratch = Mapper::new(service, cx);
    let mut mounts = Vec::new();
    for (i, item) in other
        .get("volumes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let Some(left) = budget.checked_sub(1) else {
            break;
        };
        *budget = left;
        let via = format!("volumes[{i}]");
        let mount = match &item.kind {
            NodeKind::Scalar(_) if !item.is_null() => short(&scratch, item, &via),
            NodeKind::Map(_) => long(&mut scratch, item, &via),
            _ => continue,
        };
        if let Ok(mount) = mount {
            mounts.push(named_bind(&scratch, mount, item, &via).value);
        }
    }
    for item in other
        .get("volumes_from")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some(text) = item.as_str().filter(|t| !t.starts_with("container:")) else {
            continue;
        };
        let (name, mode) = text.split_once(':').unwrap_or((text, ""));
        mounts.extend(
            inherited_mounts(cx, name, seen, budget)
                .into_iter()
                .map(|mount| Mount {
                    read_only: mount.read_only || mode == "ro",
                    ..mount
                }),
        );
    }
    mounts
}

/// `[source:]target[:options]`, read like compose-go `format.ParseVolume` (the target
/// cleaned like `path.Clean`, as compose-go does).
fn short(m: &Mapper, item: &Node, via: &str) -> Result<Mount, Diagnostic> {
    let text = item.as_str().unwrap_or_default();
    let mut mount = parse_volume_spec(text).map_err(|e| {
        m.bad_value(
            item,
            via,
            &format!("is not a volume ({e})"),
            "write `[source:]target[:ro|rw|z|Z|rshared…]`, e.g. `./data:/data:ro`",
        )
    })?;
    if !mount.target.is_empty() {
        mount.target = clean_path(&mount.target);
    }
    Ok(mount)
}

/// The long syntax: `{type, source, target, read_only, bind: {propagation, selinux}, …}`.
fn long(m: &mut Mapper, item: &Node, via: &str) -> Result<Mount, Diagnostic> {
    let example = "`{type: bind, source: ./data, target: /data, read_only: true}`";
    let Some(type_node) = item.get("type") else {
        return Err(m.bad_value(
            item,
            via,
            "has no `type`",
            &format!("add `type: bind|volume|tmpfs|…`, e.g. {example}"),
        ));
    };
    let kind = match m.string(type_node, &format!("{via}.type"))?.as_deref() {
        Some("bind") => MountKind::Bind,
        Some("volume") => MountKind::Volume,
        Some("tmpfs") => MountKind::Tmpfs,
        Some("npipe") => MountKind::Npipe,
        Some("image") => MountKind::Image,
        Some("cluster") => MountKind::Cluster,
        Some(other) => MountKind::Other(other.to_string()),
        None => {
            return Err(m.bad_value(
                item,
                via,
                "has no `type`",
                &format!("add `type: bind|volume|tmpfs|…`, e.g. {example}"),
            ))
        }
    };
    let mut text = |key: &str| m.string_under(item, key, via);
    let source = text("source")?.filter(|s| !s.is_empty());
    let target = text("target")?.filter(|s| !s.is_empty());
    let Some(target) = target else {
        let hint = format!("add the path inside the container, e.g. {example}");
        return Err(match item.get("target") {
            Some(node) => m.empty_value(node, &format!("{via}.target"), &hint),
            None => m.bad_value(item, via, "has no `target`", &hint),
        });
    };
    if kind == MountKind::Bind && source.is_none() {
        return Err(m.bad_value(
            item,
            via,
            "is a bind without a `source`",
            &format!("add the host path, e.g. {example}"),
        ));
    }
    let read_only = match item.get("read_only") {
        Some(node) => m.bool(node, &format!("{via}.read_only"))?.unwrap_or(false),
        None => false,
    };
    let (mut propagation, mut selinux) = (None, None);
    if let Some(bind) = item.get("bind") {
        let bind_via = format!("{via}.bind");
        m.map(bind, &bind_via, "`bind: {propagation: rprivate}`")?;
        if let Some(node) = bind.get("propagation") {
            propagation = m.string(node, &format!("{bind_via}.propagation"))?;
        }
        if let Some(node) = bind.get("selinux") {
            selinux = m.string(node, &format!("{bind_via}.selinux"))?;
        }
    }
    Ok(Mount {
        kind,
        source,
        target: clean_path(&target),
        read_only,
        propagation,
        selinux,
    })
}

/// The mount, sourced; a named volume the project defines as a bind of a host directory
/// becomes that bind.
fn named_bind(m: &Mapper, mut mount: Mount, item: &Node, via: &str) -> Sourced<Mount> {
    let mut written = render::written(via, item);
    if mount.kind == MountKind::Volume {
        if let Some(device) = mount
            .source
            .as_deref()
            .and_then(|name| m.cx.bound_volume(name))
            .map(str::to_string)
        {
            written = format!(
                "{written} (volume `{}` binds {device})",
                mount.source.as_deref().unwrap_or_default()
            );
            mount.kind = MountKind::Bind;
            mount.source = Some(device);
        }
    }
    Sourced::new(mount, m.origin(item, via, written))
}

/// The host path a top-level volume of the local driver binds (`driver_opts.o` has `bind` or
/// `rbind`, `driver_opts.device` the path), if it is one.
pub(super) fn bound_device(volume: &Node) -> Option<String> {
    if volume
        .get("driver")
        .and_then(Node::as_str)
        .is_some_and(|d| d != "local")
    {
        return None;
    }
    let opts = volume.get("driver_opts")?;
    let binds = opts
        .get("o")
        .and_then(Node::as_str)?
        .split(',')
        .any(|o| matches!(o.trim(), "bind" | "rbind"));
    let device = opts.get("device").and_then(Node::as_str)?;
    (binds && !device.is_empty()).then(|| device.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use crate::model::{Mount, MountKind};

    fn mount(kind: MountKind, source: Option<&str>, target: &str) -> Mount {
        Mount {
            kind,
            source: source.map(str::to_string),
            target: target.to_string(),
            read_only: false,
            propagation: None,
            selinux: None,
        }
    }

    #[test]
    fn short_syntax() {
        let (spec, warnings) = map(r#"
            services:
              web:
                volumes:
                  - /var/run/docker.sock:/var/run/docker.sock:ro
                  - data:/var/lib/data
                  - /cache
                  - ./conf:/etc/app/:rshared,z
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        let mounts: Vec<_> = spec.mounts.iter().map(|m| m.value.clone()).collect();
        assert_eq!(
            mounts,
            [
                Mount {
                    read_only: true,
                    ..mount(
                        MountKind::Bind,
                        Some("/var/run/docker.sock"),
                        "/var/run/docker.sock"
                    )
                },
                mount(MountKind::Volume, Some("data"), "/var/lib/data"),
                mount(MountKind::Volume, None, "/cache"),
                Mount {
                    propagation: Some("rshared".into()),
                    selinux: Some("z".into()),
                    ..mount(MountKind::Bind, Some("./conf"), "/etc/app")
                },
            ]
        );
        assert_eq!(
            spec.mounts[0].origin.written,
            "volumes: /var/run/docker.sock:/var/run/docker.sock:ro"
        );
        assert_eq!(spec.mounts[3].origin.location.span.unwrap().start.line, 7);
    }

    #[test]
    fn long_syntax() {
        let (spec, _) = map(r#"
            services:
              web:
                volumes:
                  - type: bind
                    source: /
                    target: /host
                    read_only: "true"
                    bind:
                      propagation: rshared
                      selinux: Z
                  - type: tmpfs
                    target: /tmp
                    tmpfs: {size: 64m}
                  - {type: volume, target: /anon}
            "#);
        let mounts: Vec<_> = spec.mounts.iter().map(|m| m.value.clone()).collect();
        assert_eq!(
            mounts,
            [
                Mount {
                    read_only: true,
                    propagation: Some("rshared".into()),
                    selinux: Some("Z".into()),
                    ..mount(MountKind::Bind, Some("/"), "/host")
                },
                mount(MountKind::Tmpfs, None, "/tmp"),
                mount(MountKind::Volume, None, "/anon"),
            ]
        );
        assert!(spec.mounts[0]
            .origin
            .written
            .starts_with("volumes: {type: bind, source: /, target: /host"));

        let err = map_err("services:\n  web:\n    volumes:\n      - {source: /, target: /x}\n");
        assert!(
            err.message.contains("services.web.volumes[0]") && err.message.contains("no `type`"),
            "{err:?}"
        );
        let err = map_err("services:\n  web:\n    volumes:\n      - {type: bind, target: /x}\n");
        assert!(err.message.contains("without a `source`"), "{err:?}");
        let err = map_err("services:\n  web:\n    volumes:\n      - /x:/y:ro:extra\n");
        assert!(err.message.contains("is not a volume"), "{err:?}");
        let err = map_err("services:\n  web:\n    volumes: {a: b}\n");
        assert!(
            err.message.contains("must be a list, but it is a mapping"),
            "{err:?}"
        );
    }

    #[test]
    fn a_named_volume_that_binds_a_host_directory_is_a_bind() {
        let (spec, _) = map(r#"
            services:
              web:
                volumes: ["etc:/host-etc"]
            volumes:
              etc:
                driver_opts: {type: none, o: bind, device: /etc}
            "#);
        let m = &spec.mounts[0];
        assert_eq!(m.value, mount(MountKind::Bind, Some("/etc"), "/host-etc"));
        assert_eq!(
            m.origin.written,
            "volumes: etc:/host-etc (volume `etc` binds /etc)"
        );
    }

    #[test]
    fn volumes_from_brings_the_other_services_mounts() {
        let (spec, _) = map(r#"
            services:
              web:
                volumes_from: ["agent:ro", "container:outside"]
              agent:
                volumes: ["/var/run/docker.sock:/var/run/docker.sock"]
                volumes_from: [base]
              base:
                volumes: [{type: bind, source: /etc, target: /host-etc}]
                volumes_from: [agent]
            "#);
        let mounts: Vec<_> = spec.mounts.iter().map(|m| m.value.clone()).collect();
        assert_eq!(mounts.len(), 2, "{mounts:?}");
        assert_eq!(
            mounts[0],
            Mount {
                read_only: true,
                ..mount(
                    MountKind::Bind,
                    Some("/var/run/docker.sock"),
                    "/var/run/docker.sock"
                )
            }
        );
        assert_eq!(mounts[1].source.as_deref(), Some("/etc"));
        assert!(mounts.iter().all(|m| m.read_only));
        assert_eq!(
            spec.mounts[0].origin.written,
            "volumes_from: agent:ro (mounts /var/run/docker.sock:/var/run/docker.sock)"
        );
    }

    #[test]
    fn the_api_socket_is_a_bind_of_the_engine_socket() {
        let (spec, _) = map("services:\n  ci:\n    use_api_socket: true\n");
        let m = &spec.mounts[0];
        assert_eq!(
            m.value,
            mount(
                MountKind::Bind,
                Some("/var/run/docker.sock"),
                "/var/run/docker.sock"
            )
        );
        assert_eq!(
            m.origin.written,
            "use_api_socket: true (binds /var/run/docker.sock)"
        );
        let (spec, _) = map("services:\n  ci:\n    use_api_socket: false\n");
        assert!(spec.mounts.is_empty());
    }

    #[test]
    fn tmpfs_string_or_list() {
        let (spec, _) = map("services:\n  web:\n    tmpfs: /run\n");
        assert_eq!(spec.mounts[0].value, mount(MountKind::Tmpfs, None, "/run"));
        let (spec, _) = map("services:\n  web:\n    tmpfs: [/run, \"/tmp:ro,size=64m\"]\n");
        assert_eq!(spec.mounts.len(), 2);
        assert!(spec.mounts[1].value.read_only);
        assert_eq!(spec.mounts[1].origin.written, "tmpfs: /tmp:ro,size=64m");
    }
}
