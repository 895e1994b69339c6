//! `docker run` commands found in shell scripts, Makefiles and CI YAML (the `scripts`
//! module), with spans pointing into the files.

use plimsoll_core::{Pos, Span};
use plimsoll_runspec::model::*;
use plimsoll_runspec::scripts::{find_runs, kind_of, kind_of_text, ScriptKind};
use proptest::prelude::*;
use std::path::Path;

fn span(l1: u32, c1: u32, l2: u32, c2: u32) -> Span {
    Span::new(Pos::new(l1, c1), Pos::new(l2, c2))
}

fn ok_runs(path: &str, text: &str, kind: ScriptKind) -> Vec<RunSpec> {
    find_runs(path, text, kind)
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

const SCRIPT: &str = r#"#!/bin/sh
set -e
IMAGE=nginx:1.27
# docker run --privileged commented-out
sudo docker run -d \
  --cap-add=SYS_ADMIN \
  -v /var/run/docker.sock:/var/run/docker.sock \
  "$IMAGE"
docker ps; DEBUG=1 docker create --name "my app" alpine && echo ok
if [ -n "$X" ]; then docker run --pid=host busybox >/dev/null 2>&1; fi
cat <<END_OF_DATA
docker run --privileged in-a-heredoc
END_OF_DATA
docker run --bogus x
"#;

#[test]
fn shell_script() {
    let results: Vec<_> = find_runs("deploy.sh", SCRIPT, ScriptKind::Shell).collect();
    assert_eq!(results.len(), 4, "{results:#?}");
    let first = results[0].as_ref().unwrap();
    // `IMAGE=nginx:1.27` on line 3 is followed; the evidence says so.
    assert_eq!(first.image.as_ref().unwrap().value, "nginx:1.27");
    assert_eq!(
        first.image.as_ref().unwrap().origin.written,
        "$IMAGE (IMAGE=nginx:1.27 on line 3)"
    );
    assert_eq!(
        first.image.as_ref().unwrap().origin.location.span,
        Some(span(8, 3, 8, 11))
    );
    assert_eq!(first.anchor.location.path, "deploy.sh");
    assert_eq!(first.anchor.location.span, Some(span(5, 1, 8, 11)));
    let cap = &first.cap_add[0];
    assert_eq!(cap.value, "SYS_ADMIN");
    assert_eq!(cap.origin.written, "--cap-add=SYS_ADMIN");
    assert_eq!(cap.origin.location.span, Some(span(6, 3, 6, 22)));
    let mount = &first.mounts[0];
    assert_eq!(mount.value.source.as_deref(), Some("/var/run/docker.sock"));
    assert_eq!(mount.origin.location.span, Some(span(7, 3, 7, 47)));
    assert_eq!(
        mount.origin.written,
        "-v /var/run/docker.sock:/var/run/docker.sock"
    );

    let second = results[1].as_ref().unwrap();
    assert_eq!(second.name, "my app");
    assert_eq!(second.anchor.via, Via::Flag("docker create".into()));
    assert_eq!(second.anchor.location.span, Some(span(9, 12, 9, 56)));

    let third = results[2].as_ref().unwrap();
    assert_eq!(third.pid.as_ref().unwrap().value, NamespaceMode::Host);
    assert_eq!(
        third.pid.as_ref().unwrap().origin.location.span,
        Some(span(10, 33, 10, 43))
    );

    let err = results[3].as_ref().unwrap_err();
    assert_eq!(err.message, "unknown flag: --bogus");
    assert_eq!(err.path, "deploy.sh");
    assert_eq!(err.span, Some(span(14, 12, 14, 19)));
}

#[test]
fn substitutions_and_expansions() {
    let script = r#"cid="$(docker run -d --name "$cname" "$image")"
docker run --rm -i --entrypoint sh "$image" -euc 'exec mysql "$@"' -- -uroot
docker run $DOCKER_OPTS --privileged nginx
docker run --rm "${args[@]}" --pid=host busybox
"#;
    let runs = ok_runs("t.sh", script, ScriptKind::Shell);
    assert_eq!(runs.len(), 4);
    // Inside `$(…)`, with spans into the file.
    assert_eq!(runs[0].name, "$cname");
    assert_eq!(runs[0].anchor.location.span, Some(span(1, 8, 1, 46)));
    // A quoted expansion is one word: the image, and what follows is its command.
    assert_eq!(runs[1].image.as_ref().unwrap().value, "$image");
    assert!(runs[1].environment.is_empty());
    // An unquoted one may hold options: the image comes later.
    assert_eq!(runs[2].image.as_ref().unwrap().value, "nginx");
    assert!(runs[2].privileged.as_ref().unwrap().value);
    // `"${a[@]}"` expands to many words even quoted.
    assert_eq!(runs[3].image.as_ref().unwrap().value, "busybox");
}

#[test]
fn makefile_recipes() {
    let mk = "IMAGE ?= app\n\
              .PHONY: run\n\
              run:\n\
              \t@echo starting\n\
              \t-docker run --rm -e HOME=$$HOME \\\n\
              \t\t--network host $(IMAGE)\n\
              \n\
              test: ; docker run not-a-recipe-line\n\
              VAR = x \\\n\
              \tdocker run --privileged not-a-recipe\n";
    let runs = ok_runs("Makefile", mk, ScriptKind::Makefile);
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run.image.as_ref().unwrap().value, "$(IMAGE)");
    assert_eq!(run.environment[0].value.value.as_deref(), Some("$HOME"));
    // `-e HOME=$$HOME` as written in the file: columns 19-32 of line 5.
    assert_eq!(
        run.environment[0].origin.location.span,
        Some(span(5, 19, 5, 33))
    );
    assert_eq!(run.network_mode.as_ref().unwrap().value, NetworkMode::Host);
    assert_eq!(
        run.network_mode.as_ref().unwrap().origin.location.span,
        Some(span(6, 3, 6, 17))
    );
    assert_eq!(run.anchor.location.span, Some(span(5, 3, 6, 26)));
}

