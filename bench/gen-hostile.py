#!/usr/bin/env python3
"""Writes the hostile inputs of issue 8 §2 into a directory, for bench/hostile.sh.

Each input is small enough to pass plimsoll's 4 MiB file limit and is built to hit one
unbounded cost: expansion depth (stack), expansion work (time), variable scope per RUN
(memory), findings per line (report time), findings per file (report memory), YAML depth and
alias fan-out. The sizes are those the issue was measured with; they can be scaled down with
--scale for a quick look (1 = as in the issue).

usage: bench/gen-hostile.py DIR [--scale S]
Prints one line per input: its path and size in bytes.
"""

import argparse
import os
import sys


def nest(depth: int) -> str:
    """`${a-${a-…x…}}`: each level is a default-value expansion of an unset variable."""
    return "${a-" * depth + "x" + "}" * depth


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{path} {os.path.getsize(path)}")


def dockerfiles(d: str, scale: float) -> None:
    deep = int(11_000 * scale)
    for name, line in [
        ("env", f"ENV X={nest(deep)}"),
        ("arg", f"ARG X={nest(deep)}"),
        ("workdir", f"WORKDIR /{nest(deep)}"),
    ]:
        write(f"{d}/nested-{name}/Dockerfile", f"FROM alpine:3.20\n{line}\nUSER 10001\n")
    write(f"{d}/nested-from/Dockerfile", f"FROM {nest(deep)}\nUSER 10001\n")
    # The same nesting inside a scan, beside a healthy Dockerfile: the scan must still write
    # its report (`-o`) and say which file it could not audit.
    write(f"{d}/nested-scan/bad/Dockerfile", f"FROM alpine:3.20\nENV X={nest(deep)}\n")
    write(f"{d}/nested-scan/good/Dockerfile", "FROM alpine:3.20\nUSER 10001\n")

    # 80 lines of nesting at a depth that does not overflow the stack before the fix, the
    # file just under the 4 MiB limit: measures the cost of expansion (quadratic before).
    lines = int(80 * scale) or 1
    depth = 9_000
    body = "".join(f"ENV X{i}={nest(depth)}\n" for i in range(lines))
    write(f"{d}/nested-80-lines/Dockerfile", f"FROM alpine:3.20\n{body}USER 10001\n")

    # The same volume of expansion within any sane nesting limit: 80 lines of 300 sibling
    # expansions, each 31 deep (3.7 MB). Expansion must stay linear below the limit too.
    wide = nest(31) * 300
    body = "".join(f"ENV W{i}={wide}\n" for i in range(lines))
    write(f"{d}/wide-80-lines/Dockerfile", f"FROM alpine:3.20\n{body}USER 10001\n")

    # Variable scope × RUN count: every RUN sees every ENV.
    def env_run(envs: int, runs: int, value: str) -> str:
        env = "".join(f"ENV V{i}={value}{i}\n" for i in range(envs))
        run = "".join(f"RUN echo {i}\n" for i in range(runs))
        return f"FROM alpine:3.20\n{env}{run}USER 10001\n"

    write(f"{d}/env-x-run/Dockerfile", env_run(int(10_000 * scale), int(1_000 * scale), ""))
    # 98,000 ENV: 2.3 MB, under the parser's 100,000-instruction limit.
    write(
        f"{d}/env-x-run-2mb/Dockerfile",
        env_run(int(98_000 * scale), int(1_000 * scale), "value-"),
    )
    # Instruction count: 4 MiB of one-word RUNs (~690,000 instructions; 1.2 GB before the limit).
    runs = "RUN a\n" * ((4 * 1024 * 1024 - 64) // 6)
    write(f"{d}/many-instructions/Dockerfile", f"FROM alpine:3.20\n{runs}")


def docker_run_args(d: str, scale: float) -> None:
    """One `docker run` command line with 20,000 findings: every `-v /:/hN` mounts the host's
    root (one finding per mount), written one argument per line for bench/hostile.sh."""
    n = int(20_000 * scale)
    args = ["docker", "run"] + [f"-v=/:/h{i}" for i in range(n)] + ["alpine:3.20"]
    write(f"{d}/run-20k/args", "\n".join(args) + "\n")


def scripts(d: str, scale: float) -> None:
    """A 3.8 MB shell script of `docker run` lines with ~780,000 findings, and four copies."""
    # Each line: 10 findings for what it lacks (user, limits, capabilities, healthcheck…)
    # plus one per mount of the host's root: 21 findings in 101 bytes.
    mounts = "".join(f" -v /:/{c}" for c in "abcdefghijk")
    line = f"docker run{mounts} x\n"
    count = int(3_800_000 * scale) // len(line)
    text = "#!/bin/sh\n" + line * count
    write(f"{d}/script-780k/deploy.sh", text)
    for i in range(4):
        write(f"{d}/script-780k-x4/copy{i}/deploy.sh", text)


def compose(d: str, scale: float) -> None:
    depth = int(100_000 * scale)
    write(
        f"{d}/yaml-nested/compose.yaml",
        "services:\n  web:\n    image: alpine:3.20\n    labels: " + "[" * depth + "]" * depth + "\n",
    )
    # Billion laughs: nine levels of ten aliases each, 10^9 strings if expanded.
    laughs = ['x-l0: &l0 "lol"']
    for level in range(1, 10):
        refs = ", ".join([f"*l{level - 1}"] * 10)
        laughs.append(f"x-l{level}: &l{level} [{refs}]")
    write(
        f"{d}/billion-laughs/compose.yaml",
        "\n".join(laughs)
        + "\nservices:\n  web:\n    image: alpine:3.20\n    user: \"10001\"\n"
        + "    labels:\n      lol: *l9\n",
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir")
    p.add_argument("--scale", type=float, default=1.0)
    a = p.parse_args()
    dockerfiles(a.dir, a.scale)
    docker_run_args(a.dir, a.scale)
    scripts(a.dir, a.scale)
    compose(a.dir, a.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
