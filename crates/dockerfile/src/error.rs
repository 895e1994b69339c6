//! Parse errors: where BuildKit would refuse the file, or the bytes are not a text Dockerfile.

use plimsoll_core::Span;

/// Why a Dockerfile could not be parsed, where, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    /// Where the problem is (line and column), when it has a place.
    pub span: Option<Span>,
    pub hint: Option<String>,
}

impl ParseError {
    pub fn new(message: impl Into<String>, span: Option<Span>) -> Self {
        ParseError {
            message: message.into(),
            span,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}
