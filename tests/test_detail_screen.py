"""Pilot tests of the company detail view: a dual listing, an HK-only and a US-only company.

A small host App provides the attributes the real app gives screens (settings, quotes, fx, news
service, clock, demo, watchlist name), so each test controls exactly what data exists.
"""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from textual.app import App
from textual.widgets import DataTable

from config.models import Settings
from market.instruments import directory
from market.models import FxRate, Quote
from news.extract import Extraction, Metric, Period
from news.models import NewsItem
from tui.app import UP_DOWN
from tui.screens.detail import DetailScreen
from widgets.metric_card import MetricStrip
from widgets.news_list import NewsList
from widgets.price_chart import PriceChart
from widgets.quarter_table import QuarterTable

SIZE = (140, 45)
NOW = datetime(2025, 2, 21, 6, 30, tzinfo=UTC)  # Hong Kong afternoon, New York night


class NewsStub:
    """The part of NewsService the screen uses, over real NewsItem objects."""

    def __init__(self, items: list[NewsItem], database=None):
        self._items = items
        self.marked: list[str] = []
        self.database = database

    def items(self, company_id=None, limit=50):
        return [i for i in self._items if company_id is None or company_id in i.companies][:limit]

    def mark_read(self, item_id: str) -> None:
        self.marked.append(item_id)


class Host(App):
    def __init__(self, company_id: str, *, quotes=None, fx=None, news=None):
        super().__init__()
        self.settings = Settings()
        self.watchlist_name = "China tech"
        self.quotes = quotes or {}
        self.fx = fx or {}
        self.news_service = news
        self.demo = True
        self.clock = lambda: NOW
        self.company_id = company_id

    def get_theme_variable_defaults(self) -> dict[str, str]:
        up, down = UP_DOWN["green"]
        return {"price-up": up, "price-down": down, "stale": "#8b949e"}

    def on_mount(self) -> None:
        self.push_screen(DetailScreen(directory().company(self.company_id)))


def screen_text(app: App) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def row_of(app: App, period_end: str) -> list[str]:
    table = app.screen.query_one("#quarter-data", DataTable)
    return [str(c) for c in table.get_row(period_end)]


def metric(name, value=None, *, change_pct=None, usd_value=None, segment=None, text="") -> Metric:
    return Metric(name=name, value=value, currency="CNY" if value is not None else None, usd_value=usd_value,
                  change_pct=change_pct, change_basis="yoy" if change_pct is not None else None,
                  segment=segment, company="Alibaba Group", text=text)


def results_item(**overrides) -> NewsItem:
    extraction = Extraction(
        companies=["Alibaba Group"], tickers=["9988.HK", "BABA"],
        period=Period(label="December quarter", end="2024-12-31"),
        metrics=[
            metric("revenue", None, change_pct=8.0, text="Alibaba's revenue rose 8%."),
            metric("revenue", 280.154e9, change_pct=8.0, usd_value=38.381e9,
                   text="Revenue came in at RMB280,154 million, up 8% from a year earlier."),
            metric("net_income_attributable", 48.945e9, change_pct=239.0,
                   text="Net income attributable to shareholders jumped 239% to RMB48,945 million."),
            metric("segment_revenue", None, change_pct=13.0, segment="cloud",
                   text="Cloud revenue [grew] 13% on AI demand."),
            # an extractor that misses the segment label reads a segment amount as revenue
            metric("revenue", 31.742e9, change_pct=13.0, text="cloud revenue of RMB31,742 million"),
        ],
    )
    fields = dict(id="n1", title="Alibaba quarter beats [bold]forecasts[/bold]", link="https://example.test/n1",
                  source="Test Wire", published=datetime(2025, 2, 20, 12, tzinfo=UTC),
                  companies=["alibaba"], extraction=extraction)
    fields.update(overrides)
    return NewsItem(**fields)


def market_story() -> NewsItem:
    """A newer story that repeats a results figure in passing, without dating a quarter."""
    extraction = Extraction(companies=["Alibaba Group"], metrics=[metric("revenue", None, change_pct=8.0)])
    return NewsItem(id="n2", title="Alibaba shares jump", link="https://example.test/n2", source="Test Wire",
                    published=datetime(2025, 2, 21, 8, tzinfo=UTC), companies=["alibaba"], extraction=extraction)


