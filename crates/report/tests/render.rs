//! Snapshots of all three formats for the fixture report, plus the behaviours a snapshot would
//! not make obvious (colour only on request, suppressed findings hidden, summary wording).

mod fixture;

use plimsoll_report::{human, render, summary_line, Format};

#[test]
fn human_snapshot() {
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Human,
        &fixture::opts(false, false),
    );
    insta::assert_snapshot!("human", out);
}

#[test]
fn human_with_suppressed_snapshot() {
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Human,
        &fixture::opts(false, true),
    );
    insta::assert_snapshot!("human_show_suppressed", out);
}

#[test]
fn human_clean_snapshot() {
    let out = human::render(&fixture::clean(), &fixture::registry(), false);
    insta::assert_snapshot!("human_clean", out);
}

#[test]
fn json_snapshot() {
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Json,
        &fixture::opts(false, false),
    );
    insta::assert_snapshot!("json", out);
}

#[test]
fn sarif_snapshot() {
    let out = render(
        &fixture::report(),
        &fixture::registry(),
        Format::Sarif,
        &fixture::opts(false, false),
    );
    insta::assert_snapshot!("sarif", out);
}

#[test]
fn colour_only_when_asked() {
    let report = fixture::report();
    let registry = fixture::registry();
    let plain = human::render(&report, &registry, false);
    let coloured = human::render(&report, &registry, true);
    assert!(
        !plain.contains('\u{1b}'),
        "plain output has an escape byte:\n{plain}"
    );
    assert!(
        coloured.contains("\u{1b}["),
        "coloured output has no ANSI codes"
    );
    // Severity colours: critical (white on red), high (red), medium (yellow).
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[97m\u{1b}[41mcritical[DF010]"),
        "{coloured:?}"
    );
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[31mhigh[DF001]"),
        "{coloured}"
    );
    assert!(
        coloured.contains("\u{1b}[1m\u{1b}[33mmedium[DF020]"),
        "{coloured}"
    );
    // Escape sequences from the audited input never reach the terminal, coloured or not:
    // every ESC in the coloured output starts one of our own SGR sequences.
    for (i, _) in coloured.match_indices('\u{1b}') {
        assert!(coloured[i..].starts_with("\u{1b}["), "stray escape at {i}");
    }
    assert!(
        !coloured.contains("\u{1b}[31msecret"),
        "input's own colour code leaked"
    );
    // Machine formats never carry colour.
    for format in [Format::Json, Format::Sarif] {
        let out = render(&report, &registry, format, &fixture::opts(true, true));
        assert!(
            !out.contains('\u{1b}'),
            "{format} output has a raw escape byte"
        );
    }
}

#[test]
fn suppressed_findings_are_hidden_unless_asked() {
    let report = fixture::report();
    let registry = fixture::registry();
    let hidden = human::render(&report, &registry, false);
    assert!(!hidden.contains("low[DF030]"));
    assert!(!hidden.contains("suppressed ("));
    let shown = render(
        &report,
        &registry,
        Format::Human,
        &fixture::opts(false, true),
    );
    assert!(shown.contains("low[DF030]"));
    assert!(shown.contains("= suppressed (inline at line 2)"));
    assert!(shown.contains("= suppressed (baseline)"));
}

#[test]
fn summary_line_counts_active_findings() {
    assert_eq!(
        summary_line(&fixture::report()),
        "6 findings (2 critical, 1 high, 2 medium, 1 low, 0 info) in 2 files, 1 container; 2 suppressed; 1 warning; 1 input could not be audited"
    );
    assert_eq!(summary_line(&fixture::clean()), "no findings in 1 file");
}

#[test]
fn renderers_do_not_panic_on_odd_spans() {
    use plimsoll_core::{Finding, Location, Pos, Span};
    let mut report = fixture::clean();
    let odd = [
        Span::new(Pos::new(1, 0), Pos::new(1, 0)),
        Span::new(Pos::new(1, 50), Pos::new(1, 3)),
        Span::new(Pos::new(3, 1), Pos::new(1, 1)),
        Span::new(Pos::new(99, 1), Pos::new(120, 9)),
        Span::new(Pos::new(0, 0), Pos::new(0, 0)),
        Span::new(Pos::new(2, 1), Pos::new(2, 1)),
        Span::new(Pos::new(1, u32::MAX), Pos::new(u32::MAX, u32::MAX)),
    ];
    for span in odd {
        report.findings.push(
            Finding::new(
                &fixture::ROOT,
                Location::with_span("Dockerfile", span),
                "odd",
            )
            .build(),
        );
    }
    let registry = fixture::registry();
    for format in [Format::Human, Format::Json, Format::Sarif] {
        let out = render(&report, &registry, format, &fixture::opts(true, true));
        assert!(out.ends_with('\n'));
    }
}

/// Removes SGR sequences (`ESC [ … m`), the only escapes the renderer writes.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colour_changes_nothing_but_colour() {
    let report = fixture::report();
    let registry = fixture::registry();
    for show_suppressed in [false, true] {
        let plain = render(
            &report,
            &registry,
            Format::Human,
            &fixture::opts(false, show_suppressed),
        );
        let coloured = render(
            &report,
            &registry,
            Format::Human,
            &fixture::opts(true, show_suppressed),
        );
        assert_eq!(strip_sgr(&coloured), plain);
    }
}

