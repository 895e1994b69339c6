//! Operations (RS029–RS033): how the container is kept running and traced — restart
//! policies that retry forever, missing healthchecks, secrets in the environment, logging
//! switched off, and images that can change under the same name.

use super::Rule;

pub mod image_not_pinned;
pub mod logging_disabled;
pub mod no_healthcheck;
pub mod restart_policy;
pub mod secret_env;

/// The rules of this group, in id order.
pub static RULES: &[&dyn Rule] = &[
    &restart_policy::RestartForever,
    &no_healthcheck::NoHealthcheck,
    &secret_env::SecretEnv,
    &logging_disabled::LoggingDisabled,
    &image_not_pinned::ImageNotPinned,
];
