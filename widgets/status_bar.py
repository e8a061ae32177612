"""The status bar: DEMO label, where the data came from and when, both markets' sessions.

One line a user glances at to know whether to trust the numbers: `DEMO` on replayed prices, each
source's health (`tencent ok 120ms`, `sina backing off 30s`), the newest data time, and
`HK OPEN → closes in 1h29m · US CLOSED → pre-market in 11h`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.widgets import Static


@dataclass(slots=True, frozen=True)
class MarketLine:
    market: str
    state: str
    next_state: str
    countdown: str
    holiday: str | None = None


@dataclass(slots=True, frozen=True)
class StatusInfo:
    demo: bool = False
    sources: tuple[tuple[str, bool, str], ...] = ()  # (name, ok, detail)
    data_time: str = ""
    markets: tuple[MarketLine, ...] = ()
    message: str = ""
    extras: tuple[str, ...] = field(default_factory=tuple)


STATE_WORDS = {
    "pre_open": "PRE-OPEN", "open": "OPEN", "lunch_break": "LUNCH", "closing_auction": "AUCTION",
    "pre_market": "PRE-MKT", "after_hours": "AFTER-HRS", "closed": "CLOSED",
}


class StatusBar(Static):
    """Bottom line above the footer."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    _shown: StatusInfo | None = None

    def show(self, info: StatusInfo) -> None:
        """Draw the line, unless it would be the one on screen: the status is refreshed every
        second and after every refresh, and an update relayouts the screen."""
        if info == self._shown:
            return
        self._shown = info
        line = Text(no_wrap=True, overflow="ellipsis")
        if info.demo:
            line.append(" DEMO ", style="bold reverse")
            line.append(" replayed prices  ")
        if info.message:  # first, so a long line of sources cannot push it off screen
            line.append(f"{info.message}  ", style="bold")
        for name, ok, detail in info.sources:
            line.append(f"{name} ", style="bold")
            line.append(detail or ("ok" if ok else "down"), style="" if ok else "bold reverse")
            line.append("  ")
        if info.data_time:
            line.append(f"data {info.data_time}  ", style="dim")
        for m in info.markets:
            line.append(f"{m.market} ", style="bold")
            line.append(STATE_WORDS.get(m.state, m.state.upper()), style="reverse" if m.state == "open" else "")
            if m.holiday:
                line.append(f" ({m.holiday})", style="dim")
            line.append(f" → {STATE_WORDS.get(m.next_state, m.next_state)} in {m.countdown}  ", style="dim")
        for extra in info.extras:
            line.append(f"{extra}  ", style="dim")
        self.update(line)
