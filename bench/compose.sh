#!/usr/bin/env bash
# Speed and memory of the compose audit: `plimsoll scan` over 1,000 compose projects of
# realistic size, with `docker-compose config -q` (Compose v1) on the same projects as the
# reference point.
#
# The projects are real corpus compose files, each in its own directory with the files it uses
# (bench/gen-compose.py). plimsoll gets the whole folder on one command line, RUNS times
# (default 5, one warm-up); the script prints its median wall time and peak RSS (the bar: under
# 1 s and under 100 MB) and the ratio to docker-compose, which has to be started once per
# project (REF_SAMPLE projects, default 200, timed once; scaled to all of them). It asserts
# nothing: timing depends on the machine, so the numbers go into BENCHMARKS.md.
#
# usage: bench/compose.sh
# environment:
#   PLIMSOLL          plimsoll binary to measure (default: build `cargo build --release -p plimsoll`)
#   DOCKER_COMPOSE    docker-compose binary (default: docker-compose on PATH; skipped if absent)
#   PLIMSOLL_CORPORA  corpora folder (default: <repo>/../shared/corpora)
#   PROJECTS          number of projects (default 1000)
#   RUNS              plimsoll runs (default 5)
#   REF_SAMPLE        projects docker-compose is timed on (default 200; PROJECTS for all)
#   FORMAT            report format plimsoll is timed with (default json; human, sarif)
#   KEEP=1            keep the generated projects (printed path)
# Timing uses hyperfine when installed (`apt-get install -y hyperfine`), else a bash loop.
# Raw results land in bench/out/ (gitignored).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
runs=${RUNS:-5}
projects=${PROJECTS:-1000}
ref_sample=${REF_SAMPLE:-200}
format=${FORMAT:-json}
corpora=${PLIMSOLL_CORPORA:-$root/../shared/corpora}
corpus="$corpora/compose"

die() {
  echo "bench/compose.sh: error: $*" >&2
  exit 2
}

# --- prerequisites ------------------------------------------------------------------------
[ -d "$corpus" ] || die "corpus not found at $corpus (set PLIMSOLL_CORPORA to the corpora folder)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed for peak RSS: apt-get install -y time"
command -v python3 >/dev/null || die "python3 is needed to generate the projects"

if [ -z "${PLIMSOLL:-}" ]; then
  echo "building plimsoll (release)…" >&2
  (cd "$root" && cargo build --release --quiet -p plimsoll) || die "cargo build --release -p plimsoll failed"
  PLIMSOLL="${CARGO_TARGET_DIR:-$root/target}/release/plimsoll"
fi
[ -x "$PLIMSOLL" ] || die "plimsoll binary not found at $PLIMSOLL"
dc=${DOCKER_COMPOSE:-$(command -v docker-compose || true)}

