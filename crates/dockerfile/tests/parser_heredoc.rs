//! Heredoc behaviour, following the cases of BuildKit's `parser_heredoc_test.go`
//! (TestParseExtractsHeredoc, TestParseJSONHeredoc): the same Dockerfile and, per instruction,
//! the heredocs BuildKit extracts. Plus spans and the typed AST's view (chomped content).

use plimsoll_core::Pos;
use plimsoll_dockerfile::ast::{Command, Heredoc};
use plimsoll_dockerfile::parse;
use plimsoll_dockerfile::parser::scan_text;

const DOCKERFILE: &str = r#"
FROM alpine:3.6

ENV NAME=me

RUN ls

USER <<INVALID
INVALID

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN "<<NOHEREDOC"

RUN <<INDENT
	foo
	bar
INDENT

RUN <<-UNINDENT
	baz
	quux
UNINDENT

RUN <<-UNINDENT2
	baz
	quux
	UNINDENT2

RUN <<-EXPAND
	expand $NAME
EXPAND

RUN <<-'NOEXPAND'
	don't expand $NAME
NOEXPAND

RUN <<COPY
echo hello world
echo foo bar
COPY

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<EOF /quotes
"foo"
'bar'
EOF

COPY <<X <<Y /dest
Y
X
X
Y

RUN <<COMPLEX python3
print('hello world')
COMPLEX

COPY <<file.txt /dest
hello world
file.txt

RUN <<eo'f'
echo foo
eof

RUN <<eo\'f
echo foo
eo'f

RUN <<'e'o\'f
echo foo
eo'f

RUN <<'one two'
echo bar
one two

RUN <<$EOF
$EOF

RUN <<  EOF
EOF

RUN <<  EOF  > foo
EOF
	"#;

/// (name, raw content as BuildKit keeps it, expand, chomp, fd)
type Want = (&'static str, &'static str, bool, bool, u32);

fn expected() -> Vec<Vec<Want>> {
    vec![
        vec![],                               // ENV NAME=me
        vec![],                               // RUN ls
        vec![],                               // USER <<INVALID
        vec![],                               // INVALID (an instruction line: USER has no heredocs)
        vec![("EMPTY", "", true, false, 0)],  // RUN <<EMPTY
        vec![("EMPTY2", "", true, false, 3)], // RUN 3<<EMPTY2
        vec![],                               // RUN "<<NOHEREDOC"
        vec![("INDENT", "\tfoo\n\tbar\n", true, false, 0)],
        vec![("UNINDENT", "\tbaz\n\tquux\n", true, true, 0)],
        vec![("UNINDENT2", "\tbaz\n\tquux\n", true, true, 0)],
        vec![("EXPAND", "\texpand $NAME\n", true, true, 0)],
        vec![("NOEXPAND", "\tdon't expand $NAME\n", false, true, 0)],
        vec![("COPY", "echo hello world\necho foo bar\n", true, false, 0)],
        vec![(
            "COMMENT",
            "# internal comment\necho hello world\necho foo bar # trailing comment\n",
            true,
            false,
            0,
        )],
        vec![("MOUNT", "echo hello\n", true, false, 0)],
        vec![
            ("FILE1", "content 1\n", true, false, 0),
            ("FILE2", "content 2\n", true, false, 0),
        ],
        vec![("EOF", "\"foo\"\n'bar'\n", true, false, 0)],
        vec![("X", "Y\n", true, false, 0), ("Y", "X\n", true, false, 0)],
        vec![("COMPLEX", "print('hello world')\n", true, false, 0)],
        vec![("file.txt", "hello world\n", true, false, 0)],
        vec![("eof", "echo foo\n", false, false, 0)],
        vec![("eo'f", "echo foo\n", true, false, 0)],
        vec![("eo'f", "echo foo\n", false, false, 0)],
        vec![("one two", "echo bar\n", false, false, 0)],
        vec![("$EOF", "", true, false, 0)],
        vec![("EOF", "", true, false, 0)],
        vec![("EOF", "", true, false, 0)],
    ]
}

