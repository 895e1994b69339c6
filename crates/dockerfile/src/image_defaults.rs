//! What a built image will do by default, as far as its Dockerfile says: the user it runs as
//! and whether it has a healthcheck. Other stages use this — a compose service that builds
//! from this Dockerfile and sets no `user:` runs as the image's user — so the answer carries
//! where in the Dockerfile it was decided, to be quoted as evidence.

use crate::analysis::base_images::{self, DefaultUser};
use crate::analysis::stages::{StageView, Stages};
use crate::ast::{Command, Dockerfile, Healthcheck};
use plimsoll_core::image_ref::ImageRef;
use plimsoll_core::Span;

/// The image's defaults; `None` fields are unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageDefaults {
    pub user: Option<Decided<String>>,
    /// `true` for a `HEALTHCHECK CMD …` in effect, `false` for `HEALTHCHECK NONE` or when no
    /// stage of the lineage sets one on a `scratch` or registry base (base images almost never
    /// define one — the official images do not — so plimsoll reads "none", as it reads an
    /// unset `USER` as root); `None` when it cannot tell (the base is a stage it cannot see).
    pub healthcheck: Option<Decided<bool>>,
}

/// A default and where the Dockerfile decides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided<T> {
    pub value: T,
    /// The deciding instruction (`USER`, `HEALTHCHECK`, or the `FROM` of a base image whose
    /// default plimsoll knows).
    pub span: Span,
    /// The deciding text, quoted: `USER app`, `FROM debian:12 (no USER: its default, root)`.
    pub written: String,
}

/// The defaults of the image built from `target` (a stage name; the final stage when `None`
/// or when no stage has that name). The user is `""` when the image runs as root because
/// nothing changes the base image's root default (`scratch`, `debian`, …).
pub fn image_defaults(file: &Dockerfile, target: Option<&str>) -> ImageDefaults {
    let stages = Stages::new(file);
    let stage = target
        .and_then(|t| stage_named(&stages, t))
        .or_else(|| stages.list.len().checked_sub(1));
    let Some(stage) = stage else {
        return ImageDefaults::default();
    };
    let lineage = stages.lineage(stage);
    ImageDefaults {
        user: user(&stages, &lineage),
        healthcheck: healthcheck(&stages, &lineage),
    }
}

/// A build target: an `AS` name (case-insensitive) or a stage number.
fn stage_named(stages: &Stages<'_>, name: &str) -> Option<usize> {
    let lower = name.to_lowercase();
    stages
        .list
        .iter()
        .find(|s| s.name().as_deref() == Some(lower.as_str()))
        .map(|s| s.index)
        .or_else(|| {
            name.parse::<usize>()
                .ok()
                .filter(|i| *i < stages.list.len())
        })
}

/// The root of a lineage when its `FROM` names `scratch` or an image (not an unknown stage),
/// with that `FROM` expanded by the global args and whether the expansion is fully known.
fn root_base<'s, 'a>(
    stages: &'s Stages<'a>,
    lineage: &[usize],
) -> Option<(&'s StageView<'a>, String, bool)> {
    let root = stages.get(*lineage.last()?)?;
    if root.parent.is_some() {
        return None;
    }
    let (image, known) = stages.global_vars().expand_as_built(&root.image.value);
    Some((root, image, known))
}

