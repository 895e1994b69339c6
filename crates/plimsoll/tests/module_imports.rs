//! No two modules of a crate import each other (docs/architecture.md: every arrow points one
//! way). Reads every crate's sources as text: each `crate::…`, `super::…` and `self::…` path in
//! code (comments left out) names the module it reaches; a pair of modules that reach each other
//! fails the test. A module and its own parent or child are not a pair: a parent declares its
//! children, and children use what their parent defines for them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` and `src/a/b/mod.rs` are module `a::b`; `lib.rs`/`main.rs` the root.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).expect("file under src");
    let mut parts: Module = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comment lines and without its trailing `#[cfg(test)] mod tests`.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(cut) => &text[..cut],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::x::y`, `super::x`, `self::x` path in `code`, as (base, segments).
fn paths_in(code: &str) -> Vec<(&str, Vec<&str>)> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    for base in ["crate", "super", "self"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(base) {
            let start = from + at;
            from = start + base.len();
            let before_ok = start == 0
                || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
            if !before_ok || !code[from..].starts_with("::") {
                continue;
            }
            let rest = &code[from..];
            let mut segs = Vec::new();
            let mut cur = rest;
            while let Some(after) = cur.strip_prefix("::") {
                let len = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                if len == 0 {
                    break;
                }
                segs.push(&after[..len]);
                cur = &after[len..];
            }
            found.push((base, segs));
        }
    }
    found
}

fn is_prefix(short: &Module, long: &Module) -> bool {
    short.len() <= long.len() && long[..short.len()] == short[..]
}

#[test]
fn no_two_modules_import_each_other() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut circles = Vec::new();
    let mut crate_dirs: Vec<PathBuf> = std::fs::read_dir(&crates)
        .expect("crates/")
        .flatten()
        .map(|e| e.path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    crate_dirs.sort();
    assert!(crate_dirs.len() >= 5, "found the workspace's crates");
    for src in crate_dirs {
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let modules: BTreeMap<Module, PathBuf> = files
            .iter()
            .map(|f| (module_of(&src, f), f.clone()))
            .collect();
        let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (module, file) in &modules {
            let text = std::fs::read_to_string(file).expect("read source");
            let code = code_of(&text);
            let mut targets = BTreeSet::new();
            for (base, segs) in paths_in(&code) {
                let mut path: Module = match base {
                    "crate" => Vec::new(),
                    "super" => module[..module.len().saturating_sub(1)].to_vec(),
                    _ => module.clone(),
                };
                let mut segs = segs.as_slice();
                while let Some((&"super", rest)) = segs.split_first() {
                    path.pop();
                    segs = rest;
                }
                path.extend(segs.iter().map(|s| s.to_string()));
                let reached = (1..=path.len())
                    .rev()
                    .map(|k| path[..k].to_vec())
                    .find(|m| modules.contains_key(m));
                if let Some(reached) = reached {
                    if !is_prefix(&reached, module) && !is_prefix(module, &reached) {
                        targets.insert(reached);
                    }
                }
            }
            edges.insert(module.clone(), targets);
        }
        for (a, targets) in &edges {
            for b in targets {
                if a < b && edges.get(b).is_some_and(|t| t.contains(a)) {
                    circles.push(format!(
                        "{}: {} <-> {}",
                        src.parent()
                            .and_then(|p| p.file_name())
                            .map(|n| n.to_string_lossy())
                            .unwrap_or_default(),
                        a.join("::"),
                        b.join("::")
                    ));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other (make one of them the other's dependency only):\n{}",
        circles.join("\n")
    );
}
