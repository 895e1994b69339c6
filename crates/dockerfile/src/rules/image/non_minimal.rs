//! DF005: the final image is based on a full distribution or a toolchain image.

use crate::analysis::base_images::{self, Weight};
use crate::analysis::stages;

use crate::rules::{Context, Rule};
use plimsoll_core::{
    Finding, Location, References, RuleDocs, RuleMeta, RuleStatus, Severity, Stage,
};

pub static META: RuleMeta = RuleMeta {
    id: "DF005",
    name: "non-minimal-base-image",
    title: "Base image is a full distribution or toolchain image",
    severity: Severity::Low,
    stage: Stage::Build,
    status: RuleStatus::Stable,
    since: "0.1.0",
    docs: RuleDocs {
        what: "Fires when the image the final stage is built on (following `FROM <stage>` \
back to the external base) is one of:\n\n- a full OS distribution: `ubuntu`, `debian` without \
`-slim`, `fedora`, `centos`, `rockylinux`, `almalinux`, `amazonlinux`, `oraclelinux` without \
`-slim`, UBI/SUSE images that are not `-minimal`/`-micro`, Windows Server Core;\n- an \
official language image in its default variant, which is built on `buildpack-deps` and ships \
compilers, headers and git: `python`, `node`, `ruby`, `perl`, `erlang`, `elixir`, `pypy` \
without `-slim`/`-alpine`;\n- a toolchain image: `golang`, `rust`, `gcc`, `maven`, `gradle`, \
`buildpack-deps`, `haskell`, `swift`, `mcr.microsoft.com/dotnet/sdk`, and JDK images \
(`openjdk`, `eclipse-temurin`, `amazoncorretto` …) that are not `-jre`.\n\nOnly the final \
stage is judged: build stages are expected to be big. In a single-stage file a toolchain \
base is reported by DF006 (which suggests the multi-stage split) rather than here. Images \
plimsoll does not know are never judged.",
        why: "Every package in the runtime image is attack surface and scanner noise: shells, \
package managers, compilers and `git` are exactly what an attacker who gets code execution \
uses next (download tools, build exploits, pivot). Full images also carry hundreds of \
packages with their own CVEs that your application never uses (CIS 4.3). A `-slim`, Alpine or \
distroless runtime typically removes 80–95% of them.",
        fix: "Use the minimal variant for the final stage (`python:3.12-slim`, \
`debian:12-slim`, `eclipse-temurin:21-jre`) or build in one stage and copy the result into \
a distroless or `scratch` final stage.",
        bad: "FROM python:3.12\nCOPY app.py /app/app.py\nCMD [\"python\", \"/app/app.py\"]\n",
        good: "FROM python:3.12-slim\nCOPY app.py /app/app.py\n\
CMD [\"python\", \"/app/app.py\"]\n",
    },
    references: References {
        cis: &["4.3"],
        cwe: &["CWE-1104"],
        ..References::NONE
    },
};

pub struct NonMinimal;

impl Rule<Context<'_>> for NonMinimal {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let stages = cx.stages();
        let Some(fin) = stages.final_stage() else {
            return;
        };
        let root = stages.root_of(fin.index);
        let Some(base) = stages.base_image(root.index) else {
            return;
        };
        let Ok(img) = &base.resolved else {
            return;
        };
        let label = stages::final_stage_label(stages, fin);
        let inherited = if root.index == fin.index {
            String::new()
        } else {
            format!(" (through {})", root.label())
        };
        let (what, suggestion) = match base_images::weight(img) {
            Weight::Lean => return,
            // DF006 reports compiler images in single-stage files (with the multi-stage advice).
            Weight::Toolchain {
                runtime_capable: false,
                ..
            } if stages.list.len() <= 1 => return,
            Weight::Toolchain {
                what, suggestion, ..
            } => (format!("a toolchain image that ships {what}"), suggestion),
            Weight::FullDistro { suggestion } => ("a full OS distribution".to_string(), suggestion),
            Weight::FullLanguage { suggestion } => (
                "the full variant built on buildpack-deps (compilers, headers, git)".to_string(),
                suggestion,
            ),
        };
        out.push(
            Finding::new(
                &META,
                Location::with_span(&cx.file.path, root.image.span),
                format!("{label} is based on {}{inherited}, {what}", base.describe()),
            )
            .evidence(root.from.original.trim())
            .fix(suggestion)
            .key(format!("{}:{}", fin.key(), base.written))
            .build(),
        );
    }
}
