//! Phrasing shared by the resources, exposure and operations rules, on top of the dialect's
//! [`subject`](crate::dialect::Dialect::subject): how a setting,
//! an image and a fact learned from another stage are named in messages and fixes.

use crate::model::{Origin, RunSpec, Via};

/// The name of the setting an origin records, as its source spells it: the compose key path
/// (`deploy.resources.limits.memory`), the flag (`--memory`), the inspect field.
pub(crate) fn setting(origin: &Origin) -> &str {
    match &origin.via {
        Via::Compose(key) | Via::Flag(key) | Via::Inspect(key) | Via::Derived(key) => key,
    }
}

/// A fingerprint key for a finding about `spec`: the service, command or container name
/// first, so two services of one file missing the same setting stay two findings.
pub(crate) fn spec_key(spec: &RunSpec, key: impl std::fmt::Display) -> String {
    format!("{}:{key}", spec.name)
}

/// The image as a message names it: `` `nginx:1.27` ``, or "built from `./api`".
pub(crate) fn image_name(spec: &RunSpec) -> String {
    match (&spec.image, &spec.build) {
        (_, Some(b)) => format!("built from `{}`", b.value.context),
        (Some(i), None) => format!("`{}`", i.value),
        (None, None) => "none named".to_string(),
    }
}

/// Where a fact learned from another stage came from: its description
/// (`final stage of api/Dockerfile`), else its file.
pub(crate) fn fact_source(origin: &Origin) -> String {
    match &origin.via {
        Via::Derived(d) if !d.is_empty() => d.clone(),
        _ => origin.location.path.clone(),
    }
}

/// The container's name for a `docker update`/`docker inspect` suggestion.
pub(crate) fn container_name(spec: &RunSpec) -> &str {
    if spec.name.is_empty() {
        "<container>"
    } else {
        &spec.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{compose, container, run};

    #[test]
    fn names() {
        let spec = compose("web").memory("512m", 1 << 29).build();
        let origin = spec.memory.as_ref().map(|m| &m.origin);
        assert_eq!(origin.map(setting), Some("mem_limit"));
        assert_eq!(image_name(&spec), "`nginx:1.27`");
        let built = compose("api").build_context("./api").build();
        assert_eq!(image_name(&built), "built from `./api`");
        assert_eq!(container_name(&container("db").build()), "db");
        let run_spec = run("x").with(|s| s.name.clear()).build();
        assert_eq!(container_name(&run_spec), "<container>");
    }
}
