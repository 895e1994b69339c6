//! `plimsoll run -- docker run …`: one command line, judged by the RS rules.

use crate::cli::RunArgs;
use crate::error::Fatal;
use crate::prepare::prepare;
use crate::registry::registry;
use plimsoll_core::{Report, Tail, Target};
use std::path::PathBuf;
use std::sync::Arc;

/// How the command line is named in reports.
pub const COMMAND_LINE: &str = "<command-line>";

pub fn run(args: &RunArgs) -> Result<u8, Fatal> {
    let registry = registry();
    let prepared = prepare(&args.common, &[PathBuf::from(".")], registry)?;
    let (spec, text) = plimsoll_runspec::cli::parse_argv(&args.command).map_err(|e| {
        let mut fatal = Fatal::new(format!("cannot read the command: {}", e.message));
        if let Some(hint) = e.hint {
            fatal = fatal.hint(hint);
        }
        fatal
    })?;
    let rule_cx = plimsoll_runspec::rules::Context {
        policy: &prepared.loaded.config.images,
    };
    let findings = Tail::new(registry, &prepared.loaded.config)
        .settle_all(plimsoll_runspec::rules::audit(&spec, &rule_cx));
    let mut report = Report {
        targets: vec![Target {
            path: COMMAND_LINE.to_string(),
            kind: "command",
            source: Some(Arc::from(text.as_str())),
        }],
        findings,
        ..Report::default()
    };
    prepared.finish(&mut report, registry, &args.common)
}

/// The words that start a container command line when someone forgets the `--` before it.
const COMMAND_STARTS: [&str; 4] = ["docker", "docker.exe", "podman", "sudo"];

/// When `plimsoll run docker run …` was typed without `--` (clap then refuses `docker` as an
/// unexpected argument, which does not say what to do), the corrected command line: the
/// plimsoll flags, then `--`, then the command as typed. `None` when the arguments are not a
/// `run` subcommand missing its separator.
pub fn missing_separator_hint(args: &[std::ffi::OsString]) -> Option<String> {
    let words: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let run_at = words.iter().position(|w| !w.starts_with('-'))?;
    if words[run_at] != "run" {
        return None;
    }
    let rest = &words[run_at + 1..];
    if rest.iter().any(|w| w == "--") {
        return None;
    }
    let command_at = rest.iter().position(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        COMMAND_STARTS.contains(&base)
    })?;
    let quoted = |ws: &[String]| -> Vec<String> {
        ws.iter()
            .map(|w| plimsoll_runspec::cli::shell_quote(w))
            .collect()
    };
    let mut line = vec!["plimsoll".to_string(), "run".to_string()];
    line.extend(quoted(&rest[..command_at]));
    line.push("--".to_string());
    line.extend(quoted(&rest[command_at..]));
    Some(format!("put `--` before the command: {}", line.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn hint(line: &str) -> Option<String> {
        let args: Vec<OsString> = line.split(' ').map(OsString::from).collect();
        missing_separator_hint(&args)
    }

    #[test]
    fn a_docker_command_without_separator_gets_the_corrected_line() {
        assert_eq!(
            hint("run docker run --privileged nginx").as_deref(),
            Some("put `--` before the command: plimsoll run -- docker run --privileged nginx")
        );
        assert_eq!(
            hint("run --format json sudo docker run -e A=b$c img").as_deref(),
            Some(
                "put `--` before the command: plimsoll run --format json -- sudo docker run -e \
                 'A=b$c' img"
            )
        );
        assert!(hint("run /usr/bin/docker create img").is_some());
    }

    #[test]
    fn no_hint_when_the_separator_is_there_or_it_is_another_command() {
        assert_eq!(hint("run -- docker run nginx"), None);
        assert_eq!(hint("run --format xml"), None);
        assert_eq!(hint("scan docker"), None);
    }
}
