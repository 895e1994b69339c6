use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn word(src: &str, pairs: &[(&str, &str)]) -> Result<String, LexError> {
    let e = env(pairs);
    Lex::new('\\').process_word(src, &e).map(|p| p.result)
}

#[test]
fn mandatory_vars_like_buildkit() {
    let set = [("VAR", "plain"), ("ARG", "x")];
    let empty = [("VAR", ""), ("ARG", "x")];
    let unset = [("ARG", "x")];
    let no_empty = "${VAR:?message here$ARG}";
    let no_unset = "${VAR?message here$ARG}";
    assert_eq!(word(no_empty, &set).unwrap(), "plain");
    assert!(word(no_empty, &empty)
        .unwrap_err()
        .message
        .contains("message herex"));
    assert!(word(no_empty, &unset)
        .unwrap_err()
        .message
        .contains("message herex"));
    assert_eq!(word(no_unset, &set).unwrap(), "plain");
    assert_eq!(word(no_unset, &empty).unwrap(), "");
    assert!(word(no_unset, &unset)
        .unwrap_err()
        .message
        .contains("message herex"));
}

#[test]
fn records_matches() {
    let e = env(&[("A", "1")]);
    let p = Lex::new('\\').process_word("$A ${B:-x} $A $C", &e).unwrap();
    assert_eq!(p.result, "1 x 1 ");
    assert_eq!(p.matched, vec!["A"]);
    assert_eq!(p.unmatched, vec!["B", "C"]);
}

#[test]
fn skip_unset_keeps_references() {
    let mut lex = Lex::new('\\');
    lex.skip_unset_env = true;
    let p = lex
        .process_word("$A ${B} ${C:-d} ${E/f/g}", &NoEnv)
        .unwrap();
    assert_eq!(p.result, "$A ${B} ${C:-d} ${E/f/g}");
}

#[test]
fn nested_operand_resets_word_buffer_like_buildkit() {
    // BuildKit's shared words buffer: the text before a `${x:-…}` is lost in ProcessWords.
    let words = Lex::new('\\').process_words("ab${x:-c}d", &NoEnv).unwrap();
    assert_eq!(words, vec!["cd"]);
    let p = Lex::new('\\').process_word("ab${x:-c}d", &NoEnv).unwrap();
    assert_eq!(p.result, "abcd");
}

#[test]
fn patterns() {
    let e = [("V", "abcabc")];
    assert_eq!(word("${V#*b}", &e).unwrap(), "cabc");
    assert_eq!(word("${V##*b}", &e).unwrap(), "c");
    assert_eq!(word("${V%b*}", &e).unwrap(), "abca");
    assert_eq!(word("${V%%b*}", &e).unwrap(), "a");
    assert_eq!(word("${V/b/X}", &e).unwrap(), "aXcabc");
    assert_eq!(word("${V//b/X}", &e).unwrap(), "aXcaXc");
    assert!(word("${V:#b}", &e).is_err());
}

#[test]
fn backtick_escape() {
    let p = Lex::new('`').process_word("a`$b c\\d", &NoEnv).unwrap();
    assert_eq!(p.result, "a$b c\\d");
}

#[test]
fn replace_all_empty_matches_like_go() {
    // Go's ReplaceAllString("baaac", "-") for `a*` gives "-b-c-": an empty match right after a
    // match is skipped.
    let e = [("V", "baaac")];
    assert_eq!(word("${V//*/-}", &e).unwrap(), "-");
    let re = regex::Regex::new("a*").unwrap();
    assert_eq!(re.replace_all("baaac", "-"), "-b-c-");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// The shortcut for words with nothing to expand gives exactly what the full lexer gives.
    #[test]
    fn plain_words_match_the_full_lexer(
        word in "[a-zA-Z0-9 \t\n/._:=,@%+\u{a0}\u{3000}é-]{0,40}",
        escape in proptest::sample::select(vec!['\\', '`']),
        skip_quotes: bool,
    ) {
        let mut lex = Lex::new(escape);
        lex.skip_process_quotes = skip_quotes;
        let e = env(&[("A", "1")]);
        if let Some(plain) = lex.process_plain(&word) {
            proptest::prop_assert_eq!(Ok(plain), lex.process_general(&word, &e));
        }
    }
}