#[test]
fn audit_errors_render_safely_for_stderr() {
    let mut error = fixture::report().errors.remove(0);
    error.message = "bad byte \u{1b}]0;pwned\u{7}".into();
    let text = human::audit_error(&error, false);
    assert_eq!(
        text,
        "error: broken/Dockerfile:4:7: bad byte \u{241b}]0;pwned\u{2407}\n  hint: end the heredoc with a line containing only `EOF`\n"
    );
}

/// The streaming renderer the binary uses writes exactly the bytes of the in-memory one, in
/// every format, with and without colour.
#[test]
fn streaming_render_writes_the_same_bytes() {
    let report = fixture::report();
    let registry = fixture::registry();
    for format in Format::ALL {
        for color in [false, true] {
            let opts = fixture::opts(color, false);
            let text = render(&report, &registry, format, &opts);
            let mut streamed = Vec::new();
            plimsoll_report::render_to(&report, &registry, format, &opts, &mut streamed)
                .expect("writing into a Vec cannot fail");
            assert_eq!(
                text.as_bytes(),
                streamed.as_slice(),
                "{format}, color {color}"
            );
        }
    }
}

/// A `docker run` line with 20,000 findings: each diagnostic quotes a window of the one long
/// line (not the whole line), and every finding is rendered. The renderer once re-read the
/// whole line for every finding (O(findings × line length), over a minute for this input).
#[test]
fn many_findings_on_one_long_line_render_each_with_a_window() {
    use plimsoll_core::{Finding, Location, Pos, Span, Target};
    const FLAGS: u32 = 20_000;
    let mut line = String::from("docker run");
    let mut findings = Vec::new();
    for i in 1..=FLAGS {
        let flag = format!(" -p {i}:{i}");
        let start = line.chars().count() as u32 + 2; // 1-based, after the space
        line.push_str(&flag);
        let end = line.chars().count() as u32 + 1;
        findings.push(
            Finding::new(
                &fixture::APT,
                Location::with_span("deploy.sh", Span::new(Pos::new(1, start), Pos::new(1, end))),
                format!("port {i} is published on every interface"),
            )
            .build(),
        );
    }
    line.push_str(" nginx\n");
    let report = plimsoll_core::Report {
        targets: vec![Target {
            path: "deploy.sh".into(),
            kind: "script",
            source: Some(std::sync::Arc::from(line.as_str())),
        }],
        findings,
        ..Default::default()
    };
    let out = human::render(&report, &fixture::registry(), false);
    assert_eq!(out.matches("medium[DF020]").count(), FLAGS as usize);
    // Every quoted line is cut to a window around its flag, never the 200,000-character line.
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 200, "a quoted line is {longest} characters long");
    // The last flag is quoted with its carets under it.
    let tail = &out[out.rfind("medium[DF020]").unwrap_or(0)..];
    let quoted = tail.lines().nth(3).unwrap_or("");
    let carets = tail.lines().nth(4).unwrap_or("");
    let at = carets.find('^').unwrap_or(0);
    let marked: String = quoted.chars().skip(at).take(carets.len() - at).collect();
    assert_eq!(
        marked,
        format!("-p {FLAGS}:{FLAGS}"),
        "\n{quoted}\n{carets}"
    );
    assert!(out
        .ends_with("20000 findings (0 critical, 0 high, 20000 medium, 0 low, 0 info) in 1 file\n"));
}

/// Within a file the most severe findings come first, then by line; files stay in path order.
#[test]
fn human_report_lists_the_most_severe_first_within_each_file() {
    let out = human::render(&fixture::report(), &fixture::registry(), false);
    let headers: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[DF") || l.contains("[IM"))
        .filter(|l| !l.starts_with(' '))
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(
        headers,
        [
            "critical[DF010]", // app/Dockerfile line 7
            "high[DF001]",     // app/Dockerfile line 9
            "medium[DF020]",   // app/Dockerfile line 4
            "low[IM001]",      // container:abc123
            "critical[DF010]", // svc/my app/Dockerfile line 2
            "medium[DF020]",   // svc/my app/Dockerfile line 3
        ]
    );
}

/// The summary says what was audited: containers, daemons and hosts are not "0 files".
#[test]
fn summary_names_what_was_audited() {
    use plimsoll_core::{Report, Target};
    let target = |path: &str, kind: &'static str| Target {
        path: path.into(),
        kind,
        source: None,
    };
    let live = Report {
        targets: vec![
            target("container:web", "container"),
            target("container:db", "container"),
            target("container:cache", "container"),
        ],
        ..Default::default()
    };
    assert_eq!(summary_line(&live), "no findings in 3 containers");
    let host = Report {
        targets: vec![target("daemon", "daemon"), target("host", "host")],
        ..Default::default()
    };
    assert_eq!(summary_line(&host), "no findings in 1 daemon, 1 host");
    // The files and settings a host audit checked are part of the host, not more targets.
    let mut checked = host.clone();
    for path in ["/etc/docker/daemon.json", "daemon:info", "/var/lib/docker"] {
        checked.findings.push(
            plimsoll_core::Finding::new(
                &fixture::ROOT,
                plimsoll_core::Location::file(path),
                "checked",
            )
            .build(),
        );
    }
    assert!(
        summary_line(&checked).ends_with(" in 1 daemon, 1 host"),
        "{}",
        summary_line(&checked)
    );
    let mixed = Report {
        targets: vec![
            target("Dockerfile", "dockerfile"),
            target("compose.yaml", "compose"),
            target("<command-line>", "command"),
        ],
        ..Default::default()
    };
    assert_eq!(
        summary_line(&mixed),
        "no findings in 2 files, 1 command line"
    );
    assert_eq!(summary_line(&Report::default()), "no findings in 0 files");
}
