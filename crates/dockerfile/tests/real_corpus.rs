//! Robustness on 601 real Dockerfiles (`$PLIMSOLL_CORPORA/real-dockerfiles`): every file
//! parses without error or panic and the semantic analysis builds for each. Skips loudly when
//! the corpus is absent, unless `PLIMSOLL_REQUIRE_CORPORA=1`.

use std::path::PathBuf;
use std::time::Instant;

use plimsoll_dockerfile::analysis::stages::Stages;

fn corpus_dir() -> Option<PathBuf> {
    plimsoll_testkit::corpora::locate("real-dockerfiles")
}

#[test]
fn every_real_file_parses_and_analyses() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "tsv"))
        .collect();
    files.sort();
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read(p).unwrap_or_default(),
            )
        })
        .collect();
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let mut failures = Vec::new();
    let mut parsed = Vec::with_capacity(inputs.len());
    // Best of 5 runs: the machine is shared, the minimum is the steadiest figure.
    let mut parse_time = std::time::Duration::MAX;
    for run in 0..5 {
        let started = Instant::now();
        for (path, src) in &inputs {
            match plimsoll_dockerfile::parse(path, src) {
                Ok(df) if run == 0 => parsed.push(df),
                Ok(_) => {}
                Err(e) if run == 0 => failures.push(format!("{path}: {e:?}")),
                Err(_) => {}
            }
        }
        parse_time = parse_time.min(started.elapsed());
    }
    let mut stages = 0;
    for df in &parsed {
        stages += Stages::new(df).list.len();
    }
    let instructions: usize = parsed.iter().map(|d| d.instructions.len()).sum();
    eprintln!(
        "real corpus: {}/{} files parse ({} bytes, {instructions} instructions, {stages} stages) in {:?} (best of 5)",
        parsed.len(),
        inputs.len(),
        bytes,
        parse_time
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
