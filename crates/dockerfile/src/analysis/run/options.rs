//! getopt-style reading of a command's arguments: which words are options (and their values)
//! and which are operands, given the options that take a value. Knowing that `-t` of
//! `apt-get` takes the release (`-t bookworm-backports`) or that `--virtual` of `apk` takes a
//! name is what keeps those values from being mistaken for package names.

use plimsoll_shell::Word;

/// Which options of a command take a value.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Short options (letters) that take a value: the rest of the cluster or the next word.
    pub short_with_arg: &'static str,
    /// Long options (`--name`) that take the next word when no `=value` is attached.
    pub long_with_arg: &'static [&'static str],
    /// Options are written `-name` (Go style): no clustering of single letters.
    pub single_dash_long: bool,
}

impl Spec {
    pub const fn new(short_with_arg: &'static str, long_with_arg: &'static [&'static str]) -> Self {
        Spec {
            short_with_arg,
            long_with_arg,
            single_dash_long: false,
        }
    }
}

/// An option as written: `name` keeps its dashes (`-y`, `--yes`); `value` is attached
/// (`--x=v`, `-ov`) or taken from the next word.
#[derive(Debug, Clone)]
pub struct Opt<'w> {
    pub name: String,
    pub value: Option<String>,
    pub word: &'w Word,
    /// The word the value came from, when it was the next one.
    pub value_word: Option<&'w Word>,
}

/// An option or an operand.
#[derive(Debug, Clone)]
pub enum Item<'w> {
    Opt(Opt<'w>),
    Operand(&'w Word),
}

/// Reads `words` (arguments, without the command name).
pub fn scan<'w>(words: &'w [Word], spec: &Spec) -> Vec<Item<'w>> {
    // At least one item per word, more only for short-option clusters.
    let mut out = Vec::with_capacity(words.len());
    let mut k = 0;
    while let Some(w) = words.get(k) {
        let t = w.text.as_str();
        k += 1;
        if t == "--" {
            out.extend(words[k..].iter().map(Item::Operand));
            break;
        }
        if !t.starts_with('-') || t == "-" || w.text.is_empty() {
            out.push(Item::Operand(w));
            continue;
        }
        if t.starts_with("--") || spec.single_dash_long {
            let (name, attached) = match t.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (t, None),
            };
            let key = if spec.single_dash_long {
                format!("-{}", name.trim_start_matches('-'))
            } else {
                name.to_string()
            };
            let takes = spec.long_with_arg.contains(&key.as_str());
            let (value, value_word) = match attached {
                Some(v) => (Some(v), None),
                None if takes => {
                    let next = words.get(k);
                    k += usize::from(next.is_some());
                    (next.map(|n| n.text.clone()), next)
                }
                None => (None, None),
            };
            out.push(Item::Opt(Opt {
                name: key,
                value,
                word: w,
                value_word,
            }));
            continue;
        }
        // A cluster of short options: `-yq`, `-ofile`, `-q=2`.
        let body: Vec<char> = t.chars().skip(1).collect();
        let mut j = 0;
        while j < body.len() {
            let c = body[j];
            let name = format!("-{c}");
            let rest: String = body[j + 1..].iter().collect();
            if spec.short_with_arg.contains(c) {
                let (value, value_word) = if !rest.is_empty() {
                    (Some(rest.trim_start_matches('=').to_string()), None)
                } else {
                    let next = words.get(k);
                    k += usize::from(next.is_some());
                    (next.map(|n| n.text.clone()), next)
                };
                out.push(Item::Opt(Opt {
                    name,
                    value,
                    word: w,
                    value_word,
                }));
                break;
            }
            if let Some(v) = rest.strip_prefix('=') {
                out.push(Item::Opt(Opt {
                    name,
                    value: Some(v.to_string()),
                    word: w,
                    value_word: None,
                }));
                break;
            }
            out.push(Item::Opt(Opt {
                name,
                value: None,
                word: w,
                value_word: None,
            }));
            j += 1;
        }
    }
    out
}

/// Options and operands separately.
pub fn split<'w>(items: Vec<Item<'w>>) -> (Vec<Opt<'w>>, Vec<&'w Word>) {
    let mut opts = Vec::with_capacity(items.len());
    let mut operands = Vec::with_capacity(items.len());
    for i in items {
        match i {
            Item::Opt(o) => opts.push(o),
            Item::Operand(w) => operands.push(w),
        }
    }
    (opts, operands)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_shell::parse_str;

    fn words(s: &str) -> Vec<Word> {
        let script = parse_str(s);
        match &script.items[0].first.commands[0] {
            plimsoll_shell::Command::Simple(c) => c.words.clone(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn clusters_values_and_operands() {
        let w = words(
            "-yq -t bookworm-backports --no-install-recommends -o Dpkg::Options=x --opt=1 -- -pkg",
        );
        let spec = Spec::new("to", &["--target-release"]);
        let (opts, operands) = split(scan(&w, &spec));
        let names: Vec<&str> = opts.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            ["-y", "-q", "-t", "--no-install-recommends", "-o", "--opt"]
        );
        assert_eq!(opts[2].value.as_deref(), Some("bookworm-backports"));
        assert_eq!(opts[4].value.as_deref(), Some("Dpkg::Options=x"));
        assert_eq!(opts[5].value.as_deref(), Some("1"));
        assert_eq!(operands.len(), 1);
        assert_eq!(operands[0].text, "-pkg");
    }

    #[test]
    fn short_value_attached_and_equals() {
        let w = words("-fsSLk -ofile -q=2");
        let spec = Spec::new("o", &[]);
        let (opts, _) = split(scan(&w, &spec));
        let names: Vec<&str> = opts.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["-f", "-s", "-S", "-L", "-k", "-o", "-q"]);
        assert_eq!(opts[5].value.as_deref(), Some("file"));
        assert_eq!(opts[6].value.as_deref(), Some("2"));
    }
}
