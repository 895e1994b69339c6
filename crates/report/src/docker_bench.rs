//! The CIS benchmark as docker-bench-security prints it (text) and logs it (JSON), so people
//! and scripts used to docker-bench read plimsoll's output the same way. The JSON is built with
//! serde_json (docker-bench assembles it with `printf` and has emitted invalid JSON, #340,
//! #346); its shape is docker-bench's, plus `not_checked` on results whose facts were
//! unreadable.
//!
//! The benchmark is decided elsewhere (`plimsoll_live::bench`); what is printed arrives here as
//! a [`Sheet`] of plain data, so this crate needs nothing but the core.

use serde_json::{json, Map, Value};

/// The docker-bench-security version whose checks and report shape plimsoll follows.
pub const DOCKER_BENCH_VERSION: &str = "1.6.0";

pub use plimsoll_core::bench::Outcome;

/// One check's result, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'a> {
    /// The CIS id (`5.4`).
    pub id: &'a str,
    /// Its section (`5`).
    pub section: &'a str,
    /// The title with docker-bench's tag: `Ensure … (Automated)`.
    pub desc: String,
    /// Text after the title: ` (Swarm mode not enabled)`.
    pub suffix: &'a str,
    pub outcome: Outcome,
    /// The check moves docker-bench's score (JSON `scored`).
    pub scored: bool,
    /// What to do about it (empty: nothing to say).
    pub remediation: &'a str,
    /// docker-bench's JSON `details`.
    pub details: Option<&'a str>,
    /// The offending containers/images/files (JSON `items`).
    pub items: &'a [String],
    /// Lines printed under the check, without the `* ` bullet.
    pub lines: &'a [String],
    /// Set when a fact could not be read: why.
    pub not_checked: Option<&'a str>,
}

/// The whole benchmark, as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet<'a> {
    /// Section and sub-section headings (`("1", "Host Configuration")`, `("1.1", …)`), in
    /// order.
    pub headings: &'a [(&'a str, &'a str)],
    pub rows: Vec<Row<'a>>,
    /// Notes printed under a section heading (`No containers running, skipping Section 5`).
    pub section_notes: &'a [(&'a str, String)],
    /// `Checks: N`.
    pub checks: usize,
    /// `Score: S`.
    pub score: i64,
}

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
pub fn text(bench: &Sheet<'_>, opts: TextOptions) -> String {
    let mut out = String::new();
    let c = opts.color;
    out.push_str(&heading_line("Section A - Check results", c));
    out.push('\n');
    let mut shown_heads: Vec<&str> = Vec::new();
    for r in &bench.rows {
        let id = r.id;
        // Headings of the section and sub-section (`1`, `1.1`) before their first check.
        for (hid, htitle) in bench.headings {
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
            r.desc,
            r.suffix
        ));
        if let Some(why) = &r.not_checked {
            out.push_str(&format!(
                "{}      * not checked: {why}\n",
                tag(r.outcome, c)
            ));
        }
        for line in r.lines {
            out.push_str(&format!("{}      * {line}\n", tag(r.outcome, c)));
        }
    }
    // Section notes of sections with no result shown (section 5 without containers, all
    // of whose other checks were excluded).
    for (s, note) in bench.section_notes {
        if !shown_heads.contains(s) {
            out.push_str(&format!("{}   * {note}\n", tag(Outcome::Info, c)));
        }
    }
    if opts.remediation {
        out.push('\n');
        out.push_str(&heading_line("Section B - Remediation measures", c));
        out.push('\n');
        for r in bench
            .rows
            .iter()
            .filter(|r| r.outcome != Outcome::Pass && !r.remediation.is_empty())
        {
            out.push_str(&format!(
                "{} {} - {}\n",
                tag(Outcome::Info, c),
                r.id,
                r.remediation
            ));
        }
    }
    out.push('\n');
    out.push_str(&heading_line("Section C - Score", c));
    out.push_str("\n\n");
    out.push_str(&format!(
        "{} Checks: {}\n",
        tag(Outcome::Info, c),
        bench.checks
    ));
    out.push_str(&format!(
        "{} Score: {}\n",
        tag(Outcome::Info, c),
        bench.score
    ));
    out
}

