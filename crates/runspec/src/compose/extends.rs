//! Service `extends` (Compose Specification 05-services.md, compose-go `loader/extends.go`).
//!
//! A service that `extends` another starts from a copy of it and is merged over it with the
//! usual merge rules ([`super::merge`]). The base is in the same file (`extends: base` or
//! `{service: base}`) or in another (`{file: common.yaml, service: base}`): that file is read
//! and interpolated on its own (no `include`, its own `extends` followed recursively), and its
//! relative paths are rebased onto the extending project — they mean what they meant next to
//! their own file. `extends` is applied per document, after `include` (so a service can extend
//! an included one) and before the document is merged over earlier files (so a base defined
//! only in an earlier `-f` file is not found, as in compose).
//!
//! A chain that comes back to a service it started from is an error naming the chain.

use super::files::{join, parent, show, FileKind};
use super::load::{services_not_a_mapping, Level, Loader};
use super::merge::{clean, merge_models, merge_named};
use super::nodes::{error_at, remove_key, text};
use super::paths::{resolve_paths, Base};
use super::Diagnostic;
use crate::yaml::{Node, NodeKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Longest `extends` chain followed (each step is a recursion).
const MAX_EXTENDS_DEPTH: usize = 64;

/// What one `extends` names.
struct Target<'n> {
    service: String,
    service_node: &'n Node,
    file: Option<(String, &'n Node)>,
}

impl<'n> Target<'n> {
    fn read(ext: &'n Node, name: &str) -> Result<Self, Diagnostic> {
        if let Some(s) = ext.as_str() {
            return Ok(Target {
                service: s.to_string(),
                service_node: ext,
                file: None,
            });
        }
        if ext.as_map().is_none() {
            return Err(error_at(
                ext,
                format!(
                    "services.{name}.extends must be a service name or a mapping, but it is {}",
                    ext.type_name()
                ),
                Some("write `extends: base` or `extends: {service: base, file: common.yaml}`"),
            ));
        }
        let Some(service_node) = ext.get("service") else {
            return Err(error_at(
                ext,
                format!("services.{name}.extends.service is required"),
                Some("name the service to extend: `extends: {service: base}`"),
            ));
        };
        let Some(service) = service_node.as_str() else {
            return Err(error_at(
                service_node,
                format!("services.{name}.extends.service must be a string"),
                None,
            ));
        };
        let file = match ext.get("file") {
            None => None,
            Some(f) if f.is_null() => None,
            Some(f) => match f.as_str() {
                Some(path) => Some((path.to_string(), f)),
                None => {
                    return Err(error_at(
                        f,
                        format!("services.{name}.extends.file must be a string"),
                        None,
                    ))
                }
            },
        };
        Ok(Target {
            service: service.to_string(),
            service_node,
            file,
        })
    }
}

/// A services mapping with an index by name (a file may define very many services).
struct Table<'s> {
    node: &'s mut Node,
    index: HashMap<String, usize>,
}

impl<'s> Table<'s> {
    fn new(node: &'s mut Node) -> Self {
        let index = index(node);
        Table { node, index }
    }

    fn with_index(node: &'s mut Node, index: HashMap<String, usize>) -> Self {
        Table { node, index }
    }

    fn get(&self, name: &str) -> Option<&Node> {
        let i = *self.index.get(name)?;
        self.node.as_map()?.get(i).map(|(_, v)| v)
    }

    fn set(&mut self, name: &str, value: Node) {
        let Some(&i) = self.index.get(name) else {
            return;
        };
        if let NodeKind::Map(entries) = &mut self.node.kind {
            if let Some(slot) = entries.get_mut(i) {
                slot.1 = value;
            }
        }
    }
}

fn index(services: &Node) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (i, (k, _)) in services.as_map().unwrap_or_default().iter().enumerate() {
        if let Some(name) = text(k) {
            index.insert(name.to_string(), i);
        }
    }
    index
}

/// Nodes in a tree (iteratively: trees may be deep).
fn count_nodes(node: &Node) -> usize {
    let mut n = 0;
    let mut stack = vec![node];
    while let Some(cur) = stack.pop() {
        n += 1;
        match &cur.kind {
            NodeKind::Map(entries) => {
                n += entries.len();
                stack.extend(entries.iter().map(|(_, v)| v));
            }
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Scalar(_) => {}
        }
    }
    n
}

