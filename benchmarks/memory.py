"""Memory: resident set of the demo app with 500 listings quoted and 10,000 news items stored.

A fresh child process runs the demo app headless (its in-memory database, bundled news) with the
quotes swapped for a 500-listing watchlist answered by a loopback server in this process, then adds
10,000 synthetic news items (about 2 KB of story each, tagged, with an extraction) to the app's
news store through `storage.news.NewsStore`, lets the screen show them, and reads its own VmRSS
(and the peak, VmHWM / ru_maxrss). A bare Textual app (Header, 30-row DataTable, Footer) is
measured the same way as the floor. Target (DESIGN.md): <= 150 MiB.

    .venv/bin/python benchmarks/memory.py [--news 10000] [--symbols 500]
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys

from _app import add_news, bench_app
from _common import PYTHON, check, emit, rss_mib
from _loopback import TencentServer

TARGET_MIB = 150.0


async def app_child(url: str, symbols: int, news: int) -> dict:
    """Runs in the measured process: the demo app with `symbols` quoted, then `news` items."""
    from tui.messages import NewsUpdated

    app = bench_app(url, symbols, demo=True)
    out: dict = {}
    async with app.run_test(size=(140, 45)) as pilot:
        await asyncio.wait_for(asyncio.gather(app.quotes_loaded.wait(), app.news_loaded.wait()), 60)
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["quoted"] = len(app.quotes)
        out["after_start"] = rss_mib()
        add_news(app.news_service.store, news)
        app.broadcast(NewsUpdated)
        await pilot.pause()
        gc.collect()
        out["news_stored"] = app.news_service.store.count()
        out["loaded"] = rss_mib()
    return out


async def floor_child() -> dict:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Floor(App):
        def compose(self):
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("symbol", "last", "change")
            for i in range(30):
                table.add_row(f"S{i}", "1.00", "+1.0%")

    async with Floor().run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        return {"loaded": rss_mib()}


def child(args: list[str]) -> dict:
    r = subprocess.run([str(PYTHON), __file__, "--child", *args], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"measured process failed: {r.stderr.strip()[-500:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=10_000)
    parser.add_argument("--symbols", type=int, default=500)
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        result = (asyncio.run(floor_child()) if args.child == ["floor"]
                  else asyncio.run(app_child(args.child[0], args.symbols, args.news)))
        print(json.dumps(result))
        return
    server = TencentServer()
    try:
        app = child([server.url, "--symbols", str(args.symbols), "--news", str(args.news)])
    finally:
        server.close()
    floor = child(["floor"])
    rss = app["loaded"]["VmRSS"]
    emit("memory", [check(f"RSS, {app['quoted']} quoted + {app['news_stored']} news items", rss, TARGET_MIB, "MiB")],
         app_mib=app, floor_mib=floor, over_floor_mib=round(rss - floor["loaded"]["VmRSS"], 1))


if __name__ == "__main__":
    sys.exit(main())
