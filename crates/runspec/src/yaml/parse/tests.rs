use super::{parse, Limits, YamlError};
use crate::yaml::{Node, NodeKind, ScalarStyle};
use plimsoll_core::{Pos, Span};

fn one(text: &str) -> Node {
    let mut docs = parse("t.yaml", text, &Limits::default()).expect("parses");
    assert_eq!(docs.len(), 1, "one document");
    docs.remove(0)
}

fn err(text: &str) -> YamlError {
    parse("t.yaml", text, &Limits::default()).expect_err("must fail")
}

fn sp(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
    Span::new(Pos::new(l1, c1), Pos::new(l2, c2))
}

fn key<'a>(node: &'a Node, k: &str) -> &'a Node {
    node.as_map()
        .expect("map")
        .iter()
        .find(|(key, _)| key.as_str() == Some(k))
        .map(|(key, _)| key)
        .expect("key present")
}

fn keys(node: &Node) -> Vec<&str> {
    node.as_map()
        .expect("map")
        .iter()
        .map(|(k, _)| k.as_str().unwrap_or("?"))
        .collect()
}

#[test]
fn empty_and_comment_only_files_have_no_document() {
    assert!(parse("t", "", &Limits::default()).unwrap().is_empty());
    assert!(parse("t", "# nothing\n\n", &Limits::default())
        .unwrap()
        .is_empty());
}

#[test]
fn several_documents() {
    let docs = parse("t", "a: 1\n---\nb: 2\n---\n", &Limits::default()).unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].get("a").and_then(Node::as_i64), Some(1));
    assert_eq!(docs[1].get("b").and_then(Node::as_i64), Some(2));
    assert!(docs[2].is_null());
}

#[test]
fn file_and_spans_of_a_simple_mapping() {
    let root = one("a: b\nlonger: 'q x'\n");
    assert_eq!(&*root.file, "t.yaml");
    assert_eq!(root.span, sp(1, 1, 2, 14));
    assert_eq!(key(&root, "a").span, sp(1, 1, 1, 2));
    assert_eq!(root.get("a").unwrap().span, sp(1, 4, 1, 5));
    // Quotes are part of the span, not of the text.
    let q = root.get("longer").unwrap();
    assert_eq!(q.span, sp(2, 9, 2, 14));
    assert_eq!(q.as_scalar().unwrap().text, "q x");
    assert_eq!(q.as_scalar().unwrap().style, ScalarStyle::SingleQuoted);
    assert_eq!(q.as_scalar().unwrap().original, None);
}

#[test]
fn columns_count_characters_not_bytes() {
    let root = one("é: \"ü\" # ç\nb: c\n");
    assert_eq!(key(&root, "é").span, sp(1, 1, 1, 2));
    assert_eq!(root.get("é").unwrap().span, sp(1, 4, 1, 7));
    assert_eq!(root.get("b").unwrap().span, sp(2, 4, 2, 5));
}

#[test]
fn quoted_scalars_end_at_their_closing_quote() {
    let root = one("a: \"x\\\"y\"  # c\nb: 'it''s'   # z\nc: [ \"q\"  , x  ]\n");
    assert_eq!(root.get("a").unwrap().as_str(), Some("x\"y"));
    assert_eq!(root.get("a").unwrap().span, sp(1, 4, 1, 10));
    assert_eq!(root.get("b").unwrap().span, sp(2, 4, 2, 11));
    let c = root.get("c").unwrap();
    assert_eq!(c.as_seq().unwrap()[0].span, sp(3, 6, 3, 9));
    assert_eq!(c.span, sp(3, 4, 3, 17));
}

#[test]
fn saphyr_flow_recursion_limit_is_an_error_too() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = err(&deep);
    assert!(
        e.message.contains("64 levels") || e.message.contains("recursion"),
        "{e}"
    );
}

#[test]
fn crlf_line_endings_count_one_line() {
    let root = one("a: 1\r\nb:\r\n  - x\r\n");
    assert_eq!(
        root.get("b").unwrap().as_seq().unwrap()[0].span,
        sp(3, 5, 3, 6)
    );
}

