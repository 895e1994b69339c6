//! Text a RUN writes into files: `echo`/`printf` output redirected or piped to `tee`, heredoc
//! bodies fed to `cat`/`tee`, here-strings, `sed -i` replacements, `add-apt-repository` and
//! `crudini --set` arguments. Rules look in it for settings that switch verification off
//! (`gpgcheck=0`, `[trusted=yes]`, `strict-ssl=false`, …).

use crate::analysis::run::commands::{Cmd, Flat};
use crate::analysis::run::positions::RunPositions;
use plimsoll_core::Span;
use plimsoll_shell::{argv, HereBody, Ix, RedirOp, Word};

/// Where written text came from, to map a match back to the file.
#[derive(Debug, Clone)]
pub enum Source<'s> {
    /// Words joined by single spaces; `starts[k]` is where word `k` begins in the text.
    Words {
        words: Vec<&'s Word>,
        starts: Vec<usize>,
        origin: usize,
    },
    /// A heredoc body.
    Body { body: &'s HereBody, origin: usize },
    /// Part of one word, from char `offset` on (a sed replacement).
    Slice {
        word: &'s Word,
        offset: usize,
        origin: usize,
    },
}

/// Text written to a file (or handed to a tool that writes it).
#[derive(Debug, Clone)]
pub struct Written<'s> {
    /// Index of the writing command in [`Flat::cmds`].
    pub cmd: usize,
    /// The file written, when the command says.
    pub target: Option<String>,
    pub text: String,
    pub source: Source<'s>,
}

impl Written<'_> {
    /// The span of text characters `from..to` (char indices).
    pub fn span(&self, run: &impl RunPositions, from: usize, to: usize) -> Span {
        match &self.source {
            Source::Body { body, origin } => run.body_span(*origin, body, from, to),
            Source::Slice {
                word,
                offset,
                origin,
            } => {
                let s = word.pos.get(offset + from).copied();
                let e = word.pos.get((offset + to).saturating_sub(1)).copied();
                match (s, e) {
                    (Some(s), Some(e)) => run.span(*origin, s, e.max(s) + 1),
                    _ => run.word_span(*origin, word),
                }
            }
            Source::Words {
                words,
                starts,
                origin,
            } => {
                let locate = |at: usize| -> Option<Ix> {
                    let k = starts.iter().rposition(|s| *s <= at)?;
                    let w = words.get(k)?;
                    w.pos.get(at - starts[k]).copied().or(w.pos.last().copied())
                };
                match (locate(from), locate(to.saturating_sub(1).max(from))) {
                    (Some(s), Some(e)) => run.span(*origin, s, e.max(s) + 1),
                    _ => run.first_line(),
                }
            }
        }
    }

    /// The span of the first match of `re` in the text, with the matched text.
    pub fn find(&self, run: &impl RunPositions, re: &regex::Regex) -> Option<(Span, String)> {
        let m = re.find(&self.text)?;
        let from = self.text[..m.start()].chars().count();
        let to = from + m.as_str().chars().count();
        Some((self.span(run, from, to), m.as_str().to_string()))
    }
}

fn joined<'s>(words: Vec<&'s Word>, origin: usize) -> (String, Source<'s>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(words.len());
    for w in &words {
        if !text.is_empty() {
            text.push(' ');
        }
        starts.push(text.chars().count());
        text.push_str(&w.text);
    }
    (
        text,
        Source::Words {
            words,
            starts,
            origin,
        },
    )
}

/// What a command writes as its words joined by spaces (`echo a b`, `<<< word`).
fn words_written<'s>(
    cmd: usize,
    target: Option<String>,
    words: Vec<&'s Word>,
    origin: usize,
) -> Written<'s> {
    let (text, source) = joined(words, origin);
    Written {
        cmd,
        target,
        text,
        source,
    }
}

