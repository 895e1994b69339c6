//! Instruction-structure rules (DF009–DF025): how `ADD`, `COPY`, `EXPOSE`, `HEALTHCHECK`,
//! `WORKDIR`, `VOLUME`, `RUN` flags, stage names and `CMD`/`ENTRYPOINT` are used.

use super::Rule;

pub mod add_instead_of_copy;
pub mod add_url;
pub mod copy_dest_dir;
pub mod copy_from_invalid;
pub mod copy_stage_root;
pub mod duplicate_stage_name;
pub mod invalid_expose;
pub mod maintainer;
pub mod missing_healthcheck;
pub mod multiple_cmd_entrypoint;
pub mod multiple_healthchecks;
pub mod relative_workdir;
pub mod run_insecure;
pub mod run_network_host;
pub mod sensitive_paths;
pub mod shell_form;
pub mod ssh_port;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &add_url::AddUrl,
    &add_instead_of_copy::AddInsteadOfCopy,
    &ssh_port::SshPort,
    &missing_healthcheck::MissingHealthcheck,
    &multiple_healthchecks::MultipleHealthchecks,
    &sensitive_paths::SensitivePaths,
    &run_insecure::RunInsecure,
    &run_network_host::RunNetworkHost,
    &copy_stage_root::CopyStageRoot,
    &copy_from_invalid::CopyFromInvalid,
    &duplicate_stage_name::DuplicateStageName,
    &multiple_cmd_entrypoint::MultipleCmdEntrypoint,
    &relative_workdir::RelativeWorkdir,
    &maintainer::Maintainer,
    &invalid_expose::InvalidExpose,
    &copy_dest_dir::CopyDestDir,
    &shell_form::ShellForm,
];
