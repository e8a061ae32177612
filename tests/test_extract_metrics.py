"""Metric extraction on sentences written for these tests, one phrasing per test."""
from __future__ import annotations

import pytest

from news.extract import extract


def metrics(text: str, status: str | None = None) -> list[dict]:
    out = extract(text).to_json()["metrics"]
    return [m for m in out if status is None or m["status"] == status]


def only(text: str, name: str, status: str = "reported") -> dict:
    found = [m for m in metrics(text) if m["name"] == name and m["status"] == status]
    assert len(found) == 1, metrics(text)
    return found[0]


def test_value_growth_basis_and_usd_translation():
    m = only("Baidu said total revenues were RMB34.45 billion (US$4.72 billion), up 3% year over year.", "revenue")
    assert m["value"] == pytest.approx(34.45e9) and m["currency"] == "CNY"
    assert m["usd_value"] == pytest.approx(4.72e9)
    assert (m["change_pct"], m["change_basis"]) == (3.0, "yoy")
    assert "RMB34.45 billion" in m["text"]
    assert m["company"] == "Baidu"


@pytest.mark.parametrize(
    "sentence, pct, basis",
    [
        ("Net income rose 21% YoY to RMB9.1 billion.", 21.0, "yoy"),
        ("Net income rose 21% y/y to RMB9.1 billion.", 21.0, "yoy"),
        ("Net income rose 21% year-on-year to RMB9.1 billion.", 21.0, "yoy"),
        ("Net income was RMB9.1 billion, up 21% from a year ago.", 21.0, "yoy"),
        ("Net income was RMB9.1 billion, up 21% from the same quarter of 2023.", 21.0, "yoy"),
        ("Net income was RMB9.1 billion, up 21% QoQ.", 21.0, "qoq"),
        ("Net income was RMB9.1 billion, down 21% quarter-over-quarter.", -21.0, "qoq"),
        ("Net income fell 21% to RMB9.1 billion.", -21.0, None),
        ("Net income jumped 21% to 9.1 billion yuan.", 21.0, None),
    ],
)
def test_growth_and_basis_phrasings(sentence, pct, basis):
    m = only(sentence, "net_income")
    assert m["value"] == pytest.approx(9.1e9)
    assert (m["change_pct"], m["change_basis"]) == (pct, basis)


def test_growth_only_segment_figure():
    m = only("Its cloud revenue growth reignited to double digits at 14%.", "segment_revenue")
    assert m["value"] is None and m["change_pct"] == 14.0 and m["segment"] == "cloud"


@pytest.mark.parametrize(
    "sentence, name, pct",
    [
        ("The group posted a 9% growth in overall revenue for the period.", "revenue", 9.0),
        ("Adjusted EBITA decreased by 4% YoY.", "adjusted_ebita", -4.0),
        ("It beat forecasts with a 27% Y/Y revenue growth.", "revenue", 27.0),
        ("Baidu Falls After Third-Quarter Sales Dip 3%", "revenue", -3.0),
    ],
)
def test_growth_only_phrasings(sentence, name, pct):
    m = only(sentence, name)
    assert m["value"] is None and m["change_pct"] == pct


def test_growth_before_the_metric_and_value_after():
    m = only("Geely reported a 12.5% year-on-year drop in Q2 net profit, down to 3.2 billion yuan.", "net_income")
    assert m["value"] == pytest.approx(3.2e9) and m["change_pct"] == -12.5 and m["change_basis"] == "yoy"
    m = only("It reported a 6 percent rise in sales to 120.4 billion yuan (HK$131.9 billion).", "revenue")
    assert m["value"] == pytest.approx(120.4e9) and m["change_pct"] == 6.0 and m["usd_value"] is None


def test_losses_are_negative_with_eps_following():
    text = ("Net loss for the quarter was RMB2.40 billion ($333.1 million), or RMB1.21 per ADS, "
            "after net profit of RMB6.02 billion, or 3.02 RMB per ADS, in the prior year period.")
    found = metrics(text)
    assert [(m["name"], m["value"]) for m in found] == [("net_income", -2.4e9), ("eps", -1.21)]
    assert found[0]["usd_value"] == pytest.approx(-333.1e6)


def test_loss_narrows_and_prior_values_are_not_metrics():
    found = metrics("Q1 revenue jumps 40% y/y; net loss narrows to 310 mln yuan ($43.2 mln) from year-ago 1.1 bln yuan")
    assert [(m["name"], m["value"]) for m in found] == [("revenue", None), ("net_income", -310e6)]
    found = metrics("Revenue rose to CNY12.3 billion from CNY9.8 billion a year earlier.")
    assert [(m["name"], m["value"]) for m in found] == [("revenue", 12.3e9)]


