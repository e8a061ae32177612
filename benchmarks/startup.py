"""Start-up: `sinoterm snapshot --demo --format text --size 120x40` against a bare Textual app.

The bare app (Header, 30-row DataTable, Footer, exits when ready) is the framework's floor in the
same venv: the ratio of the two minimums is what Sinoterm adds to start-up. The runs alternate so
background load hits both sides. Target (DESIGN.md): wall-time ratio <= 1.3. The CPU-time ratio
(user + system of each process) is printed too: on a shared, loaded machine it is the steadier one.

    .venv/bin/python benchmarks/startup.py [--runs 10]
"""
from __future__ import annotations

import argparse

from _common import (
    PYTHON,
    SINOTERM,
    Command,
    alternate,
    check,
    emit,
    floor_script,
    isolated_env,
    scratch,
    summary,
)

TARGET_RATIO = 1.3
WARMUP = 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    tmp = scratch()
    env = isolated_env(tmp)
    env["NO_COLOR"] = "1"
    floor = floor_script(tmp, exit_when_ready=True)
    app_cmd = [str(SINOTERM), "snapshot", "--demo", "--format", "text", "--size", "120x40"]
    app, bare = Command(app_cmd, env), Command([str(PYTHON), str(floor)], env)
    apps, floors = alternate(app, bare, args.runs, warmup=WARMUP)
    ratio_min = min(apps) / min(floors)
    cpu_app, cpu_floor = app.cpu[WARMUP:], bare.cpu[WARMUP:]
    cpu_ratio = min(cpu_app) / min(cpu_floor)
    emit("startup", [
        check("snapshot --demo / bare app (wall, min)", ratio_min, TARGET_RATIO, "x"),
        check("snapshot --demo / bare app (CPU, min)", cpu_ratio, TARGET_RATIO, "x"),
    ], command=" ".join(app_cmd[1:]), snapshot_s=summary(apps), floor_s=summary(floors),
        ratio_min=round(ratio_min, 3), ratio_median=round(summary(apps)["median"] / summary(floors)["median"], 3),
        snapshot_cpu_s=summary(cpu_app), floor_cpu_s=summary(cpu_floor), cpu_ratio_min=round(cpu_ratio, 3))


if __name__ == "__main__":
    main()
