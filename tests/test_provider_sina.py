"""Sina quote parsing through httpx.MockTransport: rt_hk, gb_, fx_s lines of our own, Referer, unknowns."""
from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from quote_lines import sina_body, sina_fx, sina_hk, sina_us

from market.providers.base import SourceGarbage, SourceResult
from market.providers.fields import EASTERN, HKT
from market.providers.http import make_client
from market.providers.sina import SinaSource, absorb, parse_hk, parse_us


def source_for(handler) -> SinaSource:
    return SinaSource(make_client(3.0, transport=httpx.MockTransport(handler)), "http://sina.test")


async def test_one_request_with_referer_for_hk_us_and_fx():
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, content=sina_body({
            "rt_hk01234": sina_hk(), "gb_zzab": sina_us(), "fx_susdhkd": sina_fx(), "gb_nope": "",
        }))

    result = await source_for(handler).fetch(["1234.HK", "ZZAB", "NOPE"], ["USDHKD"])
    assert len(seen) == 1 and result.requests == 1
    assert seen[0].url.path == "/list=rt_hk01234,gb_zzab,gb_nope,fx_susdhkd"
    assert seen[0].headers["Referer"] == "https://finance.sina.com.cn/"
    assert result.unknown == {"NOPE"}

    hk = result.quotes["1234.HK"]
    assert (hk.last, hk.prev_close, hk.open, hk.high, hk.low, hk.volume) == (101.4, 100.0, 100.2, 102.3, 99.8, 2400000)
    assert (hk.change, hk.change_pct) == (1.4, 1.4) and hk.name == "TESTTECH" and hk.source == "sina"
    assert hk.time == datetime(2026, 3, 12, 16, 8, 7, tzinfo=HKT)

    fx = result.fx["USDHKD"]
    assert (fx.rate, fx.prev_close) == (7.813, 7.81) and fx.time.isoformat() == "2026-03-12T15:30:00+08:00"


def test_us_time_is_beijing_converted_to_eastern():
    q = parse_us("ZZAB", sina_us(beijing="2026-03-12 04:00:01").split(","))
    assert q.time.tzinfo == EASTERN
    assert q.time.isoformat() == "2026-03-11T16:00:01-04:00"
    assert (q.last, q.prev_close, q.change, q.change_pct, q.open) == (88.1, 90.0, -1.9, -2.11, 89.5)
    assert q.name == "测试美股" and q.currency == "USD"


def test_winter_conversion():
    q = parse_us("ZZAB", sina_us(beijing="2026-01-16 05:00:00").split(","))
    assert q.time.isoformat() == "2026-01-15T16:00:00-05:00"


def test_hk_minute_only_time_and_short_19_field_layout():
    fields = sina_hk(clock="16:08").split(",")[:19]
    q = parse_hk("1234.HK", fields)
    assert q.time == datetime(2026, 3, 12, 16, 8, tzinfo=HKT)


def test_known_listing_uses_directory_name():
    assert parse_hk("9988.HK", sina_hk().split(",")).name == "Alibaba Group"


def test_short_lines_rejected():
    assert parse_hk("1234.HK", sina_hk().split(",")[:10]) is None
    assert parse_us("ZZAB", sina_us().split(",")[:20]) is None


def test_fx_without_date_has_no_time():
    out = SourceResult()
    line = ",".join(sina_fx().split(",")[:15])
    absorb(f'var hq_str_fx_susdcnh="{line}";\n', {}, {"fx_susdcnh": "USDCNH"}, out)
    assert out.fx["USDCNH"].rate == 7.813 and out.fx["USDCNH"].time is None


@pytest.mark.parametrize("body", [b"FAILED", b"<html>blocked</html>", b""])
async def test_bodies_without_lines_are_garbage(body):
    with pytest.raises(SourceGarbage):
        await source_for(lambda r: httpx.Response(200, content=body)).fetch(["1234.HK"])


async def test_dotted_tickers_use_dollar():
    seen = []

    def handler(request):
        seen.append(request.url.path)
        return httpx.Response(200, content=sina_body({"gb_brk$b": sina_us()}))

    result = await source_for(handler).fetch(["BRK.B"])
    assert seen == ["/list=gb_brk$b"] and result.quotes["BRK.B"].last == 88.1
