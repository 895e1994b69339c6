//! What a built image will do by default, as far as its Dockerfile says: the user it runs as
//! and whether it has a healthcheck. Other stages use this — a compose service that builds
//! from this Dockerfile and sets no `user:` runs as the image's user — so the answer carries
//! where in the Dockerfile it was decided, to be quoted as evidence.

use crate::analysis::base_images::{self, DefaultUser};
use crate::ast::{Command, Dockerfile, Healthcheck};
use crate::semantics::{Analysis, Base};
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
    let analysis = Analysis::new(file);
    let stage = target
        .and_then(|t| analysis.stage_ref(&t.to_ascii_lowercase()))
        .or_else(|| analysis.final_stage().map(|s| s.index));
    let Some(stage) = stage else {
        return ImageDefaults::default();
    };
    ImageDefaults {
        user: user(file, &analysis, stage),
        healthcheck: healthcheck(file, &analysis, stage),
    }
}

fn user(file: &Dockerfile, analysis: &Analysis, stage: usize) -> Option<Decided<String>> {
    if let Some(user) = analysis.effective_user(file, stage) {
        if !user.expanded.is_resolved() {
            // Decided by a build argument without a default: unknown.
            return None;
        }
        return Some(Decided {
            value: user.expanded.value.trim().to_string(),
            span: user.raw.span,
            written: format!("USER {}", user.raw.value.trim()),
        });
    }
    // No USER in the lineage: the root stage's base image decides.
    let root = analysis.ancestors(stage).last().copied().unwrap_or(stage);
    let root_stage = analysis.stages().get(root)?;
    let from = file.instructions.get(root_stage.from)?;
    let from_written = format!("FROM {}", root_stage.image.value.trim());
    match &root_stage.base {
        Base::Scratch => Some(Decided {
            value: String::new(),
            span: from.span,
            written: format!("{from_written} (no USER: root)"),
        }),
        Base::Image(_) if !root_stage.image.is_resolved() => None,
        Base::Image(_) => {
            match base_images::default_user(&ImageRef::parse(&root_stage.image.value)) {
                DefaultUser::Root | DefaultUser::WindowsAdmin => Some(Decided {
                    value: String::new(),
                    span: from.span,
                    written: format!("{from_written} (no USER: the base image's default, root)"),
                }),
                DefaultUser::NonRoot(_) | DefaultUser::WindowsUser => Some(Decided {
                    value: "nonroot".to_string(),
                    span: from.span,
                    written: format!("{from_written} (no USER: the base image runs as non-root)"),
                }),
            }
        }
        Base::Stage(_) => None,
    }
}

fn healthcheck(file: &Dockerfile, analysis: &Analysis, stage: usize) -> Option<Decided<bool>> {
    let chain: Vec<usize> = std::iter::once(stage)
        .chain(analysis.ancestors(stage))
        .collect();
    for &si in &chain {
        let s = analysis.stages().get(si)?;
        for i in s.body.clone().rev() {
            let Some(instr) = file.instructions.get(i) else {
                continue;
            };
            if let Command::Healthcheck(h) = &instr.command {
                let value = matches!(h, Healthcheck::Cmd(_));
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
    }
    // No HEALTHCHECK in the lineage: the root stage's base decides.
    let root = analysis.stages().get(*chain.last()?)?;
    let from = file.instructions.get(root.from)?;
    match root.base {
        Base::Scratch | Base::Image(_) => Some(Decided {
            value: false,
            span: from.span,
            written: format!(
                "FROM {} (no HEALTHCHECK in the Dockerfile)",
                root.image.value.trim()
            ),
        }),
        Base::Stage(_) => None,
    }
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
