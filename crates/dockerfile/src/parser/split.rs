//! From one logical line to a [`Node`]: the keyword, the `--flags`, and the arguments split
//! the way each instruction's BuildKit line parser splits them.
//!
//! Re-implements `splitCommand`/`extractBuilderFlags` (`split_command.go`) and the dispatch
//! table of line parsers (`line_parsers.go`, `parser.go`) of moby/buildkit
//! `frontend/dockerfile/parser` (Apache-2.0). Every word carries its byte range in the
//! logical line so the typed AST can point at it.
//!
//! Known divergence: BuildKit scans flags and the HEALTHCHECK type byte by byte, treating each
//! byte as a Latin-1 character, so non-ASCII text in flags is mangled (`é` becomes `Ã©`) and
//! UTF-8 bytes 0x85/0xA0 count as spaces. plimsoll scans characters, keeping such text intact.

use super::json::{self, JsonError};
use super::node::{go_lower, go_quote, Arg, Node, Word};
use crate::shell::chars::is_space;

/// Go regexp `[\t\v\f\r ]`: the separators of `reWhitespace`.
#[inline]
fn is_sep(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ')
}

/// Go `strings.TrimSpace` as a byte range of `s`.
fn trim_space_range(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start_matches(is_space).len();
    let end = s.trim_end_matches(is_space).len().max(start);
    (start, end)
}

/// Splits `s` on runs of `[\t\v\f\r ]` into at most `n` pieces (`n == 0`: no limit), as Go's
/// `reWhitespace.Split(s, n)`. Returns byte ranges.
fn split_ws(s: &str, n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if s.is_empty() {
        out.push((0, 0));
        return out;
    }
    let mut beg = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if !is_sep(c) {
            continue;
        }
        if n > 0 && out.len() == n - 1 {
            break;
        }
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = it.peek() {
            if !is_sep(d) {
                break;
            }
            end = j + d.len_utf8();
            it.next();
        }
        out.push((beg, i));
        beg = end;
    }
    out.push((beg, s.len()));
    out
}

/// Builds the node for one logical line (`line`, starting at byte `base` of the full logical
/// line). Errors carry BuildKit's messages.
pub fn node_from_line(line: &str, base: usize, escape: char) -> Result<Node, String> {
    let (ts, te) = trim_space_range(line);
    let trimmed = &line[ts..te];
    let parts = split_ws(trimmed, 2);
    let (cs, ce) = parts[0];
    let cmd = &trimmed[cs..ce];
    let mut flags = Vec::new();
    let mut args_range = (te, te);
    if let Some(&(rs, re)) = parts.get(1) {
        let rest = &trimmed[rs..re];
        let (args_start, flag_words) = extract_builder_flags(rest, escape);
        flags = flag_words
            .into_iter()
            .map(|(v, s, e)| Word::new(v, Some((base + ts + rs + s, base + ts + rs + e))))
            .collect();
        let args = &rest[args_start..];
        let (as_, ae) = trim_space_range(args);
        let abs = ts + rs + args_start;
        args_range = (abs + as_, abs + ae);
    }
    let args = &line[args_range.0..args_range.1];
    let abase = base + args_range.0;
    let (next, json) = dispatch(&go_lower(cmd), args, abase, escape)?;
    Ok(Node {
        value: cmd.to_string(),
        range: (base + ts + cs, base + ts + ce),
        flags,
        args: next,
        json,
    })
}

type Parsed = (Vec<Arg>, bool);

