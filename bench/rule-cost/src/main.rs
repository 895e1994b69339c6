//! Where the Dockerfile audit spends its time on a corpus: parsing, the per-file views the
//! rules share (`rules::Facts`: analysis, stages, RUN model, verification hits — forced up front
//! so their cost is not charged to whichever rule asks first) and each rule's `check`, summed
//! over all files (single-threaded, so the numbers add up).
//!
//! usage: cargo run --release --manifest-path bench/rule-cost/Cargo.toml -- [DIR]
//! (DIR defaults to $PLIMSOLL_CORPORA/real-dockerfiles). Prints one line per phase, most
//! expensive first. It measures; it asserts nothing.

use plimsoll_core::config::ImagePolicy;
use plimsoll_dockerfile::rules::{Context, Facts, RULES};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::args_os().nth(1) {
        return PathBuf::from(dir);
    }
    let corpora = std::env::var_os("PLIMSOLL_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
        });
    corpora.join("real-dockerfiles")
}

fn main() {
    let dir = corpus_dir();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "SOURCES.tsv"))
            .collect(),
        Err(e) => {
            eprintln!("rule-cost: cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    files.sort();
    let policy = ImagePolicy::default();
    let mut parse = Duration::ZERO;
    let mut shared = Duration::ZERO;
    // (rule id, time in its check, findings with that rule id)
    let mut per_rule: Vec<(&'static str, Duration, usize)> = Vec::new();
    let rules: Vec<_> = RULES.iter().flat_map(|g| g.iter()).collect();
    for r in &rules {
        per_rule.push((r.meta().id, Duration::ZERO, 0));
    }
    let mut parsed = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let t = Instant::now();
        let file = plimsoll_dockerfile::parse(&path.to_string_lossy(), &bytes);
        parse += t.elapsed();
        let Ok(file) = file else { continue };
        parsed += 1;
        let t = Instant::now();
        let facts = Facts::new(&file);
        facts.analysis();
        facts.stages();
        facts.runs();
        facts.verify_hits();
        shared += t.elapsed();
        let cx = Context::new(&facts, &policy);
        for (i, rule) in rules.iter().enumerate() {
            let mut out = Vec::new();
            let t = Instant::now();
            rule.check(&cx, &mut out);
            per_rule[i].1 += t.elapsed();
            // A check may emit findings of a sibling rule; count each under its own id.
            for f in &out {
                if let Some(row) = per_rule.iter_mut().find(|r| r.0 == f.rule_id) {
                    row.2 += 1;
                }
            }
        }
    }
    let rules_total: Duration = per_rule.iter().map(|r| r.1).sum();
    println!(
        "{parsed}/{} files parsed from {}",
        files.len(),
        dir.display()
    );
    println!("{:<10} {:>10} {:>9}", "phase", "ms", "findings");
    println!("(ms: time in each rule's check, summed over all files, one thread)");
    println!("{:<10} {:>10.1}", "parse", parse.as_secs_f64() * 1e3);
    println!("{:<10} {:>10.1}", "facts", shared.as_secs_f64() * 1e3);
    println!(
        "{:<10} {:>10.1}",
        "all rules",
        rules_total.as_secs_f64() * 1e3
    );
    per_rule.sort_by_key(|r| std::cmp::Reverse(r.1));
    for (id, d, n) in per_rule {
        println!("{id:<10} {:>10.1} {n:>9}", d.as_secs_f64() * 1e3);
    }
}
