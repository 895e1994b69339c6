//! Input that is not a well-formed Dockerfile: the parser refuses it with a message that names
//! the line and says what to do, or parses it as BuildKit would, and never panics. Large inputs
//! parse in linear time.

use plimsoll_dockerfile::analysis::stages::Stages;
use plimsoll_dockerfile::ast::{Command, CommandLine};
use plimsoll_dockerfile::parse;
use proptest::prelude::*;

#[test]
fn binary_file() {
    let e = parse("bin", b"\x7fELF\x02\x01\x01\0\0\0\0\0").unwrap_err();
    assert!(e.message.contains("binary file"), "{}", e.message);
    assert!(e.hint.is_some());
    let e = parse("bin", b"FROM a\nRUN x\0y\n").unwrap_err();
    assert!(
        e.message.contains("binary file") && e.message.contains("line 2"),
        "{}",
        e.message
    );
}

#[test]
fn invalid_utf8_names_the_line() {
    let e = parse("latin1", b"FROM a\nLABEL author=\"Ren\xe9\"\n").unwrap_err();
    assert!(
        e.message.contains("invalid UTF-8 at line 2, column 18"),
        "{}",
        e.message
    );
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    assert!(e.hint.as_deref().unwrap_or("").contains("UTF-8"));
}

#[test]
fn utf16_and_utf32_boms() {
    let utf16le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("FROM a\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let e = parse("u16", &utf16le).unwrap_err();
    assert!(e.message.contains("UTF-16 LE"), "{}", e.message);
    assert!(e
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("re-save the file as UTF-8"));
    let utf16be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain("FROM a\n".encode_utf16().flat_map(|u| u.to_be_bytes()))
        .collect();
    assert!(parse("u16", &utf16be)
        .unwrap_err()
        .message
        .contains("UTF-16 BE"));
    assert!(parse("u32", b"\xFF\xFE\0\0F\0\0\0")
        .unwrap_err()
        .message
        .contains("UTF-32 LE"));
    assert!(parse("u32", b"\0\0\xFE\xFF\0\0\0F")
        .unwrap_err()
        .message
        .contains("UTF-32 BE"));
    // UTF-16 without a BOM is caught as binary, with a UTF-16 hint.
    let bare: Vec<u8> = "FROM a\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let e = parse("u16", &bare).unwrap_err();
    assert!(e.hint.as_deref().unwrap_or("").contains("UTF-16"), "{e:?}");
}

#[test]
fn empty_and_comment_only_files() {
    for src in ["", "\n\n", "# just a comment\n", "   \n\t\n# a\n#b"] {
        let e = parse("x", src.as_bytes()).unwrap_err();
        assert!(
            e.message.contains("file with no instructions"),
            "{src:?}: {}",
            e.message
        );
    }
}

#[test]
fn unterminated_json_falls_back_to_shell_form() {
    // BuildKit: not valid JSON, so shell form with the text as written.
    let df = parse("x", b"FROM a\nCMD [\"echo\", \"hi\"\nRUN ['a']\n").unwrap();
    let Command::Cmd(CommandLine::Shell(s)) = &df.instructions[1].command else {
        panic!("{:?}", df.instructions[1].command)
    };
    assert_eq!(s.value, "[\"echo\", \"hi\"");
    assert!(matches!(
        &df.instructions[2].command,
        Command::Run {
            command: CommandLine::Shell(_),
            ..
        }
    ));
    // A valid array of non-strings is an error.
    let e = parse("x", b"FROM a\nCMD [\"a\", [\"b\"]]\n").unwrap_err();
    assert!(
        e.message
            .contains("arrays must be comprised of strings only"),
        "{}",
        e.message
    );
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
}

#[test]
fn instruction_level_errors_like_docker_build() {
    let cases: [(&str, &str); 12] = [
        ("FROM a\nFOO bar\n", "unknown instruction: FOO"),
        ("FROM a\nRUNN x\n", "unknown instruction: RUNN"),
        ("FROM a b\n", "FROM requires either one or three arguments"),
        ("FROM a AS 1x\n", "invalid name for build stage"),
        ("FROM a\nENV PATH\n", "ENV must have two arguments"),
        ("FROM a\nENV A=1 B\n", "can't find = in \"B\""),
        ("FROM a\nCOPY x\n", "COPY requires at least two arguments"),
        ("FROM a\nUSER\n", "USER requires exactly one argument"),
        (
            "FROM a\nSHELL /bin/sh -c\n",
            "SHELL requires the arguments to be in JSON form",
        ),
        ("FROM a\nONBUILD ONBUILD RUN x\n", "Chaining ONBUILD"),
        (
            "FROM a\nHEALTHCHECK CONNECT x\n",
            "Unknown type \"CONNECT\" in HEALTHCHECK",
        ),
        (
            "FROM a\nCOPY a <<EOF\nx\nEOF\n",
            "cannot accept a heredoc as a destination",
        ),
    ];
    for (src, want) in cases {
        let e = parse("x", src.as_bytes()).unwrap_err();
        assert!(e.message.contains(want), "{src:?}: {}", e.message);
        assert!(e.span.is_some(), "{src:?}");
    }
    let e = parse("x", b"FROM a\nRUNN x\n").unwrap_err();
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("did you mean RUN?"),
        "{e:?}"
    );
}

