#!/usr/bin/env bash
# Hostile inputs (issue 8 §2): each one built to hit an unbounded cost — stack depth,
# quadratic expansion, memory per finding or per variable, an endless Engine API answer, files
# that are not text — run through the plimsoll binary under GNU time. Per case it prints the
# exit code, wall time, peak RSS, the size of what plimsoll wrote, the first line of its
# standard error and a verdict against the bar:
#
#   PASS = peak RSS < 300 MiB, no signal (abort, stack overflow), finished within $TIMEOUT,
#          exit code one of those expected for the case (2 for an input that cannot be audited,
#          1 for findings at or above `high`), and, for a scan with `-o`, a report written.
#
# Wall time is printed, never judged: it depends on the machine. Every run is capped at
# $MEM_CAP of address space (prlimit --as) so a case that grows without bound fails with an
# allocation abort instead of taking the machine down.
#
# usage: bench/hostile.sh
# environment:
#   PLIMSOLL  the binary to run (default: target/release/plimsoll)
#   TIMEOUT   seconds per run (default 120)
#   MEM_CAP   address-space cap per run, as prlimit takes it (default 4294967296 = 4 GiB)
#   CASES     only the cases whose name matches this extended regex (default: all)
#   SCALE     input scale passed to bench/gen-hostile.py (default 1, the issue's sizes)
#   KEEP=1    keep the generated inputs and outputs (the path is printed)
# Exit status: 0 if every case passed, 1 otherwise.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
plimsoll=${PLIMSOLL:-$root/target/release/plimsoll}
timeout_s=${TIMEOUT:-120}
mem_cap=${MEM_CAP:-4294967296}
only=${CASES:-.}
scale=${SCALE:-1}
rss_bar_kb=$((300 * 1024))

die() {
  echo "bench/hostile.sh: error: $*" >&2
  exit 2
}
[ -x "$plimsoll" ] || die "no plimsoll binary at $plimsoll (build it: cargo build --release -p plimsoll, or set PLIMSOLL)"
[ -x /usr/bin/time ] || die "GNU time is missing: apt-get install -y time"
command -v prlimit >/dev/null || die "prlimit is missing: apt-get install -y util-linux"
command -v python3 >/dev/null || die "python3 is missing"
plimsoll=$(cd "$(dirname "$plimsoll")" && pwd)/$(basename "$plimsoll")

