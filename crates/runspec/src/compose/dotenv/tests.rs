//! compose-go's `dotenv` tests (parser_test.go, godotenv_test.go,
//! godotenv_var_expansion_test.go), ported; fixtures inlined from `dotenv/fixtures/`.

use super::{expand_escapes, parse, statement_start};
use crate::compose::Diagnostic;
use std::collections::BTreeMap;

fn none(_: &str) -> Option<String> {
    None
}

fn map(text: &str) -> BTreeMap<String, String> {
    map_with(text, &none)
}

fn map_with(text: &str, vars: &dyn Fn(&str) -> Option<String>) -> BTreeMap<String, String> {
    parse(".env", text, vars)
        .unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
        .into_iter()
        .collect()
}

fn err(text: &str) -> Diagnostic {
    parse(".env", text, &none).expect_err("must fail")
}

fn expect(text: &str, key: &str, value: &str) {
    let env = map(text);
    assert_eq!(
        env.get(key).map(String::as_str),
        Some(value),
        "{text:?} → {env:?}"
    );
}

fn pairs(list: &[(&str, &str)]) -> BTreeMap<String, String> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const PLAIN: &str = "OPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F = \nOPTION_G=\nOPTION_H = my string # Inline comment\n";
const QUOTED: &str = "OPTION_A='1'\nOPTION_B='2'\nOPTION_C=''\nOPTION_D='\\n'\nOPTION_E=\"1\"\nOPTION_F=\"2\"\nOPTION_G=\"\"\nOPTION_H=\"\\n\"\nOPTION_I = \"echo 'asd'\" # Inline comment\nOPTION_J = 'first line\nsecond line\nthird line\nand so on'\nOPTION_K='Let\\'s go!'\nOPTION_Z = \"last value\"\n";
const UNQUOTED: &str = "OPTION_A = \"some quoted phrase\"\nOPTION_B=first one with an unquoted phrase\nOPTION_C = then another one with an unquoted phrase\nOPTION_D = then another one with an unquoted phrase special è char\nOPTION_E = \"then another one quoted phrase\"\n";
const SUBSTITUTIONS: &str = "OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n";
const SUBSTITUTIONS_DEFAULT: &str = "OPTION_A=${OPTION_A:-1}\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n";
const INVALID1: &str =
    "# some comments\nfoo=\"\n  a\n  multine\n  value\n\"\nINVALID LINE\nzot=qix";

#[test]
fn parse_bytes() {
    let input = "\na=b\na[1]=c\na.propertyKey=d\nárvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép\n";
    assert_eq!(
        map(input),
        pairs(&[
            ("a", "b"),
            ("a[1]", "c"),
            ("a.propertyKey", "d"),
            ("árvíztűrő-TÜKÖRFÚRÓGÉP", "ÁRVÍZTŰRŐ-tükörfúrógép"),
        ])
    );
}

#[test]
fn parse_variable() {
    let e = err("%!(EXTRA string)=foo");
    assert_eq!(
        e.message,
        "line 1: unexpected character \"%\" in variable name \"%!(EXTRA string)=foo\""
    );
}

#[test]
fn many_lines_are_linear() {
    let input: Vec<String> = (0..10_000).map(|i| format!("KEY{i}=VALUE{i}")).collect();
    let env = parse(".env", &input.join("\n"), &none).expect("parses");
    assert_eq!(env.len(), 10_000);
    assert_eq!(env[9_999], ("KEY9999".to_string(), "VALUE9999".to_string()));
}

#[test]
fn plain_env() {
    // TestReadPlainEnv (Read also drops keys starting with a digit; compose's loader does not).
    assert_eq!(
        map(PLAIN),
        pairs(&[
            ("OPTION_A", "1"),
            ("OPTION_B", "2"),
            ("OPTION_C", "3"),
            ("OPTION_D", "4"),
            ("OPTION_E", "5"),
            ("456", "ABC"),
            ("OPTION_F", ""),
            ("OPTION_G", ""),
            ("OPTION_H", "my string"),
        ])
    );
}

