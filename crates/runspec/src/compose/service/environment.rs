//! The container's environment and secrets: `environment`, `env_file`, `secrets`.
//!
//! Rules about secrets need to know where a value is written, not only what it is: a
//! password typed into the compose file is committed with it, one interpolated from
//! `${DB_PASSWORD}` lives in the caller's environment or `.env`, one in an `env_file` lives in
//! that file. [`EnvFrom`] records which. The effective environment is built like compose-go's
//! `WithServicesEnvironmentResolved`: an entry written without a value (`- NAME`) takes
//! `NAME`'s value from the project's variables (caller environment, `.env`) when it is set
//! there — still [`EnvFrom::Caller`], since the file does not hold it; env files in order (a
//! later file wins), then `environment:` over them.

use super::read::Mapper;
use super::render;
use crate::cli::is_name;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{EnvFrom, EnvVar, RunSpec, Sourced};
use crate::yaml::{Node, NodeKind};
use std::collections::HashMap;

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    if let Some(node) = svc.get(Field::Environment.compose()) {
        environment(m, node, spec)?;
    }
    if let Some(node) = svc.get(Field::EnvFile.compose()) {
        env_files(m, node, spec)?;
    }
    if let Some(node) = svc.get("secrets") {
        let items = m
            .seq(node, "secrets", "`secrets: [db_password]`")?
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let via = format!("secrets[{i}]");
            let name = match &item.kind {
                NodeKind::Scalar(s) if !item.is_null() => s.text.clone(),
                NodeKind::Map(_) => match item.get("source") {
                    Some(source) => m
                        .string(source, &format!("{via}.source"))?
                        .unwrap_or_default(),
                    None => {
                        return Err(m.bad_value(
                            item,
                            &via,
                            "has no `source`",
                            "write `- {source: db_password, target: db.pass}`",
                        ))
                    }
                },
                _ => {
                    return Err(m.wrong_type(
                        item,
                        &via,
                        "a secret name or a mapping",
                        "write `- db_password` or `- {source: db_password}`",
                    ))
                }
            };
            spec.secrets.push(m.sourced(name, item, &via));
        }
    }
    Ok(())
}

/// `environment:` as a mapping or a `NAME=value` list.
fn environment(m: &Mapper, node: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    for entry in m.list_or_dict(
        node,
        Field::Environment.compose(),
        "`environment: {DEBUG: \"1\"}`",
    )? {
        let Some(value) = entry.value else {
            let written = format!("environment: {}", entry.name);
            let value = m.cx.var(&entry.name);
            let from = value
                .as_deref()
                .and_then(|v| project_env(m, &entry.name, v))
                .unwrap_or(EnvFrom::Caller);
            let var = EnvVar {
                value,
                name: entry.name,
                from,
            };
            spec.environment
                .push(Sourced::new(var, m.origin(entry.node, &entry.via, written)));
            continue;
        };
        // What was written for the value, before interpolation.
        let original = entry
            .node
            .as_scalar()
            .and_then(|s| s.original.as_deref())
            .map(|o| {
                if entry.from_list {
                    after_assignment(o)
                } else {
                    o
                }
            });
        let from = match original {
            Some(o) if interpolation_only(o, &value) => referenced(o)
                .and_then(|name| project_env(m, name, &value))
                .unwrap_or(EnvFrom::Interpolated),
            _ => EnvFrom::Literal,
        };
        // Quote the value as written: an interpolated secret stays out of the evidence.
        let shown = original.unwrap_or(&value);
        let written = render::one_line(&format!("environment: {}={shown}", entry.name));
        let var = EnvVar {
            name: entry.name,
            value: Some(value),
            from,
        };
        spec.environment
            .push(Sourced::new(var, m.origin(entry.node, &entry.via, written)));
    }
    Ok(())
}