fn user(stages: &Stages<'_>, lineage: &[usize]) -> Option<Decided<String>> {
    for &si in lineage {
        let mut last = None;
        stages.walk(si, |instr, vars| {
            if let Command::User(u) = &instr.command {
                last = Some((u, vars.expand_as_built(&u.value)));
            }
        });
        if let Some((u, (value, known))) = last {
            // Decided by a build argument without a default: unknown.
            return known.then(|| Decided {
                value: value.trim().to_string(),
                span: u.span,
                written: format!("USER {}", u.value.trim()),
            });
        }
    }
    // No USER in the lineage: the root stage's base image decides.
    let (root, image, known) = root_base(stages, lineage)?;
    let from_written = format!("FROM {}", image.trim());
    if image == "scratch" {
        return Some(Decided {
            value: String::new(),
            span: root.from.span,
            written: format!("{from_written} (no USER: root)"),
        });
    }
    if !known {
        return None;
    }
    match base_images::default_user(&ImageRef::parse(&image)) {
        DefaultUser::Root | DefaultUser::WindowsAdmin => Some(Decided {
            value: String::new(),
            span: root.from.span,
            written: format!("{from_written} (no USER: the base image's default, root)"),
        }),
        DefaultUser::NonRoot(_) | DefaultUser::WindowsUser => Some(Decided {
            value: "nonroot".to_string(),
            span: root.from.span,
            written: format!("{from_written} (no USER: the base image runs as non-root)"),
        }),
    }
}

fn healthcheck(stages: &Stages<'_>, lineage: &[usize]) -> Option<Decided<bool>> {
    for &si in lineage {
        let stage = stages.get(si)?;
        let last = stage
            .body
            .iter()
            .rev()
            .find_map(|instr| match &instr.command {
                Command::Healthcheck(h) => Some((instr, matches!(h, Healthcheck::Cmd(_)))),
                _ => None,
            });
        if let Some((instr, value)) = last {
            return Some(Decided {
                value,
                span: instr.span,
                written: if value {
                    "HEALTHCHECK CMD …".to_string()
                } else {
                    "HEALTHCHECK NONE".to_string()
                },
            });
        }
    }
    // No HEALTHCHECK in the lineage: the root stage's base decides.
    let (root, image, _) = root_base(stages, lineage)?;
    Some(Decided {
        value: false,
        span: root.from.span,
        written: format!("FROM {} (no HEALTHCHECK in the Dockerfile)", image.trim()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(text: &str, target: Option<&str>) -> ImageDefaults {
        let file = crate::parse("Dockerfile", text.as_bytes()).expect("parses");
        image_defaults(&file, target)
    }

    #[test]
    fn last_user_of_the_lineage_decides() {
        let d = defaults(
            "FROM debian:12 AS base\nUSER app\nFROM base\nRUN true\n",
            None,
        );
        let user = d.user.expect("known");
        assert_eq!(user.value, "app");
        assert_eq!(user.written, "USER app");
        assert_eq!(user.span.start.line, 2);
    }

    #[test]
    fn no_user_on_a_root_base_is_root_and_unresolved_is_unknown() {
        let d = defaults("FROM debian:12\nRUN true\n", None);
        assert_eq!(d.user.map(|u| u.value), Some(String::new()));
        let d = defaults("FROM scratch\nCOPY app /\n", None);
        assert_eq!(d.user.map(|u| u.value), Some(String::new()));
        let d = defaults("FROM debian:12\nARG UID\nUSER $UID\n", None);
        assert_eq!(d.user, None);
        let d = defaults("FROM gcr.io/distroless/static:nonroot\n", None);
        assert_eq!(d.user.map(|u| u.value), Some("nonroot".to_string()));
    }

    #[test]
    fn target_stage_and_healthcheck() {
        let text = "FROM debian:12 AS dev\nHEALTHCHECK NONE\nFROM debian:12 AS prod\nUSER 10001\n\
HEALTHCHECK CMD [\"/app\", \"-health\"]\n";
        let none = defaults("FROM debian:12\nRUN true\n", None);
        let none = none.healthcheck.expect("decided by the FROM line");
        assert!(!none.value);
        assert_eq!(none.span.start.line, 1);
        let dev = defaults(text, Some("dev"));
        assert_eq!(dev.healthcheck.map(|h| h.value), Some(false));
        assert_eq!(dev.user.map(|u| u.value), Some(String::new()));
        let prod = defaults(text, None);
        assert_eq!(prod.healthcheck.map(|h| h.value), Some(true));
        assert_eq!(prod.user.map(|u| u.value), Some("10001".to_string()));
    }
}
