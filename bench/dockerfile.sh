#!/usr/bin/env bash
# Speed and memory of the Dockerfile audit against hadolint, on the whole real-world corpus.
#
# Both tools get ALL corpus files on ONE command line, with JSON output and no failing exit
# status, RUNS times each (default 5); the script prints each median wall time, the ratio
# (hadolint / plimsoll; the bar is >= 100x) and plimsoll's peak RSS (the bar is < 50 MB).
# It asserts nothing: timing depends on the machine, so the numbers go into BENCHMARKS.md.
#
# usage: bench/dockerfile.sh
# environment:
#   PLIMSOLL          plimsoll binary to measure (default: build `cargo build --release -p plimsoll`)
#   HADOLINT          hadolint binary (default: <repo>/.peers/bin/hadolint, hadolint 2.15.1)
#   PLIMSOLL_CORPORA  corpora folder (default: <repo>/../shared/corpora); the corpus is
#                     $PLIMSOLL_CORPORA/real-dockerfiles
#   RUNS              runs per tool (default 5)
#   SKIP_HADOLINT_RSS=1  do not spend one more hadolint run measuring its peak RSS
# Timing uses hyperfine when installed (`apt-get install -y hyperfine`), else a bash loop.
# Raw results land in bench/out/ (gitignored).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/bench/out"
runs=${RUNS:-5}
corpora=${PLIMSOLL_CORPORA:-$root/../shared/corpora}
corpus="$corpora/real-dockerfiles"
hadolint=${HADOLINT:-$root/.peers/bin/hadolint}

die() {
  echo "bench/dockerfile.sh: error: $*" >&2
  exit 2
}

# --- prerequisites ------------------------------------------------------------------------
if [ ! -x "$hadolint" ]; then
  die "hadolint not found at $hadolint.
  Install the peer tools (hadolint 2.15.1, checkov, …) into the gitignored .peers folder:
      ../shared/peers/install.sh $root/.peers
  or point HADOLINT at a hadolint 2.15.1 binary."
fi
[ -d "$corpus" ] || die "corpus not found at $corpus (set PLIMSOLL_CORPORA to the corpora folder)"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed for peak RSS: apt-get install -y time"
command -v python3 >/dev/null || die "python3 is needed to read the timing results"

if [ -z "${PLIMSOLL:-}" ]; then
  echo "building plimsoll (release)…" >&2
  (cd "$root" && cargo build --release --quiet -p plimsoll) || die "cargo build --release -p plimsoll failed"
  PLIMSOLL="${CARGO_TARGET_DIR:-$root/target}/release/plimsoll"
fi
[ -x "$PLIMSOLL" ] || die "plimsoll binary not found at $PLIMSOLL"

# Every corpus file except the provenance table, sorted, as absolute paths (no spaces in them:
# hyperfine runs the command without a shell and splits it on whitespace).
mapfile -t files < <(find "$corpus" -maxdepth 1 -type f ! -name 'SOURCES.tsv' | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || die "no files in $corpus"
for f in "${files[@]}"; do
  case "$f" in *[[:space:]]*) die "corpus path with whitespace is not supported: $f" ;; esac
done
bytes=$(cat "${files[@]}" | wc -c)

mkdir -p "$out"
plimsoll_cmd=("$PLIMSOLL" dockerfile --format json --fail-on never --no-config "${files[@]}")
hadolint_cmd=("$hadolint" --no-fail -f json "${files[@]}")

# --- sanity: both tools really audit the corpus (a benchmark of an error exit is worthless) --
"${plimsoll_cmd[@]}" >"$out/plimsoll.json" 2>"$out/plimsoll.stderr" ||
  die "plimsoll exited with $? on the corpus; see $out/plimsoll.stderr"
python3 - "$out/plimsoll.json" <<'EOF' || die "plimsoll did not print a JSON report"
import json, sys
doc = json.load(open(sys.argv[1]))
findings = doc.get("findings", []) if isinstance(doc, dict) else doc
errors = doc.get("errors", []) if isinstance(doc, dict) else []
print(f"plimsoll sanity run: {len(findings)} findings, {len(errors)} input errors", file=sys.stderr)
EOF

# --- timing ---------------------------------------------------------------------------------
# plimsoll gets one warm-up run; the reference none (its runs are long, and the inputs are in
# the page cache after plimsoll's).
prefix=""
# shellcheck source=bench/lib/measure.sh
. "$(dirname "$0")/lib/measure.sh"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "corpus: $corpus (${#files[@]} files, $bytes bytes); $runs runs each" >&2
echo "timing plimsoll…" >&2
read -r p_median p_cpu < <(measure plimsoll 1 "${plimsoll_cmd[@]}")
echo "timing hadolint (about half a minute per run)…" >&2
read -r h_median h_cpu < <(measure hadolint 0 "${hadolint_cmd[@]}")
p_rss=$(peak_rss_kb "${plimsoll_cmd[@]}")
if [ "${SKIP_HADOLINT_RSS:-0}" = 1 ]; then h_rss=""; else h_rss=$(peak_rss_kb "${hadolint_cmd[@]}"); fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ---------------------------------------------------------------------------------
python3 - "$p_median" "$p_cpu" "$p_rss" "$h_median" "$h_cpu" "${h_rss:-}" "${#files[@]}" "$bytes" \
  "$("$hadolint" --version | head -1)" "$("$PLIMSOLL" --version 2>/dev/null | head -1)" \
  "$(nproc)" "$out/dockerfile-bench.json" "$load_before" "$load_after" <<'EOF'
import json, sys
(p_med, p_cpu, p_rss, h_med, h_cpu, h_rss, nfiles, nbytes, h_ver, p_ver, cores, dest,
 load_before, load_after) = sys.argv[1:]
num = lambda s: None if s in ("", "-") else float(s)
p_med, h_med = float(p_med), float(h_med)
ratio = h_med / p_med
res = {
    "files": int(nfiles), "bytes": int(nbytes), "cores": int(cores),
    "plimsoll": {"version": p_ver, "median_s": p_med, "cpu_s": num(p_cpu), "peak_rss_kb": num(p_rss)},
    "hadolint": {"version": h_ver, "median_s": h_med, "cpu_s": num(h_cpu), "peak_rss_kb": num(h_rss)},
    "ratio": ratio,
    "loadavg_before": load_before, "loadavg_after": load_after,
}
json.dump(res, open(dest, "w"), indent=1)
mb = lambda kb: "-" if kb is None else f"{kb / 1024:.1f} MB"
cpu = lambda s: "-" if s is None else f"{s:.3f} s"
print(f"files: {nfiles} ({int(nbytes):,} bytes), cores: {cores}, "
      f"load average before/after: {load_before} / {load_after}")
print(f"{'tool':<10} {'median wall':>12} {'mean CPU':>10} {'peak RSS':>10}")
print(f"{'hadolint':<10} {h_med:>10.3f} s {cpu(num(h_cpu)):>10} {mb(num(h_rss)):>10}")
print(f"{'plimsoll':<10} {p_med:>10.3f} s {cpu(num(p_cpu)):>10} {mb(num(p_rss)):>10}")
print(f"ratio (hadolint / plimsoll median wall): {ratio:.0f}x  (target >= 100x)")
rss_mb = num(p_rss) / 1024 if num(p_rss) is not None else float("nan")
print(f"plimsoll peak RSS: {rss_mb:.1f} MB  (target < 50 MB)")
print(f"results: {dest}")
EOF