/// The value part of a `NAME=value` list item as written: after the first `=` that is not
/// inside a `${…}`.
fn after_assignment(item: &str) -> &str {
    let mut depth = 0usize;
    let bytes = item.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes.get(i - 1) == Some(&b'$') => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b'=' if depth == 0 => return item.get(i + 1..).unwrap_or_default(),
            _ => {}
        }
    }
    item
}

/// Whether `original` (the text as written) is one variable reference whose value came from
/// the environment: `$NAME`, `${NAME}`, `${NAME:?err}`, or `${NAME:-default}` /
/// `${NAME:+alt}` when the result is not the text written in the file.
fn interpolation_only(original: &str, value: &str) -> bool {
    if original.strip_prefix('$').is_some_and(is_name) {
        return true;
    }
    let Some(inner) = original
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
    else {
        return false;
    };
    if !balanced(inner) {
        return false;
    }
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, op) = inner.split_at(name_len);
    if !is_name(name) {
        return false;
    }
    // The text a `-`/`+` form puts in when it applies; a nested reference is interpolated.
    let from_env_unless = |written: &str| written.contains('$') || value != written;
    if op.is_empty() || op.starts_with(":?") || op.starts_with('?') {
        true
    } else if let Some(default) = op.strip_prefix(":-").or_else(|| op.strip_prefix('-')) {
        from_env_unless(default)
    } else if let Some(alt) = op.strip_prefix(":+").or_else(|| op.strip_prefix('+')) {
        from_env_unless(alt)
    } else {
        false
    }
}

/// [`EnvFrom::ProjectEnv`] when the value `value` of the project variable `name` is written
/// literally in the project's `.env` (not itself interpolated from the caller's environment).
fn project_env(m: &Mapper, name: &str, value: &str) -> Option<EnvFrom> {
    let (path, var) = m.cx.project_env(name)?;
    let written = var.written.as_deref()?;
    let literal = written.starts_with('\'') || !written.contains('$');
    (literal && var.value == value).then(|| EnvFrom::ProjectEnv {
        variable: name.to_string(),
        at: plimsoll_core::Location::with_span(path, var.span),
    })
}

/// The variable a reference written alone names: `NAME` of `$NAME`, `${NAME}`,
/// `${NAME:-default}`, `${NAME:?error}`.
fn referenced(original: &str) -> Option<&str> {
    let body = match original.strip_prefix("${") {
        Some(rest) => rest,
        None => original.strip_prefix('$')?,
    };
    let len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let name = body.get(..len)?;
    is_name(name).then_some(name)
}

/// Whether every `}` in `inner` closes a `${` opened inside it (so the outer `${…}` spans the
/// whole text: `${A}-${B}` is two references, not one).
fn balanced(inner: &str) -> bool {
    let mut depth = 0usize;
    let bytes = inner.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes.get(i - 1) == Some(&b'$') => depth += 1,
            b'}' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// One `env_file` entry: its path node, path and whether it must exist.
struct EnvFile<'n> {
    node: &'n Node,
    via: String,
    path: String,
    required: bool,
}

