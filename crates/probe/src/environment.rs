//! The probe's environment (`/proc/self/environ`): names of variables that look like secrets
//! (their values are never kept, printed or serialised), and the markers runtimes set
//! (`container=podman`, `KUBERNETES_SERVICE_HOST`).

use crate::root::Root;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Environment {
    /// Names of variables whose name says they hold a secret, sorted.
    pub secret_names: Vec<String>,
    /// The value of `container` (set by podman and systemd-nspawn), not a secret.
    pub container: Option<String>,
    /// `KUBERNETES_SERVICE_HOST` is set.
    pub kubernetes: bool,
}

impl Environment {
    pub fn parse(environ: &str) -> Environment {
        let mut env = Environment::default();
        for entry in environ.split('\0') {
            let Some((name, value)) = entry.split_once('=') else {
                continue;
            };
            if name == "container" {
                env.container = Some(value.chars().take(64).collect());
            }
            if name == "KUBERNETES_SERVICE_HOST" {
                env.kubernetes = true;
            }
            if !value.is_empty() && plimsoll_core::secrets::secret_name(name).is_some() {
                env.secret_names.push(name.to_string());
            }
        }
        env.secret_names.sort();
        env.secret_names.dedup();
        env
    }

    pub fn read(root: &Root) -> Environment {
        root.read("/proc/self/environ")
            .map(|t| Environment::parse(&t))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_only() {
        let env = Environment::parse(
            "PATH=/bin\0DB_PASSWORD=hunter2\0AWS_SECRET_ACCESS_KEY=x\0EMPTY_TOKEN=\0container=podman\0",
        );
        assert_eq!(env.secret_names, ["AWS_SECRET_ACCESS_KEY", "DB_PASSWORD"]);
        assert_eq!(env.container.as_deref(), Some("podman"));
        assert!(!format!("{env:?}").contains("hunter2"));
    }
}
