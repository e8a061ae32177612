"""Shared helpers for the benchmarks: result JSON, timing, a loopback quote server, tmux, fixtures.

Every benchmark prints one JSON object on its last stdout line (`emit`), with a `checks` list of
`{what, value, unit, target, ok}` that `run_all.py` turns into the table. Benchmarks never assert
on timings: a miss is a figure to act on, not a failure.

Timing on a shared, noisy machine: the two sides of a comparison alternate run by run (so a burst of
background load hits both), and the minimum is the least-disturbed run; the median is reported too.
"""
from __future__ import annotations

import asyncio
import bisect
import http.server
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
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
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
    t0 = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), cmd],
                   check=True, capture_output=True)
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


# ---- a loopback quote server in Tencent's wire format ------------------------------------------

def tencent_hk_line(code: str, name: str, last: float, prev: float, when: datetime) -> str:
    """A 78-field `v_hkNNNNN` value: the fields `market.providers.tencent.parse_hk` reads, the rest 0."""
    f = ["0"] * 78
    f[0], f[1], f[2] = "100", name, code
    f[3], f[4], f[5] = f"{last:.3f}", f"{prev:.3f}", f"{prev:.3f}"
    f[6] = f[29] = f"{1_000_000 + int(last * 1000)}.0"
    f[30] = when.astimezone(HKT).strftime("%Y/%m/%d %H:%M:%S")
    f[31], f[32] = f"{last - prev:.3f}", f"{(last - prev) / prev * 100:.2f}"
    f[33], f[34] = f"{max(last, prev) * 1.01:.3f}", f"{min(last, prev) * 0.99:.3f}"
    f[45], f[46], f[75], f[76], f[77] = "123.45", name.upper(), "HKD", "1", "50"
    return "~".join(f)


def tencent_us_line(ticker: str, last: float, prev: float, when: datetime) -> str:
    """A 70-field `v_usXXX` value (US Eastern timestamp, USD, ADS ratio 1:8)."""
    f = ["0"] * 70
    f[0], f[1], f[2] = "200", ticker, f"{ticker}.N"
    f[3], f[4], f[5], f[6] = f"{last:.2f}", f"{prev:.2f}", f"{prev:.2f}", "1000000"
    f[30] = when.astimezone(EASTERN).strftime("%Y-%m-%d %H:%M:%S")
    f[31], f[32] = f"{last - prev:.2f}", f"{(last - prev) / prev * 100:.2f}"
    f[33], f[34] = f"{max(last, prev):.2f}", f"{min(last, prev):.2f}"
    f[35], f[42], f[46] = "USD", "1:8", ticker
    return "~".join(f)


class TencentServer:
    """`GET /q=hk00001,usBABA,whUSDHKD` on 127.0.0.1, answering every HK, US and FX code with a
    synthetic line in Tencent's format (GB18030). `bump()` moves every price, so a refresh has new
    values to show; `delay` (seconds) holds each answer back, to keep a refresh in flight."""

    def __init__(self, when: datetime = TRADING_INSTANT):
        self.when = when
        self.generation = 0
        self.delay = 0.0
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like the real endpoint

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                if server.delay:
                    time.sleep(server.delay)
                body = server.body(self.path)
                self.send_response(200 if body is not None else 404)
                body = body if body is not None else b"not found"
                self.send_header("Content-Type", "text/html; charset=GBK")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def bump(self) -> None:
        self.generation += 1

    def price(self, code: str) -> tuple[float, float]:
        """(last, prev_close) for a code at the current generation: distinct per code and per bump."""
        seed = sum(ord(c) * (i + 1) for i, c in enumerate(code)) % 997
        prev = 10 + seed / 10
        return round(prev * (1 + ((seed + self.generation * 7) % 21 - 10) / 1000), 3), prev

    def line(self, code: str) -> str | None:
        bare = code.removeprefix("r_")
        if bare.startswith("hk") and bare[2:].isdigit():
            last, prev = self.price(bare)
            return tencent_hk_line(bare[2:], f"基准{bare[2:]}", last, prev, self.when)
        if bare.startswith("us"):
            last, prev = self.price(bare)
            return tencent_us_line(bare[2:].upper(), last, prev, self.when - timedelta(hours=14))
        if bare.startswith("wh"):
            rate = 7.8123 if bare.endswith("HKD") else 7.1234
            stamp = self.when.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d%H%M%S")
            return f"310~fx~{bare[2:]}~{rate}~0~{stamp}~{rate}~{rate}~{rate}~{rate}"
        return None

    def body(self, path: str) -> bytes | None:
        raw = urllib.parse.unquote(urllib.parse.urlparse(path).path)
        if "q=" not in raw:
            return None
        out = []
        for code in raw.split("q=", 1)[1].split(","):
            code = code.strip()
            if code:
                line = self.line(code)
                out.append(f'v_{code}="{line}";' if line else 'v_pv_none_match="1";')
        return ("\n".join(out) + "\n").encode("gb18030")

    def close(self) -> None:
        self.httpd.shutdown()