def test_net_loss_per_ads_and_adjusted_eps():
    assert only("Net loss per ADS was RMB 2.15.", "eps")["value"] == -2.15
    m = only("It posted adjusted earnings per ADS of 9.87 Chinese yuan on revenue of CNY88.1 billion.", "adjusted_eps")
    assert m["value"] == 9.87 and m["currency"] == "CNY"


def test_estimates_and_guidance_have_their_status():
    text = ("Revenue was 31.2 billion yuan, compared with the 32.0 billion-yuan average of 18 estimates. "
            "Q4 guidance has revenue of RMB35.5B compared to the previous guidance of RMB36B and the consensus RMB36.4B.")
    found = [(m["value"], m["status"]) for m in metrics(text) if m["name"] == "revenue"]
    assert found == [(31.2e9, "reported"), (32.0e9, "estimate"), (35.5e9, "guidance"),
                     (36e9, "guidance"), (36.4e9, "estimate")]


def test_estimate_with_unit_taken_from_its_sibling():
    text = "Revenue increased by +12.0% YoY to RMB 98.50B from RMB 87.95 and versus expectations of RMB 97.10."
    found = [(m["value"], m["status"]) for m in metrics(text)]
    assert found == [(pytest.approx(98.5e9), "reported"), (pytest.approx(97.1e9), "estimate")]


def test_respectively_lists():
    text = ("Weibo posted adjusted earnings per ADS of 3.10 yuan on revenue of CNY4.2 billion. "
            "Analysts had projected CNY2.95 and CNY4.4 billion, respectively.")
    est = [(m["name"], m["value"]) for m in metrics(text, "estimate")]
    assert est == [("adjusted_eps", 2.95), ("revenue", pytest.approx(4.4e9))]
    users = metrics("Monthly active users reached 250.2 million, mobile MAUs reached 240.1 million, "
                    "representing increases of 12% and 15%, respectively, from the same period in 2023.")
    assert [(m["name"], m["segment"], m["change_pct"]) for m in users] == [
        ("users", "mau", 12.0), ("users", "mobile_mau", 15.0)]


def test_estimate_range_takes_the_low_end():
    m = only("Profit of 4.1 billion yuan fell short of analysts' forecasts ranging from 5 to 6 billion yuan.",
             "net_income", "estimate")
    assert m["value"] == pytest.approx(5e9)


def test_usd_first_amount_keeps_reporting_currency():
    m = only("Revenue came in at $3.1 billion (22.4 billion RMB).", "revenue")
    assert (m["value"], m["currency"], m["usd_value"]) == (pytest.approx(22.4e9), "CNY", pytest.approx(3.1e9))


def test_usd_only_figure_and_miss_versus_estimate():
    found = metrics("NetEase reported third-quarter revenue of $3.3 billion, up 9% but $40 million below the average estimate.")
    assert [(m["name"], m["value"], m["currency"]) for m in found] == [("revenue", pytest.approx(3.3e9), "USD")]


def test_stakes_buybacks_market_value_and_counts():
    text = ("The fund owns 9 million shares worth about $1.3 billion. The company completed its US$2.0 billion "
            "share repurchase program and launched a new US$4.0 billion program. The rally added over $31.5 billion "
            "to the company's market capitalisation. Its models now count more than 85,000 derivative models, "
            "and the app tops 400 million downloads.")
    got = {(m["name"], m["value"]) for m in metrics(text)}
    assert ("stake_shares", 9e6) in got and ("stake_value", 1.3e9) in got
    assert ("buyback_program", 2e9) in got and ("buyback_program", 4e9) in got
    assert ("market_cap_change", 31.5e9) in got
    counts = {(m["name"], m["segment"], m["value"]) for m in metrics(text) if m["name"].startswith("count")}
    assert counts == {("count", "derivative_models", 85000.0), ("count", "downloads", 400e6)}


def test_segments_margins_and_turnover():
    text = ("Online marketing services revenues were RMB10.2 billion, an increase of 4%. "
            "Revenues from live streaming were RMB9.5 billion. Gross margin was 48.1%, an increase of 2.0 percentage points. "
            "Operating margin improved to 5.2% from 4.1% year-over-year.")
    got = [(m["name"], m["segment"], m["value"]) for m in metrics(text)]
    assert got == [("segment_revenue", "online_marketing_services", 10.2e9),
                   ("segment_revenue", "live_streaming", 9.5e9),
                   ("gross_margin", None, 48.1), ("operating_margin", None, 5.2)]
    m = only("Meituan fell 2%, trading at HK$98.5, with a turnover of HK$1.9 billion.", "trading_value")
    assert m["value"] == 1.9e9 and m["currency"] == "HKD"


