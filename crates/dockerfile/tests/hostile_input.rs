//! Generated hostile inputs (issue 8): each gives a clear error or a bounded result, never a
//! crash. Nothing here asserts time; the inputs are sized so that a quadratic or exponential
//! regression would make the test visibly slow, and an unbounded recursion would abort it.

use plimsoll_core::config::ImagePolicy;
use plimsoll_dockerfile::analysis::stages::Stages;
use plimsoll_dockerfile::shell::MAX_NESTING;
use plimsoll_dockerfile::{audit, parse};

/// `${a-${a-…x…}}` nested `levels` deep.
fn nested(levels: usize) -> String {
    format!("{}x{}", "${a-".repeat(levels), "}".repeat(levels))
}

#[test]
fn deep_substitution_nesting_is_a_positioned_error_not_a_stack_overflow() {
    // ≈11,000 levels fit on one line under BuildKit's 64 KiB line limit.
    let deep = nested(11_000);
    let cases = [
        ("ENV", format!("FROM alpine\nENV A={deep}\n")),
        ("ARG", format!("FROM alpine\nARG A={deep}\n")),
        ("WORKDIR", format!("FROM alpine\nWORKDIR /{deep}\n")),
        ("FROM", format!("ARG a\nFROM {deep}\n")),
        ("COPY", format!("FROM alpine\nCOPY --chown={deep} a /b\n")),
    ];
    for (keyword, src) in cases {
        let e = parse("Dockerfile", src.as_bytes()).unwrap_err();
        assert_eq!(
            e.message,
            format!("{keyword}: variable substitutions nest more than 32 levels deep (`${{A:-${{B:-…}}}}`)"),
        );
        assert_eq!(e.span.map(|s| s.start.line), Some(2), "{keyword}");
        let hint = e.hint.unwrap_or_default();
        assert!(hint.contains("at most 32 nested"), "{hint}");
    }
    assert_eq!(MAX_NESTING, 32);
}

#[test]
fn nesting_up_to_the_limit_still_expands() {
    let src = format!(
        "FROM scratch\nENV A={}\nENV B=${{A}}\nWORKDIR /${{B}}\n",
        nested(MAX_NESTING)
    );
    let df = parse("Dockerfile", src.as_bytes()).unwrap();
    let e = Stages::new(&df).expand_before(3, "${B}");
    assert_eq!(e, Some(("x".to_string(), true)));
}

#[test]
fn eighty_deep_lines_under_the_size_limit_fail_fast_on_the_first() {
    // 80 lines of 10,000 levels: 4 MB, just under the 4 MiB input limit.
    let line = nested(10_000);
    let mut src = String::from("FROM alpine\n");
    for i in 0..80 {
        src.push_str(&format!("ENV A{i}={line}\n"));
    }
    assert!(src.len() < 4 * 1024 * 1024);
    let e = parse("Dockerfile", src.as_bytes()).unwrap_err();
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    assert!(
        e.message.contains("nest more than 32 levels"),
        "{}",
        e.message
    );
}

#[test]
fn wide_lines_of_bounded_nesting_are_audited() {
    // Many substitutions, each nested up to the limit, kept as written (the base image's
    // config may define `a`): expansion stays linear in the line's length.
    let group = nested(MAX_NESTING - 2);
    let line = group.repeat(60_000 / group.len());
    let mut src = String::from("FROM alpine:3.20\n");
    for i in 0..8 {
        src.push_str(&format!("ENV A{i}={line}\n"));
    }
    src.push_str("RUN echo $A7\n");
    let df = parse("Dockerfile", src.as_bytes()).unwrap();
    let findings = audit(&df, &ImagePolicy::default());
    assert!(findings.iter().all(|f| f.message.len() < 10_000));
}

