"""Snapshot tests of the detail view for an HK-only and a US-only company, and Alibaba with results news.

The dashboard's own snapshot file covers Alibaba on the demo app; these use the small host App from
`test_detail_screen` with a frozen clock and no quotes, so only the bundled and given data show.
Regenerate after an intended change: `pytest tests/test_detail_snapshots.py --snapshot-update`.
"""
from __future__ import annotations

from tests.test_detail_screen import SIZE, Host, NewsStub, results_item


def test_tencent_detail(snap_compare):
    assert snap_compare(Host("tencent"), terminal_size=SIZE)


def test_pdd_detail_in_us_dollars(snap_compare):
    assert snap_compare(Host("pdd"), terminal_size=SIZE, press=["c"])


def test_alibaba_detail_with_results_news(snap_compare):
    assert snap_compare(Host("alibaba", news=NewsStub([results_item()])), terminal_size=SIZE)


def test_alibaba_detail_with_quotes_and_history(snap_compare):
    from market.models import FxRate
    from tests.test_detail_chart import HistoryStub
    from tests.test_detail_screen import NOW, quote

    quotes = {"9988.HK": quote("9988.HK", 137.0, 119.0, "HKD"), "BABA": quote("BABA", 134.0, 128.0, "USD")}
    app = Host("alibaba", quotes=quotes, fx={"USDHKD": FxRate("USDHKD", 7.78, time=NOW)})
    app.quote_service = HistoryStub()

    async def loaded(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=loaded)
