use super::*;
use crate::ast::{Command, CommandLine, Keyword};

fn p(src: &str) -> Dockerfile {
    parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn basic_file() {
    let df = p("# syntax=docker/dockerfile:1\nFROM alpine:3.20 AS base\nRUN --mount=type=cache,target=/var/cache/apk \\\n    apk add curl\nUSER app\n");
    assert_eq!(
        df.directives.syntax.as_ref().unwrap().value,
        "docker/dockerfile:1"
    );
    assert_eq!(df.instructions.len(), 3);
    let run = &df.instructions[1];
    assert_eq!(run.keyword, Keyword::Run);
    let Command::Run { command, mounts } = &run.command else {
        panic!()
    };
    assert_eq!(mounts[0].kind, "cache");
    let CommandLine::Shell(s) = command else {
        panic!()
    };
    assert_eq!(s.value, "apk add curl");
    assert_eq!(s.span.start, Pos::new(4, 5));
    assert_eq!(s.span.end, Pos::new(4, 17));
    assert_eq!(run.span.start, Pos::new(3, 1));
    assert_eq!(run.span.end, Pos::new(4, 17));
}
