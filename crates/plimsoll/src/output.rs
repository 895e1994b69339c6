//! Writing a report: rendered once, written to standard output or `--output FILE`, and the
//! errors and a one-line summary on standard error, so a person watching a CI log sees the
//! outcome even when the report itself went to a file or is JSON/SARIF.

use crate::cli::{ColorArg, CommonArgs, FormatArg};
use crate::error::Fatal;
use plimsoll_core::{Registry, Report};
use plimsoll_report::{render_to, summary_line, Format, RenderOptions};
use std::io::{IsTerminal, Write};
use std::path::Path;

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Junit => Format::Junit,
            FormatArg::Gitlab => Format::Gitlab,
        }
    }
}

/// Whether to colour: `always`/`never` as told; `auto` only when the report goes to a terminal,
/// following the NO_COLOR (<https://no-color.org>) and CLICOLOR conventions: a non-empty
/// `NO_COLOR` or `CLICOLOR=0` turns colour off, a non-zero `CLICOLOR_FORCE` turns it on even
/// without a terminal. Never for a report written to a file.
pub fn use_color(choice: ColorArg, to_file: bool) -> bool {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto if to_file || env("NO_COLOR").is_some() => false,
        ColorArg::Auto if env("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorArg::Auto if env("CLICOLOR").is_some_and(|v| v == "0") => false,
        ColorArg::Auto => std::io::stdout().is_terminal(),
    }
}

/// Renders and writes the report, then reports on standard error: warnings, every input error,
/// and (when the report did not go to the terminal as human text) the summary line and a
/// partial-audit note. Errors are left out of standard error only when both streams are the same
/// terminal and the human report already shows them there.
pub fn emit(
    report: &Report,
    registry: &Registry,
    args: &CommonArgs,
    warnings: &[String],
) -> Result<(), Fatal> {
    let format = Format::from(args.format);
    let to_file = output_file(args.output.as_deref()).is_some();
    let human_on_stdout = format == Format::Human && !to_file && !args.quiet;
    let errors_already_visible =
        human_on_stdout && std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
    {
        let mut stderr = std::io::stderr().lock();
        for warning in warnings {
            let _ = writeln!(stderr, "plimsoll: warning: {warning}");
        }
        if !errors_already_visible {
            for warning in &report.warnings {
                let _ = writeln!(stderr, "plimsoll: warning: {warning}");
            }
            for error in &report.errors {
                let _ = writeln!(stderr, "plimsoll: error: {error}");
            }
        }
    }
    if !args.quiet || to_file {
        let opts = RenderOptions {
            color: format == Format::Human && use_color(args.color, to_file),
            show_suppressed: args.show_suppressed,
            tool_version: env!("CARGO_PKG_VERSION"),
        };
        stream_report(args.output.as_deref(), |out| {
            render_to(report, registry, format, &opts, out)
        })?;
    }
    if !args.quiet && !human_on_stdout {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "plimsoll: {}", summary_line(report));
        if let Some(path) = output_file(args.output.as_deref()) {
            let _ = writeln!(stderr, "plimsoll: report written to {}", path.display());
        }
        let failed = count_failed_inputs(report);
        if failed > 0 && !report.targets.is_empty() {
            let _ = writeln!(
                stderr,
                "plimsoll: partial audit: {failed} of {} inputs could not be audited (see the errors above)",
                failed + report.targets.len()
            );
        }
    }
    Ok(())
}