#[test]
fn overlong_line_like_buildkit() {
    let src = format!("FROM a\nLABEL test={}\n", "a".repeat(65536));
    let e = parse("x", src.as_bytes()).unwrap_err();
    assert!(
        e.message.contains("max allowed size of 65535"),
        "{}",
        e.message
    );
    let ok = format!("FROM a\nLABEL t={}\n", "a".repeat(65535 - 8));
    parse("x", ok.as_bytes()).unwrap();
}

#[test]
fn unknown_flags_are_warnings() {
    let df = parse("x", b"FROM a\nCOPY --user=me a b\nRUN --frobnicate x\n").unwrap();
    let msgs: Vec<&str> = df.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].contains("unknown flag --user"));
    assert!(msgs[1].contains("unknown flag --frobnicate"));
}

#[test]
fn known_flag_without_equals_is_an_error_not_a_source() {
    // BuildKit reads flags only as `--name=value`: `777` is not `--chmod`'s value, and the
    // instruction must not be read as copying two sources.
    let e = parse("x", b"FROM a\nCOPY --chmod 777 src /dst\n").unwrap_err();
    assert_eq!(e.message, "missing a value on flag: --chmod");
    assert_eq!(e.span.map(|s| (s.start.line, s.start.column)), Some((2, 6)));
    assert!(
        e.hint.as_deref().unwrap_or("").contains("`--chmod=777`"),
        "{e:?}"
    );
    let cases: [(&str, &str); 4] = [
        (
            "FROM a\nCOPY --link=maybe a b\n",
            "expecting boolean value for flag --link, not: maybe",
        ),
        (
            "FROM a\nCOPY --link= a b\n",
            "missing a value on flag: --link",
        ),
        (
            "FROM a\nCOPY --from=x --from=y a b\n",
            "duplicate flag specified: --from",
        ),
        (
            "FROM a\nRUN --network x\n",
            "missing a value on flag: --network",
        ),
    ];
    for (src, want) in cases {
        let e = parse("x", src.as_bytes()).unwrap_err();
        assert_eq!(e.message, want, "{src:?}");
        assert_eq!(e.span.map(|s| s.start.line), Some(2), "{src:?}");
    }
    parse("x", b"FROM a\nCOPY --chmod=777 --link src /dst\n").unwrap();
}

#[test]
fn run_network_takes_only_buildkit_modes() {
    let e = parse("x", b"FROM a\nRUN --network=fake true\n").unwrap_err();
    assert_eq!(e.message, "invalid network mode \"fake\"");
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    assert!(e.hint.as_deref().unwrap_or("").contains("`none`"), "{e:?}");
    for mode in ["default", "none", "host"] {
        parse(
            "x",
            format!("FROM a\nRUN --network={mode} true\n").as_bytes(),
        )
        .unwrap();
    }
}

#[test]
fn a_file_without_from_is_refused_like_buildkit() {
    let e = parse("x", b"# no base\nRUN make\n").unwrap_err();
    assert_eq!(e.message, "no build stage in current context");
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    assert!(e.hint.as_deref().unwrap_or("").contains("FROM"), "{e:?}");
    let e = parse("x", b"ARG V=1\nENV A=$V\nFROM a\n").unwrap_err();
    assert_eq!(e.message, "no build stage in current context");
    assert_eq!(
        e.span.map(|s| s.start.line),
        Some(2),
        "only ARG may precede FROM"
    );
    let e = parse("x", b"ARG V=1\nARG W\n").unwrap_err();
    assert_eq!(e.message, "dockerfile contains no stages to build");
    assert!(e.hint.is_some());
    parse("x", b"ARG V=1\nFROM a:$V\nRUN true\n").unwrap();
}

