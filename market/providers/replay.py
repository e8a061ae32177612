"""The demo source: replays the bundled, generated trading day (`assets/demo/day.json`).

It answers like any other source (through the same QuoteService, cache and screens), with
`source="demo"` on every quote so the screens can label the prices DEMO. Time comes from a
`DemoClock`, which starts on the replayed day and runs faster than real time so the dashboard moves.
"""
from __future__ import annotations

import bisect
import json
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from config.paths import bundled
from market.instruments import directory
from market.models import Bar, FxRate, Quote
from market.providers.base import QuoteSource, SourceResult

HKT = ZoneInfo("Asia/Hong_Kong")
ET = ZoneInfo("America/New_York")
DEMO_START = datetime(2025, 2, 21, 14, 30, tzinfo=HKT)  # HK afternoon of Alibaba's 15% jump
DEMO_SPEED = 20.0  # simulated seconds per real second


class DemoClock:
    """Simulated time: `start` at construction, advancing `speed` times faster than real time."""

    def __init__(self, start: datetime = DEMO_START, speed: float = DEMO_SPEED):
        self.start = start
        self.speed = speed
        self._t0 = time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self._t0) * self.speed)


def frozen_clock(at: datetime = DEMO_START) -> Callable[[], datetime]:
    """A clock that never moves: snapshots and tests render the same screen every time."""
    return lambda: at


@cache
def demo_day() -> dict:
    return json.loads(bundled("demo", "day.json").read_text("utf-8"))


class ReplaySource(QuoteSource):
    """Quotes and history from the replayed day as of the clock's time; unknown outside the demo
    listings. It is also the demo's history source (`HistorySource`), so the charts have bars."""

    name = "demo"

    def __init__(self, clock: Callable[[], datetime] | None = None):
        self.clock = clock or DemoClock()
        self.day = demo_day()

    async def fetch(self, symbols: Sequence[str], fx_pairs: Sequence[str] = ()) -> SourceResult:
        now = self.clock()
        result = SourceResult(requests=1)
        for symbol in symbols:
            quote = self.quote(symbol, now)
            if quote is None:
                result.unknown.add(symbol)
            else:
                result.quotes[symbol] = quote
        for pair in fx_pairs:
            if pair in self.day["fx"]:
                last, prev = self.day["fx"][pair]
                result.fx[pair] = FxRate(pair, last, prev, now, self.name)
        return result

    async def intraday(self, symbol: str, tencent_code: str | None = None) -> list[Bar]:
        """The replayed session's minute bars up to the clock (volume per minute, not cumulative)."""
        data = self.day["listings"].get(symbol)
        if data is None:
            return []
        session, tz = self._session(symbol)
        n = self._minutes_elapsed(data, session, tz, self.clock())
        bars = []
        for i in range(n):
            hh, mm = map(int, data["times"][i].split(":"))
            price = data["prices"][i]
            opened = data["prices"][i - 1] if i else price
            traded = data["volume"][i] - (data["volume"][i - 1] if i else 0)
            bars.append(Bar(datetime(session.year, session.month, session.day, hh, mm, tzinfo=tz),
                            opened, max(opened, price), min(opened, price), price, traded))
        return bars

    async def daily(self, symbol: str, count: int = 320, tencent_code: str | None = None) -> list[Bar]:
        """The generated daily history before the session, then the session's bar so far."""
        data = self.day["listings"].get(symbol)
        if data is None:
            return []
        session, tz = self._session(symbol)
        d = data["daily"]
        bars = [Bar(datetime.fromisoformat(day).replace(hour=16, tzinfo=tz), o, h, low, c)
                for day, o, h, low, c in zip(d["date"], d["open"], d["high"], d["low"], d["close"], strict=True)]
        today = self.quote(symbol, self.clock())
        if today and today.open is not None:
            bars.append(Bar(datetime.combine(session, datetime.min.time(), tz).replace(hour=16), today.open,
                            today.high, today.low, today.last, today.volume))
        return bars[-count:]

    def _session(self, symbol: str) -> tuple[date, ZoneInfo]:
        hk = symbol.endswith(".HK")
        return date.fromisoformat(self.day["hk_date" if hk else "us_date"]), HKT if hk else ET

    @staticmethod
    def _minutes_elapsed(data: dict, session: date, tz: ZoneInfo, now: datetime) -> int:
        """How many of the session's minute bars have printed by `now`."""
        local = now.astimezone(tz)
        if local.date() < session:
            return 0
        if local.date() > session:
            return len(data["times"])
        return bisect.bisect_right(data["times"], local.strftime("%H:%M"))

    def quote(self, symbol: str, now: datetime) -> Quote | None:
        """The listing's state at `now`: bars up to that minute, or the previous close before the open."""
        data = self.day["listings"].get(symbol)
        if data is None:
            return None
        session, tz = self._session(symbol)
        hk = tz is HKT
        n = self._minutes_elapsed(data, session, tz, now)
        prev = data["prev_close"]
        listing = directory().listing(symbol)
        if n == 0:
            stamp = datetime.combine(session, datetime.min.time(), tz) - timedelta(hours=8 if hk else 4)
            return Quote(symbol, listing.name, listing.currency, prev, prev, None, None, None, 0.0, 0.0,
                         0, stamp, self.name)
        prices = data["prices"][:n]
        last = prices[-1]
        hh, mm = map(int, data["times"][n - 1].split(":"))
        stamp = datetime(session.year, session.month, session.day, hh, mm, tzinfo=tz)
        change = round(last - prev, 3)
        return Quote(
            symbol, listing.name, listing.currency, last, prev, prices[0], max(prices), min(prices),
            change, round(change / prev * 100, 2), data["volume"][n - 1], stamp, self.name,
        )
