//! Relative host paths in a compose model, made relative to (or absolute under) a base
//! directory, as compose-go's `paths.ResolveRelativePaths` does: `build.context`,
//! `build.additional_contexts`, `build.ssh`, `env_file`, `label_file`, `extends.file`,
//! `develop.watch[].path`, bind sources of `volumes` (short and long syntax), `secrets.*.file`,
//! `configs.*.file` and the `device` of a `local` volume bound with `o: bind`.
//!
//! The loader calls this once per level: an `extends`ed file's services against that file's
//! directory, an `include`d project against its project directory (both expressed relative to
//! the including level), and the whole model against the project directory last. Joining is
//! lexical ([`super::files::join`]); nothing is canonicalised or looked up. A path that was
//! rewritten keeps its written text in `Scalar::original` (reports quote what was written).
//!
//! compose-go expands `~` from the process's `$HOME`; here `HOME` comes from the caller's
//! environment ([`super::LoadOptions::env`]) and `~` stays as written without it — and always
//! in host paths given to containers (bind sources, a bound volume's `device`), which are
//! judged as the deploying user's home, not the auditor's (see [`host_path`]).

use super::files::{join, show};
use super::nodes::{set_text, text};
use crate::yaml::{Node, NodeKind};
use std::path::Path;

/// What relative paths are resolved against.
#[derive(Clone, Copy)]
pub(crate) struct Base<'a> {
    pub dir: &'a Path,
    pub home: Option<&'a str>,
}

/// Resolves every relative host path of `model` against `base`.
pub(crate) fn resolve_paths(model: &mut Node, base: Base<'_>) {
    if let Some(NodeKind::Map(services)) = model.get_mut("services").map(|s| &mut s.kind) {
        for (_, service) in services.iter_mut() {
            resolve_service(service, base);
        }
    }
    for kind in ["secrets", "configs"] {
        if let Some(NodeKind::Map(defs)) = model.get_mut(kind).map(|s| &mut s.kind) {
            for (_, def) in defs.iter_mut() {
                if let Some(file) = def.get_mut("file") {
                    resolve(file, base, abs_path);
                }
            }
        }
    }
    if let Some(NodeKind::Map(volumes)) = model.get_mut("volumes").map(|s| &mut s.kind) {
        for (_, volume) in volumes.iter_mut() {
            // compose-go: only an explicit `driver: local` with `driver_opts.o: bind`.
            let local = volume.get("driver").and_then(text) == Some("local");
            let Some(opts) = volume.get_mut("driver_opts") else {
                continue;
            };
            if local && opts.get("o").and_then(text) == Some("bind") {
                if let Some(device) = opts.get_mut("device") {
                    resolve(device, base, host_path);
                }
            }
        }
    }
}

fn resolve_service(service: &mut Node, base: Base<'_>) {
    if let Some(build) = service.get_mut("build") {
        if build.as_scalar().is_some() {
            resolve(build, base, context_path);
        } else {
            if let Some(ctx) = build.get_mut("context") {
                resolve(ctx, base, context_path);
            }
            if let Some(extra) = build.get_mut("additional_contexts") {
                resolve_values(extra, base, context_path);
            }
            if let Some(ssh) = build.get_mut("ssh") {
                resolve_values(ssh, base, abs_path);
            }
        }
    }
    if let Some(env_file) = service.get_mut("env_file") {
        match &mut env_file.kind {
            NodeKind::Seq(items) => {
                for item in items {
                    match item.get_mut("path") {
                        Some(p) => resolve(p, base, abs_path),
                        None => resolve(item, base, abs_path),
                    }
                }
            }
            _ => resolve(env_file, base, abs_path),
        }
    }
    if let Some(label_file) = service.get_mut("label_file") {
        match &mut label_file.kind {
            NodeKind::Seq(items) => items.iter_mut().for_each(|i| resolve(i, base, abs_path)),
            _ => resolve(label_file, base, abs_path),
        }
    }
    if let Some(file) = service.get_mut("extends").and_then(|e| e.get_mut("file")) {
        resolve(file, base, abs_path);
    }
    if let Some(NodeKind::Seq(watch)) = service
        .get_mut("develop")
        .and_then(|d| d.get_mut("watch"))
        .map(|w| &mut w.kind)
    {
        for rule in watch {
            if let Some(p) = rule.get_mut("path") {
                resolve(p, base, abs_path);
            }
        }
    }
    if let Some(NodeKind::Seq(volumes)) = service.get_mut("volumes").map(|v| &mut v.kind) {
        for volume in volumes {
            if volume.as_map().is_some() {
                if volume.get("type").and_then(text) == Some("bind") {
                    if let Some(src) = volume.get_mut("source") {
                        resolve(src, base, host_path);
                    }
                }
            } else {
                resolve(volume, base, short_volume);
            }
        }
    }
}

