//! Every image a build pulls: the external base of each stage's `FROM`, and the images named
//! by `COPY --from=<image>` and `RUN --mount=…,from=<image>`. DF002–DF004 judge them alike.

use crate::analysis::source_text::find_text;
use crate::analysis::stages::{Stages, Unresolved};
use crate::ast::{Command, Instruction};
use plimsoll_core::image_ref::ImageRef;
use plimsoll_core::Span;

/// Where an image reference appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullKind {
    From,
    CopyFrom,
    MountFrom,
}

/// One pulled image reference.
#[derive(Debug, Clone)]
pub struct Pulled<'a> {
    /// The stage it appears in.
    pub stage: usize,
    pub kind: PullKind,
    /// As written (may contain `$VAR`).
    pub written: String,
    /// The reference token.
    pub span: Span,
    pub instr: &'a Instruction,
    pub resolved: Result<ImageRef, Unresolved>,
}

impl Pulled<'_> {
    /// The resolved image when no digest pins it (and it is not `scratch`): a rebuild may get
    /// a different image.
    pub fn undigested(&self) -> Option<&ImageRef> {
        self.resolved
            .as_ref()
            .ok()
            .filter(|img| !img.is_scratch() && !img.has_digest())
    }

    /// `base image `node:20` of stage `build` (line 3)`, `image `alpine` used by COPY --from at
    /// line 9`… with the resolved value when a variable was involved.
    pub fn describe(&self, stages: &Stages<'_>) -> String {
        let shown = match &self.resolved {
            Ok(r) if r.original != self.written => {
                format!("`{}` (= `{}`)", self.written, r.original)
            }
            _ => format!("`{}`", self.written),
        };
        match self.kind {
            PullKind::From if stages.list.len() <= 1 => format!("base image {shown}"),
            PullKind::From => format!(
                "base image {shown} of {}",
                stages
                    .get(self.stage)
                    .map(|s| s.label())
                    .unwrap_or_default()
            ),
            PullKind::CopyFrom => format!(
                "image {shown} copied from by COPY --from at line {}",
                self.instr.line()
            ),
            PullKind::MountFrom => format!(
                "image {shown} mounted by RUN --mount at line {}",
                self.instr.line()
            ),
        }
    }

    /// Fingerprint key: stage and reference, no line numbers.
    pub fn key(&self, stages: &Stages<'_>) -> String {
        let stage = stages.get(self.stage).map(|s| s.key()).unwrap_or_default();
        format!("{stage}:{:?}:{}", self.kind, self.written)
    }
}

/// Whether a `--from` value looks like an image reference rather than a (mistyped) stage
/// name: it has a registry, a path, a tag or a digest.
pub fn looks_like_image(value: &str) -> bool {
    value.contains(['/', ':', '@', '.'])
}

/// All pulled images of a file, in source order.
pub fn pulled<'a>(stages: &Stages<'a>) -> Vec<Pulled<'a>> {
    let source = &stages.file.source;
    let mut out = Vec::new();
    for stage in &stages.list {
        if let Some(base) = stages.base_image(stage.index) {
            out.push(Pulled {
                stage: stage.index,
                kind: PullKind::From,
                written: base.written,
                span: stage.image.span,
                instr: stage.from,
                resolved: base.resolved,
            });
        }
        stages.walk(stage.index, |instr, vars| {
            let mut refs: Vec<(PullKind, String, Span)> = Vec::new();
            match &instr.command {
                Command::Copy(_) => {
                    if let Some(flag) = instr.flag("from") {
                        if let Some(v) = &flag.value {
                            refs.push((PullKind::CopyFrom, v.clone(), flag.span));
                        }
                    }
                }
                Command::Run { mounts, .. } => {
                    for m in mounts {
                        if let Some(from) = m.from() {
                            refs.push((PullKind::MountFrom, from.to_string(), m.span));
                        }
                    }
                }
                _ => {}
            }
            for (kind, written, within) in refs {
                let resolved = vars.expand(&written);
                let value = resolved.clone().unwrap_or_else(|_| written.clone());
                // An empty `from` (as written or expanded) is the build context, not an image.
                if value.trim().is_empty()
                    || stages.resolve_from(&value).is_some()
                    || !looks_like_image(&value)
                {
                    continue;
                }
                let span = find_text(source, within, &written).unwrap_or(within);
                out.push(Pulled {
                    stage: stage.index,
                    kind,
                    written,
                    span,
                    instr,
                    resolved: resolved.map(|r| ImageRef::parse(r.trim())),
                });
            }
        });
    }
    out
}