#[test]
fn empty_mount_from_is_the_build_context_not_an_image() {
    let src = "FROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000\n\
               RUN --mount=type=bind,from=,source=go.sum,target=/src/go.sum true\n";
    let df = parse("Dockerfile", src.as_bytes()).unwrap();
    let findings = audit(&df, &ImagePolicy::default());
    assert!(
        findings
            .iter()
            .all(|f| !f.message.contains("library/:latest")
                && f.location.span.map(|s| s.start.line) != Some(2)),
        "{:#?}",
        findings
            .iter()
            .map(|f| (&f.rule_id, &f.message))
            .collect::<Vec<_>>()
    );
    let Some(plimsoll_dockerfile::ast::Command::Run { mounts, .. }) =
        df.instructions.get(1).map(|i| &i.command)
    else {
        panic!("a RUN");
    };
    assert_eq!(mounts[0].from(), None);
}

#[test]
fn multiplying_references_are_bounded_not_exponential() {
    // Each line multiplies the one before: 1 KB, 5 MB, 100 MB, 2 GB, … if followed.
    let src = format!(
        "FROM scratch\nENV A={}\nENV B={}\nENV C={}\nENV D={}\nRUN echo $D\n",
        "x".repeat(1000),
        "$A".repeat(5000),
        "$B".repeat(20),
        "$C".repeat(20),
    );
    let df = parse("Dockerfile", src.as_bytes()).unwrap();
    let (d, known) = Stages::new(&df).expand_before(5, "$D").expect("in a stage");
    assert!(d.len() < 1 << 20, "{} bytes", d.len());
    assert!(!known, "too large to follow: not a known value");
    let findings = audit(&df, &ImagePolicy::default());
    assert!(findings.iter().all(|f| f.message.len() < 10_000));
}

#[test]
fn one_large_value_copied_on_every_line_stays_within_the_files_budget() {
    // A 240 KB value (under the per-expansion bound) copied by 500 lines would store and
    // copy 120 MB (a 4 MiB file could repeat it 300,000 times); the file's budgets stop following it long before. A few copies are
    // followed as usual.
    let file = |copies: usize| {
        let mut src = format!(
            "FROM scratch\nENV A={}\nENV B=$A$A$A$A\n",
            "x".repeat(60_000)
        );
        for i in 0..copies {
            src.push_str(&format!("ENV X{i}=$B\n"));
        }
        src.push_str("RUN true\n");
        parse("Dockerfile", src.as_bytes()).unwrap()
    };
    let few = file(10);
    let (last, known) = Stages::new(&few)
        .expand_before(13, "$X9")
        .expect("in a stage");
    assert_eq!(last.len(), 240_000);
    assert!(known);
    let many = file(500);
    let (last, known) = Stages::new(&many)
        .expand_before(503, "$X499")
        .expect("in a stage");
    assert!(!known, "past the budget: unknown");
    assert!(last.len() < 1000);
    audit(&many, &ImagePolicy::default());
}

#[test]
fn a_file_of_more_instructions_than_any_buildable_image_is_refused_at_the_first_one_past_the_limit()
{
    use plimsoll_dockerfile::parser::scan::MAX_INSTRUCTIONS;
    // 4 MiB of one-word RUN lines (≈690,000 instructions) cost over a gigabyte before.
    let mut src = String::from("FROM alpine\n");
    for _ in 0..MAX_INSTRUCTIONS * 3 {
        src.push_str("RUN a\n");
    }
    let e = parse("Dockerfile", src.as_bytes()).unwrap_err();
    assert_eq!(
        e.message,
        format!("more than {MAX_INSTRUCTIONS} instructions")
    );
    let line = u32::try_from(MAX_INSTRUCTIONS + 1).unwrap();
    assert_eq!(e.span.map(|s| s.start.line), Some(line));
    assert!(e.hint.unwrap_or_default().contains("125 layers"));

    let mut at_limit = String::from("FROM alpine\n");
    for _ in 1..MAX_INSTRUCTIONS {
        at_limit.push_str("RUN a\n");
    }
    assert!(parse("Dockerfile", at_limit.as_bytes()).is_ok());
}
