"""Run every benchmark and print one table: name, figure, target, ok/miss (`make bench`).

Each `benchmarks/*.py` except this file and the `_*.py` helpers runs in its own process, one after another
(they time things, so never two at once), and prints one JSON object last on stdout. A result
with a `checks` list (see `_common.check`) gives one table line per check; an older-style result
with `target_<x>` keys is read by pairing each target with the figure named after it. The exit
status is 0 whatever the figures: benchmarks are a record, not a test. `--json` prints every
result as one JSON array instead of the table.

    .venv/bin/python benchmarks/run_all.py [--json] [--only startup memory]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"run_all", "_common"}
TIMEOUT = 900


def scripts(only: list[str] | None) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.stem not in SKIP and not p.stem.startswith("_"))
    return [p for p in found if not only or p.stem in only]


def last_json(stdout: str) -> dict | None:
    """The JSON object a benchmark printed last: its last line, or (pretty-printed) its tail."""
    lines = stdout.rstrip().splitlines()
    for start in range(len(lines) - 1, -1, -1):
        if lines[start].lstrip().startswith("{"):
            try:
                value = json.loads("\n".join(lines[start:]))
            except json.JSONDecodeError:
                continue
            return value if isinstance(value, dict) else None
    return None


def rows(name: str, result: dict) -> list[tuple[str, str, str, str]]:
    """(name, figure, target, verdict) lines for one result."""
    if isinstance(result.get("checks"), list):
        out = []
        for c in result["checks"]:
            value = "n/a" if c.get("value") is None else f"{c['value']:g} {c.get('unit', '')}".strip()
            target = f"<= {c['target']:g} {c.get('unit', '')}".strip()
            out.append((f"{name}: {c['what']}", value, target, "ok" if c.get("ok") else "MISS"))
        return out
    out = []
    for key, target in result.items():
        if not key.startswith("target_") or not isinstance(target, (int, float)):
            continue
        stem = key.removeprefix("target_")
        figure = next((k for k in (stem, f"{stem}_median") if k in result), None) or next(
            (k for k in result if k.startswith(f"{stem}_") and isinstance(result[k], (int, float))), None)
        value = result.get(figure) if figure else None
        verdict = "?" if not isinstance(value, (int, float)) else ("ok" if value <= target else "MISS")
        out.append((f"{name}: {figure or stem}", "n/a" if value is None else f"{value:g}", f"<= {target:g}", verdict))
    return out or [(name, json.dumps(result)[:60], "", "?")]


def run(script: Path) -> tuple[dict | None, str, float]:
    t0 = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=TIMEOUT,
                           cwd=HERE.parent)
    except subprocess.TimeoutExpired:
        return None, f"no result within {TIMEOUT} s", time.perf_counter() - t0
    result = last_json(r.stdout)
    error = "" if result is not None else (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1]
    return result, error, time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the results as a JSON array")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these benchmarks")
    args = parser.parse_args()
    results, table = [], []
    for script in scripts(args.only):
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        result, error, took = run(script)
        results.append(result if result is not None else {"benchmark": script.stem, "error": error})
        table += rows(script.stem, result) if result is not None else [(script.stem, "failed", error[:60], "ERROR")]
        print(f"  {script.name}: {took:.0f} s", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    machine = next((r["machine"] for r in results if isinstance(r.get("machine"), dict)), None)
    if machine:
        print(f"machine: {machine.get('nproc')} CPUs, {machine.get('cpu')}, Python {machine.get('python')}")
    widths = [max(len(row[i]) for row in [("benchmark", "figure", "target", ""), *table]) for i in range(4)]
    for row in [("benchmark", "figure", "target", "result"), *table]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
