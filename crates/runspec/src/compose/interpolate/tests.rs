//! compose-go's `template` and `interpolation` test tables, ported, plus our tree walk.

use super::{interpolate, parse_op, substitute, Op, TemplateError};
use crate::yaml::{parse, Limits, Node};

/// `template_test.go`'s `defaults`.
fn defaults(name: &str) -> Option<String> {
    match name {
        "FOO" => Some("first".into()),
        "BAR" => Some(String::new()),
        "JSON" => Some(r#"{"json":2}"#.into()),
        _ => None,
    }
}

fn sub(t: &str) -> Result<String, TemplateError> {
    substitute(t, &defaults, &mut Vec::new(), 0)
}

fn ok(t: &str) -> String {
    sub(t).unwrap_or_else(|e| panic!("{t}: {e:?}"))
}

/// The result and the unset variables warned about.
fn warned(t: &str, vars: &dyn Fn(&str) -> Option<String>) -> (String, Vec<String>) {
    let mut unset = Vec::new();
    let out = substitute(t, vars, &mut unset, 0).expect("substitutes");
    (out, unset)
}

fn required(t: &str) -> (String, String) {
    match sub(t) {
        Err(TemplateError::Required { name, reason }) => (name, reason),
        other => panic!("{t}: expected a required error, got {other:?}"),
    }
}

#[test]
fn escaped() {
    assert_eq!(ok("$${foo}"), "${foo}");
    assert_eq!(ok("$$$FOO"), "$first");
}

#[test]
fn substitute_no_match() {
    assert_eq!(ok("foo"), "foo");
}

#[test]
fn unescaped() {
    for t in ["a $ string", "^REGEX$", "$}", "$", "$1", "cost: 5$"] {
        assert_eq!(ok(t), t);
    }
}

#[test]
fn invalid() {
    for t in [
        "${",
        "${}",
        "${ }",
        "${ foo}",
        "${foo }",
        "${foo!}",
        "${foo:x}",
        "${foo:-x",
        "${foo:-x\n}",
    ] {
        assert_eq!(sub(t), Err(TemplateError::Invalid), "{t}");
    }
}

#[test]
fn non_braced() {
    // docker/compose#8601
    assert_eq!(ok("$FOO-bar"), "first-bar");
    assert_eq!(ok("$FOO_1.x"), ".x");
}

#[test]
fn no_value_no_default() {
    for t in ["This ${missing} var", "This ${BAR} var"] {
        assert_eq!(ok(t), "This  var");
    }
    let (_, unset) = warned("This ${missing} var $missing", &defaults);
    assert_eq!(unset, ["missing", "missing"]);
    let (_, unset) = warned("This ${BAR} var", &defaults);
    assert!(unset.is_empty(), "set but empty is not unset");
}

#[test]
fn value_no_default() {
    for t in ["This $FOO var", "This ${FOO} var"] {
        assert_eq!(ok(t), "This first var");
    }
}

#[test]
fn no_value_with_default() {
    for t in ["ok ${missing:-def}", "ok ${missing-def}"] {
        let (out, unset) = warned(t, &defaults);
        assert_eq!(out, "ok def");
        assert!(unset.is_empty());
    }
}

#[test]
fn lazy_default_does_not_warn() {
    let (out, unset) = warned("${A:+${A},}B", &defaults);
    assert_eq!(out, "B");
    assert!(unset.is_empty());
}

#[test]
fn lazy_default_warns_when_used() {
    let (out, unset) = warned("${A:-${B}}", &defaults);
    assert_eq!(out, "");
    assert_eq!(unset, ["B"]);
}

#[test]
fn lazy_required_message_does_not_warn() {
    let vars = |k: &str| (k == "A").then(|| "value".to_string());
    let (out, unset) = warned("${A?${B}}", &vars);
    assert_eq!(out, "value");
    assert!(unset.is_empty());
}

#[test]
fn soft_and_hard_defaults() {
    assert_eq!(ok("ok ${BAR:-def}"), "ok def");
    assert_eq!(ok("ok ${FOO:-def}"), "ok first");
    assert_eq!(ok("ok ${BAR-def}"), "ok ");
}

#[test]
fn presence_values() {
    assert_eq!(ok("ok ${UNSET_VAR:+presence_value}"), "ok ");
    assert_eq!(ok("ok ${UNSET_VAR+presence_value}"), "ok ");
    assert_eq!(ok("ok ${FOO:+presence_value}"), "ok presence_value");
    assert_eq!(ok("ok ${FOO+presence_value}"), "ok presence_value");
    assert_eq!(ok("ok ${BAR+presence_value}"), "ok presence_value");
    assert_eq!(ok("ok ${BAR:+presence_value}"), "ok ");
}

#[test]
fn non_alphanumeric_default() {
    assert_eq!(ok("ok ${BAR:-/non:-alphanumeric}"), "ok /non:-alphanumeric");
}

#[test]
fn interpolation_external_interference() {
    for (t, want) in [
        ("-ok ${BAR:-defaultValue}", "-ok defaultValue"),
        ("+ok ${UNSET:-${BAR-defaultValue}}", "+ok "),
        ("-ok ${FOO:-defaultValue}", "-ok first"),
        (":-ok ${UNSET-defaultValue}", ":-ok defaultValue"),
        (":-ok ${BAR-defaultValue}", ":-ok "),
        (":?ok ${BAR-defaultValue}", ":?ok "),
        (":?ok ${BAR:-defaultValue}", ":?ok defaultValue"),
        (":+ok ${BAR:-defaultValue}", ":+ok defaultValue"),
        ("+ok ${BAR-defaultValue}", "+ok "),
        ("?ok ${BAR:-defaultValue}", "?ok defaultValue"),
    ] {
        assert_eq!(ok(t), want, "{t}");
    }
}

#[test]
fn defaults_with_nested_expansion() {
    for (t, want) in [
        ("ok ${UNSET_VAR-$FOO}", "ok first"),
        ("ok ${UNSET_VAR-${FOO}}", "ok first"),
        ("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"),
        ("ok ${BAR:-$FOO}", "ok first"),
        ("ok ${BAR:-${FOO}}", "ok first"),
        ("ok ${BAR:-${FOO} ${FOO}}", "ok first first"),
        ("ok ${BAR+$FOO}", "ok first"),
        ("ok ${BAR+$FOO ${FOO:+second}}", "ok first second"),
    ] {
        assert_eq!(ok(t), want, "{t}");
    }
}

#[test]
fn mandatory_variable_errors() {
    for (t, name, reason) in [
        (
            "not ok ${UNSET_VAR:?Mandatory Variable Unset}",
            "UNSET_VAR",
            "Mandatory Variable Unset",
        ),
        (
            "not ok ${BAR:?Mandatory Variable Empty}",
            "BAR",
            "Mandatory Variable Empty",
        ),
        ("not ok ${UNSET_VAR:?}", "UNSET_VAR", ""),
        (
            "not ok ${UNSET_VAR?Mandatory Variable Unset}",
            "UNSET_VAR",
            "Mandatory Variable Unset",
        ),
        ("not ok ${UNSET_VAR?}", "UNSET_VAR", ""),
        // Nested expansion in the message.
        (
            "not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}",
            "UNSET_VAR",
            "Mandatory Variable first",
        ),
        (
            "not ok ${UNSET_VAR?Mandatory Variable ${FOO}}",
            "UNSET_VAR",
            "Mandatory Variable first",
        ),
    ] {
        assert_eq!(required(t), (name.to_string(), reason.to_string()), "{t}");
    }
    assert_eq!(
        super::required_message("UNSET_VAR", "Mandatory Variable Unset"),
        "required variable UNSET_VAR is missing a value: Mandatory Variable Unset"
    );
    assert_eq!(
        super::required_message("UNSET_VAR", ""),
        "required variable UNSET_VAR is missing a value"
    );
}

#[test]
fn defaults_for_mandatory_variables() {
    assert_eq!(ok("ok ${FOO:?err}"), "ok first");
    assert_eq!(ok("ok ${FOO?err}"), "ok first");
    assert_eq!(ok("ok ${BAR?err}"), "ok ");
}

#[test]
fn replacement_func_example() {
    // From TestSubstituteWithReplacementFunc: two substitutions on one line.
    assert_eq!(ok("ok ${SUBDOMAIN:-redis}.${FOO:?}"), "ok redis.first");
}

#[test]
fn precedence() {
    assert_eq!(
        required("${UNSET_VAR?bar-baz}"),
        ("UNSET_VAR".into(), "bar-baz".into())
    );
    assert_eq!(ok("${UNSET_VAR-myerror?msg}"), "myerror?msg");
    assert_eq!(ok("${FOO?bar-baz}"), "first");
    assert_eq!(
        ok("${BAR:-default_value_for_empty_var}"),
        "default_value_for_empty_var"
    );
    assert_eq!(
        ok("${UNSET_VAR-default_value_for_unset_var}"),
        "default_value_for_unset_var"
    );
}

#[test]
fn substitution_function_choice() {
    // compose-go picks the operator that appears first; it is always the one right after the
    // name, which is where we read it.
    for (input, op) in [
        ("VARNAME:?val?ue", Op::RequiredNonEmpty),
        ("VARNAME?val:?ue", Op::Required),
        ("VARNAME?va-lu+e:?e", Op::Required),
        ("VARNAME?va+lu-e:?e", Op::Required),
        ("VARNAME:-value", Op::DefaultIfEmpty),
        ("VARNAME-va:-lu:?e", Op::DefaultIfUnset),
        ("VARNAME-va+lu?e", Op::DefaultIfUnset),
        ("VARNAME-va?lu+e", Op::DefaultIfUnset),
        ("VARNAME:+va:?lu:-e", Op::AltIfNonEmpty),
        ("VARNAME+va:+lue", Op::AltIfSet),
        ("VARNAME+va?lu-e", Op::AltIfSet),
        ("VARNAME+va-lu?e", Op::AltIfSet),
    ] {
        let rest = input.strip_prefix("VARNAME").expect("prefix");
        assert_eq!(parse_op(rest).map(|(o, _)| o), Some(op), "{input}");
    }
}

#[test]
fn curly_braces_in_defaults() {
    for t in [
        r#"ok ${missing:-{"json":1}}"#,
        r#"ok ${missing-{"json":1}}"#,
    ] {
        assert_eq!(ok(t), r#"ok {"json":1}"#);
    }
    for t in [r#"ok ${JSON:-{"json":1}}"#, r#"ok ${JSON-{"json":1}}"#] {
        assert_eq!(ok(t), r#"ok {"json":2}"#);
    }
}

/// `interpolation_test.go`'s `defaults`.
fn interp_defaults(name: &str) -> Option<String> {
    match name {
        "USER" => Some("jenny".into()),
        "FOO" => Some("bar".into()),
        "count" => Some("5".into()),
        "REQUIRED" => Some("true".into()),
        _ => None,
    }
}

#[test]
fn valid_unexistent_interpolation() {
    // TestValidUnexistentInterpolation: FOO and BAR unset.
    let vars = |_: &str| None;
    for (t, want) in [
        ("{{{ ${FOO:-foo_} }}}", Ok("{{{ foo_ }}}")),
        ("{{{ ${FOO:-foo-bar-value} }}}", Ok("{{{ foo-bar-value }}}")),
        ("{{{ ${FOO:-foo?bar?value} }}}", Ok("{{{ foo?bar?value }}}")),
        (
            "{{{ ${FOO:-foo:?bar:?value} }}}",
            Ok("{{{ foo:?bar:?value }}}"),
        ),
        (
            "{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}",
            Ok("{{{ foo DEFAULT_VALUE }}}"),
        ),
        ("{{{ ${BAR} }}}", Ok("{{{  }}}")),
        ("${FOO:-baz} }}}", Ok("baz }}}")),
        ("${FOO-baz} }}}", Ok("baz }}}")),
        ("{{{ ${FOO:?foo_} }}}", Err("foo_")),
        ("{{{ ${FOO:?foo-bar-value} }}}", Err("foo-bar-value")),
        ("{{{ ${FOO:?foo} ${BAR:-DEFAULT_VALUE} }}}", Err("foo")),
        ("${FOO:?foo} ${BAR:?bar}", Err("foo")),
        ("${FOO:?baz} }}}", Err("baz")),
        ("${FOO?baz} }}}", Err("baz")),
        ("${FOO:-${BAR:-${ZOT:-qix}}}", Ok("qix")),
        ("${FOO:-${BAR:-x}_test_${BAR:-y}}", Ok("x_test_y")),
        ("${FOO:-${BAR:-x}_test}", Ok("x_test")),
        ("${FOO:-${BAR:-${ZOT:-x}}_test}", Ok("x_test")),
    ] {
        let got = substitute(t, &vars, &mut Vec::new(), 0);
        match want {
            Ok(w) => assert_eq!(got, Ok(w.to_string()), "{t}"),
            Err(reason) => assert_eq!(
                got,
                Err(TemplateError::Required {
                    name: "FOO".into(),
                    reason: reason.into()
                }),
                "{t}"
            ),
        }
    }
}

#[test]
fn valid_existent_interpolation() {
    let only_foo = |k: &str| (k == "FOO").then(|| "bar".to_string());
    for (t, want) in [
        ("{{{ ${FOO:-foo_} }}}", "{{{ bar }}}"),
        ("{{{ ${FOO:-foo-bar-value} }}}", "{{{ bar }}}"),
        (
            "{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}",
            "{{{ bar DEFAULT_VALUE }}}",
        ),
        ("{{{ ${BAR} }}}", "{{{  }}}"),
        ("${FOO:-baz} }}}", "bar }}}"),
        ("${FOO-baz} }}}", "bar }}}"),
    ] {
        assert_eq!(
            substitute(t, &only_foo, &mut Vec::new(), 0),
            Ok(want.into()),
            "{t}"
        );
    }
    for (t, want) in [
        ("{{{ ${FOO:-foo} ${USER:-bar} }}}", "{{{ bar jenny }}}"),
        ("{{{ ${USER} }}}", "{{{ jenny }}}"),
    ] {
        assert_eq!(
            substitute(t, &interp_defaults, &mut Vec::new(), 0),
            Ok(want.into()),
            "{t}"
        );
    }
}

#[test]
fn nesting_is_bounded() {
    let mut t = String::new();
    for _ in 0..100 {
        t.push_str("${A:-");
    }
    t.push('x');
    t.push_str(&"}".repeat(100));
    assert_eq!(sub(&t), Err(TemplateError::TooDeep));
    // Many substitutions on one line are a loop, not a recursion, and stay linear.
    let long = "${A:-x}".repeat(200_000);
    assert_eq!(ok(&long), "x".repeat(200_000));
}

fn doc(text: &str) -> Node {
    parse("compose.yaml", text, &Limits::default())
        .expect("parses")
        .remove(0)
}

#[test]
fn interpolates_values_not_keys_and_keeps_the_original() {
    // TestInterpolate.
    let mut root = doc(
        "servicea:\n  image: example:${USER}\n  volumes:\n    - $FOO:/target\n  logging:\n    driver: \"${FOO}\"\n    options:\n      user: $USER\n  ${USER}: kept\n",
    );
    let warnings = interpolate(&mut root, &interp_defaults).expect("interpolates");
    assert!(warnings.is_empty());
    let a = root.get("servicea").unwrap();
    let image = a.get("image").unwrap();
    assert_eq!(image.as_str(), Some("example:jenny"));
    assert_eq!(
        image.as_scalar().unwrap().original.as_deref(),
        Some("example:${USER}")
    );
    assert_eq!(
        a.get("volumes").unwrap().as_seq().unwrap()[0].as_str(),
        Some("bar:/target")
    );
    assert_eq!(
        a.get("logging").unwrap().get("driver").unwrap().as_str(),
        Some("bar")
    );
    let user = a
        .get("logging")
        .unwrap()
        .get("options")
        .unwrap()
        .get("user")
        .unwrap();
    assert_eq!(user.as_str(), Some("jenny"));
    // Keys are not interpolated.
    assert_eq!(a.get("${USER}").unwrap().as_str(), Some("kept"));
    // Unchanged scalars keep no original.
    assert_eq!(
        a.get("${USER}").unwrap().as_scalar().unwrap().original,
        None
    );
}

#[test]
fn invalid_interpolation_names_the_path_and_line() {
    // TestInvalidInterpolation.
    let mut root = doc("servicea:\n  image: \"${\"\n");
    let e = interpolate(&mut root, &interp_defaults).unwrap_err();
    assert_eq!(
        e.message,
        "invalid interpolation format for servicea.image: \"${\""
    );
    assert_eq!(e.path, "compose.yaml");
    assert_eq!(e.span.map(|s| s.start.line), Some(2));
    assert!(e.hint.unwrap().contains("$$"));
}

#[test]
fn required_error_names_variable_and_message() {
    let mut root =
        doc("myservice:\n  environment:\n    TESTVAR: ${FOO:?foo_}\n  command: [a, '${X?}']\n");
    let e = interpolate(&mut root, &|_| None).unwrap_err();
    assert_eq!(
        e.message,
        "error while interpolating myservice.environment.TESTVAR: required variable FOO is missing a value: foo_"
    );
    assert_eq!(e.span.map(|s| s.start.line), Some(3));
    let mut root = doc("s:\n  command: [a, '${X?}']\n");
    let e = interpolate(&mut root, &|_| None).unwrap_err();
    assert_eq!(
        e.message,
        "error while interpolating s.command.[]: required variable X is missing a value"
    );
}

#[test]
fn unset_variables_warn_in_document_order() {
    let mut root = doc("a: ${ONE}\nb:\n  - $TWO\n  - ${THREE:-x}\nc: ${FOUR}$FOUR\n");
    let warnings = interpolate(&mut root, &|_| None).expect("interpolates");
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "The \"ONE\" variable is not set. Defaulting to a blank string.",
            "The \"TWO\" variable is not set. Defaulting to a blank string.",
            "The \"FOUR\" variable is not set. Defaulting to a blank string.",
            "The \"FOUR\" variable is not set. Defaulting to a blank string.",
        ]
    );
    assert_eq!(warnings[1].span.map(|s| s.start.line), Some(3));
    assert_eq!(root.get("a").unwrap().as_scalar().unwrap().text, "");
    assert_eq!(
        root.get("a")
            .unwrap()
            .as_scalar()
            .unwrap()
            .original
            .as_deref(),
        Some("${ONE}")
    );
}

#[test]
fn escaped_dollars_change_the_text() {
    let mut root = doc("cmd: echo $$HOME\n");
    interpolate(&mut root, &|_| None).expect("interpolates");
    let cmd = root.get("cmd").unwrap().as_scalar().unwrap();
    assert_eq!(cmd.text, "echo $HOME");
    assert_eq!(cmd.original.as_deref(), Some("echo $$HOME"));
}

/// compose-go's algorithm transcribed literally (regex, greedy match, cut at the first
/// balanced brace, recursion on the rest, operator chosen by first occurrence), to check that
/// the iterative scanner gives the same results.
mod reference {
    use super::TemplateError;
    use regex::Regex;

    fn pattern() -> &'static Regex {
        static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
        RE.get_or_init(|| {
            Regex::new(
            r"\$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|\{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)\}|(?P<invalid>)))",
            )
            .expect("regex")
        })
    }

    type Vars<'a> = &'a dyn Fn(&str) -> Option<String>;

    pub fn substitute(
        t: &str,
        vars: Vars<'_>,
        unset: &mut Vec<String>,
    ) -> Result<String, TemplateError> {
        let re = pattern();
        let mut out = String::new();
        let mut last = 0;
        let mut first_err = None;
        for m in re.find_iter(t) {
            out.push_str(&t[last..m.start()]);
            match replacement(m.as_str(), vars, unset, re) {
                Ok(s) => out.push_str(&s),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
            last = m.end();
        }
        out.push_str(&t[last..]);
        match first_err {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    fn choose(template: &str) -> &'static str {
        let mut seps = [":?", "?", ":-", "-", ":+", "+"];
        seps.sort_by_key(|s| template.find(s).map_or(usize::MAX, |i| i));
        seps[0]
    }

    fn closing(s: &str) -> Option<usize> {
        let b = s.as_bytes();
        let mut open = 0;
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'}' {
                open -= 1;
                if open == 0 {
                    return Some(i);
                }
            }
            if b[i] == b'{' {
                open += 1;
                i += 1;
            }
            i += 1;
        }
        None
    }

    fn replacement(
        substring: &str,
        vars: Vars<'_>,
        unset: &mut Vec<String>,
        re: &Regex,
    ) -> Result<String, TemplateError> {
        let sep = choose(substring);
        let (substring, rest) = match closing(substring) {
            Some(i) => (&substring[..=i], &substring[i + 1..]),
            None => (substring, ""),
        };
        let caps = re.captures(substring).expect("matches again");
        if caps.name("escaped").is_some() {
            return Ok("$".into());
        }
        let (substitution, braced) = match caps.name("named") {
            Some(n) => (n.as_str(), false),
            None => (caps.name("braced").map_or("", |m| m.as_str()), true),
        };
        if substitution.is_empty() {
            return Err(TemplateError::Invalid);
        }
        if braced && substitution.contains(sep) {
            let (name, arg) = substitution.split_once(sep).expect("contains");
            let value = vars(name);
            let value = match sep {
                ":-" | "-" => {
                    if value.is_none() || (sep == ":-" && value.as_deref() == Some("")) {
                        substitute(arg, vars, unset)?
                    } else {
                        value.unwrap_or_default()
                    }
                }
                ":+" | "+" => {
                    if value.is_some() && (sep == "+" || value.as_deref() != Some("")) {
                        substitute(arg, vars, unset)?
                    } else {
                        value.unwrap_or_default()
                    }
                }
                _ => {
                    if value.is_none() || (sep == ":?" && value.as_deref() == Some("")) {
                        let reason = substitute(arg, vars, unset)?;
                        return Err(TemplateError::Required {
                            name: name.into(),
                            reason,
                        });
                    }
                    value.unwrap_or_default()
                }
            };
            return Ok(value + &substitute(rest, vars, unset)?);
        }
        match vars(substitution) {
            Some(v) => Ok(v),
            None => {
                unset.push(substitution.to_string());
                Ok(String::new())
            }
        }
    }
}

mod equivalence {
    use super::*;
    use proptest::prelude::*;

    fn vars(name: &str) -> Option<String> {
        match name {
            "A" => Some("a".into()),
            "B" => Some(String::new()),
            "J" => Some("{j}".into()),
            _ => None,
        }
    }

    #[test]
    fn reference_agrees_on_the_ported_tables() {
        for t in [
            "{{{ ${FOO:-foo_} }}}",
            "${A:+${A},}B",
            "${C:-${B:-x}_test_${B:-y}}",
            "ok ${SUBDOMAIN:-redis}.${A:?}",
            "${A:-{}}x}",
            "${C:-{x}}}",
        ] {
            let mut u1 = Vec::new();
            let mut u2 = Vec::new();
            assert_eq!(
                substitute(t, &vars, &mut u1, 0),
                reference::substitute(t, &vars, &mut u2),
                "{t}"
            );
            assert_eq!(u1, u2, "{t}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]
        #[test]
        fn same_as_compose_go(t in "[${}:+?\\-ABCJx_ \n]{0,24}") {
            let mut u1 = Vec::new();
            let mut u2 = Vec::new();
            let ours = substitute(&t, &vars, &mut u1, 0);
            let theirs = reference::substitute(&t, &vars, &mut u2);
            prop_assert_eq!(&ours, &theirs, "{:?}", t);
            if ours.is_ok() {
                prop_assert_eq!(u1, u2, "{:?}", t);
            }
        }
    }
}
