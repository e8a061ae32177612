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
from importlib import resources
from zoneinfo import ZoneInfo

from market.instruments import directory
from market.models import FxRate, Quote
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
    return json.loads(resources.files("assets.demo").joinpath("day.json").read_text("utf-8"))


class ReplaySource(QuoteSource):
    """Quotes from the replayed day as of the clock's time; unknown outside the demo listings."""

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

    def quote(self, symbol: str, now: datetime) -> Quote | None:
        """The listing's state at `now`: bars up to that minute, or the previous close before the open."""
        data = self.day["listings"].get(symbol)
        if data is None:
            return None
        hk = symbol.endswith(".HK")
        tz = HKT if hk else ET
        session = date.fromisoformat(self.day["hk_date" if hk else "us_date"])
        local = now.astimezone(tz)
        if local.date() < session:
            n = 0
        elif local.date() > session:
            n = len(data["times"])
        else:
            n = bisect.bisect_right(data["times"], local.strftime("%H:%M"))
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
