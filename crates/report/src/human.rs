//! The default, human format: one rustc/ruff-style diagnostic per finding, grouped by file in
//! path order (within a file the most severe first, then by line), then the inputs that could
//! not be audited, then a one-line summary. Quoted source lines, messages, evidence and fixes
//! are redacted ([`crate::redact`]): a secret in the audited file is never printed in full.
//!
//! ```text
//! high[DF001]: the final stage runs as `root`
//!  --> app/Dockerfile:7:1
//!   |
//! 7 | USER root
//!   | ^^^^^^^^^
//!   = fix: Add a non-root `USER` after the last step that needs root.
//!   = docs: plimsoll rules explain DF001
//! ```
//!
//! Why a hand renderer and not annotate-snippets 0.12 (which cargo uses): its levels are
//! error/warning/info/note/help, so five severities would share four colours and need renamed
//! titles; multi-line spans are drawn as a bracket over every line, where we want the first and
//! last line with the middle elided; it takes byte ranges while plimsoll's spans are
//! line/character columns with "0 = end of line"; and its output format changes between minor
//! releases (ruff forked it to freeze its snapshots). What we need is small — a gutter, one
//! caret run per marked line, width-aware truncation — and lives in `human/snippet.rs` and
//! `text.rs`, with the terminal-safety rules (no escape sequences from audited input)
//! under our control.

mod snippet;
mod source;

use crate::{redact, text};
use crate::{summary_line, RenderOptions};
use anstyle::{AnsiColor, Color, Style};
use plimsoll_core::{AuditError, Finding, Registry, Report, Severity, Suppressed};
use snippet::Row;
use source::SourceLines;
use std::fmt::Write as _;

/// Renders the human report with the default options (suppressed findings hidden). This is the
/// entry point the rule helpers snapshot.
pub fn render(report: &Report, registry: &Registry, color: bool) -> String {
    let opts = RenderOptions {
        color,
        ..RenderOptions::default()
    };
    render_with(report, registry, &opts)
}