/// The file a command writes its output to: a `>`/`>>` redirection, or `tee FILE` later in
/// its pipeline.
fn output_target(flat: &Flat<'_>, idx: usize) -> Option<String> {
    let c = flat.cmds.get(idx)?;
    if let Some(r) = c
        .cmd
        .redirects
        .iter()
        .rev()
        .find(|r| r.op.writes() && r.fd.is_none_or(|f| f == 1))
    {
        return Some(r.target.text.clone());
    }
    let (pid, el) = *c.pipes.last()?;
    let pipe = flat.pipes.get(pid)?;
    for later in pipe.elements.iter().skip(el + 1) {
        for &k in later {
            if let Some(t) = flat.cmds.get(k).and_then(tee_target) {
                return Some(t);
            }
        }
    }
    None
}

fn tee_target(c: &Cmd<'_>) -> Option<String> {
    if !c.is(&["tee"]) {
        return None;
    }
    c.args()
        .iter()
        .find(|w| !w.text.starts_with('-'))
        .map(|w| w.text.clone())
}

/// Everything the RUN writes, in command order.
pub fn writes<'s>(flat: &Flat<'s>) -> Vec<Written<'s>> {
    let mut out = Vec::new();
    for (idx, c) in flat.cmds.iter().enumerate() {
        let name = c.name().unwrap_or("");
        // Heredoc bodies and here-strings fed to the command.
        for r in &c.cmd.redirects {
            let target = output_target(flat, idx).or_else(|| tee_target(c));
            match (&r.op, &r.body) {
                (RedirOp::Heredoc | RedirOp::HeredocStrip, Some(body))
                    if r.fd.is_none_or(|f| f == 0) =>
                {
                    out.push(Written {
                        cmd: idx,
                        target,
                        text: body.text.clone(),
                        source: Source::Body {
                            body,
                            origin: c.origin,
                        },
                    });
                }
                (RedirOp::HereString, _) => {
                    out.push(words_written(idx, target, vec![&r.target], c.origin));
                }
                _ => {}
            }
        }
        match name {
            "echo" | "printf" => {
                let args: Vec<&Word> = c
                    .args()
                    .iter()
                    .skip_while(|w| {
                        name == "echo"
                            && matches!(w.text.as_str(), "-n" | "-e" | "-E" | "-ne" | "-en")
                    })
                    .collect();
                if args.is_empty() {
                    continue;
                }
                out.push(words_written(idx, output_target(flat, idx), args, c.origin));
            }
            "sed" => out.extend(sed_writes(idx, c)),
            "add-apt-repository" | "apt-add-repository" => {
                let args: Vec<&Word> = c
                    .args()
                    .iter()
                    .filter(|w| !w.text.starts_with('-'))
                    .collect();
                if args.is_empty() {
                    continue;
                }
                out.push(words_written(
                    idx,
                    Some("/etc/apt/sources.list.d/".into()),
                    args,
                    c.origin,
                ));
            }
            "crudini" => {
                let args = c.args();
                if let Some(at) = args.iter().position(|w| w.text == "--set") {
                    if let (Some(file), Some(key), Some(value)) =
                        (args.get(at + 1), args.get(at + 3), args.get(at + 4))
                    {
                        let (_, source) = joined(vec![key, value], c.origin);
                        out.push(Written {
                            cmd: idx,
                            target: Some(file.text.clone()),
                            text: format!("{}={}", key.text, value.text),
                            source,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// `sed -i 's/old/new/' file`: the replacement texts, written into the files.
fn sed_writes<'s>(idx: usize, c: &Cmd<'s>) -> Vec<Written<'s>> {
    let args = c.args();
    let in_place = args.iter().any(|w| {
        let t = w.text.as_str();
        t == "--in-place"
            || t.starts_with("--in-place=")
            || (t.starts_with('-') && !t.starts_with("--") && t.contains('i'))
    });
    if !in_place {
        return Vec::new();
    }
    let mut scripts: Vec<&'s Word> = Vec::new();
    let mut files: Vec<&'s Word> = Vec::new();
    let mut k = 0;
    let mut explicit = false;
    while let Some(w) = args.get(k) {
        let t = w.text.as_str();
        if t == "-e" || t == "--expression" {
            if let Some(s) = args.get(k + 1) {
                scripts.push(s);
            }
            explicit = true;
            k += 2;
            continue;
        }
        if t == "-f" || t == "--file" {
            k += 2;
            continue;
        }
        if t.starts_with('-') && t.len() > 1 {
            k += 1;
            continue;
        }
        if !explicit && scripts.is_empty() {
            scripts.push(w);
        } else {
            files.push(w);
        }
        k += 1;
    }
    let target = files.first().map(|w| w.text.clone());
    let mut out = Vec::new();
    for s in scripts {
        for (from, to) in replacements(&s.text) {
            out.push(Written {
                cmd: idx,
                target: target.clone(),
                text: s.text.chars().skip(from).take(to - from).collect(),
                source: Source::Slice {
                    word: s,
                    offset: from,
                    origin: c.origin,
                },
            });
        }
    }
    out
}

/// Char ranges of the replacement parts of `s<d>pattern<d>replacement<d>flags` commands in a
/// sed script (also `c\`/`a\`/`i\` text, whose text is written as is).
fn replacements(script: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = script.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        if chars[k] == 's'
            && k + 1 < chars.len()
            && !chars[k + 1].is_alphanumeric()
            && !chars[k + 1].is_whitespace()
        {
            let d = chars[k + 1];
            let mut j = k + 2;
            let mut fields = Vec::new();
            let mut start = j;
            while j < chars.len() && fields.len() < 2 {
                if chars[j] == '\\' {
                    j += 2;
                    continue;
                }
                if chars[j] == d {
                    fields.push((start, j));
                    start = j + 1;
                }
                j += 1;
            }
            if fields.len() == 2 {
                out.push(fields[1]);
                k = j;
                continue;
            }
            break;
        }
        if matches!(chars[k], 'a' | 'i' | 'c')
            && (k == 0 || matches!(chars[k - 1], ';' | '\n' | '/' | ' ' | '$' | '}'))
        {
            let mut j = k + 1;
            if chars.get(j) == Some(&'\\') {
                j += 1;
            }
            while chars.get(j).is_some_and(|c| *c == ' ') {
                j += 1;
            }
            let start = j;
            while j < chars.len() && chars[j] != '\n' && chars[j] != ';' {
                j += 1;
            }
            if j > start {
                out.push((start, j));
            }
            k = j;
            continue;
        }
        k += 1;
    }
    out
}

/// Whether a file path is of one of the kinds named by `needles` (substring match on the path,
/// case-insensitive): `writes_to(t, &["yum.repos.d", "yum.conf"])`.
pub fn target_matches(target: Option<&str>, needles: &[&str]) -> bool {
    let Some(t) = target else {
        return false;
    };
    let t = argv::basename(t).to_ascii_lowercase();
    let full = target.unwrap_or("").to_ascii_lowercase();
    needles.iter().any(|n| full.contains(n) || t == *n)
}

#[cfg(test)]
mod tests {
    use super::replacements;

    #[test]
    fn sed_replacement_parts() {
        let s = "s/gpgcheck=1/gpgcheck=0/g";
        let r = replacements(s);
        assert_eq!(r.len(), 1);
        let (a, b) = r[0];
        assert_eq!(&s[a..b], "gpgcheck=0");
        let s = r"s|a\|b|c|;s#x#y#";
        let r = replacements(s);
        assert_eq!(r.len(), 2);
        assert_eq!(&s[r[0].0..r[0].1], "c");
        assert_eq!(&s[r[1].0..r[1].1], "y");
        let s = "/^\\[main\\]/a sslverify=0";
        let r = replacements(s);
        assert_eq!(&s[r[0].0..r[0].1], "sslverify=0");
    }
}