#[test]
fn multi_line_plain_and_quoted_scalars() {
    let root = one("a: one\n  two\nb: \"x\n  y\"\n");
    let a = root.get("a").unwrap();
    assert_eq!(a.as_str(), Some("one two"));
    assert_eq!(a.span, sp(1, 4, 2, 6));
    let b = root.get("b").unwrap();
    assert_eq!(b.as_str(), Some("x y"));
    assert_eq!(b.span, sp(3, 4, 4, 5));
}

#[test]
fn block_scalars_span_from_header_to_last_character() {
    let root = one("a: |\n  line1\n  line2\n\n\nb: >-\n  folded\n  text\n# c\nc: 1\n");
    let a = root.get("a").unwrap();
    assert_eq!(a.as_str(), Some("line1\nline2\n"));
    assert_eq!(a.as_scalar().unwrap().style, ScalarStyle::Literal);
    assert_eq!(a.span, sp(1, 4, 3, 8));
    let b = root.get("b").unwrap();
    assert_eq!(b.as_str(), Some("folded text"));
    assert_eq!(b.as_scalar().unwrap().style, ScalarStyle::Folded);
    assert_eq!(b.span, sp(6, 4, 8, 7));
    // In a sequence, and after properties.
    let root = one("s:\n  - |\n    x\n  - &k !t |\n    y\n");
    let s = root.get("s").unwrap().as_seq().unwrap();
    assert_eq!(s[0].span, sp(2, 5, 3, 6));
    assert_eq!(s[1].span, sp(4, 11, 5, 6));
    assert_eq!(s[1].tag.as_deref(), Some("!t"));
}

#[test]
fn collections_span_first_to_last_character() {
    let root = one("x:\n  k: v\n  l:\n    - 1\n    - 2\n\n# trailing\ny: [a, {b: c}]\n");
    let x = root.get("x").unwrap();
    assert_eq!(x.span, sp(2, 3, 5, 8));
    assert_eq!(x.get("l").unwrap().span, sp(4, 5, 5, 8));
    let y = root.get("y").unwrap();
    assert_eq!(y.span, sp(8, 4, 8, 15));
    assert_eq!(y.as_seq().unwrap()[1].span, sp(8, 8, 8, 14));
    // An anchored collection starts at its content, not at the anchor.
    let root = one("base: &b\n  k: v\nf: &l [1]\n");
    assert_eq!(root.get("base").unwrap().span, sp(2, 3, 2, 7));
    assert_eq!(root.get("f").unwrap().span, sp(3, 7, 3, 10));
}

#[test]
fn empty_values_are_null_with_an_empty_span() {
    let root = one("a:\nb: ~\nc: ''\n");
    let a = root.get("a").unwrap();
    assert!(a.is_null());
    assert_eq!(a.span.start, a.span.end);
    assert!(root.get("b").unwrap().is_null());
    assert!(!root.get("c").unwrap().is_null());
}

#[test]
fn tags_are_kept_as_written() {
    let root = one(
        "a: !reset []\nb: !override\n  k: v\nc: !!str 1\nd: !reset\ne: !<tag:yaml.org,2002:str> x\nf: ! y\n",
    );
    assert_eq!(root.get("a").unwrap().tag.as_deref(), Some("!reset"));
    assert_eq!(root.get("a").unwrap().as_seq().map(<[Node]>::len), Some(0));
    assert_eq!(root.get("b").unwrap().tag.as_deref(), Some("!override"));
    let c = root.get("c").unwrap();
    assert_eq!(c.tag.as_deref(), Some("!!str"));
    assert_eq!(c.span, sp(4, 10, 4, 11));
    let d = root.get("d").unwrap();
    assert_eq!(d.tag.as_deref(), Some("!reset"));
    assert!(d.is_null());
    // The tag is all there is of an empty tagged value: point at it.
    assert_eq!(d.span, sp(5, 4, 5, 10));
    assert_eq!(root.get("e").unwrap().tag.as_deref(), Some("!!str"));
    assert_eq!(root.get("f").unwrap().tag.as_deref(), Some("!"));
}

#[test]
fn aliases_are_deep_copies_with_the_original_spans() {
    let root = one("x-env: &env\n  A: 1\n  B: [2]\ns:\n  one: *env\n  two: *env\n");
    let orig = root.get("x-env").unwrap();
    let one_ = root.get("s").unwrap().get("one").unwrap();
    let two = root.get("s").unwrap().get("two").unwrap();
    assert_eq!(one_, orig);
    assert_eq!(two, orig);
    assert_eq!(two.span, sp(2, 3, 3, 9));
    // Scalar anchors too, and the latest definition of a reused name wins.
    let root = one("a: &v first\nb: *v\nc: &v second\nd: *v\n");
    assert_eq!(root.get("b").unwrap().as_str(), Some("first"));
    assert_eq!(root.get("d").unwrap().as_str(), Some("second"));
}

