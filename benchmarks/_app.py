"""The real app for the in-app benchmarks: `make_app` on a loopback quote server, a realistic
watchlist and config, synthetic news in the store, and a log of the frames it draws."""
from __future__ import annotations

import asyncio
import bisect
import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from _common import TRADING_INSTANT, isolate_here, scratch


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
