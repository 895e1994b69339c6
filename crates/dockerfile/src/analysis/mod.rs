//! What the Dockerfile rules read, derived once from the parsed file: the model the rules are
//! judged against, kept apart from the rules so a rule reads it and never the reverse (nothing
//! here imports `crate::rules`).
//!
//! * [`stages`] and [`variables`]: the stages as rules walk them and the ARG/ENV scope before
//!   every instruction;
//! * [`run`]: every RUN read as shell (commands, packages, written files, verification);
//! * [`base_images`], [`pulled_images`], [`build_tools`]: what is known about base images,
//!   every image a build pulls, what a RUN installs for DF006;
//! * [`ports`], [`paths`], [`source_text`]: `EXPOSE` specs, container paths, exact spans;
//! * [`cache`]: the per-file cache that computes each of these once for all rules.

pub mod base_images;
pub mod build_tools;
pub mod cache;
pub mod paths;
pub mod ports;
pub mod pulled_images;
pub mod run;
pub mod source_text;
pub mod stages;
pub mod variables;