fn dispatch(cmd: &str, rest: &str, base: usize, escape: char) -> Result<Parsed, String> {
    match cmd {
        "add" | "copy" | "volume" => parse_maybe_json_to_list(rest, base),
        "arg" => Ok((words_to_args(parse_words(rest, base, escape)), false)),
        "cmd" | "entrypoint" | "run" | "shell" => parse_maybe_json(rest, base),
        "env" => parse_name_val(rest, base, "ENV", escape),
        "label" => parse_name_val(rest, base, "LABEL", escape),
        "expose" | "from" => Ok((parse_whitespace_delimited(rest, base), false)),
        "healthcheck" => parse_health_config(rest, base),
        "maintainer" | "stopsignal" | "user" | "workdir" => Ok((parse_string(rest, base), false)),
        "onbuild" => {
            if rest.is_empty() {
                return Ok((Vec::new(), false));
            }
            let child = node_from_line(rest, base, escape)?;
            Ok((vec![Arg::Sub(Box::new(child))], false))
        }
        // Unknown instructions parse (BuildKit's `parseIgnore`: one empty argument); the
        // typed layer rejects them as `docker build` does.
        _ => Ok((vec![Arg::Word(Word::new("", None))], false)),
    }
}

fn words_to_args(words: Vec<Word>) -> Vec<Arg> {
    words.into_iter().map(Arg::Word).collect()
}

/// Decodes one character at byte `pos` of `s` (`None` past the end).
#[inline]
fn char_at(s: &str, pos: usize) -> Option<char> {
    s.get(pos..).and_then(|t| t.chars().next())
}

/// BuildKit's `extractBuilderFlags`: reads `--flag` words (quotes and escapes processed) from
/// the start of `line`; returns where the arguments start and the flags with their ranges. A
/// bare `--` ends the flags and is dropped.
fn extract_builder_flags(line: &str, escape: char) -> (usize, Vec<(String, usize, usize)>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let len = line.len();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    loop {
        let cur = char_at(line, pos);
        if phase == Phase::Spaces {
            let Some(ch) = cur else { break };
            if is_space(ch) {
                pos += ch.len_utf8();
                continue;
            }
            if ch != '-' || !line[pos..].starts_with("--") {
                return (pos, words);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        let Some(mut ch) = cur else {
            if word != "--" && (blank_ok || !word.is_empty()) {
                words.push((word, word_start, len));
            }
            break;
        };
        let mut width = ch.len_utf8();
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if word == "--" {
                    return (pos, words);
                }
                if blank_ok || !word.is_empty() {
                    words.push((std::mem::take(&mut word), word_start, pos));
                }
                word.clear();
                blank_ok = false;
                pos += width;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += width;
                continue;
            }
            if ch == escape {
                if pos + width == len {
                    pos += width;
                    continue; // an escape at the very end is dropped
                }
                pos += width;
                let Some(c) = char_at(line, pos) else { break };
                ch = c;
                width = c.len_utf8();
            }
            word.push(ch);
            pos += width;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
            pos += width;
            continue;
        }
        if ch == escape {
            if pos + width == len {
                phase = Phase::Word;
                pos += width;
                continue;
            }
            pos += width;
            let Some(c) = char_at(line, pos) else { break };
            ch = c;
            width = c.len_utf8();
        }
        word.push(ch);
        pos += width;
    }
    (len, words)
}

