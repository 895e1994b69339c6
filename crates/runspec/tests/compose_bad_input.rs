//! Hostile and broken compose files: each gives a clear [`Diagnostic`] (a file, a line where
//! one exists, a message naming what is wrong) — or, for what compose itself tolerates, loads
//! with a warning — and never a panic, a hang or unbounded memory.
//!
//! Peak memory of the 50 MB file is measured outside the test (see the report):
//! `/usr/bin/time -v <test binary> fifty_megabytes --exact`.

use plimsoll_runspec::compose::{self, Diagnostic, FileSource, LoadOptions, Project};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FILE: &str = "compose.yaml";

fn load(text: &str) -> Result<Project, Diagnostic> {
    compose::load_str(FILE, text, &BTreeMap::new())
}

/// The error a file must give.
#[track_caller]
fn error(text: &str) -> Diagnostic {
    match load(text) {
        Ok(p) => panic!(
            "expected an error, but it loaded: {} services, warnings: {:?}",
            p.services.len(),
            p.diagnostics
        ),
        Err(d) => {
            assert_eq!(d.path, FILE, "the error names the file: {d:?}");
            assert!(!d.message.trim().is_empty(), "an empty message: {d:?}");
            d
        }
    }
}

/// The project a file must give.
#[track_caller]
fn loads(text: &str) -> Project {
    load(text).unwrap_or_else(|d| panic!("expected to load, got: {d} ({:?})", d.hint))
}

/// The line an error points at.
#[track_caller]
fn line(d: &Diagnostic) -> usize {
    d.span
        .unwrap_or_else(|| panic!("the error has no position: {d}"))
        .start
        .line as usize
}

/// Asserts the message mentions every word (case-insensitively).
#[track_caller]
fn says(d: &Diagnostic, words: &[&str]) {
    let all = format!("{} {}", d.message, d.hint.as_deref().unwrap_or("")).to_lowercase();
    for w in words {
        assert!(
            all.contains(&w.to_lowercase()),
            "the error should mention {w:?}: {d} (hint: {:?})",
            d.hint
        );
    }
}

/// Runs `f` and asserts it took less than `limit` (generous: debug builds, a shared machine).
#[track_caller]
fn quickly<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "took {took:?}, more than {limit:?}");
    out
}

// ---------------------------------------------------------------------------------------------
// Invalid YAML
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_yaml_names_file_and_line() {
    let cases: &[(&str, usize)] = &[
        // An unclosed flow sequence.
        (
            "services:\n  web:\n    image: nginx\n    ports: [80:80\n",
            4,
        ),
        // A tab where indentation belongs.
        ("services:\n  web:\n\timage: nginx\n", 3),
        // A mapping value where none may be.
        (
            "services:\n  web:\n    image: nginx\n    command: a: b\n",
            4,
        ),
        // An unclosed quote.
        ("services:\n  web:\n    image: \"nginx\n", 3),
        // Bad indentation of a sibling key.
        ("services:\n  web:\n    image: nginx\n   user: root\n", 4),
    ];
    for (text, want) in cases {
        let d = error(text);
        let got = line(&d);
        // The parser may report the line where it noticed, at most one further.
        assert!(
            got == *want || got == want + 1,
            "{text:?}: error at line {got}, expected {want}: {d}"
        );
        let shown = d.to_string();
        assert!(
            shown.starts_with(&format!("{FILE}:{got}:")),
            "Display is file:line:col: {shown}"
        );
    }
}

#[test]
fn duplicate_keys_are_an_error_at_the_second_one() {
    let d = error("services:\n  web:\n    image: nginx\n    image: httpd\n");
    assert_eq!(line(&d), 4, "{d}");
    says(&d, &["image"]);
}

// ---------------------------------------------------------------------------------------------
// Wrong types
// ---------------------------------------------------------------------------------------------

