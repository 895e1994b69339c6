//! Test helpers: map a service written as YAML, with in-memory env files.

use super::{to_runspec, MapContext};
use crate::compose::Diagnostic;
use crate::model::RunSpec;
use crate::yaml::{parse, Limits, Node, NodeKind};
use std::path::Path;

/// The file name every test document is parsed as.
pub const FILE: &str = "compose.yaml";

/// `text` without its first line break and without the indentation all its lines share, so
/// tests can indent YAML with the code.
pub fn dedent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The first document of `yaml` (dedented).
pub fn doc(yaml: &str) -> Node {
    parse(FILE, &dedent(yaml), &Limits::default())
        .expect("test YAML parses")
        .into_iter()
        .next()
        .expect("one document")
}

/// The key and value of the first service of `model`.
pub fn first_service(model: &Node) -> (&Node, &Node) {
    let services = model.get("services").expect("a services mapping");
    let (key, value) = services
        .as_map()
        .expect("services is a mapping")
        .first()
        .expect("a service");
    (key, value)
}

/// Maps the first service of `yaml` (a whole compose document), reading env files from
/// `env_files` (`(path, [(name, value)])`; any other path fails to read).
pub fn map_with(
    yaml: &str,
    env_files: &[(&str, &[(&str, &str)])],
) -> Result<(RunSpec, Vec<Diagnostic>), Diagnostic> {
    map_model(&doc(yaml), env_files)
}

/// Like [`map_with`], for a model built (or changed) by the test.
pub fn map_model(
    model: &Node,
    env_files: &[(&str, &[(&str, &str)])],
) -> Result<(RunSpec, Vec<Diagnostic>), Diagnostic> {
    let read = |path: &str| -> Result<Vec<(String, String)>, Diagnostic> {
        env_files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, pairs)| {
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect()
            })
            .ok_or_else(|| Diagnostic {
                path: path.to_string(),
                span: None,
                message: format!("env file {path} not found"),
                hint: None,
            })
    };
    let cx = MapContext::new("demo", Path::new("/srv/demo"), model, &read);
    let (key, service) = first_service(model);
    to_runspec("demo", key, service, &cx)
}

/// Maps the first service of `yaml`; it must map.
pub fn map(yaml: &str) -> (RunSpec, Vec<Diagnostic>) {
    match map_with(yaml, &[]) {
        Ok(done) => done,
        Err(e) => panic!("mapping failed: {e:?}"),
    }
}

/// Maps the first service of `yaml`; it must fail.
pub fn map_err(yaml: &str) -> Diagnostic {
    match map_with(yaml, &[]) {
        Ok((spec, _)) => panic!("mapping succeeded: {spec:?}"),
        Err(e) => e,
    }
}

/// Sets, on the scalar at `path` (keys and list indexes) below `node`, the text interpolation
/// produced, keeping the written text as `original` (what the interpolation step does).
pub fn interpolated(node: &mut Node, path: &[&str], value: &str) {
    let mut cur = node;
    for step in path {
        cur = match step.parse::<usize>() {
            Ok(i) => match &mut cur.kind {
                NodeKind::Seq(items) => items.get_mut(i).expect("index in range"),
                _ => panic!("not a list at {step}"),
            },
            Err(_) => cur.get_mut(step).expect("key present"),
        };
    }
    match &mut cur.kind {
        NodeKind::Scalar(s) => {
            s.original = Some(std::mem::replace(&mut s.text, value.to_string()));
        }
        _ => panic!("not a scalar"),
    }
}
