"""Shared helpers for the benchmarks: result JSON, timing, isolation, the bare app, tmux, memory.

The loopback quote server is in `_loopback.py`, the real app on it in `_app.py`.

Every benchmark prints one JSON object on its last stdout line (`emit`), with a `checks` list of
`{what, value, unit, target, ok}` that `run_all.py` turns into the table. Benchmarks never assert
on timings: a miss is a figure to act on, not a failure.

Timing on a shared, noisy machine: the two sides of a comparison alternate run by run (so a burst of
background load hits both), and the minimum is the least-disturbed run; the median is reported too.
"""
from __future__ import annotations

import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py`: the project is importable
    sys.path.insert(0, str(ROOT))

PYTHON = Path(sys.executable)
SINOTERM = PYTHON.parent / "sinoterm"
HKT = ZoneInfo("Asia/Hong_Kong")
EASTERN = ZoneInfo("America/New_York")
TRADING_INSTANT = datetime(2026, 8, 7, 10, 30, tzinfo=HKT)
"""A Friday morning with Hong Kong trading: quotes stamped now are fresh, none shows as stale."""


# ---- results -----------------------------------------------------------------------------------

def check(what: str, value: float | None, target: float, unit: str) -> dict:
    """One line of the table: `value` against a lower-is-better `target`."""
    if value is not None and not math.isfinite(value):
        value = None  # never happened (e.g. the screen never showed the pattern)
    ok = value is not None and value <= target
    return {"what": what, "value": None if value is None else round(value, 3), "unit": unit,
            "target": target, "ok": ok}


def emit(name: str, checks: list[dict], **details) -> None:
    """Print the benchmark's result as one JSON line (the last line on stdout)."""
    print(json.dumps({"benchmark": name, "machine": machine(), "checks": checks, **details},
                     ensure_ascii=False), flush=True)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def summary(seconds: Iterable[float], scale: float = 1.0, digits: int = 3) -> dict:
    """min / median / max / n of a list of timings, multiplied by `scale` (1000 for ms)."""
    xs = [x * scale for x in seconds]
    return {"min": round(min(xs), digits), "median": round(statistics.median(xs), digits),
            "max": round(max(xs), digits), "n": len(xs)}


def percentile(xs: list[float], p: float) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def alternate(a: Callable[[], float], b: Callable[[], float], runs: int, warmup: int = 1
              ) -> tuple[list[float], list[float]]:
    """Run a, b, a, b, ... `runs` times each after `warmup` unrecorded pairs (disk and bytecode caches)."""
    for _ in range(warmup):
        a()
        b()
    xs, ys = [], []
    for _ in range(runs):
        xs.append(a())
        ys.append(b())
    return xs, ys


class Command:
    """A command to time run by run: wall seconds (returned) and CPU seconds (user + system of the
    process and its threads, from the children's rusage), kept in `wall` and `cpu`. CPU time barely
    moves when other work loads the machine, so it is the steadier figure on a shared box."""

    def __init__(self, cmd: list[str], env: dict[str, str], timeout: float = 60):
        self.cmd, self.env, self.timeout = cmd, {**os.environ, **env}, timeout
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __call__(self) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        r = subprocess.run(self.cmd, capture_output=True, env=self.env, timeout=self.timeout)
        took = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(self.cmd)[:80]} exited {r.returncode}: "
                               f"{r.stderr.decode(errors='replace').strip()[-300:]}")
        self.wall.append(took)
        self.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return took


# ---- isolation ---------------------------------------------------------------------------------

def scratch() -> Path:
    """A temporary directory removed at exit."""
    import atexit

    d = Path(tempfile.mkdtemp(prefix="sinoterm-bench-"))
    atexit.register(shutil.rmtree, d, ignore_errors=True)
    return d


def isolated_env(tmp: Path) -> dict[str, str]:
    """XDG dirs and the config path inside `tmp`, so no benchmark touches the user's files."""
    env = {}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        d = tmp / name.lower()
        d.mkdir(parents=True, exist_ok=True)
        env[name] = str(d)
    env["SINOTERM_CONFIG"] = str(tmp / "config.toml")
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def isolate_here(tmp: Path) -> None:
    """`isolated_env` applied to this process (before the project reads any path)."""
    os.environ.update(isolated_env(tmp))


# ---- the bare Textual app: the floor every start-up figure is divided by ------------------------

def floor_script(tmp: Path, exit_when_ready: bool) -> Path:
    """A bare Textual app (Header, 30-row DataTable, Footer), the same one the checks time."""
    tail = ("    def on_ready(self):\n        self.exit()\nFloor().run(headless=True, size=(120, 40))\n"
            if exit_when_ready else "Floor().run()\n")
    path = tmp / ("floor_exit.py" if exit_when_ready else "floor.py")
    path.write_text(
        "from textual.app import App\n"
        "from textual.widgets import DataTable, Footer, Header\n"
        "class Floor(App):\n"
        "    def compose(self):\n"
        "        yield Header(); yield DataTable(); yield Footer()\n"
        "    def on_mount(self):\n"
        "        t = self.query_one(DataTable); t.add_columns('symbol', 'last', 'change')\n"
        "        for i in range(30): t.add_row(f'S{i}', '1.00', '+1.0%')\n" + tail
    )
    return path


# ---- a real terminal ---------------------------------------------------------------------------

def time_to_screen(argv: list[str], env: dict[str, str], pattern: str, timeout: float = 30,
                   size: tuple[int, int] = (140, 45)) -> float:
    """Seconds from launching `argv` in a fresh tmux session until `pattern` is on its screen."""
    name = f"sinoterm-bench-{os.getpid()}-{time.monotonic_ns()}"
    envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    cmd = f"env {envs} TERM=xterm-256color {' '.join(shlex.quote(a) for a in argv)}"
    rx = re.compile(pattern)
    for _attempt in range(5):  # a tmux server still shutting down from the last run refuses for a moment
        t0 = time.perf_counter()
        started = subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]),
                                  cmd], capture_output=True)
        if started.returncode == 0:
            break
        time.sleep(0.3)
    else:
        raise RuntimeError(f"tmux would not start a session: {started.stderr.decode(errors='replace')[-200:]}")
    try:
        while time.perf_counter() - t0 < timeout:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", name],
                                    capture_output=True, text=True).stdout
            if rx.search(screen):
                return time.perf_counter() - t0
            time.sleep(0.01)
        return float("inf")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def rss_mib() -> dict:
    """This process's resident set now and at its peak (MiB), from /proc and getrusage."""
    out = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    out["ru_maxrss"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out