#[test]
fn ports_as_a_mapping() {
    let d = error("services:\n  web:\n    image: nginx\n    ports:\n      http: 80\n");
    says(&d, &["ports"]);
    assert!((4..=5).contains(&line(&d)), "{d}");
}

#[test]
fn a_number_where_a_list_belongs() {
    for (key, text) in [
        (
            "cap_add",
            "services:\n  web:\n    image: nginx\n    cap_add: 5\n",
        ),
        (
            "volumes",
            "services:\n  web:\n    image: nginx\n    volumes: 3\n",
        ),
        (
            "devices",
            "services:\n  web:\n    image: nginx\n    devices: 1\n",
        ),
    ] {
        let d = error(text);
        says(&d, &[key]);
        assert_eq!(line(&d), 4, "{d}");
    }
}

#[test]
fn a_word_where_a_boolean_belongs() {
    let d = error("services:\n  web:\n    image: nginx\n    privileged: maybe\n");
    says(&d, &["privileged", "maybe"]);
    assert_eq!(line(&d), 4, "{d}");
}

#[test]
fn unreadable_values_name_their_key() {
    let cases: &[(&str, &str)] = &[
        ("mem_limit", "    mem_limit: lots\n"),
        ("ports", "    ports: [\"99999:80\"]\n"),
        ("cpus", "    cpus: many\n"),
        ("pids_limit", "    pids_limit: [1]\n"),
        ("read_only", "    read_only: {a: 1}\n"),
    ];
    for (key, body) in cases {
        let text = format!("services:\n  web:\n    image: nginx\n{body}");
        let d = error(&text);
        says(&d, &[key]);
        assert_eq!(line(&d), 4, "{key}: {d}");
    }
}

#[test]
fn wrong_structure_of_the_file() {
    let d = error("services:\n  - web\n  - db\n");
    says(&d, &["services"]);
    let d = error("services:\n  web: nginx\n");
    says(&d, &["web"]);
    let d = error("services:\n  web:\n    image: nginx\n    environment: 5\n");
    says(&d, &["environment"]);
}

#[test]
fn a_file_that_is_a_list_or_a_scalar() {
    for text in [
        "- image: nginx\n- image: redis\n",
        "just a string\n",
        "42\n",
    ] {
        let d = error(text);
        says(&d, &["mapping"]);
    }
}

#[test]
fn an_empty_file() {
    for text in ["", "\n\n", "# only a comment\n", "---\n", "{}\n"] {
        let d = error(text);
        says(&d, &["empty"]);
    }
}

// ---------------------------------------------------------------------------------------------
// Unknown keys warn, they do not fail
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_keys_warn() {
    let p = loads(
        "frobnicate: 1\nservices:\n  web:\n    image: nginx\n    privilegd: true\n    x-mine: ok\nx-top: ok\n",
    );
    assert_eq!(p.services.len(), 1);
    let has = |k: &str| p.diagnostics.iter().any(|d| d.message.contains(k));
    assert!(
        has("frobnicate"),
        "top-level unknown key: {:?}",
        p.diagnostics
    );
    assert!(has("privilegd"), "service unknown key: {:?}", p.diagnostics);
    assert!(
        !has("x-mine") && !has("x-top"),
        "x- extensions are allowed: {:?}",
        p.diagnostics
    );
    let w = p
        .diagnostics
        .iter()
        .find(|d| d.message.contains("privilegd"))
        .and_then(|d| d.span)
        .expect("the warning has a position");
    assert_eq!(w.start.line, 5);
}

// ---------------------------------------------------------------------------------------------
// Interpolation
// ---------------------------------------------------------------------------------------------