/// Renders the human report with explicit options.
pub fn render_with(report: &Report, registry: &Registry, opts: &RenderOptions) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = render_to(report, registry, opts, &mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Renders the human report into `sink`, a block at a time, so memory does not grow with the
/// size of the report.
pub fn render_to(
    report: &Report,
    registry: &Registry,
    opts: &RenderOptions,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    const FLUSH_AT: usize = 64 * 1024;
    let paint = Paint { color: opts.color };
    let mut findings = crate::order::findings_by_severity(report);
    findings.retain(|f| opts.show_suppressed || !f.is_suppressed());
    let errors = crate::order::errors(report);

    let mut out = String::new();
    // Findings come grouped by file: each file's lines are split, redacted and prepared once,
    // however many findings quote them, and dropped when the next file starts.
    let mut current: Option<(&str, Option<SourceLines>)> = None;
    for finding in findings {
        let path = finding.location.path.as_str();
        if current.as_ref().is_none_or(|(p, _)| *p != path) {
            current = Some((path, report.source_of(path).map(SourceLines::new)));
        }
        let source = current.as_ref().and_then(|(_, s)| s.as_ref());
        diagnostic(&mut out, finding, source, registry, &paint);
        out.push('\n');
        if out.len() >= FLUSH_AT {
            sink.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    let warnings = crate::order::warnings(report);
    for warning in &warnings {
        write_audit_error(&mut out, warning, "warning", WARNING, &paint);
    }
    for error in &errors {
        write_audit_error(&mut out, error, "error", ERROR, &paint);
    }
    if !errors.is_empty() || !warnings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}",
        paint.paint(Style::new().bold(), &summary_line(report))
    );
    sink.write_all(out.as_bytes())
}

/// Writes one finding as a diagnostic block.
fn diagnostic(
    out: &mut String,
    f: &Finding,
    lines: Option<&SourceLines>,
    registry: &Registry,
    p: &Paint,
) {
    let sev = severity_style(f.severity);
    let _ = writeln!(
        out,
        "{}{}",
        p.paint(sev, &format!("{}[{}]", f.severity, f.rule_id)),
        p.paint(
            Style::new().bold(),
            &format!(": {}", text::inline(&redact::text(&f.message)))
        )
    );

    let rows = f
        .location
        .span
        .zip(lines)
        .and_then(|(span, lines)| snippet::rows(lines, span, f.span_is_secret));
    let gutter = rows
        .as_ref()
        .and_then(|rows| {
            rows.iter()
                .filter_map(|r| match r {
                    Row::Source { line, .. } => Some(line.to_string().len()),
                    _ => None,
                })
                .max()
        })
        .unwrap_or(1);
    let pad = " ".repeat(gutter);

    let mut place = text::inline(&f.location.path);
    if let Some(span) = f.location.span {
        let _ = write!(place, ":{}", span.start.line);
        if span.start.column > 0 {
            let _ = write!(place, ":{}", span.start.column);
        }
    }
    let _ = writeln!(out, "{pad}{} {place}", p.paint(GUTTER, "-->"));

    if let Some(rows) = &rows {
        let bar = p.paint(GUTTER, "|");
        let _ = writeln!(out, "{pad} {bar}");
        for row in rows {
            let line = match row {
                Row::Source { line, text } => {
                    let number = p.paint(GUTTER, &format!("{line:>gutter$}"));
                    format!("{number} {bar} {text}")
                }
                Row::Carets { offset, len } => format!(
                    "{pad} {bar} {}{}",
                    " ".repeat(*offset),
                    p.paint(sev, &"^".repeat(*len))
                ),
                Row::Elided => format!("{pad} {bar} ..."),
            };
            let _ = writeln!(out, "{}", line.trim_end());
        }
    } else if let Some(evidence) = &f.evidence {
        note(
            out,
            &pad,
            p,
            "evidence",
            &text::inline(&redact::text(evidence)),
        );
    }

    if let Some(suppressed) = &f.suppressed {
        let why = match suppressed {
            Suppressed::Inline { line } => format!("inline at line {line}"),
            Suppressed::Baseline => "baseline".to_string(),
        };
        let _ = writeln!(
            out,
            "{pad} {} {}",
            p.paint(GUTTER, "="),
            p.paint(Style::new().bold(), &format!("suppressed ({why})"))
        );
    }
    if !f.fix.trim().is_empty() {
        note(out, &pad, p, "fix", &text::block(&redact::text(&f.fix)));
    }
    if registry.get(f.rule_id).is_some() {
        note(
            out,
            &pad,
            p,
            "docs",
            &format!("plimsoll rules explain {}", f.rule_id),
        );
    }
}

/// `= label: text`, continuation lines aligned under the text.
fn note(out: &mut String, pad: &str, p: &Paint, label: &str, body: &str) {
    let indent = " ".repeat(pad.len() + 3 + label.len() + 2);
    let mut lines = body.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(
        out,
        "{pad} {} {} {first}",
        p.paint(GUTTER, "="),
        p.paint(Style::new().bold(), &format!("{label}:"))
    );
    for line in lines {
        let _ = writeln!(out, "{}", format!("{indent}{line}").trim_end());
    }
}

/// An input that could not be audited as `error: path:line:col: message` and an optional
/// `hint:` line, with text from the input made terminal-safe; for the binary's stderr.
pub fn audit_error(e: &AuditError, color: bool) -> String {
    let mut out = String::new();
    write_audit_error(&mut out, e, "error", ERROR, &Paint { color });
    out
}

fn write_audit_error(out: &mut String, e: &AuditError, label: &str, style: Style, p: &Paint) {
    let mut place = text::inline(&e.path);
    if let Some(span) = e.span {
        let _ = write!(place, ":{}", span.start.line);
        if span.start.column > 0 {
            let _ = write!(place, ":{}", span.start.column);
        }
    }
    let _ = writeln!(
        out,
        "{}: {place}: {}",
        p.paint(style, label),
        text::inline(&redact::text(&e.message))
    );
    if let Some(hint) = &e.hint {
        let _ = writeln!(
            out,
            "  {}: {}",
            p.paint(HINT, "hint"),
            text::block(&redact::text(hint)).replace('\n', "\n        ")
        );
    }
}

const GUTTER: Style = Style::new()
    .bold()
    .fg_color(Some(Color::Ansi(AnsiColor::Blue)));
const WARNING: Style = Style::new()
    .bold()
    .fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
const ERROR: Style = Style::new()
    .bold()
    .fg_color(Some(Color::Ansi(AnsiColor::Red)));
const HINT: Style = Style::new()
    .bold()
    .fg_color(Some(Color::Ansi(AnsiColor::Cyan)));

/// The colour of a severity: critical stands out (white on red), then red, yellow, cyan,
/// green, so the five levels are distinguishable without reading the word.
fn severity_style(severity: Severity) -> Style {
    let style = Style::new().bold();
    match severity {
        Severity::Critical => style
            .fg_color(Some(Color::Ansi(AnsiColor::BrightWhite)))
            .bg_color(Some(Color::Ansi(AnsiColor::Red))),
        Severity::High => style.fg_color(Some(Color::Ansi(AnsiColor::Red))),
        Severity::Medium => style.fg_color(Some(Color::Ansi(AnsiColor::Yellow))),
        Severity::Low => style.fg_color(Some(Color::Ansi(AnsiColor::Cyan))),
        Severity::Info => style.fg_color(Some(Color::Ansi(AnsiColor::Green))),
    }
}

/// Applies styles only when colour is on, so plain output has no escape codes at all.
struct Paint {
    color: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}
