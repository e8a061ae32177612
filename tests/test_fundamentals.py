"""Bundled quarterly figures, fiscal labels, and the news-vs-bundled merge (news never overwrites)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest

from market.fundamentals import (
    NewsFigure,
    bundled_quarters,
    fiscal_label,
    period_label,
    quarters,
    results_period,
    usd_translation,
)
from market.instruments import directory
from news.findings import primary_metrics
from storage.db import Database
from storage.fundamentals import FundamentalsStore, figures_from_item

DEC_2024 = date(2024, 12, 31)


def _quarter(company_id: str, end: date):
    return next(q for q in quarters(company_id) if q.period_end == end)


def test_alibaba_december_quarter_2024_is_the_official_release():
    q = _quarter("alibaba", DEC_2024)
    assert (q.revenue, q.revenue_yoy, q.net_income, q.adj_net_income) == (280154, 8, 48945, 51066)
    assert q.segment_name == "Cloud Intelligence Group"
    assert (q.segment_revenue, q.segment_yoy) == (31742, 13)
    assert q.usd_revenue == 38381
    assert q.usd_rate == pytest.approx(280154 / 38381)
    assert "attributable" in q.net_income_basis
    assert q.source.startswith("[official-copy]") and q.origin == "bundled"
    assert (q.period_label, q.fiscal_label, q.currency) == ("December quarter 2024", "FY2025 Q3", "RMB")


def test_every_bundled_row_maps_to_a_directory_company():
    companies = {c.id for c in directory().companies}
    total = sum(len(bundled_quarters(c)) for c in companies)
    assert total == 116
    assert len(bundled_quarters("pdd")) == 8 and len(bundled_quarters("tencent")) == 8


def test_quarters_are_newest_first():
    ends = [q.period_end for q in quarters("tencent")]
    assert ends == sorted(ends, reverse=True)
    assert ends[0] == date(2025, 12, 31)


@pytest.mark.parametrize(("end", "fye", "label"), [
    (date(2024, 12, 31), "03-31", "FY2025 Q3"),
    (date(2024, 3, 31), "03-31", "FY2024 Q4"),
    (date(2024, 6, 30), "03-31", "FY2025 Q1"),
    (date(2024, 12, 31), "12-31", "FY2024 Q4"),
    (date(2025, 3, 31), "12-31", "FY2025 Q1"),
    (date(2025, 2, 28), "05-31", "FY2025 Q3"),
])
def test_fiscal_labels(end, fye, label):
    assert fiscal_label(end, fye) == label


def test_every_bundled_fiscal_label_agrees_with_the_calendar_rule():
    for company in directory().companies:
        for q in bundled_quarters(company.id):
            assert fiscal_label(q.period_end, company.fiscal_year_end) == q.fiscal_label, q


def test_period_labels_follow_the_company_style():
    assert period_label(DEC_2024, "03-31") == "December quarter 2024"
    assert period_label(DEC_2024, "12-31") == "Q4 2024"


def test_net_income_growth_is_computed_from_the_year_before_and_flagged():
    q = _quarter("alibaba", date(2025, 9, 30))
    assert q.net_income_yoy == pytest.approx((20990 / 43874 - 1) * 100, abs=0.05)
    assert q.origin_of("net_income_yoy").startswith("computed")
    # no year-earlier row in the dataset: nothing is invented
    assert _quarter("alibaba", DEC_2024).net_income_yoy is None


def _figure(field: str, value: float, end: date = DEC_2024, **kw) -> NewsFigure:
    return NewsFigure(company_id="alibaba", period_end=end, field=field, value=value, currency="RMB",
                      source="Wire: Alibaba results <https://example.test/a>", sentence=kw.pop("sentence", ""),
                      **kw)


def test_news_that_agrees_fills_gaps_without_conflict():
    figures = [
        _figure("revenue", 280150.0),  # "RMB 280.15 billion": rounding, not a disagreement
        _figure("net_income_yoy", 239.0, net_income_basis="attributable (from news)",
                sentence="net income attributable rose 239%"),
    ]
    q = next(q for q in quarters("alibaba", figures) if q.period_end == DEC_2024)
    assert q.revenue == 280154 and not q.conflicts
    assert q.net_income_yoy == 239.0
    assert q.origin_of("net_income_yoy").startswith("news: Wire: Alibaba results")
    assert "rose 239%" in q.origin_of("net_income_yoy")
    assert q.origin_of("revenue").startswith("bundled: [official-copy]")


def test_news_that_disagrees_is_flagged_and_the_bundled_figure_wins():
    q = next(q for q in quarters("alibaba", [_figure("revenue", 286000.0)]) if q.period_end == DEC_2024)
    assert q.revenue == 280154
    assert len(q.conflicts) == 1
    conflict = q.conflicts[0]
    assert (conflict.field, conflict.bundled, conflict.news) == ("revenue", 280154, 286000)
    assert "example.test" in conflict.source


def test_plain_net_income_is_not_compared_with_attributable():
    q = next(q for q in quarters("alibaba", [_figure("net_income", 46434.0,
                                                     net_income_basis="net income (from news)")])
             if q.period_end == DEC_2024)
    assert q.net_income == 48945 and not q.conflicts


def test_a_newer_quarter_from_news_is_added_with_fiscal_labels():
    end = date(2026, 6, 30)
    merged = quarters("alibaba", [_figure("revenue", 250000.0, end=end), _figure("revenue_yoy", 1.0, end=end)])
    newest = merged[0]
    assert (newest.period_end, newest.origin) == (end, "news")
    assert (newest.period_label, newest.fiscal_label) == ("June quarter 2026", "FY2027 Q1")
    assert newest.revenue == 250000.0 and newest.revenue_yoy == 1.0
    assert len(merged) == len(bundled_quarters("alibaba")) + 1


def test_another_segment_from_news_does_not_fill_the_tracked_one():
    figure = _figure("segment_yoy", 40.0, end=date(2025, 12, 31), segment_name="China E-commerce Group")
    q = next(q for q in quarters("alibaba", [figure]) if q.period_end == date(2025, 12, 31))
    assert q.segment_yoy == 36 and not q.conflicts


def _metric(name, value=None, *, change_pct=None, segment=None, usd_value=None, company="Alibaba Group",
            status="reported", text=""):
    return SimpleNamespace(name=name, value=value, currency="CNY", usd_value=usd_value, change_pct=change_pct,
                           change_basis="yoy" if change_pct is not None else None, status=status,
                           segment=segment, company=company, text=text)


def _item(metrics, end="2024-12-31"):
    extraction = SimpleNamespace(period=SimpleNamespace(label="December quarter 2024", end=end),
                                 metrics=metrics, companies=["Alibaba Group"])
    return SimpleNamespace(id="n1", title="Alibaba quarter", link="https://example.test/n1", source="Wire",
                           companies=["alibaba"], extraction=extraction)


def test_figures_from_an_extracted_item_are_stored_and_read_back(tmp_path):
    item = _item([
        _metric("revenue", 280.154e9, change_pct=8.0, usd_value=38.381e9, text="revenue of RMB280.15bn"),
        _metric("net_income_attributable", 48.945e9, change_pct=239.0),
        _metric("segment_revenue", None, change_pct=13.0, segment="cloud"),
        _metric("revenue", 300e9, status="estimate"),
    ])
    store = FundamentalsStore(Database(tmp_path / "s.db"))
    assert store.record_item(item) == 6
    store.record_item(item)  # re-recording the same article replaces, never duplicates
    again = FundamentalsStore(Database(tmp_path / "s.db"))
    figures = again.figures("alibaba")
    assert len(figures) == 6
    by_field = {f.field: f for f in figures}
    assert by_field["revenue"].value == pytest.approx(280154)
    assert by_field["usd_revenue"].currency == "USD"
    assert by_field["revenue"].sentence == "revenue of RMB280.15bn"
    assert by_field["segment_yoy"].segment_name == "cloud"
    q = next(q for q in quarters("alibaba", figures) if q.period_end == DEC_2024)
    assert q.net_income_yoy == 239.0 and not q.conflicts


def test_items_without_a_dated_period_give_no_figures():
    assert figures_from_item(_item([_metric("revenue", 1e9)], end="--12-31")) == []
    assert figures_from_item(SimpleNamespace(extraction=None)) == []


def test_usd_translation_names_where_the_rate_comes_from():
    rate, basis = usd_translation(_quarter("alibaba", DEC_2024))
    assert rate == pytest.approx(280154 / 38381) and basis == "the company's own convenience translation"
    rate, basis = usd_translation(_quarter("tencent", DEC_2024))  # Tencent prints no US$ figures
    assert rate == pytest.approx(7.2993, abs=0.0005) and "other issuers" in basis
    rate, basis = usd_translation(_quarter("pdd", date(2025, 12, 31)))
    assert "secondary source" in basis
    late = replace(_quarter("tencent", DEC_2024), period_end=date(2030, 3, 31))
    assert usd_translation(late, usdcny=7.1) == (7.1, "the current USDCNY rate (no period-end translation known)")
    assert usd_translation(late)[0] is None


def test_primary_metrics_keep_the_stated_total_over_repeats_and_unlabelled_segments():
    metrics = [
        _metric("revenue", None, change_pct=8.0),
        _metric("revenue", 280.154e9, change_pct=8.0),
        _metric("revenue", 31.742e9, change_pct=13.0),  # a segment amount the extractor left unlabelled
        _metric("segment_revenue", None, change_pct=13.0, segment="cloud"),
    ]
    kept = primary_metrics(metrics)
    assert [(m.name, m.value) for m in kept] == [("revenue", 280.154e9), ("segment_revenue", None)]
    q = next(q for q in quarters("alibaba", figures_from_item(_item(metrics))) if q.period_end == DEC_2024)
    assert not q.conflicts


def test_results_period_follows_the_company_calendar():
    def story(end):
        return SimpleNamespace(extraction=SimpleNamespace(period=SimpleNamespace(label="December quarter", end=end)))

    assert results_period(story("2024-12-31"), directory().company("alibaba")) == "FY2025 Q3 (Dec 2024)"
    assert results_period(story("2024-12-31"), directory().company("tencent")) == "Q4 2024"
    assert results_period(story("--12-31"), directory().company("alibaba")) == "December quarter"


def test_net_income_growth_into_a_loss_is_not_computed():
    q = _quarter("baidu", date(2025, 9, 30))
    assert q.net_income < 0 and q.net_income_yoy is None


def test_figures_go_to_the_company_each_metric_names():
    item = _item([
        _metric("revenue", 280.154e9, change_pct=8.0),
        _metric("revenue", 172.446e9, change_pct=11.0, company="Tencent"),
        _metric("revenue", None, change_pct=5.0, company=None),  # whose? the story is about two
    ])
    item.companies = ["alibaba", "tencent"]
    figures = figures_from_item(item)
    by_company = {(f.company_id, f.field): f.value for f in figures}
    assert by_company == {("alibaba", "revenue"): pytest.approx(280154), ("alibaba", "revenue_yoy"): 8.0,
                          ("tencent", "revenue"): pytest.approx(172446), ("tencent", "revenue_yoy"): 11.0}