#[test]
fn a_required_variable_names_itself_and_its_message() {
    for (text, var, msg) in [
        (
            "services:\n  web:\n    image: \"nginx:${TAG:?set TAG to the release}\"\n",
            "TAG",
            "set TAG to the release",
        ),
        (
            "services:\n  web:\n    image: nginx\n    user: ${RUN_AS?who runs it}\n",
            "RUN_AS",
            "who runs it",
        ),
    ] {
        let d = error(text);
        says(&d, &[var, msg]);
        assert!(d.span.is_some(), "points at the value: {d}");
    }
    // Set, it loads.
    let env: BTreeMap<String, String> = [("TAG".to_string(), "1.27".to_string())].into();
    let p = compose::load_str(
        FILE,
        "services:\n  web:\n    image: \"nginx:${TAG:?set TAG}\"\n",
        &env,
    )
    .expect("loads with TAG set");
    assert_eq!(
        p.services[0].image.as_ref().map(|i| i.value.as_str()),
        Some("nginx:1.27")
    );
}

#[test]
fn a_required_key_emptied_by_interpolation_names_the_variable() {
    // compose-go's schema fixture has `target: ${VARIABLE}` with VARIABLE unset.
    for (text, key) in [
        (
            "services:\n  web:\n    image: nginx\n    volumes:\n      - type: tmpfs\n        target: ${MOUNT_AT}\n",
            "volumes[0].target",
        ),
        (
            "services:\n  web:\n    image: nginx\n    ports:\n      - target: ${PORT}\n        published: 80\n",
            "ports[0].target",
        ),
    ] {
        let d = error(text);
        says(&d, &[key, "is empty"]);
        assert!(
            d.message.contains("${MOUNT_AT}") || d.message.contains("${PORT}"),
            "quotes what was written: {d}"
        );
    }
}

#[test]
fn broken_interpolation_syntax_is_an_error() {
    let d = error("services:\n  web:\n    image: \"nginx:${TAG\"\n");
    assert_eq!(line(&d), 3, "{d}");
    let d = error("services:\n  web:\n    image: \"nginx:${}\"\n");
    assert_eq!(line(&d), 3, "{d}");
}

// ---------------------------------------------------------------------------------------------
// Anchors and aliases
// ---------------------------------------------------------------------------------------------

#[test]
fn recursive_anchors_fail() {
    for text in [
        "services: &s\n  web:\n    image: nginx\n    labels: *s\n",
        "x: &a [*a]\nservices:\n  web:\n    image: nginx\n",
        "x: &a {b: *a}\nservices:\n  web:\n    image: nginx\n",
    ] {
        let d = quickly(Duration::from_secs(2), || error(text));
        assert!(d.span.is_some(), "points at the alias: {d}");
    }
    // An alias to an anchor that does not exist.
    let d = error("services:\n  web: *nope\n");
    says(&d, &["nope"]);
}

/// The classic "billion laughs": ten levels of ten aliases each (10^10 nodes if expanded).
fn billion_laughs() -> String {
    let mut s = String::from("x-lol0: &l0 [\"lol\"]\n");
    for i in 1..=10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        s.push_str(&format!("x-lol{i}: &l{i} [{refs}]\n"));
    }
    s.push_str("services:\n  web:\n    image: nginx\n    command: *l10\n");
    s
}

#[test]
fn alias_bombs_fail_fast_in_bounded_memory() {
    let before = peak_rss_kb();
    // Lists of aliases.
    let d = quickly(Duration::from_secs(10), || error(&billion_laughs()));
    says(&d, &["alias"]);
    // Mappings merged into mappings (`<<`), doubling at each level.
    let mut s = String::from("x-m0: &m0 {a0: 1, b0: 2}\n");
    for i in 1..=40 {
        s.push_str(&format!(
            "x-m{i}: &m{i} {{k{i}: *m{p}, j{i}: *m{p}}}\n",
            p = i - 1
        ));
    }
    s.push_str("services:\n  web:\n    image: nginx\n    labels: *m40\n");
    quickly(Duration::from_secs(10), || error(&s));
    // One long string repeated through aliases.
    let long = "x".repeat(1 << 20);
    let mut s = format!("x-s: &s \"{long}\"\nx-list: &list [");
    s.push_str(&vec!["*s"; 200].join(", "));
    s.push_str("]\nservices:\n  web:\n    image: nginx\n    command: *list\n");
    quickly(Duration::from_secs(10), || error(&s));
    if let (Some(b), Some(a)) = (before, peak_rss_kb()) {
        assert!(
            a.saturating_sub(b) < 512 * 1024,
            "peak RSS grew by {} MB while parsing alias bombs",
            (a - b) / 1024
        );
    }
}

