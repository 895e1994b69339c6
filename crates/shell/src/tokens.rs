//! What the lexer hands the parser: tokens (words, operators, redirections, line ends) and the
//! heredocs whose bodies are still to be read. A module of its own so the lexer and the parser
//! both import it and neither imports the other's vocabulary.

use super::ast::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    AndIf,
    OrIf,
    Semi,
    DSemi,
    SemiAmp,
    DSemiAmp,
    Pipe,
    PipeAmp,
    Amp,
    LParen,
    RParen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Word(Word),
    Op(Op, Ix),
    Redir {
        fd: Option<u32>,
        op: RedirOp,
        start: Ix,
    },
    Newline,
    Eof,
}

pub(super) static EOF: Tok = Tok::Eof;

pub(super) struct Pending {
    pub(super) id: usize,
    pub(super) delim: String,
    pub(super) strip: bool,
    pub(super) expand: bool,
}