/// Values of a mapping, or the part after `=` of `KEY=VALUE` list items.
fn resolve_values(node: &mut Node, base: Base<'_>, how: fn(&str, Base<'_>) -> Option<String>) {
    match &mut node.kind {
        NodeKind::Map(entries) => entries.iter_mut().for_each(|(_, v)| resolve(v, base, how)),
        NodeKind::Seq(items) => {
            for item in items {
                let Some(t) = text(item) else { continue };
                let Some((k, v)) = t.split_once('=') else {
                    continue;
                };
                if let Some(new) = how(v, base) {
                    let new = format!("{k}={new}");
                    set_text(item, new);
                }
            }
        }
        NodeKind::Scalar(_) => {}
    }
}

fn resolve(node: &mut Node, base: Base<'_>, how: fn(&str, Base<'_>) -> Option<String>) {
    if node.is_null() {
        return;
    }
    let Some(t) = text(node) else { return };
    if let Some(new) = how(t, base) {
        set_text(node, new);
    }
}

/// Whether a path is absolute for Unix or Windows (compose-go resolves neither).
pub(crate) fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with("\\\\")
        || (b.len() >= 3
            && b.first().is_some_and(u8::is_ascii_alphabetic)
            && b.get(1) == Some(&b':')
            && matches!(b.get(2), Some(b'\\') | Some(b'/')))
}

/// `~` and `~/…` from the caller's `HOME`.
fn expand_user(p: &str, home: Option<&str>) -> Option<String> {
    let home = home?;
    if p == "~" {
        return Some(home.to_string());
    }
    p.strip_prefix("~/")
        .map(|rest| show(&join(Path::new(home), Path::new(rest))))
}

/// A path joined to the base; `None` when it stays as written (absolute, empty).
fn abs_path(p: &str, base: Base<'_>) -> Option<String> {
    if p.is_empty() {
        return None;
    }
    if let Some(expanded) = expand_user(p, base.home) {
        return Some(expanded);
    }
    if is_absolute(p) || p.starts_with('~') {
        return None;
    }
    Some(show(&join(base.dir, Path::new(p))))
}

/// A host path given to a container (a bind source, a bound volume's device): resolved like
/// [`abs_path`], except that `~` stays as written. compose expands it with the `$HOME` of
/// whoever deploys; the audit cannot know that home, and must not judge the path by the home of
/// whoever runs the audit (`~/data` would be `/root/data` for one auditor and
/// `/home/u/data` for another). Nothing reads these paths, so nothing needs them expanded.
fn host_path(p: &str, base: Base<'_>) -> Option<String> {
    if p == "~" || p.starts_with("~/") {
        return None;
    }
    abs_path(p, base)
}

/// A build context: remote contexts (git, URLs) and `service:`/`docker-image://` references
/// stay as written.
fn context_path(p: &str, base: Base<'_>) -> Option<String> {
    const REMOTE: [&str; 6] = [
        "https://",
        "http://",
        "git://",
        "ssh://",
        "github.com/",
        "git@",
    ];
    if p.contains("://") || p.starts_with("service:") || REMOTE.iter().any(|r| p.starts_with(r)) {
        return None;
    }
    abs_path(p, base)
}