/// The process's peak RSS so far (Linux `VmHWM`), in kB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn merge_keys_and_anchors_that_are_fine_still_work() {
    let p = loads(
        "x-base: &base\n  image: nginx\n  read_only: true\nservices:\n  web:\n    <<: *base\n    user: \"1000\"\n  api:\n    <<: *base\n",
    );
    assert_eq!(p.services.len(), 2);
    for s in &p.services {
        assert_eq!(
            s.read_only.as_ref().map(|r| r.value),
            Some(true),
            "{}",
            s.name
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Size and depth
// ---------------------------------------------------------------------------------------------

/// A 50 MB compose file: thousands of ordinary services. The loader refuses it with a clear
/// message (or audits it) without running out of memory or time.
#[test]
fn fifty_megabytes() {
    let service = "  svc{}:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n    environment:\n      A: \"1\"\n      B: \"2\"\n    volumes:\n      - ./data:/data:ro\n";
    let mut text = String::with_capacity(51 << 20);
    text.push_str("services:\n");
    let mut i = 0;
    while text.len() < 50 << 20 {
        text.push_str(&service.replace("{}", &i.to_string()));
        i += 1;
    }
    let outcome = quickly(Duration::from_secs(60), || load(&text));
    match outcome {
        Err(d) => {
            assert_eq!(d.path, FILE);
            says(&d, &["bytes"]);
            println!("50 MB file ({} services): {d}", i);
        }
        Ok(p) => {
            assert_eq!(p.services.len(), i);
            println!("50 MB file: {} services audited", p.services.len());
        }
    }
}

#[test]
fn deep_nesting_fails_cleanly() {
    let depth = 100_000;
    // Flow sequences and mappings.
    let text = format!(
        "services:\n  web:\n    image: nginx\n    labels: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let d = quickly(Duration::from_secs(10), || error(&text));
    let said = d.message.to_lowercase();
    assert!(
        ["deep", "nest", "recursion"]
            .iter()
            .any(|w| said.contains(w)),
        "the error should say the nesting is too deep: {d}"
    );
    assert_eq!(line(&d), 4, "{d}");
    let text = format!(
        "services:\n  web:\n    image: nginx\n    x-a: {}1{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    quickly(Duration::from_secs(10), || error(&text));
    // Block mappings, one level per line.
    let mut text = String::from("services:\n  web:\n    image: nginx\n    x-deep:\n");
    for i in 0..2_000 {
        text.push_str(&" ".repeat(6 + i));
        text.push_str("a:\n");
    }
    quickly(Duration::from_secs(10), || error(&text));
}

#[test]
fn very_long_lines_and_keys() {
    let long = "a".repeat(1 << 20);
    let p = loads(&format!(
        "services:\n  web:\n    image: nginx\n    command: [\"{long}\"]\n"
    ));
    assert_eq!(p.services.len(), 1);
    // YAML caps implicit keys at 1024 characters (YAML 1.2 §7.4.2; go-yaml too): a longer
    // key is an error at its line, a shorter one is fine.
    let p = loads(&format!(
        "services:\n  web:\n    image: nginx\n    labels:\n      {}: x\n",
        "k".repeat(1000)
    ));
    assert_eq!(p.services.len(), 1);
    let d = error(&format!(
        "services:\n  web:\n    image: nginx\n    labels:\n      {long}: x\n"
    ));
    assert_eq!(line(&d), 5, "{d}");
}

// ---------------------------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------------------------

/// A file source that serves raw bytes (MemoryFiles holds only text).
struct Bytes(PathBuf, Vec<u8>);

impl FileSource for Bytes {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if path == self.0 {
            Ok(self.1.clone())
        } else {
            Err(io::Error::new(io::ErrorKind::NotFound, "no such file"))
        }
    }
}

fn load_bytes(bytes: &[u8]) -> Result<Project, Diagnostic> {
    let opts = LoadOptions {
        files: vec![PathBuf::from(FILE)],
        working_dir: PathBuf::from("/w"),
        ..LoadOptions::default()
    };
    compose::load(
        &opts,
        &Bytes(PathBuf::from("/w").join(FILE), bytes.to_vec()),
    )
}

#[test]
fn non_utf8_bytes() {
    for bytes in [
        &b"services:\n  web:\n    image: nginx\xff\n"[..],
        &b"\xfe\xff\x00s\x00e"[..],
        &b"services:\n  web:\n    image: \xc3\x28\n"[..],
    ] {
        let d = load_bytes(bytes).expect_err("not UTF-8");
        assert_eq!(d.path, FILE);
        says(&d, &["UTF-8"]);
    }
    // A byte-order mark is fine.
    let p = load_bytes(b"\xef\xbb\xbfservices:\n  web:\n    image: nginx\n").expect("BOM is fine");
    assert_eq!(p.services.len(), 1);
    assert_eq!(
        p.services[0]
            .anchor
            .location
            .span
            .map(|s| (s.start.line, s.start.column)),
        Some((2, 3)),
        "the BOM does not shift columns"
    );
}

#[test]
fn control_characters_and_nul() {
    for text in [
        "services:\n  web:\n    image: \"ng\0inx\"\n",
        "services:\n  web:\n    image: \u{7}\n",
    ] {
        // Either a clear error or a load; never a panic.
        if let Err(d) = load(text) {
            assert_eq!(d.path, FILE);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations of real files
// ---------------------------------------------------------------------------------------------

/// Every corpus compose file, truncated at many points and with lines dropped or swapped:
/// each result loads or fails with a diagnostic on the file, never a panic.
#[test]
fn mangled_corpus_files_never_panic() {
    let Some(dir) = plimsoll_testkit::corpora::locate("compose") else {
        return;
    };
    let files = std::fs::read_dir(dir.join("files")).expect("corpus files");
    let mut texts = Vec::new();
    for f in files.flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        if name.ends_with(".yml") || name.ends_with(".yaml") {
            texts.push((
                name,
                std::fs::read_to_string(f.path()).expect("UTF-8 corpus file"),
            ));
        }
    }
    assert!(texts.len() >= 200, "{} compose files", texts.len());
    let mut runs = 0;
    for (name, text) in &texts {
        let chars: Vec<char> = text.chars().collect();
        let lines: Vec<&str> = text.lines().collect();
        let mut variants: Vec<String> = Vec::new();
        for k in 1..16 {
            variants.push(chars[..chars.len() * k / 16].iter().collect());
        }
        for k in (0..lines.len()).step_by(lines.len() / 8 + 1) {
            let mut l = lines.clone();
            l.remove(k);
            variants.push(l.join("\n"));
            let mut l = lines.clone();
            if k + 1 < l.len() {
                l.swap(k, k + 1);
            }
            l.insert(k, "  ${");
            variants.push(l.join("\n"));
        }
        for v in &variants {
            runs += 1;
            let r = std::panic::catch_unwind(|| compose::load_str(FILE, v, &BTreeMap::new()));
            match r {
                Err(_) => panic!("{name}: panic on a mangled copy:\n{v}"),
                Ok(Err(d)) => assert!(
                    d.path == FILE || d.path.ends_with(".env") || d.path.contains('/'),
                    "{name}: error names an unexpected file: {d}"
                ),
                Ok(Ok(_)) => {}
            }
        }
    }
    println!(
        "{runs} mangled copies of {} corpus files loaded without a panic",
        texts.len()
    );
}
