"""Input latency: a key press to the repainted screen while a quote refresh is in flight.

The real app (500 listings on a loopback server, 10,000 news items in the store) runs under the
pilot. A refresh starts against a server that holds each answer back (`--delay`, 2 s); `j`/`k` are
pressed one after another (each once the app is idle again) while the request is out, and once
more just as the answers arrive, so that press competes with parsing, applying and painting 500
new rows (repeated for `--cycles` refreshes). Each press
is timed from the key event to the first frame the app hands its driver with the cursor on the new
row (the pilot's own idle waits excluded). The cursor moves between two companies, so each press
also re-queries the news pane and the metric cards, as it does for a user.

Figures: median press in flight and as the answer lands (target <= 50 ms, DESIGN.md), and a
baseline with nothing in flight.

    .venv/bin/python benchmarks/input_latency.py [--delay 2.0] [--news 10000] [--cycles 6]
"""
from __future__ import annotations

import argparse
import asyncio
import time

from _app import RenderLog, bench_app
from _common import check, emit, percentile, summary
from _loopback import TencentServer

TARGET_MS = 50.0
LANDING_OFFSETS = (0.0, 0.015, 0.03)
ROWS = (2, 3)  # Tencent and JD in the default watchlist: each move changes the selected company


async def press(app, frames: RenderLog, key: str, row: int) -> float:
    """Send one key as the terminal driver would; seconds until a frame shows the cursor on `row`."""
    from textual import events

    t0 = time.perf_counter()
    app._driver.send_message(events.Key(key, key))
    wall, _ = await frames.wait_for(t0, row)
    return wall - t0


async def measure(delay: float, news: int, presses: int, cycles: int) -> dict:
    from widgets.watchlist_table import WatchlistTable

    server = TencentServer()
    app = bench_app(server.url, 500, news=news)
    idle, busy, landing = [], [], []
    async with app.run_test(size=(140, 45)) as pilot:
        await asyncio.wait_for(app.quotes_loaded.wait(), 30)
        await app.workers.wait_for_complete()
        table = app.screen.query_one(WatchlistTable)
        table.focus()
        table.move_cursor(row=ROWS[0])
        await pilot.pause()
        frames = RenderLog(app, lambda: table.cursor_row)
        at = 0

        async def step(into: list[float]) -> None:
            """One press, then let the app finish what the press started (as a user's next press would)."""
            nonlocal at
            at = 1 - at
            into.append(await press(app, frames, "j" if at else "k", ROWS[at]))
            await pilot.pause()

        for _ in range(presses):  # nothing in flight
            await step(idle)

        for cycle in range(cycles):
            server.delay = delay
            server.bump()
            sent = len(server.requests)
            app.refresh_quotes()
            worker = next(w for w in app.workers if w.group == "quotes")
            deadline = time.perf_counter() + 10
            while len(server.requests) == sent:  # the request is out: the refresh is in flight
                if time.perf_counter() > deadline:
                    raise RuntimeError("the refresh never reached the server")
                await asyncio.sleep(0.001)
            answer = time.perf_counter() + delay
            while time.perf_counter() < answer - 0.2:
                await step(busy)
            # pressed as the answers arrive (0, 15 or 30 ms after): parse, apply and repaint compete
            await asyncio.sleep(max(0.0, answer + LANDING_OFFSETS[cycle % 3] - time.perf_counter()))
            await step(landing)
            await worker.wait()
            server.delay = 0
            await pilot.pause()
    server.close()
    return {
        "refresh_delay_s": delay,
        "news_items": news,
        "idle_ms": summary(idle, 1000),
        "in_flight_ms": summary(busy, 1000),
        "p95_in_flight_ms": round(percentile(busy, 95) * 1000, 3),
        "answer_landing_ms": summary(landing, 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=2.0, help="seconds the server holds each answer")
    parser.add_argument("--news", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=20, help="presses with nothing in flight")
    parser.add_argument("--cycles", type=int, default=6, help="refreshes to press through")
    args = parser.parse_args()
    result = asyncio.run(measure(args.delay, args.news, args.presses, args.cycles))
    emit("input_latency", [
        check("key -> repaint, refresh in flight (median)", result["in_flight_ms"]["median"], TARGET_MS, "ms"),
        check("key -> repaint, as the answer lands (median)", result["answer_landing_ms"]["median"],
              TARGET_MS, "ms"),
    ], **result)


if __name__ == "__main__":
    main()