impl Loader<'_> {
    /// Resolves `extends` for every service of a document of the file `display`.
    pub(crate) fn apply_extends(
        &mut self,
        doc: &mut Node,
        display: &str,
        level: &Level,
    ) -> Result<(), Diagnostic> {
        let Some(services) = doc.get_mut("services") else {
            return Ok(());
        };
        if services.is_null() {
            return Ok(());
        }
        let names: Vec<String> = match &services.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .filter(|(_, v)| v.get("extends").is_some())
                .filter_map(|(k, _)| text(k).map(str::to_string))
                .collect(),
            _ => return Err(services_not_a_mapping(services)),
        };
        if names.is_empty() {
            return Ok(());
        }
        let mut table = Table::new(services);
        for name in names {
            self.extend(&mut table, display, &name, level, &mut Vec::new())?;
        }
        Ok(())
    }

    /// The service `name` of `services` (a mapping of the file `file`) with its `extends`
    /// resolved, also written back into `services`. `None` for an empty service.
    fn extend(
        &mut self,
        services: &mut Table<'_>,
        file: &str,
        name: &str,
        level: &Level,
        chain: &mut Vec<(String, String)>,
    ) -> Result<Option<Node>, Diagnostic> {
        let Some(service) = services.get(name) else {
            return Ok(None);
        };
        if service.is_null() {
            return Ok(None);
        }
        if service.as_map().is_none() {
            return Err(error_at(
                service,
                format!(
                    "services.{name} must be a mapping, but it is {}",
                    service.type_name()
                ),
                Some("a service is a mapping of settings, e.g. `web: {image: nginx}`"),
            ));
        }
        let Some(ext) = service.get("extends") else {
            return Ok(Some(service.clone()));
        };
        let ext = ext.clone();
        let target = Target::read(&ext, name)?;
        let here = (file.to_string(), name.to_string());
        if chain.contains(&here) {
            return Err(cycle_error(&ext, chain, &here));
        }
        if chain.len() >= MAX_EXTENDS_DEPTH {
            return Err(error_at(
                &ext,
                format!("`extends` chain deeper than {MAX_EXTENDS_DEPTH} services"),
                Some("real projects extend a few levels deep; check for a generated chain"),
            ));
        }
        chain.push(here);
        let base = match &target.file {
            Some((path, node)) => {
                let rel = PathBuf::from(path);
                let (other_display, key) = self.extends_source(&rel, node, level, name)?;
                let (mut others, others_index) = self
                    .extends_cache
                    .remove(&key)
                    .unwrap_or_else(|| (super::nodes::empty_map(&ext.file), HashMap::new()));
                let mut table = Table::with_index(&mut others, others_index);
                let base = if table.get(&target.service).is_some() {
                    self.extend(&mut table, &other_display, &target.service, level, chain)
                } else {
                    Err(error_at(
                        target.service_node,
                        format!(
                            "cannot extend service `{name}` in {file}: service `{}` not found in {other_display}",
                            target.service
                        ),
                        Some("check the service name and the `file:` of `extends`"),
                    ))
                };
                let others_index = table.index;
                self.extends_cache.insert(key, (others, others_index));
                base?
            }
            None => {
                if services.get(&target.service).is_none() {
                    return Err(error_at(
                        target.service_node,
                        format!(
                            "cannot extend service `{name}` in {file}: service `{}` not found",
                            target.service
                        ),
                        Some("the base must be defined in the same file (or name it with `file:`)"),
                    ));
                }
                self.extend(services, file, &target.service, level, chain)?
            }
        };
        chain.pop();
        let Some(service) = services.get(name).cloned() else {
            return Ok(None);
        };
        let Some(base) = base else {
            return Ok(Some(service));
        };
        // The base's own `!reset`/`!override` tags were meant for its own file's merge.
        let base = clean(base).unwrap_or_else(|| super::nodes::map_like(&service, Vec::new()));
        let Some(mut merged) = merge_named("services", name, base, service)? else {
            return Ok(None);
        };
        remove_key(&mut merged, "extends");
        // Each resolved service is a copy of its bases: bound what a chain of extends can
        // multiply, as the YAML parser bounds aliases.
        self.extended_nodes += count_nodes(&merged);
        if self.extended_nodes > self.limits.max_nodes {
            return Err(error_at(
                &ext,
                format!(
                    "`extends` expands this project to more than {} nodes",
                    self.limits.max_nodes
                ),
                Some("check for long chains of services extending each other"),
            ));
        }
        services.set(name, merged.clone());
        Ok(Some(merged))
    }

    /// Loads the file an `extends.file` names (relative to the level's directory), once: its
    /// documents interpolated and merged, its paths rebased onto the level. Returns its display
    /// path and its key in [`Loader::extends_cache`] (holding its `services` mapping).
    fn extends_source(
        &mut self,
        rel: &Path,
        node: &Node,
        level: &Level,
        name: &str,
    ) -> Result<(String, (PathBuf, PathBuf)), Diagnostic> {
        let located = join(&level.dir, rel);
        let display = self.files.display_of(&located);
        let rebase = parent(rel);
        let key = (located.clone(), rebase.clone());
        if self.extends_cache.contains_key(&key) {
            return Ok((display, key));
        }
        let missing = error_at(
            node,
            format!(
                "cannot extend service `{name}`: file {} not found",
                show(rel)
            ),
            Some("`extends.file` is relative to the project directory"),
        );
        let docs = self.read_compose(&located, &display, FileKind::Extends, Some(missing))?;
        let mut model: Option<Node> = None;
        for doc in docs {
            let doc = self.prepare(doc, &level.vars)?;
            model = Some(match model {
                None => doc,
                Some(base) => merge_models(base, doc)?,
            });
        }
        let Some(mut model) = model else {
            return Err(error_at(
                node,
                format!("cannot extend service `{name}`: {display} is empty"),
                None,
            ));
        };
        resolve_paths(
            &mut model,
            Base {
                dir: &rebase,
                home: self.home.as_deref(),
            },
        );
        let services = match remove_key(&mut model, "services") {
            Some(s) if s.as_map().is_some() => s,
            _ => {
                return Err(error_at(
                    node,
                    format!("cannot extend service `{name}`: {display} has no services mapping"),
                    None,
                ))
            }
        };
        let idx = index(&services);
        self.extends_cache.insert(key.clone(), (services, idx));
        Ok((display, key))
    }
}

fn cycle_error(at: &Node, chain: &[(String, String)], again: &(String, String)) -> Diagnostic {
    let mut steps: Vec<String> = chain
        .iter()
        .map(|(file, service)| format!("{service} ({file})"))
        .collect();
    steps.push(format!("{} ({})", again.1, again.0));
    error_at(
        at,
        format!("circular `extends`: {}", steps.join(" extends ")),
        Some("a service cannot extend itself, directly or through others"),
    )
}
