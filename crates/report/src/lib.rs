//! Report renderers: turn a [`Report`] (findings are data) into text for people or machines.
//!
//! One module per output format, each a pure function of the report, the rule registry and the
//! [`RenderOptions`]:
//!
//! - [`human`]: rustc/ruff-style diagnostics with quoted source and carets (the default);
//! - [`json`]: plimsoll's own versioned JSON document (`docs/json-schema.md`);
//! - [`sarif`]: SARIF 2.1.0 as GitHub code scanning accepts it;
//! - [`junit`]: JUnit XML for CI test-report views (as Trivy's JUnit template);
//! - [`gitlab`]: GitLab Code Quality (the Code Climate subset GitLab reads);
//! - [`docker_bench`]: the CIS benchmark's results as docker-bench-security prints and logs
//!   them (a [`docker_bench::Sheet`], not a findings report).
//!
//! Every format redacts secrets in the text it quotes from audited input — source lines,
//! messages, evidence, fixes, error messages — through [`redact`]; see its docs for what is
//! hidden and why the pass runs in the renderer rather than in each rule.
//!
//! Renderers never decide policy: which findings count, which severity a finding has and which
//! exit code follows are settled before rendering (configuration, suppression and
//! [`Report::exit_code`] in `plimsoll-core`). A renderer only chooses how to show what it is given.
//! In particular, the machine formats always carry suppressed findings (marked as such) so that
//! nothing "disappears into the aether"; only the human format hides them unless asked.

use plimsoll_core::{Registry, Report};
use std::fmt;
use std::str::FromStr;

pub mod docker_bench;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
mod order;
pub mod redact;
pub mod sarif;
mod summary;
mod text;

pub use summary::{summary_line, Audited, Summary};

/// An output format, as named on the command line (`--format human|json|sarif|junit|gitlab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Diagnostics for a terminal (the default).
    #[default]
    Human,
    /// plimsoll's versioned JSON report.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// JUnit XML.
    Junit,
    /// GitLab Code Quality JSON.
    Gitlab,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 5] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Gitlab,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Gitlab => "gitlab",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    /// Parses a format name case-insensitively; the error lists the valid names (clap shows it).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown format `{s}` (expected human, json, sarif, junit or gitlab)")
            })
    }
}

/// How to render; everything here is presentation, never policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colours (human format only). The binary decides this from the terminal and
    /// `NO_COLOR`/`CLICOLOR`; renderers never look at the environment.
    pub color: bool,
    /// Show suppressed findings in the human format (the machine formats always include them,
    /// marked as suppressed).
    pub show_suppressed: bool,
    /// plimsoll's version, written into the JSON and SARIF tool descriptions.
    pub tool_version: &'static str,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            show_suppressed: false,
            tool_version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// Renders `report` in `format`. The result ends with a newline.
pub fn render(
    report: &Report,
    registry: &Registry,
    format: Format,
    opts: &RenderOptions,
) -> String {
    match format {
        Format::Human => human::render_with(report, registry, opts),
        Format::Json => json::render(report, registry, opts),
        Format::Sarif => sarif::render(report, registry, opts),
        Format::Junit | Format::Gitlab => {
            let mut out = Vec::new();
            // Writing into a Vec cannot fail.
            let _ = render_to(report, registry, format, opts, &mut out);
            String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

/// Renders `report` in `format` straight into `out`, without building the whole text in memory
/// first: a scan with tens of thousands of findings produces tens of megabytes of JSON, and
/// holding it (plus the growth copies of one big `String`) would cost more than the audit
/// itself. The bytes written are exactly those of [`render`].
pub fn render_to(
    report: &Report,
    registry: &Registry,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::render_to(report, registry, opts, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json::document(report, registry, opts))?;
            out.write_all(b"\n")
        }
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif::log(report, registry, opts))?;
            out.write_all(b"\n")
        }
        Format::Junit => junit::render_to(report, opts, out),
        Format::Gitlab => gitlab::render_to(report, out),
    }
}

/// The tool's name as written into machine-readable reports.
pub const TOOL_NAME: &str = "plimsoll";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_parses_names_case_insensitively() {
        assert_eq!("human".parse::<Format>(), Ok(Format::Human));
        assert_eq!("JSON".parse::<Format>(), Ok(Format::Json));
        assert_eq!("sarif".parse::<Format>(), Ok(Format::Sarif));
        let err = "xml".parse::<Format>().unwrap_err();
        assert!(err.contains("human, json, sarif, junit or gitlab"), "{err}");
        assert_eq!("JUnit".parse::<Format>(), Ok(Format::Junit));
        assert_eq!("gitlab".parse::<Format>(), Ok(Format::Gitlab));
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
    }
}
