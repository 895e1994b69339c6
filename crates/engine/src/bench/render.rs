//! The benchmark as docker-bench-security prints it (text) and logs it (JSON), so people and
//! scripts used to docker-bench read plimsoll's output the same way. The JSON is built with
//! serde_json (docker-bench assembles it with `printf` and has emitted invalid JSON, #340,
//! #346); its shape is docker-bench's, plus `not_checked` on results whose facts were
//! unreadable.

use serde_json::{json, Map, Value};

use super::catalogue::HEADINGS;
use super::decide::{Bench, CheckResult, Outcome};

/// The docker-bench-security version whose checks and report shape plimsoll follows.
pub const DOCKER_BENCH_VERSION: &str = "1.6.0";

/// Text options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours as docker-bench uses them (PASS green, WARN red, INFO blue, NOTE yellow).
    pub color: bool,
    /// Append "Section B - Remediation measures" (docker-bench `-p`).
    pub remediation: bool,
}

fn tag(outcome: Outcome, color: bool) -> String {
    if !color {
        return format!("[{}]", outcome.as_str());
    }
    let code = match outcome {
        Outcome::Pass => "1;32",
        Outcome::Warn => "1;31",
        Outcome::Info => "1;34",
        Outcome::Note => "1;33",
    };
    format!("\x1b[{code}m[{}]\x1b[0m", outcome.as_str())
}

fn heading_line(text: &str, color: bool) -> String {
    if color {
        format!("\x1b[1;33m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// The docker-bench-like text report.
pub fn text(bench: &Bench, opts: TextOptions) -> String {
    let mut out = String::new();
    let c = opts.color;
    out.push_str(&heading_line("Section A - Check results", c));
    out.push('\n');
    let mut shown_heads: Vec<&str> = Vec::new();
    for r in &bench.results {
        let id = r.check.id;
        // Headings of the section and sub-section (`1`, `1.1`) before their first check.
        for (hid, htitle) in HEADINGS {
            let under = id
                .strip_prefix(hid)
                .is_some_and(|rest| rest.starts_with('.'));
            if under && !shown_heads.contains(hid) {
                shown_heads.push(hid);
                if !hid.contains('.') {
                    out.push('\n');
                }
                out.push_str(&format!("{} {hid} - {htitle}\n", tag(Outcome::Info, c)));
                if !hid.contains('.') {
                    for (_, note) in bench.section_notes.iter().filter(|(s, _)| s == hid) {
                        out.push_str(&format!("{}   * {note}\n", tag(Outcome::Info, c)));
                    }
                }
            }
        }
        out.push_str(&format!(
            "{} {id} - {}{}\n",
            tag(r.outcome, c),
            r.check.desc(),
            r.suffix
        ));
        if let Some(why) = &r.not_checked {
            out.push_str(&format!(
                "{}      * not checked: {why}\n",
                tag(r.outcome, c)
            ));
        }
        for line in &r.lines {
            out.push_str(&format!("{}      * {line}\n", tag(r.outcome, c)));
        }
    }
    // Section notes of sections with no result shown (section 5 without containers, all
    // of whose other checks were excluded).
    for (s, note) in &bench.section_notes {
        if !shown_heads.contains(s) {
            out.push_str(&format!("{}   * {note}\n", tag(Outcome::Info, c)));
        }
    }
    if opts.remediation {
        out.push('\n');
        out.push_str(&heading_line("Section B - Remediation measures", c));
        out.push('\n');
        for r in bench
            .results
            .iter()
            .filter(|r| r.outcome != Outcome::Pass && !r.check.remediation.is_empty())
        {
            out.push_str(&format!(
                "{} {} - {}\n",
                tag(Outcome::Info, c),
                r.check.id,
                r.check.remediation
            ));
        }
    }
    out.push('\n');
    out.push_str(&heading_line("Section C - Score", c));
    out.push_str("\n\n");
    out.push_str(&format!(
        "{} Checks: {}\n",
        tag(Outcome::Info, c),
        bench.checks()
    ));
    out.push_str(&format!(
        "{} Score: {}\n",
        tag(Outcome::Info, c),
        bench.score()
    ));
    out
}

fn result_json(r: &CheckResult, remediation: bool) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.check.id));
    m.insert(
        "desc".into(),
        json!(format!("{}{}", r.check.desc(), r.suffix)),
    );
    m.insert("result".into(), json!(r.outcome.as_str()));
    if let Some(d) = &r.details {
        let details = if r.items.is_empty() {
            d.clone()
        } else {
            format!("{d}: {}", r.items.join(" "))
        };
        m.insert("details".into(), json!(details));
    }
    if !r.items.is_empty() {
        m.insert("items".into(), json!(r.items));
    }
    if let Some(why) = &r.not_checked {
        m.insert("not_checked".into(), json!(why));
    }
    if remediation && r.outcome != Outcome::Pass && !r.check.remediation.is_empty() {
        m.insert("remediation".into(), json!(r.check.remediation));
    }
    m.insert("scored".into(), json!(r.check.scored));
    Value::Object(m)
}

/// docker-bench's JSON log: `{"dockerbenchsecurity", "start", "tests": [{"id", "desc",
/// "results": [...]}], "checks", "score", "end"}`, plus `tool`/`version`.
pub fn json(bench: &Bench, remediation: bool, start: u64, end: u64, version: &str) -> Value {
    let mut tests: Vec<Value> = Vec::new();
    for (hid, htitle) in HEADINGS.iter().filter(|(h, _)| !h.contains('.')) {
        let results: Vec<Value> = bench
            .results
            .iter()
            .filter(|r| r.check.section() == *hid)
            .map(|r| result_json(r, remediation))
            .collect();
        if results.is_empty() {
            continue;
        }
        tests.push(json!({"id": hid, "desc": htitle, "results": results}));
    }
    json!({
        "dockerbenchsecurity": DOCKER_BENCH_VERSION,
        "tool": "plimsoll",
        "version": version,
        "start": start,
        "tests": tests,
        "checks": bench.checks(),
        "score": bench.score(),
        "end": end,
    })
}

#[cfg(test)]
mod tests {
    use super::super::decide::{decide, BenchInput};
    use super::*;

    #[test]
    fn text_and_json_have_docker_benchs_shape() {
        let input = BenchInput {
            host_missing: "host facts not collected".into(),
            only: vec!["1.1.1".into(), "4".into()],
            ..BenchInput::default()
        };
        let bench = decide(&input);
        let t = text(&bench, TextOptions::default());
        assert!(t.contains("[INFO] 1 - Host Configuration\n[INFO] 1.1 - Linux Hosts Specific Configuration\n[INFO] 1.1.1 - Ensure a separate partition"));
        assert!(t.contains("      * not checked: host facts not collected"));
        assert!(
            t.contains("[NOTE] 4.2 - Ensure that containers use only trusted base images (Manual)")
        );
        assert!(t.contains("[INFO] Checks: 13\n[INFO] Score: 0\n"));
        let j = json(&bench, false, 1, 2, "0.1.0");
        assert_eq!(j["tests"][0]["id"], "1");
        assert_eq!(j["tests"][0]["results"][0]["id"], "1.1.1");
        assert_eq!(j["tests"][0]["results"][0]["result"], "INFO");
        assert_eq!(j["tests"][1]["desc"], "Container Images and Build File");
        assert_eq!(j["checks"], 13);
    }
}
