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
//! - [`render`]: docker-bench's text report and JSON log shape.
//! - [`Engine::list_containers`](crate::Engine::list_containers): the container list used to
//!   pick what to audit.

pub mod catalogue;
mod collect;
pub mod decide;
pub mod render;

pub use catalogue::{Check, How, CHECKS, HEADINGS};
pub use decide::{
    decide, selected, AuditedContainer, Bench, BenchImage, BenchInput, CheckResult, HostResult,
    Outcome, Verdict,
};
pub use render::{json, text, TextOptions, DOCKER_BENCH_VERSION};

/// The label that keeps a container or image out of `plimsoll bench` (any value): set it on
/// plimsoll's own container when it runs in one.
pub const IGNORE_LABEL: &str = "plimsoll.bench.ignore";

/// What 4.6 needs of an inspected image: its name (first `repo:tag`, else short id) and
/// whether it defines a healthcheck other than `NONE`.
pub fn bench_image(inspect: &bollard::models::ImageInspect) -> BenchImage {
    let name = inspect
        .repo_tags
        .as_ref()
        .and_then(|t| t.iter().find(|t| !t.is_empty() && *t != "<none>:<none>"))
        .cloned()
        .unwrap_or_else(|| {
            crate::map::short_id(inspect.id.as_deref().unwrap_or_default()).to_string()
        });
    let healthcheck = inspect
        .config
        .as_ref()
        .and_then(|c| c.healthcheck.as_ref())
        .and_then(|h| h.test.as_ref())
        .and_then(|t| t.first())
        .is_some_and(|t| t != "NONE");
    BenchImage { name, healthcheck }
}
