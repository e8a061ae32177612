"""Stock moves and reporting periods, on sentences written for these tests."""
from __future__ import annotations

import pytest

from news.extract import extract


def moves(text: str) -> list[tuple]:
    return [(m["company"], m["direction"], m["pct"], m["market"]) for m in extract(text).to_json()["moves"]]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Alibaba jumped 15% in the Hong Kong market.", ("Alibaba Group", "up", 15.0, "HK")),
        ("JD.com fell 3.2% in New York premarket trading.", ("JD.com", "down", 3.2, "US")),
        ("Baidu's ADRs rose 4.5% on Friday.", ("Baidu", "up", 4.5, "US")),
        ("Tencent shares jump over 6 per cent in early Hong Kong trading", ("Tencent", "up", 6.0, "HK")),
        ("NetEase stock pops nearly 9% as games sales soar", ("NetEase", "up", 9.0, None)),
        ("Xiaomi fell by -2.15% in Hong Kong trading.", ("Xiaomi", "down", 2.15, "HK")),
        ("NIO slid 7.1% to $5.06 on Tuesday.", ("NIO", "down", 7.1, "US")),
        ("HK shares of Xpeng (9868.HK) rise 5.5% to HK$90.1.", ("XPeng", "up", 5.5, "HK")),
        ("Meituan's shares ended 4.4 percent down at HKD101.2 (USD12.9) each.", ("Meituan", "down", 4.4, "HK")),
        ("Bilibili's American depositary receipts were down 2.7% in premarket.", ("Bilibili", "down", 2.7, "US")),
    ],
)
def test_move_phrasings(text, expected):
    assert moves(text) == [expected]


def test_several_moves_and_companies_in_one_sentence():
    text = "Among rivals, shares of XPeng Inc. dropped 3.1% to $19.80 and Li Auto Inc. shed 1.4% to $22.10."
    assert moves(text) == [("XPeng", "down", 3.1, "US"), ("Li Auto", "down", 1.4, "US")]


def test_peak_and_later_level_are_two_moves():
    text = ("Tencent rose as much as 6.2 per cent to HK$480.40 in early trading. "
            "The stock later eased to HK$470, still a 4.1 per cent rise.")
    assert moves(text) == [("Tencent", "up", 6.2, "HK"), ("Tencent", "up", 4.1, "HK")]


def test_coreference_and_level_below_issue_price():
    text = ("Kuaishou reported results late yesterday. After plunging by as much as 9.4 percent this afternoon, "
            "the shares closed 6.0 percent lower. The stock is 35 percent below its issue price.")
    assert moves(text) == [("Kuaishou", "down", 9.4, "HK"), ("Kuaishou", "down", 6.0, "HK"),
                           ("Kuaishou", "down", 35.0, "HK")]


def test_index_moves_metric_growth_and_widgets_are_not_moves():
    assert moves("The Hang Seng Tech Index fell 2.3% while the benchmark rose 0.5%.") == []
    assert moves("Xiaomi Q2 revenue falls 3.6 percent to 81.2 billion yuan") == []
    assert moves("Net profit at the carmaker tumbled 25 per cent in the quarter.") == []
    text = "Shares of JD.com Inc. JD,\n+4.12%\nrose 2.2% in premarket trading."
    assert moves(text) == [("JD.com", "up", 2.2, "US")]


def test_move_without_a_number_only_when_no_sized_move():
    assert moves("PDD Holdings shares are sinking after results missed.") == [("PDD Holdings", "down", None, "US")]
    assert moves("Alibaba shares fell. Alibaba shares fell 4% in Hong Kong.") == [("Alibaba Group", "down", 4.0, "HK")]


def test_market_value_added_is_a_metric_and_the_move_is_kept():
    x = extract("Tencent adds $18 billion in value as shares surge 4 percent following earnings beat").to_json()
    assert [(m["name"], m["value"]) for m in x["metrics"]] == [("market_cap_change", 18e9)]
    assert [(m["direction"], m["pct"]) for m in x["moves"]] == [("up", 4.0)]


@pytest.mark.parametrize(
    "text, label, end",
    [
        ("results for the three months ended December 31", "three months ended December 31", "--12-31"),
        ("for the quarter ended September 30, 2024.", "quarter ended September 30, 2024", "2024-09-30"),
        ("Q3 2024 revenue", "Q3 2024", "2024-09-30"),
        ("its 2025Q1 numbers", "2025Q1", "2025-03-31"),
        ("sales in the December quarter", "December quarter", "--12-31"),
        ("for the April-June period", "April-June period", "--06-30"),
        ("Second Quarter 2023 Highlights", "Second Quarter 2023", "2023-06-30"),
        ("the fourth quarter of 2019", "fourth quarter of 2019", "2019-12-31"),
        ("in the fourth quarter", "fourth quarter", None),
        ("fiscal first quarter results", "fiscal first quarter", None),
        ("fiscal Q2 sales", "fiscal Q2", None),
        ("Q1 revenue", "Q1", None),
    ],
)
def test_periods(text, label, end):
    period = extract(text).to_json()["period"]
    assert period == {"label": label, "end": end}


def test_dated_period_wins_over_a_bare_quarter():
    period = extract("Q2 was strong. Results for the second quarter ended June 30, 2025 follow.").to_json()["period"]
    assert period["end"] == "2025-06-30"


def test_no_period():
    assert extract("Shares rose 3% on Monday.").to_json()["period"] is None


def test_restated_move_and_unknown_company():
    assert moves("Nio's ADRs jumped 9.7%, or 9.698% to be exact.") == [
        ("NIO", "up", 9.7, "US"), ("NIO", "up", 9.698, "US")]
    assert moves("Trip.com shares fell 5.1% in New York while Tesla (NASDAQ:TSLA) rose 2%.") == [
        ("Trip.com Group", "down", 5.1, "US"), (None, "up", 2.0, "US")]


def test_growth_of_a_count_is_not_a_move():
    assert moves("BYD sold 380,210 new energy vehicles in May, up 15% from a year earlier.") == []


def test_a_company_after_a_metric_and_a_preposition_is_not_a_moving_stock():
    text = ("Profit attributable to Kuaishou fell 9% to RMB 3.3 billion, while revenue at Kuaishou's "
            "e-commerce arm rose 4%. Sales from JD grew 6%.")
    result = extract(text)
    assert result.moves == [], result.moves
    assert {m.change_pct for m in result.metrics} >= {-9.0}


def test_shares_of_a_company_still_move():
    result = extract("Shares of NIO fell 6% in New York after the carmaker cut its delivery outlook.")
    assert [(m.direction, m.pct, m.market) for m in result.moves] == [("down", 6.0, "US")]
