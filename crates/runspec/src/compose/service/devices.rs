//! Host devices: `devices`, `device_cgroup_rules`, `gpus` (and GPU requests written as
//! `deploy.resources.reservations.devices`, which docker compose hands the engine the same
//! way).

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{Device, RunSpec};
use crate::yaml::{Node, NodeKind};

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    if let Some(node) = svc.get(Field::Devices.compose()) {
        let items = m
            .seq(
                node,
                "devices",
                "`devices: [\"/dev/ttyUSB0:/dev/ttyUSB0\"]`",
            )?
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let via = format!("devices[{i}]");
            let device = match &item.kind {
                NodeKind::Scalar(s) if !item.is_null() => short(m, item, &via, &s.text)?,
                NodeKind::Map(_) => long(m, item, &via)?,
                _ => return Err(m.wrong_type(
                    item,
                    &via,
                    "a string or a mapping",
                    "write `- /dev/sda:/dev/xvda:rwm` or `- {source: /dev/sda, target: /dev/xvda}`",
                )),
            };
            spec.devices.push(m.sourced(device, item, &via));
        }
    }
    if let Some(node) = svc.get(Field::DeviceCgroupRules.compose()) {
        let items = m
            .seq(
                node,
                "device_cgroup_rules",
                "`device_cgroup_rules: [\"c 1:3 mr\"]`",
            )?
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let via = format!("device_cgroup_rules[{i}]");
            let rule = m.scalar_text(item, &via, "a rule like `c 1:3 mr`")?;
            spec.device_cgroup_rules
                .push(m.sourced(rule.to_string(), item, &via));
        }
    }
    if let Some(node) = svc.get(Field::Gpus.compose()) {
        match &node.kind {
            _ if node.is_null() => {}
            // `gpus: all` (compose-go turns it into one request for all GPUs).
            NodeKind::Scalar(s) => {
                spec.gpus = Some(m.sourced(s.text.clone(), node, Field::Gpus.compose()))
            }
            NodeKind::Seq(items) if !items.is_empty() => {
                spec.gpus = Some(m.sourced(requests_text(items), node, Field::Gpus.compose()));
            }
            NodeKind::Seq(_) => {}
            NodeKind::Map(_) => {
                return Err(m.wrong_type(
                    node,
                    "gpus",
                    "`all` or a list",
                    "write `gpus: all` or `gpus: [{driver: nvidia, count: 1}]`",
                ))
            }
        }
    }
    let reserved = svc
        .get("deploy")
        .and_then(|d| d.get("resources"))
        .and_then(|r| r.get("reservations"))
        .and_then(|r| r.get("devices"));
    if let (None, Some(node)) = (&spec.gpus, reserved) {
        let via = "deploy.resources.reservations.devices";
        if let Some(items) = m.seq(node, via, "`devices: [{capabilities: [gpu]}]`")? {
            if !items.is_empty() {
                spec.gpus = Some(m.sourced(requests_text(items), node, via));
            }
        }
    }
    Ok(())
}

/// A short device, split like compose-go `transformDeviceMapping`: `source[:target[:permissions]]`
/// (unlike the Docker CLI, a second field is always the target). More fields are an error
/// there too.
fn short(m: &Mapper, item: &Node, via: &str, text: &str) -> Result<Device, Diagnostic> {
    let mut parts = text.splitn(4, ':');
    let source = parts.next().unwrap_or_default();
    let target = parts.next().filter(|t| !t.is_empty());
    let permissions = parts.next().filter(|p| !p.is_empty());
    if parts.next().is_some() || source.is_empty() {
        return Err(m.bad_value(
            item,
            via,
            "is a confusing device mapping",
            "write `host[:container[:permissions]]`, or the long syntax `{source: …, target: …, permissions: rwm}`",
        ));
    }
    Ok(Device {
        host_path: source.to_string(),
        container_path: target.map(str::to_string),
        permissions: permissions.map(str::to_string),
    })
}

/// `{source, target, permissions}`; `source` is required.
fn long(m: &mut Mapper, item: &Node, via: &str) -> Result<Device, Diagnostic> {
    let mut text = |key: &str| m.string_under(item, key, via);
    let source = text("source")?.filter(|s| !s.is_empty());
    let target = text("target")?.filter(|s| !s.is_empty());
    let permissions = text("permissions")?.filter(|s| !s.is_empty());
    let Some(host_path) = source else {
        return Err(m.bad_value(
            item,
            via,
            "has no `source`",
            "add the host device: `{source: /dev/sda, target: /dev/xvda}`",
        ));
    };
    Ok(Device {
        host_path,
        container_path: target,
        permissions,
    })
}

/// Device requests as one line: `[{driver: nvidia, count: all, capabilities: [gpu]}]`.
fn requests_text(items: &[Node]) -> String {
    let mut text = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&super::render::value(item));
        if text.len() > 200 {
            text.push('…');
            break;
        }
    }
    text.push(']');
    text
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use crate::model::Device;

    fn device(host: &str, container: Option<&str>, permissions: Option<&str>) -> Device {
        Device {
            host_path: host.to_string(),
            container_path: container.map(str::to_string),
            permissions: permissions.map(str::to_string),
        }
    }

    #[test]
    fn devices_short_and_long() {
        let (spec, _) = map(r#"
            services:
              hw:
                devices:
                  - /dev/ttyUSB0
                  - /dev/sda:/dev/xvda
                  - /dev/kmsg:/dev/kmsg:r
                  - {source: /dev/mem, permissions: rwm}
                  - nvidia.com/gpu=all
                device_cgroup_rules: ["c 1:3 mr"]
            "#);
        let devices: Vec<_> = spec.devices.iter().map(|d| d.value.clone()).collect();
        assert_eq!(
            devices,
            [
                device("/dev/ttyUSB0", None, None),
                device("/dev/sda", Some("/dev/xvda"), None),
                device("/dev/kmsg", Some("/dev/kmsg"), Some("r")),
                device("/dev/mem", None, Some("rwm")),
                device("nvidia.com/gpu=all", None, None),
            ]
        );
        assert_eq!(
            spec.devices[1].origin.written,
            "devices: /dev/sda:/dev/xvda"
        );
        assert_eq!(spec.device_cgroup_rules[0].value, "c 1:3 mr");

        let err = map_err("services:\n  hw:\n    devices: [\"a:b:c:d\"]\n");
        assert!(err.message.contains("confusing device mapping"), "{err:?}");
        let err = map_err("services:\n  hw:\n    devices: [{target: /dev/x}]\n");
        assert!(err.message.contains("no `source`"), "{err:?}");
    }

    #[test]
    fn gpus() {
        let (spec, _) = map("services:\n  ml:\n    gpus: all\n");
        assert_eq!(spec.gpus.unwrap().value, "all");
        let (spec, _) =
            map("services:\n  ml:\n    gpus:\n      - driver: nvidia\n        count: 1\n");
        assert_eq!(spec.gpus.unwrap().value, "[{driver: nvidia, count: 1}]");
        let (spec, _) = map(r#"
            services:
              ml:
                deploy:
                  resources:
                    reservations:
                      devices:
                        - capabilities: [gpu]
            "#);
        let gpus = spec.gpus.unwrap();
        assert_eq!(gpus.value, "[{capabilities: [gpu]}]");
        assert!(gpus
            .origin
            .written
            .starts_with("deploy.resources.reservations.devices: "));
    }
}
