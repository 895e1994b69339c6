//! The CIS Docker Benchmark, the way docker-bench-security runs it, decided from plimsoll's
//! own facts and rules.
//!
//! - [`catalogue`]: every docker-bench check of sections 1–7 — id, title, tag
//!   (Automated/Manual), scored or not, remediation, and how plimsoll decides it (which RS
//!   rules for containers, the image configs, the engine's `info`, the host collector).
//! - [`decide()`]: from the audited containers' findings, the images, `info`, networks and the
//!   host collector's verdicts to PASS/WARN/INFO/NOTE per check, with the offending items;
//!   facts that could not be read give INFO `not checked: <reason>`, never PASS. The score is
//!   docker-bench's: +1 per scored PASS, −1 per scored WARN; `Checks` counts every result.
//!
//! - [`host_verdicts`]: the DM/HS rules' results as the host verdicts `decide()` reads.
//!
//! The engine collector (`plimsoll-engine`) gathers what [`BenchInput`] holds; the report
//! crate prints the result as docker-bench does.

pub mod catalogue;
pub mod decide;
pub mod host_verdicts;

pub use catalogue::{Check, How, CHECKS, HEADINGS};
pub use decide::{
    decide, selected, AuditedContainer, Bench, BenchImage, BenchInput, BenchNetwork, CheckResult,
    EngineInfo, HostResult, Outcome, Verdict,
};
pub use host_verdicts::evaluate;