#[test]
fn anchors_do_not_cross_documents() {
    let e = parse("t", "a: &x 1\n---\nb: *x\n", &Limits::default()).unwrap_err();
    assert!(e.message.contains("unknown anchor"), "{e}");
    assert_eq!(e.span.unwrap().start.line, 3);
}

#[test]
fn recursive_anchor_is_an_error_not_a_hang() {
    let e = err("a: &a [1, *a]\n");
    assert!(e.message.contains("recursive"), "{e}");
    assert!(e.message.contains("*a"), "{e}");
    assert_eq!(e.span, Some(sp(1, 11, 1, 13)));
    let e = err("a: &m\n  k: *m\n");
    assert!(e.message.contains("recursive"), "{e}");
}

fn billion_laughs(levels: usize) -> String {
    let mut s = String::from("a0: &a0 [\"lol\"]\n");
    for i in 1..levels {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
        ));
    }
    s
}

#[test]
fn billion_laughs_fails_fast() {
    let started = std::time::Instant::now();
    let e = err(&billion_laughs(10));
    assert!(e.message.contains("max_nodes"), "{e}");
    assert!(e.hint.as_deref().unwrap_or("").contains("billion laughs"));
    assert!(e.span.is_some());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    // A smaller budget fails earlier still.
    let small = Limits {
        max_nodes: 1000,
        ..Limits::default()
    };
    let e = parse("t", &billion_laughs(5), &small).unwrap_err();
    assert!(e.message.contains("1000 nodes"), "{e}");
}

#[test]
fn alias_text_is_budgeted() {
    let long = "x".repeat(100_000);
    let mut s = format!("a: &a \"{long}\"\nb: [");
    for _ in 0..1000 {
        s.push_str("*a, ");
    }
    s.push_str("]\n");
    let e = err(&s);
    assert!(e.message.contains("max_text_bytes"), "{e}");
}

#[test]
fn depth_is_limited_before_recursing() {
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let e = err(&deep);
    assert!(e.message.contains("64 levels"), "{e}");
    assert_eq!(e.span.unwrap().start, Pos::new(1, 65));
    let mut block = String::new();
    for i in 0..70 {
        block.push_str(&" ".repeat(i * 2));
        block.push_str("k:\n");
    }
    let e = err(&block);
    assert!(e.message.contains("max_depth"), "{e}");
    // 64 levels exactly are fine.
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    one(&ok);
}

#[test]
fn alias_copies_count_for_depth() {
    let mut s = String::from("a: &a ");
    s.push_str(&"[".repeat(40));
    s.push_str(&"]".repeat(40));
    s.push('\n');
    s.push_str("b: ");
    s.push_str(&"[".repeat(30));
    s.push_str("*a");
    s.push_str(&"]".repeat(30));
    s.push('\n');
    let e = err(&s);
    assert!(e.message.contains("max_depth"), "{e}");
}

#[test]
fn file_size_is_limited() {
    let limits = Limits {
        max_bytes: 10,
        ..Limits::default()
    };
    let e = parse("big.yaml", "a: 0123456789\n", &limits).unwrap_err();
    assert!(e.message.contains("max_bytes"), "{e}");
    assert_eq!(e.path, "big.yaml");
    assert_eq!(e.span, None);
}

#[test]
fn merge_key_single_map() {
    let root = one("base: &b\n  image: x\n  user: root\nsvc:\n  <<: *b\n  user: app\n");
    let svc = root.get("svc").unwrap();
    assert_eq!(keys(svc), ["image", "user"]);
    assert_eq!(svc.get("user").unwrap().as_str(), Some("app"));
    assert_eq!(svc.get("image").unwrap().as_str(), Some("x"));
    // The merged key and value are placed where this mapping merges them (`<<: *b`), not
    // in the anchor every user of it shares.
    assert_eq!(svc.get("image").unwrap().span, sp(5, 3, 5, 9));
    let (key, _) = svc.as_map().and_then(|m| m.first()).expect("merged key");
    assert_eq!(key.span, sp(5, 3, 5, 9));
    // The anchored original itself keeps its own span.
    let base = root.get("base").unwrap();
    assert_eq!(base.get("image").unwrap().span, sp(2, 10, 2, 11));
}

