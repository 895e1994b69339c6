#!/usr/bin/env bash
# `plimsoll scan` over real public projects (issue 8, "The bar"): docker/awesome-compose,
# dockersamples/example-voting-app, getsentry/self-hosted and mailcow/mailcow-dockerized, plus
# containers/buildah's Dockerfile test tree (tests/bud) when present. The projects are never
# committed: check them out (as git work trees, so tracked-but-ignored files are what they are
# in a real checkout) under one scratch directory, named as below.
#
# For each project it runs, from the project's directory,
#   plimsoll scan . --format json --fail-on never -o REPORTS/<name>.json
# under GNU time and prints the exit code, wall time, peak RSS, files audited, findings per
# severity, errors and warnings; then the high and critical findings per rule (the ones to read
# by hand); then the files that look like Dockerfiles or compose files (by name, outside .git)
# that the scan did not list as a target, so discovery gaps show.
#
# usage: scripts/real-projects.sh SCRATCH [REPORTS]
#   SCRATCH  directory holding awesome-compose/, example-voting-app/, self-hosted/,
#            mailcow-dockerized/ and optionally buildah/
#   REPORTS  where the JSON reports go (default: SCRATCH/reports)
# environment:
#   PLIMSOLL  the binary (default: target/release/plimsoll)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() {
  echo "scripts/real-projects.sh: error: $*" >&2
  exit 2
}
[ $# -ge 1 ] || die "usage: scripts/real-projects.sh SCRATCH [REPORTS]"
scratch=$(cd "$1" && pwd) || die "no such directory: $1"
reports=${2:-$scratch/reports}
mkdir -p "$reports"
reports=$(cd "$reports" && pwd)
plimsoll=${PLIMSOLL:-$root/target/release/plimsoll}
[ -x "$plimsoll" ] || die "no plimsoll binary at $plimsoll (cargo build --release -p plimsoll, or set PLIMSOLL)"
plimsoll=$(cd "$(dirname "$plimsoll")" && pwd)/$(basename "$plimsoll")
[ -x /usr/bin/time ] || die "GNU time is missing: apt-get install -y time"

projects=(awesome-compose example-voting-app self-hosted mailcow-dockerized)
[ -d "$scratch/buildah/tests/bud" ] && projects+=(buildah/tests/bud)

echo "plimsoll: $plimsoll ($("$plimsoll" --version))"
for p in "${projects[@]}"; do
  dir=$scratch/$p
  [ -d "$dir" ] || die "missing project $dir"
  name=${p//\//-}
  code=0
  (cd "$dir" && /usr/bin/time -o "$reports/$name.time" -f '%e %M' \
    "$plimsoll" scan . --format json --fail-on never -o "$reports/$name.json" \
    2>"$reports/$name.stderr") || code=$?
  echo "$code $(tail -n 1 "$reports/$name.time")" >"$reports/$name.run"
  # Candidate files by name, for the discovery check.
  (cd "$dir" && find . -name .git -prune -o -type f \( -iname 'Dockerfile*' -o -iname '*.Dockerfile' \
    -o -iname 'Containerfile*' -o -iname '*.Containerfile' -o -iname 'compose.y*ml' \
    -o -iname 'compose.*.y*ml' -o -iname 'docker-compose*.y*ml' \) -print) |
    sed 's|^\./||' | LC_ALL=C sort >"$reports/$name.candidates"
done

python3 - "$reports" "${projects[@]}" <<'EOF'
import json, os, sys
from collections import Counter

reports, projects = sys.argv[1], sys.argv[2:]
sev = ["critical", "high", "medium", "low", "info"]
print(f"\n{'project':<24} {'exit':>4} {'wall':>8} {'peak RSS':>10} {'files':>5} "
      + " ".join(f"{s:>8}" for s in sev) + f" {'errors':>6} {'warns':>6}")
total = Counter()
details = []
for p in projects:
    name = p.replace("/", "-")
    code, wall, rss = open(f"{reports}/{name}.run").read().split()
    try:
        r = json.load(open(f"{reports}/{name}.json"))
    except (OSError, ValueError) as e:
        print(f"{p:<24} {code:>4} {wall:>6} s {int(rss) // 1024:>6} MiB  no report: {e}")
        continue
    s = r["summary"]
    by = s["by_severity"]
    print(f"{p:<24} {code:>4} {wall:>6} s {int(rss) // 1024:>6} MiB {s['files']:>5} "
          + " ".join(f"{by[k]:>8}" for k in sev)
          + f" {s['errors']:>6} {len(r['warnings']):>6}")
    for k in sev:
        total[k] += by[k]
    details.append((p, name, r))
print(f"{'total':<24} {'':>4} {'':>8} {'':>10} {'':>5} " + " ".join(f"{total[k]:>8}" for k in sev))

for p, name, r in details:
    hc = Counter(f["rule_id"] for f in r["findings"]
                 if f["severity"] in ("critical", "high") and not f["suppressed"])
    print(f"\n{p}: high/critical by rule: "
          + (", ".join(f"{k} {v}" for k, v in sorted(hc.items())) or "none"))
    for e in r["errors"]:
        print(f"  error: {e['file']}:{e['line']}: {e['message'][:150]}")
    seen = {t["path"].removeprefix("./") for t in r["targets"]}
    seen |= {e["file"].removeprefix("./") for e in r["errors"] if e["file"]}
    cands = [c for c in open(f"{reports}/{name}.candidates").read().split("\n") if c]
    missed = [c for c in cands if c not in seen]
    print(f"  discovery: {len(cands)} candidate files by name, {len(missed)} neither audited"
          " nor reported as errors (templates and *.dockerignore are skipped on purpose)"
          + (":" if missed else ""))
    for m in missed[:40]:
        print(f"    {m}")
    if len(missed) > 40:
        print(f"    … {len(missed) - 40} more (see {reports}/{name}.candidates)")
EOF
