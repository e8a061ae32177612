"""The price chart labels time in the market's own zone, and the detail view loads history into it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from market.models import Bar
from tests.test_detail_screen import SIZE, Host
from widgets.price_chart import PriceChart


def bars(start: datetime, n: int, step: timedelta, base: float = 100.0) -> list[Bar]:
    return [Bar(start + i * step, base + i, base + i + 1, base + i - 1, base + i) for i in range(n)]


class HistoryStub:
    """The history half of QuoteService: intraday minutes and daily closes per symbol."""

    def __init__(self, fail: set[str] = frozenset()):
        self.fail = fail
        self.asked: list[tuple[str, str]] = []

    async def intraday(self, symbol):
        self.asked.append((symbol, "intraday"))
        if symbol in self.fail:
            raise RuntimeError("source down")
        open_utc = datetime(2025, 2, 21, 1, 30, tzinfo=UTC) if symbol.endswith(".HK") else \
            datetime(2025, 2, 20, 14, 30, tzinfo=UTC)
        return bars(open_utc, 61, timedelta(minutes=1))

    async def daily(self, symbol, count=320):
        self.asked.append((symbol, "daily"))
        return bars(datetime(2024, 11, 1, 8, tzinfo=UTC), 80, timedelta(days=1))


def test_ticks_are_in_hong_kong_time_for_hk_and_new_york_time_for_us():
    hk = PriceChart("9988.HK", "intraday")
    hk.bars = bars(datetime(2025, 2, 21, 1, 30, tzinfo=UTC), 61, timedelta(minutes=1))
    assert hk.tick_labels()[0] == (0, "09:30") and hk.tick_labels()[-1] == (60, "10:30")
    us = PriceChart("BABA", "intraday")
    us.bars = bars(datetime(2025, 2, 20, 14, 30, tzinfo=UTC), 61, timedelta(minutes=1))
    assert us.tick_labels()[0] == (0, "09:30")  # 14:30 UTC is the New York open in winter
    daily = PriceChart("BABA", "daily")
    daily.bars = bars(datetime(2024, 11, 1, 8, tzinfo=UTC), 3, timedelta(days=1))
    assert [label for _, label in daily.tick_labels()] == ["Nov 01", "Nov 02", "Nov 03"]
    assert PriceChart("BABA", "daily").tick_labels() == []


async def test_detail_view_loads_history_for_each_leg_and_survives_a_failing_one():
    history = HistoryStub(fail={"BABA"})
    app = Host("alibaba")
    app.quote_service = history
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert {kind for _, kind in history.asked} == {"intraday", "daily"}
        assert len(screen.query_one("#intraday-9988_HK", PriceChart).bars) == 61
        assert len(screen.query_one("#daily-BABA", PriceChart).bars) == 80
        failed = screen.query_one("#intraday-BABA", PriceChart)
        assert failed.bars == [] and "source down" in str(failed.border_subtitle)
        assert "9988 intraday (HKT)" in screen.query_one("#intraday-9988_HK", PriceChart).title()


async def test_live_quotes_extend_the_loaded_intraday_history():
    from market.models import Quote
    from tui.messages import QuotesUpdated

    app = Host("alibaba")
    app.quote_service = HistoryStub()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        chart = app.screen.query_one("#intraday-9988_HK", PriceChart)
        assert len(chart.bars) == 61 and chart.bars[-1].close == 160.0
        for minute, second, price in ((30, 30, 165.0), (32, 5, 166.0)):
            at = datetime(2025, 2, 21, 2, minute, second, tzinfo=UTC)  # 10:30:30 and 10:32:05 HKT
            app.quotes["9988.HK"] = Quote("9988.HK", None, "HKD", price, 119.0, time=at, source="demo")
            app.screen.post_message(QuotesUpdated())
            await pilot.pause()
        assert len(chart.bars) == 62  # the 10:30 bar updated in place, a 10:32 bar added
        assert chart.bars[-2].close == 165.0 and chart.bars[-2].high == 165.0
        assert chart.bars[-1].close == 166.0


def test_tick_labels_thin_out_to_fit_a_narrow_chart():
    chart = PriceChart("BABA", "daily")
    chart.bars = bars(datetime(2024, 11, 1, 8, tzinfo=UTC), 80, timedelta(days=1))
    assert len(chart.tick_labels(60)) == 4
    assert len(chart.tick_labels(25)) == 2
