//! What the container runs and as whom: `image`, `build`, `user`, `group_add`.

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{Build, RunSpec, Sourced};
use crate::yaml::{Node, NodeKind};

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    spec.image = m.string_setting(svc, Field::Image)?;
    if let Some(node) = svc.get("build") {
        spec.build = build(m, node)?;
    }
    spec.user = m.string_setting(svc, Field::User)?;
    if let Some(node) = svc.get(Field::GroupAdd.compose()) {
        for (i, item) in m
            .seq(node, Field::GroupAdd.compose(), "`group_add: [audio]`")?
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let via = format!("group_add[{i}]");
            // The schema allows a group name or a number (a gid).
            let group = m.scalar_text(item, &via, "a group name or id")?;
            spec.group_add
                .push(m.sourced(group.to_string(), item, &via));
        }
    }
    Ok(())
}

/// `build: ./dir`, or the mapping form (compose-go `transformBuild`; `context` defaults to
/// `.`, the Dockerfile to `Dockerfile`).
fn build(m: &mut Mapper, node: &Node) -> Result<Option<Sourced<Build>>, Diagnostic> {
    let base_dir = m.cx.project_dir.to_string_lossy().into_owned();
    let build = match &node.kind {
        _ if node.is_null() => return Ok(None),
        NodeKind::Scalar(s) => Build {
            context: s.text.clone(),
            dockerfile: "Dockerfile".to_string(),
            inline: None,
            target: None,
            base_dir,
        },
        NodeKind::Map(_) => {
            let mut field = |key: &str| -> Result<Option<String>, Diagnostic> {
                match node.get(key) {
                    Some(value) => m.string(value, &format!("build.{key}")),
                    None => Ok(None),
                }
            };
            let context = field("context")?;
            let dockerfile = field("dockerfile")?;
            let inline = field("dockerfile_inline")?;
            let target = field("target")?;
            if dockerfile.is_some() && inline.is_some() {
                m.warn(
                    node,
                    format!(
                        "{}: `dockerfile` and `dockerfile_inline` exclude each other; docker compose refuses this",
                        m.display("build")
                    ),
                    Some("keep one of them".to_string()),
                );
            }
            Build {
                context: context.unwrap_or_else(|| ".".to_string()),
                dockerfile: dockerfile.unwrap_or_else(|| "Dockerfile".to_string()),
                inline,
                target,
                base_dir,
            }
        }
        NodeKind::Seq(_) => {
            return Err(m.wrong_type(
                node,
                "build",
                "a path or a mapping",
                "write `build: ./dir` or `build: {context: ./dir, dockerfile: Dockerfile}`",
            ))
        }
    };
    Ok(Some(m.sourced(build, node, "build")))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use crate::model::{SpecKind, Via};

    #[test]
    fn image_user_groups_and_anchor() {
        let (spec, warnings) = map(r#"
            services:
              api:
                image: registry.example/api@sha256:abc
                user: "1000:1000"
                group_add: [audio, 44]
            "#);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(spec.name, "api");
        assert_eq!(
            spec.kind,
            SpecKind::ComposeService {
                project: "demo".into()
            }
        );
        assert_eq!(spec.anchor.written, "services.api");
        assert_eq!(spec.anchor.via, Via::Compose(String::new()));
        assert_eq!(spec.anchor.location.span.unwrap().start.line, 2);
        assert_eq!(spec.image.unwrap().value, "registry.example/api@sha256:abc");
        let user = spec.user.unwrap();
        assert_eq!(user.value, "1000:1000");
        assert_eq!(user.origin.written, "user: 1000:1000");
        let groups: Vec<_> = spec.group_add.iter().map(|g| g.value.as_str()).collect();
        assert_eq!(groups, ["audio", "44"]);
    }

    #[test]
    fn a_number_where_a_string_belongs_is_kept_with_a_warning() {
        let (spec, warnings) = map("services:\n  api:\n    user: 1000\n");
        assert_eq!(spec.user.unwrap().value, "1000");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .contains("services.api.user should be a string"),
            "{warnings:?}"
        );
    }

    #[test]
    fn build_short_and_long() {
        let (spec, _) = map("services:\n  api:\n    build: ./api\n");
        let build = spec.build.unwrap();
        assert_eq!(build.value.context, "./api");
        assert_eq!(build.value.dockerfile, "Dockerfile");
        assert_eq!(build.value.base_dir, "/srv/demo");
        assert_eq!(build.origin.written, "build: ./api");

        let (spec, _) = map(r#"
            services:
              api:
                build:
                  dockerfile: docker/Dockerfile.prod
                  target: runtime
            "#);
        let build = spec.build.unwrap().value;
        assert_eq!(build.context, ".");
        assert_eq!(build.dockerfile, "docker/Dockerfile.prod");
        assert_eq!(build.target.as_deref(), Some("runtime"));

        let (spec, _) = map(r#"
            services:
              api:
                build:
                  context: .
                  dockerfile_inline: |
                    FROM alpine
                    USER nobody
            "#);
        assert_eq!(
            spec.build.unwrap().value.inline.as_deref(),
            Some("FROM alpine\nUSER nobody\n")
        );

        let err = map_err("services:\n  api:\n    build: [.]\n");
        assert!(
            err.message
                .contains("services.api.build must be a path or a mapping"),
            "{err:?}"
        );
    }
}
