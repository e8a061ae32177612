"""Quarterly fundamentals: the bundled, sourced dataset merged with figures extracted from news.

`assets/quarterly.csv` is a verbatim copy of the team's verified dataset (amounts in millions of the
reporting currency, every row with its source). News adds newer quarters and fills gaps; where both
exist the bundled official figure wins and any disagreement is kept side by side as a `Conflict`,
never silently merged, so a reader can see both numbers and where each came from.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any, Literal

from config.paths import bundled
from market.instruments import Company, directory

Origin = Literal["bundled", "news"]

#: The figures a news article can supply, in table order; a Quarter field each.
FIGURES = (
    "revenue", "revenue_yoy", "net_income", "net_income_yoy", "adj_net_income",
    "segment_revenue", "segment_yoy", "usd_revenue",
)
_PCT_FIGURES = {"revenue_yoy", "net_income_yoy", "segment_yoy"}
_AMOUNT_TOLERANCE = 0.005  # 0.5%: "RMB 280.15 billion" agrees with 280,154 million
_PCT_TOLERANCE = 0.51  # percentage points: "+8%" agrees with 7.6, not with 9.2
#: Extracted metric names that report a quarter's results (news.extract vocabulary).
RESULT_METRICS = {
    "revenue", "net_income", "net_income_attributable", "adjusted_net_income", "operating_income",
    "adjusted_ebita", "adjusted_ebitda", "eps", "adjusted_eps", "gross_margin", "segment_revenue",
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


@dataclass(frozen=True, slots=True)
class Conflict:
    """One figure on which the bundled dataset and a news article disagree; both are kept."""

    field: str
    bundled: float
    news: float
    source: str  # the article (title and link) and, when known, its sentence


@dataclass(frozen=True, slots=True)
class NewsFigure:
    """One figure for one company's quarter, as a news article reported it (amounts in millions)."""

    company_id: str
    period_end: date
    field: str  # one of FIGURES
    value: float
    currency: str
    source: str  # article title and link
    sentence: str = ""
    segment_name: str | None = None
    net_income_basis: str | None = None


@dataclass(frozen=True, slots=True)
class Quarter:
    """One company quarter. Amounts in millions of `currency`; growth rates in percent.

    `origin` says where the row came from; `provenance` names the source of any figure that came from
    elsewhere (computed here, or filled in from news); `conflicts` lists news figures that disagree.
    """

    company_id: str
    period_label: str
    period_end: date
    fiscal_label: str
    currency: str
    revenue: float | None = None
    revenue_yoy: float | None = None
    net_income: float | None = None
    net_income_basis: str = ""
    net_income_yoy: float | None = None
    adj_net_income: float | None = None
    segment_name: str = ""
    segment_revenue: float | None = None
    segment_yoy: float | None = None
    usd_revenue: float | None = None
    source: str = ""
    origin: Origin = "bundled"
    provenance: dict[str, str] = field(default_factory=dict, hash=False)
    conflicts: tuple[Conflict, ...] = ()

    @property
    def usd_rate(self) -> float | None:
        """Reporting currency per US$ implied by the company's own convenience translation."""
        if self.revenue and self.usd_revenue:
            return self.revenue / self.usd_revenue
        return None

    def origin_of(self, figure: str) -> str:
        """Where one figure came from, in words (shown under the table for the focused row)."""
        return self.provenance.get(figure) or f"{self.origin}: {self.source}"


def fiscal_label(period_end: date, fiscal_year_end: str = "12-31") -> str:
    """`FY2025 Q3` for Alibaba's December quarter 2024 (its year ends 31 March)."""
    fye_month = int(fiscal_year_end.split("-")[0])
    year = period_end.year if period_end.month <= fye_month else period_end.year + 1
    number = ((period_end.month - fye_month - 1) % 12) // 3 + 1
    return f"FY{year} Q{number}"


def period_label(period_end: date, fiscal_year_end: str = "12-31") -> str:
    """The company's own style: `December quarter 2024` off-calendar, `Q4 2024` for a calendar year."""
    if fiscal_year_end == "12-31":
        return f"Q{(period_end.month - 1) // 3 + 1} {period_end.year}"
    return f"{_MONTHS[period_end.month - 1]} quarter {period_end.year}"


def _number(cell: str) -> float | None:
    cell = cell.strip()
    return float(cell) if cell else None


def _company_id(row: dict[str, str]) -> str | None:
    """The dataset names companies by HK code or US ticker; the instruments directory maps them."""
    for symbol in (row["ticker_hk"], row["ticker_us"]):
        company = directory().company_of(symbol.strip()) if symbol.strip() else None
        if company:
            return company.id
    return None


