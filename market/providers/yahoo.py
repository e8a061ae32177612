"""Yahoo Finance v8 chart: history (daily and intraday) and, as a last resort, quotes.

No crumb is needed for `/v8/finance/chart/{symbol}` (reference/providers.md section 3.1), but there is
no batch form either, so quotes cost one request per symbol: the service asks Yahoo only for the few
symbols both Chinese sources failed on. Pitfalls handled here: `meta` always describes *now*;
`chartPreviousClose` is the close before the first bar of the requested range, so quotes ask for
`range=1d`, where it is yesterday's close; prices carry float32 noise, rounded with `priceHint`.
"""
from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from market import codes
from market.models import Bar, FxRate, Quote
from market.providers.base import QuoteSource, SourceError, SourceGarbage, SourceResult
from market.providers.fields import quote_name
from market.providers.http import get_bytes

NAME = "yahoo"
MAX_QUOTE_SYMBOLS = 20  # one request each: a last resort, not a bulk source
CONCURRENCY = 6


class UnknownSymbol(Exception):
    """Yahoo says the symbol does not exist (HTTP 404 / `chart.result` null with "Not Found")."""


def _zone(meta: dict) -> ZoneInfo | None:
    try:
        return ZoneInfo(meta.get("exchangeTimezoneName") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _rounder(meta: dict):
    digits = meta.get("priceHint")
    digits = digits if isinstance(digits, int) and 0 <= digits <= 6 else 4

    def r(value):
        return round(float(value), digits) if isinstance(value, (int, float)) else None
    return r


def chart_result(body: bytes, status: int) -> dict:
    """`chart.result[0]`; UnknownSymbol for Yahoo's "not found", SourceGarbage for anything else odd."""
    try:
        data = json.loads(body)
        chart = data["chart"]
    except (ValueError, KeyError, TypeError):
        if status == 404:
            raise UnknownSymbol() from None
        raise SourceGarbage(NAME, "not a chart JSON body") from None
    results = chart.get("result") if isinstance(chart, dict) else None
    if not results:
        error = (chart or {}).get("error") or {}
        if status == 404 or error.get("code") == "Not Found":
            raise UnknownSymbol()
        raise SourceGarbage(NAME, str(error.get("description") or "chart.result is empty")[:120])
    if not isinstance(results[0], dict) or not isinstance(results[0].get("meta"), dict):
        raise SourceGarbage(NAME, "chart result without meta")
    return results[0]


def _todays_bar(meta: dict, result: dict) -> int | None:
    """Index of the last bar when it is a daily bar of the current session (`meta` always describes
    now; the bars may describe any past period)."""
    stamps = result.get("timestamp") or []
    now = meta.get("regularMarketTime")
    zone = _zone(meta)
    if meta.get("dataGranularity") != "1d" or not stamps or not isinstance(now, (int, float)) or zone is None:
        return None
    if datetime.fromtimestamp(stamps[-1], zone).date() != datetime.fromtimestamp(now, zone).date():
        return None
    return len(stamps) - 1


def _column(result: dict, name: str) -> list:
    return ((result.get("indicators") or {}).get("quote") or [{}])[0].get(name) or []


def _previous_close(meta: dict, result: dict, today: int | None, r) -> float | None:
    """Yesterday's close. `chartPreviousClose` is the close before the first bar of the *range*, so it
    is only yesterday's for `range=1d`; for a longer daily range ending today the second-last close
    is. Anything else (a past period, intraday bars) gives None rather than a wrong number."""
    if meta.get("previousClose") is not None:
        return r(meta["previousClose"])
    if meta.get("range") == "1d":
        return r(meta.get("chartPreviousClose"))
    if today is None:
        return None
    earlier = [c for c in _column(result, "close")[:today] if c is not None]
    return r(earlier[-1]) if earlier else None


def quote_from_chart(symbol: str, result: dict) -> Quote | None:
    """A quote from a `range=1d` chart; None when the price is missing."""
    meta = result["meta"]
    r = _rounder(meta)
    last = r(meta.get("regularMarketPrice"))
    if last is None:
        return None
    today = _todays_bar(meta, result)
    prev = _previous_close(meta, result, today, r)
    opens = _column(result, "open")
    zone = _zone(meta)
    stamp = meta.get("regularMarketTime")
    change = round(last - prev, 6) if prev is not None else None
    return Quote(
        symbol=symbol,
        name=quote_name(symbol, meta.get("shortName"), meta.get("longName")),
        currency=str(meta.get("currency") or ("HKD" if codes.is_hk(symbol) else "USD"))[:3].upper(),
        last=last,
        prev_close=prev,
        open=r(opens[today]) if today is not None and today < len(opens) else None,
        high=r(meta.get("regularMarketDayHigh")),
        low=r(meta.get("regularMarketDayLow")),
        change=change,
        change_pct=round(change / prev * 100, 4) if change is not None and prev else None,
        volume=meta.get("regularMarketVolume") if isinstance(meta.get("regularMarketVolume"), int) else None,
        time=datetime.fromtimestamp(stamp, zone) if isinstance(stamp, (int, float)) and zone else None,
        source=NAME,
        extra={"high_52w": r(meta.get("fiftyTwoWeekHigh")), "low_52w": r(meta.get("fiftyTwoWeekLow"))},
    )


def bars_from_chart(result: dict, *, daily: bool) -> list[Bar]:
    """OHLCV bars, skipping Yahoo's null entries; daily bars are stamped at local midnight."""
    meta = result["meta"]
    r = _rounder(meta)
    zone = _zone(meta) or ZoneInfo("UTC")
    stamps = result.get("timestamp") or []
    cols = [_column(result, k) for k in ("open", "high", "low", "close", "volume")]
    bars: list[Bar] = []
    for i, ts in enumerate(stamps):
        try:
            o, h, lo, c, v = (col[i] for col in cols)
        except IndexError:
            break
        if None in (o, h, lo, c):
            continue
        when = datetime.fromtimestamp(ts, zone)
        if daily:
            when = when.replace(hour=0, minute=0, second=0, microsecond=0)
        bars.append(Bar(when, r(o), r(h), r(lo), r(c), v))
    return bars


class YahooSource(QuoteSource):
    """v8 chart client: last-resort quotes and FX, and `history()` for the detail charts."""

    name = NAME

    def __init__(self, client: httpx.AsyncClient, base_url: str, deadline: float | None = None):
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline

    async def chart(self, yahoo_symbol: str, *, interval: str, range_: str) -> dict:
        url = f"{self.base_url}/v8/finance/chart/{yahoo_symbol}?range={range_}&interval={interval}"
        status, body = await get_bytes(self.client, NAME, url, deadline=self.deadline, ok_statuses=(200, 404))
        return chart_result(body, status)

    async def history(self, symbol: str, *, daily: bool = True, range_: str | None = None) -> list[Bar]:
        """Daily bars (default 1 year) or today's 1-minute bars."""
        interval = "1d" if daily else "1m"
        try:
            result = await self.chart(codes.yahoo(symbol), interval=interval, range_=range_ or ("1y" if daily else "1d"))
        except UnknownSymbol:
            return []
        return bars_from_chart(result, daily=daily)

    async def fetch(self, symbols: Sequence[str], fx_pairs: Sequence[str] = ()) -> SourceResult:
        out = SourceResult()
        gate = asyncio.Semaphore(CONCURRENCY)
        asked = list(symbols)[:MAX_QUOTE_SYMBOLS]
        pairs = [p for p in fx_pairs if p in codes.YAHOO_FX]
        out.requests = len(asked) + len(pairs)

        async def one(code: str) -> dict | None:
            async with gate:
                try:
                    return await self.chart(code, interval="1d", range_="1d")
                except UnknownSymbol:
                    return None

        results = await asyncio.gather(*(one(codes.yahoo(s)) for s in asked),
                                       *(one(codes.YAHOO_FX[p]) for p in pairs), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        for e in errors:
            if not isinstance(e, SourceError):
                raise e
        if results and len(errors) == len(results):
            raise errors[0]
        for symbol, result in zip(asked, results[:len(asked)], strict=True):
            if result is None:
                out.unknown.add(symbol)
            elif isinstance(result, dict):
                quote = quote_from_chart(symbol, result)
                if quote:
                    out.quotes[symbol] = quote
        for pair, result in zip(pairs, results[len(asked):], strict=True):
            if isinstance(result, dict):
                quote = quote_from_chart(pair, result)
                if quote and quote.last:
                    out.fx[pair] = FxRate(pair, quote.last, quote.prev_close, quote.time, NAME)
        return out