# ---- a realistic configuration -----------------------------------------------------------------

def watchlist_symbols(n: int) -> list[str]:
    """The default China-tech watchlist (real companies, dual listings, news) padded with HK codes
    outside the instruments directory to `n` listings in all (both legs counted)."""
    from config.models import Settings
    from market.instruments import directory

    d = directory()
    out: list[str] = []
    for symbol in Settings().watchlists[0].symbols:
        company = d.company_of(symbol)
        for s in (company.symbols if company else (symbol,)):
            if s not in out:
                out.append(s)
    code = 1
    while len(out) < n:
        symbol = f"{code:04d}.HK"
        if d.company_of(symbol) is None:
            out.append(symbol)
        code += 1
    return out


def write_config(tmp: Path, server_url: str, symbols: list[str], max_news: int = 500) -> Path:
    """Tencent first and Sina second, both at `server_url`; every session followed off (each refresh
    asks for every listing, the case the targets are about)."""
    cfg = tmp / "config.toml"
    cfg.write_text("\n".join([
        "[quotes]", 'primary = "tencent"', 'secondary = "sina"', "follow_sessions = false", "",
        "[providers.tencent]", f'base_url = "{server_url}"',
        "[providers.sina]", f'base_url = "{server_url}"',
        "[providers.yahoo]", f'base_url = "{server_url}"', "",
        "[news]", f"max_items = {max_news}", "",
        "[[watchlists]]", 'name = "Bench"',
        "symbols = [" + ", ".join(json.dumps(s) for s in symbols) + "]", "",
    ]))
    return cfg


# ---- synthetic news ----------------------------------------------------------------------------

_STORY = (
    "{name} said revenue for the quarter rose {g}% from a year earlier to {rev} billion yuan "
    "(US${usd} billion), while net income attributable to shareholders came to {ni} billion yuan. "
    "Its cloud unit grew {c}% and the company kept its buyback programme running. Shares of {name} "
    "moved {m}% in Hong Kong trading after the results, and analysts raised their targets. "
)


_EXTRACTIONS: dict[str, object] = {}


def news_items(n: int, *, now: datetime, first: int = 0, story_repeats: int = 6) -> list[tuple]:
    """`n` synthetic (NewsItem, keys, article_state) rows for `storage.news.NewsStore.add`: about
    2 KB of story each, tagged with a company, one extraction shared per company (the extractor
    runs once per company, not 10,000 times, when it exists)."""
    from market.instruments import directory
    from news.models import NewsItem

    companies = list(directory().companies)[:12]
    try:
        from news.extract import extract
    except ImportError:  # the extractor has not landed: items carry no extraction
        extract = None
    rows = []
    for i in range(first, first + n):
        c = companies[i % len(companies)]
        story = _STORY.format(name=c.name_en, g=5 + i % 30, rev=100 + i % 200, usd=14 + i % 30,
                              ni=20 + i % 40, c=3 + i % 20, m=1 + i % 9) * story_repeats
        if extract is not None and c.id not in _EXTRACTIONS:
            _EXTRACTIONS[c.id] = extract(story)
        item = NewsItem(
            id=f"bench{i:06d}", title=f"{c.name_en} results beat estimates, item {i}",
            link=f"https://news.example.invalid/{c.id}/{i}", source="Bench wire",
            published=now - timedelta(minutes=i), summary=story[:240], text=story,
            companies=[c.id], extraction=_EXTRACTIONS.get(c.id), fetched_at=now, feed="bench",
        )
        rows.append((item, [item.link, item.id], "ok"))
    return rows


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


