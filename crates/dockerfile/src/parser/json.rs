//! The exec-form JSON array (`RUN ["a", "b"]`), decoded as Go's `encoding/json` does for
//! BuildKit's `parseJSON` (moby/buildkit `frontend/dockerfile/parser/line_parsers.go`).
//!
//! BuildKit unmarshals the argument text into `[]any`: any syntax error (single quotes,
//! unterminated string or bracket, trailing text) makes the instruction fall back to shell
//! form, while a *valid* array holding anything but strings (`[["a"]]`, `[1]`) is a hard error.
//! Go's decoder checks the whole text before decoding, so a syntax error anywhere wins over a
//! non-string element. Lone UTF-16 surrogates in `\u` escapes decode to U+FFFD, as in Go. The
//! validator is iterative, so deep nesting cannot overflow the stack (Go limits depth to 10,000).

/// Why the text is not an exec-form array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON, or not an array: the instruction is in shell form.
    Syntax,
    /// A valid array with a non-string element: BuildKit's
    /// "when using JSON array syntax, arrays must be comprised of strings only".
    NotStringArray,
}

/// One decoded element and its byte range (quotes included) in the input.
pub type Element = (String, (usize, usize));

const MAX_DEPTH: usize = 10_000;

/// Parses `text` (which starts with `[`) as a JSON array of strings.
pub fn parse_string_array(text: &str) -> Result<Vec<Element>, JsonError> {
    let b = text.as_bytes();
    let mut p = Parser { b, i: 0 };
    p.ws();
    if p.peek() != Some(b'[') {
        return Err(JsonError::Syntax);
    }
    // First pass: validate the whole document (Go's checkValid), noting top-level elements.
    let mut top: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, is_string)
    p.validate_document(&mut top)?;
    let mut out = Vec::with_capacity(top.len());
    for (start, end, is_string) in top {
        if !is_string {
            return Err(JsonError::NotStringArray);
        }
        out.push((decode_string(&text[start..end]), (start, end)));
    }
    Ok(out)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    /// In an array: `first` means no element yet.
    Array { first: bool },
    /// In an object: expecting a key (`first`: or `}`).
    ObjectKey { first: bool },
    /// In an object after a value.
    ObjectNext,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Validates one JSON document that is an array, recording the top-level elements.
    fn validate_document(&mut self, top: &mut Vec<(usize, usize, bool)>) -> Result<(), JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        // Consume the opening bracket of the top-level array.
        self.i += 1;
        stack.push(Frame::Array { first: true });
        while let Some(frame) = stack.last().copied() {
            self.ws();
            match frame {
                Frame::Array { first } => {
                    // `[1,]` never gets here: after a comma a value is required.
                    if self.peek() == Some(b']') {
                        self.i += 1;
                        stack.pop();
                        continue;
                    }
                    if !first {
                        if self.peek() != Some(b',') {
                            return Err(JsonError::Syntax);
                        }
                        self.i += 1;
                        self.ws();
                    }
                    if let Some(Frame::Array { first }) = stack.last_mut() {
                        *first = false;
                    }
                    let at_top = stack.len() == 1;
                    let start = self.i;
                    let is_string = self.peek() == Some(b'"');
                    if self.value_start(&mut stack)? && at_top {
                        top.push((start, self.i, is_string));
                    } else if at_top {
                        // A nested container at top level: recorded as non-string; its end is
                        // not needed.
                        top.push((start, start, false));
                    }
                }
                Frame::ObjectKey { first } => {
                    if first && self.peek() == Some(b'}') {
                        self.i += 1;
                        stack.pop();
                        continue;
                    }
                    self.string()?;
                    self.ws();
                    if self.peek() != Some(b':') {
                        return Err(JsonError::Syntax);
                    }
                    self.i += 1;
                    self.ws();
                    if let Some(f) = stack.last_mut() {
                        *f = Frame::ObjectNext;
                    }
                    self.value_start(&mut stack)?;
                }
                Frame::ObjectNext => match self.peek() {
                    Some(b'}') => {
                        self.i += 1;
                        stack.pop();
                    }
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                        if let Some(f) = stack.last_mut() {
                            *f = Frame::ObjectKey { first: false };
                        }
                    }
                    _ => return Err(JsonError::Syntax),
                },
            }
            if stack.len() > MAX_DEPTH {
                return Err(JsonError::Syntax);
            }
        }
        self.ws();
        if self.i != self.b.len() {
            return Err(JsonError::Syntax);
        }
        Ok(())
    }

    /// Starts a value at the cursor. Scalars are consumed (returns true); containers push a
    /// frame (returns false).
    fn value_start(&mut self, stack: &mut Vec<Frame>) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b'"') => {
                self.string()?;
                Ok(true)
            }
            Some(b'[') => {
                self.i += 1;
                stack.push(Frame::Array { first: true });
                Ok(false)
            }
            Some(b'{') => {
                self.i += 1;
                stack.push(Frame::ObjectKey { first: true });
                Ok(false)
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                Ok(true)
            }
            _ => Err(JsonError::Syntax),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<bool, JsonError> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(true)
        } else {
            Err(JsonError::Syntax)
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<(), JsonError> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(JsonError::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(JsonError::Syntax);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(JsonError::Syntax);
            }
        }
        Ok(())
    }

    /// A string: no raw control characters, only JSON escapes.
    fn string(&mut self) -> Result<(), JsonError> {
        if self.peek() != Some(b'"') {
            return Err(JsonError::Syntax);
        }
        self.i += 1;
        loop {
            match self.peek() {
                None => return Err(JsonError::Syntax),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    match self.peek() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => self.i += 1,
                        Some(b'u') => {
                            self.i += 1;
                            for _ in 0..4 {
                                if !matches!(self.peek(), Some(c) if c.is_ascii_hexdigit()) {
                                    return Err(JsonError::Syntax);
                                }
                                self.i += 1;
                            }
                        }
                        _ => return Err(JsonError::Syntax),
                    }
                }
                Some(c) if c < 0x20 => return Err(JsonError::Syntax),
                Some(_) => self.i += 1,
            }
        }
    }
}

