"""The instruments directory: canonical ids from every form users and sources write, and each
source's code for them."""
from __future__ import annotations

import pytest

from market import codes
from market.instruments import SymbolError, directory, normalise


@pytest.mark.parametrize("raw, canonical", [
    ("9988", "9988.HK"), ("09988", "9988.HK"), ("09988.HK", "9988.HK"), ("9988.hk", "9988.HK"),
    ("hk09988", "9988.HK"), ("r_hk09988", "9988.HK"), ("HK:9988", "9988.HK"), ("HKEX 00700", "0700.HK"),
    ("700", "0700.HK"), ("116.00700", "0700.HK"), ("rt_hk01810", "1810.HK"),
    ("baba", "BABA"), ("BABA.N", "BABA"), ("usBABA", "BABA"), ("gb_baba", "BABA"), ("NYSE: BABA", "BABA"),
    ("AAPL.OQ", "AAPL"), ("PDD.US", "PDD"), ("106.BABA", "BABA"), ("gb_brk$b", "BRK.B"), ("BRK.B", "BRK.B"),
    ("阿里巴巴", "9988.HK"), ("alibaba", "9988.HK"), ("Tencent", "0700.HK"), ("腾讯控股", "0700.HK"),
    ("JD", "JD"), ("jd", "JD"), ("京东", "9618.HK"), ("NIO", "NIO"), ("Temu", "PDD"),
])
def test_every_written_form_normalises_to_the_canonical_id(raw, canonical):
    assert normalise(raw) == canonical
    assert normalise(canonical) == canonical, "a canonical id is a fixed point"


def test_any_well_formed_code_works_outside_the_directory():
    assert normalise("02382") == "2382.HK" and normalise("TSLA") == "TSLA"
    assert directory().listing("TSLA").company is None and directory().listing("TSLA").currency == "USD"


def test_a_class_letter_that_is_also_an_exchange_suffix_stays_canonical():
    assert normalise("A$K") == normalise("A.K") == "A"


@pytest.mark.parametrize("bad", ["", "   ", "??not a symbol??", "0", "123456", "a b c", "x" * 40])
def test_malformed_input_gets_a_readable_error(bad):
    with pytest.raises(SymbolError) as error:
        normalise(bad)
    assert str(error.value)


def test_directory_covers_the_china_tech_names_with_ratios():
    d = directory()
    listings = [s for c in d.companies for s in c.symbols]
    assert len(listings) >= 40
    ratios = {c.us_symbol: c.ads_ratio for c in d.companies if c.us_symbol}
    assert (ratios["BABA"], ratios["JD"], ratios["BIDU"], ratios["NTES"], ratios["NIO"], ratios["PDD"]) == (8, 2, 8, 5, 1, 4)
    alibaba = d.company("alibaba")
    assert alibaba.is_dual_listed and alibaba.fiscal_year_end == "03-31" and alibaba.name_zh == "阿里巴巴"
    assert not d.company("tencent").is_dual_listed


def test_each_source_code_is_derived_in_one_place():
    assert (codes.tencent("9988.HK"), codes.tencent("BABA")) == ("hk09988", "usBABA")
    assert (codes.sina("0700.HK"), codes.sina("BABA"), codes.sina("BRK.B")) == ("rt_hk00700", "gb_baba", "gb_brk$b")
    assert (codes.yahoo("0700.HK"), codes.yahoo("BRK.B")) == ("0700.HK", "BRK-B")
    assert (codes.eastmoney("0700.HK"), codes.eastmoney("BABA"), codes.eastmoney("PDD")) == (
        "116.00700", "106.BABA", "105.PDD")


def test_search_completes_by_code_english_and_chinese_name():
    d = directory()
    assert d.search("9988")[0][0] == "9988.HK"
    assert {s for s, _ in d.search("ali")} >= {"9988.HK", "BABA"}
    assert d.search("腾讯")[0][1].id == "tencent"