/// Inputs with at least one error (one file may report several) and nothing audited.
pub fn count_failed_inputs(report: &Report) -> usize {
    let mut paths: Vec<&str> = report.errors.iter().map(|e| e.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .iter()
        .filter(|p| !report.targets.iter().any(|t| t.path == **p))
        .count()
}

/// The file `--output` names, or `None` for standard output (no `--output`, or `-o -`).
pub fn output_file(output: Option<&Path>) -> Option<&Path> {
    output.filter(|path| path.as_os_str() != STDOUT_NAME)
}

/// `-o -`: the report goes to standard output.
pub const STDOUT_NAME: &str = "-";

/// Writes a report as `write` produces it, to the file or to standard output through one
/// buffered lock, without holding the whole text in memory. A closed pipe
/// (`plimsoll … | head`) is not an error.
///
/// A file is never written in place: the report streams into a temporary file in the same
/// directory (so the final rename stays on one filesystem and is atomic), which replaces the
/// target only once the whole report is written and flushed. A run that fails or is killed
/// half-way leaves the previous report as it was, never a truncated one.
pub fn stream_report(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Fatal> {
    match output_file(output) {
        Some(path) => write_atomically(path, write).map_err(|e| {
            Fatal::new(format!(
                "cannot write the report to {}: {e}",
                path.display()
            ))
        }),
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Fatal::new(format!("cannot write the report: {e}"))),
            }
        }
    }
}

/// Writes `path` through a temporary file beside it and a rename (see [`stream_report`]). The
/// temporary file is removed when anything fails.
///
/// Only regular files are replaced. A path that exists and is something else — `/dev/null`, a
/// named pipe, `/dev/stderr` — is written in place: renaming over it would replace a device
/// node with a regular file (as root, `-o /dev/null` would break the machine's `/dev/null`). A
/// symbolic link is followed, so the file it points to is replaced and the link kept. A
/// replaced file keeps its permissions; a new one gets those a new file gets (0666 less the
/// umask), not tempfile's private 0600, so a report is readable as before.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        return out.flush();
    }
    let target = if existing.is_some() {
        std::fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".plimsoll-").suffix(".tmp");
    match &existing {
        Some(meta) => {
            builder.permissions(meta.permissions());
        }
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o666));
            }
        }
    }
    let temp = builder.tempfile_in(dir)?;
    {
        let mut out = std::io::BufWriter::new(temp.as_file());
        write(&mut out)?;
        out.flush()?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `text` to the file (atomically, as [`stream_report`]), or to standard output through
/// one buffered lock. A closed pipe (`plimsoll … | head`) is not an error.
pub fn write_report(output: Option<&Path>, text: &str) -> Result<(), Fatal> {
    stream_report(output, |out| out.write_all(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_that_is_not_a_regular_file_is_written_in_place_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        stream_report(Some(&fifo), |out| out.write_all(b"report through a pipe\n")).unwrap();
        assert_eq!(reader.join().unwrap(), "report through a pipe\n");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            assert!(kind.is_fifo(), "the named pipe was replaced: {kind:?}");
        }
        stream_report(Some(Path::new("/dev/null")), |out| out.write_all(b"x")).unwrap();
        assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_report_keeps_its_permissions_and_its_symbolic_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        stream_report(Some(&link), |out| out.write_all(b"new")).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_failing_render_leaves_the_previous_report_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "the previous report\n").unwrap();
        let result = stream_report(Some(&path), |out| {
            out.write_all(b"{\"half\": ")?;
            Err(std::io::Error::other("the renderer failed half-way"))
        });
        let err = result.unwrap_err();
        assert!(err.message.contains("report.json"), "{err}");
        assert!(err.message.contains("half-way"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the previous report\n"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            vec![std::ffi::OsString::from("report.json")],
            "no temporary file left behind"
        );
    }

    #[test]
    fn a_finished_report_replaces_the_file_with_normal_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.txt");
        std::fs::write(&path, "old and longer than the new one\n").unwrap();
        write_report(Some(&path), "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let fresh = dir.path().join("fresh");
            std::fs::write(&fresh, "").unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(&path), mode(&fresh), "the mode a new file gets");
        }
    }

    #[test]
    fn dash_means_standard_output() {
        assert_eq!(output_file(Some(Path::new("-"))), None);
        assert_eq!(
            output_file(Some(Path::new("r.json"))),
            Some(Path::new("r.json"))
        );
    }
}
