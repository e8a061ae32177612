"""Parity maths on fixed inputs (ratios 8, 2, 5, 1), the next-session implied move on both sides of
the clock, the ratio cross-check and missing or closed legs. Expected figures were worked by hand:
us_implied_hk = US x USDHKD / ratio, premium = HK / implied - 1."""
from __future__ import annotations

from datetime import datetime

import pytest

from market.instruments import directory
from market.models import FxRate, Quote
from market.parity import compute, leading_market, parse_ratio_hint, ratio_warning

HK_EVENING = datetime.fromisoformat("2025-02-21T17:00:00+08:00")  # HK closed, US not yet open


def company(key: str):
    c = directory().company(key)
    assert c is not None
    return c


def hk_quote(symbol: str, last: float | None, **kw) -> Quote:
    return Quote(symbol, None, "HKD", last, **kw)


def us_quote(symbol: str, last: float | None, **kw) -> Quote:
    return Quote(symbol, None, "USD", last, **kw)


def fx(rate: float, **kw) -> FxRate:
    return FxRate("USDHKD", rate, **kw)


@pytest.mark.parametrize(("key", "ratio", "hk", "us", "rate", "implied", "premium", "hk_in_usd"), [
    # 123 x 7.8 / 8 = 119.925; 120 / 119.925 = +0.0625 %; 120 x 8 / 7.8 = 123.0769
    ("alibaba", 8, 120.0, 123.0, 7.8, 119.925, 0.0625391, 123.0769231),
    # 38 x 7.8 / 2 = 148.2; 150 / 148.2 = +1.2146 %
    ("jd", 2, 150.0, 38.0, 7.8, 148.2, 1.2145749, 38.4615385),
    # 100 x 7.8 / 5 = 156; 150 / 156 = -3.8462 %
    ("netease", 5, 150.0, 100.0, 7.8, 156.0, -3.8461538, 96.1538462),
    # 5 x 7.8 / 1 = 39; 40 / 39 = +2.5641 %
    ("nio", 1, 40.0, 5.0, 7.8, 39.0, 2.5641026, 5.1282051),
    # the check's figures: 94.64 x 7.8456 / 8 = 92.813448; 100 / 92.813448 = +7.7430 %; 800 / 7.8456 = 101.9680
    ("alibaba", 8, 100.0, 94.64, 7.8456, 92.813448, 7.7430072, 101.9679821),
])
def test_parity_maths(key, ratio, hk, us, rate, implied, premium, hk_in_usd):
    c = company(key)
    p = compute(c, hk_quote(c.hk_symbol, hk), us_quote(c.us_symbol, us), fx(rate), HK_EVENING)
    assert p is not None
    assert p.ratio == ratio
    assert p.us_implied_hk == pytest.approx(implied, abs=1e-6)
    assert p.premium_pct == pytest.approx(premium, abs=1e-6)
    assert p.hk_implied_us == pytest.approx(hk_in_usd, abs=1e-6)
    j = p.to_json()
    assert {"company", "hk_symbol", "us_symbol", "ratio", "usdhkd", "hk_last", "us_last",
            "us_implied_hk", "premium_pct", "time"} <= j.keys()
    assert (j["hk_symbol"], j["us_symbol"], j["ratio"]) == (c.hk_symbol, c.us_symbol, ratio)
    assert j["us_implied_hk"] == pytest.approx(implied, abs=1e-4)
    assert j["premium_pct"] == pytest.approx(premium, abs=1e-4)


def test_hong_kong_jump_implies_the_us_move():
    """HK closes 5% above what the US close implies: the US session should open ~5% higher."""
    c = company("alibaba")
    hk = hk_quote("9988.HK", 115.5, prev_close=100.0)
    us = us_quote("BABA", 110.0)  # with USDHKD 8 and ratio 8, 1 ADS = 1 HK share in price
    p = compute(c, hk, us, fx(8.0), HK_EVENING)
    assert p.next_session == "US"
    assert p.implied_us_move_pct == pytest.approx(5.0)
    assert p.implied_hk_move_pct is None
    assert p.hk_implied_us == pytest.approx(115.5)


def test_us_close_implies_the_hong_kong_move():
    c = company("alibaba")
    after_us_close = datetime.fromisoformat("2025-02-21T20:30:00-05:00")  # Sat 09:30 HKT: HK shut
    p = compute(c, hk_quote("9988.HK", 115.5), us_quote("BABA", 121.0), fx(8.0), after_us_close)
    assert p.next_session == "HK"
    assert p.implied_hk_move_pct == pytest.approx(121.0 / 115.5 * 100 - 100)  # +4.7619 %
    assert p.implied_us_move_pct is None
    assert (p.hk_state, p.us_state) == ("closed", "closed")


