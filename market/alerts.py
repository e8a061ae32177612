"""Alert engine: price above/below, day change beyond +/-N %, premium beyond +/-N % (dual listings).

Pure logic, no UI and no I/O: the app feeds it each refresh's quotes and premiums and shows what
it returns. An alert fires once when its condition becomes true and is re-armed only when the
condition becomes false again (the price crosses back), so a price sitting above a threshold does
not ring on every tick. Stale quotes (served from the cache after a failure) are ignored: they
would fire on yesterday's prices.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from config.models import Alert
from market.instruments import directory
from market.models import Quote

AlertKey = tuple[str, str, float]


def alert_key(alert: Alert) -> AlertKey:
    """Alerts have no id in the file; symbol, condition and value identify one."""
    return (alert.symbol, alert.condition, alert.value)


def describe(alert: Alert) -> str:
    """'9988.HK price above 150', 'BABA change beyond ±5%', 'alibaba premium beyond ±2%'."""
    if alert.condition == "price_above":
        return f"{alert.symbol} price above {alert.value:g}"
    if alert.condition == "price_below":
        return f"{alert.symbol} price below {alert.value:g}"
    what = "change" if alert.condition == "change_pct_beyond" else "premium"
    return f"{alert.symbol} {what} beyond ±{abs(alert.value):g}%"


@dataclass(slots=True)
class AlertState:
    """One alert's memory: armed (may fire) or waiting for the condition to clear."""

    alert: Alert
    armed: bool = True
    last_fired: datetime | None = None
    last_value: float | None = None  # the observed value at the last evaluation


@dataclass(frozen=True, slots=True)
class Fired:
    """An alert that just triggered: what to notify."""

    alert: Alert
    value: float
    at: datetime

    @property
    def message(self) -> str:
        if self.alert.condition in ("change_pct_beyond", "premium_beyond"):
            return f"{describe(self.alert)}: now {self.value:+.2f}%"
        return f"{describe(self.alert)}: now {self.value:g}"


def observed(alert: Alert, quotes: Mapping[str, Quote], premiums: Mapping[str, float]) -> float | None:
    """The number the alert compares: a price, a change % or a company's premium %; None if unknown.

    `premiums` is keyed by company id (parity.company.id); a premium alert may name either leg.
    """
    if alert.condition == "premium_beyond":
        company = directory().company_of(alert.symbol)
        return premiums.get(company.id) if company else None
    quote = quotes.get(alert.symbol)
    if quote is None or quote.stale:
        return None
    return quote.change_pct if alert.condition == "change_pct_beyond" else quote.last


def condition_holds(alert: Alert, value: float) -> bool:
    if alert.condition == "price_above":
        return value > alert.value
    if alert.condition == "price_below":
        return value < alert.value
    return abs(value) >= abs(alert.value)  # change / premium beyond +/- value


class AlertEngine:
    """Evaluates a set of alerts against each refresh; keeps per-alert state across refreshes."""

    def __init__(self, alerts: Sequence[Alert] = ()):
        self.states: list[AlertState] = []
        self.set_alerts(alerts)

    def set_alerts(self, alerts: Sequence[Alert]) -> None:
        """Replace the alert list (config reloaded or edited); unchanged alerts keep their state."""
        old = {alert_key(s.alert): s for s in self.states}
        self.states = [old.get(alert_key(a)) or AlertState(a) for a in alerts]

    def alerts_with(self, condition: str) -> list[Alert]:
        """The alerts watching one kind of condition (the app computes premiums only if asked)."""
        return [s.alert for s in self.states if s.alert.condition == condition]

    def evaluate(self, quotes: Mapping[str, Quote], premiums: Mapping[str, float],
                 at: datetime) -> list[Fired]:
        """Alerts that fire now. Unknown values (no quote, stale quote, no parity) change nothing."""
        fired: list[Fired] = []
        for state in self.states:
            value = observed(state.alert, quotes, premiums)
            if value is None:
                continue
            state.last_value = value
            if not condition_holds(state.alert, value):
                state.armed = True
            elif state.armed:
                state.armed = False
                state.last_fired = at
                fired.append(Fired(state.alert, value, at))
        return fired