def quote(symbol, last, prev, currency):
    return Quote(symbol, None, currency, last, prev, change=round(last - prev, 2),
                 change_pct=round((last - prev) / prev * 100, 2), time=NOW, source="demo")


async def test_alibaba_without_quotes_or_news_still_shows_its_quarters():
    app = Host("alibaba")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "Alibaba Group" in text and "阿里巴巴" in text
        assert "280.15 bn" in text and "Cloud Intelligence" in text
        assert "no quote yet" in text and "waiting for both legs" in text
        row = row_of(app, "2024-12-31")
        assert row[:3] == ["Dec quarter 2024", "FY2025 Q3", "280.15 bn"]
        assert row[-2:] == ["31.74 bn", "+13%"]
        assert "48.95 bn" in row and "51.07 bn" in row
        assert len(app.screen.query_one("#quarter-data", DataTable).rows) == 8


async def test_alibaba_with_quotes_shows_both_legs_parity_and_a_chart_point():
    quotes = {"9988.HK": quote("9988.HK", 137.0, 119.0, "HKD"), "BABA": quote("BABA", 134.0, 128.0, "USD")}
    fx = {"USDHKD": FxRate("USDHKD", 7.78, time=NOW)}
    app = Host("alibaba", quotes=quotes, fx=fx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "137.00" in text and "+15.13%" in text and "134.00" in text
        assert "DEMO" in text and "HK " in text
        implied = 134.0 * 7.78 / 8
        assert f"HK${implied:.2f}" in text and "premium" in text
        chart = app.screen.query_one("#intraday-9988_HK", PriceChart)
        assert [b.close for b in chart.bars] == [137.0]
        assert chart.title() == "9988 intraday: no history yet"
        assert "9988 intraday: no history yet" in text and "BABA daily: no history yet" in text


async def test_results_news_gives_cards_headlines_and_fills_the_table():
    news = NewsStub([market_story(), results_item()])
    app = Host("alibaba", news=news)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cards = app.screen.query_one(MetricStrip).cards
        # the dated results story wins over the newer market story; one card per figure
        assert [c.metric.name for c in cards] == ["revenue", "net_income_attributable", "segment_revenue"]
        assert cards[0].metric.value == 280.154e9 and cards[0].period == "FY2025 Q3 (Dec 2024)"
        assert not app.screen.query_one(QuarterTable).quarters[5].conflicts
        text = screen_text(app)
        assert "RMB 280.15 bn" in text and "US$ 38.38 bn" in text
        sources = [card.source().plain for card in cards]
        assert "“Cloud revenue [grew] 13% on AI demand.”" in sources  # source sentence, brackets literal
        assert "[grew]" in text
        assert "[bold]forecasts[/bold]" in text  # untrusted title, never markup
        # the news fills the net-income growth the dataset lacks, marked as from news
        assert row_of(app, "2024-12-31")[5] == "+239%ⁿ"
        await pilot.press("tab", "tab")
        assert isinstance(app.focused, NewsList)
        await pilot.press("enter")
        await pilot.pause()
        assert news.marked == ["n2"]
        assert type(app.screen).__name__ == "ArticleScreen"


async def test_news_figures_are_stored_with_their_article(tmp_path):
    from storage.db import Database
    from storage.fundamentals import FundamentalsStore

    database = Database(tmp_path / "sinoterm.db")
    app = Host("alibaba", news=NewsStub([results_item()], database=database))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    figures = FundamentalsStore(Database(tmp_path / "sinoterm.db")).figures("alibaba")
    assert {f.field for f in figures} >= {"revenue", "net_income_yoy", "segment_yoy"}
    assert all("https://example.test/n1" in f.source for f in figures)
    # a later visit without the article in the feed still knows the figure, and where it came from
    app = Host("alibaba", news=NewsStub([], database=Database(tmp_path / "sinoterm.db")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert row_of(app, "2024-12-31")[5] == "+239%ⁿ"


async def test_a_disagreeing_article_is_flagged_under_the_table():
    item = results_item()
    item.extraction.metrics[1] = metric("revenue", 290.0e9, change_pct=8.0, text="Revenue of RMB290bn.")
    app = Host("alibaba", news=NewsStub([item]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#quarter-data", DataTable)
        table.move_cursor(row=5)
        await pilot.pause()
        assert row_of(app, "2024-12-31")[2] == "280.15 bn!"
        text = screen_text(app)
        assert "! revenue: bundled 280.15 bn, news 290.00 bn (news: Test Wire" in text


async def test_tencent_hong_kong_only():
    app = Host("tencent")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "0700.HK" in text and "Listed only in Hong Kong" in text
        assert "Fiscal" not in text  # calendar-year company: no separate fiscal column
        assert row_of(app, "2024-12-31")[:2] == ["Q4 2024", "172.45 bn"]
        assert len(app.screen.query(PriceChart)) == 2


async def test_pdd_us_only():
    app = Host("pdd")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "PDD" in text and "Listed only in the US" in text
        assert not app.screen.query("#leg-9988_HK")
        assert row_of(app, "2024-12-31")[0] == "Q4 2024"


async def test_currency_toggle_states_the_rate():
    app = Host("alibaba", fx={"USDHKD": FxRate("USDHKD", 7.78, time=NOW)})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#quarter-data", DataTable).move_cursor(row=5)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one(QuarterTable).currency == "USD"
        assert row_of(app, "2024-12-31")[2] == "38.38 bn"
        text = screen_text(app)
        assert "Revenue US$" in text and "convenience translation" in text and "7.2993" in text
        await pilot.press("c")
        await pilot.pause()
        assert row_of(app, "2024-12-31")[2] == f"{38381 * 7.78 / 1000:.2f} bn"
        assert "live USDHKD" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert row_of(app, "2024-12-31")[2] == "280.15 bn"


async def test_tencent_in_us_dollars_uses_a_stated_period_end_rate():
    app = Host("tencent")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert "other issuers' convenience translations" in screen_text(app)
        assert row_of(app, "2024-12-31")[1] == f"{172446 / 7.2993 / 1000:.2f} bn"


async def test_left_and_right_walk_the_watchlist_and_escape_goes_back():
    app = Host("alibaba")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert app.screen.company.id == "tencent"
        await pilot.press("left", "left")
        await pilot.pause()
        assert app.screen.company.id == "nio"  # wraps to the last company of the default watchlist
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)


async def test_bindings_have_ids_and_descriptions():
    for binding in DetailScreen.BINDINGS:
        assert binding.id and binding.id.startswith("detail.") and binding.description


async def test_enter_on_alibaba_in_the_demo_app_shows_its_quarter_and_help_lists_the_keys():
    """Through the real factory: the dashboard's Enter opens this screen with the bundled figures."""
    from market.providers.replay import frozen_clock
    from tui.app import make_app

    app = make_app(Settings(), demo=True, clock=frozen_clock(), live_refresh=False)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(app.quotes_loaded.wait(), 20)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.company.id == "alibaba"
        text = screen_text(app)
        assert "280.15 bn" in text and "Cloud Intelligence" in text and "DEMO" in text
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        assert "Currency" in help_text and "Next company" in help_text


async def test_a_company_without_bundled_figures_says_so():
    app = Host("lenovo")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert "No quarterly figures bundled or found in news." in screen_text(app)


async def test_enter_on_a_quarter_shows_its_full_source():
    app = Host("alibaba")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#quarter-data", DataTable).move_cursor(row=5)
        await pilot.press("enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("markets.ft.com" in m and "US$38,381m" in m for m in messages)


async def test_growth_follows_the_users_up_colour():
    class RedUp(Host):
        def get_theme_variable_defaults(self) -> dict[str, str]:
            up, down = UP_DOWN["red"]
            return {"price-up": up, "price-down": down, "stale": "#8b949e"}

    app = RedUp("alibaba")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        cell = app.screen.query_one("#quarter-data", DataTable).get_row("2024-12-31")[3]
        assert str(cell) == "+8%" and str(cell.style) == UP_DOWN["red"][0]


async def test_the_segment_column_is_named_after_most_quarters_and_others_say_theirs():
    app = Host("baidu")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#quarter-data", DataTable)
        assert str(table.columns["segment_revenue"].label) == "Baidu Core"
        assert row_of(app, "2025-12-31")[6] == "Baidu General… 26.11 bn"
        assert row_of(app, "2025-09-30")[6] == "24.66 bn"
