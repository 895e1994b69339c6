//! Top-level `include` (Compose Specification 14-include.md, compose-go `loader/include.go`).
//!
//! Each entry — a path, or `{path: one-or-more, project_directory, env_file}` — is loaded as a
//! project of its own: its files merged in order, with its own project directory (default:
//! the first file's directory) for relative paths, and its own variables: the including
//! project's variables, then its `env_file`s (default: `.env` in its project directory) for
//! what is not set yet — the including project's environment wins. Its services, networks,
//! volumes, secrets, configs and models are then copied into the including document, before
//! that document's `extends` (which may name an included service).
//!
//! A resource defined both by the including document and by the included project: compose-go
//! since v2.10 merges the including definition over the included one (older versions refused
//! the project: "conflicts with imported resource"); we merge likewise and warn, since the
//! specification says only that Compose "displays a warning … and doesn't try to merge them".
//! An include that comes back to a file being included is an error naming the chain.

use super::dotenv;
use super::files::{join, parent, show, FileKind, ReadError};
use super::load::{Level, Loader};
use super::merge::{merge_named, Keyed};
use super::nodes::{error_at, index_of, map_like, remove_key, scalar_like, text, warning_at};
use super::Diagnostic;
use crate::yaml::{Node, NodeKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The resources an included project contributes.
const IMPORTED: [&str; 6] = [
    "services", "volumes", "networks", "secrets", "configs", "models",
];

/// Deepest nesting of includes followed (each level is a recursion).
const MAX_INCLUDE_DEPTH: usize = 32;

/// One `include` entry.
struct Entry<'n> {
    paths: Vec<&'n Node>,
    project_directory: Option<&'n Node>,
    env_files: Option<Vec<&'n Node>>,
}

fn strings<'n>(node: &'n Node, what: &str) -> Result<Vec<&'n Node>, Diagnostic> {
    match &node.kind {
        NodeKind::Seq(items) => items
            .iter()
            .map(|i| {
                i.as_str().map(|_| i).ok_or_else(|| {
                    error_at(
                        i,
                        format!(
                            "each `{what}` must be a string, but this is {}",
                            i.type_name()
                        ),
                        None,
                    )
                })
            })
            .collect(),
        _ if node.as_str().is_some() => Ok(vec![node]),
        _ => Err(error_at(
            node,
            format!(
                "`{what}` must be a string or a list of strings, but it is {}",
                node.type_name()
            ),
            None,
        )),
    }
}

impl<'n> Entry<'n> {
    fn read(item: &'n Node) -> Result<Self, Diagnostic> {
        if item.as_str().is_some() {
            return Ok(Entry {
                paths: vec![item],
                project_directory: None,
                env_files: None,
            });
        }
        if item.as_map().is_none() {
            return Err(error_at(
                item,
                format!(
                    "an `include` entry must be a path or a mapping, but it is {}",
                    item.type_name()
                ),
                Some("write `- path/to/compose.yaml` or `- path: path/to/compose.yaml`"),
            ));
        }
        let Some(path) = item.get("path").filter(|p| !p.is_null()) else {
            return Err(error_at(
                item,
                "`include.path` is required",
                Some("write `- path: path/to/compose.yaml`"),
            ));
        };
        let paths = strings(path, "include.path")?;
        if paths.is_empty() {
            return Err(error_at(path, "`include.path` is empty", None));
        }
        let project_directory = match item.get("project_directory") {
            Some(d) if d.is_null() => None,
            Some(d) if d.as_str().is_some() => Some(d),
            Some(d) => {
                return Err(error_at(
                    d,
                    "`include.project_directory` must be a string",
                    None,
                ))
            }
            None => None,
        };
        let env_files = match item.get("env_file") {
            Some(e) if !e.is_null() => Some(strings(e, "include.env_file")?),
            _ => None,
        };
        Ok(Entry {
            paths,
            project_directory,
            env_files,
        })
    }
}

