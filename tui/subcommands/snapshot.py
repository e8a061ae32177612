"""`sinoterm snapshot`: run the dashboard headless until its data has loaded and print the screen.

`--format text` prints plain text with no escape sequences (for scripts and checks); `svg` prints
Textual's screenshot. With `--demo` the clock is frozen on the replayed day, so the output is the
same on every run.
"""
from __future__ import annotations

import asyncio
import io
import re
import sys

from tui.subcommands.common import settings_or_exit

LOAD_TIMEOUT = 20.0


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{2,4})\s*[xX]\s*(\d{1,4})\s*", text or "")
    if not match:
        print(f"sinoterm snapshot: --size {text!r} should look like 120x40", file=sys.stderr)
        raise SystemExit(2)
    return int(match.group(1)), int(match.group(2))


def render_text(app) -> str:
    """The active screen as plain text, one line per terminal row."""
    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None,
                      force_terminal=False, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return "\n".join(line.rstrip() for line in console.export_text(styles=False).splitlines())


async def settled(app, frames: int = 2) -> None:
    """Return once every message the loads caused is handled and the screen has been laid out and
    refreshed after them (twice: a refresh can mount widgets whose own messages need another).
    Not `pilot.pause()`: that sleeps in 20 ms steps until the process looks idle, which is for
    tests racing a live app, and would be most of a snapshot's wall time."""
    for _ in range(frames):
        refreshed = asyncio.Event()
        app.screen.call_after_refresh(refreshed.set)
        await refreshed.wait()


def run(args) -> int:
    size = parse_size(args.size)
    settings, path = settings_or_exit(args)
    from market.providers.replay import frozen_clock
    from tui.app import make_app

    app = make_app(settings, demo=args.demo, config_path=path, watchlist=args.watchlist,
                   clock=frozen_clock() if args.demo else None, live_refresh=False)
    output: list[str] = []

    async def capture(pilot) -> None:
        try:
            await asyncio.wait_for(asyncio.gather(app.quotes_loaded.wait(), app.news_loaded.wait()),
                                   LOAD_TIMEOUT)
        except TimeoutError:
            pass  # render what there is: a snapshot of a stuck source is still a true picture
        await settled(app)
        if args.screen == "detail":
            await pilot.press("enter")
            await pilot.pause(0.3)
            await pilot.pause()
        output.append(app.export_screenshot() if args.format == "svg" else render_text(app))
        app.exit()

    app.run(headless=True, size=size, auto_pilot=capture)
    if not output:
        print("sinoterm snapshot: the dashboard did not start", file=sys.stderr)
        return 1
    sys.stdout.write(output[0] + "\n")
    return 0
