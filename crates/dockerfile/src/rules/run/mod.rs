//! What RUN commands do (DF030–DF048), plus the ENV/ARG settings that switch verification off.
//!
//! The rules share one reading of each RUN, built in [`crate::analysis::run`] (its commands,
//! package-manager lines, written files, verification switches). Each rule is a file of its own.

#[cfg(test)]
mod tests;

pub mod apt_cli;
pub mod assume_yes;
pub mod curl_and_wget;
pub mod curl_pipe_shell;
pub mod install_recommends;
pub mod package_cache;
pub mod package_upgrade;
pub mod password;
pub mod pipefail;
pub mod run_cd;
pub mod setuid;
pub mod signature_disabled;
pub mod ssh_server;
pub mod sudo;
pub mod tls_disabled;
pub mod unneeded_tools;
pub mod unpinned_version;
pub mod update_alone;
pub mod world_writable;

use super::Rule;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &curl_pipe_shell::CurlPipeShell,
    &sudo::SudoInRun,
    &world_writable::WorldWritable,
    &setuid::SetuidBits,
    &package_upgrade::PackageUpgrade,
    &update_alone::UpdateAlone,
    &install_recommends::InstallRecommends,
    &package_cache::PackageCache,
    &unpinned_version::UnpinnedVersion,
    &ssh_server::SshServer,
    &tls_disabled::TlsDisabled,
    &signature_disabled::SignatureDisabled,
    &assume_yes::MissingAssumeYes,
    &apt_cli::AptCli,
    &run_cd::RunCd,
    &pipefail::PipeWithoutPipefail,
    &password::PasswordSet,
    &unneeded_tools::UnneededTools,
    &curl_and_wget::CurlAndWget,
];
