//! Scripts that start containers: shell scripts, Makefiles and CI workflow files, searched for
//! `docker run`/`docker create` command lines (best effort, see `plimsoll_runspec::scripts`).
//! Each command found is judged by the same RS rules as a compose service; a finding points at
//! the flag (or the command) in the script.

use super::context::{AuditContext, Outcome, Source};
use super::fold::Sink;
use crate::input::Input;
use plimsoll_core::pragma::{comment_pragmas, Style};
use plimsoll_core::{AuditError, Target};
use plimsoll_runspec::scripts::{self, ScriptKind};
use std::path::Path;
use std::sync::Arc;

/// The script source (`kind = "script"`).
pub struct ScriptSource;

impl Source for ScriptSource {
    fn kind(&self) -> &'static str {
        "script"
    }

    fn plural(&self) -> &'static str {
        "scripts with docker run lines"
    }

    fn claims(&self, path: &Path) -> bool {
        scripts::kind_of(path).is_some()
    }

    fn audit(&self, input: &Input, bytes: &[u8], cx: &AuditContext<'_>) -> Outcome {
        let path = input.display.as_str();
        let mut outcome = Outcome::default();
        // Binary files were refused when read (NUL bytes). A script in another encoding
        // (Latin-1 comments in an old script) is still a script: its invalid bytes are read as
        // U+FFFD, which leaves `docker run` lines (ASCII) intact, and a warning says so.
        let text = String::from_utf8_lossy(bytes);
        if let Err(err) = std::str::from_utf8(bytes) {
            let line = bytes[..err.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            outcome.warnings.push(AuditError {
                path: path.to_string(),
                span: None,
                message: format!(
                    "not valid UTF-8 (first at line {line}): invalid bytes are read as U+FFFD"
                ),
                hint: Some("re-save the script as UTF-8".to_string()),
            });
        }
        let text: &str = &text;
        let kind = match &input.origin {
            crate::input::Origin::File(p) => scripts::kind_of(p),
            crate::input::Origin::Stdin => None,
        }
        .unwrap_or(ScriptKind::Shell);
        let rule_cx = plimsoll_runspec::rules::Context {
            policy: &cx.config.images,
        };
        // One command's findings at a time through the tail (pragmas, configuration), then the
        // sink (baseline, folding), so a script with hundreds of thousands of findings never
        // holds them all.
        let mut tail = cx
            .tail()
            .pragmas(path, &comment_pragmas(text, Style::Shell));
        let mut sink = Sink::new(cx);
        for found in scripts::find_runs(path, text, kind) {
            match found {
                Ok(spec) => {
                    let mut findings = plimsoll_runspec::rules::audit(&spec, &rule_cx);
                    tail.settle(&mut findings);
                    sink.extend(findings);
                }
                Err(err) => outcome.warnings.push(AuditError {
                    path: err.path,
                    span: err.span,
                    message: format!("a docker command could not be read: {}", err.message),
                    hint: err.hint,
                }),
            }
        }
        sink.extend(tail.finish());
        sink.finish(&mut outcome);
        outcome.targets.push(Target {
            path: path.to_string(),
            kind: self.kind(),
            source: Some(Arc::from(text)),
        });
        outcome
    }
}
