"""Refresh at scale inside the real app: 500 listings from a loopback server in Tencent's format.

The app is built by `make_app` with a `QuoteService` pointed at a local server and driven by
Textual's pilot. Figures (DESIGN.md targets):
- requests per refresh (target <= 9: one batched GET per 60 codes, never one per symbol);
- parse + apply + repaint (target <= 50 ms): parse = decoding and parsing the batch bodies;
  apply + repaint = `screen.refresh_table()` plus `pilot.pause()` (which runs the compositor),
  with new prices in every row;
- the whole refresh as the user gets it (`app.refresh_quotes()` until the worker is done and the
  screen repainted), which adds the loopback HTTP round trips.

    .venv/bin/python benchmarks/app_refresh.py [--runs 15] [--symbols 500]
"""
from __future__ import annotations

import argparse
import asyncio
import time

from _common import (
    TRADING_INSTANT,
    TencentServer,
    check,
    emit,
    isolate_here,
    scratch,
    summary,
    watchlist_symbols,
    write_config,
)

TARGET_REQUESTS = 9
TARGET_MS = 50.0
FX = ("USDHKD", "USDCNY")


def parse_seconds(server: TencentServer, paths: list[str], symbols: list[str]) -> float:
    """Decode and parse the bodies of one refresh, as `TencentSource` does after the GETs."""
    from market import codes
    from market.providers.base import SourceResult
    from market.providers.http import decode_gb
    from market.providers.tencent import absorb

    bodies = [server.body(p) for p in paths]
    wanted = {codes.tencent(s): s for s in symbols}
    wanted_fx = {codes.TENCENT_FX[p]: p for p in FX}
    t0 = time.perf_counter()
    out = SourceResult()
    for body in bodies:
        absorb(decode_gb(body), wanted, wanted_fx, out)
    took = time.perf_counter() - t0
    if len(out.quotes) != len(symbols):
        raise RuntimeError(f"parsed {len(out.quotes)} of {len(symbols)} quotes")
    return took


async def measure(runs: int, n_symbols: int) -> dict:
    tmp = scratch()
    isolate_here(tmp)
    server = TencentServer()
    symbols = watchlist_symbols(n_symbols)
    from config.loader import load_settings
    from market.service import QuoteService
    from news.service import NewsService
    from storage.db import Database
    from tui.app import make_app
    from widgets import format as fmt
    from widgets.watchlist_table import WatchlistTable

    settings, path = load_settings(str(write_config(tmp, server.url, symbols)))
    database = Database(tmp / "bench.sqlite")
    app = make_app(settings, config_path=path, clock=lambda: TRADING_INSTANT, live_refresh=False,
                   quote_service=QuoteService.from_settings(settings, database=database),
                   news_service=NewsService.from_settings(settings, database=database))
    totals, requests, parses, applies, applies_only, pauses, rebuilds = [], [], [], [], [], [], []
    async with app.run_test(size=(140, 45)) as pilot:
        await asyncio.wait_for(app.quotes_loaded.wait(), 30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(WatchlistTable)
        if table.row_count != n_symbols:
            raise RuntimeError(f"the table shows {table.row_count} rows, not {n_symbols}")
        probe = next(s for s in symbols if s.startswith("0"))  # a padding listing on the first screen

        def shown(symbol: str) -> str:
            return str(table.get_cell(symbol, "last"))

        for _ in range(runs):
            # the whole refresh, as the app runs it
            server.bump()
            before = len(server.requests)
            t0 = time.perf_counter()
            app.refresh_quotes()
            await app.workers.wait_for_complete()
            await pilot.pause()
            totals.append(time.perf_counter() - t0)
            paths = server.requests[before:]
            requests.append(len(paths))
            expected = fmt.price(server.price("hk" + probe[:-3].zfill(5))[0])
            if shown(probe) != expected:
                raise RuntimeError(f"{probe} shows {shown(probe)}, expected {expected} after the refresh")
            parses.append(parse_seconds(server, paths, app.all_symbols()))

            # apply + repaint alone: new quotes in app state, then the screen's own update path
            server.bump()
            snapshot = await app.quote_service.refresh(app.all_symbols(), fx_pairs=FX)
            app.quotes.update(snapshot.quotes)
            t0 = time.perf_counter()
            app.screen.refresh_table()
            t1 = time.perf_counter()
            await pilot.pause()
            applies.append(time.perf_counter() - t0)
            applies_only.append(t1 - t0)

            t0 = time.perf_counter()  # the pilot's own cost with nothing to repaint
            await pilot.pause()
            pauses.append(time.perf_counter() - t0)

            t0 = time.perf_counter()  # a new sort order rebuilds every row
            app.screen.sort = "name" if app.screen.sort == "user" else "user"
            app.screen.refresh_table()
            await pilot.pause()
            rebuilds.append(time.perf_counter() - t0)
    server.close()
    parse_ms = summary(parses, 1000)
    apply_ms = summary(applies, 1000)
    return {
        "symbols": n_symbols,
        "requests_per_refresh": max(requests),
        "parse_ms": parse_ms,
        "apply_repaint_ms": apply_ms,
        "apply_only_ms": summary(applies_only, 1000),
        "pilot_pause_floor_ms": summary(pauses, 1000),
        "whole_refresh_ms": summary(totals, 1000),
        "sort_rebuild_ms": summary(rebuilds, 1000),
        "parse_apply_repaint_median_ms": round(parse_ms["median"] + apply_ms["median"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--symbols", type=int, default=500)
    args = parser.parse_args()
    result = asyncio.run(measure(args.runs, args.symbols))
    emit("app_refresh", [
        check(f"requests per refresh ({args.symbols} listings)", result["requests_per_refresh"], TARGET_REQUESTS, ""),
        check("parse + apply + repaint (median)", result["parse_apply_repaint_median_ms"], TARGET_MS, "ms"),
    ], **result)


if __name__ == "__main__":
    main()
