//! The shell reader on the constructs RUN lines use, and on input it must survive.

use super::argv;
use super::ast::*;
use super::parse::{parse_chars, parse_str, Ch};

/// Every simple command's words, in textual order, descending into compound commands,
/// substitutions and inline scripts.
fn commands(s: &Script) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    walk(s, &mut out);
    out
}

fn walk(s: &Script, out: &mut Vec<Vec<String>>) {
    for item in &s.items {
        for p in item.pipelines() {
            for c in &p.commands {
                match c {
                    Command::Simple(sc) => {
                        for w in sc.assignments.iter().chain(&sc.words) {
                            for sub in &w.subs {
                                walk(sub, out);
                            }
                        }
                        out.push(sc.words.iter().map(|w| w.text.clone()).collect());
                        for i in &sc.inline {
                            walk(&i.script, out);
                        }
                    }
                    Command::Compound(cc) => {
                        for b in &cc.bodies {
                            walk(b, out);
                        }
                    }
                }
            }
        }
    }
}

fn names(s: &str) -> Vec<String> {
    commands(&parse_str(s))
        .into_iter()
        .filter_map(|c| c.first().cloned())
        .collect()
}

fn first_simple(s: &Script) -> &SimpleCommand {
    match &s.items[0].first.commands[0] {
        Command::Simple(c) => c,
        other => panic!("not simple: {other:?}"),
    }
}

#[test]
fn splits_on_operators_and_keeps_pipelines() {
    let s =
        parse_str("apt-get update && apt-get install -y curl || true; curl -fsSL x | sh & wait");
    assert_eq!(s.items.len(), 3);
    assert_eq!(s.items[0].rest.len(), 2);
    assert_eq!(s.items[0].rest[0].0, Connector::And);
    assert_eq!(s.items[0].rest[1].0, Connector::Or);
    assert_eq!(s.items[1].first.commands.len(), 2);
    assert!(s.items[1].background);
    assert_eq!(
        names("a && b || c; d | e |& f & g"),
        ["a", "b", "c", "d", "e", "f", "g"]
    );
}

#[test]
fn removes_quotes_and_keeps_positions() {
    let text = r#"echo 'a b' "c $HOME" d\ e"#;
    let s = parse_str(text);
    let c = first_simple(&s);
    let texts: Vec<&str> = c.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(texts, ["echo", "a b", "c $HOME", "d e"]);
    assert!(c.words[1].quoted && c.words[1].is_literal());
    assert!(!c.words[2].is_literal());
    // Raw extents include the quotes.
    assert_eq!(c.words[1].start, 5);
    assert_eq!(c.words[1].end, 10);
    // `a` is at index 6 of the source.
    assert_eq!(c.words[1].pos[0], 6);
}

#[test]
fn assignments_prefix_the_command() {
    let s = parse_str("DEBIAN_FRONTEND=noninteractive A='x y' apt-get install -y tzdata");
    let c = first_simple(&s);
    assert_eq!(c.assignments.len(), 2);
    assert_eq!(c.assignments[1].assignment(), Some(("A", "x y")));
    assert_eq!(c.words[0].text, "apt-get");
    // `--opt=x` and quoted names are not assignments.
    let s = parse_str("pip install --root-user-action=ignore 'X'=1");
    let c = first_simple(&s);
    assert!(c.assignments.is_empty());
    assert!(c.words.iter().all(|w| w.assignment().is_none()));
}

