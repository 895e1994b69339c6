//! plimsoll's shared model: what a finding is, where it points, how rules describe themselves,
//! and how configuration and suppressions change which findings are reported.
//!
//! Every domain crate (Dockerfile, RunSpec, image, …) depends on this crate alone, produces
//! [`Finding`]s and registers its rules' [`RuleMeta`]. The binary wires them together and the
//! `report` crate renders them. Nothing here does I/O except [`config`] loading.

pub mod bench;
pub mod capabilities;
pub mod config;
pub mod finding;
pub mod image_ref;
pub mod location;
pub mod pragma;
pub mod registry;
pub mod rule;
pub mod secrets;
pub mod severity;
pub mod suppression;
pub mod tail;

pub use finding::{AuditError, Finding, FindingBuilder, Report, Suppressed, Target};
pub use location::{Location, Pos, Span};
pub use registry::Registry;
pub use rule::{References, Rule, RuleDocs, RuleMeta, RuleStatus, Stage};
pub use severity::{FailOn, Severity};
pub use tail::Tail;