# --- the projects ---------------------------------------------------------------------------
work=$(mktemp -d /tmp/plimsoll-compose-bench.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then
  echo "projects kept in $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi
tree="$work/projects"
python3 "$root/bench/gen-compose.py" "$corpus" "$tree" "$projects" >"$work/projects.tsv"
nfiles=$(wc -l <"$work/projects.tsv")
bytes=$(cd "$tree" && cut -f1,2 --output-delimiter=/ "$work/projects.tsv" | tr '\n' '\0' | xargs -0 cat | wc -c)
mkdir -p "$out"

plimsoll_cmd=("$PLIMSOLL" scan --format "$format" --fail-on never --no-config "$tree")
sanity_cmd=("$PLIMSOLL" scan --format json --fail-on never --no-config "$tree")

# --- sanity: plimsoll really audits the compose files -----------------------------------------
"${sanity_cmd[@]}" >"$out/compose-plimsoll.json" 2>"$out/compose-plimsoll.stderr" ||
  die "plimsoll exited with $? on the projects; see $out/compose-plimsoll.stderr"
python3 - "$out/compose-plimsoll.json" "$nfiles" <<'EOF' || die "plimsoll did not audit the compose projects (is the compose source wired into scan?)"
import json, sys
doc = json.load(open(sys.argv[1]))
findings = doc.get("findings", []) if isinstance(doc, dict) else doc
errors = doc.get("errors", []) if isinstance(doc, dict) else []
rs = [f for f in findings if str(f.get("rule_id", "")).startswith("RS")]
files = {f.get("file") for f in rs}
print(f"plimsoll sanity run: {len(findings)} findings ({len(rs)} RS findings in {len(files)} files), "
      f"{len(errors)} input errors", file=sys.stderr)
if not rs:
    sys.exit(1)
EOF

# --- timing ---------------------------------------------------------------------------------
# plimsoll gets one warm-up run; the reference none (its runs are long, and the inputs are in
# the page cache after plimsoll's).
prefix="compose-"
# shellcheck source=bench/lib/measure.sh
. "$(dirname "$0")/lib/measure.sh"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "projects: $nfiles compose files ($bytes bytes) in $tree; $runs runs; --format $format" >&2
echo "timing plimsoll…" >&2
read -r p_median p_cpu < <(measure plimsoll 1 "${plimsoll_cmd[@]}")
p_rss=$(peak_rss_kb "${plimsoll_cmd[@]}")

# docker-compose: one process per project, in the project's directory, minimal environment
# (as the corpus check ran it); REF_SAMPLE of them, spread over the list, timed once.
d_total="" d_sample=0 d_failed=0 d_rss=""
if [ -n "$dc" ] && [ -x "$dc" ]; then
  step=$(( nfiles / ref_sample )); [ "$step" -ge 1 ] || step=1
  awk -v s="$step" 'NR % s == 1 || s == 1' "$work/projects.tsv" | head -n "$ref_sample" >"$work/sample.tsv"
  d_sample=$(wc -l <"$work/sample.tsv")
  echo "timing $dc config -q on $d_sample projects…" >&2
  t0=$(date +%s.%N)
  while IFS=$'\t' read -r dir file; do
    (cd "$tree/$dir" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" LANG=C.UTF-8 PWD="$tree/$dir" \
      "$dc" -f "$file" config -q >/dev/null 2>>"$out/compose-docker-compose.stderr") ||
      d_failed=$((d_failed + 1))
  done <"$work/sample.tsv"
  t1=$(date +%s.%N)
  d_total=$(echo "$t1 - $t0" | bc -l)
  IFS=$'\t' read -r dir file <"$work/sample.tsv"
  d_rss=$(cd "$tree/$dir" && peak_rss_kb env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$work" PWD="$tree/$dir" "$dc" -f "$file" config -q)
else
  echo "docker-compose not found: no reference point (apt-get install -y docker-compose)" >&2
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ---------------------------------------------------------------------------------
python3 - "$p_median" "$p_cpu" "$p_rss" "$nfiles" "$bytes" "$d_total" "$d_sample" "$d_failed" \
  "${d_rss:-}" "$("$PLIMSOLL" --version 2>/dev/null | head -1)" \
  "$( [ -n "$dc" ] && "$dc" version --short 2>/dev/null || echo -)" "$(nproc)" \
  "$out/compose-bench.json" "$load_before" "$load_after" "$format" <<'EOF'
import json, sys
(p_med, p_cpu, p_rss, nfiles, nbytes, d_total, d_sample, d_failed, d_rss, p_ver, d_ver, cores,
 dest, load_before, load_after, fmt) = sys.argv[1:]
num = lambda s: None if s in ("", "-") else float(s)
p_med, nfiles, d_sample = float(p_med), int(nfiles), int(d_sample)
d_all = num(d_total) / d_sample * nfiles if num(d_total) is not None and d_sample else None
res = {
    "files": nfiles, "bytes": int(nbytes), "cores": int(cores),
    "plimsoll": {"version": p_ver, "format": fmt, "median_s": p_med, "cpu_s": num(p_cpu), "peak_rss_kb": num(p_rss)},
    "docker_compose": {"version": d_ver, "sample": d_sample, "sample_s": num(d_total),
                       "failed": int(d_failed), "scaled_s": d_all, "peak_rss_kb_one": num(d_rss)},
    "ratio": (d_all / p_med) if d_all else None,
    "loadavg_before": load_before, "loadavg_after": load_after,
}
json.dump(res, open(dest, "w"), indent=1)
mb = lambda kb: "-" if kb is None else f"{kb / 1024:.1f} MB"
print(f"compose files: {nfiles} ({int(nbytes):,} bytes), cores: {cores}, "
      f"load average before/after: {load_before} / {load_after}")
print(f"{p_ver} (scan --format {fmt}): median wall {p_med:.3f} s, "
      f"CPU {'-' if num(p_cpu) is None else f'{num(p_cpu):.3f} s'}, peak RSS {mb(num(p_rss))}"
      f"   (bar: < 1 s, < 100 MB)")
if d_all:
    print(f"docker-compose {d_ver} config -q: {num(d_total):.1f} s for {d_sample} projects "
          f"({d_failed} failed) → {d_all:.0f} s for {nfiles} (scaled); one run's peak RSS {mb(num(d_rss))}")
    print(f"ratio (docker-compose / plimsoll): {d_all / p_med:.0f}x")
print(f"results: {dest}")
EOF