def test_table_rows_with_yoy_column():
    text = ("Kuaishou Q2 2025 results\n|\nItem |\nQ2 Data |\nYoY Change |\n|\nTotal Revenue |\n~\u00a535.0 billion |\n"
            "+13% |\n|\nAdvertising Revenue |\n+12% |\nSteady |\n|")
    got = [(m["name"], m["value"], m["change_pct"], m["change_basis"]) for m in metrics(text)]
    assert got == [("revenue", 35e9, 13.0, "yoy"), ("segment_revenue", None, 12.0, "yoy")]


def test_flat_revenue_and_footnoted_usd():
    m = only("Total net revenues were RMB7.1 billion (US$1 0.98 billion), flat with the same period of 2024.", "revenue")
    assert m["change_pct"] == 0.0 and m["usd_value"] == pytest.approx(0.98e9)


def test_chinese_amounts():
    m = only("Alibaba revenue was 2,802\u4ebf\u5143, up 8% YoY.", "revenue")
    assert m["value"] == pytest.approx(280.2e9)


def test_nothing_from_narrative():
    assert metrics("Both revenue and profits exceeded market expectations on strong gaming demand.") == []


def test_users_counts_and_ranges_stay_apart():
    got = [(m["name"], m["segment"], m["value"]) for m in metrics(
        "Average daily active users reached 98.2 million and monthly active users reached 341.5 million.")]
    assert got == [("users", "dau", pytest.approx(98.2e6)), ("users", "mau", pytest.approx(341.5e6))]
    m = only("It expects deliveries of between 41,000 and 43,000 vehicles in the fourth quarter.",
             "count", "guidance")
    assert (m["value"], m["segment"]) == (41000.0, "vehicle_deliveries")
    got = {(m["name"], m["value"]) for m in metrics("The investor holds about 6 million shares worth roughly $900 million.")}
    assert got == {("stake_shares", 6e6), ("stake_value", 9e8)}


def test_translated_chinese_terms_and_trailing_estimate():
    m = only("Net profit excluding non-recurring gains and losses was 1.9 billion yuan.", "adjusted_net_income")
    assert m["value"] == 1.9e9
    m = only("Li Auto posted revenue of RMB 31.7 billion, missing the RMB 33.2 billion analysts expected.",
             "revenue", "estimate")
    assert m["value"] == 33.2e9
    assert only("Baidu said total income rose 4% to RMB31.5 billion.", "revenue")["change_pct"] == 4.0
    assert only("Adjusted EPS was 53 cents.", "adjusted_eps")["value"] == 0.53


def test_results_table_with_unit_header():
    text = ("Unaudited results (in millions of RMB)\n| | Q3 2024 | Q3 2025 |\n| Revenues | 70,100.0 | 77,110.0 | 10.0% |\n"
            "| Operating loss | (1,500.2) | (820.4) |")
    got = [(m["name"], m["value"], m["currency"], m["change_pct"]) for m in metrics(text)]
    assert got == [("revenue", pytest.approx(77_110e6), "CNY", 10.0),
                   ("operating_income", pytest.approx(-820.4e6), "CNY", None)]
    text = "(RMB million) | 2024 | 2025 | US$\n| Net income | 7,000.0 | 8,520.0 | 1,200.0"
    m = only(text, "net_income")
    assert (m["value"], m["usd_value"]) == (pytest.approx(8520e6), pytest.approx(1200e6))


def test_outlook_sentences_are_guidance():
    m = only("For the first quarter, the Company expects total revenues to be between RMB15.2 billion and "
             "RMB16.0 billion, representing a year-over-year decrease of 1.5% to 6.2%.", "revenue", "guidance")
    assert m["value"] == pytest.approx(15.2e9) and m["change_pct"] == -1.5
    m = only("Nio expects vehicle deliveries of between 72,000 and 75,000 and total revenues of between "
             "RMB32.8 billion and RMB34.1 billion.", "revenue", "guidance")
    assert m["value"] == pytest.approx(32.8e9)


def test_buy_back_user_growth_and_eps_translation():
    m = only("Tencent plans to buy back at least HK$80 billion of shares this year, up from HK$49 billion.",
             "buyback_program")
    assert (m["value"], m["currency"]) == (80e9, "HKD")
    m = only("Daily active users rose 4.2% to 399.1 million.", "users")
    assert (m["value"], m["change_pct"]) == (pytest.approx(399.1e6), 4.2)
    m = only("Diluted net income per ADS was US$1.62 (RMB11.70).", "eps")
    assert (m["value"], m["currency"], m["usd_value"]) == (11.7, "CNY", 1.62)
    m = only("Revenue from its smart EV business was 21.3 billion yuan.", "segment_revenue")
    assert m["segment"] == "smart_ev_business"


