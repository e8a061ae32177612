"""What the extractor finds in a text: the period, the metrics, the share moves.

Plain slotted dataclasses, not pydantic models: every stored news item carries one, and the
dashboard reads them back from SQLite on its first frames, so building them must cost next to
nothing and must not load the extractor or pydantic. `to_json` is the `extract --json` shape
(DESIGN.md); `Extraction.from_json` reads a stored one back, or gives None when it does not fit
(an older extractor wrote it), so callers show the headline rather than wrong cards.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Basis = Literal["yoy", "qoq"]
Status = Literal["reported", "estimate", "guidance"]
Direction = Literal["up", "down"]
Market = Literal["HK", "US"]


@dataclass(slots=True)
class Period:
    label: str
    end: str | None = None


@dataclass(slots=True)
class Metric:
    name: str
    value: float | None = None
    currency: str | None = None
    usd_value: float | None = None
    change_pct: float | None = None
    change_basis: Basis | None = None
    status: Status = "reported"
    segment: str | None = None
    company: str | None = None
    text: str = ""


@dataclass(slots=True)
class Move:
    direction: Direction
    company: str | None = None
    pct: float | None = None
    market: Market | None = None
    text: str = ""


@dataclass(slots=True)
class Extraction:
    companies: list[str] = field(default_factory=list)
    tickers: list[str] = field(default_factory=list)
    period: Period | None = None
    metrics: list[Metric] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Extraction | None:
        try:
            period = data.get("period")
            return cls(
                companies=list(data.get("companies", [])),
                tickers=list(data.get("tickers", [])),
                period=Period(**period) if period else None,
                metrics=[Metric(**m) for m in data.get("metrics", [])],
                moves=[Move(**m) for m in data.get("moves", [])],
            )
        except (TypeError, AttributeError):  # a key this version does not know, or a wrong shape
            return None


def primary_metrics(metrics: Iterable[Any], company: str | None = None) -> list[Any]:
    """One extracted metric per (company, name, segment), in order of first mention.

    An article often states a figure twice ("revenue rose 8%" in the lead, the exact amount later)
    and extractors sometimes miss a segment label ("cloud revenue ... RMB 31,742 million" read as
    plain revenue). A stated amount beats a growth-only mention, and of two amounts the larger is
    the company total: a segment can never exceed the whole.

    With `company` (a canonical name) only that company's metrics are kept, those naming no company
    counting as its own. It lives with the findings, not the quarterly tables (market.fundamentals),
    so the dashboard's cards can pick their figures without loading those tables at start-up.
    """
    chosen: dict[tuple, Any] = {}
    for m in metrics:
        named = getattr(m, "company", None)
        if company is not None and named not in (None, company):
            continue
        key = (None if company else named, m.name, getattr(m, "segment", None))
        best = chosen.get(key)
        if best is None or (m.value is not None and (best.value is None or abs(m.value) > abs(best.value))):
            chosen[key] = m
    return list(chosen.values())
