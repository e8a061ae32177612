"""Yahoo v8 chart: last-resort quotes (previous close pitfall), history bars, unknown symbols."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from market.providers.base import SourceGarbage
from market.providers.http import make_client
from market.providers.yahoo import YahooSource, bars_from_chart, chart_result, quote_from_chart

NY = ZoneInfo("America/New_York")
T0 = int(datetime(2026, 3, 9, 9, 30, tzinfo=NY).timestamp())


def chart(symbol="ZZAB", *, price=51.23, prev=50.0, chart_prev=None, stamps=(T0,), closes=(51.230000305,),
          hint=2, tz="America/New_York", currency="USD", range_="1d") -> dict:
    n = len(stamps)
    meta = {"currency": currency, "symbol": symbol, "exchangeTimezoneName": tz, "regularMarketPrice": price,
            "regularMarketTime": stamps[-1] + 3600, "chartPreviousClose": chart_prev if chart_prev is not None else prev,
            "regularMarketDayHigh": 52.0, "regularMarketDayLow": 49.5, "regularMarketVolume": 1200300,
            "shortName": "Zed Ab Holdings", "priceHint": hint, "range": range_, "dataGranularity": "1d"}
    if range_ == "1d":
        meta["previousClose"] = prev
    quote = {"open": [50.5] * n, "high": [52.0] * n, "low": [49.5] * n, "close": list(closes), "volume": [1000] * n}
    return {"chart": {"result": [{"meta": meta, "timestamp": list(stamps), "indicators": {"quote": [quote]}}],
                      "error": None}}


def yahoo_for(handler) -> YahooSource:
    return YahooSource(make_client(3.0, transport=httpx.MockTransport(handler)), "http://yahoo.test")


def test_quote_uses_previous_close_not_an_old_chart_previous_close():
    body = chart(prev=50.0, chart_prev=12.34)
    q = quote_from_chart("ZZAB", chart_result(json.dumps(body).encode(), 200))
    assert q.prev_close == 50.0 and q.change == 1.23 and q.change_pct == pytest.approx(2.46)
    assert q.open == 50.5 and q.high == 52.0 and q.low == 49.5 and q.volume == 1200300
    assert q.time.tzinfo == NY and q.time.isoformat() == "2026-03-09T10:30:00-04:00"
    assert q.name == "Zed Ab Holdings" and q.source == "yahoo"


async def test_fetch_asks_range_1d_per_symbol_and_reports_unknown():
    seen = []

    def handler(request):
        seen.append(str(request.url))
        if "NOPEZ" in request.url.path:
            return httpx.Response(404, json={"chart": {"result": None, "error": {"code": "Not Found"}}})
        if "HKD=X" in request.url.path:
            return httpx.Response(200, json=chart("HKD=X", price=7.8111, prev=7.81, currency="HKD", hint=4))
        return httpx.Response(200, json=chart())

    result = await yahoo_for(handler).fetch(["ZZAB", "NOPEZ"], ["USDHKD"])
    assert result.quotes["ZZAB"].last == 51.23
    assert result.unknown == {"NOPEZ"}
    assert result.fx["USDHKD"].rate == 7.8111
    assert all("range=1d" in u for u in seen) and result.requests == 3


async def test_every_request_failing_raises():
    with pytest.raises(SourceGarbage):
        await yahoo_for(lambda r: httpx.Response(200, content=b"<html>consent</html>")).fetch(["ZZAB"])


def test_history_rounds_float32_noise_and_skips_nulls():
    stamps = [T0, T0 + 86400, T0 + 2 * 86400]
    body = chart(stamps=stamps, closes=(51.230000305, None, 52.779998779), range_="5d")
    bars = bars_from_chart(chart_result(json.dumps(body).encode(), 200), daily=True)
    assert [b.close for b in bars] == [51.23, 52.78]
    assert bars[0].time == datetime(2026, 3, 9, tzinfo=NY)


async def test_history_of_unknown_symbol_is_empty():
    src = yahoo_for(lambda r: httpx.Response(404, content=b"Not Found"))
    assert await src.history("NOPEZ") == []


def test_error_without_result_is_garbage():
    body = {"chart": {"result": None, "error": {"code": "Bad Request", "description": "Invalid range"}}}
    with pytest.raises(SourceGarbage, match="Invalid range"):
        chart_result(json.dumps(body).encode(), 400)


def test_five_day_chart_uses_the_second_last_close_not_chart_previous_close():
    stamps = [T0 + i * 86400 for i in range(3)]
    body = chart(stamps=stamps, closes=(48.0, 50.0, 51.23), chart_prev=47.5, range_="5d")
    q = quote_from_chart("ZZAB", chart_result(json.dumps(body).encode(), 200))
    assert q.prev_close == 50.0 and q.change == 1.23


def test_intraday_range_without_previous_close_gives_none_rather_than_a_wrong_one():
    body = chart(chart_prev=47.5, range_="5d")
    body["chart"]["result"][0]["meta"]["dataGranularity"] = "5m"
    q = quote_from_chart("ZZAB", chart_result(json.dumps(body).encode(), 200))
    assert q.prev_close is None and q.change is None and q.open is None


def test_past_period_gives_no_previous_close_and_no_open():
    body = chart(stamps=(T0 - 400 * 86400, T0 - 399 * 86400), closes=(30.0, 31.0), chart_prev=29.0, range_="")
    body["chart"]["result"][0]["meta"]["regularMarketTime"] = T0 + 3600  # meta describes now, bars the past
    q = quote_from_chart("ZZAB", chart_result(json.dumps(body).encode(), 200))
    assert q.last == 51.23 and q.prev_close is None and q.open is None
