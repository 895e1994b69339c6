//! Parsing and auditing the real-Dockerfile corpus (601 files, ~2 MB), single-threaded.
//!
//! Reads `$PLIMSOLL_CORPORA/real-dockerfiles` (default: `../shared/corpora` beside the
//! workspace). `cargo bench -p plimsoll-dockerfile --bench audit_corpus`. Three measurements:
//! `parse` (bytes to AST), `audit` (every rule on the parsed files) and `parse_audit` (both, what
//! `plimsoll dockerfile` does per file, minus reading and reporting). Nothing is asserted: the
//! numbers depend on the machine.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use plimsoll_core::config::ImagePolicy;
use std::hint::black_box;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    std::env::var_os("PLIMSOLL_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
        })
        .join("real-dockerfiles")
}

/// Every Dockerfile of the corpus as (path, bytes), in name order.
fn corpus() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut files: Vec<(String, Vec<u8>)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "SOURCES.tsv"))
        .filter_map(|p| Some((p.to_string_lossy().into_owned(), std::fs::read(&p).ok()?)))
        .collect();
    files.sort();
    (!files.is_empty()).then_some(files)
}

fn audit_corpus(c: &mut Criterion) {
    let Some(files) = corpus() else {
        let dir = corpus_dir();
        if std::env::var_os("PLIMSOLL_REQUIRE_CORPORA").is_some_and(|v| v == "1") {
            panic!("corpus not found at {}", dir.display());
        }
        eprintln!("SKIPPED: corpus not found at {}", dir.display());
        return;
    };
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let parsed: Vec<_> = files
        .iter()
        .filter_map(|(p, b)| plimsoll_dockerfile::parse(p, b).ok())
        .collect();
    let policy = ImagePolicy::default();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("parse", |b| {
        b.iter(|| {
            for (p, bytes) in &files {
                let _ = black_box(plimsoll_dockerfile::parse(p, bytes));
            }
        })
    });
    group.bench_function("audit", |b| {
        b.iter(|| {
            for file in &parsed {
                black_box(plimsoll_dockerfile::audit(file, &policy));
            }
        })
    });
    group.bench_function("parse_audit", |b| {
        b.iter(|| {
            for (p, bytes) in &files {
                if let Ok(file) = plimsoll_dockerfile::parse(p, bytes) {
                    black_box(plimsoll_dockerfile::audit(&file, &policy));
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, audit_corpus);
criterion_main!(benches);
