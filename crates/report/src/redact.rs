//! Redaction of secrets in every text a report quotes from audited input.
//!
//! Rules already write their *messages* with secret values redacted (`ghp_…(40 chars)`), but a
//! report also quotes the source line under each finding, the finding's evidence and fix, and
//! error messages — all text taken from the audited file. A Dockerfile line `ARG
//! GITHUB_TOKEN=ghp_…` quoted in full under a DF007 finding would hand the token to every CI
//! log that keeps the report. So every renderer passes every such text through this module
//! before writing it, in every format.
//!
//! **Design decision: a conservative pass over the text, not per-finding secret ranges.** A
//! line can hold a secret that *another* finding (or no finding) is about, a line is quoted by
//! many findings of many rules, and a rule that forgets to mark its secret would leak it; a
//! renderer-side pass protects every format and every rule at once. It masks:
//!
//! - values in a known token format ([`secrets::known_token_matches`]: GitHub, AWS, Slack, …);
//!   the first four characters stay (the format's prefix, e.g. `ghp_`), so the reader still
//!   sees what kind of secret it was;
//! - the password of a URL with credentials (`https://user:****@host`), and a token used as a
//!   URL's user name (`https://<token>@github.com`);
//! - the value of an assignment whose name says it holds a secret
//!   ([`secrets::secret_name`], the names DF007/RS031 use, and the
//!   headers of [`secrets::is_auth_header`]):
//!   `NAME=value` (ENV/ARG, `-e`, `--build-arg`, compose lists, `.env` files, shell),
//!   `NAME: value` (YAML maps, JSON, HTTP headers), legacy `ENV NAME value`, and command-line
//!   options `--password=value` / `--password value`; variable references (`$X`, `${X}`),
//!   placeholders (`<token>`, `xxx`), booleans and paths are left alone, but the default of
//!   `${X:-default}` is masked;
//! - the body of a private-key block (`-----BEGIN … PRIVATE KEY-----` to its `END` line).
//!
//! Masking replaces each hidden character with `*`, one for one, so columns (and the carets
//! under a quoted line) stay where they were. It errs towards hiding: a non-secret value under
//! a secret-sounding name is masked too, which costs readability, never a credential.

use plimsoll_core::secrets;
use std::borrow::Cow;
use std::ops::Range;

/// The character that replaces each hidden character.
pub const MASK: char = '*';

/// `text` with every secret masked; multi-line texts are redacted line by line, private-key
/// blocks as a whole. Borrowed when there was nothing to hide (the common case).
pub fn text(text: &str) -> Cow<'_, str> {
    if !text.contains('\n') {
        return line(text);
    }
    let mut changed = false;
    let mut in_key = false;
    let mut out = String::with_capacity(text.len());
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (masked, inside) = key_block_line(l, in_key);
        in_key = inside;
        let redacted = match masked {
            Some(m) => Cow::Owned(m),
            None => line(l),
        };
        changed |= matches!(redacted, Cow::Owned(_));
        out.push_str(&redacted);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// One line with every secret masked (no private-key block tracking: see [`KeyBlocks`]).
pub fn line(line: &str) -> Cow<'_, str> {
    let ranges = secret_ranges(line);
    if ranges.is_empty() {
        return Cow::Borrowed(line);
    }
    Cow::Owned(mask(line, &ranges))
}

/// An optional text, redacted.
pub fn opt(text: Option<&str>) -> Option<Cow<'_, str>> {
    text.map(self::text)
}

/// Replaces every character inside `ranges` (byte ranges on character boundaries) with
/// [`MASK`].
fn mask(line: &str, ranges: &[Range<usize>]) -> String {
    let mut sorted: Vec<Range<usize>> = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    // One sweep over the line with the ranges in order: linear however many there are.
    let mut next = sorted.iter().peekable();
    let mut covered_to = 0;
    line.char_indices()
        .map(|(i, c)| {
            while let Some(r) = next.next_if(|r| r.start <= i) {
                covered_to = covered_to.max(r.end);
            }
            if i < covered_to {
                MASK
            } else {
                c
            }
        })
        .collect()
}

/// Which lines of a source lie inside a private-key block, found once per file so the human
/// renderer can redact a quoted line without looking at its neighbours.
#[derive(Debug, Default, Clone)]
pub struct KeyBlocks {
    /// 1-based inclusive line ranges strictly between a `BEGIN … PRIVATE KEY` line and its end.
    bodies: Vec<(u32, u32)>,
}

