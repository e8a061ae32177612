"""Company tagging: names, Chinese names, aliases and tickers in the forms news writes them."""
from __future__ import annotations

import pytest

from news.tagging import companies_in, mentions, tickers_in


def names(text: str) -> list[str]:
    return [c.name_en for c in companies_in(text)]


@pytest.mark.parametrize(
    "text, company",
    [
        ("Alibaba Group Holding reported", "Alibaba Group"),
        ("shares of alibaba climbed", "Alibaba Group"),
        ("\u963f\u91cc\u5df4\u5df4\u53d1\u5e03\u4e1a\u7ee9", "Alibaba Group"),
        ("\u817e\u8baf\u63a7\u80a1\u80a1\u4ef7", "Tencent"),
        ("Tencent Holdings said", "Tencent"),
        ("JD.com posted", "JD.com"),
        ("the Temu parent reported", "PDD Holdings"),
        ("Pinduoduo owner", "PDD Holdings"),
        ("Ctrip, now called", "Trip.com Group"),
        ("Trip.com Group-S rose", "Trip.com Group"),
        ("Nio's deliveries", "NIO"),
        ("Xpeng shares", "XPeng"),
        ("Li Autos shares", "Li Auto"),
        ("Kuaishou Technology", "Kuaishou"),
        ("BYD Company", "BYD"),
    ],
)
def test_names_and_aliases(text, company):
    assert names(text) == [company]


@pytest.mark.parametrize(
    "text, symbol",
    [
        ("(NYSE: BABA)", "BABA"),
        ("NYSE:BABA", "BABA"),
        ("9988.HK", "9988.HK"),
        ("(HK:9988)", "9988.HK"),
        ("[HKG: 9888]", "9888.HK"),
        ("HKEX 00700", "0700.HK"),
        ("HKEX: 9618", "9618.HK"),
        ("SEHK: 700", "0700.HK"),
        ("Trip.com (09961) fell", "9961.HK"),
        ("Xpeng (9868) rose", "9868.HK"),
        ("U.S.-listed shares (XPEV.N)", "XPEV"),
        ("PDD.US traded", "PDD"),
        ("(ticker: BIDU)", "BIDU"),
        ("(NASDAQ: LI)", "LI"),
        ("BABA rose", "BABA"),
    ],
)
def test_ticker_forms(text, symbol):
    assert tickers_in(text) == [symbol]
    assert companies_in(text), text


def test_dual_listing_in_one_parenthesis():
    text = "JD.com, Inc. (NASDAQ: JD and HKEX: 9618) announced"
    assert tickers_in(text) == ["JD", "9618.HK"]
    assert names(text) == ["JD.com"]


def test_unknown_ticker_with_exchange_is_still_a_ticker():
    assert tickers_in("Tesla (NASDAQ:TSLA) cut prices") == ["TSLA"]
    assert names("Tesla (NASDAQ:TSLA) cut prices") == []


@pytest.mark.parametrize(
    "text",
    [
        "LI said the outlook was weak",          # LI as a word is never Li Auto
        "the adjusted figures were jdx-based",   # jd inside a word
        "a (2019) filing and (ADS) and (GMV)",   # years and abbreviations in parentheses
        "He paid $B2B fees",                     # not a cashtag we know
        "onions for a unionist",                 # "nio" inside words
    ],
)
def test_no_false_positives(text):
    assert names(text) == [], text
    assert tickers_in(text) == [], text


def test_longest_name_wins():
    assert names("Tencent Music Entertainment rose") == ["Tencent Music"]
    assert names("Alibaba Health fell while JD Health rose") == ["Alibaba Health", "JD Health"]


def test_mentions_are_in_order_with_positions():
    text = "Baidu and NetEase (NASDAQ: NTES) and \u5c0f\u7c73"
    found = mentions(text)
    assert [text[m.start:m.end] for m in found] == ["Baidu", "NetEase", "NASDAQ: NTES", "\u5c0f\u7c73"]
    assert [m.company.name_en for m in found] == ["Baidu", "NetEase", "NetEase", "Xiaomi"]
