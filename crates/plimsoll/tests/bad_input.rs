//! Bad input never panics and always gets a clear message naming the file (and line where there
//! is one); exit 2 only when nothing at all could be audited.

mod common;

use common::*;
use std::io::Write;

/// Audits one file's bytes and returns the run.
fn audit_bytes(bytes: &[u8]) -> Run {
    let dir = tempdir();
    write(dir.path(), "Dockerfile", bytes);
    plimsoll_in(dir.path(), &["dockerfile", "Dockerfile"])
}

fn assert_rejected(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "expected exit 2: {run:?}");
    assert!(
        run.stderr.contains("Dockerfile:") || run.stderr.contains("Dockerfile "),
        "the message names the file: {}",
        run.stderr
    );
    assert!(
        run.stderr.to_lowercase().contains(needle),
        "expected `{needle}` in: {}",
        run.stderr
    );
}

#[test]
fn binary_file_is_rejected_clearly() {
    let mut bytes = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    let run = audit_bytes(&bytes);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("Dockerfile"), "{}", run.stderr);
}

#[test]
fn invalid_utf8_is_rejected_with_a_line() {
    let run = audit_bytes(b"FROM alpine:3\nRUN echo \xff\xfe broken\n");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("Dockerfile:2"), "{}", run.stderr);
}

#[test]
fn utf16_is_rejected_with_a_hint() {
    let text = "FROM alpine:3\nUSER app\n";
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let run = audit_bytes(&bytes);
    assert_rejected(&run, "utf-16");
}

#[test]
fn unterminated_heredoc_names_the_line() {
    let run = audit_bytes(b"FROM alpine:3\nRUN <<EOF\necho never closed\n");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("Dockerfile:2"), "{}", run.stderr);
    assert!(
        run.stderr.to_lowercase().contains("heredoc"),
        "{}",
        run.stderr
    );
}

#[test]
fn unterminated_json_array_falls_back_to_shell_form_like_buildkit() {
    // BuildKit treats a malformed JSON array as a shell-form command, so this parses.
    let run = audit_bytes(b"FROM alpine:3\nUSER app\nCMD [\"sh\", \"-c\"\n");
    assert_ne!(run.code, 2, "{run:?}");
}

#[test]
fn empty_file_is_rejected() {
    let run = audit_bytes(b"");
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("Dockerfile"), "{}", run.stderr);
}

