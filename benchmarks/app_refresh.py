"""Refresh at scale inside the real app: 500 listings from a loopback server in Tencent's format.

The app is built by `make_app` with a `QuoteService` pointed at a local server and driven by
Textual's pilot. Figures (DESIGN.md targets):
- requests per refresh (target <= 9: one batched GET per 60 codes, never one per symbol);
- parse + apply + repaint (target <= 50 ms): parse = decoding and parsing the batch bodies;
  apply + repaint = from `screen.refresh_table()` (new prices in every row) to the first frame the
  app hands its driver with the new price in it (`RenderLog`: the pilot's own idle waits excluded);
- the whole refresh as the user gets it, `app.refresh_quotes()` to that frame, which adds the
  loopback HTTP round trips and the service's bookkeeping.

    .venv/bin/python benchmarks/app_refresh.py [--runs 15] [--symbols 500]
"""
from __future__ import annotations

import argparse
import asyncio
import time

from _app import RenderLog, bench_app
from _common import check, emit, summary
from _loopback import TencentServer

TARGET_REQUESTS = 9
TARGET_MS = 50.0
FX = ("USDHKD", "USDCNY")


def parse_seconds(server: TencentServer, paths: list[str], symbols: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds to decode and parse the bodies of one refresh, as `TencentSource` does
    after the GETs: each body with the codes its own request asked for."""
    import urllib.parse

    from market import codes
    from market.providers.base import SourceResult
    from market.providers.http import decode_gb
    from market.providers.tencent import absorb

    bodies = [server.body(p) for p in paths]
    batches = [urllib.parse.unquote(p).split("q=", 1)[1].split(",") for p in paths]
    wanted = {codes.tencent(s): s for s in symbols}
    wanted_fx = {codes.TENCENT_FX[p]: p for p in FX}
    t0, cpu0 = time.perf_counter(), time.thread_time()
    out = SourceResult()
    for batch, body in zip(batches, bodies, strict=True):
        absorb(decode_gb(body), {c: wanted[c] for c in batch if c in wanted},
               {c: wanted_fx[c] for c in batch if c in wanted_fx}, out)
    took = time.perf_counter() - t0, time.thread_time() - cpu0
    if len(out.quotes) != len(symbols) or out.unknown:
        raise RuntimeError(f"parsed {len(out.quotes)} of {len(symbols)} quotes, {len(out.unknown)} unknown")
    return took


async def settle(pilot, frames: RenderLog, t0: float, cpu0: float, want: str) -> tuple[float, float]:
    """(wall, main-thread CPU) seconds from (`t0`, `cpu0`) to the first frame showing `want`;
    then lets the pilot finish whatever else is queued."""
    wall, cpu = await frames.wait_for(t0, want)
    await pilot.pause()
    return wall - t0, cpu - cpu0


async def measure(runs: int, n_symbols: int) -> dict:
    server = TencentServer()
    app = bench_app(server.url, n_symbols)
    from widgets import format as fmt
    from widgets.watchlist_table import WatchlistTable

    totals, requests, parses, applies, applies_only, rebuilds = [], [], [], [], [], []
    cpu_parses, cpu_applies = [], []
    async with app.run_test(size=(140, 45)) as pilot:
        await asyncio.wait_for(app.quotes_loaded.wait(), 30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(WatchlistTable)
        if table.row_count != n_symbols:
            raise RuntimeError(f"the table shows {table.row_count} rows, not {n_symbols}")
        probe = next(s for s in app.all_symbols() if s.startswith("0"))  # a padding listing on the first screen
        frames = RenderLog(app, lambda: str(table.get_cell(probe, "last")))

        def expected() -> str:
            return fmt.price(server.price("hk" + probe.removesuffix(".HK").zfill(5))[0])

        for _ in range(runs):
            # the whole refresh as the app runs it, until the new price is in a frame
            server.bump()
            before = len(server.requests)
            t0, cpu0 = time.perf_counter(), time.thread_time()
            app.refresh_quotes()
            totals.append((await settle(pilot, frames, t0, cpu0, expected()))[0])
            await app.workers.wait_for_complete()
            paths = server.requests[before:]
            requests.append(len(paths))
            wall, cpu = parse_seconds(server, paths, app.all_symbols())
            parses.append(wall)
            cpu_parses.append(cpu)

            # apply + repaint alone: new quotes in app state, then the screen's own update path
            server.bump()
            snapshot = await app.quote_service.refresh(app.all_symbols(), fx_pairs=FX)
            app.quotes.update(snapshot.quotes)
            t0, cpu0 = time.perf_counter(), time.thread_time()
            app.screen.refresh_table()
            applies_only.append(time.perf_counter() - t0)
            wall, cpu = await settle(pilot, frames, t0, cpu0, expected())
            applies.append(wall)
            cpu_applies.append(cpu)

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
        "whole_refresh_ms": summary(totals, 1000),
        "sort_rebuild_ms": summary(rebuilds, 1000),
        "parse_apply_repaint_median_ms": round(parse_ms["median"] + apply_ms["median"], 2),
        "cpu_parse_ms": summary(cpu_parses, 1000),
        "cpu_apply_repaint_ms": summary(cpu_applies, 1000),
        "cpu_parse_apply_repaint_median_ms": round(
            summary(cpu_parses, 1000)["median"] + summary(cpu_applies, 1000)["median"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--symbols", type=int, default=500)
    args = parser.parse_args()
    result = asyncio.run(measure(args.runs, args.symbols))
    emit("app_refresh", [
        check(f"requests per refresh ({args.symbols} listings)", result["requests_per_refresh"], TARGET_REQUESTS, ""),
        check("parse + apply + repaint (wall, median)", result["parse_apply_repaint_median_ms"], TARGET_MS, "ms"),
        check("parse + apply + repaint (CPU, median)", result["cpu_parse_apply_repaint_median_ms"], TARGET_MS,
              "ms"),
    ], **result)


if __name__ == "__main__":
    main()