def test_more_estimate_and_stake_phrasings():
    found = [(m["name"], m["value"], m["status"]) for m in metrics(
        "Baidu posted adjusted earnings per ADS of RMB 19.9, beating estimates of RMB 16.2.")]
    assert found == [("adjusted_eps", 19.9, "reported"), ("adjusted_eps", 16.2, "estimate")]
    found = [(m["name"], m["value"], m["status"]) for m in metrics(
        "Revenue of $3.6 billion topped the $3.5 billion expected, while Wall Street had forecast EPS of $1.40.")]
    assert found == [("revenue", 3.6e9, "reported"), ("revenue", 3.5e9, "estimate"), ("eps", 1.4, "estimate")]
    assert only("The activist investor bets $2 billion on Baidu.", "stake_value")["value"] == 2e9
    m = only("Alibaba plunged 9% to HK$80, wiping HK$120 billion off its market value.", "market_cap_change")
    assert m["value"] == -120e9
    assert only("Alibaba beat estimates, posting revenue of RMB 236.5 billion.", "revenue")["segment"] is None


def test_deliveries_keep_their_growth():
    m = only("NIO stock rallies 8% premarket after deliveries surge 41% year over year to 19,012 vehicles",
             "count")
    assert (m["value"], m["change_pct"], m["change_basis"]) == (19012.0, 41.0, "yoy")
    assert m["segment"] == "vehicle_deliveries"


def test_counts_and_users_use_the_contract_names_with_a_segment():
    """DESIGN: `users` and `count` are base names; the kind of user or what is counted is the segment."""
    got = {(m["name"], m["segment"]) for m in metrics(
        "The platform had 512.6 million monthly active users. Its developers "
        "published 62,400 apps. "
        "The carmaker delivered 30,125 vehicles in October.")}
    assert got == {("users", "mau"), ("count", "apps"), ("count", "vehicle_deliveries")}


@pytest.mark.parametrize("descriptor", ["the smartphone maker", "the e-commerce giant", "the EV maker", "it"])
def test_company_forecast_is_guidance_and_analysts_expectation_an_estimate(descriptor):
    text = (f"Shares of NIO slid as much as 7 per cent in New York on Thursday after {descriptor} forecast "
            "fourth-quarter revenue of between 19.7 billion yuan and 20.5 billion yuan, short of the "
            "21.3 billion yuan analysts had expected.")
    got = [(m["name"], m["segment"], m["value"], m["status"]) for m in metrics(text)]
    assert got == [("revenue", None, 19.7e9, "guidance"), ("revenue", None, 21.3e9, "estimate")]


def test_who_speaks_decides_the_status():
    got = [(m["value"], m["status"]) for m in metrics(
        "Analysts expect revenue of 33 billion yuan in the quarter, while Baidu forecast 34.1 billion yuan.")]
    assert got == [(33e9, "estimate"), (34.1e9, "guidance")]
    m = only("The carmaker forecast fourth-quarter revenue of RMB 21.5 billion to RMB 23 billion.", "revenue", "guidance")
    assert (m["value"], m["segment"]) == (21.5e9, None)
    assert only("The EV maker forecast deliveries of 48,000 vehicles.", "count", "guidance")["value"] == 48000.0
    m = only("Revenue rose 11% to 91.8 billion yuan, beating the 90.5 billion yuan average estimate.",
             "revenue", "estimate")
    assert m["value"] == 90.5e9


def test_consensus_estimate_after_the_amount_and_a_dated_table_header():
    m = only("The group posted revenue of 98 billion yuan, short of the 101.2 billion yuan consensus estimate.",
             "revenue", "estimate")
    assert m["value"] == 101.2e9
    table = ("| Item | Q3 2025 | Q3 2024 | YoY |\n| Revenue (RMB mn) | 52,300 | 47,100 | 11.0% |\n")
    m = only(table, "revenue")
    assert (m["value"], m["change_pct"], m["change_basis"]) == (52.3e9, 11.0, "yoy")


def test_counts_named_after_the_number_keep_the_growth_that_follows():
    m = only("Li Auto shares rose 6% after the company said it delivered 40,700 vehicles in May, "
             "up 23% from a year earlier.", "count")
    assert (m["segment"], m["value"], m["change_pct"], m["change_basis"]) == ("vehicle_deliveries", 40700.0, 23.0, "yoy")
    m = only("The platform had 512.6 million monthly active users, a decrease of 3% year-on-year.", "users")
    assert (m["segment"], m["change_pct"], m["change_basis"]) == ("mau", -3.0, "yoy")