#[test]
fn missing_file_and_directory_as_file() {
    let dir = tempdir();
    let missing = plimsoll_in(dir.path(), &["dockerfile", "nope/Dockerfile"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("nope/Dockerfile: no such file"),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("nothing could be audited"),
        "{}",
        missing.stderr
    );

    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    let directory = plimsoll_in(dir.path(), &["dockerfile", "sub"]);
    assert_eq!(directory.code, 2);
    assert!(
        directory.stderr.contains("sub: is a directory"),
        "{}",
        directory.stderr
    );
    assert!(
        directory.stderr.contains("plimsoll scan sub"),
        "{}",
        directory.stderr
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let path = write(dir.path(), "Dockerfile", NONROOT);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&path).is_ok() {
        eprintln!("SKIPPED: running as root, permissions are not enforced");
        return;
    }
    let run = plimsoll_in(dir.path(), &["dockerfile", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("permission denied"), "{}", run.stderr);
}

#[test]
fn partial_audit_reports_failures_and_exits_2_unless_allowed() {
    let dir = tempdir();
    let p = dir.path();
    write(p, "good/Dockerfile", NONROOT);
    write(
        p,
        "bad/Dockerfile",
        "FROM alpine:3\nRUN <<EOF\nnever closed\n",
    );
    write(p, "root/Dockerfile", ROOT);

    let run = plimsoll_in(p, &["scan", "good", "--format", "json"]);
    assert_eq!(run.code, 0);
    let failed = plimsoll_in(
        p,
        &[
            "dockerfile",
            "good/Dockerfile",
            "bad/Dockerfile",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        failed.code, 2,
        "a file that cannot be audited fails: {failed:?}"
    );
    assert_eq!(failed.json()["errors"][0]["file"], "bad/Dockerfile");
    let partial = plimsoll_in(
        p,
        &[
            "dockerfile",
            "good/Dockerfile",
            "bad/Dockerfile",
            "--format",
            "json",
            "--allow-partial",
        ],
    );
    assert_eq!(
        partial.code, 0,
        "with --allow-partial the findings decide, not the failed file: {partial:?}"
    );
    let report = partial.json();
    assert_eq!(report["errors"][0]["file"], "bad/Dockerfile");
    assert!(report["errors"][0]["line"].as_u64().is_some());
    assert!(
        partial.stderr.contains("bad/Dockerfile:2"),
        "{}",
        partial.stderr
    );
    assert!(
        partial.stderr.contains("partial audit"),
        "{}",
        partial.stderr
    );

    let failing = plimsoll_in(
        p,
        &[
            "dockerfile",
            "root/Dockerfile",
            "bad/Dockerfile",
            "--allow-partial",
        ],
    );
    assert_eq!(failing.code, 1);
    let scanned = plimsoll_in(p, &["scan", "--fail-on", "never"]);
    assert_eq!(
        scanned.code, 2,
        "a malformed discovered file fails the scan"
    );
    assert!(
        scanned.stdout.contains("bad/Dockerfile"),
        "the report lists the error too"
    );
}

#[test]
fn ten_thousand_line_continuation() {
    let mut text = String::from("FROM alpine:3\nUSER app\nRUN echo start \\\n");
    for i in 0..10_000 {
        text.push_str(&format!("    && echo line{i} \\\n"));
    }
    text.push_str("    && echo end\n");
    let run = audit_bytes(text.as_bytes());
    assert_ne!(run.code, 2, "{}", run.stderr);
}

/// Writes a syntactically valid Dockerfile of at least `size` bytes (one FROM, then RUN lines
/// long enough that 4 MiB stays under the parser's 100,000-instruction limit).
fn write_generated_dockerfile(path: &std::path::Path, size: usize) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(file, "FROM alpine:3\nUSER app").expect("write");
    let line = format!("RUN echo {}\n", "x".repeat(440));
    let mut written = 0usize;
    while written < size {
        file.write_all(line.as_bytes()).expect("write");
        written += line.len();
    }
}

/// A 100 MB "Dockerfile" is refused before it is read, with a message naming the file and the
/// limit, so memory stays bounded; the run exits 2 because nothing could be audited.
#[test]
fn hundred_megabyte_dockerfile_is_refused_clearly() {
    let dir = tempdir();
    write_generated_dockerfile(&dir.path().join("Dockerfile"), 100 * 1024 * 1024);
    let run = plimsoll_in(dir.path(), &["dockerfile", "Dockerfile", "--quiet"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("Dockerfile"), "{}", run.stderr);
    assert!(run.stderr.contains("input limit"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Just under the limit is still audited (a 3.5 MiB generated file).
#[test]
fn large_dockerfile_under_the_limit_is_audited() {
    let dir = tempdir();
    write_generated_dockerfile(&dir.path().join("Dockerfile"), 3 * 1024 * 1024 + 512 * 1024);
    let run = plimsoll_in(dir.path(), &["dockerfile", "Dockerfile", "--quiet"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[test]
fn fuzzish_inputs_never_panic() {
    let cases: &[&[u8]] = &[
        b"\0",
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbfFROM alpine\n",
        b"FROM",
        b"FROM \\\n",
        b"# escape=`\nFROM alpine\nRUN echo `\n",
        b"RUN <<\n",
        b"FROM a\nRUN <<'EOF' <<-\"E2\"\nx\nEOF\n\ty\nE2\n",
        b"FROM a\nCOPY <<EOF\n",
        b"FROM a\nENV\n",
        b"FROM a\nENV A\n",
        b"FROM a\nONBUILD ONBUILD RUN x\n",
        b"FROM a\nHEALTHCHECK --interval=\n",
        b"FROM a\nRUN --mount=type=\n",
        b"FROM ${A:-${B:-${C\n",
        b"\r\n\r\nFROM a\r\nUSER root\r\n",
        b"FROM a\n# plimsoll ignore=\n# hadolint ignore=,,,\nUSER root\n",
        b"\xfe\xff\0F\0R\0O\0M",
    ];
    for case in cases {
        let _ = audit_bytes(case);
    }
}

/// 4 MiB of one-word RUN lines (≈690,000 instructions) took 1.2 GB; past the parser's
/// instruction limit the file is refused with its line and a hint, and nothing else breaks.
#[test]
fn a_dockerfile_of_too_many_instructions_is_refused_with_its_line() {
    let mut text = String::from("FROM alpine:3\n");
    while text.len() < 4 * 1024 * 1024 - 16 {
        text.push_str("RUN a\n");
    }
    let run = audit_bytes(text.as_bytes());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("more than 100000 instructions"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Dockerfile:100001"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