#[test]
fn extracts_heredocs_like_buildkit() {
    let scanned = scan_text(DOCKERFILE).unwrap_or_else(|e| panic!("{e:?}"));
    let want = expected();
    assert_eq!(scanned.instructions.len(), want.len() + 1);
    for (i, w) in want.iter().enumerate() {
        let got: Vec<Want> = scanned.instructions[i + 1]
            .heredocs
            .iter()
            .map(|h| {
                (
                    w.iter().find(|x| x.0 == h.node.name).map_or("?", |x| x.0),
                    w.iter()
                        .find(|x| x.1 == h.node.content)
                        .map_or("?", |x| x.1),
                    h.node.expand,
                    h.node.chomp,
                    h.node.file_descriptor,
                )
            })
            .collect();
        assert_eq!(
            &got,
            w,
            "instruction {} ({})",
            i + 1,
            scanned.instructions[i + 1].line
        );
    }
    eprintln!(
        "heredoc cases: {}/{} instructions match BuildKit",
        want.len(),
        want.len()
    );
}

#[test]
fn typed_heredocs_are_chomped_and_located() {
    // BuildKit's case has a bare `INVALID` line (an unknown instruction `docker build` rejects);
    // make it a valid instruction for the typed parse, keeping the line numbers.
    let src = DOCKERFILE.replace("\nINVALID\n", "\nUSER INVALID\n");
    let df = parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    // RUN <<-UNINDENT is instruction 9 (0-based, after FROM).
    let h: &Heredoc = &df.instructions[9].heredocs[0];
    assert_eq!(h.name, "UNINDENT");
    assert_eq!(h.content, "baz\nquux\n");
    assert!(h.chomp);
    // `RUN <<-UNINDENT` on line 24, body lines 25-26, terminator on line 27.
    assert_eq!(h.span.start, Pos::new(25, 1));
    assert_eq!(h.span.end, Pos::new(27, 9));
    assert_eq!(df.instructions[9].span.start, Pos::new(24, 1));
    assert_eq!(df.instructions[9].span.end, Pos::new(27, 9));
    // COPY <<FILE1 <<FILE2 /dest: heredoc sources are listed as written.
    let Command::Copy(spec) = &df.instructions[16].command else {
        panic!("{:?}", df.instructions[16].command)
    };
    let srcs: Vec<&str> = spec.sources.iter().map(|s| s.value.as_str()).collect();
    assert_eq!(srcs, vec!["<<FILE1", "<<FILE2"]);
    assert_eq!(spec.dest.value, "/dest");
}

#[test]
fn json_form_has_no_heredocs() {
    let src = "\nFROM alpine:3.6\n\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n\t";
    let scanned = scan_text(src).unwrap_or_else(|e| panic!("{e:?}"));
    for i in 1..=3 {
        assert!(scanned.instructions[i].heredocs.is_empty());
    }
}

#[test]
fn onbuild_heredocs_and_escape_directive() {
    let src = "# escape=`\nFROM a\nONBUILD RUN <<EOF\necho `\nEOF\nRUN echo \\\nCOPY <<A <<B /x\na\nA\nb\nB\n";
    let df = parse("Dockerfile", src.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(df.directives.escape, '`');
    let Command::Onbuild(inner) = &df.instructions[1].command else {
        panic!()
    };
    assert_eq!(inner.heredocs[0].content, "echo `\n");
    assert_eq!(df.instructions[1].heredocs.len(), 1);
    // With the backtick escape, a trailing backslash does not continue the line.
    assert_eq!(df.instructions.len(), 4);
    assert_eq!(df.instructions[3].heredocs.len(), 2);
}

#[test]
fn unterminated_heredoc_names_the_line() {
    let e = parse("Dockerfile", b"FROM a\nRUN <<EOF\necho hi\n").unwrap_err();
    assert!(e.message.contains("unterminated heredoc"), "{}", e.message);
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
}

#[test]
fn crlf_heredoc_terminator() {
    let df = parse(
        "Dockerfile",
        b"FROM a\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nUSER x\r\n",
    )
    .unwrap();
    assert_eq!(df.instructions.len(), 3);
    assert_eq!(df.instructions[1].heredocs[0].content, "echo hi\r\n");
}