/// `env_file: .env`, `env_file: [a.env, b.env]`, or `[{path: a.env, required: false}]`:
/// every file is listed in [`RunSpec::env_files`]; its variables (read through
/// [`super::MapContext::env_file`]) join the environment unless `environment:` sets them.
fn env_files(m: &mut Mapper, node: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    let mut files = Vec::new();
    for (item, via) in m.string_or_list(node, Field::EnvFile.compose(), "`env_file: [.env]`")? {
        match &item.kind {
            NodeKind::Scalar(s) if !item.is_null() => files.push(EnvFile {
                node: item,
                via,
                path: s.text.clone(),
                required: true,
            }),
            NodeKind::Map(_) => {
                let Some(path_node) = item.get("path") else {
                    return Err(m.bad_value(
                        item,
                        &via,
                        "has no `path`",
                        "write `- {path: ./app.env, required: false}`",
                    ));
                };
                let path = m
                    .string(path_node, &format!("{via}.path"))?
                    .unwrap_or_default();
                let required = match item.get("required") {
                    Some(r) => m.bool(r, &format!("{via}.required"))?.unwrap_or(true),
                    None => true,
                };
                files.push(EnvFile {
                    node: item,
                    via,
                    path,
                    required,
                });
            }
            _ => {
                return Err(m.wrong_type(
                    item,
                    &via,
                    "a path or a mapping",
                    "write `- ./app.env` or `- {path: ./app.env, required: false}`",
                ))
            }
        }
    }
    let set_by_environment: std::collections::HashSet<String> = spec
        .environment
        .iter()
        .map(|e| e.value.name.clone())
        .collect();
    let mut from_files: Vec<Sourced<EnvVar>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for file in &files {
        spec.env_files.push(Sourced::new(
            file.path.clone(),
            m.origin(file.node, &file.via, render::written(&file.via, file.node)),
        ));
        let pairs = match (m.cx.env_file)(&file.path) {
            Ok(pairs) => pairs,
            Err(diag) => {
                if file.required {
                    // The reader names the env file; point at where the compose file names it.
                    m.push_warning(Diagnostic {
                        path: file.node.file.to_string(),
                        span: Some(file.node.span),
                        message: format!("{}: {}", m.display(&file.via), diag.message),
                        hint: diag.hint.or_else(|| {
                            Some("variables it would set are not audited; add `required: false` if it is optional".to_string())
                        }),
                    });
                }
                continue;
            }
        };
        for (name, value) in pairs {
            if set_by_environment.contains(&name) {
                continue;
            }
            let written = render::one_line(&format!("env_file: {} → {name}", file.path));
            let var = Sourced::new(
                EnvVar {
                    name: name.clone(),
                    value: Some(value),
                    from: EnvFrom::EnvFile(file.path.clone()),
                },
                m.origin(file.node, &file.via, written),
            );
            match index.get(&name).and_then(|&i| from_files.get_mut(i)) {
                Some(slot) => *slot = var,
                None => {
                    index.insert(name, from_files.len());
                    from_files.push(var);
                }
            }
        }
    }
    spec.environment.extend(from_files);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_interpolated_values_from_literal_ones() {
        assert!(interpolation_only("${DB_PASSWORD}", "s3cret"));
        assert!(interpolation_only("$DB_PASSWORD", "s3cret"));
        assert!(interpolation_only("${DB_PASSWORD:?set it}", "s3cret"));
        assert!(interpolation_only("${DB_PASSWORD?set it}", "s3cret"));
        // The default applied: the value is the one written in the file.
        assert!(!interpolation_only("${DB_PASSWORD:-hunter2}", "hunter2"));
        assert!(interpolation_only("${DB_PASSWORD:-hunter2}", "fromenv"));
        assert!(interpolation_only("${DB_PASSWORD-${OTHER}}", "x"));
        assert!(!interpolation_only("${FLAG:+on}", "on"));
        assert!(interpolation_only("${FLAG:+on}", ""));
        // Mixed text, two references, escapes: written in the file.
        assert!(!interpolation_only(
            "postgres://app:${PW}@db/app",
            "postgres://app:x@db/app"
        ));
        assert!(!interpolation_only("${A}-${B}", "a-b"));
        assert!(!interpolation_only("$${A}", "${A}"));
        assert!(!interpolation_only("${}", ""));
        assert!(!interpolation_only("${1A}", ""));
    }

    #[test]
    fn splits_list_items_outside_references() {
        assert_eq!(after_assignment("A=${B}"), "${B}");
        assert_eq!(after_assignment("${K:-A=B}=v"), "v");
        assert_eq!(after_assignment("NOVALUE"), "NOVALUE");
        assert_eq!(after_assignment("A="), "");
    }
}

#[cfg(test)]
mod mapping_tests {
    use super::super::testing::{doc, interpolated, map, map_err, map_model, map_with};
    use crate::model::{EnvFrom, EnvVar};

    fn var(name: &str, value: Option<&str>, from: EnvFrom) -> EnvVar {
        EnvVar {
            name: name.to_string(),
            value: value.map(str::to_string),
            from,
        }
    }