@pytest.mark.parametrize(("at", "leader"), [
    ("2025-02-21T10:30:00+08:00", "HK"),  # HK trading
    ("2025-02-21T12:30:00+08:00", "HK"),  # HK lunch: the morning is newer than last night's US close
    ("2025-02-21T17:00:00+08:00", "HK"),  # HK closed, US shut
    ("2025-02-21T05:00:00-05:00", "HK"),  # US pre-market: the US close is still yesterday's
    ("2025-02-21T10:00:00-05:00", "US"),  # US trading
    ("2025-02-21T18:00:00-05:00", "US"),  # US after-hours
    ("2025-02-24T09:15:00+08:00", "US"),  # Monday HK pre-open after a US Friday
    ("2025-01-30T10:00:00-05:00", "US"),  # Lunar New Year: HK shut, US trades
    ("2024-11-29T09:00:00+08:00", "HK"),  # Thanksgiving Thursday was an HK trading day
])
def test_leading_market(at, leader):
    assert leading_market(datetime.fromisoformat(at)) == leader


def test_during_us_session_live_us_price_implies_hk_move():
    c = company("jd")
    us_open = datetime.fromisoformat("2025-02-21T11:00:00-05:00")
    p = compute(c, hk_quote("9618.HK", 150.0), us_quote("JD", 40.0), fx(7.8), us_open)
    # 40 x 7.8 / 2 = 156 against the HK close of 150
    assert p.implied_hk_move_pct == pytest.approx(4.0)
    assert p.us_state == "open"


@pytest.mark.parametrize(("hint", "ratio"), [
    ("1:8", 8.0), (" 1 : 2 ", 2.0), ("5:1", 0.2), ("1:1", 1.0),
    ("", None), (None, None), ("abc", None), ("0:8", None), ("1:", None),
])
def test_parse_ratio_hint(hint, ratio):
    assert parse_ratio_hint(hint) == ratio


def test_ratio_mismatch_warns_and_keeps_the_directory_ratio():
    c = company("alibaba")
    us = us_quote("BABA", 80.0, ads_ratio_hint="1:10")
    p = compute(c, hk_quote("9988.HK", 78.0), us, fx(7.8), HK_EVENING)
    assert p.ratio == 8
    assert p.us_implied_hk == pytest.approx(80.0 * 7.8 / 8)
    assert p.ratio_warning and "8" in p.ratio_warning and "1:10" in p.ratio_warning
    assert p.to_json()["ratio_warning"] == p.ratio_warning


def test_ratio_agreement_is_silent():
    assert ratio_warning(company("alibaba"), "1:8") is None
    assert ratio_warning(company("nio"), "1:1") is None
    assert ratio_warning(company("netease"), "1:25") is not None  # the pre-2020 ratio
    assert ratio_warning(company("jd"), None) is None


def test_missing_leg_or_fx_leaves_only_what_can_be_computed():
    c = company("alibaba")
    only_us = compute(c, None, us_quote("BABA", 100.0), fx(7.8), HK_EVENING)
    assert only_us.us_implied_hk == pytest.approx(97.5)
    assert only_us.hk_last is None and only_us.premium_pct is None
    assert only_us.implied_us_move_pct is None
    no_fx = compute(c, hk_quote("9988.HK", 100.0), us_quote("BABA", 100.0), None, HK_EVENING)
    assert no_fx.us_implied_hk is None and no_fx.premium_pct is None and no_fx.usdhkd is None
    no_price = compute(c, hk_quote("9988.HK", None), us_quote("BABA", None), fx(7.8), HK_EVENING)
    assert no_price is None
    assert compute(c, None, None, fx(7.8), HK_EVENING) is None


def test_single_listing_has_no_parity():
    tencent = company("tencent")
    assert compute(tencent, hk_quote("0700.HK", 400.0), None, fx(7.8), HK_EVENING) is None


def test_closed_leg_contributes_its_last_price_and_time_is_the_newest_quote():
    c = company("nio")
    hk_time = datetime.fromisoformat("2025-02-21T16:08:00+08:00")
    us_time = datetime.fromisoformat("2025-02-20T16:00:00-05:00")
    hk = hk_quote("9866.HK", 40.0, prev_close=38.0, time=hk_time)
    us = us_quote("NIO", 5.0, prev_close=4.5, time=us_time, stale=True)
    p = compute(c, hk, us, fx(7.8), HK_EVENING)
    assert p.us_last == 5.0  # its last, not its previous close
    assert p.hk_last == 40.0
    assert p.time == hk_time and p.stale
    j = p.to_json()
    assert j["time"] == "2025-02-21T16:08:00+08:00"
    assert j["us_time"] == "2025-02-20T16:00:00-05:00"
    assert j["stale"] is True
