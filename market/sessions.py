"""Exchange sessions: which phase HKEX and NYSE/Nasdaq are in at any instant, and when it changes.

Session times are the exchanges' published rules (fixed wall-clock times in the exchange's zone,
so DST is `zoneinfo`'s job); which days trade, and which trade short, comes from the `holidays`
package's financial calendars (`XHKG`, `XNYS`, with their `half_day` category), so nothing here
is written per year. Typhoon and black-rainstorm closures are in no calendar ahead of time.

HKEX: pre-open 09:00-09:30, morning 09:30-12:00, lunch break 12:00-13:00, afternoon 13:00-16:00,
closing auction 16:00-16:10; half days (eves of Christmas, New Year and Lunar New Year) trade the
morning and hold the closing auction 12:00-12:10. NYSE: pre-market 04:00-09:30, regular
09:30-16:00, after-hours 16:00-20:00; early closes at 13:00 with after-hours 13:00-17:00.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from market.models import Market

State = Literal["pre_open", "open", "lunch_break", "closing_auction", "pre_market", "after_hours", "closed"]

# A calendar gap longer than this means the calendar is broken, not that the market is shut.
_MAX_DAYS_AHEAD = 60


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of a trading day in the exchange's wall-clock time; gaps between phases are closed."""

    state: State
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Exchange:
    """An exchange's zone, calendar code, the states in which its prices move, and its day shapes."""

    market: Market
    mic: str
    tz: ZoneInfo
    trading: frozenset[str]  # states in which prices move
    regular: frozenset[str]  # states that make the official close (parity's "last close")
    full_day: tuple[Phase, ...]
    short_day: tuple[Phase, ...]


HKEX = Exchange(
    market="HK",
    mic="XHKG",
    tz=ZoneInfo("Asia/Hong_Kong"),
    trading=frozenset({"open", "closing_auction"}),
    regular=frozenset({"open", "closing_auction"}),
    full_day=(
        Phase("pre_open", time(9, 0), time(9, 30)),
        Phase("open", time(9, 30), time(12, 0)),
        Phase("lunch_break", time(12, 0), time(13, 0)),
        Phase("open", time(13, 0), time(16, 0)),
        Phase("closing_auction", time(16, 0), time(16, 10)),
    ),
    short_day=(
        Phase("pre_open", time(9, 0), time(9, 30)),
        Phase("open", time(9, 30), time(12, 0)),
        Phase("closing_auction", time(12, 0), time(12, 10)),
    ),
)

NYSE = Exchange(
    market="US",
    mic="XNYS",
    tz=ZoneInfo("America/New_York"),
    trading=frozenset({"pre_market", "open", "after_hours"}),
    regular=frozenset({"open"}),
    full_day=(
        Phase("pre_market", time(4, 0), time(9, 30)),
        Phase("open", time(9, 30), time(16, 0)),
        Phase("after_hours", time(16, 0), time(20, 0)),
    ),
    short_day=(
        Phase("pre_market", time(4, 0), time(9, 30)),
        Phase("open", time(9, 30), time(13, 0)),
        Phase("after_hours", time(13, 0), time(17, 0)),
    ),
)

EXCHANGES: dict[str, Exchange] = {"HK": HKEX, "US": NYSE}


@dataclass(frozen=True, slots=True)
class MarketStatus:
    """A market at one instant: its state, the state that follows and when, and the day's holiday.

    `holiday` names the local day's holiday when the market is shut for it, or the half day /
    early close when it trades short (the name says which); None on ordinary days and weekends.
    """

    market: Market
    state: State
    next_state: State
    next_change: datetime  # aware, in the exchange's zone
    holiday: str | None
    half_day: bool = False

    @property
    def trading(self) -> bool:
        return self.state in EXCHANGES[self.market].trading

    def to_json(self) -> dict:
        """The `market --json` contract (DESIGN.md) per market, plus `half_day`."""
        return {
            "state": self.state,
            "next_state": self.next_state,
            "next_change": self.next_change.isoformat(),
            "holiday": self.holiday,
            "half_day": self.half_day,
        }


@dataclass(frozen=True, slots=True)
class TradingDay:
    """What one local date looks like on one exchange."""

    day: date
    phases: tuple[Phase, ...]  # empty when the market is shut all day
    holiday: str | None
    half_day: bool


class CalendarRangeError(ValueError):
    """An instant outside the years the exchange's calendar knows: its holidays would be missing."""


@lru_cache(maxsize=256)
def _calendar(mic: str, year: int) -> tuple[dict[date, str], dict[date, str]]:
    """(closed days, short days) for one exchange-year, each date -> name; built once per year.

    Outside the package's years the calendar is silently empty, so those years are refused.
    Building one imports every market and country the `holidays` package knows (a third of a
    second, on the start-up path of every screen), so the answer is also kept on disk
    (`_CalendarFile`) and later starts read it instead.
    """
    stored = _CalendarFile.load().get(f"{mic}-{year}")
    if stored is not None:
        return stored
    import holidays  # lazy: only a year not on disk yet pays for the package

    closed = holidays.financial_holidays(mic, years=year)
    if not closed.start_year <= year <= closed.end_year:
        raise CalendarRangeError(
            f"the {mic} calendar covers {closed.start_year}-{closed.end_year}, not {year}")
    short = holidays.financial_holidays(mic, years=year, categories=("half_day",))
    answer = dict(closed.items()), dict(short.items())
    _CalendarFile.store(f"{mic}-{year}", answer)
    return answer


