//! DF004: a base image from outside the configured trusted registries and bases.

use crate::analysis::pulled_images::pulled;
use crate::rules::{Context, Rule};
use plimsoll_core::config::ImagePolicy;
use plimsoll_core::image_ref::ImageRef;
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF004",
    name: "untrusted-base-image",
    title: "Base image not from a trusted registry or base list",
    severity: Severity::High,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Only active when `.plimsoll.toml` lists `trusted-registries` or `trusted-bases` \
under `[images]`. Then every image the build pulls (each stage's external `FROM` base, \
`COPY --from=<image>`, `RUN --mount=from=<image>`, after resolving `ARG` defaults) must \
come from a trusted registry (`docker.io`, `ghcr.io/my-org` — a registry, optionally with a \
path prefix; `*` wildcards allowed, e.g. `*.example.com`) or match a trusted base glob (`debian`, `gcr.io/distroless/*`; matched against \
both the short name `debian` and the full name `docker.io/library/debian`, and with the tag \
when the pattern has one). An image trusted by either list passes. `scratch` and \
`FROM <stage>` always pass; references that depend on a build argument without a default \
are left alone.",
        why: "The base image is code you run with full trust: its binaries, its package \
sources and its entrypoint. Typosquatted and look-alike images on public registries have \
shipped crypto-miners and backdoors; an allow-list keeps builds on images your organisation \
has vetted and mirrored (CIS 4.2).",
        fix: "Use an image from a trusted registry or base list (often your internal mirror, \
e.g. `registry.example.com/mirror/debian:12-slim`). If the image is legitimate, review it and \
add its registry or repository to `[images]` in `.plimsoll.toml`.",
        bad: "# with [images] trusted-registries = [\"registry.example.com\"]\n\
FROM docker.io/someone/toolbox:1.0\n",
        good: "# with [images] trusted-registries = [\"registry.example.com\"]\n\
FROM registry.example.com/mirror/debian:12-slim\n",
    },
    references: References {
        cis: &["4.2"],
        hadolint: &["DL3026"],
        cwe: &["CWE-829"],
        ..References::NONE
    },
};

pub struct Untrusted;

impl Rule<Context<'_>> for Untrusted {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let policy = cx.policy;
        if policy.trusted_registries.is_empty() && policy.trusted_bases.is_empty() {
            return;
        }
        let stages = cx.stages();
        for p in pulled(stages) {
            let Ok(img) = &p.resolved else {
                continue;
            };
            if img.is_scratch() || is_trusted(img, policy) {
                continue;
            }
            let mut lists = Vec::new();
            if !policy.trusted_registries.is_empty() {
                lists.push(format!(
                    "trusted-registries ({})",
                    policy.trusted_registries.join(", ")
                ));
            }
            if !policy.trusted_bases.is_empty() {
                lists.push(format!(
                    "trusted-bases ({})",
                    policy.trusted_bases.join(", ")
                ));
            }
            out.push(
                Finding::new(
                    &META,
                    Location::with_span(&cx.file.path, p.span),
                    format!(
                        "{} comes from registry `{}` and is not allowed by [images] {}",
                        p.describe(stages),
                        img.registry_host(),
                        lists.join(" or ")
                    ),
                )
                .evidence(p.instr.original.trim())
                .fix(format!(
                    "use an image from a trusted registry (e.g. your mirror) instead of `{name}`, \
                     or review it and add `\"{name}\"` to `trusted-bases` under [images] in \
                     .plimsoll.toml",
                    name = img.familiar_name()
                ))
                .key(p.key(stages))
                .build(),
            );
        }
    }
}

/// Whether an image is allowed by the policy's registry prefixes or base globs.
pub fn is_trusted(img: &ImageRef, policy: &ImagePolicy) -> bool {
    let full = img.full_name().to_ascii_lowercase();
    let familiar = img.familiar_name().to_ascii_lowercase();
    let host = img.registry_host().to_ascii_lowercase();
    let by_registry = policy.trusted_registries.iter().any(|entry| {
        let entry = normalize_registry(entry);
        if entry.contains('*') {
            // `*.example.com` (any subdomain), `*` (anything), `ghcr.io/org-*`.
            return glob_match(&entry, &host)
                || glob_match(&entry, &full)
                || glob_match(&format!("{entry}/*"), &full);
        }
        !entry.is_empty()
            && (full == entry
                || full.starts_with(&format!("{entry}/"))
                || familiar == entry
                || familiar.starts_with(&format!("{entry}/")))
    });
    if by_registry {
        return true;
    }
    let tag = img.effective_tag().to_ascii_lowercase();
    let candidates = [
        familiar.clone(),
        full.clone(),
        format!("{familiar}:{tag}"),
        format!("{full}:{tag}"),
    ];
    policy.trusted_bases.iter().any(|pattern| {
        let pattern = pattern.trim().to_ascii_lowercase();
        candidates.iter().any(|c| glob_match(&pattern, c))
    })
}

/// `https://Docker.io/` → `docker.io`; `index.docker.io` → `docker.io`.
fn normalize_registry(entry: &str) -> String {
    let e = entry.trim().to_ascii_lowercase();
    let e = e
        .strip_prefix("https://")
        .or_else(|| e.strip_prefix("http://"))
        .unwrap_or(&e);
    let e = e.trim_end_matches('/');
    match e.split_once('/') {
        Some(("index.docker.io" | "registry-1.docker.io", rest)) => format!("docker.io/{rest}"),
        _ if e == "index.docker.io" || e == "registry-1.docker.io" => "docker.io".to_string(),
        _ => e.to_string(),
    }
}

/// Glob with `*` (any run of characters, `/` included) and `?` (one character).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(registries: &[&str], bases: &[&str]) -> ImagePolicy {
        ImagePolicy {
            trusted_registries: registries.iter().map(|s| s.to_string()).collect(),
            trusted_bases: bases.iter().map(|s| s.to_string()).collect(),
            require_digest: true,
        }
    }

    #[test]
    fn matches_registries_and_globs() {
        let p = policy(&["ghcr.io/my-org", "https://Docker.io/"], &[]);
        assert!(is_trusted(&ImageRef::parse("debian:12"), &p));
        assert!(is_trusted(&ImageRef::parse("ghcr.io/my-org/app:1"), &p));
        assert!(!is_trusted(
            &ImageRef::parse("ghcr.io/my-org-evil/app:1"),
            &p
        ));
        assert!(!is_trusted(&ImageRef::parse("quay.io/x/y"), &p));
        let b = policy(&[], &["debian", "gcr.io/distroless/*"]);
        assert!(is_trusted(&ImageRef::parse("debian:12-slim"), &b));
        assert!(is_trusted(
            &ImageRef::parse("gcr.io/distroless/static-debian12"),
            &b
        ));
        assert!(!is_trusted(&ImageRef::parse("ubuntu"), &b));
        let w = policy(&["*.random.com"], &[]);
        assert!(is_trusted(&ImageRef::parse("foo.random.com/debian"), &w));
        assert!(!is_trusted(&ImageRef::parse("random.org/debian"), &w));
        assert!(is_trusted(
            &ImageRef::parse("zemanlx/ubuntu:18.04"),
            &policy(&["*"], &[])
        ));
        assert!(glob_match("a*c", "abbbc"));
        assert!(!glob_match("a*c", "abbbd"));
    }
}