#[test]
fn merge_key_written_after_keys_does_not_override_them() {
    let root = one("b: &b {k: merged, m: 1}\nsvc:\n  k: own\n  <<: *b\n");
    let svc = root.get("svc").unwrap();
    assert_eq!(keys(svc), ["k", "m"]);
    assert_eq!(svc.get("k").unwrap().as_str(), Some("own"));
}

#[test]
fn merge_key_list_earlier_wins() {
    let root = one(
        "a: &a {x: from-a, y: a}\nb: &b {x: from-b, z: b}\nsvc:\n  <<: [*a, *b, {w: inline, x: inline}]\n  own: 1\n",
    );
    let svc = root.get("svc").unwrap();
    assert_eq!(keys(svc), ["x", "y", "z", "w", "own"]);
    assert_eq!(svc.get("x").unwrap().as_str(), Some("from-a"));
}

#[test]
fn merge_key_inline_map_and_tagged() {
    let root = one("svc:\n  <<: {a: 1}\n  b: 2\nt:\n  !!merge <<: {c: 3}\n");
    assert_eq!(keys(root.get("svc").unwrap()), ["a", "b"]);
    assert_eq!(keys(root.get("t").unwrap()), ["c"]);
}

#[test]
fn quoted_merge_key_is_a_plain_key() {
    let root = one("svc:\n  \"<<\": {a: 1}\n");
    assert_eq!(keys(root.get("svc").unwrap()), ["<<"]);
}

#[test]
fn nested_merges_resolve() {
    let root = one("a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n");
    let c = root.get("c").unwrap();
    assert_eq!(keys(c), ["x", "y", "z"]);
}

#[test]
fn merge_of_a_non_map_is_an_error() {
    let e = err("a: &s [1]\nb:\n  <<: *s\n");
    assert!(
        e.message
            .contains("map merge requires map or sequence of maps"),
        "{e}"
    );
    let e = err("b:\n  <<: [{a: 1}, 2]\n");
    assert!(e.message.contains("not a number"), "{e}");
    assert_eq!(e.span, Some(sp(2, 16, 2, 17)));
    let e = err("b:\n  <<:\n");
    assert!(e.message.contains("map merge"), "{e}");
}

#[test]
fn duplicate_keys_are_errors() {
    let e = err("services:\n  web:\n    image: a\n    image: b\n");
    assert_eq!(e.message, "mapping key \"image\" already defined at line 3");
    assert_eq!(e.span, Some(sp(4, 5, 4, 10)));
    // Style does not matter: yaml.v3 compares the values.
    let e = err("a: 1\n'a': 2\n");
    assert!(e.message.contains("already defined at line 1"), "{e}");
    // Two merge keys are two `<<` keys.
    let e = err("x: &x {a: 1}\ny:\n  <<: *x\n  <<: *x\n");
    assert!(e.message.contains("\"<<\" already defined"), "{e}");
    // Same key in different mappings is fine.
    one("a: {k: 1}\nb: {k: 2}\n");
}

#[test]
fn merged_keys_are_not_duplicates() {
    let root = one("x: &x {a: 1, b: 2}\ny:\n  a: 0\n  <<: *x\n");
    assert_eq!(root.get("y").unwrap().get("a").unwrap().as_i64(), Some(0));
}

#[test]
fn syntax_errors_have_position_and_message() {
    let e = err("a: [1, 2\nb: c\n");
    assert!(e.message.starts_with("invalid YAML: "), "{e}");
    assert_eq!(e.span.unwrap().start, Pos::new(2, 2));
    assert!(e.hint.is_some());
    assert!(e.to_string().starts_with("t.yaml:2:2: invalid YAML"), "{e}");
    let e = err("a: b: c\n");
    assert!(e.message.contains("mapping values are not allowed"), "{e}");
    assert_eq!(e.span.unwrap().start, Pos::new(1, 5));
    let e = err("a:\n\tb: 1\n");
    assert_eq!(e.span.unwrap().start.line, 2);
    let e = err("a: *nope\n");
    assert!(e.message.contains("unknown anchor"), "{e}");
    assert!(e.message.contains("`*nope`"), "names the alias: {e}");
    let e = err("a: [1, *gone]\n");
    assert!(e.message.contains("`*gone`"), "names the alias: {e}");
}

