//! Shell variables a script sets to literal text (`IMAGE=repo@sha256:…`, `export
//! TAG="1.2"`), so that `docker run "$IMAGE"` later in the same script is judged by the image
//! it runs rather than by the text `$IMAGE`.
//!
//! Nothing is executed or expanded. An assignment counts when it is a command of its own
//! (`IMAGE=x`, several on one line, or after `export`/`readonly`/`declare`/`typeset`/`local`);
//! one in front of another command (`IMAGE=x docker run …`) only sets that command's
//! environment and is not followed. A value that expands anything (`$`, `` ` ``) is unknown.
//! The variable's value is the one every earlier assignment agrees on: two different literals
//! (branches of an `if`, a reassignment) or any unknown one make it unknown, so the scanner
//! never claims a value the script might not hold.

use super::commands::Command;
use crate::cli::{is_assignment, is_name, Word};
use crate::model::RunSpec;
use plimsoll_core::Pos;

/// Builtins whose `NAME=value` arguments set shell variables.
const DECLARING: &[&str] = &["export", "readonly", "declare", "typeset", "local"];

/// One assignment to a shell variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    name: String,
    /// The value when it is literal text; `None` when it expands something.
    value: Option<String>,
    at: Pos,
}

/// Every assignment the commands make, in the commands' order.
pub(crate) fn assignments(commands: &[Command]) -> Vec<Assignment> {
    let mut out = Vec::new();
    for c in commands {
        let words = &c.words;
        let leading = words.iter().take_while(|w| is_assignment(&w.text)).count();
        if leading == words.len() {
            out.extend(words.iter().filter_map(assignment));
        } else if leading == 0
            && words
                .first()
                .is_some_and(|w| DECLARING.contains(&w.text.as_str()))
        {
            out.extend(words.iter().skip(1).filter_map(assignment));
        }
    }
    out
}

/// Whether a command can set a shell variable ([`assignments`] reads only these).
pub(crate) fn may_assign(words: &[Word]) -> bool {
    words
        .first()
        .is_some_and(|w| is_assignment(&w.text) || DECLARING.contains(&w.text.as_str()))
}

fn assignment(word: &Word) -> Option<Assignment> {
    if !is_assignment(&word.text) {
        return None;
    }
    let (name, value) = word.text.split_once('=')?;
    let literal = !value.contains(['$', '`']);
    Some(Assignment {
        name: name.to_string(),
        value: literal.then(|| value.to_string()),
        at: word.span.start,
    })
}

/// The assignment that gives `name` its value at `at`, when every assignment before `at`
/// agrees on one literal value (the last of them, for its line).
fn known_at<'a>(assignments: &'a [Assignment], name: &str, at: Pos) -> Option<&'a Assignment> {
    let mut found: Option<&Assignment> = None;
    for a in assignments.iter().filter(|a| a.name == name && a.at < at) {
        let value = a.value.as_deref()?;
        if found.is_some_and(|f| f.value.as_deref() != Some(value)) {
            return None;
        }
        found = Some(a);
    }
    found
}

/// `$NAME` or `${NAME}`: the variable's name.
fn variable(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('$')?;
    let name = rest
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .unwrap_or(rest);
    is_name(name).then_some(name)
}

/// An image given as `$NAME` / `${NAME}` becomes the literal the script assigned to `NAME`
/// before the command; the evidence says where (`$IMAGE (IMAGE=app@sha256:… on line 3)`). An
/// image whose value is unknown is left as written.
pub(crate) fn resolve_image(spec: &mut RunSpec, assignments: &[Assignment]) {
    let Some(image) = spec.image.as_mut() else {
        return;
    };
    let Some(at) = image.origin.location.span.map(|s| s.start) else {
        return;
    };
    let Some(name) = variable(image.value.trim()) else {
        return;
    };
    let Some(a) = known_at(assignments, name, at) else {
        return;
    };
    let Some(value) = a.value.clone() else {
        return;
    };
    image.origin.written = format!(
        "{} ({name}={value} on line {})",
        image.origin.written, a.at.line
    );
    image.value = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scripts::{find_runs, ScriptKind};

    fn image_of(script: &str) -> Vec<(String, String)> {
        find_runs("s.sh", script, ScriptKind::Shell)
            .filter_map(Result::ok)
            .filter_map(|s| s.image)
            .map(|i| (i.value, i.origin.written))
            .collect()
    }

    #[test]
    fn a_literal_assignment_before_the_command_is_followed() {
        let digest = "sha256:2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8";
        let script = format!(
            "#!/bin/sh\nIMG=registry.example/app@{digest}\nexport TAG=\"nginx:1.27\"\ndocker run --rm \"$IMG\"\ndocker run ${{TAG}}\n"
        );
        let images = image_of(&script);
        assert_eq!(images.len(), 2);
        assert_eq!(images[0].0, format!("registry.example/app@{digest}"));
        assert!(images[0].1.starts_with("$IMG (IMG=registry.example/app@"));
        assert!(images[0].1.ends_with("on line 2)"), "{}", images[0].1);
        assert_eq!(images[1].0, "nginx:1.27");
    }

    #[test]
    fn an_unknown_value_stays_as_written() {
        for script in [
            // Assigned from a command, from the caller, or after the command.
            "IMG=$(grep image: compose.yml)\ndocker run $IMG\n",
            "IMG=\"${IMG:-app:latest}\"\ndocker run $IMG\n",
            "docker run $IMG\nIMG=app:1\n",
            // Only that command's environment.
            "IMG=app:1 docker run $IMG\n",
            // Two branches disagree.
            "if x; then IMG=app:1; else IMG=app:2; fi\ndocker run $IMG\n",
            // Never assigned.
            "docker run $IMG\n",
        ] {
            let images = image_of(script);
            assert_eq!(images.len(), 1, "{script}");
            assert_eq!(images[0].0, "$IMG", "{script}");
        }
        // Agreeing branches are known.
        let images = image_of("if x; then IMG=app:1; else IMG=app:1; fi\ndocker run $IMG\n");
        assert_eq!(images[0].0, "app:1");
    }

    #[test]
    fn variable_names() {
        assert_eq!(variable("$IMG"), Some("IMG"));
        assert_eq!(variable("${IMG}"), Some("IMG"));
        assert_eq!(variable("${IMG:-x}"), None);
        assert_eq!(variable("$IMG:1"), None);
        assert_eq!(variable("app"), None);
        assert_eq!(variable("$1"), None);
    }
}
