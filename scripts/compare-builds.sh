#!/usr/bin/env bash
# Runs the plimsoll binary built from two commits over the same inputs and reports every
# difference in what they print (JSON reports, fingerprints included; SARIF; exit statuses;
# standard error). A refactoring (the architecture move of issue 9) must report zero.
#
#   scripts/compare-builds.sh BEFORE [AFTER]
#
# BEFORE and AFTER are commits (AFTER defaults to the working tree as it is). Each is built with
# `cargo build --release -p plimsoll` in its own target dir under $PLIMSOLL_COMPARE_DIR (default
# /tmp/plimsoll-compare, kept between runs so a second comparison builds only what changed).
# BEFORE_BIN / AFTER_BIN skip a build and use that binary instead.
#
# Inputs: examples/; the rule fixtures of every crate (crates/*/tests/fixtures); and, when the
# corpora are there ($PLIMSOLL_CORPORA, default ../shared/corpora), the 601 real Dockerfiles,
# Trivy's and hadolint's example Dockerfiles and every file of the compose corpus; and, when a
# Docker engine answers, `plimsoll host` and `plimsoll bench` on this machine.
#
# Exit status: 0 no difference, 1 differences (each printed as a unified diff), 2 usage/build.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
case "$1" in -h|--help) usage ;; esac

repo=$(git rev-parse --show-toplevel)
cd "$repo"
work=${PLIMSOLL_COMPARE_DIR:-/tmp/plimsoll-compare}
corpora=${PLIMSOLL_CORPORA:-$repo/../shared/corpora}
mkdir -p "$work"

# build REV NAME -> prints the binary's path. REV "" means the working tree.
build() {
  local rev=$1 name=$2 src
  if [ -z "$rev" ]; then
    src=$repo
  else
    src=$work/src-$name
    local sha
    sha=$(git rev-parse --verify "$rev^{commit}") || { echo "no such commit: $rev" >&2; exit 2; }
    if [ -d "$src" ]; then
      git -C "$src" checkout -q --detach "$sha"
    else
      git worktree add -q --detach "$src" "$sha"
    fi
  fi
  echo "building $name (${rev:-working tree}) ..." >&2
  (cd "$src" && CARGO_TARGET_DIR=$work/target-$name cargo build --release -q -p plimsoll) >&2 \
    || { echo "build of $name failed" >&2; exit 2; }
  echo "$work/target-$name/release/plimsoll"
}

before=${BEFORE_BIN:-$(build "$1" before)}
after=${AFTER_BIN:-$(build "${2:-}" after)}
out=$work/out
rm -rf "$out" && mkdir -p "$out/before" "$out/after"

# The cases: a name and the arguments given to plimsoll (run from the repository root).
cases=()
add() { cases+=("$*"); }
add "scan --format json examples/"
add "scan --format sarif examples/"
add "scan examples/"
add "scan --format junit examples/"
add "scan --format gitlab examples/"
add "scan --format json --fail-on never crates/dockerfile/tests/fixtures crates/runspec/tests/fixtures"
for f in crates/runspec/tests/fixtures/*.compose.yaml; do add "compose --format json -f $f"; done
for f in crates/runspec/tests/fixtures/*.run; do add "scan --format json $f"; done
if [ -d "$corpora" ]; then
  mapfile -t real < <(find "$corpora/real-dockerfiles" -type f -name '*Dockerfile*' | sort)
  add "dockerfile --format json --allow-partial ${real[*]}"
  mapfile -t trivy < <(find "$corpora/trivy-check-examples" -type f -name '*Dockerfile' | sort)
  add "dockerfile --format json --allow-partial ${trivy[*]}"
  mapfile -t hado < <(find "$corpora/hadolint-cases" -type f -name '*.Dockerfile' | sort)
  add "dockerfile --format json --allow-partial ${hado[*]}"
  while IFS= read -r f; do
    add "compose --format json -f $f"
  done < <(find "$corpora/compose/files" -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
else
  echo "SKIPPED: corpora not found at $corpora (set PLIMSOLL_CORPORA)" >&2
fi
if docker info >/dev/null 2>&1; then
  add "host --format json"
  add "bench --format json"
  add "bench"
  add "bench -p --format docker-bench-json"
  add "containers --all --format json"
else
  echo "SKIPPED: no Docker engine answers; host and bench are not compared" >&2
fi

differences=0
i=0
for args in "${cases[@]}"; do
  i=$((i + 1))
  for side in before after; do
    bin=$before; [ "$side" = after ] && bin=$after
    # shellcheck disable=SC2086 # the arguments are whitespace-separated on purpose
    set +e
    "$bin" $args >"$out/$side/$i.out" 2>"$out/$side/$i.err" </dev/null
    echo "exit $?" >>"$out/$side/$i.err"
    # The docker-bench JSON says when the run started and ended (Unix seconds): not a finding.
    sed -i -E 's/^(  "(start|end)": )[0-9]+,$/\1<time>,/' "$out/$side/$i.out"
    set -e
  done
  for stream in out err; do
    if ! cmp -s "$out/before/$i.$stream" "$out/after/$i.$stream"; then
      differences=$((differences + 1))
      echo "=== difference in std$stream of: plimsoll ${args:0:160}"
      diff -u "$out/before/$i.$stream" "$out/after/$i.$stream" | head -40 || true
    fi
  done
done

echo "compared ${#cases[@]} runs (before: $before, after: $after): $differences difference(s)"
[ "$differences" -eq 0 ]
