"""Tencent quote parsing and batching, through httpx.MockTransport on our own wire-format lines."""
from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from quote_lines import tencent_body, tencent_fx, tencent_hk, tencent_us

from market.providers.base import SourceGarbage, SourceHTTPError, SourceRateLimited, SourceResult
from market.providers.fields import EASTERN, HKT
from market.providers.http import make_client
from market.providers.tencent import TencentSource, absorb, parse_hk, parse_us


def source_for(handler) -> TencentSource:
    return TencentSource(make_client(3.0, transport=httpx.MockTransport(handler)), "http://tencent.test")


def codes_of(request: httpx.Request) -> list[str]:
    return request.url.path.split("/q=", 1)[1].split(",")


async def test_hk_78_field_line_field_for_field():
    line = tencent_hk("09988", last="101.500", prev="100.000", open_="100.200", high="102.300", low="99.800",
                      volume="2500000.0", stamp="2026/03/12 16:08:05", change="1.500", pct="1.50")
    src = source_for(lambda r: httpx.Response(200, content=tencent_body({"hk09988": line})))
    result = await src.fetch(["9988.HK"])
    q = result.quotes["9988.HK"]
    assert (q.last, q.prev_close, q.open, q.high, q.low) == (101.5, 100.0, 100.2, 102.3, 99.8)
    assert (q.change, q.change_pct, q.volume) == (1.5, 1.5, 2500000)
    assert isinstance(q.volume, int)
    assert q.time == datetime(2026, 3, 12, 16, 8, 5, tzinfo=HKT)
    assert q.time.isoformat() == "2026-03-12T16:08:05+08:00"
    assert q.currency == "HKD" and q.source == "tencent" and not q.stale
    assert q.name == "Alibaba Group"  # the directory's name wins for a known listing
    assert q.extra["lot_size"] == 500 and q.extra["market_cap"] == 215050000000
    assert result.requests == 1


@pytest.mark.parametrize("n_fields", [60, 75, 78])
def test_every_hk_layout_parses(n_fields):
    q = parse_hk("1234.HK", tencent_hk("01234", n_fields=n_fields).split("~"))
    assert q is not None and q.last == 101.5 and q.high == 102.3 and q.currency == "HKD"
    assert q.name == "TESTTECH"
    assert q.extra["lot_size"] == (None if n_fields == 60 else 500)


def test_rmb_counter_currency_from_field_75():
    q = parse_hk("1234.HK", tencent_hk("01234", currency="CNY").split("~"))
    assert q.currency == "CNY"


def test_short_or_priceless_lines_are_rejected_not_raised():
    assert parse_hk("1234.HK", tencent_hk().split("~")[:20]) is None
    fields = tencent_hk().split("~")
    fields[3] = ""
    assert parse_hk("1234.HK", fields) is None
    assert parse_us("BIDU", tencent_us().split("~")[:30]) is None


@pytest.mark.parametrize("stamp,offset", [("2026-03-11 16:00:02", "-04:00"), ("2026-01-15 16:00:02", "-05:00")])
def test_us_line_in_eastern_time_with_ads_ratio(stamp, offset):
    q = parse_us("BIDU", tencent_us("BIDU", stamp=stamp, ratio="1:8").split("~"))
    assert q.time.tzinfo == EASTERN and q.time.isoformat().endswith(offset)
    assert (q.last, q.prev_close, q.change, q.change_pct, q.volume) == (88.2, 90.0, -1.8, -2.0, 4100000)
    assert q.ads_ratio_hint == "1:8" and q.extra["tencent_code"] == "BIDU.OQ" and q.currency == "USD"


def test_us_69_field_layout_and_missing_ratio():
    q = parse_us("ZZTOP", tencent_us("ZZTOP", ratio="", n_fields=69).split("~"))
    assert q.last == 88.2 and q.ads_ratio_hint is None and q.name == "Test Corp ADR"


async def test_unknown_codes_and_empty_values():
    body = tencent_body({"hk09988": tencent_hk(), "usNOPEX": None}) + b'v_hk04321="";\n'
    src = source_for(lambda r: httpx.Response(200, content=body))
    result = await src.fetch(["9988.HK", "NOPEX", "4321.HK"])
    assert set(result.quotes) == {"9988.HK"}
    assert result.unknown == {"NOPEX", "4321.HK"}