/// BuildKit's `parseWords`: splits on whitespace outside quotes, keeping quotes and escapes
/// in the words (they are processed later, at expansion time).
pub fn parse_words(rest: &str, base: usize, escape: char) -> Vec<Word> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let len = rest.len();
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut buf = String::new();
    let mut start = 0;
    let mut pos = 0;
    loop {
        let cur = char_at(rest, pos);
        if phase == Phase::Spaces {
            let Some(ch) = cur else { break };
            if is_space(ch) {
                pos += ch.len_utf8();
                continue;
            }
            phase = Phase::Word;
            start = pos;
        }
        let Some(mut ch) = cur else {
            if blank_ok || !buf.is_empty() {
                words.push(Word::new(buf, Some((base + start, base + len))));
            }
            break;
        };
        let mut width = ch.len_utf8();
        if phase == Phase::Word {
            if is_space(ch) {
                phase = Phase::Spaces;
                if blank_ok || !buf.is_empty() {
                    words.push(Word::new(
                        std::mem::take(&mut buf),
                        Some((base + start, base + pos)),
                    ));
                }
                buf.clear();
                blank_ok = false;
                pos += width;
                continue;
            }
            if ch == '\'' || ch == '"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
            }
            if ch == escape {
                if pos + width == len {
                    pos += width;
                    continue; // an escape at the very end is dropped
                }
                // Outside quotes the escape and the escaped character are both kept.
                buf.push(ch);
                pos += width;
                let Some(c) = char_at(rest, pos) else { break };
                ch = c;
                width = c.len_utf8();
            }
            buf.push(ch);
            pos += width;
            continue;
        }
        // Phase::Quote
        if ch == quote {
            phase = Phase::Word;
        }
        // The escape token escapes inside double quotes only.
        if ch == escape && quote != '\'' {
            if pos + width == len {
                phase = Phase::Word;
                pos += width;
                continue;
            }
            pos += width;
            buf.push(ch);
            let Some(c) = char_at(rest, pos) else { break };
            ch = c;
            width = c.len_utf8();
        }
        buf.push(ch);
        pos += width;
    }
    words
}

/// ENV/LABEL: `KEY=value …` pairs, or the legacy `KEY value` (one pair, the value being the
/// rest of the line). Each pair becomes three nodes: key, value, and `=` (or `""` for the legacy
/// form), as in BuildKit.
fn parse_name_val(rest: &str, base: usize, key: &str, escape: char) -> Result<Parsed, String> {
    let words = parse_words(rest, base, escape);
    let Some(first) = words.first() else {
        return Ok((Vec::new(), false));
    };
    if !first.value.contains('=') {
        let parts = split_ws(rest, 2);
        let (Some(&(ks, ke)), Some(&(vs, ve))) = (parts.first(), parts.get(1)) else {
            return Err(format!("{key} must have two arguments"));
        };
        return Ok((
            vec![
                Arg::Word(Word::new(&rest[ks..ke], Some((base + ks, base + ke)))),
                Arg::Word(Word::new(&rest[vs..ve], Some((base + vs, base + ve)))),
                Arg::Word(Word::new("", None)),
            ],
            false,
        ));
    }
    let mut out = Vec::with_capacity(words.len() * 3);
    for w in words {
        let Some(eq) = w.value.find('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                go_quote(&w.value)
            ));
        };
        // Words are substrings of the line (only a trailing escape may be dropped), so the
        // key and value ranges follow from the word's start.
        let ws = w.range.map_or(0, |r| r.0);
        let we = w.range.map_or(0, |r| r.1);
        let ke = ws + eq;
        out.push(Arg::Word(Word::new(&w.value[..eq], Some((ws, ke)))));
        out.push(Arg::Word(Word::new(
            &w.value[eq + 1..],
            Some((ke + 1, we.max(ke + 1))),
        )));
        out.push(Arg::Word(Word::new("=", Some((ke, ke + 1)))));
    }
    Ok((out, false))
}

/// FROM/EXPOSE (and the non-JSON fallback of ADD/COPY/VOLUME): whitespace-separated words.
fn parse_whitespace_delimited(rest: &str, base: usize) -> Vec<Arg> {
    if rest.is_empty() {
        return Vec::new();
    }
    split_ws(rest, 0)
        .into_iter()
        .map(|(s, e)| Arg::Word(Word::new(&rest[s..e], Some((base + s, base + e)))))
        .collect()
}

/// MAINTAINER/STOPSIGNAL/USER/WORKDIR: the rest of the line as one argument.
fn parse_string(rest: &str, base: usize) -> Vec<Arg> {
    if rest.is_empty() {
        return Vec::new();
    }
    vec![Arg::Word(Word::new(rest, Some((base, base + rest.len()))))]
}