@cache
def _bundled() -> dict[str, tuple[Quarter, ...]]:
    """Every bundled quarter by company id, newest first, read once from package data."""
    text = bundled("quarterly.csv").read_text("utf-8")
    by_company: dict[str, list[Quarter]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        company_id = _company_id(row)
        if company_id is None:
            continue
        by_company.setdefault(company_id, []).append(Quarter(
            company_id=company_id,
            period_label=row["period_label"],
            period_end=date.fromisoformat(row["period_end"]),
            fiscal_label=row["fiscal_label"],
            currency=row["currency"],
            revenue=_number(row["revenue_m"]),
            revenue_yoy=_number(row["revenue_yoy_pct"]),
            net_income=_number(row["net_income_m"]),
            net_income_basis=row["net_income_basis"],
            adj_net_income=_number(row["adj_net_income_m"]),
            segment_name=row["segment_name"],
            segment_revenue=_number(row["segment_revenue_m"]),
            segment_yoy=_number(row["segment_yoy_pct"]),
            usd_revenue=_number(row["usd_revenue_m"]),
            source=row["source"],
        ))
    return {cid: tuple(_with_net_income_yoy(rows)) for cid, rows in by_company.items()}


def _year_before(day: date) -> date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else \
        day.replace(year=day.year - 1)


def _with_net_income_yoy(rows: list[Quarter]) -> list[Quarter]:
    """Newest first, with net income growth computed against the same quarter a year earlier.

    The dataset has no net income growth column; a computed rate is flagged in `provenance`. The
    rate is only meaningful between two profits: from or into a loss it is left empty ("n.m.").
    """
    by_end = {q.period_end: q for q in rows}
    out = []
    for q in sorted(rows, key=lambda q: q.period_end, reverse=True):
        before = by_end.get(_year_before(q.period_end))
        if q.net_income_yoy is None and q.net_income is not None and q.net_income > 0 and before \
                and before.net_income and before.net_income > 0:
            yoy = round((q.net_income / before.net_income - 1) * 100, 1)
            note = f"computed: {q.net_income:,.0f} vs {before.net_income:,.0f} in {before.period_label}"
            q = replace(q, net_income_yoy=yoy, provenance={**q.provenance, "net_income_yoy": note})
        out.append(q)
    return out


def bundled_quarters(company_id: str) -> list[Quarter]:
    """The bundled dataset's quarters for one company, newest first."""
    return list(_bundled().get(company_id, ()))


def _agrees(figure: str, bundled: float, news: float) -> bool:
    if figure in _PCT_FIGURES:
        return abs(bundled - news) <= _PCT_TOLERANCE
    scale = max(abs(bundled), abs(news), 1e-9)
    return abs(bundled - news) / scale <= _AMOUNT_TOLERANCE


def _figure_note(figure: NewsFigure) -> str:
    quote = f' "{figure.sentence}"' if figure.sentence else ""
    return f"news: {figure.source}{quote}"


def _news_quarter(company_id: str, end: date, figures: list[NewsFigure]) -> Quarter:
    """A quarter known only from news: its labels follow the company's fiscal calendar."""
    company = directory().company(company_id)
    fye = company.fiscal_year_end if company else "12-31"
    quarter = Quarter(
        company_id=company_id, period_label=period_label(end, fye), period_end=end,
        fiscal_label=fiscal_label(end, fye),
        currency=next((f.currency for f in figures if f.field != "usd_revenue"), "RMB"),
        source=figures[0].source, origin="news",
    )
    return _fill(quarter, figures)


def _fill(quarter: Quarter, figures: Iterable[NewsFigure]) -> Quarter:
    """Fill the quarter's empty figures from news; flag, never overwrite, figures that disagree."""
    changes: dict[str, object] = {}
    provenance = dict(quarter.provenance)
    conflicts = list(quarter.conflicts)
    for f in figures:
        current = changes.get(f.field, getattr(quarter, f.field))
        if f.field == "segment_revenue" or f.field == "segment_yoy":
            name = changes.get("segment_name", quarter.segment_name)
            if name and f.segment_name and not _same_segment(str(name), f.segment_name):
                continue  # another segment than the one the table tracks
        if f.field in ("net_income", "net_income_yoy") and not _same_basis(quarter, f):
            continue  # "net income" and "attributable to shareholders" are different lines
        if current is None:
            changes[f.field] = f.value
            provenance[f.field] = _figure_note(f)
            if f.segment_name and not changes.get("segment_name", quarter.segment_name):
                changes["segment_name"] = f.segment_name
            if f.net_income_basis and f.field == "net_income" and not quarter.net_income_basis:
                changes["net_income_basis"] = f.net_income_basis
        elif quarter.origin == "bundled" and not _agrees(f.field, float(current), f.value) \
                and not provenance.get(f.field, "").startswith("news:"):
            conflicts.append(Conflict(f.field, float(current), f.value, _figure_note(f)))
    return replace(quarter, **changes, provenance=provenance, conflicts=tuple(conflicts))


def _same_basis(quarter: Quarter, figure: NewsFigure) -> bool:
    if not (quarter.net_income_basis and figure.net_income_basis):
        return True
    return _attributable(quarter.net_income_basis) == _attributable(figure.net_income_basis)


def _attributable(basis: str) -> bool:
    return "attributable" in basis.casefold()


_GENERIC_WORDS = {"group", "and", "the", "business", "segment", "others", "other", "revenue", "revenues"}


def _words(name: str) -> set[str]:
    words = name.casefold().replace("(", " ").replace(")", " ").replace("&", " ").split()
    return {w for w in words if len(w) > 2 and w not in _GENERIC_WORDS}


def _same_segment(ours: str, theirs: str) -> bool:
    """`Cloud Intelligence Group` and `cloud` are the same segment; `VAS` and `Cloud` are not."""
    a, b = ours.casefold(), theirs.casefold()
    return a in b or b in a or bool(_words(ours) & _words(theirs))


def merge(bundled: list[Quarter], news: Iterable[NewsFigure]) -> list[Quarter]:
    """Bundled quarters with news figures merged in (see module docstring); newest first."""
    by_end: dict[date, list[NewsFigure]] = {}
    for f in news:
        by_end.setdefault(f.period_end, []).append(f)
    out = []
    seen = set()
    for q in bundled:
        seen.add(q.period_end)
        out.append(_fill(q, by_end.get(q.period_end, ())))
    company_id = bundled[0].company_id if bundled else None
    for end, figures in by_end.items():
        if end not in seen:
            out.append(_news_quarter(company_id or figures[0].company_id, end, figures))
    out.sort(key=lambda q: q.period_end, reverse=True)
    return out


def quarters(company_id: str, news: Iterable[NewsFigure] = ()) -> list[Quarter]:
    """A company's quarters, newest first: bundled figures first, news filling the gaps."""
    return merge(bundled_quarters(company_id), (f for f in news if f.company_id == company_id))


@cache
def _period_end_usd_rates() -> dict[date, tuple[float, int]]:
    """Median reporting-currency-per-US$ rate by period end, from all convenience translations.

    Chinese issuers translate at the same period-end noon buying rate, so one company's translation
    states the rate for another that printed none (Tencent) at the same period end.
    """
    rates: dict[date, list[float]] = {}
    for rows in _bundled().values():
        for q in rows:
            if q.usd_rate and not _secondary(q):
                rates.setdefault(q.period_end, []).append(q.usd_rate)
    return {end: (sorted(r)[len(r) // 2], len(r)) for end, r in rates.items()}


def _secondary(quarter: Quarter) -> bool:
    """A row whose figures (its US$ figure included) come from news or brokers, not the company."""
    return quarter.origin == "bundled" and quarter.source.startswith("[secondary]")


def usd_translation(quarter: Quarter, usdcny: float | None = None) -> tuple[float | None, str]:
    """(reporting currency per US$, how that rate was chosen) for converting one quarter.

    Preference: the company's own convenience translation; else the period-end rate other
    companies' translations state; else the live USDCNY rate the caller passes; else none.
    """
    if quarter.usd_rate:
        if _secondary(quarter):
            return quarter.usd_rate, "the US$ revenue a secondary source printed; no company translation found"
        return quarter.usd_rate, "the company's own convenience translation"
    if quarter.currency == "RMB":
        found = _period_end_usd_rates().get(quarter.period_end)
        if found:
            rate, count = found
            return rate, f"period-end rate from {count} other issuers' convenience translations"
        if usdcny:
            return usdcny, "the current USDCNY rate (no period-end translation known)"
    return None, "no US$ rate known for this quarter"


def results_metrics(item: Any) -> list[Any]:
    """The reported results figures (revenue, profit, margins, segments) of a news item."""
    extraction = getattr(item, "extraction", None)
    return [m for m in (getattr(extraction, "metrics", None) or [])
            if m.name in RESULT_METRICS and m.status == "reported"]


def latest_results(items: Iterable[Any]) -> Any | None:
    """The newest results story: one that dates its quarter, else any reporting results figures.

    A market story ("shares jump 15% after revenue grew 8%") repeats results in passing; the
    results story itself names the quarter, so it wins even when it is older.
    """
    candidates = [item for item in items if results_metrics(item)]
    dated = [item for item in candidates if getattr(item.extraction.period, "end", None)]
    return (dated or candidates or [None])[0]


def results_period(item: Any, company: Company) -> str | None:
    """`FY2025 Q3 (Dec 2024)` or `Q4 2024` from the story's quarter end, in the company's style."""
    period = item.extraction.period
    if period is None:
        return None
    try:
        end = date.fromisoformat(period.end or "")
    except ValueError:
        return period.label
    calendar = period_label(end)
    fiscal = fiscal_label(end, company.fiscal_year_end)
    return calendar if fiscal == f"FY{end.year} {calendar.split()[0]}" else f"{fiscal} ({end:%b %Y})"