/// Decodes a validated JSON string literal (with its quotes), as Go does.
fn decode_string(lit: &str) -> String {
    let inner = &lit[1..lit.len().saturating_sub(1).max(1)];
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hi = hex4(&mut it);
                if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate pairs with an immediately following `\uDC00-\uDFFF`.
                    let rest = it.as_str();
                    if let Some(lo) = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|lo| (0xDC00..0xE000).contains(lo))
                    {
                        let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                        it = rest[6..].chars();
                        continue;
                    }
                    out.push('\u{fffd}');
                } else {
                    out.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                }
            }
            Some(other) => out.push(other), // `"`, `\`, `/`
            None => {}
        }
    }
    out
}

fn hex4(it: &mut std::str::Chars<'_>) -> u32 {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + it.next().and_then(|c| c.to_digit(16)).unwrap_or(0);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Result<Vec<String>, JsonError> {
        parse_string_array(s).map(|v| v.into_iter().map(|(s, _)| s).collect())
    }

    #[test]
    fn decodes_like_go() {
        assert_eq!(values(r#"["a", "b"]"#).unwrap(), vec!["a", "b"]);
        assert_eq!(values("[ ]").unwrap(), Vec::<String>::new());
        assert_eq!(
            values(r#"["\"\\\/\b\f\n\r\t\u0000\u00e9\ud83d\ude00\ud800"]"#).unwrap(),
            vec!["\"\\/\u{8}\u{c}\n\r\t\u{0}é😀\u{fffd}"]
        );
        assert_eq!(values("['a']"), Err(JsonError::Syntax));
        assert_eq!(values(r#"["a""#), Err(JsonError::Syntax));
        assert_eq!(values(r#"["a"] x"#), Err(JsonError::Syntax));
        assert_eq!(values(r#"["a",]"#), Err(JsonError::Syntax));
        assert_eq!(values("[\"a\tb\"]"), Err(JsonError::Syntax));
        assert_eq!(values(r#"[["a"]]"#), Err(JsonError::NotStringArray));
        assert_eq!(
            values(r#"["a", 1, {"k": [null, true]}]"#),
            Err(JsonError::NotStringArray)
        );
        assert_eq!(values(r#"[1, ["#), Err(JsonError::Syntax));
        let deep = "[".repeat(20_000);
        assert_eq!(values(&deep), Err(JsonError::Syntax));
    }

    #[test]
    fn ranges_cover_the_literals() {
        let v = parse_string_array(r#"[ "ab", "c" ]"#).unwrap();
        assert_eq!(v[0].1, (2, 6));
        assert_eq!(v[1].1, (8, 11));
    }
}
