"""Snapshot tests: the dashboard and the detail view on the demo data with a frozen clock.

Regenerate after an intended visual change with `pytest tests/test_snapshots.py --snapshot-update`
and review the SVGs in `tests/__snapshots__/`.
"""
from __future__ import annotations

import asyncio

from config.models import Settings
from market.providers.replay import frozen_clock
from tui.app import make_app

SIZE = (140, 45)


def demo_app():
    return make_app(Settings(), demo=True, clock=frozen_clock(), live_refresh=False)


async def wait_loaded(pilot) -> None:
    app = pilot.app
    await asyncio.wait_for(asyncio.gather(app.quotes_loaded.wait(), app.news_loaded.wait()), 20)
    await pilot.pause()


def test_dashboard(snap_compare):
    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=wait_loaded)


def test_alibaba_detail(snap_compare):
    async def open_detail(pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=open_detail)


def test_help(snap_compare):
    async def open_help(pilot) -> None:
        await wait_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(demo_app(), terminal_size=SIZE, run_before=open_help)
