//! A literal secret found in a RUN, located and judged, before it becomes a finding; and the
//! helpers that make one from a character range of a shell word or a heredoc body.

use super::grade::{self, Grade};
use crate::analysis::run::commands::shorten;
use crate::analysis::run::instructions::Run;
use crate::rules::secrets::patterns;
use plimsoll_core::Span;
use plimsoll_shell::{HereBody, Part, Word};

/// One literal secret in a RUN.
#[derive(Debug, Clone)]
pub struct Hit {
    pub span: Span,
    /// The secret itself: used to judge and de-duplicate, never shown.
    pub secret: String,
    pub grade: Grade,
    /// What the RUN does with it (`passes a literal password to `docker login -p``).
    pub what: String,
    /// The command or text with the secret masked.
    pub evidence: String,
    /// The location-independent part of the fingerprint; never contains the secret.
    pub slot: String,
    pub fix: String,
}

/// The words of a command (or a text) with the secret masked, for evidence.
pub fn masked_words(words: &[Word], target: &Word, from: usize, to: usize) -> String {
    let text = words
        .iter()
        .map(|w| {
            if std::ptr::eq(w, target) {
                mask_chars(&w.text, from, to)
            } else {
                w.text.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    shorten(&text, 120)
}

/// `text` with characters `from..to` replaced by their redaction.
pub fn mask_chars(text: &str, from: usize, to: usize) -> String {
    let head: String = text.chars().take(from).collect();
    let secret: String = text
        .chars()
        .skip(from)
        .take(to.saturating_sub(from))
        .collect();
    let tail: String = text.chars().skip(to).collect();
    format!("{head}{}{tail}", patterns::redact(&secret))
}

/// Whether characters `from..to` of a word are literal (no `$VAR` or `$(…)` among them).
pub fn range_is_literal(w: &Word, from: usize, to: usize) -> bool {
    let mut at = 0;
    for p in &w.parts {
        let len = match p {
            Part::Lit(s) => s.chars().count(),
            Part::Param { len, .. } | Part::Subst { len } => *len,
        };
        if !matches!(p, Part::Lit(_)) && at < to && at + len > from {
            return false;
        }
        at += len;
    }
    true
}

/// Characters `from..to` of a string.
pub fn chars(text: &str, from: usize, to: usize) -> String {
    text.chars()
        .skip(from)
        .take(to.saturating_sub(from))
        .collect()
}

/// The character index of byte offset `b` in `text`.
pub fn char_at(text: &str, b: usize) -> usize {
    text.char_indices().take_while(|(i, _)| *i < b).count()
}

/// What an extractor knows about a secret in a word, before it is judged.
pub struct InWord<'a, 'f> {
    pub run: &'a Run<'f>,
    pub origin: usize,
    /// The command's words, for the evidence.
    pub words: &'a [Word],
    pub word: &'a Word,
    /// Character range of the secret in `word.text`.
    pub from: usize,
    pub to: usize,
    /// The user name given with it, if any (a password equal to it is a default).
    pub user: Option<String>,
    pub what: String,
    pub slot: String,
    pub fix: String,
}

impl InWord<'_, '_> {
    /// Judges the range: `None` when it is not literal or not a credential.
    pub fn hit(self) -> Option<Hit> {
        if self.from >= self.to || !range_is_literal(self.word, self.from, self.to) {
            return None;
        }
        let secret = chars(&self.word.text, self.from, self.to);
        let grade = grade::of_maybe_pair(self.user.as_deref(), &secret)?;
        self.hit_as(secret, grade)
    }

    /// Like [`InWord::hit`] with a grade decided by the caller.
    pub fn hit_as(self, secret: String, grade: Grade) -> Option<Hit> {
        let span = word_range_span(self.run, self.origin, self.word, self.from, self.to);
        Some(Hit {
            span,
            grade,
            evidence: masked_words(self.words, self.word, self.from, self.to),
            secret,
            what: self.what,
            slot: self.slot,
            fix: self.fix,
        })
    }
}

/// The span of characters `from..to` of a word (the whole word when positions are missing).
pub fn word_range_span(run: &Run<'_>, origin: usize, w: &Word, from: usize, to: usize) -> Span {
    match (
        w.pos.get(from),
        to.checked_sub(1).and_then(|t| w.pos.get(t)),
    ) {
        (Some(&s), Some(&e)) if e >= s => run.span(origin, s, e + 1),
        _ => run.word_span(origin, w),
    }
}

/// What an extractor knows about a secret in a heredoc body, before it is judged.
pub struct InBody<'a, 'f> {
    pub run: &'a Run<'f>,
    pub origin: usize,
    pub body: &'a HereBody,
    /// Character range of the secret in `body.text`.
    pub from: usize,
    pub to: usize,
    pub user: Option<String>,
    pub what: String,
    pub slot: String,
    pub fix: String,
}

impl InBody<'_, '_> {
    /// Judges the range: `None` when it is not a credential.
    pub fn hit(self) -> Option<Hit> {
        if self.from >= self.to {
            return None;
        }
        let secret = chars(&self.body.text, self.from, self.to);
        let grade = grade::of_maybe_pair(self.user.as_deref(), &secret)?;
        self.hit_as(secret, grade)
    }

    /// Like [`InBody::hit`] with a grade decided by the caller.
    pub fn hit_as(self, secret: String, grade: Grade) -> Option<Hit> {
        // The body line holding the secret, masked, as evidence.
        let text: Vec<char> = self.body.text.chars().collect();
        let start = text[..self.from.min(text.len())]
            .iter()
            .rposition(|c| *c == '\n')
            .map_or(0, |i| i + 1);
        let end = text[self.to.min(text.len())..]
            .iter()
            .position(|c| *c == '\n')
            .map_or(text.len(), |i| self.to + i);
        let line: String = text[start..end].iter().collect();
        let evidence = shorten(
            mask_chars(&line, self.from - start, self.to - start).trim(),
            120,
        );
        Some(Hit {
            span: self
                .run
                .body_span(self.origin, self.body, self.from, self.to),
            secret,
            grade,
            what: self.what,
            evidence,
            slot: self.slot,
            fix: self.fix,
        })
    }
}