#[test]
fn command_substitution_backticks_and_process_substitution_nest() {
    assert_eq!(
        names(r#"bash -c "$(curl -fsSL https://x/install.sh)""#),
        ["curl", "bash"]
    );
    assert_eq!(names("V=`uname -r` && echo $V"), ["uname", "echo"]);
    // Substitutions in an `sh -c` string run in the outer shell, once.
    assert_eq!(
        names(r#"sh -c "echo $(date) && make""#),
        ["date", "sh", "echo", "make"]
    );
    assert_eq!(names("bash <(wget -qO- https://x)"), ["wget", "bash"]);
    assert_eq!(names("echo $(echo $(id -u))"), ["id", "echo", "echo"]);
    // `$((…))` is arithmetic, not a command.
    assert_eq!(names("echo $((1 + 2))"), ["echo"]);
}

#[test]
fn inline_shell_scripts_are_parsed_with_their_options() {
    let s =
        parse_str(r#"sudo -E bash -o pipefail -c 'curl -k https://x | tar xz && chmod 777 /a'"#);
    let c = first_simple(&s);
    assert_eq!(c.inline.len(), 1);
    assert!(c.inline[0].pipefail);
    assert_eq!(
        names(r#"sh -ec "apt-get update && apt-get install -y x""#),
        ["sh", "apt-get", "apt-get"]
    );
    assert_eq!(names(r#"su app -c "npm install""#), ["su", "npm"]);
    assert_eq!(
        names(r#"find / -perm /6000 -exec sh -c 'chmod a-s "$1"' _ {} \;"#),
        ["find", "chmod"]
    );
    // Positions inside the inline script point into the original text.
    let text = "sh -c 'curl -k x'";
    let s = parse_str(text);
    let inner = first_simple(&first_simple(&s).inline[0].script).words[1].clone();
    assert_eq!(inner.text, "-k");
    assert_eq!(inner.start as usize, text.find("-k").unwrap());
}

#[test]
fn compound_commands() {
    let text = "if [ -f /a ]; then apt-get install -y x; elif true; then :; else yum install -y x; fi; \
                for p in a b; do pip install $p; done; while false; do sleep 1; done; \
                case \"$ARCH\" in amd64|x86_64) A=1 ;; *) curl x ;; esac; \
                { cd /tmp && make; } > /log 2>&1; (cd /src && make install); f() { echo hi; }; [[ -n $X && $Y < 3 ]]";
    assert_eq!(
        names(text),
        [
            "[", "apt-get", "true", ":", "yum", "pip", "false", "sleep", "curl", "cd", "make",
            "cd", "make", "echo", "[["
        ]
    );
}

#[test]
fn heredocs_inline_and_external() {
    let text = "cat <<EOF > /etc/yum.repos.d/x.repo\n[x]\ngpgcheck=0\nEOF\necho done";
    let s = parse_str(text);
    let c = first_simple(&s);
    let body = c.redirects[0].body.as_ref().unwrap();
    assert_eq!(body.text, "[x]\ngpgcheck=0\n");
    assert_eq!(body.pos[4] as usize, text.find("gpgcheck").unwrap());
    assert_eq!(c.redirects[1].op, RedirOp::Out);
    assert_eq!(c.redirects[1].target.text, "/etc/yum.repos.d/x.repo");
    assert_eq!(names(text), ["cat", "echo"]);
    // `<<-` strips tabs; a quoted delimiter disables expansion.
    let s = parse_str("cat <<-'END'\n\tline $X\n\tEND\nnext");
    let b = first_simple(&s).redirects[0].body.clone().unwrap();
    assert_eq!(b.text, "line $X\n");
    assert!(!b.expand);
    // On the RUN line itself, the body comes from the Dockerfile's heredoc.
    let chars: Vec<Ch> = "bash -e <<EOF".chars().zip(0..).collect();
    let s = parse_chars(&chars, &["set -o pipefail\ncurl x | sh\n"], 0);
    let body = first_simple(&s).redirects[0].body.clone().unwrap();
    assert_eq!(body.external, Some(0));
    assert!(body.text.starts_with("set -o pipefail"));
}

#[test]
fn redirections_and_io_numbers() {
    let s = parse_str("make 2>&1 >>/log </dev/null &>/dev/null 3<>/f");
    let c = first_simple(&s);
    assert_eq!(c.words.len(), 1);
    let ops: Vec<(Option<u32>, RedirOp)> = c.redirects.iter().map(|r| (r.fd, r.op)).collect();
    assert_eq!(
        ops,
        [
            (Some(2), RedirOp::DupOut),
            (None, RedirOp::Append),
            (None, RedirOp::In),
            (None, RedirOp::OutErr),
            (Some(3), RedirOp::ReadWrite)
        ]
    );
    // `curl>=7.74` in an apt-get line is a redirection to a file named `=7.74`.
    let s = parse_str("apt-get install -y curl>=7.74");
    let c = first_simple(&s);
    assert_eq!(c.words.last().unwrap().text, "curl");
    assert_eq!(c.redirects[0].target.text, "=7.74");
}

#[test]
fn comments_and_line_continuations() {
    assert_eq!(names("echo a # && rm -rf /\n  echo b"), ["echo", "echo"]);
    let s = parse_str("echo a#b");
    assert_eq!(first_simple(&s).words[1].text, "a#b");
    assert_eq!(names("apt-get \\\n install x"), ["apt-get"]);
}

#[test]
fn parameter_parts_resolve() {
    let s = parse_str(r#"apt-get install "python3=${PY_VER:-3.11}" $PKGS"#);
    let c = first_simple(&s);
    let lookup = |n: &str| (n == "PKGS").then(|| "a b".to_string());
    assert_eq!(c.words[2].resolve(&lookup).as_deref(), Some("python3=3.11"));
    assert!(!c.words[2].may_split());
    assert!(c.words[3].may_split());
    assert_eq!(c.words[3].resolve(&lookup).as_deref(), Some("a b"));
    assert_eq!(c.words[3].resolve(&|_| None), None);
}

#[test]
fn wrappers_are_peeled() {
    let s =
        parse_str("sudo -u app -E env A=1 nice -n 5 timeout 30 xargs -r -I {} apt-get install {}");
    let c = first_simple(&s);
    let eff = argv::effective(&c.words);
    assert_eq!(c.words[eff.index.unwrap()].text, "apt-get");
    assert_eq!(eff.wrappers.len(), 5);
    assert_eq!(eff.assignments.len(), 1);
    // `command -v` asks, it does not run.
    let s = parse_str("command -v curl");
    assert_eq!(argv::effective(&first_simple(&s).words).index, Some(0));
}

#[test]
fn shell_calls() {
    let w = |s: &str| first_simple(&parse_str(s)).words.clone();
    let c = argv::shell_call(&w("bash -s -- --version 1.2")).unwrap();
    assert!(c.reads_stdin);
    let c = argv::shell_call(&w("sudo sh")).unwrap();
    assert!(c.reads_stdin);
    let c = argv::shell_call(&w("sh ./install.sh --yes")).unwrap();
    assert_eq!(c.script_file, Some(1));
    let c = argv::shell_call(&w("bash -euo pipefail -c 'x'")).unwrap();
    assert!(c.pipefail);
    assert_eq!(c.command_string, Some(4));
    assert!(argv::shell_call(&w("python3 -")).is_none());
}

#[test]
fn pipefail_changes() {
    let w = |s: &str| first_simple(&parse_str(s)).words.clone();
    assert_eq!(argv::pipefail_change(&w("set -euxo pipefail")), Some(true));
    assert_eq!(
        argv::pipefail_change(&w("set -o errexit -o pipefail")),
        Some(true)
    );
    assert_eq!(argv::pipefail_change(&w("set +o pipefail")), Some(false));
    assert_eq!(argv::pipefail_change(&w("set -ex")), None);
    assert_eq!(argv::pipefail_change(&w("shopt -so pipefail")), Some(true));
}

#[test]
fn survives_garbage() {
    let inputs = [
        "",
        ")",
        "((",
        "$(",
        "${",
        "'",
        "\"",
        "`",
        "<<",
        "<<EOF",
        "if",
        "case x in",
        "{ ",
        "a |",
        "&& b",
        "fi done esac }",
        "$((1+",
        "echo $'\\",
        "for ((;;",
        "<(",
        "a=(",
        "\\",
        "f()",
        "[[ a",
        ";;",
        "!",
        "! ! a",
        "cat <<-",
        "x=$(case a in a) b;; esac)",
    ];
    for text in inputs {
        let _ = parse_str(text);
    }
    // Deep nesting is bounded.
    let deep = "$(".repeat(5000) + &")".repeat(5000);
    let _ = parse_str(&deep);
    let deep = "(".repeat(5000) + "a" + &")".repeat(5000);
    let _ = parse_str(&deep);
    let deep = "sh -c '".to_string() + &"sh -c \\'".repeat(200);
    let _ = parse_str(&deep);
    let deep = "{ ".repeat(3000);
    let _ = parse_str(&deep);
    let deep = "`".repeat(3000);
    let _ = parse_str(&deep);
}

#[test]
fn case_with_parens_inside_substitution() {
    assert_eq!(
        names("x=$(case $a in a) echo one;; b) echo two;; esac) && curl y"),
        ["echo", "echo", "curl"]
    );
}

#[test]
fn command_extents_stop_at_their_last_word() {
    let text = "curl -fsSL https://x | sh && rm -rf /tmp/x";
    let s = parse_str(text);
    let p = &s.items[0].first;
    assert_eq!(p.start(), 0);
    assert_eq!(p.end() as usize, text.find(" &&").unwrap());
    let text = "a $(b c) ; d";
    let s = parse_str(text);
    assert_eq!(s.items[0].first.end() as usize, text.find(" ;").unwrap());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// Any text, however malformed, parses without panicking, and every word position stays
    /// inside the text.
    #[test]
    fn never_panics(text in r#"[a-z0-9 $'"`\\(){};|&<>#\n=\-!*\[\]]{0,120}"#) {
        let script = parse_str(&text);
        let n = text.chars().count() as Ix;
        let mut stack = vec![&script];
        while let Some(s) = stack.pop() {
            for item in &s.items {
                for p in item.pipelines() {
                    for c in &p.commands {
                        if let Command::Simple(sc) = c {
                            for w in sc.words.iter().chain(&sc.assignments) {
                                proptest::prop_assert!(w.pos.iter().all(|&i| i <= n));
                                stack.extend(w.subs.iter());
                            }
                            stack.extend(sc.inline.iter().map(|i| &i.script));
                        }
                    }
                }
            }
        }
    }
}