#[test]
fn simple_parse() {
    assert_eq!(
        map("ONE=1\nTWO='2'\nTHREE = \"3\""),
        pairs(&[("ONE", "1"), ("TWO", "2"), ("THREE", "3")])
    );
}

#[test]
fn exported_and_equals() {
    assert_eq!(
        map("export OPTION_A=2\nexport OPTION_B='\\n'\n"),
        pairs(&[("OPTION_A", "2"), ("OPTION_B", "\\n")])
    );
    assert_eq!(
        map("export OPTION_A='postgres://localhost:5432/database?sslmode=disable'\n\n"),
        pairs(&[(
            "OPTION_A",
            "postgres://localhost:5432/database?sslmode=disable"
        )])
    );
}

#[test]
fn quoted_env() {
    assert_eq!(
        map(QUOTED),
        pairs(&[
            ("OPTION_A", "1"),
            ("OPTION_B", "2"),
            ("OPTION_C", ""),
            ("OPTION_D", "\\n"),
            ("OPTION_E", "1"),
            ("OPTION_F", "2"),
            ("OPTION_G", ""),
            ("OPTION_H", "\n"),
            ("OPTION_I", "echo 'asd'"),
            ("OPTION_J", "first line\nsecond line\nthird line\nand so on"),
            ("OPTION_K", "Let's go!"),
            ("OPTION_Z", "last value"),
        ])
    );
}

#[test]
fn unquoted_env() {
    assert_eq!(
        map(UNQUOTED),
        pairs(&[
            ("OPTION_A", "some quoted phrase"),
            ("OPTION_B", "first one with an unquoted phrase"),
            ("OPTION_C", "then another one with an unquoted phrase"),
            (
                "OPTION_D",
                "then another one with an unquoted phrase special è char"
            ),
            ("OPTION_E", "then another one quoted phrase"),
        ])
    );
}

#[test]
fn substitutions() {
    let want = pairs(&[
        ("OPTION_A", "1"),
        ("OPTION_B", "1"),
        ("OPTION_C", "1"),
        ("OPTION_D", "1_1"),
        ("OPTION_E", ""),
    ]);
    assert_eq!(map(SUBSTITUTIONS), want);
    assert_eq!(map(SUBSTITUTIONS_DEFAULT), want);
}

#[test]
fn substitutions_with_caller_env_precedence() {
    // The caller's environment wins over keys of the file when expanding.
    let os = |k: &str| (k == "OPTION_A").then(|| "5".to_string());
    assert_eq!(
        map_with(SUBSTITUTIONS, &os),
        pairs(&[
            ("OPTION_A", "1"),
            ("OPTION_B", "5"),
            ("OPTION_C", "5"),
            ("OPTION_D", "5_5"),
            ("OPTION_E", ""),
        ])
    );
    assert_eq!(
        map_with(SUBSTITUTIONS_DEFAULT, &os),
        pairs(&[
            ("OPTION_A", "5"),
            ("OPTION_B", "5"),
            ("OPTION_C", "5"),
            ("OPTION_D", "5_5"),
            ("OPTION_E", ""),
        ])
    );
}