fn result_json(r: &Row<'_>, remediation: bool) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(r.id));
    m.insert("desc".into(), json!(format!("{}{}", r.desc, r.suffix)));
    m.insert("result".into(), json!(r.outcome.as_str()));
    if let Some(d) = r.details {
        let details = if r.items.is_empty() {
            d.to_string()
        } else {
            format!("{d}: {}", r.items.join(" "))
        };
        m.insert("details".into(), json!(details));
    }
    if !r.items.is_empty() {
        m.insert("items".into(), json!(r.items));
    }
    if let Some(why) = r.not_checked {
        m.insert("not_checked".into(), json!(why));
    }
    if remediation && r.outcome != Outcome::Pass && !r.remediation.is_empty() {
        m.insert("remediation".into(), json!(r.remediation));
    }
    m.insert("scored".into(), json!(r.scored));
    Value::Object(m)
}

/// docker-bench's JSON log: `{"dockerbenchsecurity", "start", "tests": [{"id", "desc",
/// "results": [...]}], "checks", "score", "end"}`, plus `tool`/`version`.
pub fn json(bench: &Sheet<'_>, remediation: bool, start: u64, end: u64, version: &str) -> Value {
    let mut tests: Vec<Value> = Vec::new();
    for (hid, htitle) in bench.headings.iter().filter(|(h, _)| !h.contains('.')) {
        let results: Vec<Value> = bench
            .rows
            .iter()
            .filter(|r| r.section == *hid)
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
        "checks": bench.checks,
        "score": bench.score,
        "end": end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet<'a>(rows: Vec<Row<'a>>, notes: &'a [(&'a str, String)]) -> Sheet<'a> {
        Sheet {
            headings: &[
                ("1", "Host Configuration"),
                ("1.1", "Linux Hosts Specific Configuration"),
                ("4", "Container Images and Build File"),
                ("5", "Container Runtime"),
            ],
            rows,
            section_notes: notes,
            checks: 2,
            score: 0,
        }
    }

    fn row<'a>(id: &'a str, section: &'a str, outcome: Outcome, desc: &str) -> Row<'a> {
        Row {
            id,
            section,
            desc: desc.to_string(),
            suffix: "",
            outcome,
            scored: false,
            remediation: "",
            details: None,
            items: &[],
            lines: &[],
            not_checked: None,
        }
    }

    #[test]
    fn text_and_json_have_docker_benchs_shape() {
        let notes = [("5", "No containers running, skipping Section 5".to_string())];
        let mut partition = row(
            "1.1.1",
            "1",
            Outcome::Info,
            "Ensure a separate partition for containers has been created (Automated)",
        );
        partition.details = Some("not checked: host facts not collected");
        partition.not_checked = Some("host facts not collected");
        partition.scored = true;
        let trusted = row(
            "4.2",
            "4",
            Outcome::Note,
            "Ensure that containers use only trusted base images (Manual)",
        );
        let bench = sheet(vec![partition, trusted], &notes);
        let t = text(&bench, TextOptions::default());
        assert!(t.contains("[INFO] 1 - Host Configuration\n[INFO] 1.1 - Linux Hosts Specific Configuration\n[INFO] 1.1.1 - Ensure a separate partition"));
        assert!(t.contains("      * not checked: host facts not collected"));
        assert!(
            t.contains("[NOTE] 4.2 - Ensure that containers use only trusted base images (Manual)")
        );
        assert!(t.contains("[INFO]   * No containers running, skipping Section 5\n"));
        assert!(t.contains("[INFO] Checks: 2\n[INFO] Score: 0\n"));
        let j = json(&bench, false, 1, 2, "0.1.0");
        assert_eq!(j["tests"][0]["id"], "1");
        assert_eq!(j["tests"][0]["results"][0]["id"], "1.1.1");
        assert_eq!(j["tests"][0]["results"][0]["result"], "INFO");
        assert_eq!(j["tests"][0]["results"][0]["scored"], true);
        assert_eq!(j["tests"][1]["desc"], "Container Images and Build File");
        assert_eq!(j["checks"], 2);
    }
}