/// A short-syntax volume `SOURCE:TARGET[:MODE]` whose source is a relative host path (starts
/// with `.` or `~`): the source is resolved and the rest kept. A resolved relative source
/// keeps a leading `./` so it still reads as a path, not a named volume.
fn short_volume(spec: &str, base: Base<'_>) -> Option<String> {
    let ranges = super::unique::volume_field_ranges(spec);
    if ranges.len() < 2 {
        return None; // an anonymous volume: no source
    }
    let (start, end) = *ranges.first()?;
    let source = spec.get(start..end)?;
    if !(source.starts_with('.') || source.starts_with('~')) {
        return None;
    }
    let mut resolved = host_path(source, base)?;
    if !is_absolute(&resolved) && !resolved.starts_with('.') {
        resolved = format!("./{resolved}");
    }
    Some(format!("{resolved}{}", spec.get(end..).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse, Limits};

    fn resolved(yaml: &str, dir: &str, home: Option<&str>) -> Node {
        let mut doc = parse("c.yaml", yaml, &Limits::default())
            .ok()
            .and_then(|d| d.into_iter().next())
            .expect("parses");
        resolve_paths(
            &mut doc,
            Base {
                dir: Path::new(dir),
                home,
            },
        );
        doc
    }

    fn at<'n>(n: &'n Node, path: &[&str]) -> &'n Node {
        path.iter()
            .try_fold(n, |n, p| n.get(p))
            .unwrap_or_else(|| panic!("no {path:?}"))
    }

    #[test]
    fn service_paths_are_joined_lexically() {
        let doc = resolved(
            "services:\n  web:\n    build: ./app\n    env_file: [.env, {path: ../x.env, required: false}]\n    volumes:\n      - ./data:/data:ro\n      - named:/n\n      - /abs:/abs\n      - ../../../etc:/host-etc\n      - ~/cache:/cache\n      - type: bind\n        source: ./src\n        target: /src\n      - type: volume\n        source: ./notapath\n        target: /v\n",
            "/p/proj",
            Some("/home/u"),
        );
        let web = at(&doc, &["services", "web"]);
        assert_eq!(at(web, &["build"]).as_str(), Some("/p/proj/app"));
        let env: Vec<_> = at(web, &["env_file"])
            .as_seq()
            .expect("seq")
            .iter()
            .collect();
        assert_eq!(env.first().and_then(|n| n.as_str()), Some("/p/proj/.env"));
        assert_eq!(
            env.get(1)
                .and_then(|n| n.get("path"))
                .and_then(Node::as_str),
            Some("/p/x.env")
        );
        let vols: Vec<_> = at(web, &["volumes"])
            .as_seq()
            .expect("seq")
            .iter()
            .collect();
        let v = |i: usize| {
            vols.get(i)
                .and_then(|n| n.as_str())
                .unwrap_or("?")
                .to_string()
        };
        assert_eq!(v(0), "/p/proj/data:/data:ro");
        assert_eq!(v(1), "named:/n");
        assert_eq!(v(2), "/abs:/abs");
        assert_eq!(v(3), "/etc:/host-etc");
        // A host path in a home stays `~`: the deploying user's home, not the auditor's.
        assert_eq!(v(4), "~/cache:/cache");
        assert_eq!(
            vols.get(5)
                .and_then(|n| n.get("source"))
                .and_then(Node::as_str),
            Some("/p/proj/src")
        );
        assert_eq!(
            vols.get(6)
                .and_then(|n| n.get("source"))
                .and_then(Node::as_str),
            Some("./notapath")
        );
        // What was written is kept for quoting.
        let first = vols.first().and_then(|n| n.as_scalar()).expect("scalar");
        assert_eq!(first.original.as_deref(), Some("./data:/data:ro"));
    }

    #[test]
    fn relative_bases_keep_short_volumes_path_like() {
        let doc = resolved(
            "services:\n  web:\n    volumes: ['./data:/d', '.:/src']\n",
            "",
            None,
        );
        let vols = at(&doc, &["services", "web", "volumes"])
            .as_seq()
            .expect("seq");
        assert_eq!(vols.first().and_then(Node::as_str), Some("./data:/d"));
        assert_eq!(vols.get(1).and_then(Node::as_str), Some(".:/src"));
        let doc = resolved(
            "services:\n  web:\n    volumes: ['./data:/d']\n",
            "sub",
            None,
        );
        let vols = at(&doc, &["services", "web", "volumes"])
            .as_seq()
            .expect("seq");
        assert_eq!(vols.first().and_then(Node::as_str), Some("./sub/data:/d"));
    }

    #[test]
    fn remote_contexts_and_top_level_files() {
        let doc = resolved(
            "services:\n  a:\n    build:\n      context: https://github.com/x/y.git\n  b:\n    build: {context: ., additional_contexts: {lib: ../lib}}\nsecrets:\n  s: {file: ./s.txt}\nvolumes:\n  v:\n    driver: local\n    driver_opts: {o: bind, type: none, device: ./host}\n",
            "/p",
            None,
        );
        assert_eq!(
            at(&doc, &["services", "a", "build", "context"]).as_str(),
            Some("https://github.com/x/y.git")
        );
        assert_eq!(
            at(&doc, &["services", "b", "build", "context"]).as_str(),
            Some("/p")
        );
        assert_eq!(
            at(
                &doc,
                &["services", "b", "build", "additional_contexts", "lib"]
            )
            .as_str(),
            Some("/lib")
        );
        assert_eq!(
            at(&doc, &["secrets", "s", "file"]).as_str(),
            Some("/p/s.txt")
        );
        assert_eq!(
            at(&doc, &["volumes", "v", "driver_opts", "device"]).as_str(),
            Some("/p/host")
        );
    }

    #[test]
    fn windows_paths_are_absolute() {
        assert!(is_absolute("C:\\x"));
        assert!(is_absolute("\\\\server\\share"));
        assert!(!is_absolute("./x"));
    }
}
