//! The README's tour shows what `plimsoll scan examples/` prints; this test runs that command
//! from the repository root and checks the quoted output against the real one, so the README
//! cannot drift from the binary (it did once: messages, counts and a secret shown in full).
//!
//! The quoted block is the ```text fence that follows the `$ plimsoll scan examples/` line. A line
//! holding only `…` means "lines elided"; every run of lines between them must appear, verbatim
//! and contiguous, in the real output, each run after the previous one, and the last line (the
//! summary) must be the real output's last line exactly.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// The command line the tour quotes.
const TOUR_PROMPT: &str = "$ plimsoll scan examples/";
/// The line that stands for elided output.
const ELISION: &str = "…";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

/// The tour's quoted lines after the prompt, as runs separated by elisions.
fn quoted_runs(readme: &str) -> Vec<Vec<String>> {
    let mut lines = readme.lines().skip_while(|l| l.trim() != TOUR_PROMPT);
    assert!(
        lines.next().is_some(),
        "README.md has no `{TOUR_PROMPT}` line in its tour"
    );
    let mut runs = vec![Vec::new()];
    for line in lines.take_while(|l| !l.starts_with("```")) {
        if line.trim() == ELISION {
            runs.push(Vec::new());
        } else if let Some(run) = runs.last_mut() {
            run.push(line.to_string());
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}

/// Where `needle` occurs as contiguous lines of `haystack`, at or after `from`.
fn find_run(haystack: &[&str], needle: &[String], from: usize) -> Option<usize> {
    (from..=haystack.len().saturating_sub(needle.len()))
        .find(|&start| needle.iter().zip(&haystack[start..]).all(|(a, b)| a == b))
}

#[test]
fn readme_tour_output_matches_what_scan_prints() {
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).expect("read README.md");
    let runs = quoted_runs(&readme);
    assert!(!runs.is_empty(), "the README tour quotes no output");

    let scan = plimsoll_in(&root, &["scan", "examples/", "--color", "never"]);
    assert!(
        scan.code == 1,
        "the insecure example must fail the scan (exit 1), got {}: {}",
        scan.code,
        scan.stderr
    );
    let real: Vec<&str> = scan.stdout.lines().collect();

    let mut from = 0;
    for run in &runs {
        match find_run(&real, run, from) {
            Some(at) => from = at + run.len(),
            None => panic!(
                "README tour block not found in order in `plimsoll scan examples/`:\n{}\n\n\
                 real output:\n{}",
                run.join("\n"),
                scan.stdout
            ),
        }
    }

    let quoted_summary = runs.last().and_then(|run| run.last()).map(String::as_str);
    let real_summary = real.iter().rev().find(|l| !l.trim().is_empty()).copied();
    assert_eq!(
        quoted_summary, real_summary,
        "the README tour's summary line differs from the real one"
    );
}

#[test]
fn readme_tour_never_shows_a_secret_in_full() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("read README.md");
    let tour = quoted_runs(&readme).concat().join("\n");
    let shown: Vec<&str> = plimsoll_core::secrets::known_token_matches(&tour)
        .into_iter()
        .map(|(_, range)| &tour[range])
        .collect();
    assert!(
        shown.is_empty(),
        "the README tour shows secrets in full: {shown:?}"
    );
}

#[test]
fn quoted_runs_split_at_elisions_and_stop_at_the_fence() {
    let readme = "intro\n```text\n$ plimsoll scan examples/\na\nb\n…\nc\n…\nsummary\n```\nafter\n";
    assert_eq!(
        quoted_runs(readme),
        vec![
            vec!["a".to_string(), "b".to_string()],
            vec!["c".to_string()],
            vec!["summary".to_string()],
        ]
    );
    let real = ["x", "a", "b", "y", "c"];
    assert_eq!(find_run(&real, &["a".into(), "b".into()], 0), Some(1));
    assert_eq!(find_run(&real, &["a".into(), "b".into()], 2), None);
}
