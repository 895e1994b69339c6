#!/usr/bin/env bash
# Speed of the live audit on a busy engine: 100 running containers, then
#   - `plimsoll bench` vs docker-bench-security (the bar: plimsoll at least 50x faster),
#   - `plimsoll containers` on the 100 (the bar: under 1 s),
# measured on the same host in one run. Asserts nothing (timings depend on the machine): it
# prints the medians and the ratio for BENCHMARKS.md.
#
# The containers run a locally built image (FROM scratch + Debian's static busybox, `sleep`),
# labelled plimsoll.test=1 and plimsoll.test.suite=bench-live; everything is removed on exit,
# even on failure or Ctrl-C.
#
# usage: bench/live.sh DOCKER_BENCH_DIR
#   DOCKER_BENCH_DIR  a docker-bench-security checkout (nothing is fetched; keep it outside
#                     the repository)
# environment:
#   PLIMSOLL    plimsoll binary (default: `cargo build --release -p plimsoll`)
#   CONTAINERS  number of containers (default 100)
#   RUNS        plimsoll runs (default 10, one warm-up)
#   DB_RUNS     docker-bench runs (default 1: one run takes minutes)
# Timing uses hyperfine when installed (`apt-get install -y hyperfine`), else /usr/bin/time.
# Raw results land in bench/out/ (gitignored).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
mkdir -p "$out"
dbdir=${1:?usage: bench/live.sh DOCKER_BENCH_DIR}
dbdir=$(cd "$dbdir" && pwd)
[ -f "$dbdir/docker-bench-security.sh" ] || { echo "$dbdir: not a docker-bench-security checkout" >&2; exit 2; }
n=${CONTAINERS:-100}
runs=${RUNS:-10}
db_runs=${DB_RUNS:-1}
suite=bench-live
tag="plimsoll-bench-live:$$"

if [ -z "${PLIMSOLL:-}" ]; then
  (cd "$root" && cargo build --release -q -p plimsoll)
  PLIMSOLL="${CARGO_TARGET_DIR:-$root/target}/release/plimsoll"
fi
[ -x "$PLIMSOLL" ] || { echo "no plimsoll binary at $PLIMSOLL" >&2; exit 2; }
[ -x /bin/busybox ] || { echo "/bin/busybox missing: apt-get install -y busybox-static" >&2; exit 2; }

cleanup() {
  local ids
  ids=$(docker ps -aq --filter "label=plimsoll.test.suite=$suite" || true)
  if [ -n "$ids" ]; then
    echo "$ids" | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi
  docker rmi -f "$tag" >/dev/null 2>&1 || true
  if [ -n "${ctx:-}" ]; then rm -rf "$ctx"; fi
}
trap cleanup EXIT INT TERM
cleanup

ctx=$(mktemp -d)
cp /bin/busybox "$ctx/busybox"
printf 'FROM scratch\nCOPY busybox /bin/busybox\nCMD ["/bin/busybox", "sleep", "3600"]\n' > "$ctx/Dockerfile"
docker build -q --label plimsoll.test=1 --label "plimsoll.test.suite=$suite" -t "$tag" "$ctx" >/dev/null

echo "starting $n containers…"
seq 1 "$n" | xargs -P 8 -I{} docker run -d --name "plimsoll-bench-live-$$-{}" \
  --label plimsoll.test=1 --label "plimsoll.test.suite=$suite" "$tag" >/dev/null
running=$(docker ps -q --filter "label=plimsoll.test.suite=$suite" | wc -l)
echo "$running containers running ($(docker ps -q | wc -l) on the engine)"

# `bench` exits 1 when a finding reaches --fail-on (high; it will): hyperfine -i ignores the
# status. Its docker-bench-security JSON log, the same work as docker-bench's `-l`. Reports go
# to /dev/null by redirection: `-o FILE` replaces FILE by renaming a finished temporary file
# onto it, which is not something to do to /dev/null.
pl_bench="$PLIMSOLL bench --format docker-bench-json >/dev/null"
pl_containers="$PLIMSOLL containers --format json --no-config --fail-on never >/dev/null"
db_cmd="cd '$dbdir' && sh docker-bench-security.sh -b -l $out/docker-bench-live.log >/dev/null 2>&1"

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(r['median'])" "$1"; }

if command -v hyperfine >/dev/null; then
  hyperfine -i --warmup 1 --runs "$runs" --export-json "$out/live-plimsoll-bench.json" -n "plimsoll bench" "$pl_bench"
  hyperfine --warmup 1 --runs "$runs" --export-json "$out/live-plimsoll-containers.json" -n "plimsoll containers" "$pl_containers"
  hyperfine -i --runs "$db_runs" --export-json "$out/live-docker-bench.json" -n "docker-bench-security" "$db_cmd"
  t_pl=$(median "$out/live-plimsoll-bench.json")
  t_pc=$(median "$out/live-plimsoll-containers.json")
  t_db=$(median "$out/live-docker-bench.json")
else
  t() { local s e; s=$(date +%s.%N); bash -c "$1"; e=$(date +%s.%N); echo "$e - $s" | bc; }
  bash -c "$pl_bench"
  t_pl=$(t "$pl_bench"); t_pc=$(t "$pl_containers"); t_db=$(t "$db_cmd")
fi

python3 - "$t_pl" "$t_pc" "$t_db" "$running" <<'PY'
import sys
pl, pc, db, n = (float(x) for x in sys.argv[1:])
print()
print(f"containers running:          {int(n)}")
print(f"plimsoll bench (median):      {pl:.3f} s")
print(f"docker-bench-security:        {db:.1f} s")
print(f"ratio:                        {db / pl:.0f}x faster (bar: >= 50x) -> {'OK' if db / pl >= 50 else 'BELOW BAR'}")
print(f"plimsoll containers (median): {pc:.3f} s (bar: < 1 s) -> {'OK' if pc < 1 else 'BELOW BAR'}")
PY
