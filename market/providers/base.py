"""What every quote source implements, and the typed failures a source may raise.

A source turns one batch of canonical symbols into quotes with as few requests as its API allows
(Tencent and Sina: one GET per 60 codes). It never retries or falls back by itself: the quote
service owns backoff, failover and the cache, so every source behaves the same under failure.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from market.models import Bar, FxRate, Quote


class SourceError(Exception):
    """A source could not answer. `kind` is what the status bar and `doctor` show."""

    kind = "error"

    def __init__(self, source: str, message: str, retry_after: float | None = None):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.retry_after = retry_after


class SourceTimeout(SourceError):
    kind = "timeout"


class SourceHTTPError(SourceError):
    kind = "http"


class SourceRateLimited(SourceError):
    kind = "rate-limited"


class SourceGarbage(SourceError):
    """The body was not in the source's format (HTML error page, binary, truncated)."""

    kind = "garbage"


@dataclass(slots=True)
class SourceResult:
    """One fetch: quotes by canonical symbol, FX by pair, the symbols the source says do not exist."""

    quotes: dict[str, Quote] = field(default_factory=dict)
    fx: dict[str, FxRate] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    requests: int = 0


class QuoteSource(ABC):
    """A quote source: Tencent, Sina, Yahoo, or the demo replay."""

    name: str

    @abstractmethod
    async def fetch(self, symbols: Sequence[str], fx_pairs: Sequence[str] = ()) -> SourceResult:
        """Quotes for `symbols` (canonical ids) and rates for `fx_pairs` ("USDHKD")."""


class HistorySource(Protocol):
    """Price history for charts: Tencent's minute/kline endpoints, or the demo replay."""

    async def daily(self, symbol: str, count: int = 320, tencent_code: str | None = None) -> list[Bar]:
        """Daily bars, oldest first."""

    async def intraday(self, symbol: str, tencent_code: str | None = None) -> list[Bar]:
        """The current (or last) session's 1-minute bars, oldest first."""
