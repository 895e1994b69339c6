//! RS033: the image is not pinned by digest.

use crate::dialect::{Dialect, Fix};
use crate::rules::resources::phrasing::{container_name, spec_key};
use crate::rules::{Input, Rule};
use plimsoll_core::image_ref::ImageRef;
use plimsoll_core::{Finding, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage};

pub static META: RuleMeta = RuleMeta {
    id: "RS033",
    name: "image-not-pinned",
    title: "Image not pinned by digest",
    severity: Severity::Low,
    stage: Stage::Run,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the image a container runs is named by a tag instead of a digest \
(`@sha256:…`): **low** when there is no tag at all or it is `latest`, **info** for a \
specific tag (`nginx:1.27`). It reads `image:` in compose, the image argument of `docker \
run`, and `Config.Image` of a container; a reference by image ID (`sha256:…`) counts as \
pinned. In a script, an image given as a shell variable (`docker run \"$IMAGE\"`) is judged \
by the literal the script assigned to it earlier (`IMAGE=app@sha256:…`); when the script \
does not say (the value comes from the caller, a command substitution, or differs between \
branches) the image is not judged — its value is unknown, not untagged.\n\n\
A compose service that also has `build:` — or, in a script, a `docker run` of a tag the \
script built earlier with `docker build -t` — is left alone: `image:` then names the tag the \
build produces, which cannot carry a digest — pin the Dockerfile's `FROM` instead (DF003). \
(Without `pull_policy: build`, `docker compose up` tries to pull that name before building; \
set it if the name could exist in a registry.) Turn the rule off with `require-digest = false` \
under `[images]` in `.plimsoll.toml` if tag-level pinning is your policy.",
        why: "A tag is a mutable pointer: the image's publisher — or anyone who takes over \
their registry account or sits between you and the registry — can move `app:1.4` to \
different content, and the next pull (a new host, a scaled-out replica, `docker compose \
pull`) runs it without any change to your files. `latest` and untagged names move with every \
release, so two hosts can run different code from the same compose file. A digest names \
exact content: the pull fails rather than run anything else, deployments are reproducible, \
and a vulnerability report about a digest tells you exactly which containers run it.",
        fix: "Append the digest of the image you tested and keep the tag for readability: \
`image: nginx:1.27@sha256:<digest>` in compose, `docker run … nginx:1.27@sha256:<digest>` \
on the command line. Get the digest with `docker buildx imagetools inspect nginx:1.27` (or \
`docker inspect --format '{{index .RepoDigests 0}}' nginx:1.27` for a pulled image), and let \
Renovate or Dependabot update tag and digest together.",
        bad: concat!(
            "services:\n",
            "  web:\n",
            "    image: nginx:1.27\n",
        ),
        good: concat!(
            "services:\n",
            "  web:\n",
            "    image: nginx:1.27@sha256:2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8\n",
        ),
    },
    references: References {
        cis: &["4.2", "4.5"],
        cwe: &["CWE-494"],
        links: &[
            "https://docs.docker.com/reference/cli/docker/image/pull/#pull-an-image-by-digest-immutable-identifier",
            "https://docs.docker.com/reference/compose-file/services/#image",
        ],
        ..References::NONE
    },
};

pub struct ImageNotPinned;

impl Rule<Input<'_>> for ImageNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, input: &Input<'_>, out: &mut Vec<Finding>) {
        let spec = input.spec;
        let dialect = input.dialect;
        if !input.policy.require_digest || spec.build.is_some() {
            return;
        }
        let Some(image) = &spec.image else {
            return;
        };
        let reference = image.value.trim();
        if reference.is_empty() || is_pinned(reference) || is_unexpanded(dialect, reference) {
            return;
        }
        let tag = tag(reference);
        let (state, severity) = match tag.as_deref() {
            None => (
                "has no tag (so `latest`) and no digest: every pull may bring a different \
                 image"
                    .to_string(),
                Severity::Low,
            ),
            Some("latest") => (
                "uses the `latest` tag and no digest: every pull may bring a different image"
                    .to_string(),
                Severity::Low,
            ),
            Some(t) => (
                format!(
                    "is pinned by tag (`{t}`) but not by digest: the registry can serve \
                     different content under the same tag at the next pull"
                ),
                Severity::Info,
            ),
        };
        // `redis` / `redis:latest`: pin a version as well as its digest.
        let pinned = match tag.as_deref() {
            None => format!("{reference}:<version>@sha256:<digest>"),
            Some("latest") => format!(
                "{}:<version>@sha256:<digest>",
                reference.strip_suffix(":latest").unwrap_or(reference)
            ),
            Some(_) => format!("{reference}@sha256:<digest>"),
        };
        let tagged = pinned.strip_suffix("@sha256:<digest>").unwrap_or(reference);
        let inspect = format!(
            "get it with `docker buildx imagetools inspect {tagged}`, and let Renovate or \
             Dependabot update tag and digest together"
        );
        let fix = dialect.fix(Fix::PinImage {
            pinned: &pinned,
            inspect: &inspect,
            name: container_name(spec),
        });
        out.push(
            Finding::new(
                &META,
                image.origin.location.clone(),
                format!(
                    "{} runs image `{reference}`, which {state}",
                    dialect.subject(spec)
                ),
            )
            .evidence(image.origin.written.clone())
            .fix(fix)
            .key(spec_key(spec, format!("image:{reference}")))
            .severity(severity)
            .build(),
        );
    }
}

