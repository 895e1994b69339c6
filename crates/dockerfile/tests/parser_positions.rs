//! Exact source positions: every word keeps the line and column it was written at, also inside
//! line continuations (with comment and empty lines in between), in JSON arrays, flags and
//! key/value pairs; columns count characters, not bytes.

use plimsoll_core::{Pos, Span};
use plimsoll_dockerfile::ast::{Command, CommandLine};
use plimsoll_dockerfile::{parse, Dockerfile};

fn p(src: &str) -> Dockerfile {
    parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

fn span(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
    Span::new(Pos::new(l1, c1), Pos::new(l2, c2))
}

/// The text a span covers (single-line spans), for readable assertions.
fn text(df: &Dockerfile, s: Span) -> String {
    let line = df
        .source
        .lines()
        .nth(s.start.line as usize - 1)
        .unwrap_or("");
    line.chars()
        .skip(s.start.column as usize - 1)
        .take((s.end.column - s.start.column) as usize)
        .collect()
}

#[test]
fn args_inside_continuations() {
    let src = "FROM alpine\nCOPY --chown=app:app \\\n  # a comment\n\n     src/a.txt \\\n\tsrc/b.txt   /dst/\n";
    let df = p(src);
    let copy = &df.instructions[1];
    assert_eq!(copy.span, span(2, 1, 6, 19));
    assert_eq!(copy.keyword_span, span(2, 1, 2, 5));
    assert_eq!(copy.flags[0].span, span(2, 6, 2, 21));
    assert_eq!(copy.flags[0].value.as_deref(), Some("app:app"));
    let Command::Copy(spec) = &copy.command else {
        panic!()
    };
    assert_eq!(spec.sources[0].span, span(5, 6, 5, 15));
    assert_eq!(spec.sources[1].span, span(6, 2, 6, 11));
    assert_eq!(spec.dest.span, span(6, 14, 6, 19));
    assert_eq!(text(&df, spec.dest.span), "/dst/");
    // The comment inside the continuation is kept for pragmas; the empty line is a warning.
    assert_eq!(df.comments[0].value, "a comment");
    assert_eq!(df.comments[0].span, span(3, 3, 3, 14));
    assert_eq!(df.warnings.len(), 1);
    assert!(df.warnings[0].message.contains("Empty continuation line"));
}

#[test]
fn shell_command_spans_lines() {
    let df = p("FROM a\nRUN apt-get update \\\n && apt-get install -y curl\n");
    let Command::Run {
        command: CommandLine::Shell(s),
        ..
    } = &df.instructions[1].command
    else {
        panic!()
    };
    assert_eq!(s.value, "apt-get update  && apt-get install -y curl");
    assert_eq!(s.span, span(2, 5, 3, 28));
}

#[test]
fn json_elements_and_unicode_columns() {
    let df = p("FROM a\nCMD [\"écho\",  \"ça va\"]\nENV KÉY=välue B=\"x y\"\n");
    let Command::Cmd(CommandLine::Exec(parts)) = &df.instructions[1].command else {
        panic!()
    };
    assert_eq!(parts[0].value, "écho");
    assert_eq!(parts[0].span, span(2, 6, 2, 12));
    assert_eq!(parts[1].span, span(2, 15, 2, 22));
    let Command::Env(kvs) = &df.instructions[2].command else {
        panic!()
    };
    assert_eq!(kvs[0].key.span, span(3, 5, 3, 8));
    assert_eq!(kvs[0].value.span, span(3, 9, 3, 14));
    assert_eq!(text(&df, kvs[1].value.span), "\"x y\"");
    assert_eq!(kvs[1].value.value, "x y");
    assert_eq!(kvs[1].raw_value, "\"x y\"");
}

#[test]
fn from_alias_arg_and_user() {
    let df = p("ARG V=1.0\nFROM   golang:${V}   AS   build\nUSER   1000:1000  \n");
    let Command::Arg(a) = &df.instructions[0].command else {
        panic!()
    };
    assert_eq!(a[0].name.span, span(1, 5, 1, 6));
    assert_eq!(a[0].default.as_ref().unwrap().span, span(1, 7, 1, 10));
    let Command::From { image, alias } = &df.instructions[1].command else {
        panic!()
    };
    assert_eq!(image.span, span(2, 8, 2, 19));
    assert_eq!(alias.as_ref().unwrap().span, span(2, 27, 2, 32));
    let Command::User(u) = &df.instructions[2].command else {
        panic!()
    };
    assert_eq!(u.value, "1000:1000");
    assert_eq!(u.span, span(3, 8, 3, 17));
}

#[test]
fn onbuild_inner_positions() {
    let df = p("FROM a\n  onbuild   RUN --mount=type=secret,id=x cat /run/secrets/x\n");
    let ob = &df.instructions[1];
    assert_eq!(ob.keyword_span, span(2, 3, 2, 10));
    let Command::Onbuild(inner) = &ob.command else {
        panic!()
    };
    assert_eq!(inner.keyword_span, span(2, 13, 2, 16));
    assert_eq!(inner.flags[0].span, span(2, 17, 2, 41));
    let Command::Run { mounts, .. } = &inner.command else {
        panic!()
    };
    assert_eq!(mounts[0].kind, "secret");
}

#[test]
fn crlf_lines() {
    let df = p("FROM a\r\nRUN echo \\\r\n  hi\r\n");
    let Command::Run {
        command: CommandLine::Shell(s),
        ..
    } = &df.instructions[1].command
    else {
        panic!()
    };
    assert_eq!(s.value, "echo   hi");
    assert_eq!(s.span, span(2, 5, 3, 5));
    assert_eq!(df.instructions[1].span.end, Pos::new(3, 5));
}
