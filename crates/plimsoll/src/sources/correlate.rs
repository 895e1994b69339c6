//! Correlation across stages, done here because only the binary knows both: a compose service
//! that builds its image gets the facts of the Dockerfile it builds from (its final `USER`, its
//! `HEALTHCHECK`) as [`ImageFacts`], each with the Dockerfile line as its origin. The RS rules
//! then judge "runs as root" and "no healthcheck" by what the image really does, and
//! `runspec` never imports `dockerfile`.

use plimsoll_core::finding::path_string;
use plimsoll_core::Location;
use plimsoll_dockerfile::image_defaults::{image_defaults, Decided};
use plimsoll_dockerfile::Dockerfile;
use plimsoll_runspec::compose::FileSource;
use plimsoll_runspec::{Build, ImageFacts, Origin, RunSpec, Sourced, Via};
use std::path::{Path, PathBuf};

/// A Dockerfile a service builds from, parsed (or why it could not be).
pub struct BuiltFrom {
    /// The display path (`api/Dockerfile`), or `<compose file>#<service>.dockerfile_inline`.
    pub path: String,
    pub result: Result<Dockerfile, String>,
    /// The stage the service builds (`build.target`); `None` builds the last stage.
    pub target: Option<String>,
    /// The service that builds it, for messages.
    pub service: String,
}

/// Where a build's Dockerfile is, when it is a local file: `context/dockerfile` (an absolute
/// `dockerfile` stands alone). `None` for remote contexts (git URLs, tarballs over HTTP) and
/// inline Dockerfiles.
fn dockerfile_path(build: &Build) -> Option<PathBuf> {
    if build.inline.is_some() || is_remote(&build.context) {
        return None;
    }
    let dockerfile = if build.dockerfile.is_empty() {
        "Dockerfile"
    } else {
        build.dockerfile.as_str()
    };
    Some(normalise(&Path::new(&build.context).join(dockerfile)))
}

fn is_remote(context: &str) -> bool {
    [
        "http://",
        "https://",
        "git://",
        "git@",
        "ssh://",
        "github.com/",
    ]
    .iter()
    .any(|p| context.starts_with(p))
        || context.contains(".git#")
}

/// Lexical normalisation (`a/./b/../c` → `a/c`), never touching the filesystem.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Reads and parses the Dockerfile of `spec`'s build (if it has one) and fills
/// `spec.image_facts` from it. Returns the Dockerfile so the caller can audit and report it.
pub fn attach_image_facts(
    spec: &mut RunSpec,
    compose_path: &str,
    files: &dyn FileSource,
) -> Option<BuiltFrom> {
    let build = spec.build.as_ref()?.value.clone();
    let built = if let Some(inline) = &build.inline {
        let path = format!("{compose_path}#{}.build.dockerfile_inline", spec.name);
        let result =
            plimsoll_dockerfile::parse(&path, inline.as_bytes()).map_err(|e| e.message.clone());
        BuiltFrom {
            path,
            result,
            target: build.target.clone(),
            service: spec.name.clone(),
        }
    } else {
        let file = dockerfile_path(&build)?;
        let path = path_string(&file);
        let result = match files.read(&file) {
            Ok(bytes) => plimsoll_dockerfile::parse(&path, &bytes).map_err(|e| e.message.clone()),
            Err(e) => Err(format!("cannot read {path}: {e}")),
        };
        BuiltFrom {
            path,
            result,
            target: build.target.clone(),
            service: spec.name.clone(),
        }
    };
    if let Ok(dockerfile) = &built.result {
        let defaults = image_defaults(dockerfile, build.target.as_deref());
        let facts = ImageFacts {
            user: defaults
                .user
                .map(|d| fact(d, &built.path, "the user of the image it builds")),
            healthcheck: defaults
                .healthcheck
                .map(|d| fact(d, &built.path, "the healthcheck of the image it builds")),
        };
        spec.image_facts = Some(facts);
    }
    Some(built)
}

fn fact<T>(decided: Decided<T>, path: &str, what: &str) -> Sourced<T> {
    Sourced::new(
        decided.value,
        Origin::new(
            Location::with_span(path, decided.span),
            decided.written,
            Via::Derived(format!("{what}: {path}")),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(context: &str, dockerfile: &str) -> Build {
        Build {
            context: context.into(),
            dockerfile: dockerfile.into(),
            inline: None,
            target: None,
            base_dir: ".".into(),
        }
    }

    #[test]
    fn finds_local_dockerfiles_only() {
        assert_eq!(
            dockerfile_path(&build("proj/./api", "")),
            Some(PathBuf::from("proj/api/Dockerfile"))
        );
        assert_eq!(
            dockerfile_path(&build("proj/api", "../docker/api.Dockerfile")),
            Some(PathBuf::from("proj/docker/api.Dockerfile"))
        );
        assert_eq!(
            dockerfile_path(&build("https://github.com/x/y.git#main", "")),
            None
        );
    }
}
