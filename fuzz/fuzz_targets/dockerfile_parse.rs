//! Fuzzes the Dockerfile parser end to end: bytes → typed AST → stages and variable
//! expansion and BuildKit-style dump → every rule (the rules' own stage/variable scopes, RUN
//! parsing and the expansion budgets of issue 8). Any panic, overflow or hang is a bug. Also checks that the
//! typed parse never accepts what the node layer rejects, and that spans are ordered.
//!
//! Run: `cargo +nightly fuzz run dockerfile_parse -- -max_total_time=600 -rss_limit_mb=2048`
#![no_main]

use libfuzzer_sys::fuzz_target;
use plimsoll_core::config::ImagePolicy;
use plimsoll_dockerfile::analysis::stages::Stages;
use plimsoll_dockerfile::parser;
use plimsoll_dockerfile::shell::{Lex, NoEnv};

fuzz_target!(|data: &[u8]| {
    let nodes = parser::parse_nodes(data);
    if let Ok(nodes) = &nodes {
        let _ = parser::dump(nodes);
    }
    if let Ok(df) = plimsoll_dockerfile::parse("fuzz", data) {
        assert!(
            nodes.is_ok(),
            "typed parse accepted what the node layer rejected"
        );
        let stages = Stages::new(&df);
        for s in 0..stages.list.len() {
            let _ = stages.lineage(s);
        }
        let _ = plimsoll_dockerfile::image_defaults::image_defaults(&df, None);
        for (i, ins) in df.instructions.iter().enumerate() {
            assert!(ins.span.start <= ins.span.end);
            assert!(ins.keyword_span.start <= ins.keyword_span.end);
            let _ = stages.expand_before(i, &ins.original);
        }
        let _ = plimsoll_dockerfile::audit(&df, &ImagePolicy::default());
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for escape in ['\\', '`'] {
            let mut lex = Lex::new(escape);
            let _ = lex.process_words(text, &NoEnv);
            lex.raw_quotes = true;
            lex.skip_unset_env = true;
            let _ = lex.process_word(text, &NoEnv);
        }
    }
});