work=$(mktemp -d "${TMPDIR:-/tmp}/plimsoll-hostile.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "plimsoll: $plimsoll ($("$plimsoll" --version 2>/dev/null || echo 'version unknown'))"
echo "inputs:   $work (scale $scale); timeout ${timeout_s} s; address space cap $mem_cap bytes"
python3 "$root/bench/gen-hostile.py" "$work/in" --scale "$scale" >"$work/inputs.txt"

passed=0
failed=0
printf '%-22s %5s %9s %10s %11s  %-4s  %s\n' case exit wall "peak RSS" output verdict "first line of stderr"

# run_case NAME EXPECTED REPORT WRONG CMD…
#   EXPECTED  the exit codes that are right for this input, as an extended regex (e.g. '2', '1|2')
#   REPORT    a file the run must write (its `-o`), or '-' when stdout is the report
#   WRONG     an extended regex for a known-wrong message (the issue's), which stderr must not
#             match; '-' for none
# Runs CMD (plimsoll and its arguments; `env VAR=… plimsoll …` for an environment) capped and
# timed, and prints one table row.
run_case() {
  local name=$1 expected=$2 report=$3 wrong=$4
  shift 4
  [[ $name =~ $only ]] || return 0
  local dir="$work/out/$name"
  mkdir -p "$dir"
  local code=0
  /usr/bin/time -o "$dir/time" -f '%e s %M KB' \
    timeout -k 5 "$timeout_s" prlimit --as="$mem_cap" -- "$@" \
    >"$dir/stdout" 2>"$dir/stderr" </dev/null || code=$?
  local measured wall rss_kb
  measured=$(tail -n 1 "$dir/time")
  wall=$(awk '{print $1}' <<<"$measured")
  rss_kb=$(awk '{print $3}' <<<"$measured")
  local out_file="$dir/stdout"
  [ "$report" = - ] || out_file=$report
  local out_bytes=missing
  [ -e "$out_file" ] && out_bytes=$(stat -c %s "$out_file")
  local why=()
  if [ "$code" -eq 124 ]; then
    why+=("timeout")
  elif [ "$code" -ge 128 ]; then
    why+=("signal $((code - 128))")
  elif ! [[ $code =~ ^($expected)$ ]]; then
    why+=("exit $code, expected $expected")
  fi
  [ "${rss_kb:-0}" -lt "$rss_bar_kb" ] || why+=("RSS ≥ 300 MiB")
  if [ "$report" != - ] && { [ "$out_bytes" = missing ] || [ "$out_bytes" -eq 0 ]; }; then
    why+=("no report")
  fi
  if [ "$wrong" != - ] && grep -qiE -- "$wrong" "$dir/stderr"; then
    why+=("wrong message: matches /$wrong/")
  fi
  local verdict=PASS
  if [ ${#why[@]} -gt 0 ]; then
    verdict=FAIL
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
  local first
  first=$(grep -m 1 -v '^\s*$' "$dir/stderr" | cut -c 1-160 || true)
  printf '%-22s %5s %7s s %7s MiB %11s  %-4s  %s\n' "$name" "$code" "$wall" \
    "$((rss_kb / 1024))" "$out_bytes" "$verdict" "$first"
  [ ${#why[@]} -eq 0 ] || printf '%-22s %s\n' "" "FAIL: ${why[*]}"
}

in=$work/in
# Nesting: an error naming the file and line, not a stack overflow.
for kind in env arg workdir from; do
  run_case "nested-$kind" 2 - - "$plimsoll" dockerfile --no-config "$in/nested-$kind/Dockerfile"
done
run_case nested-scan-o 2 "$work/out/nested-scan-o/report.json" - \
  "$plimsoll" scan --no-config --format json -o "$work/out/nested-scan-o/report.json" "$in/nested-scan"
# Expansion cost: 80 deep lines just under the size limit (an error or findings, in bounded time),
# and 80 lines of many shallower expansions (findings, in bounded time).
run_case nested-80-lines '0|1|2' - - "$plimsoll" dockerfile --no-config "$in/nested-80-lines/Dockerfile"
run_case wide-80-lines '0|1' - - "$plimsoll" dockerfile --no-config "$in/wide-80-lines/Dockerfile"
# Scope per RUN: 10,000 ENV × 1,000 RUN, and a 2.3 MB file with 98,000 ENV.
run_case env-x-run '0|1' - - "$plimsoll" dockerfile --no-config "$in/env-x-run/Dockerfile"
run_case env-x-run-2mb '0|1' - - "$plimsoll" dockerfile --no-config "$in/env-x-run-2mb/Dockerfile"
# Instruction count: 4 MiB of one-word RUN lines, refused past 100,000 instructions.
run_case many-instructions 2 - - "$plimsoll" dockerfile --no-config "$in/many-instructions/Dockerfile"
# Report cost: one `docker run` line with 20,000 findings, human format.
mapfile -t run_args <"$in/run-20k/args"
run_case run-20k-human 1 - - "$plimsoll" run --no-config --format human --color never -- "${run_args[@]}"
# Memory per finding: one 3.8 MB script, then four copies audited in parallel.
run_case script-780k-q 1 - - "$plimsoll" scan --no-config -q "$in/script-780k"
run_case script-780k-x4-q 1 - - "$plimsoll" scan --no-config -q "$in/script-780k-x4"
# An Engine API whose answer never ends: a capped read and a message saying so (not a timeout).
if [[ engine-endless =~ $only ]]; then
  sock=$work/docker.sock
  python3 "$root/bench/endless-engine.py" "$sock" &
  server_pid=$!
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  [ -S "$sock" ] || die "the endless engine did not start"
  run_case engine-endless 2 - 'time(d)? ?out' \
    env DOCKER_HOST="unix://$sock" "$plimsoll" containers --no-config
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
fi
# DOCKER_HOST pointing at an HTTP server that is not Docker (every path 404): say so, rather
# than "no such object" and a `docker ps -a` hint.
if [[ engine-not-docker =~ $only ]]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$work/www"
  python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$port" >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  run_case engine-not-docker 2 - 'no such object|docker ps' \
    env DOCKER_HOST="tcp://127.0.0.1:$port" "$plimsoll" containers --no-config
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
fi
# A host root that does not exist: nothing audited is an error, not a pass.
run_case host-root-missing 2 - - "$plimsoll" host --no-config --host-root /nonexistent/host
# Files that are not Dockerfiles.
run_case dev-zero 2 - 'is 4 MiB' "$plimsoll" dockerfile --no-config /dev/zero
run_case bin-ls 2 - 'UTF-16' "$plimsoll" dockerfile --no-config /bin/ls
# YAML: 100,000 nested flow sequences; nine levels of ten aliases (10^9 nodes if expanded).
run_case yaml-nested 2 - - "$plimsoll" compose --no-config -f "$in/yaml-nested/compose.yaml"
run_case billion-laughs '1|2' - - "$plimsoll" compose --no-config -f "$in/billion-laughs/compose.yaml"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
