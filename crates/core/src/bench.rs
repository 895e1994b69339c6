//! The outcome of one CIS Docker Benchmark check, as docker-bench-security prints it. The live
//! crate decides it and the report crate prints it; both name this one type, so the binary
//! hands a decided benchmark to the printer without translating.

/// PASS, WARN, INFO or NOTE, as docker-bench prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Pass,
    Warn,
    Info,
    Note,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Warn => "WARN",
            Outcome::Info => "INFO",
            Outcome::Note => "NOTE",
        }
    }
}
