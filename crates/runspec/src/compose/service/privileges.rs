//! Privileges: `privileged`, `cap_add`, `cap_drop`, `security_opt`, `init`, `runtime`.

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{RunSpec, Sourced};
use crate::values::{normalize_capability, parse_security_opt};
use crate::yaml::Node;

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    spec.privileged = m.bool_setting(svc, Field::Privileged)?;
    if let Some(node) = svc.get(Field::CapAdd.compose()) {
        spec.cap_add = capabilities(m, node, Field::CapAdd.compose())?;
    }
    if let Some(node) = svc.get(Field::CapDrop.compose()) {
        spec.cap_drop = capabilities(m, node, Field::CapDrop.compose())?;
    }
    if let Some(node) = svc.get(Field::SecurityOpt.compose()) {
        let items = m
            .seq(
                node,
                "security_opt",
                "`security_opt: [no-new-privileges:true]`",
            )?
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let via = format!("security_opt[{i}]");
            let text = m.scalar_text(item, &via, "a string")?;
            let opt = parse_security_opt(text).map_err(|e| {
                m.bad_value(
                    item,
                    &via,
                    &format!("is not a security option ({e})"),
                    "write `key=value` (or `key:value`): `no-new-privileges:true`, `seccomp=profile.json`, `apparmor=name`, `label=type:…`",
                )
            })?;
            spec.security_opt.push(m.sourced(opt, item, &via));
        }
    }
    spec.init = m.bool_setting(svc, Field::Init)?;
    spec.runtime = m.string_setting(svc, Field::Runtime)?;
    Ok(())
}

/// A list of capabilities, normalised (`cap_sys_admin` → `SYS_ADMIN`) the way rules compare
/// them; the engine accepts both spellings.
fn capabilities(m: &Mapper, node: &Node, key: &str) -> Result<Vec<Sourced<String>>, Diagnostic> {
    let items = m
        .seq(node, key, &format!("`{key}: [NET_ADMIN]`"))?
        .unwrap_or_default();
    let mut caps = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let via = format!("{key}[{i}]");
        let text = m.scalar_text(item, &via, "a capability name")?;
        caps.push(m.sourced(normalize_capability(text), item, &via));
    }
    Ok(caps)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err, FILE};
    use crate::model::{SecurityOpt, Via};
    use plimsoll_core::{Pos, Span};

    #[test]
    fn privileged_capabilities_and_their_origins() {
        let (spec, warnings) = map(r#"
            services:
              web:
                image: nginx
                privileged: true
                cap_add: [cap_sys_admin, NET_ADMIN]
                cap_drop:
                  - ALL
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        let privileged = spec.privileged.unwrap();
        assert!(privileged.value);
        assert_eq!(privileged.origin.written, "privileged: true");
        assert_eq!(privileged.origin.via, Via::Compose("privileged".into()));
        assert_eq!(privileged.origin.location.path, FILE);
        assert_eq!(
            privileged.origin.location.span,
            Some(Span::new(Pos::new(4, 17), Pos::new(4, 21)))
        );
        let caps: Vec<_> = spec.cap_add.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(caps, ["SYS_ADMIN", "NET_ADMIN"]);
        assert_eq!(spec.cap_add[0].origin.written, "cap_add: cap_sys_admin");
        assert_eq!(
            spec.cap_add[1].origin.via,
            Via::Compose("cap_add[1]".into())
        );
        assert_eq!(spec.cap_drop[0].value, "ALL");
        assert_eq!(spec.cap_drop[0].origin.location.span.unwrap().start.line, 7);
    }

    #[test]
    fn booleans_as_compose_go_casts_them() {
        let (spec, warnings) = map(r#"
            services:
              web:
                privileged: "true"
                init: "FALSE"
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(spec.privileged.unwrap().value);
        assert!(!spec.init.unwrap().value);

        let (spec, warnings) = map("services:\n  web:\n    privileged: yes\n");
        assert!(spec.privileged.unwrap().value);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("YAML 1.1"), "{warnings:?}");

        let err = map_err("services:\n  web:\n    privileged: sure\n");
        assert!(err.message.contains("services.web.privileged"), "{err:?}");
        assert!(err.message.contains("not a boolean"), "{err:?}");
        assert_eq!(err.span.unwrap().start.line, 3);
        let err = map_err("services:\n  web:\n    privileged: [true]\n");
        assert!(
            err.message.contains("must be a boolean, but it is a list"),
            "{err:?}"
        );
    }

    #[test]
    fn security_options_parse_or_fail() {
        let (spec, _) = map(r#"
            services:
              web:
                security_opt:
                  - no-new-privileges:true
                  - seccomp=unconfined
                  - apparmor:unconfined
                  - label=disable
            "#);
        let opts: Vec<_> = spec.security_opt.iter().map(|o| o.value.clone()).collect();
        assert_eq!(
            opts,
            [
                SecurityOpt::NoNewPrivileges(true),
                SecurityOpt::Seccomp("unconfined".into()),
                SecurityOpt::AppArmor("unconfined".into()),
                SecurityOpt::Label("disable".into()),
            ]
        );
        assert_eq!(
            spec.security_opt[1].origin.written,
            "security_opt: seccomp=unconfined"
        );

        let err = map_err("services:\n  web:\n    security_opt: [nonsense]\n");
        assert!(
            err.message.contains("services.web.security_opt[0]"),
            "{err:?}"
        );
        assert!(err.hint.is_some());
        let err = map_err("services:\n  web:\n    cap_add: SYS_ADMIN\n");
        assert!(
            err.message
                .contains("services.web.cap_add must be a list, but it is a string (`SYS_ADMIN`)"),
            "{err:?}"
        );
    }

    #[test]
    fn init_and_runtime() {
        let (spec, _) = map("services:\n  web:\n    init: true\n    runtime: runsc\n");
        assert!(spec.init.unwrap().value);
        assert_eq!(spec.runtime.unwrap().value, "runsc");
    }
}
