//! Parser directives, after BuildKit's `directives_test.go` and `docs/reference.md`: only at
//! the top, case-insensitive keys, spaces around `=`, each once, unknown keys end the section;
//! the escape directive changes line continuation and escaping; a UTF-8 BOM is dropped.

use plimsoll_core::Pos;
use plimsoll_dockerfile::ast::{Command, CommandLine};
use plimsoll_dockerfile::{parse, Dockerfile};

fn p(src: &str) -> Dockerfile {
    parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn escape_directive_case_insensitive() {
    for src in [
        "#escape=\\\n# key = FOO bar\n\n# smth\nFROM a\n",
        "# EScape=\\\n# KEY = FOO bar\n\n# smth\nFROM a\n",
    ] {
        let df = p(src);
        assert_eq!(df.directives.escape, '\\');
        assert!(df.directives.syntax.is_none());
    }
}

#[test]
fn syntax_and_check_with_positions() {
    let df = p("# syntax = docker/dockerfile:1.7 \n#check=skip=all;error=true\nFROM a\n");
    let syntax = df.directives.syntax.unwrap();
    assert_eq!(syntax.value, "docker/dockerfile:1.7");
    assert_eq!(syntax.span.start, Pos::new(1, 12));
    assert_eq!(syntax.span.end, Pos::new(1, 33));
    assert_eq!(df.directives.check.unwrap().value, "skip=all;error=true");
}

#[test]
fn directives_only_at_the_top() {
    // After an instruction, a blank line or another comment, it is just a comment.
    for src in [
        "FROM a\n# escape=`\nRUN x \\\n y\n",
        "\n# escape=`\nFROM a\nRUN x \\\n y\n",
        "# hello\n# escape=`\nFROM a\nRUN x \\\n y\n",
        "# unknown=1\n# escape=`\nFROM a\nRUN x \\\n y\n",
    ] {
        let df = p(src);
        assert_eq!(df.directives.escape, '\\', "{src:?}");
        assert_eq!(df.instructions.len(), 2, "{src:?}");
    }
}

#[test]
fn repeated_directive_is_an_error() {
    let e = parse("Dockerfile", b"# escape=`\n# escape=\\\nFROM a\n").unwrap_err();
    assert!(
        e.message.contains("only one escape parser directive"),
        "{}",
        e.message
    );
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    let e = parse("Dockerfile", b"# syntax=a\n# SYNTAX=b\nFROM a\n").unwrap_err();
    assert!(e.message.contains("only one syntax"));
}

#[test]
fn invalid_escape_is_an_error() {
    let e = parse("Dockerfile", b"# escape=x\nFROM a\n").unwrap_err();
    assert!(e.message.contains("invalid escape token"), "{}", e.message);
}

#[test]
fn backtick_escape_continues_lines() {
    let df = p("# escape=`\nFROM windows\nRUN dir c:\\ `\n  && echo hi\n");
    assert_eq!(df.directives.escape, '`');
    let Command::Run {
        command: CommandLine::Shell(s),
        ..
    } = &df.instructions[1].command
    else {
        panic!()
    };
    assert_eq!(s.value, "dir c:\\   && echo hi");
}

#[test]
fn bom_is_dropped() {
    let mut src = vec![0xEF, 0xBB, 0xBF];
    src.extend_from_slice(b"# syntax=myfrontend\nFROM busybox\n");
    let df = parse("Dockerfile", &src).unwrap();
    assert_eq!(df.directives.syntax.unwrap().value, "myfrontend");
    assert_eq!(df.instructions[0].span.start, Pos::new(2, 1));
}

#[test]
fn shebang_then_syntax() {
    let df = p("#!/usr/bin/env buildx\n# syntax = dockerfile:experimental\n# escape=`\nFROM busybox\nRUN a \\\n b\n");
    assert_eq!(
        df.directives.syntax.unwrap().value,
        "dockerfile:experimental"
    );
    // BuildKit's parser stops at the shebang line, so the escape directive is not applied.
    assert_eq!(df.directives.escape, '\\');
    assert_eq!(df.instructions.len(), 2);
}
