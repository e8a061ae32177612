"""Pilot tests of the real app on the bundled demo: the factory the CLI uses, a frozen clock."""
from __future__ import annotations

import asyncio

import pytest

from config.models import Settings, Watchlist
from market.providers.replay import frozen_clock
from tui.app import make_app
from widgets.news_list import NewsList
from widgets.watchlist_table import WatchlistTable
from widgets.watchlist_tabs import WatchlistTabs

SIZE = (140, 45)


def demo_app(settings: Settings | None = None):
    return make_app(settings or Settings(), demo=True, clock=frozen_clock(), live_refresh=False)


async def loaded(app, pilot) -> None:
    await asyncio.wait_for(asyncio.gather(app.quotes_loaded.wait(), app.news_loaded.wait()), 20)
    await pilot.pause()


def table_symbols(app) -> list[str]:
    return [str(key.value) for key in app.screen.query_one(WatchlistTable).rows]


async def test_dashboard_shows_paired_legs_with_demo_prices():
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        symbols = table_symbols(app)
        assert symbols[:2] == ["9988.HK", "BABA"]
        assert {"0700.HK", "9618.HK", "JD", "PDD", "9866.HK", "NIO"} <= set(symbols)
        assert app.quotes["9988.HK"].source == "demo" and app.quotes["9988.HK"].last > 130
        assert "DEMO" in app.screen.sub_title


async def test_enter_opens_alibaba_detail_and_escape_returns():
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.detail import DetailScreen

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.company.id == "alibaba"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_help_lists_keys_and_closes():
    from tui.screens.help import HelpScreen

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {does for _, does, _ in app.screen.key_rows}
        assert {"Refresh", "Filter", "Quit", "Sort", "Help"} <= described
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_filter_narrows_rows_and_escape_clears():
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("slash", *"tencent")
        await pilot.pause()
        assert table_symbols(app) == ["0700.HK"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(table_symbols(app)) > 6


async def test_news_follows_the_selected_company_and_toggles_to_all():
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        screen = app.screen
        assert screen.selected_company.id == "alibaba"
        alibaba_news = screen.shown_news
        assert alibaba_news, "the demo has Alibaba articles"
        assert all("alibaba" in item.companies for item in alibaba_news.values())
        await pilot.press("f")
        await pilot.pause()
        assert len(screen.shown_news) > len(alibaba_news)
        assert screen.query_one(NewsList).option_count == len(screen.shown_news)


async def test_metric_cards_come_from_extracted_news():
    from widgets.metric_card import MetricStrip

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        cards = app.screen.query_one(MetricStrip).cards
        assert cards, "Alibaba's results article should give cards"
        revenue = [c for c in cards if c.metric.name == "revenue"]
        assert revenue and abs(revenue[0].metric.value - 280_154e6) / 280_154e6 < 0.01
        assert all(c.metric.text for c in cards), "every card keeps its source sentence"


async def test_number_keys_switch_watchlists():
    settings = Settings(watchlists=[Watchlist(name="China tech", symbols=["9988.HK"]),
                                    Watchlist(name="EV", symbols=["NIO", "XPEV", "LI"])])
    app = demo_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        assert app.watchlist_name == "EV"
        assert table_symbols(app)[:2] == ["9866.HK", "NIO"]
        tabs = app.screen.query_one(WatchlistTabs)
        assert tabs.active == 1
        bar = "".join(strip.text for strip in tabs.render_lines(tabs.region.reset_offset)[:1])
        assert bar.startswith(" 1 China tech  2 EV ")
        await pilot.click(WatchlistTabs, offset=(3, 0))  # a click on the first name
        await pilot.pause()
        assert app.watchlist_name == "China tech" and tabs.active == 0


@pytest.mark.parametrize("key", ["q"])
async def test_quit(key):
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code in (0, None)


async def test_a_symbol_no_source_knows_is_named_in_the_status_bar():
    settings = Settings(watchlists=[Watchlist(name="Mixed", symbols=["9988.HK", "ZZZQ"])])
    app = demo_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        assert "ZZZQ" in app.unknown_symbols
        app.screen.refresh_status()
        await pilot.pause()
        from widgets.status_bar import StatusBar

        assert "no source knows ZZZQ" in str(app.screen.query_one(StatusBar).render())


async def test_a_damaged_database_is_reported_not_hidden(tmp_path):
    from storage.db import Database

    damaged = tmp_path / "sinoterm.db"
    damaged.write_bytes(b"this is not a database" * 100)
    app = demo_app()
    app.database = Database(damaged)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("damaged" in m and str(app.database.recovered_from) in m for m in messages)


async def test_tab_to_the_news_and_enter_opens_the_article_and_marks_it_read():
    from tui.screens.article import ArticleScreen
    from tui.screens.dashboard import DashboardScreen

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, NewsList)
        newest = next(iter(app.screen.shown_news.values()))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen) and app.screen.item.id == newest.id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.news_service.items("alibaba")[0].read


async def test_tab_reaches_the_cards_and_the_selected_one_shows_its_sentence():
    from widgets.metric_card import MetricStrip

    def drawn(strip: MetricStrip) -> str:
        return "\n".join(line.text for line in strip.render_lines(strip.region.reset_offset))

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        strip = app.screen.query_one(MetricStrip)
        first, second = strip.cards[0], strip.cards[1]
        assert "“" not in drawn(strip), "no sentence while the strip is not focused"
        await pilot.press("tab", "tab")
        assert app.focused is strip
        assert first.source().plain[:20] in drawn(strip), "the selected card shows its source sentence"
        await pilot.press("right")
        assert strip.selected_card is second
        assert second.source().plain[:20] in drawn(strip) and first.source().plain[:20] not in drawn(strip)
        await pilot.click(MetricStrip, offset=(3, 2))  # the first card's box
        assert strip.selected_card is first


async def test_the_key_bar_lists_the_screen_keys_and_a_click_presses_one():
    from tui.screens.help import HelpScreen
    from widgets.key_bar import KeyBar

    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        bar = app.screen.query_one(KeyBar)
        line = "".join(strip.text for strip in bar.render_lines(bar.region.reset_offset))
        for shown in (" / Filter ", " a Add ", " q Quit ", " ? Help ", "▏^p palette"):
            assert shown in line, line
        assert "Watchlist 1" not in line  # show=False bindings stay in the help screen only
        await pilot.click(KeyBar, offset=(line.index(" ? Help ") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_cli_start_holds_the_collector_off_only_until_the_first_screen():
    import gc

    gc.disable()  # as `sinoterm` does before building the app
    try:
        app = demo_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