    #[test]
    fn environment_map_and_list() {
        let (spec, _) = map(r#"
            services:
              app:
                environment:
                  DB_PASSWORD: hunter2
                  DEBUG: 1
                  FROM_CALLER:
            "#);
        let env: Vec<_> = spec.environment.iter().map(|e| e.value.clone()).collect();
        assert_eq!(
            env,
            [
                var("DB_PASSWORD", Some("hunter2"), EnvFrom::Literal),
                var("DEBUG", Some("1"), EnvFrom::Literal),
                var("FROM_CALLER", None, EnvFrom::Caller),
            ]
        );
        assert_eq!(
            spec.environment[0].origin.written,
            "environment: DB_PASSWORD=hunter2"
        );
        assert_eq!(
            spec.environment[2].origin.written,
            "environment: FROM_CALLER"
        );

        let (spec, _) = map("services:\n  app:\n    environment: [\"A=1\", B, \"C=x=y\"]\n");
        let env: Vec<_> = spec.environment.iter().map(|e| e.value.clone()).collect();
        assert_eq!(
            env,
            [
                var("A", Some("1"), EnvFrom::Literal),
                var("B", None, EnvFrom::Caller),
                var("C", Some("x=y"), EnvFrom::Literal),
            ]
        );
        let err = map_err("services:\n  app:\n    environment: A=1\n");
        assert!(
            err.message
                .contains("services.app.environment must be a mapping or a list"),
            "{err:?}"
        );
        let err = map_err("services:\n  app:\n    environment:\n      A: [1]\n");
        assert!(
            err.message.contains("services.app.environment.A"),
            "{err:?}"
        );
    }

    #[test]
    fn interpolated_values_are_told_apart() {
        let mut model = doc(r#"
            services:
              app:
                environment:
                  DB_PASSWORD: ${DB_PASSWORD}
                  API_KEY: ${API_KEY:-changeme}
                  URL: postgres://app:${PW}@db/app
            "#);
        let env = ["services", "app", "environment"];
        interpolated(&mut model, &[&env[..], &["DB_PASSWORD"]].concat(), "s3cret");
        interpolated(&mut model, &[&env[..], &["API_KEY"]].concat(), "changeme");
        interpolated(
            &mut model,
            &[&env[..], &["URL"]].concat(),
            "postgres://app:pw@db/app",
        );
        let (spec, _) = map_model(&model, &[]).unwrap();
        let env: Vec<_> = spec.environment.iter().map(|e| e.value.clone()).collect();
        assert_eq!(
            env,
            [
                var("DB_PASSWORD", Some("s3cret"), EnvFrom::Interpolated),
                var("API_KEY", Some("changeme"), EnvFrom::Literal),
                var("URL", Some("postgres://app:pw@db/app"), EnvFrom::Literal),
            ]
        );
        // The evidence quotes what is written, not the secret the environment supplied.
        assert_eq!(
            spec.environment[0].origin.written,
            "environment: DB_PASSWORD=${DB_PASSWORD}"
        );
        assert_eq!(
            spec.environment[2].origin.written,
            "environment: URL=postgres://app:${PW}@db/app"
        );

        // An unset variable gives the empty string, not the caller's value.
        let mut model = doc("services:\n  app:\n    environment:\n      EMPTY: ${UNSET}\n");
        interpolated(&mut model, &["services", "app", "environment", "EMPTY"], "");
        let (spec, _) = map_model(&model, &[]).unwrap();
        assert_eq!(
            spec.environment[0].value,
            var("EMPTY", Some(""), EnvFrom::Interpolated)
        );

        let mut model = doc("services:\n  app:\n    environment: [\"TOKEN=${TOKEN}\"]\n");
        interpolated(
            &mut model,
            &["services", "app", "environment", "0"],
            "TOKEN=abc",
        );
        let (spec, _) = map_model(&model, &[]).unwrap();
        assert_eq!(
            spec.environment[0].value,
            var("TOKEN", Some("abc"), EnvFrom::Interpolated)
        );
    }

    #[test]
    fn env_files_are_read_and_overridden() {
        let yaml = r#"
            services:
              app:
                environment:
                  SHARED: from-environment
                env_file:
                  - ./a.env
                  - path: ./b.env
                  - path: ./optional.env
                    required: false
                  - ./missing.env
            "#;
        let a: &[(&str, &str)] = &[("SHARED", "a"), ("ONLY_A", "1"), ("BOTH", "a")];
        let b: &[(&str, &str)] = &[("BOTH", "b"), ("SECRET_KEY", "xyz")];
        let (spec, warnings) = map_with(yaml, &[("./a.env", a), ("./b.env", b)]).unwrap();
        let files: Vec<_> = spec.env_files.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(
            files,
            ["./a.env", "./b.env", "./optional.env", "./missing.env"]
        );
        let env: Vec<_> = spec.environment.iter().map(|e| e.value.clone()).collect();
        assert_eq!(
            env,
            [
                var("SHARED", Some("from-environment"), EnvFrom::Literal),
                var("ONLY_A", Some("1"), EnvFrom::EnvFile("./a.env".into())),
                var("BOTH", Some("b"), EnvFrom::EnvFile("./b.env".into())),
                var(
                    "SECRET_KEY",
                    Some("xyz"),
                    EnvFrom::EnvFile("./b.env".into())
                ),
            ]
        );
        assert_eq!(
            spec.environment[3].origin.written,
            "env_file: ./b.env → SECRET_KEY"
        );
        assert_eq!(
            spec.environment[3].origin.location.span.unwrap().start.line,
            7
        );
        // Only the required file that is missing is worth a warning.
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("missing.env"), "{warnings:?}");

        let (spec, _) =
            map_with("services:\n  app:\n    env_file: a.env\n", &[("a.env", a)]).unwrap();
        assert_eq!(spec.env_files[0].origin.written, "env_file: a.env");
        assert_eq!(spec.environment.len(), 3);
    }

    #[test]
    fn secrets_short_and_long() {
        let (spec, _) = map(r#"
            services:
              app:
                secrets:
                  - db_password
                  - source: api_key
                    target: api.key
            "#);
        let secrets: Vec<_> = spec.secrets.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(secrets, ["db_password", "api_key"]);
        let err = map_err("services:\n  app:\n    secrets: [{target: x}]\n");
        assert!(err.message.contains("no `source`"), "{err:?}");
    }

    #[test]
    fn entries_without_a_value_take_the_project_variable() {
        use super::super::testing::first_service;
        use super::super::{to_runspec, MapContext};
        use std::path::Path;

        let model = doc(r#"
            services:
              app:
                environment:
                  - FROM_DOTENV
                  - UNSET
                  - LITERAL=x
                env_file: a.env
            "#);
        let read = |_: &str| -> Result<Vec<(String, String)>, crate::compose::Diagnostic> {
            Ok(vec![("UNSET".to_string(), "from-file".to_string())])
        };
        let vars = |k: &str| (k == "FROM_DOTENV").then(|| "development".to_string());
        let cx = MapContext::new("demo", Path::new("/srv/demo"), &model, &read).with_vars(&vars);
        let (key, service) = first_service(&model);
        let (spec, _) = to_runspec("demo", key, service, &cx).expect("maps");
        let env: Vec<_> = spec.environment.iter().map(|e| e.value.clone()).collect();
        assert_eq!(
            env,
            [
                var("FROM_DOTENV", Some("development"), EnvFrom::Caller),
                // Unset in the project: compose-go's OverrideBy lets the bare entry win over
                // the env file with no value.
                var("UNSET", None, EnvFrom::Caller),
                var("LITERAL", Some("x"), EnvFrom::Literal),
            ]
        );
        assert_eq!(
            spec.environment[0].origin.written,
            "environment: FROM_DOTENV"
        );
    }
}
