//! What RUN commands do (DF030–DF048), plus the ENV/ARG settings that switch verification off.
//!
//! The rules share one reading of each RUN: [`runs`] finds every RUN (ONBUILD ones too) with
//! its stage, shell and variables; [`plimsoll_shell`] parses its script (shell form, heredoc script,
//! or exec form with `sh -c`) into commands with exact positions ([`origin`]); [`flat`] lists
//! the commands it executes in order, with wrappers peeled off and pipelines kept; [`pkg`]
//! and [`opts`] read package-manager and other command lines; [`writes`] finds configuration
//! text written to files; [`modes`], [`settings`] and [`verify`] hold the knowledge several
//! rules share. Each rule is a file of its own.

pub mod flat;
pub mod modes;
pub mod opts;
pub mod origin;
pub mod pkg;
pub mod runs;
pub mod settings;
pub mod verify;
pub mod writes;

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
