//! Fuzzes the compose loader end to end: bytes (read as UTF-8, lossily) → YAML tree →
//! interpolation, merge keys, `extends` within the file, profiles → every service mapped into
//! a RunSpec → every RS rule run on it. Any panic, overflow, hang or runaway allocation is a bug:
//! hostile compose files must end in a `Diagnostic`.
//!
//! The environment is empty except for a few variables, so `${VAR}` forms take both the set and
//! the unset paths. Also checks that every finding and service anchor points into the file.
//!
//! Run: `cargo +nightly fuzz run compose_load -- -max_total_time=600 -max_len=65536 -rss_limit_mb=2048`
#![no_main]

use libfuzzer_sys::fuzz_target;
use plimsoll_core::config::ImagePolicy;
use plimsoll_runspec::compose;
use plimsoll_runspec::rules::{self, Context};
use std::collections::BTreeMap;

const PATH: &str = "compose.yaml";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let env: BTreeMap<String, String> = [("SET", "value"), ("EMPTY", ""), ("NUM", "8080")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for env in [BTreeMap::new(), env] {
        let Ok(project) = compose::load_str(PATH, &text, &env) else {
            continue;
        };
        let lines = yaml_lines(&text);
        let policy = ImagePolicy::default();
        let cx = Context::new(&policy);
        for spec in &project.services {
            assert_eq!(spec.anchor.location.path, PATH);
            for f in rules::audit(spec, &cx) {
                assert_eq!(f.location.path, PATH, "{f:?}");
                if let Some(span) = f.location.span {
                    assert!(span.start.line >= 1 && span.start.line <= lines, "{f:?}");
                    assert!(span.start <= span.end, "{f:?}");
                }
            }
        }
    }
});

/// Lines as YAML counts them (and SARIF): `\r\n`, `\n` and a lone `\r` each end one, so a
/// file with old Mac line ends has more lines than `str::lines` sees.
fn yaml_lines(text: &str) -> u32 {
    let breaks = text.replace("\r\n", "\n").matches(['\n', '\r']).count();
    u32::try_from(breaks + 1).unwrap_or(u32::MAX)
}
