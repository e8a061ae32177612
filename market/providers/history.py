"""Tencent history endpoints on `web.ifzq.gtimg.cn`: today's 1-minute line and daily klines.

Pitfalls (reference/providers.md sections 1.2-1.3): kline rows are `[date, open, CLOSE, high, low,
volume]` (close before high/low); the data key is `qfqday` for adjusted series and `day` otherwise;
US codes must carry the exchange suffix (`usBABA.N`; the bare code returns junk rows); minute volumes
are cumulative; an unparseable request answers `v_pv_none_match="1";` instead of JSON.
"""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from market import codes
from market.instruments import directory
from market.models import Bar
from market.providers.base import SourceGarbage
from market.providers.fields import EASTERN, HKT
from market.providers.http import get_bytes

NAME = "tencent"
_SUFFIX = {"NYSE": "N", "Nasdaq": "OQ", "NASDAQ": "OQ", "AMEX": "AM"}


def history_code(symbol: str, tencent_code: str | None = None) -> str:
    """`hk00700`, or `usBABA.N` (from the quote's field 2 when known, else the directory's exchange)."""
    if codes.is_hk(symbol):
        return codes.tencent(symbol)
    if tencent_code and "." in tencent_code:
        return f"us{tencent_code}"
    company = directory().company_of(symbol)
    suffix = _SUFFIX.get(company.us_exchange or "", "OQ") if company else "OQ"
    return f"us{symbol.replace('.', '')}.{suffix}"


def _zone(symbol: str) -> ZoneInfo:
    return HKT if codes.is_hk(symbol) else EASTERN


def _json(body: bytes) -> dict | None:
    """The JSON object in a body that may be wrapped as `kline_dayqfq={...}`; None for `v_pv_none_match`."""
    text = body.decode("utf-8", errors="replace").strip()
    if text.startswith("v_pv_none_match"):
        return None
    start = text.find("{")
    try:
        data = json.loads(text[start:]) if start >= 0 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SourceGarbage(NAME, "history body is not JSON")
    return data


def _entry(data: dict | None, code: str) -> dict | None:
    block = (data or {}).get("data")
    entry = block.get(code) if isinstance(block, dict) else None
    return entry if isinstance(entry, dict) else None


def parse_kline(body: bytes, code: str, symbol: str) -> list[Bar]:
    """Daily bars from an `fqkline` body, oldest first."""
    entry = _entry(_json(body), code)
    if entry is None:
        return []
    rows = next((entry[k] for k in ("qfqday", "day", "hfqday") if isinstance(entry.get(k), list)), [])
    zone = _zone(symbol)
    bars: list[Bar] = []
    for row in rows:
        try:
            day = datetime.strptime(str(row[0]), "%Y-%m-%d").replace(tzinfo=zone)
            o, c, h, lo = (float(row[i]) for i in (1, 2, 3, 4))
            v = float(row[5]) if len(row) > 5 and row[5] not in ("", None) else None
        except (IndexError, TypeError, ValueError):
            continue
        bars.append(Bar(day, o, h, lo, c, v))
    return bars


def parse_minute(body: bytes, code: str, symbol: str) -> list[Bar]:
    """1-minute bars from a `hkMinute`/`UsMinute` body: rows are `HHMM price cumvol cumamount`."""
    entry = _entry(_json(body), code)
    inner = entry.get("data") if entry else None
    if not isinstance(inner, dict):
        return []
    date = str(inner.get("date") or "")
    rows = inner.get("data") or []
    if len(date) != 8 or not date.isdigit() or not isinstance(rows, list):
        return []
    year, month, day = int(date[:4]), int(date[4:6]), int(date[6:8])
    zone = _zone(symbol)
    bars: list[Bar] = []
    previous = 0.0
    for row in rows:
        parts = str(row).split()
        try:
            hhmm, price, cumulative = parts[0], float(parts[1]), float(parts[2])
            when = datetime(year, month, day, int(hhmm[:2]), int(hhmm[2:4]), tzinfo=zone)
        except (IndexError, ValueError):
            continue
        bars.append(Bar(when, price, price, price, price, max(0.0, cumulative - previous)))
        previous = cumulative
    return bars


class TencentHistory:
    """Daily and intraday history for one symbol at a time (what the detail charts show)."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, deadline: float | None = None):
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline

    async def daily(self, symbol: str, count: int = 320, tencent_code: str | None = None) -> list[Bar]:
        code = history_code(symbol, tencent_code)
        market = "hk" if codes.is_hk(symbol) else "us"
        url = f"{self.base_url}/appstock/app/{market}fqkline/get?param={code},day,,,{count},qfq"
        _, body = await get_bytes(self.client, NAME, url, deadline=self.deadline)
        return parse_kline(body, code, symbol)

    async def intraday(self, symbol: str, tencent_code: str | None = None) -> list[Bar]:
        code = history_code(symbol, tencent_code)
        path = "hkMinute" if codes.is_hk(symbol) else "UsMinute"
        _, body = await get_bytes(self.client, NAME, f"{self.base_url}/appstock/app/{path}/query?code={code}",
                                  deadline=self.deadline)
        return parse_minute(body, code, symbol)
