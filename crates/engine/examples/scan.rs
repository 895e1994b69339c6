//! Scans the engine named by the environment and prints one line per container with the RS
//! rule ids it raises, plus timings: a quick way to see the collector work on a real host.
//!
//! `cargo run --release -p plimsoll-engine --example scan -- [--all] [--no-top] [NAME…]`

use std::time::Instant;

use plimsoll_core::config::ImagePolicy;
use plimsoll_engine::{ContainerQuery, Engine, EngineConfig};
use plimsoll_runspec::rules::{audit, Context};

fn main() {
    let mut query = ContainerQuery::default();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--all" => query.all = true,
            "--no-top" => query.skip_top = true,
            name => query.names.push(name.to_string()),
        }
    }
    let cfg = EngineConfig::from_env(|k| std::env::var(k).ok());
    let t = Instant::now();
    let engine = match Engine::connect(&cfg) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(h) = e.hint() {
                eprintln!("hint: {h}");
            }
            std::process::exit(2);
        }
    };
    let connected = t.elapsed();
    let scan = match engine.containers(&query) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let scanned = t.elapsed();
    let policy = ImagePolicy::default();
    let cx = Context::new(&policy);
    for c in &scan.containers {
        let mut ids: Vec<&str> = audit(&c.spec, &cx).iter().map(|f| f.rule_id).collect();
        ids.sort();
        ids.dedup();
        println!("{:40} {}", c.spec.name, ids.join(" "));
    }
    for p in scan.gone.iter().chain(&scan.failed).chain(&scan.incomplete) {
        eprintln!("{}: {}", p.target, p.error);
    }
    eprintln!(
        "{} containers via {} (API {}): connect {:?}, scan {:?}, audit {:?}{}",
        scan.containers.len(),
        engine.endpoint_text(),
        engine.api_version(),
        connected,
        scanned - connected,
        t.elapsed() - scanned,
        if scan.is_partial() { " (partial)" } else { "" }
    );
}
