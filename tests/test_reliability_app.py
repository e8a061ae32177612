"""The faults matrix inside the running app: it keeps running, says what failed, backs off, recovers.

The real app (make_app, live refresh every second, sessions not followed) talks to one loopback
server standing in for all three sources; the test flips the server into a fault, watches the
status bar and counts requests during the fault window, then clears it and times the recovery.
The contract: the app never exits, the status bar names each failing source, no source is asked
more often than its backoff allows (no request storm), and fresh quotes are back within two refresh
intervals of the moment the service said it would ask again (the backoff it announced; a 429's
Retry-After included).
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
from fault_servers import FaultServer, yahoo_chart
from quote_lines import sina_fx, sina_hk, sina_us, tencent_fx, tencent_hk, tencent_us

from config.models import Settings
from config.validation import validate_settings
from market.service import QuoteService
from news.service import NewsService
from storage.db import Database
from tui.app import make_app
from tui.subcommands.snapshot import render_text

REFRESH = 1.0
WINDOW = 3.0
SOURCES = ("tencent", "sina", "yahoo")


def source_of(path: str) -> str:
    return "tencent" if "/q=" in path else "sina" if "/list=" in path else "yahoo"


def fault_server() -> FaultServer:
    srv = FaultServer(
        tencent={"usBABA": tencent_us("BABA", suffix="N"), "hk09988": tencent_hk("09988"),
                 "whUSDHKD": tencent_fx(), "whUSDCNY": tencent_fx("USDCNY", rate="7.2500", prev="7.2400")},
        sina={"gb_baba": sina_us(), "rt_hk09988": sina_hk(), "fx_susdhkd": sina_fx()},
        routes={"/v8/finance/chart/BABA": yahoo_chart("BABA", 88.2)},
    )
    srv.drip_seconds = 0.2
    srv.retry_after = "5"  # longer than the window: a 429 must hold every source off for all of it
    return srv


def settings_for(url: str) -> Settings:
    return validate_settings({
        "quotes": {"refresh_seconds": REFRESH, "timeout_seconds": 0.3, "follow_sessions": False},
        "providers": {s: {"base_url": url} for s in SOURCES},
        "watchlists": [{"name": "Faults", "symbols": ["BABA"]}],
    })


async def wait_for(pilot, condition, timeout: float) -> float:
    """Poll `condition` on the app's loop; seconds it took (fails the test after `timeout`)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "condition not reached in time"
        await pilot.pause(0.05)
    return time.monotonic() - started


def fresh(app) -> bool:
    return bool(app.quotes) and {"BABA", "9988.HK"} <= set(app.quotes) and not any(
        q.stale for q in app.quotes.values())


@pytest.mark.parametrize("fault", ["500", "429", "hang"])  # all nine faults: test_reliability_cli
async def test_app_rides_out_a_fault_and_recovers(tmp_path, fault):
    srv = fault_server()
    settings = settings_for(srv.url)
    database = Database(tmp_path / "sinoterm.db")
    quotes = QuoteService.from_settings(settings, database=database)
    app = make_app(settings, quote_service=quotes, news_service=NewsService.from_settings(settings, database=database),
                   live_refresh=True)
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await wait_for(pilot, lambda: fresh(app), 5)

            srv.mode = fault
            before = len(srv.requests)
            started = time.monotonic()
            await wait_for(pilot, lambda: not any(h.ok for h in quotes.health.values()), 2 * REFRESH + 4)
            await pilot.pause(max(0.0, WINDOW - (time.monotonic() - started)))
            window = time.monotonic() - started
            asked = Counter(source_of(p) for p in srv.requests[before:])
            status = render_text(app).splitlines()

            assert app.is_running and all(q.stale for q in app.quotes.values())
            bar = next(line for line in status if "tencent" in line and "sina" in line)
            # what failed, per source: never "ok", never the source's name twice
            assert all(f"{s} " in bar and f"{s} ok" not in bar and f"{s} {s}:" not in bar for s in SOURCES), bar
            # Without backoff each source would be asked once per second; with it, at most twice in the window
            attempts = {"tencent": asked["tencent"], "sina": asked["sina"], "yahoo": asked["yahoo"] / 4}
            assert all(n <= 2 for n in attempts.values()), (attempts, window)
            if fault == "429":
                assert all(h.failures == 1 for h in quotes.health.values())  # Retry-After held everyone off

            srv.mode = "ok"
            announced = max(h.retry_in() for h in quotes.health.values())
            took = await wait_for(pilot, lambda: fresh(app), announced + 2 * REFRESH + 3)
            assert took <= announced + 2 * REFRESH + 0.5, (took, announced)
            answered = {q.source for q in app.quotes.values()}
            await wait_for(pilot, lambda: all(f"{s} ok" in render_text(app) for s in answered), 2 * REFRESH)
            assert app.is_running
    finally:
        srv.close()
        database.close()


async def test_app_keeps_running_when_every_feed_fails_and_says_so(tmp_path):
    from storage.news import NewsStore
    from tests.news_loopback import Loopback, Route

    feeds = Loopback({"/500": Route(b"down", status=500), "/hang": Route(behaviour="hang"),
                      "/reset": Route(behaviour="reset"), "/garbage": Route(bytes(range(256)) * 4)})
    srv = fault_server()
    settings = settings_for(srv.url)
    database = Database(tmp_path / "sinoterm.db")
    urls = [("500", feeds.url + "/500"), ("hang", feeds.url + "/hang"), ("reset", feeds.url + "/reset"),
            ("garbage", feeds.url + "/garbage"), ("dns", "http://nonexistent.invalid/feed")]
    news = NewsService(NewsStore(database), urls, feed_deadline=0.5, fetch_articles=False)
    app = make_app(settings, quote_service=QuoteService.from_settings(settings, database=database),
                   news_service=news, live_refresh=True)
    try:
        async with app.run_test(size=(200, 40)) as pilot:
            await wait_for(pilot, lambda: app.news_loaded.is_set() and fresh(app), 5)
            await pilot.pause()
            assert app.is_running and len(news.errors) == len(urls), news.errors
            # the dashboard repaints its status bar on quote refreshes only (not on NewsUpdated): wait for one
            await wait_for(pilot, lambda: "news: 5 problem(s)" in render_text(app), 2 * REFRESH + 1)
    finally:
        feeds.close()
        srv.close()
        database.close()
