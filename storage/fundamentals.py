"""News-derived quarterly figures, each stored with the article (and sentence) it came from.

The extractor reads results articles into metrics (`news.extract`); this store keeps the ones that
describe a company's quarter, so a newer quarter than the bundled dataset survives restarts and the
detail view can say which article every figure came from. Items are read by attribute (duck typing)
so this module needs neither the news package nor pydantic at import time.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from market.fundamentals import NewsFigure
from market.instruments import directory
from news.findings import primary_metrics
from news.sanitize import clean_text
from storage.db import Database

COMPONENT = "fundamentals"
MIGRATIONS = [
    """
    CREATE TABLE news_fundamentals (
        company_id TEXT NOT NULL,
        period_end TEXT NOT NULL,
        field TEXT NOT NULL,
        item_id TEXT NOT NULL,
        value REAL NOT NULL,
        currency TEXT NOT NULL,
        source TEXT NOT NULL,
        sentence TEXT NOT NULL DEFAULT '',
        segment_name TEXT,
        net_income_basis TEXT,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (company_id, period_end, field, item_id)
    );
    CREATE INDEX news_fundamentals_company ON news_fundamentals(company_id, period_end)
    """,
]

_CURRENCY = {"CNY": "RMB", "RMB": "RMB"}  # the dataset writes RMB; the extractor writes ISO CNY
_GROWTH_BASES = (None, "yoy")  # results articles give year-on-year growth unless they say otherwise


def _period_end(period: Any) -> date | None:
    """`period.end` as a date; a month-day without a year ("--12-31") cannot place a quarter."""
    end = getattr(period, "end", None) if period is not None else None
    if isinstance(period, dict):
        end = period.get("end")
    if isinstance(end, date):
        return end
    try:
        return date.fromisoformat(str(end)) if end and not str(end).startswith("--") else None
    except ValueError:
        return None


def _companies(item: Any, metrics: list[Any]) -> list[tuple[str, str, bool]]:
    """(company id, canonical name, owns unnamed metrics) for every company the figures belong to.

    A metric naming no company belongs to the item's company only when the item is about one.
    """
    ids = list(getattr(item, "companies", None) or [])
    for m in metrics:
        company = directory().company(m.company) if getattr(m, "company", None) else None
        if company and company.id not in ids:
            ids.append(company.id)
    sole = len(list(getattr(item, "companies", None) or [])) == 1
    out = []
    for company_id in ids:
        company = directory().company(company_id)
        if company:
            out.append((company.id, company.name_en, sole and company_id in item.companies))
    return out


def _currency(metric: Any) -> str:
    raw = (getattr(metric, "currency", None) or "RMB").upper()
    return _CURRENCY.get(raw, raw)


def _figures_for(metric: Any) -> list[tuple[str, float, dict[str, str]]]:
    """(field, value, extras) pairs for one reported metric; amounts in millions."""
    name = getattr(metric, "name", "")
    value = getattr(metric, "value", None)
    usd = getattr(metric, "usd_value", None)
    growth = getattr(metric, "change_pct", None)
    if getattr(metric, "change_basis", None) not in _GROWTH_BASES:
        growth = None
    currency = _currency(metric)
    out: list[tuple[str, float, dict[str, str]]] = []
    amount = value / 1e6 if value is not None and currency != "USD" else None
    usd_amount = usd / 1e6 if usd is not None else (value / 1e6 if value is not None and currency == "USD"
                                                    else None)
    if name == "revenue" and not getattr(metric, "segment", None):
        out += [("revenue", amount, {}), ("revenue_yoy", growth, {}), ("usd_revenue", usd_amount, {})]
    elif name in ("net_income_attributable", "net_income"):
        basis = {"net_income_basis": "attributable (from news)" if name.endswith("attributable")
                 else "net income (from news)"}
        out += [("net_income", amount, basis), ("net_income_yoy", growth, basis)]
    elif name == "adjusted_net_income":
        out.append(("adj_net_income", amount, {}))
    elif name == "segment_revenue" and getattr(metric, "segment", None):
        segment = {"segment_name": str(metric.segment)}
        out += [("segment_revenue", amount, segment), ("segment_yoy", growth, segment)]
    return [(f, v, extra) for f, v, extra in out if v is not None]


def figures_from_item(item: Any) -> list[NewsFigure]:
    """The quarterly figures a news item's extraction reports (status `reported` only)."""
    extraction = getattr(item, "extraction", None)
    end = _period_end(getattr(extraction, "period", None)) if extraction is not None else None
    if end is None:
        return []
    source = f"{getattr(item, 'source', '') or 'news'}: {getattr(item, 'title', '')}"
    if getattr(item, "link", None):
        source += f" <{item.link}>"
    source = clean_text(source, 600, single_line=True)  # titles and links are untrusted
    figures: list[NewsFigure] = []
    reported = [m for m in getattr(extraction, "metrics", None) or []
                if getattr(m, "status", "reported") == "reported"]
    for company_id, name, owns_unnamed in _companies(item, reported):
        for metric in primary_metrics(reported, name):
            if metric.company is None and not owns_unnamed:
                continue
            currency = _currency(metric)
            for field, value, extra in _figures_for(metric):
                figures.append(NewsFigure(
                    company_id=company_id, period_end=end, field=field, value=float(value),
                    currency="USD" if field == "usd_revenue" else currency, source=source,
                    sentence=clean_text(getattr(metric, "text", ""), 600, single_line=True),
                    segment_name=extra.get("segment_name"),
                    net_income_basis=extra.get("net_income_basis"),
                ))
    return figures


class FundamentalsStore:
    """The `news_fundamentals` table of the shared database."""

    def __init__(self, database: Database):
        self.db = database
        database.ensure(COMPONENT, MIGRATIONS)

    def record_item(self, item: Any) -> int:
        """Store the quarterly figures of one news item; returns how many were stored."""
        figures = figures_from_item(item)
        self.record(str(getattr(item, "id", "") or getattr(item, "link", "")), figures)
        return len(figures)

    def record(self, item_id: str, figures: Iterable[NewsFigure]) -> None:
        """Insert or replace figures (re-extracting an article updates its figures, never duplicates)."""
        now = datetime.now(UTC).isoformat()
        rows = [
            (f.company_id, f.period_end.isoformat(), f.field, item_id, f.value, f.currency, f.source,
             f.sentence, f.segment_name, f.net_income_basis, now)
            for f in figures
        ]
        if rows:
            self.db.executemany(
                "INSERT OR REPLACE INTO news_fundamentals (company_id, period_end, field, item_id, value,"
                " currency, source, sentence, segment_name, net_income_basis, recorded_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def figures(self, company_id: str) -> list[NewsFigure]:
        """A company's stored figures, the most recently recorded article first."""
        cursor = self.db.execute(
            "SELECT company_id, period_end, field, value, currency, source, sentence, segment_name,"
            " net_income_basis FROM news_fundamentals WHERE company_id = ?"
            " ORDER BY recorded_at DESC, item_id",
            (company_id,),
        )
        return [
            NewsFigure(company_id=r[0], period_end=date.fromisoformat(r[1]), field=r[2], value=r[3],
                       currency=r[4], source=r[5], sentence=r[6], segment_name=r[7], net_income_basis=r[8])
            for r in cursor.fetchall()
        ]