#[test]
fn ten_thousand_line_continuation() {
    let mut src = String::from("FROM a\nRUN set -e");
    for i in 0..10_000 {
        src.push_str(&format!(" \\\n  && echo line{i}"));
    }
    src.push('\n');
    let df = parse("x", src.as_bytes()).unwrap();
    assert_eq!(df.instructions.len(), 2);
    assert_eq!(df.instructions[1].span.end.line, 10_002);
    let Command::Run {
        command: CommandLine::Shell(s),
        ..
    } = &df.instructions[1].command
    else {
        panic!()
    };
    assert_eq!(s.span.end.line, 10_002);
    Stages::new(&df);
}

#[test]
fn wide_non_ascii_line() {
    // 3,000 key/value pairs on one 60 KB line of non-ASCII text: positions stay cheap.
    let pairs: Vec<String> = (0..3000).map(|i| format!("é{i}=ü")).collect();
    let src = format!("FROM a\nLABEL {}\n", pairs.join(" "));
    let df = parse("x", src.as_bytes()).unwrap();
    let Command::Label(kvs) = &df.instructions[1].command else {
        panic!()
    };
    assert_eq!(kvs.len(), 3000);
    let last = &kvs[2999];
    assert_eq!(last.key.value, "é2999");
    assert_eq!(
        last.value.span.end.column as usize,
        src.lines().nth(1).unwrap().chars().count() + 1
    );
}

#[test]
fn hundred_megabyte_dockerfile() {
    // ~100 MB: 9,000 RUN lines of ~11 KB (plus an ENV per 100 for the semantic layer) — long
    // lines rather than many, as a Dockerfile may have at most `MAX_INSTRUCTIONS`.
    let filler = "x".repeat(11_000);
    let mut src = String::with_capacity(101 * 1024 * 1024);
    src.push_str("FROM alpine\n");
    for i in 0..9_000u32 {
        if i % 100 == 0 {
            src.push_str(&format!("ENV V{i}=${{V{}}}{i}\n", i.saturating_sub(100)));
        }
        src.push_str("RUN echo ");
        src.push_str(&filler);
        src.push('\n');
    }
    let df = parse("big", src.as_bytes()).unwrap();
    assert_eq!(df.instructions.len(), 9_091);
    let stages = Stages::new(&df);
    assert_eq!(stages.list[0].body.len(), 9_090);
    eprintln!(
        "100 MB Dockerfile: {} bytes, {} instructions",
        src.len(),
        df.instructions.len()
    );
}

/// Dockerfile-ish fragments, to steer random input towards the parser's interesting paths.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("FROM ".to_string()),
        Just("RUN ".to_string()),
        Just("COPY ".to_string()),
        Just("ONBUILD ".to_string()),
        Just("ENV ".to_string()),
        Just("ARG ".to_string()),
        Just("HEALTHCHECK ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(" \\\n".to_string()),
        Just("`\n".to_string()),
        Just("# escape=`\n".to_string()),
        Just("# syntax=x\n".to_string()),
        Just("#".to_string()),
        Just("<<EOF".to_string()),
        Just("<<-'E'".to_string()),
        Just("\nEOF\n".to_string()),
        Just("\tE\n".to_string()),
        Just("[\"a\", \"b\"]".to_string()),
        Just("[\"".to_string()),
        Just("[[".to_string()),
        Just("--mount=type=cache,target=/x ".to_string()),
        Just("--from=".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("${A:-b}".to_string()),
        Just("${A/b/c}".to_string()),
        Just("$".to_string()),
        Just("=".to_string()),
        Just(" AS ".to_string()),
        "[a-z0-9 ./:=-]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(df) = parse("x", &bytes) {
            let stages = Stages::new(&df);
            for i in 0..df.instructions.len() {
                let _ = stages.expand_before(i, "$A ${B:-c}");
            }
        }
    }

    #[test]
    fn never_panics_on_dockerfile_like_text(parts in proptest::collection::vec(fragment(), 0..40)) {
        let src: String = parts.concat();
        let nodes = plimsoll_dockerfile::parser::parse_nodes(src.as_bytes());
        if let Ok(df) = parse("x", src.as_bytes()) {
            prop_assert!(nodes.is_ok());
            let stages = Stages::new(&df);
            for s in 0..stages.list.len() {
                let _ = stages.lineage(s);
            }
            let _ = plimsoll_dockerfile::image_defaults::image_defaults(&df, None);
            for (i, ins) in df.instructions.iter().enumerate() {
                let _ = stages.expand_before(i, &ins.original);
                prop_assert!(ins.span.start <= ins.span.end);
            }
        }
    }
}
