"""The watchlist's rules on plain data: pairing, premium, parity, staleness, sorting, filtering."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from market.models import FxRate, Quote
from tui.watchlist_rows import build_rows, groups

HKT = ZoneInfo("Asia/Hong_Kong")
ET = ZoneInfo("America/New_York")
# A Wednesday afternoon in Hong Kong: HK trading, New York closed overnight.
NOW = datetime(2024, 11, 20, 14, 0, tzinfo=HKT)


def quote(symbol, last, prev, when, stale=False):
    return Quote(symbol, symbol, "HKD" if symbol.endswith(".HK") else "USD", last, prev,
                 change=round(last - prev, 3), change_pct=round((last / prev - 1) * 100, 2),
                 time=when, source="test", stale=stale)


QUOTES = {
    "9988.HK": quote("9988.HK", 100.0, 95.0, NOW - timedelta(minutes=1)),
    "BABA": quote("BABA", 94.64, 93.0, datetime(2024, 11, 19, 16, 0, tzinfo=ET)),
    "0700.HK": quote("0700.HK", 400.0, 410.0, NOW - timedelta(minutes=45)),
    "PDD": quote("PDD", 100.0, 100.0, datetime(2024, 11, 19, 16, 0, tzinfo=ET), stale=True),
}
FX = {"USDHKD": FxRate("USDHKD", 7.8456)}


def test_dual_listing_legs_are_paired_hk_first_whichever_leg_the_user_listed():
    assert [legs for _, legs in groups(["BABA", "0700.HK", "9988.HK"])] == [["9988.HK", "BABA"], ["0700.HK"]]


def test_hk_leg_carries_premium_over_ads_implied_price():
    rows = build_rows(["9988.HK"], QUOTES, FX, NOW)
    hk, adr = rows
    implied = 94.64 * 7.8456 / 8
    assert hk.symbol == "9988.HK" and adr.symbol == "BABA" and adr.leg == "ADR"
    assert abs(hk.parity - implied) < 0.01
    assert abs(hk.premium_pct - (100.0 / implied - 1) * 100) < 0.05
    assert adr.premium_pct is None
    assert abs(adr.parity - 100.0 * 8 / 7.8456) < 0.01


def test_sessions_and_staleness():
    rows = {r.symbol: r for r in build_rows(["9988.HK", "0700.HK", "PDD"], QUOTES, FX, NOW)}
    assert rows["9988.HK"].session == "open" and rows["BABA"].session == "closed"
    assert not rows["9988.HK"].stale
    assert rows["0700.HK"].stale, "45 minutes old while Hong Kong trades is stale"
    assert rows["PDD"].stale, "a quote served from the cache after a failure is stale"
    assert not rows["BABA"].stale, "last night's close is the right price while New York is closed"


def test_sort_by_change_keeps_pairs_together_and_filter_matches_names():
    rows = build_rows(["0700.HK", "9988.HK", "PDD"], QUOTES, FX, NOW, sort="change")
    assert [r.symbol for r in rows] == ["9988.HK", "BABA", "PDD", "0700.HK"]
    assert [r.symbol for r in build_rows(["0700.HK", "9988.HK"], QUOTES, FX, NOW, text_filter="腾讯")] == ["0700.HK"]
    assert [r.symbol for r in build_rows(["0700.HK", "9988.HK"], QUOTES, FX, NOW, text_filter="baba")] == [
        "9988.HK", "BABA"]


def test_a_symbol_without_a_quote_still_has_a_row():
    rows = build_rows(["1810.HK"], {}, FX, NOW)
    assert [r.symbol for r in rows] == ["1810.HK"] and rows[0].last is None
