//! Secret rules (DF007–DF008): secrets written into `ENV`/`ARG`, and credential files copied
//! into layers.

use super::Rule;

pub mod patterns;

pub mod credential_file;
pub mod secret_env_arg;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &secret_env_arg::SecretEnvArg,
    &credential_file::CredentialFile,
];
