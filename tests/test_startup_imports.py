"""Start-up stays lean: the dashboard's first screen does not import what only other screens need.

Start-up time is a target (DESIGN.md, `benchmarks/startup.py`), and the cheapest start-up work is
the import that never happens. Each of these modules costs milliseconds to tens of milliseconds
and belongs to a screen the user has not opened (help: Markdown; detail: charts and the quarterly
tables; the editing dialogs), to work not done yet (tomlkit: the first in-app edit; pydantic:
validating a config file, and there is none here; the news network, feed and page parsers and the
extractor: the demo's news is in its store already; importlib.resources and zipfile: bundled files
are read by path) or to data kept on disk (exchange calendars).
The app runs in a fresh interpreter, twice, so the second run starts with the first run's caches,
as every start after the first does.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NOT_AT_START = ("markdown_it", "plotext", "textual_plotext", "tui.screens.help", "tui.screens.detail",
                "tui.screens.alerts", "tui.screens.watchlist_editor", "tomlkit", "pydantic", "httpx",
                "feedparser", "selectolax", "news.extract", "news.feeds", "news.article", "market.fundamentals",
                "importlib.resources", "zipfile")

RUN = """
import asyncio, json, sys
from config.models import Settings
from tui.app import make_app

async def main():
    app = make_app(Settings(), demo=True, live_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await asyncio.wait_for(asyncio.gather(app.quotes_loaded.wait(), app.news_loaded.wait()), 30)
        await pilot.pause()
        shown = "BABA" in "".join(str(c) for c in app.screen.query_one("WatchlistTable").get_row("BABA"))

    print(json.dumps({"shown": shown, "loaded": sorted(m for m in sys.modules if m.split(".")[0] in
                     {"markdown_it", "plotext", "textual_plotext", "holidays", "tui", "tomlkit", "pydantic", "httpx",
                      "feedparser", "selectolax", "news", "market", "importlib", "zipfile"})}))

asyncio.run(main())
"""


def start(tmp_path: Path) -> dict:
    env = {**os.environ}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env["SINOTERM_CONFIG"] = str(tmp_path / "absent.toml")
    result = subprocess.run([sys.executable, "-c", RUN], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_first_screen_imports_only_what_it_shows(tmp_path):
    start(tmp_path)  # the first start may build caches
    again = start(tmp_path)
    assert again["shown"]
    loaded = set(again["loaded"])
    assert not loaded & set(NOT_AT_START), f"imported at start-up: {sorted(loaded & set(NOT_AT_START))}"
    assert "holidays" not in loaded, "the exchange calendars were rebuilt instead of read from the cache"
