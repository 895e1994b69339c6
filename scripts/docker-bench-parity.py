#!/usr/bin/env python3
"""Check-by-check comparison of docker-bench-security and `plimsoll bench` on this host.

Usage:
  scripts/docker-bench-parity.py DOCKER_BENCH_DIR [--plimsoll BIN] [--markdown]
                                 [-- ARGS passed to both, e.g. -c 5 or -i web]

DOCKER_BENCH_DIR is a checkout of https://github.com/docker/docker-bench-security (the
script fetches nothing: get it once, outside this repository). It needs what docker-bench
needs: sh/bash, the docker CLI, jq, ss or netstat, and usually root.

Both tools run against the same engine, one after the other: docker-bench with `-b -l LOG`
(its JSON log is LOG.json), plimsoll with `bench --format docker-bench-json`. The table lists every CIS id
either tool reported, each tool's result and whether they agree; a disagreement is followed
by the reason plimsoll decides differently (docs/parity.md has the full explanations).
Exit status: 0 when the comparison ran (disagreements are expected and explained), 2 when a
tool could not be run.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

# Why plimsoll's result can differ from docker-bench's on a given check. Keys are CIS ids;
# research/runtime.md §1.3 numbers docker-bench's known false results ("quirk N").
KNOWN = {
    "1.1.1": "deliberate: docker-bench's `mountpoint -q` passes a bind mount of a directory of / (same device); plimsoll requires a separate device",
    "1.1.2": "deliberate: without -u docker-bench always says INFO (lists the group); plimsoll passes a docker group with no member but root, lists members otherwise",
    "2.18": "deliberate: docker-bench says INFO '(Deprecated)' on engines after 19.03; plimsoll still checks the experimental flag",
    "3.23": "deliberate: docker-bench only looks at /run/containerd/containerd.sock; plimsoll finds the containerd socket dockerd uses (/var/run/docker/containerd/containerd.sock on engines that run their own containerd)",
    "3.24": "same as 3.23",
    "6.2": "deliberate: docker-bench always says INFO with the counts; plimsoll passes when fewer than 25 containers are stopped",
    "1.2.1": "manual check: docker-bench prints NOTE but logs INFO in its JSON (`note -c` + `logcheckresult INFO`); plimsoll reports NOTE",
    "1.2.2": "manual check: docker-bench prints PASS but logs INFO ('Using <version>') when the engine is older than its 30-day window; plimsoll reports NOTE (a version's support status needs the vendor's calendar)",
    "2.1": "manual check: docker-bench prints NOTE but logs INFO; plimsoll reports what the host collector found (rootless or not)",
    "2.8": "manual check: both INFO when no default ulimit is set; plimsoll NOTE when the host collector is unavailable",
    "2.13": "quirk 9: docker-bench fails the default json-file driver",
    "2.17": "quirk 9: docker-bench looks for profile=default; engines report profile=builtin",
    "4.1": "quirk 3: docker-bench misses 0:0 / root:root users",
    "4.5": "deliberate: Docker Content Trust is retired (research §8): INFO, not scored; docker-bench only reads the bench process's DOCKER_CONTENT_TRUST",
    "4.6": "docker-bench inspects every image incl. untagged intermediate ones; plimsoll the listed images",
    "4.7": "deliberate: manual; plimsoll checks update-alone on Dockerfiles (DF035/DF038, `plimsoll scan`) and reports NOTE; docker-bench greps `docker history` for 'update'",
    "4.9": "deliberate: manual; plimsoll checks ADD on Dockerfiles (DF009/DF010) and reports NOTE; docker-bench greps `docker history` for ADD",
    "5.2": "quirk 2 / #320: docker-bench warns on every container when the host has no AppArmor; plimsoll says not applicable (INFO)",
    "5.3": "quirk 2: docker-bench passes any SecurityOpt as 'SELinux options' and warns when there are none even without SELinux; plimsoll: not applicable without SELinux, else RS007",
    "5.6": "quirk 4: docker-bench matches only exact top-level paths mounted rw; plimsoll (RS016) also sub-paths (/etc/shadow), /var/run, /root, /home and read-only mounts of sensitive paths",
    "5.7": "quirk 8: docker-bench runs `docker exec ps` (fails on images without ps: busybox-only/distroless); plimsoll reads `top` from the host",
    "5.9": "deliberate: a Manual check docker-bench scores; plimsoll lists the published ports as INFO, unscored",
    "5.14": "quirk 5: docker-bench misses the IPv6 wildcard [::]",
    "5.27": "deliberate: plimsoll also lists containers whose healthcheck fails (State.Health.Status=unhealthy, RS036)",
    "5.15": "quirk 6: docker-bench passes restart=always / unless-stopped (count 0); plimsoll (RS029) warns on unbounded restarts",
    "5.19": "deliberate: docker-bench flags every container WITHOUT a ulimit override (INFO); plimsoll flags raised ulimits (RS022)",
    "5.26": "quirk 7: docker-bench passes every container when the daemon sets no-new-privileges (plimsoll too, through the host facts) and otherwise greps SecurityOpt",
    "5.28": "manual: plimsoll lists containers whose image is not pinned by digest (RS033); docker-bench prints INFO without checking",
    "5.30": "manual: both list containers on docker0; docker-bench passes when none",
    "5.32": "quirk 7: docker-bench only greps docker.sock; plimsoll (RS015) also containerd/podman/crio sockets and /run, /var/run",
    "6.1": "deliberate: docker-bench always says INFO with the counts; plimsoll passes when at least half of the images are in use",
    "7.2": "swarm mode: plimsoll does not read the host's sockets (INFO not checked)",
}


def run_docker_bench(directory, extra):
    log = os.path.join(tempfile.mkdtemp(prefix="docker-bench-"), "docker-bench.log")
    cmd = ["sh", "docker-bench-security.sh", "-b", "-l", log] + extra
    t = time.monotonic()
    proc = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
    elapsed = time.monotonic() - t
    try:
        with open(log + ".json", encoding="utf-8") as f:
            return json.load(f), elapsed
    except (OSError, ValueError) as e:
        sys.exit(
            f"docker-bench-security produced no JSON log ({e}); exit {proc.returncode}\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )


def run_plimsoll(binary, extra):
    cmd = [binary, "bench", "--format", "docker-bench-json"] + extra
    t = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.monotonic() - t
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{proc.stderr}")
    try:
        return json.loads(proc.stdout), elapsed
    except ValueError as e:
        sys.exit(f"plimsoll bench printed no JSON ({e}):\n{proc.stdout[:2000]}")


def results(report):
    out = {}
    for test in report.get("tests", []):
        for r in test.get("results", []):
            out[r.get("id", "")] = r
    return out


def item_set(cis, result):
    """docker-bench's items normalised to names: `c:/etc` (5.6), `c:80` (5.8), `c:0.0.0.0` (5.14) → `c`, `id:name` (5.30) →
    `name`, `[repo:tag]` (4.6) → `repo:tag`."""
    out = set()
    for item in result.get("items", []) or []:
        item = item.strip()
        if cis in ("5.6", "5.8", "5.14"):
            item = item.split(":")[0]
        elif cis == "5.30" and ":" in item:
            item = item.split(":", 1)[1]
        elif cis == "4.6":
            item = item.strip("[]")
        if item and item != "(truncated)":
            out.add(item)
    return out


def id_key(cis):
    return [int(p) if p.isdigit() else 0 for p in cis.split(".")]


# docker-bench's option letters → plimsoll bench's.
FLAG_MAP = {"-c": "--check", "-e": "--exclude", "-i": "--include-containers", "-x": "--exclude-containers"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("docker_bench_dir")
    ap.add_argument("--plimsoll", default="plimsoll", help="the plimsoll binary [plimsoll on PATH]")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("extra", nargs="*", help="docker-bench options after --, e.g. -- -c 5")
    args = ap.parse_args()
    script = os.path.join(args.docker_bench_dir, "docker-bench-security.sh")
    if not os.path.isfile(script):
        sys.exit(f"{script}: not found (point DOCKER_BENCH_DIR at a docker-bench-security checkout)")
    db_extra = list(args.extra)
    pl_extra = []
    it = iter(args.extra)
    for a in it:
        if a in FLAG_MAP:
            value = next(it, "")
            if a == "-c" or a == "-e":
                value = ",".join(v.replace("check_", "").replace("_", ".") for v in value.split(","))
            pl_extra += [FLAG_MAP[a], value]

    db, db_time = run_docker_bench(args.docker_bench_dir, db_extra)
    pl, pl_time = run_plimsoll(args.plimsoll, pl_extra)
    dbr, plr = results(db), results(pl)
    ids = sorted(set(dbr) | set(plr), key=id_key)
    rows = []
    agree = 0
    for cis in ids:
        a = dbr.get(cis, {}).get("result", "-")
        b = plr.get(cis, {}).get("result", "-")
        same = a == b
        agree += same
        why = ""
        if not same:
            why = plr.get(cis, {}).get("not_checked") and "plimsoll: not checked: " + plr[cis]["not_checked"] or KNOWN.get(cis, "UNEXPLAINED")
        if same and a in ("WARN", "INFO"):
            da, pa = item_set(cis, dbr.get(cis, {})), item_set(cis, plr.get(cis, {}))
            if da and pa and da != pa:
                parts = []
                if pa - da:
                    parts.append("plimsoll also: " + ", ".join(sorted(pa - da)))
                if da - pa:
                    parts.append("docker-bench also: " + ", ".join(sorted(da - pa)))
                why = "items differ (" + "; ".join(parts) + "): " + KNOWN.get(cis, "UNEXPLAINED")
        rows.append((cis, a, b, "yes" if same else "NO", why))
    if args.markdown:
        print("| id | docker-bench | plimsoll | agree | why |")
        print("|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        print(f"{'id':<8} {'docker-bench':<13} {'plimsoll':<9} {'agree':<6} why")
        for r in rows:
            print(f"{r[0]:<8} {r[1]:<13} {r[2]:<9} {r[3]:<6} {r[4]}")
    print()
    print(f"checks: docker-bench {db.get('checks')}, plimsoll {pl.get('checks')}")
    print(f"score:  docker-bench {db.get('score')}, plimsoll {pl.get('score')}")
    unexplained = sum(1 for r in rows if r[4].endswith("UNEXPLAINED"))
    print(f"agree on {agree} of {len(ids)} ids; unexplained: {unexplained}")
    print(f"time:   docker-bench {db_time:.2f}s, plimsoll {pl_time:.2f}s")


if __name__ == "__main__":
    main()