/// A script's image that still holds a shell or make expansion (`$IMAGE`, `app:${TAG}`,
/// `$(IMG)`): the script did not assign it a literal the scanner could follow, so its value —
/// tag, digest or neither — is unknown here, and claiming "no tag" would be a guess.
fn is_unexpanded(dialect: &dyn Dialect, reference: &str) -> bool {
    dialect.shell_expands_values() && reference.contains('$')
}

/// `name@sha256:<hex>` (any `algorithm:hex` digest), or an image ID (`sha256:<hex>`, or 64
/// bare hex digits), which name content rather than a movable tag.
fn is_pinned(reference: &str) -> bool {
    let parsed = ImageRef::parse(reference);
    let digest = parsed.digest.as_deref().unwrap_or(reference);
    if let Some((algorithm, hex)) = digest.split_once(':') {
        return !algorithm.is_empty()
            && algorithm
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'_' | b'-'))
            && hex.len() >= 32
            && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    reference.len() == 64 && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The tag of a reference, if any, as the workspace's image reference reads it
/// (`registry:5000/app` has none; `registry:5000/app:1.2` has `1.2`).
fn tag(reference: &str) -> Option<String> {
    ImageRef::parse(reference).tag.filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check, check_with, compose, container, policy, run};

    const DIGEST: &str = "sha256:2424c1850714a4d94666ec928e24d86de958646737b1d113f5b2207be44d37d8";

    #[test]
    fn tags() {
        assert_eq!(tag("nginx"), None);
        assert_eq!(tag("nginx:1.27").as_deref(), Some("1.27"));
        assert_eq!(tag("localhost:5000/app"), None);
        assert_eq!(tag("localhost:5000/team/app:v2").as_deref(), Some("v2"));
        assert!(is_pinned(&format!("nginx:1.27@{DIGEST}")));
        assert!(is_pinned(&format!("nginx@{DIGEST}")));
        assert!(is_pinned(DIGEST));
        assert!(!is_pinned("nginx:1.27"));
        assert!(!is_pinned("nginx@sha256:short"));
    }

    /// mailcow's scripts run `docker run … ${DEBIAN_DOCKER_IMAGE}` and `${SQLIMAGE}`: an image
    /// whose value the script does not give is unknown, never "no tag" (22 such findings).
    #[test]
    fn an_unknown_script_image_is_not_called_untagged() {
        for image in ["$IMAGE", "${SQLIMAGE}", "app:${TAG}", "$(IMG)"] {
            let spec = run("backup").image(image).build();
            assert!(check(&ImageNotPinned, &spec).is_empty(), "{image}");
        }
        // A resolved variable is judged by its value.
        let scanned = crate::scripts::find_runs(
            "backup.sh",
            "IMG=ghcr.io/mailcow/backup:latest\ndocker run --rm ${IMG}\n",
            crate::scripts::ScriptKind::Shell,
        );
        let spec = scanned
            .into_iter()
            .next()
            .expect("one run")
            .expect("parses");
        let found = check(&ImageNotPinned, &spec);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("uses the `latest` tag"));
        assert!(found[0]
            .evidence
            .as_deref()
            .is_some_and(|e| e.contains("(IMG=ghcr.io/mailcow/backup:latest on line 1)")));
    }

    #[test]
    fn specific_tag_is_info() {
        let spec = compose("web").build();
        let found = check(&ImageNotPinned, &spec);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0]
            .message
            .contains("`nginx:1.27`, which is pinned by tag (`1.27`) but not by digest"));
        assert!(found[0]
            .fix
            .starts_with("pin the tested digest: `image: nginx:1.27@sha256:<digest>`"));
    }

    #[test]
    fn latest_or_untagged_is_low() {
        for image in ["redis", "redis:latest", "ghcr.io/org/app:latest"] {
            let spec = run("r").image(image).build();
            let found = check(&ImageNotPinned, &spec);
            assert_eq!(found[0].severity, Severity::Low, "{image}");
            assert!(
                found[0].fix.contains(":<version>@sha256:<digest>`"),
                "{image}"
            );
        }
    }

    #[test]
    fn untagged_compose_fix_names_a_version() {
        let f = &check(&ImageNotPinned, &compose("c").image("redis").build())[0];
        assert!(f.fix.contains("`image: redis:<version>@sha256:<digest>`"));
    }

    #[test]
    fn pinned_build_only_and_policy_pass() {
        let pinned = run("r").image(&format!("redis:7@{DIGEST}")).build();
        assert!(check(&ImageNotPinned, &pinned).is_empty());
        let built = compose("api").build_context("./api").build();
        assert!(check(&ImageNotPinned, &built).is_empty());
        let none = compose("api").no_image().build();
        assert!(check(&ImageNotPinned, &none).is_empty());
        let mut p = policy();
        p.require_digest = false;
        let out = check_with(&ImageNotPinned, &compose("web").build(), &p);
        assert!(out.is_empty());
    }

    #[test]
    fn container_fix() {
        let f = &check(&ImageNotPinned, &container("web").build())[0];
        assert!(f.fix.contains("docker inspect --format '{{.Image}}' web"));
    }
}