#[test]
fn github_workflow() {
    let wf = "\
on: push
jobs:
  e2e:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: start db
        run: docker run -d --name db -e POSTGRES_PASSWORD=${{ secrets.PG }} postgres:16
      - name: tests
        run: |
          docker build -t app .
          docker run --rm \\
            --privileged \\
            app pytest
";
    let runs = ok_runs(".github/workflows/ci.yml", wf, ScriptKind::GitHubWorkflow);
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].name, "db");
    assert_eq!(
        runs[0].environment[0].value.value.as_deref(),
        Some("${{ secrets.PG }}")
    );
    assert_eq!(runs[0].anchor.location.span, Some(span(8, 14, 8, 88)));
    assert_eq!(
        runs[1].privileged.as_ref().unwrap().origin.location.span,
        Some(span(13, 13, 13, 25))
    );
    assert_eq!(runs[1].image.as_ref().unwrap().value, "app");
}

#[test]
fn gitlab_ci() {
    let ci = "\
test:
  image: docker:27
  services: [docker:dind]
  script:
    - docker run --rm -v $CI_PROJECT_DIR:/src alpine ls /src
    - >
      docker run
      --cap-add NET_ADMIN
      alpine
";
    let runs = ok_runs(".gitlab-ci.yml", ci, ScriptKind::GitLabCi);
    assert_eq!(runs.len(), 2);
    assert_eq!(
        runs[0].mounts[0].value.source.as_deref(),
        Some("$CI_PROJECT_DIR")
    );
    assert_eq!(runs[0].mounts[0].value.kind, MountKind::Volume);
    assert_eq!(runs[1].cap_add[0].value, "NET_ADMIN");
    assert_eq!(
        runs[1].cap_add[0].origin.location.span,
        Some(span(8, 7, 8, 26))
    );
}

#[test]
fn discovery() {
    assert_eq!(
        kind_of(Path::new("scripts/run.sh")),
        Some(ScriptKind::Shell)
    );
    assert_eq!(kind_of(Path::new("Makefile")), Some(ScriptKind::Makefile));
    assert_eq!(
        kind_of(Path::new(".gitlab-ci.yml")),
        Some(ScriptKind::GitLabCi)
    );
    assert_eq!(
        kind_of(Path::new(".github/workflows/release.yaml")),
        Some(ScriptKind::GitHubWorkflow)
    );
    assert_eq!(kind_of(Path::new("docker-compose.yml")), None);
    assert_eq!(
        kind_of_text(Path::new("bin/entrypoint"), "#!/usr/bin/env bash"),
        Some(ScriptKind::Shell)
    );
    assert_eq!(
        kind_of_text(Path::new("bin/tool"), "#!/usr/bin/env node"),
        None
    );
}

fn arb_script() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "docker",
            "run",
            " ",
            "\n",
            "\t",
            "\\\n",
            "'",
            "\"",
            "\\",
            "$",
            "$(",
            ")",
            "${",
            "}",
            "`",
            ";",
            "&&",
            "||",
            "|",
            "&",
            "(",
            "<<DATA\n",
            "DATA\n",
            "<<-X",
            ">",
            "2>&1",
            "#",
            "--privileged",
            "-v",
            "/:/h",
            "-p",
            "80:80",
            "sudo",
            "-e",
            "A=$$B",
            "- ",
            "run: ",
            "script:\n",
            "  - ",
            "|\n",
            ">-\n",
            "    ",
            "\t@",
            "-itd",
            "--net=host",
            "nginx",
            "é",
            "\r\n",
            ":",
            "=",
        ])
        .prop_map(str::to_string),
        ".{0,6}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_scripts_never_panic(text in arb_script()) {
        for kind in [
            ScriptKind::Shell,
            ScriptKind::Makefile,
            ScriptKind::GitHubWorkflow,
            ScriptKind::GitLabCi,
        ] {
            for spec in find_runs("f", &text, kind).flatten() {
                prop_assert!(spec.image.is_some());
                prop_assert!(spec.anchor.location.span.is_some());
            }
        }
    }
}
