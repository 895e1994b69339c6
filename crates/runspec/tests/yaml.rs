//! `yaml::parse` on real files: every compose file of the shared corpus parses, and the
//! trees keep what compose needs (positions, raw scalars, tags).

use plimsoll_runspec::yaml::{parse, Limits, Node, NodeKind};
use std::path::Path;

/// The compose files of the corpus: `features.tsv` lists them (the other files in `files/`
/// are `.env` files).
fn compose_files(dir: &Path) -> Vec<String> {
    let list = std::fs::read_to_string(dir.join("features.tsv")).expect("features.tsv");
    list.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

/// Walks a tree without recursion, checking every span lies inside the text.
fn check_spans(node: &Node, lines: u32, file: &str) -> usize {
    let mut count = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        count += 1;
        assert!(n.span.start <= n.span.end, "{file}: {:?}", n.span);
        assert!(n.span.start.line >= 1 && n.span.start.column >= 1, "{file}");
        assert!(n.span.end.line <= lines + 1, "{file}: {:?}", n.span);
        assert_eq!(&*n.file, file);
        match &n.kind {
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Map(entries) => stack.extend(entries.iter().flat_map(|(k, v)| [k, v])),
            NodeKind::Scalar(s) => assert!(s.original.is_none()),
        }
    }
    count
}

#[test]
fn every_corpus_compose_file_parses() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let files = compose_files(&dir);
    assert_eq!(
        files.len(),
        205,
        "the corpus README promises 205 compose files"
    );
    let mut failures = Vec::new();
    let mut nodes = 0;
    for name in &files {
        let path = dir.join("files").join(name);
        let text = std::fs::read_to_string(&path).expect("utf-8 compose file");
        match parse(name, &text, &Limits::default()) {
            Ok(docs) => {
                assert!(!docs.is_empty(), "{name}: no document");
                let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
                for doc in &docs {
                    nodes += check_spans(doc, lines, name);
                }
            }
            Err(e) => failures.push(format!("{e} ({:?})", e.hint)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} files failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(nodes > 10_000, "{nodes}");
}

#[test]
fn corpus_merge_keys_and_anchors_resolve() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    // Every `<<` in the corpus is applied: no tree keeps a plain `<<` key.
    for name in compose_files(&dir) {
        let text = std::fs::read_to_string(dir.join("files").join(&name)).expect("read");
        let docs = parse(&name, &text, &Limits::default()).expect("parses");
        let mut stack: Vec<&Node> = docs.iter().collect();
        while let Some(n) = stack.pop() {
            match &n.kind {
                NodeKind::Seq(items) => stack.extend(items.iter()),
                NodeKind::Map(entries) => {
                    for (k, v) in entries {
                        let merge_key = k.as_str() == Some("<<")
                            && k.as_scalar().map(|s| s.style)
                                == Some(plimsoll_runspec::yaml::ScalarStyle::Plain);
                        assert!(!merge_key, "{name}: unresolved merge key at {:?}", k.span);
                        stack.push(v);
                    }
                }
                NodeKind::Scalar(_) => {}
            }
        }
    }
}

#[test]
fn compose_shaped_file_keeps_positions_and_raw_text() {
    let text = "\
x-common: &common
  restart: unless-stopped
  environment:
    TZ: ${TZ:-UTC}
services:
  web:
    <<: *common
    image: \"nginx:${TAG}\"
    ports: !override
      - \"8080:80\"
    command: >
      nginx -g
      'daemon off;'
";
    let docs = parse("compose.yaml", text, &Limits::default()).expect("parses");
    let web = docs[0]
        .get("services")
        .and_then(|s| s.get("web"))
        .expect("web");
    assert_eq!(
        web.get("restart").and_then(Node::as_str),
        Some("unless-stopped")
    );
    // A merged key is where the service merges it (`<<: *common`, line 7), not the anchor.
    let restart = web.get("restart").expect("restart");
    assert_eq!(restart.span.start.line, 7);
    assert_eq!(
        (restart.span.start.column, restart.span.end.column),
        (5, 16)
    );
    let tz = web
        .get("environment")
        .and_then(|e| e.get("TZ"))
        .expect("TZ");
    assert_eq!(tz.as_str(), Some("${TZ:-UTC}"));
    // Inside a merged collection, values keep the anchored original's position.
    assert_eq!(tz.span.start.line, 4);
    let image = web.get("image").expect("image");
    assert_eq!(image.as_str(), Some("nginx:${TAG}"));
    assert_eq!(image.span.start.column, 12);
    assert_eq!(
        web.get("ports").and_then(|p| p.tag.as_deref()),
        Some("!override")
    );
    assert_eq!(
        web.get("command").and_then(Node::as_str),
        Some("nginx -g 'daemon off;'\n")
    );
}

/// The `.env` and `env_file` files of the corpus (every file that is not a compose file).
#[test]
fn every_corpus_env_file_parses() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let compose: std::collections::BTreeSet<String> = compose_files(&dir).into_iter().collect();
    let mut count = 0;
    let mut failures = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir.join("files"))
        .expect("files/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !compose.contains(name))
        .collect();
    entries.sort();
    for name in entries {
        let text = std::fs::read_to_string(dir.join("files").join(&name)).expect("utf-8");
        count += 1;
        match plimsoll_runspec::compose::dotenv::parse(&name, &text, &|_| None) {
            Ok(vars) => assert!(
                vars.iter().all(|(k, _)| !k.contains(' ')),
                "{name}: {vars:?}"
            ),
            Err(e) => failures.push(format!("{}: {} ({:?})", e.path, e.message, e.span)),
        }
    }
    assert_eq!(count, 40, "the corpus README promises 40 env files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Interpolating every corpus compose file with an empty environment: only `${X:?…}` /
/// `${X?…}` may stop it, and unset variables are reported as warnings.
#[test]
fn corpus_interpolates_with_an_empty_environment() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let mut warned = 0;
    for name in compose_files(&dir) {
        let text = std::fs::read_to_string(dir.join("files").join(&name)).expect("read");
        for mut doc in parse(&name, &text, &Limits::default()).expect("parses") {
            match plimsoll_runspec::compose::interpolate::interpolate(&mut doc, &|_| None) {
                Ok(warnings) => warned += warnings.len(),
                Err(e) => assert!(
                    e.message.contains("required variable"),
                    "{name}: {} at {:?}",
                    e.message,
                    e.span
                ),
            }
        }
    }
    assert!(warned > 100, "{warned}");
}