#[test]
fn expanding() {
    for (input, want) in [
        (
            "FOO=test\nBAR=$FOO",
            &[("FOO", "test"), ("BAR", "test")][..],
        ),
        (
            "FOO=test\nBAR=${FOO}bar",
            &[("FOO", "test"), ("BAR", "testbar")],
        ),
        ("BAR=$FOO", &[("BAR", "")]),
        (
            "FOO=test\nBAR=\"quote $FOO\"",
            &[("FOO", "test"), ("BAR", "quote test")],
        ),
        ("BAR='quote $FOO'", &[("BAR", "quote $FOO")]),
        (r#"FOO="foo\$BAR""#, &[("FOO", "foo$BAR")]),
        (r#"FOO="foo\${BAR}""#, &[("FOO", "foo${BAR}")]),
        (
            "FOO=test\nBAR=\"foo\\${FOO} ${FOO}\"",
            &[("FOO", "test"), ("BAR", "foo${FOO} test")],
        ),
    ] {
        assert_eq!(map(input), pairs(want), "{input:?}");
    }
}

#[test]
fn variable_string_value_separator() {
    let input = "TEST_URLS=\"stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443\"";
    assert_eq!(
        map(input),
        pairs(&[(
            "TEST_URLS",
            "stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"
        )])
    );
}

#[test]
fn parsing() {
    for (line, key, value) in [
        ("FOO=bar", "FOO", "bar"),
        ("FOO =bar", "FOO", "bar"),
        ("FOO= bar", "FOO", "bar"),
        (r#"FOO="bar""#, "FOO", "bar"),
        ("FOO='bar'", "FOO", "bar"),
        (r#"FOO="escaped\"bar""#, "FOO", r#"escaped"bar"#),
        (r#"FOO="\"quoted\"""#, "FOO", r#""quoted""#),
        (r#"FOO="'d'""#, "FOO", "'d'"),
        ("OPTION_A: 1", "OPTION_A", "1"),
        ("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
        ("OPTION_A=1:B", "OPTION_A", "1:B"),
        ("export OPTION_A=2", "OPTION_A", "2"),
        (r"export OPTION_B='\n'", "OPTION_B", "\\n"),
        ("export exportFoo=2", "exportFoo", "2"),
        ("exportFOO=2", "exportFOO", "2"),
        ("export_FOO =2", "export_FOO", "2"),
        ("export.FOO= 2", "export.FOO", "2"),
        ("export\tOPTION_A=2", "OPTION_A", "2"),
        ("  export OPTION_A=2", "OPTION_A", "2"),
        ("\texport OPTION_A=2", "OPTION_A", "2"),
        (r#"export OPTION_A="export A""#, "OPTION_A", "export A"),
        (r#"FOO="bar\nbaz""#, "FOO", "bar\nbaz"),
        (r"FOO=a\tb", "FOO", r"a\tb"),
        (r#"FOO="a\tb""#, "FOO", "a\tb"),
        (
            r#"KEY="Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\Z\0123Z""#,
            "KEY",
            "Z\u{7}Z\u{8}Z\u{C}Z\nZ\rZ\tZ\u{B}Z\\ZSZ",
        ),
        ("FOO.BAR=foobar", "FOO.BAR", "foobar"),
        ("FOO=foobar=", "FOO", "foobar="),
        ("FOO=bar ", "FOO", "bar"),
        ("FOO=bar # this is foo", "FOO", "bar"),
        ("FOO=bar #this is foo", "FOO", "bar"),
        ("FOO=bar #", "FOO", "bar"),
        (
            "FOO=123#not-an-inline-comment",
            "FOO",
            "123#not-an-inline-comment",
        ),
        (r#"FOO="bar#baz""#, "FOO", "bar#baz"),
        (r##"FOO="bar#baz"#"##, "FOO", "bar#baz"),
        (r#"FOO="bar#baz" # comment"#, "FOO", "bar#baz"),
        ("FOO='bar#baz' # comment", "FOO", "bar#baz"),
        (r#"FOO="bar#baz#bang" # comment"#, "FOO", "bar#baz#bang"),
        (r#"FOO="ba#r""#, "FOO", "ba#r"),
        ("FOO='ba#r'", "FOO", "ba#r"),
        (r#"FOO="bar\n\ b\az""#, "FOO", "bar\n\\ b\u{7}z"),
        (r#"FOO="bar\\\n\ b\az""#, "FOO", "bar\\\n\\ b\u{7}z"),
        (r#"FOO="bar\\r\ b\az""#, "FOO", "bar\\r\\ b\u{7}z"),
        (r#"FOO="bar\nbaz\\""#, "FOO", "bar\nbaz\\"),
        (r#"="value""#, "", "value"),
        (" KEY =value", "KEY", "value"),
        ("   KEY=value", "KEY", "value"),
        ("\tKEY=value", "KEY", "value"),
        (r#"KEY="\0123""#, "KEY", "S"),
        (r#"KEY="\x07""#, "KEY", r"\x07"),
        (r#"KEY="\u12e4""#, "KEY", r"\u12e4"),
        (r#"KEY="\U00101234""#, "KEY", r"\U00101234"),
    ] {
        expect(line, key, value);
    }
    // A badly formatted line is an error.
    let e = err("lol$wut");
    assert!(e.message.contains("unexpected character \"$\""), "{e:?}");
}

#[test]
fn unterminated_quotes() {
    for input in [
        r#"KEY=""#,
        r#"KEY="value"#,
        r#"KEY="value\""#,
        r#"KEY="value'"#,
        "KEY='",
        "KEY='value",
        r"KEY='value\'",
        r#"KEY='value""#,
    ] {
        let e = err(input);
        assert!(
            e.message.contains("unterminated quoted value"),
            "{input}: {e:?}"
        );
    }
    // The line named is where the value opens.
    let e = err("A=1\nB=\"open\nmore\n");
    assert_eq!(e.message, "line 2: unterminated quoted value \"open");
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
}

#[test]
fn lines_to_ignore() {
    for input in ["\n", "\r\n", "\t\t ", "# Comment", "\t # comment"] {
        assert_eq!(statement_start(input, 0), input.len(), "{input:?}");
        assert!(map(input).is_empty());
    }
    let keep = r"export OPTION_B='\n'";
    assert_eq!(statement_start(keep, 0), 0);
}

#[test]
fn error_parsing() {
    let e = err(INVALID1);
    assert_eq!(e.message, "line 7: key cannot contain a space");
    assert_eq!(e.path, ".env");
    assert_eq!(
        e.span,
        Some(plimsoll_core::Span::new(
            plimsoll_core::Pos::new(7, 1),
            plimsoll_core::Pos::new(7, 13)
        ))
    );
}

#[test]
fn inherited_variables() {
    let os =
        |k: &str| (k == "VAR_TO_BE_LOADED_FROM_OS_ENV").then(|| "SOME_RANDOM_VALUE".to_string());
    assert_eq!(
        map_with("foo=bar\nVAR_TO_BE_LOADED_FROM_OS_ENV\nbar=baz\n", &os),
        pairs(&[
            ("VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE"),
            ("foo", "bar"),
            ("bar", "baz"),
        ])
    );
    assert_eq!(
        map_with("VAR_TO_BE_LOADED_FROM_OS_ENV\n", &os),
        pairs(&[("VAR_TO_BE_LOADED_FROM_OS_ENV", "SOME_RANDOM_VALUE")])
    );
    assert!(map("VARIABLE_NOT_FOUND\n").is_empty());
    // An inherited key does not erase an earlier definition.
    assert_eq!(map("A=1\nA\n"), pairs(&[("A", "1")]));
}

#[test]
fn last_line_without_terminator_is_the_empty_keys_value() {
    // compose-go quirk, kept: no `=`, `:` or line feed before the end of the file.
    assert_eq!(map("A=1\nLONELY"), pairs(&[("A", "1"), ("", "LONELY")]));
}

#[test]
fn expanding_environment_with_lookup() {
    let lookup = |k: &str| (k == "ME").then(|| "YES".to_string());
    assert_eq!(map_with("TEST=$ME", &lookup), pairs(&[("TEST", "YES")]));
}

#[test]
fn utf8_bom_and_special_names() {
    let bom = format!("\u{FEFF}{PLAIN}");
    assert_eq!(map(&bom).get("OPTION_A").map(String::as_str), Some("1"));
    assert_eq!(
        map("VAR.WITH.DOTS=dots\nVAR_WITH_UNDERSCORES=underscores\nVAR-WITH-DASHES=dashes\n"),
        pairs(&[
            ("VAR.WITH.DOTS", "dots"),
            ("VAR_WITH_UNDERSCORES", "underscores"),
            ("VAR-WITH-DASHES", "dashes"),
        ])
    );
}

#[test]
fn multiple_files_through_the_caller() {
    // TestMultipleFiles: the caller passes the first file's variables for the second.
    let base = map("\nENV_HOSTNAME=localhost\nENV_MY_URL=\"http://${ENV_HOSTNAME}\"\n");
    assert_eq!(
        base.get("ENV_MY_URL").map(String::as_str),
        Some("http://localhost")
    );
    let over = "\nENV_HOSTNAME=dev.my-company.com\nENV_MY_URL=\"http://${ENV_HOSTNAME}\"\n";
    assert_eq!(
        map(over).get("ENV_MY_URL").map(String::as_str),
        Some("http://dev.my-company.com")
    );
    let os = |k: &str| (k == "ENV_HOSTNAME").then(|| "host.local".to_string());
    assert_eq!(
        map_with(over, &os).get("ENV_MY_URL").map(String::as_str),
        Some("http://host.local")
    );
}

#[test]
fn var_expansion_table() {
    // godotenv_var_expansion_test.go, through a file: EMPTY_VAR and TEST_VAR defined first.
    let head = "EMPTY_VAR=\nTEST_VAR=Test Value\n";
    for (value, want) in [
        ("${UNSET_VAR:-Default Value}", Ok("Default Value")),
        ("${EMPTY_VAR:-Default Value}", Ok("Default Value")),
        ("${TEST_VAR:-Default Value}", Ok("Test Value")),
        ("${UNSET_VAR-Default Value}", Ok("Default Value")),
        ("${EMPTY_VAR-Default Value}", Ok("")),
        ("${TEST_VAR-Default Value}", Ok("Test Value")),
        (
            "${UNSET_VAR:?Test error}",
            Err("required variable UNSET_VAR is missing a value: Test error"),
        ),
        (
            "${EMPTY_VAR:?Test error}",
            Err("required variable EMPTY_VAR is missing a value: Test error"),
        ),
        ("${TEST_VAR:?Default Value}", Ok("Test Value")),
        (
            "${UNSET_VAR?Test error}",
            Err("required variable UNSET_VAR is missing a value: Test error"),
        ),
        ("${EMPTY_VAR?Test error}", Ok("")),
        ("${TEST_VAR?Default Value}", Ok("Test Value")),
    ] {
        let text = format!("{head}RESULT={value}\n");
        match want {
            Ok(w) => assert_eq!(
                map(&text).get("RESULT").map(String::as_str),
                Some(w),
                "{value}"
            ),
            Err(m) => {
                let e = parse(".env", &text, &none).expect_err(value);
                assert_eq!(e.message, format!("line 3: {m}"));
            }
        }
    }
    let e = err("A=\"${\"\n");
    assert!(e.message.starts_with("line 1: Invalid template"), "{e:?}");
}

#[test]
fn escapes() {
    assert_eq!(expand_escapes(r"\$HOME"), "$$HOME");
    assert_eq!(expand_escapes(r"\0"), r"\0");
    assert_eq!(expand_escapes(r"\01"), r"\01");
    assert_eq!(expand_escapes(r"\0999"), r"\0999");
    assert_eq!(expand_escapes(r"\0400"), r"\0400");
    assert_eq!(expand_escapes(r"\0377"), "\u{FF}");
    assert_eq!(expand_escapes(r"\01234"), "S4");
    assert_eq!(expand_escapes(r"\c\q\"), r"\c\q\");
    assert_eq!(expand_escapes(r"\\n"), r"\n");
}

#[test]
fn values_are_returned_in_definition_order_last_value_wins() {
    let env = parse(".env", "B=1\nA=2\nB=3\n", &none).expect("parses");
    assert_eq!(
        env,
        vec![
            ("B".to_string(), "3".to_string()),
            ("A".to_string(), "2".to_string())
        ]
    );
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(s in "[A-Za-z=:#'\"\\\\$ {}\n\t\r0-9é-]{0,60}") {
            let _ = parse(".env", &s, &none);
        }
    }
}
