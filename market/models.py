"""Value types shared by every quote source, the cache, the CLI and the screens.

Plain slotted dataclasses rather than pydantic models: a refresh of 500 symbols builds 500 of these,
and the refresh budget is 50 ms for parse + apply + repaint.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Literal

Market = Literal["HK", "US"]


@dataclass(slots=True, frozen=True)
class Quote:
    """One listing's last known price, as one source reported it at `time`."""

    symbol: str  # canonical id: "9988.HK", "BABA"
    name: str | None
    currency: str
    last: float | None
    prev_close: float | None = None
    open: float | None = None
    high: float | None = None
    low: float | None = None
    change: float | None = None
    change_pct: float | None = None
    volume: float | None = None
    time: datetime | None = None  # timezone-aware source timestamp
    source: str = ""
    stale: bool = False
    ads_ratio_hint: str | None = None  # Tencent US field 42, e.g. "1:8", for the parity cross-check
    extra: dict[str, float | str | None] = field(default_factory=dict, compare=False)

    def as_stale(self) -> Quote:
        """The same quote, flagged as no longer fresh (served from the cache after a failure)."""
        return replace(self, stale=True)

    def to_json(self) -> dict:
        """The `quote --json` contract (DESIGN.md): numbers as numbers, time in ISO 8601 with offset."""
        d = asdict(self)
        d.pop("ads_ratio_hint")
        d.pop("extra")
        d["time"] = self.time.isoformat() if self.time else None
        return d


@dataclass(slots=True, frozen=True)
class FxRate:
    """A currency pair such as USDHKD (HKD per 1 USD)."""

    pair: str
    rate: float
    prev_close: float | None = None
    time: datetime | None = None
    source: str = ""
    stale: bool = False


@dataclass(slots=True, frozen=True)
class Bar:
    """One OHLCV bar of intraday or daily history."""

    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float | None = None
