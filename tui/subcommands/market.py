"""`sinoterm market [--at ISO-8601] [--json]`: the session state of Hong Kong and New York.

`--at` takes any ISO 8601 instant (`2024-11-20T09:15:00+08:00`, `...Z`, a bare date); one without
a UTC offset is read as UTC, so a script gets the same answer on every machine. The table shows
each change in HK time, New York time and the machine's local zone.
"""
from __future__ import annotations

import sys
from datetime import UTC, datetime, tzinfo

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from market.sessions import EXCHANGES, CalendarRangeError, MarketStatus, market_status
from tui.subcommands.common import print_json


def parse_at(text: str | None) -> tuple[datetime, bool]:
    """(aware instant, whether it was read as UTC for want of an offset); now when `text` is None."""
    if text is None:
        return datetime.now(UTC), False
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"--at {text!r} is not an ISO 8601 instant; write e.g. 2024-11-20T09:15:00+08:00"
        ) from None
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC), True
    return at, False


def statuses(at: datetime) -> dict[str, MarketStatus]:
    return {market: market_status(market, at) for market in EXCHANGES}


def run(args) -> int:
    try:
        at, assumed_utc = parse_at(getattr(args, "at", None))
    except ValueError as e:
        print(f"sinoterm market: {e}", file=sys.stderr)
        return 2
    try:
        result = statuses(at)
    except CalendarRangeError as e:
        print(f"sinoterm market: --at {at.isoformat()}: {e}", file=sys.stderr)
        return 2
    if getattr(args, "json", False):
        print_json({market: status.to_json() for market, status in result.items()})
        return 0
    Console(highlight=False).print(table(at, result, assumed_utc))
    return 0


def table(at: datetime, result: dict[str, MarketStatus], assumed_utc: bool = False) -> Table:
    """One column per market (narrow terminals fit it): state, next change, and when, in the HK,
    New York and local zones."""
    local = datetime.now().astimezone().tzinfo or UTC
    zones: list[tuple[str, tzinfo]] = [("HK", EXCHANGES["HK"].tz), ("New York", EXCHANGES["US"].tz),
                                       ("local", local)]
    title = f"Markets at {_when(at, local)}"
    if assumed_utc:
        title += "\n(no UTC offset given: read as UTC)"
    t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    t.add_column("")
    for market in result:
        t.add_column(market)
    t.add_row("state", *(_label(s.state) for s in result.values()))
    t.add_row("next", *(_label(s.next_state) for s in result.values()))
    t.add_row("in", *(_duration((s.next_change - at).total_seconds()) for s in result.values()))
    for name, tz in zones:
        t.add_row(f"at ({name})", *(_when(s.next_change, tz) for s in result.values()))
    t.add_row("holiday", *(Text(s.holiday or "-") for s in result.values()))
    return t


def _label(state: str) -> str:
    return state.replace("_", " ")


def _when(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")


def _duration(seconds: float) -> str:
    minutes = max(0, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return f"{days}d {hours}h {mins:02d}m" if days else f"{hours}h {mins:02d}m"
