//! Parses and audits Dockerfiles named on the command line and prints what came out: the
//! parse error (with its line and hint) or the number of findings per rule. For measuring
//! time and peak memory on generated hostile inputs (`/usr/bin/time -f "%e s %M KB"`), which
//! the tests must not assert. `--parse-only` stops after parsing (to tell the parser's share
//! from the audit's).

use plimsoll_core::config::ImagePolicy;
use std::collections::BTreeMap;

fn main() {
    let policy = ImagePolicy::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parse_only = args.iter().any(|a| a == "--parse-only");
    for path in args.into_iter().filter(|a| a != "--parse-only") {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                println!("{path}: cannot read: {e}");
                continue;
            }
        };
        match plimsoll_dockerfile::parse(&path, &bytes) {
            Err(e) => {
                let line = e.span.map_or(0, |s| s.start.line);
                println!("{path}:{line}: error: {e}");
                if let Some(hint) = &e.hint {
                    println!("  hint: {hint}");
                }
            }
            Ok(file) if parse_only => println!("{path}: {} instructions", file.instructions.len()),
            Ok(file) => {
                let findings = plimsoll_dockerfile::audit(&file, &policy);
                let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
                for f in &findings {
                    *by_rule.entry(f.rule_id).or_default() += 1;
                }
                println!("{path}: {} findings {by_rule:?}", findings.len());
            }
        }
    }
}