/// The exec form, if the text is a JSON array of strings.
fn parse_json(rest: &str, base: usize) -> Result<Parsed, JsonError> {
    let t = rest.trim_start_matches(is_space);
    let off = rest.len() - t.len();
    if !t.starts_with('[') {
        return Err(JsonError::Syntax);
    }
    let elems = json::parse_string_array(t)?;
    Ok((
        elems
            .into_iter()
            .map(|(v, (s, e))| Arg::Word(Word::new(v, Some((base + off + s, base + off + e)))))
            .collect(),
        true,
    ))
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// RUN/CMD/ENTRYPOINT/SHELL: exec form, else the whole text as one shell-form argument.
fn parse_maybe_json(rest: &str, base: usize) -> Result<Parsed, String> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    match parse_json(rest, base) {
        Ok(p) => Ok(p),
        Err(JsonError::NotStringArray) => Err(NOT_STRING_ARRAY.to_string()),
        Err(JsonError::Syntax) => Ok((parse_string(rest, base), false)),
    }
}

/// ADD/COPY/VOLUME: exec form, else whitespace-separated words.
fn parse_maybe_json_to_list(rest: &str, base: usize) -> Result<Parsed, String> {
    match parse_json(rest, base) {
        Ok(p) => Ok(p),
        Err(JsonError::NotStringArray) => Err(NOT_STRING_ARRAY.to_string()),
        Err(JsonError::Syntax) => Ok((parse_whitespace_delimited(rest, base), false)),
    }
}

/// HEALTHCHECK: a type word (`CMD`, `NONE`, …), then the command as in CMD.
fn parse_health_config(rest: &str, base: usize) -> Result<Parsed, String> {
    let sep = rest.find(is_space).unwrap_or(rest.len());
    if sep == 0 {
        return Ok((Vec::new(), false));
    }
    let next = rest[sep..]
        .find(|c: char| !is_space(c))
        .map_or(rest.len(), |p| sep + p);
    let (mut cmd, json) = parse_maybe_json(&rest[next..], base + next)?;
    let mut out = vec![Arg::Word(Word::new(&rest[..sep], Some((base, base + sep))))];
    out.append(&mut cmd);
    Ok((out, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        parse_words(s, 0, '\\')
            .into_iter()
            .map(|w| w.value)
            .collect()
    }

    #[test]
    fn parse_words_like_buildkit() {
        assert_eq!(words("foo"), vec!["foo"]);
        assert_eq!(words("foo bar"), vec!["foo", "bar"]);
        assert_eq!(words("foo\\ bar"), vec!["foo\\ bar"]);
        assert_eq!(words("foo=bar"), vec!["foo=bar"]);
        assert_eq!(words("foo bar 'abc xyz'"), vec!["foo", "bar", "'abc xyz'"]);
        assert_eq!(
            words("foo bar \"abc xyz\""),
            vec!["foo", "bar", "\"abc xyz\""]
        );
        assert_eq!(words("àöû"), vec!["àöû"]);
        assert_eq!(
            words("föo bàr \"âbc xÿz\""),
            vec!["föo", "bàr", "\"âbc xÿz\""]
        );
    }

    #[test]
    fn splits_like_go_regexp() {
        assert_eq!(split_ws("a  b\tc", 0), vec![(0, 1), (3, 4), (5, 6)]);
        assert_eq!(split_ws("a  b c", 2), vec![(0, 1), (3, 6)]);
        assert_eq!(split_ws("a", 2), vec![(0, 1)]);
        assert_eq!(split_ws("", 2), vec![(0, 0)]);
    }

    #[test]
    fn flags_and_ranges() {
        let n = node_from_line("COPY --chown=\"a b\" --link -- x y", 0, '\\').unwrap();
        assert_eq!(n.dump(), r#"copy ["--chown=a b" "--link"] "x" "y""#);
        assert_eq!(n.flags[0].range, Some((5, 18)));
        let Arg::Word(w) = &n.args[1] else { panic!() };
        assert_eq!(w.range, Some((31, 32)));
    }
}
