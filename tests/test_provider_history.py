"""Tencent kline and minute endpoints: row order (close before high/low), data keys, US suffixed codes."""
from __future__ import annotations

import json
from datetime import datetime

import httpx

from market.providers.fields import EASTERN, HKT
from market.providers.history import TencentHistory, history_code, parse_kline, parse_minute
from market.providers.http import make_client


def kline_body(code: str, key: str = "qfqday", wrap: bool = True) -> bytes:
    rows = [["2026-03-10", "40.10", "41.00", "41.50", "39.90", "1200000.00"],
            ["2026-03-11", "41.00", "40.20", "41.20", "40.00", "900000.00", {"note": "dividend"}]]
    data = {"code": 0, "msg": "", "data": {code: {key: rows, "qt": {}, "prec": "40.00"}}}
    text = json.dumps(data)
    return (f"kline_dayqfq={text}" if wrap else text).encode()


def test_kline_rows_are_date_open_close_high_low_volume():
    bars = parse_kline(kline_body("hk01234"), "hk01234", "1234.HK")
    first = bars[0]
    assert (first.open, first.close, first.high, first.low, first.volume) == (40.1, 41.0, 41.5, 39.9, 1200000.0)
    assert first.time == datetime(2026, 3, 10, tzinfo=HKT)
    assert len(bars) == 2


def test_kline_plain_day_key_and_unwrapped_json():
    bars = parse_kline(kline_body("usZZAB.OQ", key="day", wrap=False), "usZZAB.OQ", "ZZAB")
    assert [b.close for b in bars] == [41.0, 40.2] and bars[0].time.tzinfo == EASTERN


def test_none_match_body_gives_no_bars():
    assert parse_kline(b'v_pv_none_match="1";', "hk01234", "1234.HK") == []


def test_minute_volumes_are_differences_of_cumulative():
    body = {"code": 0, "data": {"hk01234": {"data": {"date": "20260312", "data": [
        "0930 40.100 1000 40100.000", "0931 40.300 2500 100550.000", "0932 40.200 2600 104570.000"]}}}}
    bars = parse_minute(json.dumps(body).encode(), "hk01234", "1234.HK")
    assert [b.volume for b in bars] == [1000, 1500, 100]
    assert bars[1].time == datetime(2026, 3, 12, 9, 31, tzinfo=HKT) and bars[1].close == 40.3


def test_us_history_code_needs_the_exchange_suffix():
    assert history_code("BABA") == "usBABA.N"  # NYSE in the directory
    assert history_code("ZZAB") == "usZZAB.OQ"
    assert history_code("ZZAB", "ZZAB.N") == "usZZAB.N"  # the quote's field 2 wins
    assert history_code("0700.HK") == "hk00700"


async def test_history_urls():
    seen = []

    def handler(request):
        seen.append(str(request.url))
        if "fqkline" in request.url.path:
            return httpx.Response(200, content=kline_body("usBIDU.OQ"))
        return httpx.Response(200, json={"data": {}})

    hist = TencentHistory(make_client(3.0, transport=httpx.MockTransport(handler)), "http://ifzq.test")
    bars = await hist.daily("BIDU", count=30)
    assert len(bars) == 2
    assert await hist.intraday("1234.HK") == []
    assert seen[0] == "http://ifzq.test/appstock/app/usfqkline/get?param=usBIDU.OQ,day,,,30,qfq"
    assert seen[1] == "http://ifzq.test/appstock/app/hkMinute/query?code=hk01234"
