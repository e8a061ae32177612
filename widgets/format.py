"""Numbers and times formatted the way market people read them. Pure functions, no Textual.

Shared by the watchlist, the metric cards, the detail view and the one-shot commands so that a
figure reads the same everywhere: `RMB 280.15 bn`, `+8.0% YoY`, `139.70`, `+15.0%`, `3m`.
"""
from __future__ import annotations

from datetime import datetime, timedelta

CURRENCY_PREFIX = {"CNY": "RMB", "USD": "US$", "HKD": "HK$", "JPY": "¥", "GBP": "£", "EUR": "€"}
DASH = "–"


def price(value: float | None, decimals: int | None = None) -> str:
    """A price with the precision its size warrants: 4.52, 139.70, 1,234.5."""
    if value is None:
        return DASH
    if decimals is None:
        decimals = 3 if abs(value) < 1 else 2 if abs(value) < 1000 else 1
    return f"{value:,.{decimals}f}"


def signed(value: float | None, decimals: int = 2) -> str:
    return DASH if value is None else f"{value:+,.{decimals}f}"


def pct(value: float | None, decimals: int = 1) -> str:
    return DASH if value is None else f"{value:+.{decimals}f}%"


def amount(value: float | None, currency: str | None = None) -> str:
    """An absolute amount in the largest unit people use: `RMB 280.15 bn`, `US$1.00 bn`, `7.00 m`."""
    if value is None:
        return DASH
    prefix = CURRENCY_PREFIX.get(currency or "", currency or "")
    sign = "-" if value < 0 else ""
    v = abs(value)
    for unit, size in (("tn", 1e12), ("bn", 1e9), ("m", 1e6), ("k", 1e3)):
        if v >= size:
            body = f"{v / size:,.2f} {unit}"
            break
    else:
        body = f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{sign}{prefix} {body}".strip() if prefix else f"{sign}{body}"


def millions(value: float | None, decimals: int = 0) -> str:
    """Figures stated in millions, as results tables print them: 280,154."""
    return DASH if value is None else f"{value:,.{decimals}f}"


def volume(value: float | None) -> str:
    if value is None:
        return DASH
    for unit, size in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if value >= size:
            return f"{value / size:.1f}{unit}"
    return f"{value:.0f}"


def age(then: datetime | None, now: datetime) -> str:
    """How old a timestamp is, in the shortest unit: 12s, 15m, 3h, 2d."""
    if then is None:
        return DASH
    seconds = max(0, (now - then).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"


def countdown(delta: timedelta) -> str:
    """Time to the next session change: 45m, 2h05m, 1d03h."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rem = divmod(minutes, 1440)
    hours, mins = divmod(rem, 60)
    if days:
        return f"{days}d{hours:02d}h"
    return f"{hours}h{mins:02d}m" if hours else f"{mins}m"
