//! Secret rules (DF007, DF008, DF049): secrets written into `ENV`/`ARG`, credential files
//! copied into layers, and literal secrets in `RUN` commands and `LABEL`s.

use super::Rule;

/// The secret heuristics live in core so the RunSpec rules (RS031) share them.
pub use plimsoll_core::secrets as patterns;

pub mod credential_file;
pub mod secret_env_arg;
pub mod secret_in_run;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &secret_env_arg::SecretEnvArg,
    &credential_file::CredentialFile,
    &secret_in_run::SecretInRun,
];
