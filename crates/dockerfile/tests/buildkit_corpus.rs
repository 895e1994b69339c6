//! Conformance with BuildKit's own parser test data (moby/buildkit
//! `frontend/dockerfile/parser/testfiles*`, `testfile-line`, `shell/envVarTest`,
//! `shell/wordsTest`), read from `$PLIMSOLL_CORPORA/buildkit-parser` (default: `shared/corpora`
//! beside the repository). Skips loudly when the corpus is absent, unless
//! `PLIMSOLL_REQUIRE_CORPORA=1`.

use std::path::{Path, PathBuf};

use plimsoll_dockerfile::parser::{self, scan_text};
use plimsoll_dockerfile::shell::{Lex, LexError};

fn corpus_dir() -> Option<PathBuf> {
    plimsoll_testkit::corpora::locate("buildkit-parser")
}

fn case_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Cases BuildKit's parser accepts but `docker build` rejects when it interprets the
/// instructions; plimsoll's typed `parse` rejects them too (the dump still matches).
/// `health` has an unknown HEALTHCHECK type; the others are parser fragments with no `FROM`
/// (`no build stage in current context`).
const TYPED_REJECTS: &[&str] = &[
    "health",
    "jeztah-invalid-json-json-inside-string",
    "jeztah-invalid-json-json-inside-string-double",
    "jeztah-invalid-json-single-quotes",
    "jeztah-invalid-json-unterminated-bracket",
    "jeztah-invalid-json-unterminated-string",
    "json",
];

#[test]
fn positive_cases_dump_exactly() {
    let Some(dir) = corpus_dir() else { return };
    let cases = case_dirs(&dir.join("parser/testfiles"));
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    let mut typed_ok = 0;
    for case in &cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let src = std::fs::read(case.join("Dockerfile")).unwrap_or_default();
        let want = std::fs::read_to_string(case.join("result")).unwrap_or_default();
        match parser::parse_nodes(&src) {
            Ok(nodes) => {
                let got = parser::dump(&nodes);
                if got != want {
                    failures.push(format!(
                        "{name}: dump differs\n--- want\n{want}--- got\n{got}"
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: error {e:?}")),
        }
        match plimsoll_dockerfile::parse(&name, &src) {
            Ok(_) => typed_ok += 1,
            Err(e) if TYPED_REJECTS.contains(&name.as_str()) => {
                eprintln!(
                    "  typed parse rejects {name} as docker build does: {}",
                    e.message
                )
            }
            Err(e) => failures.push(format!("{name}: typed parse error {e:?}")),
        }
    }
    let passed = cases.len()
        - failures
            .iter()
            .filter(|f| f.contains("dump") || f.contains(": error"))
            .count();
    eprintln!(
        "buildkit corpus: {passed}/{} positive dumps exact, {typed_ok}/{} typed parses ({} rejected like docker build)",
        cases.len(),
        cases.len(),
        TYPED_REJECTS.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn negative_cases_error() {
    let Some(dir) = corpus_dir() else { return };
    let cases = case_dirs(&dir.join("parser/testfiles-negative"));
    assert!(!cases.is_empty());
    let mut accepted = Vec::new();
    for case in &cases {
        let src = std::fs::read(case.join("Dockerfile")).unwrap_or_default();
        if parser::parse_nodes(&src).is_ok()
            || plimsoll_dockerfile::parse("Dockerfile", &src).is_ok()
        {
            accepted.push(case.display().to_string());
        }
    }
    eprintln!(
        "buildkit corpus: {}/{} negative cases rejected",
        cases.len() - accepted.len(),
        cases.len()
    );
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
}

#[test]
fn line_numbers_match() {
    let Some(dir) = corpus_dir() else { return };
    let text =
        std::fs::read_to_string(dir.join("parser/testfile-line/Dockerfile")).unwrap_or_default();
    let scanned = scan_text(&text).unwrap_or_else(|e| panic!("{e:?}"));
    let got: Vec<(u32, u32)> = scanned
        .instructions
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect();
    assert_eq!(got, vec![(5, 5), (11, 12), (17, 31)]);
    eprintln!("buildkit corpus: testfile-line 3/3 instruction line ranges match");
}

/// `envVarTest`: `PLATFORM|input|expected` rows; A = all, U = unix, W = windows (skipped:
/// Windows compares variable names case-insensitively, plimsoll audits Linux builds).
#[test]
fn env_var_table() {
    let Some(dir) = corpus_dir() else { return };
    let text = std::fs::read_to_string(dir.join("shell/envVarTest")).unwrap_or_default();
    let env: Vec<(String, String)> = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let lex = Lex::new('\\');
    let (mut passed, mut total, mut skipped) = (0, 0, 0);
    let mut failures = Vec::new();
    for (no, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.trim().split('|').collect();
        assert_eq!(parts.len(), 3, "line {}: {line}", no + 1);
        let (platform, input, expected) = (parts[0].trim(), parts[1].trim(), parts[2].trim());
        if platform == "W" {
            skipped += 1;
            continue;
        }
        total += 1;
        let got: Result<String, LexError> = lex.process_word(input, &env).map(|p| p.result);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(g), e) => g == e,
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "line {}: {input:?} want {expected:?} got {got:?}",
                no + 1
            ));
        }
    }
    eprintln!("buildkit corpus: envVarTest {passed}/{total} A/U rows pass ({skipped} W rows skipped: Windows-only case-insensitive names)");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `wordsTest`: `ENV k=v` lines add variables; other lines are `input | w1,w2,…` or `error`.
#[test]
fn words_table() {
    let Some(dir) = corpus_dir() else { return };
    let text = std::fs::read_to_string(dir.join("shell/wordsTest")).unwrap_or_default();
    let lex = Lex::new('\\');
    let mut env: Vec<(String, String)> = Vec::new();
    let (mut passed, mut total) = (0, 0);
    let mut failures = Vec::new();
    for (no, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let rest = rest.trim_start_matches(' ');
            let (k, v) = rest.split_once('=').unwrap_or((rest, ""));
            env.push((k.to_string(), v.to_string()));
            continue;
        }
        let parts: Vec<&str> = line.split('|').collect();
        assert_eq!(parts.len(), 2, "line {}: {line:?}", no + 1);
        let input = parts[0].trim();
        let expected: Vec<&str> = parts[1].trim_start_matches(' ').split(',').collect();
        total += 1;
        let got = lex
            .process_words(input, &env)
            .unwrap_or_else(|_| vec!["error".to_string()]);
        if got == expected {
            passed += 1;
        } else {
            failures.push(format!(
                "line {}: {input:?} want {expected:?} got {got:?}",
                no + 1
            ));
        }
    }
    eprintln!("buildkit corpus: wordsTest {passed}/{total} rows pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