def test_r_hk_lines_on_one_line_are_read():
    body = (f'v_r_hk01234="{tencent_hk("01234")}"; v_r_hk05678="{tencent_hk("05678", last="3.210")}";').encode(
        "gb18030").decode("gb18030")
    out = SourceResult()
    absorb(body, {"hk01234": "1234.HK", "hk05678": "5678.HK"}, {}, out)
    assert out.quotes["5678.HK"].last == 3.21 and out.quotes["1234.HK"].last == 101.5


def test_truncated_body_drops_the_cut_line_without_calling_it_unknown():
    full = tencent_body({"hk01234": tencent_hk("01234"), "hk05678": tencent_hk("05678")}).decode("gb18030")
    out = SourceResult()
    absorb(full[: len(full) - 40], {"hk01234": "1234.HK", "hk05678": "5678.HK"}, {}, out)
    assert set(out.quotes) == {"1234.HK"} and out.unknown == set()


async def test_gb18030_chinese_name_when_no_english_name():
    line = tencent_hk("01234", name_zh="测试控股", name_en="")
    src = source_for(lambda r: httpx.Response(200, content=tencent_body({"hk01234": line})))
    assert (await src.fetch(["1234.HK"])).quotes["1234.HK"].name == "测试控股"


def test_control_characters_stripped_from_names():
    q = parse_hk("1234.HK", tencent_hk("01234", name_en="EVIL\x1b[31mCO\u202e").split("~"))
    assert q.name == "EVIL[31mCO"


async def test_fx_pairs_in_the_same_batch():
    seen = []

    def handler(request):
        seen.append(codes_of(request))
        return httpx.Response(200, content=tencent_body({"hk09988": tencent_hk(), "whUSDHKD": tencent_fx()}))

    result = await source_for(handler).fetch(["9988.HK"], ["USDHKD", "USDCNH"])  # no CNH on Tencent
    assert seen == [["hk09988", "whUSDHKD"]]
    fx = result.fx["USDHKD"]
    assert fx.rate == 7.8123 and fx.prev_close == 7.8101
    assert fx.time.isoformat() == "2026-03-12T15:30:00+08:00"


async def test_batches_of_60_fetched_concurrently_with_browser_headers():
    symbols = [f"{i:04d}.HK" for i in range(1, 131)]
    arrived: list[httpx.Request] = []
    all_in = asyncio.Event()

    async def handler(request):
        arrived.append(request)
        if len(arrived) == 3:
            all_in.set()
        await asyncio.wait_for(all_in.wait(), 2)  # every batch is in flight before any is answered
        return httpx.Response(200, content=tencent_body({c: tencent_hk(c[2:]) for c in codes_of(request)}))

    result = await source_for(handler).fetch(symbols)
    assert len(result.quotes) == 130 and result.requests == 3
    assert sorted(len(codes_of(r)) for r in arrived) == [10, 60, 60]
    for r in arrived:
        assert r.headers["Referer"] == "https://gu.qq.com/"
        assert r.headers["User-Agent"].startswith("Mozilla/5.0")


async def test_one_failed_batch_keeps_the_others():
    def handler(request):
        codes = codes_of(request)
        if "hk00001" in codes:
            return httpx.Response(500)
        return httpx.Response(200, content=tencent_body({c: tencent_hk(c[2:]) for c in codes}))

    result = await source_for(handler).fetch([f"{i:04d}.HK" for i in range(1, 71)])
    assert len(result.quotes) == 10 and not result.unknown


@pytest.mark.parametrize("response,error", [
    (httpx.Response(200, content=b"\x00\xff<html>nope</html>"), SourceGarbage),
    (httpx.Response(502), SourceHTTPError),
    (httpx.Response(429, headers={"Retry-After": "12"}), SourceRateLimited),
])
async def test_failures_are_typed(response, error):
    with pytest.raises(error) as caught:
        await source_for(lambda r: response).fetch(["9988.HK"])
    if error is SourceRateLimited:
        assert caught.value.retry_after == 12


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="0123456789./:-~ ABCDX", max_size=12), max_size=90))
def test_parsers_never_raise_on_arbitrary_fields(fields):
    for parse in (parse_hk, parse_us):
        q = parse("1234.HK", fields)
        assert q is None or isinstance(q.last, float)
