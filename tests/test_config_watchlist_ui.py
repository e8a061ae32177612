"""Pilot tests: watchlist edits, alerts, palette and keymap in the real app, saved to a real file
with the user's comments kept."""
from __future__ import annotations

import asyncio
import os
import tomllib
from pathlib import Path

import pytest

from config.loader import load_settings
from market.providers.replay import frozen_clock
from tui.app import make_app
from tui.commands import SinotermCommands
from tui.screens.alerts import AddAlertScreen, AlertsScreen
from tui.screens.watchlist_editor import AddSymbolScreen, ConfirmScreen, NameScreen
from widgets.watchlist_table import WatchlistTable

SIZE = (140, 45)
CONFIG = """# my own setup, do not lose this line
[quotes]
refresh_seconds = 30

[[watchlists]]
name = "Mine"
symbols = [
  "0700.HK",  # Tencent first
  "9988.HK",
  "NIO",
]

[[watchlists]]
name = "Second"
symbols = ["JD"]
"""


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(CONFIG)
    return path


def app_for(path: Path):
    settings, _ = load_settings(str(path))
    return make_app(settings, demo=True, config_path=path, clock=frozen_clock(), live_refresh=False)


async def started(app, pilot) -> None:
    await asyncio.wait_for(asyncio.gather(app.quotes_loaded.wait(), app.news_loaded.wait()), 20)
    await pilot.pause()