#[test]
fn sequences_of_mappings_and_nulls() {
    let root = one("- a: 1\n  b: 2\n-\n- [x, y: z]\n");
    let s = root.as_seq().unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(keys(&s[0]), ["a", "b"]);
    assert!(s[1].is_null());
    let flow = s[2].as_seq().unwrap();
    assert_eq!(flow[1].get("y").unwrap().as_str(), Some("z"));
    assert!(matches!(root.kind, NodeKind::Seq(_)));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn never_panics(s in "[a-c:\\-?&*!|>\\[\\]{},'\"#<% \n\t\r\\\\é]{0,60}") {
            let _ = parse("f", &s, &Limits::default());
        }

        #[test]
        fn spans_stay_inside_the_text(s in "[a-b:\\- \n&*\\[\\]]{0,40}") {
            if let Ok(docs) = parse("f", &s, &Limits::default()) {
                let lines = u32::try_from(s.split('\n').count()).unwrap_or(u32::MAX);
                for d in &docs {
                    let mut stack = vec![d];
                    while let Some(n) = stack.pop() {
                        prop_assert!(n.span.start <= n.span.end, "{:?}", n.span);
                        prop_assert!(n.span.end.line <= lines + 1);
                        match &n.kind {
                            NodeKind::Seq(items) => stack.extend(items.iter()),
                            NodeKind::Map(e) => stack.extend(e.iter().flat_map(|(k, v)| [k, v])),
                            NodeKind::Scalar(_) => {}
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn closing_bracket_under_its_key_is_accepted_like_libyaml() {
    // docker compose (Go yaml.v3, from libyaml) accepts this; saphyr alone does not.
    let text =
        "services:\n  a:\n    command: [\n      \"run\",\n      \"x\",\n    ]\n    image: i\n";
    let root = one(text);
    let a = root.get("services").unwrap().get("a").unwrap();
    let cmd = a.get("command").unwrap();
    assert_eq!(cmd.as_seq().unwrap().len(), 2);
    // Positions are those of the file as written, the `]` included.
    assert_eq!(cmd.span, sp(3, 14, 6, 6));
    assert_eq!(a.get("image").unwrap().span, sp(7, 12, 7, 13));
    // Flow mappings, nested, and entries under the key too.
    let root = one("k:\n  v: {\n  a: 1,\n  b: [\n  2\n  ]\n  }\n  w: 3\n");
    let v = root.get("k").unwrap().get("v").unwrap();
    assert_eq!(keys(v), ["a", "b"]);
    assert_eq!(v.get("a").unwrap().span, sp(3, 6, 3, 7));
    assert_eq!(root.get("k").unwrap().get("w").unwrap().as_i64(), Some(3));
}

#[test]
fn real_indentation_errors_still_fail() {
    let e = err("a:\n    b: 1\n  c: 2\n");
    assert!(e.message.contains("invalid YAML"), "{e}");
    assert_eq!(e.span.unwrap().start.line, 3);
}

#[test]
fn several_under_indented_flow_lines_are_all_accepted() {
    let text = "a:\n  x: [\n  1]\n  y: {\n  k: v\n  }\nb:\n  - [\n  2,\n  3\n  ]\n";
    let root = one(text);
    assert_eq!(
        root.get("a")
            .unwrap()
            .get("x")
            .unwrap()
            .as_seq()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(keys(root.get("a").unwrap().get("y").unwrap()), ["k"]);
    let b = root.get("b").unwrap().as_seq().unwrap();
    assert_eq!(b[0].as_seq().unwrap().len(), 2);
    assert_eq!(b[0].as_seq().unwrap()[1].span, sp(10, 3, 10, 4));
}

#[test]
fn reparsing_is_bounded() {
    // Each under-indented line costs a re-parse; a big file full of them stops at the budget.
    let mut text = String::from("k:\n");
    let mut i = 0;
    while text.len() < 4 << 20 {
        text.push_str(&format!("  x{i}: [\n  1]\n"));
        i += 1;
    }
    let started = std::time::Instant::now();
    let e = err(&text);
    assert!(e.message.contains("indentation"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}