impl KeyBlocks {
    /// Scans `lines` (a source split on `\n`) for private-key blocks.
    pub fn find(lines: &[&str]) -> KeyBlocks {
        let mut bodies = Vec::new();
        let mut open: Option<u32> = None;
        for (i, l) in lines.iter().enumerate() {
            let n = i as u32 + 1;
            match open {
                None if is_key_begin(l) && !is_key_end(l) => open = Some(n + 1),
                Some(from) if is_key_end(l) => {
                    if from < n {
                        bodies.push((from, n - 1));
                    }
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(from) = open {
            bodies.push((from, lines.len() as u32));
        }
        KeyBlocks { bodies }
    }

    /// Whether 1-based line `n` is key material.
    pub fn contains(&self, n: u32) -> bool {
        self.bodies.iter().any(|(a, b)| (*a..=*b).contains(&n))
    }
}

fn is_key_begin(line: &str) -> bool {
    line.contains("-----BEGIN") && line.contains("PRIVATE KEY")
}

fn is_key_end(line: &str) -> bool {
    line.contains("-----END") && line.contains("PRIVATE KEY")
}

/// For [`text`]: the masked form of a line inside a private-key block (its non-blank
/// characters masked), and whether the next line is still inside.
fn key_block_line(line: &str, in_key: bool) -> (Option<String>, bool) {
    if in_key {
        if is_key_end(line) {
            return (None, false);
        }
        return (Some(mask_all(line)), true);
    }
    (None, is_key_begin(line) && !is_key_end(line))
}

/// Every non-whitespace character of `line` masked (a line of key material).
pub fn mask_all(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_whitespace() { c } else { MASK })
        .collect()
}

/// Byte ranges of `line` to hide, possibly overlapping.
fn secret_ranges(line: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for (_, r) in secrets::known_token_matches(line) {
        ranges.push(keep_head(line, r));
    }
    for u in secrets::url_userinfo(line) {
        match (&u.password, &u.password_range) {
            (Some(p), Some(r)) => {
                if !p.starts_with('$') && !p.is_empty() && !secrets::is_placeholder(p) {
                    ranges.push(r.clone());
                }
            }
            _ => {
                // `https://<token>@github.com`: a user name that is a token, not a login.
                if !u.user.starts_with('$')
                    && (secrets::is_high_entropy(&u.user)
                        || secrets::known_token(&u.user).is_some())
                {
                    ranges.push(u.user_range.clone());
                }
            }
        }
    }
    assignments(line, &mut ranges);
    secret_defaults(line, &mut ranges);
    ranges.retain(|r| !r.is_empty());
    ranges
}

/// `r` without the first characters [`secrets::visible_head`] lets a report show (a known
/// format's prefix, `ghp_`: every format matches at least 15 characters).
fn keep_head(line: &str, r: Range<usize>) -> Range<usize> {
    let value = &line[r.clone()];
    let head = secrets::visible_head(value.chars().count());
    let skip = value
        .char_indices()
        .nth(head)
        .map_or(value.len(), |(i, _)| i);
    r.start + skip..r.end
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Whether a name (a variable, a key, an option without its dashes) says its value is secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.trim_start_matches('-');
    if name.is_empty() {
        return false;
    }
    secrets::is_auth_header(name) || secrets::secret_name(name).is_some()
}

/// Finds `NAME=value`, `NAME: value`, `--name value` and `ENV NAME value` with a secret name
/// and pushes the value's range.
fn assignments(line: &str, ranges: &mut Vec<Range<usize>>) {
    let b = line.as_bytes();
    let legacy_env = legacy_env_name(line);
    let mut i = 0;
    while i < b.len() {
        if !is_name_byte(b[i]) || (i > 0 && is_name_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_name_byte(b[i]) {
            i += 1;
        }
        let name = &line[start..i];
        let opening_quote = start
            .checked_sub(1)
            .map(|k| b[k])
            .filter(|q| *q == b'"' || *q == b'\'');
        // A key may be quoted (`"password": "x"`): step over its closing quote.
        let mut after = i;
        if opening_quote.is_some() && b.get(after) == opening_quote.as_ref() {
            after += 1;
        }
        let value_at = match b.get(after) {
            Some(b'=') if !(name.starts_with("--") && is_flag_without_value(name)) => {
                // `- NAME=a value with spaces`: a YAML list item's value is the rest of it.
                let sep = if opening_quote.is_none() && is_list_item(line, start) {
                    Sep::Colon
                } else {
                    Sep::Equals
                };
                Some((after + 1, sep))
            }
            Some(b':')
                if matches!(b.get(after + 1), None | Some(b' ' | b'\t'))
                    && is_key_position(line, start, opening_quote) =>
            {
                let flow = opening_quote.is_none() && in_flow(line, start);
                let sep = if flow { Sep::FlowColon } else { Sep::Colon };
                Some((skip_blanks(b, after + 1), sep))
            }
            Some(b' ' | b'\t')
                if (name.starts_with("--") && !is_flag_without_value(name))
                    || legacy_env == Some(start..i) =>
            {
                Some((skip_blanks(b, after), Sep::Space))
            }
            _ => None,
        };
        let Some((at, sep)) = value_at else {
            continue;
        };
        if !is_secret_name(name) {
            continue;
        }
        let closing = if after > i { None } else { opening_quote };
        if let Some(r) = value_range(line, at, sep, closing) {
            ranges.push(r);
        }
    }
}

/// `${DB_PASSWORD:-hunter2}` anywhere in a line: the default of a secret-named variable is
/// the secret's value when the variable is unset.
fn secret_defaults(line: &str, ranges: &mut Vec<Range<usize>>) {
    let mut from = 0;
    while let Some(k) = line[from..].find("${") {
        let at = from + k;
        from = at + 2;
        let name_len = line[from..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if !is_secret_name(&line[from..from + name_len]) {
            continue;
        }
        if let Some(Some(r)) = variable_default(&line[at..]) {
            ranges.push(at + r.start..at + r.end);
        }
    }
}

/// Whether a name followed by `: ` is a key (so what follows is its value) rather than a word
/// in a sentence ("removes the password: the account…"): it starts the line (after
/// indentation and a YAML `- `), follows `{` or `,` (a flow map, JSON), or is quoted (JSON, a
/// `"Authorization: …"` header).
fn is_key_position(line: &str, start: usize, opening_quote: Option<u8>) -> bool {
    if opening_quote.is_some() {
        return true;
    }
    let before = line[..start].trim_end();
    let before = before.strip_suffix('-').map_or(before, str::trim_end);
    before.is_empty() || before.ends_with('{') || before.ends_with(',')
}

/// Whether a name is the first thing in a YAML block list item (`  - NAME=value`).
fn is_list_item(line: &str, start: usize) -> bool {
    line[..start]
        .trim_end()
        .strip_suffix('-')
        .is_some_and(|lead| lead.trim().is_empty())
}

/// Whether a key sits in a YAML flow map (`{a: 1, token: x}`): its value ends at `,` or `}`.
fn in_flow(line: &str, start: usize) -> bool {
    let before = line[..start].trim_end();
    before.ends_with('{') || before.ends_with(',')
}

/// A value that only stands for one: `…`, `...`, `<…>`.
fn is_ellipsis(value: &str) -> bool {
    value
        .chars()
        .all(|c| matches!(c, '…' | '.' | '<' | '>' | '*' | ')' | '('))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    Equals,
    Colon,
    FlowColon,
    Space,
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Options with a secret-sounding name that take no secret value: `--password-stdin` (the
/// secret comes from stdin), `--secret id=…` (BuildKit names the secret, it does not hold it).
fn is_flag_without_value(name: &str) -> bool {
    let name = name.trim_start_matches('-').to_ascii_lowercase();
    name.ends_with("stdin") || name == "secret" || name.ends_with("-file")
}

/// In `ENV NAME value` (the legacy one-pair form), the byte range of `NAME`.
fn legacy_env_name(line: &str) -> Option<Range<usize>> {
    let trimmed = line.trim_start();
    let lead = line.len() - trimmed.len();
    let keyword = trimmed.get(..4)?;
    if !keyword.eq_ignore_ascii_case("ENV ") && !keyword.eq_ignore_ascii_case("ENV\t") {
        return None;
    }
    let rest = &trimmed[4..];
    let name_start = lead + 4 + (rest.len() - rest.trim_start().len());
    let name_len = line[name_start..]
        .bytes()
        .take_while(|b| is_name_byte(*b))
        .count();
    (name_len > 0).then_some(name_start..name_start + name_len)
}

/// The range to hide of the value that starts at byte `at`, or `None` when the value is no
/// secret (empty, a variable reference, a placeholder, a boolean, a path).
fn value_range(line: &str, at: usize, sep: Sep, closing: Option<u8>) -> Option<Range<usize>> {
    let b = line.as_bytes();
    let (from, to) = match b.get(at) {
        Some(q @ (b'"' | b'\'')) => {
            let from = at + 1;
            let to = line[from..]
                .find(*q as char)
                .map_or(line.len(), |k| from + k);
            (from, to)
        }
        // A nested map or list (`secrets: {file: …}`), not a scalar value.
        Some(b'{' | b'[') if matches!(sep, Sep::Colon | Sep::FlowColon) => return None,
        // `<your token>`: a placeholder, spaces and all.
        Some(b'<') if line[at..].contains('>') => {
            (at, line[at..].find('>').map_or(line.len(), |k| at + k + 1))
        }
        Some(_) => {
            let to = match (sep, closing) {
                // A YAML/header value runs to the end of the line (or a ` #` comment)…
                (Sep::Colon, None) => line[at..]
                    .find(" #")
                    .map_or(line.len(), |k| at + k)
                    .min(line.trim_end().len()),
                // …or to the `,` or `}` that ends it in a flow map…
                (Sep::FlowColon, _) => line[at..].find([',', '}']).map_or(line.len(), |k| at + k),
                // …or to the quote that closes `"Authorization: Bearer …"`.
                (Sep::Colon, Some(q)) => line[at..].find(q as char).map_or(line.len(), |k| at + k),
                _ => line[at..]
                    .find(|c: char| {
                        c.is_whitespace() || c == '`' || Some(c as u32) == closing.map(u32::from)
                    })
                    .map_or(line.len(), |k| at + k),
            };
            (at, to)
        }
        None => return None,
    };
    if from >= to {
        return None;
    }
    // `Authorization: Bearer <credential>`: the scheme is no secret; judge what follows it.
    let from = from + auth_scheme_len(&line[from..to]);
    let value = &line[from..to];
    let value_trim = value.trim_end_matches([',', ';', '\\']);
    let to = from + value_trim.len();
    if value_trim.is_empty() {
        return None;
    }
    if let Some(default) = variable_default(value_trim) {
        return default.map(|r| from + r.start..from + r.end);
    }
    if secrets::is_trivial(value_trim)
        || secrets::is_path_or_url(value_trim)
        || is_ellipsis(value_trim)
        // A value a rule already redacted in its own words (`supe…(11 chars)`).
        || secrets::is_redacted(value_trim)
    {
        return None;
    }
    // A token in a known format keeps its prefix, as it does anywhere else in the line.
    if secrets::known_token(value_trim).is_some_and(|(_, m)| m == value_trim) {
        return Some(keep_head(line, from..to));
    }
    Some(from..to)
}

/// Length of a leading HTTP authentication scheme and its space (`Bearer `, `token `), or 0.
fn auth_scheme_len(value: &str) -> usize {
    const SCHEMES: &[&str] = &["bearer", "basic", "token", "digest", "bot", "apikey"];
    match value.split_once(' ') {
        Some((scheme, rest))
            if !rest.trim().is_empty()
                && SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) =>
        {
            scheme.len() + 1
        }
        _ => 0,
    }
}

/// For a value that starts with a variable reference: `Some(None)` for a plain `$X`/`${X}`
/// (nothing to hide), `Some(Some(range))` for the default/alternative text of
/// `${X:-default}` (relative to the value), `None` when the value is not a variable reference.
fn variable_default(value: &str) -> Option<Option<Range<usize>>> {
    // `$(cat /run/secrets/x)` / `` `cat …` ``: computed when the line runs, nothing written here
    // to hide (and the fix texts that advise it must stay readable).
    if value.starts_with("$(") || value.starts_with('`') {
        return Some(None);
    }
    let rest = value.strip_prefix('$')?;
    let Some(inner) = rest.strip_prefix('{') else {
        let plain = rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        return plain.then_some(None);
    };
    let close = inner.find('}').unwrap_or(inner.len());
    let body = &inner[..close];
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let op = &body[name_len..];
    let op_len = ["-", ":-", "=", ":=", "+", ":+", "?", ":?"]
        .iter()
        .filter(|o| op.starts_with(**o))
        .map(|o| o.len())
        .max()
        .unwrap_or(0);
    let default = &op[op_len..];
    if op_len == 0 || default.is_empty() || secrets::is_trivial(default) {
        return Some(None);
    }
    // `$` + `{` + name + operator: where the default starts in the value.
    let start = 2 + name_len + op_len;
    Some(Some(start..start + default.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GHP: &str = "ghp_8fK2mQ9xL4vR7tY1wZ3nB6cD0eH5jP2sA9uE";

    #[test]
    fn known_tokens_keep_their_prefix_and_length() {
        let l = format!("ARG GITHUB_TOKEN={GHP}");
        let r = line(&l);
        assert!(!r.contains(GHP), "{r}");
        assert!(r.contains("ghp_****"), "{r}");
        assert_eq!(r.chars().count(), l.chars().count());
    }

    #[test]
    fn secret_assignments_are_masked_in_every_spelling() {
        for (input, want) in [
            ("ENV DB_PASSWORD=hunter22", "ENV DB_PASSWORD=********"),
            ("ENV DB_PASSWORD hunter22", "ENV DB_PASSWORD ********"),
            ("  -e API_KEY=abc123 \\", "  -e API_KEY=****** \\"),
            ("  - API_KEY=abc123", "  - API_KEY=******"),
            (
                "  - API_KEY=blue police box # c",
                "  - API_KEY=*************** # c",
            ),
            ("    API_KEY: abc 123 # c", "    API_KEY: ******* # c"),
            ("  - password: abc", "  - password: ***"),
            ("{a: 1, token: abc}", "{a: 1, token: ***}"),
            ("{token: abc, b: 2}", "{token: ***, b: 2}"),
            (r#"{"password": "s3cr3t"}"#, r#"{"password": "******"}"#),
            (r#"-e "API_TOKEN=abc" img"#, r#"-e "API_TOKEN=***" img"#),
            ("login --password=abc def", "login --password=*** def"),
            ("login --password abc def", "login --password *** def"),
            (
                r#"curl -H "Authorization: Bearer abc""#,
                r#"curl -H "Authorization: Bearer ***""#,
            ),
            ("X=${DB_PASSWORD:-hunter22}", "X=${DB_PASSWORD:-********}"),
            (
                r#"curl -H "Authorization: Bearer $API_TOKEN""#,
                r#"curl -H "Authorization: Bearer $API_TOKEN""#,
            ),
            ("DB_PASSWORD=${PW:-hunter22}", "DB_PASSWORD=${PW:-********}"),
        ] {
            assert_eq!(line(input), want, "{input}");
        }
    }

    #[test]
    fn a_value_a_rule_already_redacted_is_left_as_it_is() {
        for line in [
            "LAUNCHPAD_RPC_SHARED_SECRET=supe…(11 chars)",
            "ENV API_TOKEN=\"ghp_…(40 chars)\"",
        ] {
            assert_eq!(text(line), line);
        }
    }

    #[test]
    fn command_substitutions_are_not_secrets() {
        for line in [
            "before that, `DB_PASSWORD=$(cat /run/secrets/db_password)` in the same RUN",
            "export API_TOKEN=`cat /run/secrets/token`",
        ] {
            assert_eq!(text(line), line);
        }
    }

    #[test]
    fn non_secrets_are_left_alone() {
        for input in [
            "ENV PASSWORD_FILE=/run/secrets/db",
            "ENV DB_PASSWORD=$DB_PASSWORD",
            "ENV DB_PASSWORD=${DB_PASSWORD}",
            "ENV API_KEY=<your key>",
            "ENV AUTH_ENABLED=true",
            "RUN --mount=type=secret,id=token cat /run/secrets/token",
            "docker login --password-stdin registry.example.com",
            "image: nginx:1.25",
            "FROM alpine:3.20 AS build",
            "services:",
            "`passwd -d` removes the password: the account can log in without one",
            "do not ship the file behind GOOGLE_APPLICATION_CREDENTIALS: mount it at run time",
            "read the answer from a build secret: `RUN --mount=type=secret,id=pw cat`",
            "(the file holds `[client]` and `password=…`)",
            "top-level `secrets: {db_password: {file: ./secrets/db.txt}}`, `secrets: [db]`",
        ] {
            assert_eq!(line(input), input);
        }
    }

    #[test]
    fn url_credentials_hide_the_password_and_token_users() {
        assert_eq!(
            line("git clone https://bob:hunter22@example.com/r.git"),
            "git clone https://bob:********@example.com/r.git"
        );
        let l = format!("git clone https://{GHP}@github.com/o/r");
        assert!(!line(&l).contains(GHP));
    }

    #[test]
    fn private_key_blocks_are_masked_whole() {
        let key =
            "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\ndef==\n-----END RSA PRIVATE KEY-----\nb";
        let r = text(key);
        assert!(!r.contains("MIIEabc") && !r.contains("def=="), "{r}");
        assert!(r.contains("-----END RSA PRIVATE KEY-----"));
        let lines: Vec<&str> = key.split('\n').collect();
        let blocks = KeyBlocks::find(&lines);
        assert_eq!(
            (1..=6).map(|n| blocks.contains(n)).collect::<Vec<_>>(),
            [false, false, true, true, false, false]
        );
    }

    #[test]
    fn texts_without_secrets_are_borrowed() {
        assert!(matches!(text("USER root\nFROM x"), Cow::Borrowed(_)));
        assert!(matches!(line("USER root"), Cow::Borrowed(_)));
    }
}