async def until(pilot, condition, what: str) -> None:
    """Wait on a condition (bounded), never on a clock."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def saved(path: Path, name: str = "Mine") -> list[str]:
    return next(w["symbols"] for w in tomllib.loads(path.read_text())["watchlists"] if w["name"] == name)


def rows(app) -> list[str]:
    return [str(k.value) for k in app.screen.query_one(WatchlistTable).rows]


def comments_kept(path: Path) -> bool:
    text = path.read_text()
    return "# my own setup, do not lose this line" in text and "# Tencent first" in text


async def test_add_by_code_saves_canonical_and_shows_the_row(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddSymbolScreen), "the add dialog")
        await pilot.press(*"hk09618", "enter")
        await until(pilot, lambda: "9618.HK" in rows(app), "the new row")
        assert not isinstance(app.screen, AddSymbolScreen)
    assert saved(cfg)[-1] == "9618.HK" and comments_kept(cfg)
    assert cfg.with_name("mine.toml.bak").read_text() == CONFIG


async def test_add_by_chinese_name_with_candidates(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddSymbolScreen), "the add dialog")
        app.screen.query_one("#symbol").insert_text_at_cursor("美团")
        await until(pilot, lambda: app.screen.query_one("#candidates").option_count > 0, "candidates")
        assert app.screen.query_one("#candidates").get_option_at_index(0).id == "3690.HK"
        await pilot.press("enter")
        await until(pilot, lambda: "3690.HK" in rows(app), "the Meituan row")
    assert saved(cfg)[-1] == "3690.HK"


async def test_invalid_or_duplicate_symbol_is_refused_in_the_dialog(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddSymbolScreen), "the add dialog")
        await pilot.press(*"??", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AddSymbolScreen)
        assert "not a symbol" in str(app.screen.query_one("#error").render())
        app.screen.query_one("#symbol").value = "BABA"  # shown already as Alibaba's ADR row
        await pilot.press("enter")
        await pilot.pause()
        assert "already" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AddSymbolScreen)
    assert cfg.read_text() == CONFIG


async def test_remove_asks_then_removes_the_company(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        table = app.screen.query_one(WatchlistTable)
        table.move_cursor(row=rows(app).index("BABA"))
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("n")
        await pilot.pause()
        assert cfg.read_text() == CONFIG
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: "9988.HK" not in rows(app), "Alibaba gone")
    assert saved(cfg) == ["0700.HK", "NIO"] and comments_kept(cfg)


async def test_move_block_down_and_up(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        app.screen.query_one(WatchlistTable).move_cursor(row=0)
        await pilot.press("J")
        await until(pilot, lambda: saved(cfg) == ["9988.HK", "0700.HK", "NIO"], "Tencent moved down")
        await until(pilot, lambda: rows(app)[:3] == ["9988.HK", "BABA", "0700.HK"], "rows reordered")
        app.screen.query_one(WatchlistTable).move_cursor(row=rows(app).index("NIO"))
        await pilot.press("K")
        await until(pilot, lambda: saved(cfg) == ["9988.HK", "NIO", "0700.HK"], "NIO moved up")
    assert "# Tencent first" in next(line for line in cfg.read_text().splitlines() if "0700.HK" in line)


async def test_new_rename_switch_watchlists(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NameScreen), "the name dialog")
        await pilot.press(*"mine", "enter")  # taken (case-insensitive): refused in the dialog
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        app.screen.query_one("#name").value = "EV makers"
        await pilot.press("enter")
        await until(pilot, lambda: app.watchlist_name == "EV makers", "the new watchlist active")
        assert [w.name for w in app.settings.watchlists] == ["Mine", "Second", "EV makers"]
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, NameScreen), "the rename dialog")
        app.screen.query_one("#name").value = "EVs"
        await pilot.press("enter")
        await until(pilot, lambda: app.watchlist_name == "EVs", "renamed")
        await pilot.press("2")
        await until(pilot, lambda: app.watchlist_name == "Second" and "JD" in rows(app), "switched")
    names = [w["name"] for w in tomllib.loads(cfg.read_text())["watchlists"]]
    assert names == ["Mine", "Second", "EVs"] and comments_kept(cfg)


async def test_outside_edit_reloads_and_broken_edit_keeps_last_good(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        before = cfg.stat().st_mtime_ns
        cfg.write_text(CONFIG.replace('"NIO",', '"NIO",\n  "PDD",'))
        os.utime(cfg, ns=(before + 10**9, before + 10**9))
        app.settings_sync.poll()
        await until(pilot, lambda: "PDD" in rows(app), "the reloaded watchlist")
        good = app.settings
        cfg.write_text(CONFIG.replace("refresh_seconds", "refresh_secs"))
        os.utime(cfg, ns=(before + 2 * 10**9, before + 2 * 10**9))
        app.settings_sync.poll()
        await pilot.pause()
        assert app.settings is good
        assert any("refresh_secs" in str(n.message) for n in app._notifications)


async def test_remapped_key_from_config(cfg):
    cfg.write_text(CONFIG + '\n[keys]\n"watchlist.add" = "plus"\n"watchlist.ad" = "x"\n')
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert any("did you mean `watchlist.add`" in str(n.message) for n in app._notifications)
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, AddSymbolScreen)
        await pilot.press("plus")
        await until(pilot, lambda: isinstance(app.screen, AddSymbolScreen), "the add dialog on +")


async def test_alert_from_a_row_is_saved_listed_and_fires(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        app.screen.query_one(WatchlistTable).move_cursor(row=0)  # Tencent
        last = app.quotes["0700.HK"].last
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AddAlertScreen), "the alert dialog")
        app.screen.query_one("#alert-value").value = f"{last - 1:.2f}"
        await pilot.press("enter")
        await until(pilot, lambda: len(app.settings.alerts) == 1, "the alert saved")
        assert app.settings.alerts[0].symbol == "0700.HK"
        fired = app.alert_monitor.check()
        assert [f.alert.symbol for f in fired] == ["0700.HK"]
        assert app.alert_monitor.check() == []  # once per crossing
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        table = app.screen.query_one("#alerts-table")
        cells = [str(c) for c in table.get_row_at(0)]
        assert "0700.HK price above" in cells[0] and cells[3] != "never"
    data = tomllib.loads(cfg.read_text())
    assert data["alerts"][0]["condition"] == "price_above" and comments_kept(cfg)


async def test_palette_switches_watchlist_and_finds_companies(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        provider = SinotermCommands(app.screen)
        hits = [h async for h in provider.search("second")]
        switch = next(h for h in hits if h.text == "Switch to watchlist: Second")
        switch.command()
        await until(pilot, lambda: app.watchlist_name == "Second", "switched from the palette")
        texts = [h.text async for h in provider.search("hk09618")]
        assert "Go to 9618.HK (JD.com)" in texts
        discovered = [h.text async for h in provider.discover()]
        assert "Refresh quotes and news" in discovered and "Help: keys and panes" in discovered


async def test_palette_theme_toggle_is_saved(cfg):
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        assert app.theme == "textual-dark"
        SinotermCommands(app.screen).toggle_theme()
        await until(pilot, lambda: app.theme == "textual-light", "the light theme")
    assert tomllib.loads(cfg.read_text())["display"]["theme"] == "textual-light" and comments_kept(cfg)


async def test_alerts_screen_deletes_after_confirmation(cfg):
    cfg.write_text(CONFIG + '\n[[alerts]]\nsymbol = "BABA"\ncondition = "premium_beyond"\nvalue = 3\n')
    app = app_for(cfg)
    async with app.run_test(size=SIZE) as pilot:
        await started(app, pilot)
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), "the alerts screen")
        assert "BABA premium beyond ±3%" in str(app.screen.query_one("#alerts-table").get_row_at(0)[0])
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await until(pilot, lambda: app.settings.alerts == [], "the alert deleted")
    assert "alerts" not in tomllib.loads(cfg.read_text()) or not tomllib.loads(cfg.read_text())["alerts"]
