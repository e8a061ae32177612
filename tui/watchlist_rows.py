"""Turn the app's quotes into watchlist rows: dual listings paired, parity, sessions, data age.

Pure functions over plain data, so the rules (what is stale, what the premium is, how pairs sort)
are tested without a terminal.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from market.instruments import Company, directory
from market.models import FxRate, Quote
from market.parity import compute as compute_parity
from market.sessions import is_trading, market_status
from widgets import format as fmt
from widgets.watchlist_table import WatchRow

# Free HK quotes are often 15 minutes late; beyond this while the market trades, a quote is stale.
STALE_WHILE_TRADING = timedelta(minutes=20)

SORTS = ("user", "change", "premium", "name")


def groups(symbols: Iterable[str]) -> list[tuple[Company | None, list[str]]]:
    """Watchlist symbols grouped by company in first-seen order: both legs of a dual listing
    together, the HK leg first."""
    seen: dict[str, tuple[Company | None, list[str]]] = {}
    for symbol in symbols:
        company = directory().company_of(symbol)
        key = company.id if company else symbol
        if key not in seen:
            legs = [s for s in company.symbols] if company else [symbol]
            seen[key] = (company, legs)
    return list(seen.values())


def is_stale(quote: Quote, now: datetime, trading: bool | None = None) -> bool:
    """Flagged stale by its source, or older than it should be while its market trades
    (`trading`: whether it does now, when the caller already knows)."""
    if quote.stale:
        return True
    if quote.time is None:
        return False
    if trading is None:
        trading = is_trading("HK" if quote.symbol.endswith(".HK") else "US", now)
    return trading and now - quote.time > STALE_WHILE_TRADING


def build_rows(
    symbols: list[str], quotes: dict[str, Quote], fx: dict[str, FxRate], now: datetime,
    sort: str = "user", text_filter: str = "",
) -> list[WatchRow]:
    """Rows for the table in display order."""
    usdhkd = fx.get("USDHKD")
    statuses = {m: market_status(m, now) for m in ("HK", "US")}
    states = {m: s.state for m, s in statuses.items()}
    trading = {m: s.trading for m, s in statuses.items()}
    ages: dict[datetime | None, str] = {}  # a batch of quotes shares a handful of timestamps
    blocks: list[tuple[tuple, list[WatchRow]]] = []
    for position, (company, legs) in enumerate(groups(symbols)):
        if text_filter and not _matches(text_filter, company, legs):
            continue
        parity = None
        if company and company.is_dual_listed:
            parity = compute_parity(company, quotes.get(company.hk_symbol), quotes.get(company.us_symbol),
                                    usdhkd, now)
        rows = []
        for symbol in legs:
            quote = quotes.get(symbol)
            hk = symbol.endswith(".HK")
            leg = "" if len(legs) == 1 else ("HK" if hk else "ADR")
            premium = parity.premium_pct if parity and hk else None
            other = None
            if parity:
                other = parity.us_implied_hk if hk else parity.hk_implied_us
            age = ""
            if quote:
                if quote.time not in ages:
                    ages[quote.time] = fmt.age(quote.time, now)
                age = ages[quote.time]
            rows.append(WatchRow(
                symbol=symbol,
                name=company.name_en if company else (quote.name if quote and quote.name else symbol),
                company_id=company.id if company else None,
                last=quote.last if quote else None,
                change=quote.change if quote else None,
                change_pct=quote.change_pct if quote else None,
                premium_pct=premium,
                parity=other,
                session=states["HK" if hk else "US"],
                age=age,
                stale=is_stale(quote, now, trading["HK" if hk else "US"]) if quote else False,
                demo=bool(quote and quote.source == "demo"),
                leg=leg,
            ))
        blocks.append((_sort_key(sort, position, company, rows), rows))
    blocks.sort(key=lambda b: b[0])
    return [row for _, rows in blocks for row in rows]


def _matches(text: str, company: Company | None, legs: list[str]) -> bool:
    needle = text.casefold()
    hay = [*legs, *(company.name_en, company.name_zh, company.id, *company.aliases)] if company else legs
    return any(needle in h.casefold() for h in hay)


def _sort_key(sort: str, position: int, company: Company | None, rows: list[WatchRow]) -> tuple:
    lead = rows[0]
    if sort == "change":
        return (-(lead.change_pct if lead.change_pct is not None else -1e9), position)
    if sort == "premium":
        premium = next((r.premium_pct for r in rows if r.premium_pct is not None), None)
        return (-(premium if premium is not None else -1e9), position)
    if sort == "name":
        return ((company.name_en if company else lead.name).casefold(), position)
    return (position,)