# ---- the real app on a loopback server ---------------------------------------------------------

def bench_app(quotes_url: str, n_symbols: int, *, news: int = 0, demo: bool = False):
    """`make_app` with a `QuoteService` on the server at `quotes_url` and `n_symbols` listings, `news` synthetic
    items in its news store, user dirs in a scratch directory and the clock on a trading morning.
    demo=True keeps the demo wiring (in-memory database, bundled news) and swaps only the quotes."""
    tmp = scratch()
    isolate_here(tmp)
    from config.loader import load_settings
    from market.service import QuoteService
    from news.service import NewsService
    from storage.db import Database
    from tui.app import make_app

    settings, path = load_settings(str(write_config(tmp, quotes_url, watchlist_symbols(n_symbols),
                                                    max_news=NEWS_CAPACITY)))
    database = Database(":memory:" if demo else tmp / "bench.sqlite")
    quotes = QuoteService.from_settings(settings, database=database)
    news_service = None if demo else NewsService.from_settings(settings, database=database)
    app = make_app(settings, demo=demo, config_path=path, clock=lambda: TRADING_INSTANT, live_refresh=False,
                   quote_service=quotes, news_service=news_service)
    add_news(app.news_service.store, news)
    return app


NEWS_CAPACITY = 20_000
"""The news store's cap in the benchmarks' config: above every item count they store."""


def add_news(store, n: int, chunk: int = 500) -> None:
    """Store `n` synthetic items in chunks, so the generator never holds them all at once."""
    for start in range(0, n, chunk):
        store.add(news_items(min(chunk, n - start), now=TRADING_INSTANT, first=start))


class RenderLog:
    """When the app handed a screen update to its driver (also headless, where nothing is written),
    with `probe()` evaluated at that moment, so "the new state is on screen" has a time. Each frame
    keeps the wall clock and the main thread's CPU clock (`time.thread_time`), which other load on
    the machine barely moves. Waiting is event-driven: no polling loop adds CPU time of its own."""

    def __init__(self, app, probe: Callable[[], object]):
        self.walls: list[float] = []
        self.frames: list[tuple[float, float, object]] = []
        self._new_frame: asyncio.Event | None = None
        display = app._display

        def logged(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is not None:
                wall = time.perf_counter()
                self.walls.append(wall)
                self.frames.append((wall, time.thread_time(), probe()))
                if self._new_frame is not None:
                    self._new_frame.set()

        app._display = logged

    def first(self, after: float, want: object) -> tuple[float, float] | None:
        """(wall, cpu) clocks of the first frame after wall time `after` whose probe gave `want`."""
        for wall, cpu, seen in self.frames[bisect.bisect_right(self.walls, after):]:
            if seen == want:
                return wall, cpu
        return None

    async def wait_for(self, after: float, want: object, timeout: float = 10.0) -> tuple[float, float]:
        """`first(after, want)`, waiting for new frames until it exists (RuntimeError after `timeout`)."""
        deadline = time.perf_counter() + timeout
        while True:
            self._new_frame = asyncio.Event()
            found = self.first(after, want)
            if found is not None:
                return found
            try:
                await asyncio.wait_for(self._new_frame.wait(), max(0.0, deadline - time.perf_counter()))
            except TimeoutError:
                raise RuntimeError(f"no frame showed {want!r} within {timeout} s") from None