impl Loader<'_> {
    /// Loads the `include`s of a document and imports their resources into it.
    pub(crate) fn apply_include(
        &mut self,
        doc: &mut Node,
        level: &Level,
        chain: &[String],
    ) -> Result<(), Diagnostic> {
        let Some(include) = remove_key(doc, "include") else {
            return Ok(());
        };
        if include.is_null() {
            return Ok(());
        }
        let NodeKind::Seq(items) = &include.kind else {
            return Err(error_at(
                &include,
                format!(
                    "`include` must be a list, but it is {}",
                    include.type_name()
                ),
                Some("write `include:` followed by `- path/to/compose.yaml` items"),
            ));
        };
        for item in items {
            let entry = Entry::read(item)?;
            let imported = self.load_include(&entry, level, chain)?;
            import(doc, imported, &entry, &mut self.diags)?;
        }
        Ok(())
    }

    /// Loads one included project (its merged model, paths relative to `level`).
    fn load_include(
        &mut self,
        entry: &Entry<'_>,
        level: &Level,
        chain: &[String],
    ) -> Result<Node, Diagnostic> {
        let home = self.home.clone();
        let expand = |n: &Node| -> PathBuf {
            let t = n.as_str().unwrap_or_default();
            match (t.strip_prefix("~/"), &home) {
                (Some(rest), Some(h)) => Path::new(h).join(rest),
                _ => PathBuf::from(t),
            }
        };
        let first = entry.paths.first().map(|n| expand(n)).unwrap_or_default();
        let rel = match entry.project_directory {
            Some(d) => expand(d),
            None => parent(&first),
        };
        let dir = join(&level.dir, &rel);

        let mut sources = Vec::new();
        for node in &entry.paths {
            let located = join(&level.dir, &expand(node));
            let display = self.files.display_of(&located);
            if chain.len() >= MAX_INCLUDE_DEPTH {
                return Err(error_at(
                    node,
                    format!("`include` nested deeper than {MAX_INCLUDE_DEPTH} files"),
                    Some("real projects include a few levels deep; check for a generated chain"),
                ));
            }
            if chain.contains(&display) {
                let mut steps = chain.to_vec();
                steps.push(display);
                return Err(error_at(
                    node,
                    format!("include cycle detected: {}", steps.join(" includes ")),
                    Some("a file cannot include itself, directly or through others"),
                ));
            }
            let missing = error_at(
                node,
                format!("included file {} not found", show(&expand(node))),
                Some("`include` paths are relative to the project directory"),
            );
            let docs = self.read_compose(&located, &display, FileKind::Include, Some(missing))?;
            sources.push((display, docs));
        }

        let vars = self.include_vars(entry, level, &dir)?;
        let sub = Level {
            rel,
            dir,
            vars: Rc::new(vars),
            chain: chain.to_vec(),
        };
        self.merge_level(sources, &sub)
    }

    /// The included project's variables: the including level's, then its env files'.
    fn include_vars(
        &mut self,
        entry: &Entry<'_>,
        level: &Level,
        dir: &Path,
    ) -> Result<BTreeMap<String, String>, Diagnostic> {
        let mut files: Vec<(PathBuf, Option<&Node>)> = Vec::new();
        match &entry.env_files {
            None => files.push((join(dir, Path::new(".env")), None)),
            Some(list) => {
                for node in list {
                    let t = node.as_str().unwrap_or_default();
                    if t == "/dev/null" {
                        continue;
                    }
                    files.push((join(&level.dir, Path::new(t)), Some(*node)));
                }
            }
        }
        let mut acc: Vec<(String, String)> = Vec::new();
        for (located, node) in files {
            let display = self.files.display_of(&located);
            let text = match (self.files.read(&located, &display, FileKind::DotEnv), node) {
                (Ok(t), _) => t,
                (Err(ReadError::NotFound), None) => continue,
                (Err(ReadError::NotFound), Some(node)) => {
                    return Err(error_at(
                        node,
                        format!("env file {display} of the include not found"),
                        Some("`include.env_file` is relative to the project directory"),
                    ))
                }
                (Err(ReadError::Failed(d)), _) => return Err(d),
            };
            let lookup = |k: &str| {
                level.vars.get(k).cloned().or_else(|| {
                    acc.iter()
                        .rev()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.clone())
                })
            };
            let pairs = dotenv::parse(&display, &text, &lookup)?;
            acc.extend(pairs);
        }
        let mut vars = (*level.vars).clone();
        for (k, v) in acc.into_iter().rev() {
            vars.entry(k).or_insert(v);
        }
        Ok(vars)
    }
}

/// Copies the included project's resources into `doc`; a name `doc` defines too is merged
/// over the included definition, with a warning.
fn import(
    doc: &mut Node,
    mut imported: Node,
    entry: &Entry<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let from = entry
        .paths
        .first()
        .and_then(|n| n.as_str())
        .unwrap_or_default()
        .to_string();
    for kind in IMPORTED {
        let Some(defs) = remove_key(&mut imported, kind) else {
            continue;
        };
        let NodeKind::Map(defs) = defs.kind else {
            continue;
        };
        if defs.is_empty() {
            continue;
        }
        let NodeKind::Map(doc_entries) = &mut doc.kind else {
            return Ok(());
        };
        let Some(at) = entry.paths.first().copied() else {
            continue;
        };
        let slot = match index_of(doc_entries, kind) {
            Some(i) => i,
            None => {
                doc_entries.push((scalar_like(at, kind), map_like(at, Vec::new())));
                doc_entries.len() - 1
            }
        };
        let Some((_, target)) = doc_entries.get_mut(slot) else {
            continue;
        };
        if target.is_null() {
            *target = map_like(target, Vec::new());
        }
        if target.as_map().is_none() {
            return Err(error_at(
                target,
                format!(
                    "`{kind}` must be a mapping, but it is {}",
                    target.type_name()
                ),
                None,
            ));
        }
        let entries = match std::mem::replace(&mut target.kind, NodeKind::Map(Vec::new())) {
            NodeKind::Map(e) => e,
            _ => Vec::new(),
        };
        let mut local = Keyed::from_entries(entries);
        for (name_key, def) in defs {
            let name = text(&name_key).unwrap_or_default().to_string();
            let Some((local_key, local_def)) = local.take(&name) else {
                local.push(name, name_key, def);
                continue;
            };
            diags.push(warning_at(
                &local_key,
                format!(
                    "{kind}.{name} is also defined by the included {from}: this definition is merged over the included one"
                ),
                Some("recent docker compose merges the two; versions before compose-go 2.10 refuse the project"),
            ));
            match merge_named(kind, &name, def, local_def)? {
                Some(merged) => local.put_back(&name, local_key, merged),
                None => local.forget(&name),
            }
        }
        target.kind = NodeKind::Map(local.into_entries());
    }
    Ok(())
}
