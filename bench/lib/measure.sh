# Timing helpers shared by the benchmark scripts (source it; it defines functions only).
# The caller sets: out (a directory for raw results), runs (runs per command), prefix (for the
# result file names, may be empty), and a die() function.
#
# measure NAME WARMUPS CMD…  prints "median cpu" in seconds over $runs runs of CMD: hyperfine
#                            when installed (CPU = user + system), else a date loop (CPU "-").
# peak_rss_kb CMD…           peak resident set size of one run, in kB (GNU time).

time_with_hyperfine() {
  local name=$1 warmup=$2
  shift 2
  hyperfine --runs "$runs" --warmup "$warmup" --shell=none --style basic \
    --command-name "$name" --export-json "$out/$prefix$name.hyperfine.json" "${*}" >&2
  python3 - "$out/$prefix$name.hyperfine.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f'{r["median"]:.4f} {r["user"] + r["system"]:.4f}')
EOF
}

time_with_loop() {
  local name=$1 warmup=$2
  shift 2
  local times=() t0 t1
  for _ in $(seq "$warmup"); do "$@" >/dev/null 2>&1 || true; done
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" >"$out/$prefix$name.loop.txt"
  # Median of the runs; CPU time is not measured in this mode ("-").
  printf '%s\n' "${times[@]}" | LC_ALL=C sort -g | awk '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.4f -\n", m }'
}

measure() {
  if command -v hyperfine >/dev/null; then
    time_with_hyperfine "$@"
  else
    command -v bc >/dev/null || die "neither hyperfine nor bc is installed: apt-get install -y hyperfine"
    time_with_loop "$@"
  fi
}

# Peak resident set size in kB of one run (GNU time's "Maximum resident set size").
peak_rss_kb() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': *' '/Maximum resident set size/ { print $2 }'
}
