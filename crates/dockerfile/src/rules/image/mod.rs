//! User and base-image rules (DF001–DF006, DF050): who the final image runs as, and which images the
//! build pulls (pinned, trusted, minimal, not a toolchain shipped to production).

use super::Rule;

pub mod named_user;
pub mod no_digest;
pub mod non_minimal;
pub mod root_user;
pub mod single_stage_tools;
pub mod unpinned_tag;
pub mod untrusted;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &root_user::RootUser,
    &unpinned_tag::UnpinnedTag,
    &no_digest::NoDigest,
    &untrusted::Untrusted,
    &non_minimal::NonMinimal,
    &single_stage_tools::SingleStageTools,
    &named_user::UserByName,
];