class _CalendarFile:
    """Exchange-years already built, as JSON in the cache dir. The file is named after the installed
    `holidays` package (its `__init__.py`'s mtime and size: cheaper than package metadata) and the
    locale its holiday names were written in, so an upgrade or another language starts a new file;
    an unreadable file is just a miss, a failed write costs nothing."""

    _entries: dict[str, tuple[dict[date, str], dict[date, str]]] | None = None

    @classmethod
    def path(cls) -> Path:
        from importlib.util import find_spec

        from config.paths import cache_dir

        spec = find_spec("holidays")  # finds the installed package without importing it
        installed = os.stat(spec.origin) if spec and spec.origin else None
        build = f"{installed.st_mtime_ns}-{installed.st_size}" if installed else "unknown"
        language = next((os.environ[k] for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(k)),
                        "")
        tag = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{build}-{language}")
        return cache_dir() / f"exchange-calendars-{tag}.json"

    @classmethod
    def load(cls) -> dict[str, tuple[dict[date, str], dict[date, str]]]:
        if cls._entries is None:
            cls._entries = {}
            try:
                raw = json.loads(cls.path().read_text(encoding="utf-8"))
                for key, (closed, short) in raw.items():
                    cls._entries[key] = ({date.fromisoformat(d): n for d, n in closed.items()},
                                         {date.fromisoformat(d): n for d, n in short.items()})
            except (OSError, ValueError, TypeError, AttributeError):
                cls._entries = {}
        return cls._entries

    @classmethod
    def store(cls, key: str, answer: tuple[dict[date, str], dict[date, str]]) -> None:
        entries = cls.load()
        entries[key] = answer
        data = {k: [{d.isoformat(): n for d, n in part.items()} for part in v] for k, v in entries.items()}
        try:
            path = cls.path()
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass


def trading_day(exchange: Exchange, day: date) -> TradingDay:
    """The shape of `day` on `exchange`: full, short (half day / early close) or shut."""
    closed, short = _calendar(exchange.mic, day.year)
    if day in closed:
        return TradingDay(day, (), closed[day], False)
    if day.weekday() >= 5:
        return TradingDay(day, (), None, False)
    if day in short:
        return TradingDay(day, exchange.short_day, short[day], True)
    return TradingDay(day, exchange.full_day, None, False)


@lru_cache(maxsize=64)
def _spans(exchange: Exchange, day: date) -> tuple[tuple[State, datetime, datetime], ...]:
    """The day's phases as absolute (UTC) instants, so comparisons never depend on wall-clock folds.
    Cached: the watchlist asks about the same few days for every row on every refresh."""
    return tuple(
        (p.state,
         datetime.combine(day, p.start, tzinfo=exchange.tz).astimezone(UTC),
         datetime.combine(day, p.end, tzinfo=exchange.tz).astimezone(UTC))
        for p in trading_day(exchange, day).phases
    )


def _exchange(market: str) -> Exchange:
    try:
        return EXCHANGES[market.upper()]
    except KeyError:
        raise ValueError(f"unknown market {market!r}: use HK or US") from None


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("an instant needs a UTC offset or time zone")
    return at.astimezone(UTC)


def _local_date(exchange: Exchange, now: datetime) -> date:
    try:
        return now.astimezone(exchange.tz).date()
    except OverflowError:  # 9999-12-31 late evening UTC is already year 10000 in Hong Kong
        raise CalendarRangeError(f"beyond the end of the {exchange.mic} calendar") from None


def market_status(market: str, at: datetime) -> MarketStatus:
    """The state of `market` ("HK" or "US") at the aware instant `at`, and its next change."""
    exchange = _exchange(market)
    now = _require_aware(at)
    today = _local_date(exchange, now)
    info = trading_day(exchange, today)
    for day_offset in range(_MAX_DAYS_AHEAD):
        spans = _spans(exchange, today + timedelta(days=day_offset))
        for i, (state, start, end) in enumerate(spans):
            if start <= now < end:
                follows = spans[i + 1] if i + 1 < len(spans) and spans[i + 1][1] == end else None
                return _status(exchange, state, follows[0] if follows else "closed", end, info)
            if start > now:  # in a gap: before the first phase, or after the last of an earlier day
                return _status(exchange, "closed", state, start, info)
    raise RuntimeError(f"{exchange.mic}: no session within {_MAX_DAYS_AHEAD} days of {at.isoformat()}")


def _status(exchange: Exchange, state: State, next_state: State, change: datetime,
            info: TradingDay) -> MarketStatus:
    return MarketStatus(exchange.market, state, next_state, change.astimezone(exchange.tz),
                        info.holiday, info.half_day)


def is_trading(market: str, at: datetime) -> bool:
    """True while prices move: HK open/closing auction, US pre-market/regular/after-hours."""
    return market_status(market, at).trading


def seconds_until_change(market: str, at: datetime) -> float:
    """Seconds from `at` to the market's next state change (the app sleeps this long when idle)."""
    return (market_status(market, at).next_change - _require_aware(at)).total_seconds()


def last_regular_close(market: str, at: datetime) -> datetime | None:
    """When the most recent regular session (HK open + closing auction, US open) ended at or
    before `at`; `at` itself while one is in progress. Parity uses it to tell which leg moved last."""
    exchange = _exchange(market)
    now = _require_aware(at)
    today = _local_date(exchange, now)
    for day_offset in range(_MAX_DAYS_AHEAD):
        try:
            spans = _spans(exchange, today - timedelta(days=day_offset))
        except CalendarRangeError:  # before the calendar's first year: nothing known
            return None
        for state, start, end in reversed(spans):
            if state not in exchange.regular:
                continue
            if start <= now < end:
                return now
            if end <= now:
                return end
    return None
