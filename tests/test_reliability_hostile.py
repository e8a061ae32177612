"""Hostile text from a feed and its article, through the real pipeline, onto every screen that shows it.

A loopback feed carries titles and an article body full of Textual/Rich markup, ANSI CSI, OSC
(window title, hyperlink), C1 controls, bidi overrides and NULs (as XML/HTML character references,
the way a hostile publisher would send them). The real NewsService parses, cleans, extracts and
stores them; the real app (make_app) shows them. On each surface (dashboard news list, metric card
source sentence, article screen, detail screen headlines, a notification) the rendered screen must
contain the markup literally and no control character at all.
"""
from __future__ import annotations

import pytest

from config.validation import validate_settings
from market.instruments import directory
from market.providers.replay import frozen_clock
from news.service import NewsService
from storage.db import Database
from tests.news_loopback import Loopback, Route
from tui.app import make_app
from tui.subcommands.snapshot import render_text

MARKUP = "[bold red]PWNED[/]"
LINK_MARKUP = "[link=http://evil.example]click[/link]"
# Each hostile fragment as the wire carries it (character references) -> what must never reach a screen.
CONTROLS_XML = {
    "&#27;[2J": "\x1b",            # ANSI clear screen
    "&#27;]0;owned&#7;": "\x07",   # OSC window title, BEL-terminated
    "&#27;]8;;http://evil.example&#27;\\": "\x1b",  # OSC 8 hyperlink
    "&#x9b;31m": "\x9b",           # C1 CSI
    "&#x202e;": "\u202e",          # right-to-left override
    "&#x2066;": "\u2066",          # left-to-right isolate
    "&#0;": "\x00",                # NUL
}
FORBIDDEN = {"\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x00", "\x9d"}
HOSTILE_TITLE = f"Alibaba {MARKUP} {LINK_MARKUP} shares jump 5% " + " ".join(CONTROLS_XML)
HOSTILE_BODY = (
    f"Alibaba Group said revenue {MARKUP} rose 8% year-over-year to RMB 280.15 billion in the quarter "
    + " ".join(CONTROLS_XML) + "."
)
LINK_QUERY_XML = "?q=[b]x[/b]&#27;]0;owned&#7;"  # a link whose text looks like markup and carries an OSC


def feed(url: str) -> bytes:
    items = (f"<item><guid>h-1</guid><title>{HOSTILE_TITLE}</title><link>{url}/p/1{LINK_QUERY_XML}</link>"
             "<pubDate>Fri, 21 Feb 2025 01:00:00 GMT</pubDate></item>"
             f"<item><guid>h-2</guid><title>Alibaba cloud {LINK_MARKUP} &#27;[31mnote</title>"
             f"<link>{url}/p/2</link><pubDate>Fri, 21 Feb 2025 00:30:00 GMT</pubDate></item>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Hostile</title>'
            f"<link>{url}/</link><description>d</description>{items}</channel></rss>").encode()


def page(body: str) -> bytes:
    return f"<html><body><article><p>{body}</p><p>Alibaba [i]more[/i] text.</p></article></body></html>".encode()


@pytest.fixture
async def hostile_app(tmp_path):
    srv = Loopback()
    srv.routes.update({
        "/feed": Route(feed(srv.url), headers={"Content-Type": "application/rss+xml"}),
        "/p/1": Route(page(HOSTILE_BODY), headers={"Content-Type": "text/html; charset=utf-8"}),
        "/p/2": Route(page("Alibaba cloud revenue grew 13% " + MARKUP), headers={"Content-Type": "text/html"}),
    })
    settings = validate_settings({"news": {"feeds": [{"name": f"Hostile {MARKUP}", "url": srv.url + "/feed"}]}})
    database = Database(tmp_path / "news.db")
    news = NewsService.from_settings(settings, database=database)
    await news.refresh()
    assert not news.errors, news.errors
    app = make_app(settings, demo=True, clock=frozen_clock(), news_service=news, live_refresh=False)
    try:
        yield app
    finally:
        srv.close()
        database.close()


def assert_safe(text: str, *must_contain: str) -> None:
    leaked = {repr(c) for c in FORBIDDEN if c in text}
    assert not leaked, f"control characters reached the screen: {leaked}"
    for literal in must_contain:
        assert literal in text, f"{literal!r} not shown literally"


async def settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_stored_items_are_clean_and_keep_markup(hostile_app):
    items = hostile_app.news_service.items(limit=10)
    assert len(items) == 2
    for item in items:
        for field in (item.title, item.summary or "", item.text or "", item.source):
            assert_safe(field)
    first = next(i for i in items if "PWNED" in i.title)
    assert MARKUP in first.title and LINK_MARKUP in first.title and MARKUP in first.text
    assert first.extraction and any(MARKUP in m.text for m in first.extraction.metrics)


async def test_dashboard_news_list_metric_cards_and_detail_screen(hostile_app):
    app = hostile_app
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        screen = render_text(app)
        assert_safe(screen, MARKUP, "[link=http://evil.example]")
        from widgets.metric_card import MetricStrip

        cards = app.screen.query_one(MetricStrip).cards
        assert cards, "no metric card from the hostile article"
        sources = [card.source().plain for card in cards]
        assert any(MARKUP in s for s in sources), sources
        for s in sources:
            assert_safe(s)

        from tui.screens.detail import DetailScreen  # the detail screen's headlines and cards

        app.push_screen(DetailScreen(directory().company("alibaba")))
        await settle(app, pilot)
        assert_safe(render_text(app), MARKUP)


async def test_article_screen_and_its_notification(hostile_app, monkeypatch):
    app = hostile_app
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        await settle(app, pilot)
        from tui.screens.article import ArticleScreen

        item = next(i for i in app.news_service.items(limit=10) if "PWNED" in i.title)
        app.push_screen(ArticleScreen(item))
        await pilot.pause()
        assert_safe(render_text(app), MARKUP, "[link=http://evil.example]", "[i]more[/i]")
        await pilot.press("o")
        await pilot.pause()
        assert opened == [item.link] and item.link.endswith("?q=[b]x[/b]")
        from textual.widgets._toast import Toast

        await pilot.pause(0.2)
        toasts = [str(t.render()) for t in app.screen.query(Toast)]
        assert any("[b]x[/b]" in t for t in toasts), toasts
        assert_safe(render_text(app) + "".join(toasts), "[b]x[/b]")


NOT_WEB_LINKS = ["JavaScript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "\x01javascript:alert(1)", ""]


async def test_article_o_opens_only_http_links(hostile_app, monkeypatch):
    app = hostile_app
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        from tui.screens.article import ArticleScreen

        item = app.news_service.items(limit=1)[0]
        for link in NOT_WEB_LINKS:
            item.link = link
            app.push_screen(ArticleScreen(item))
            await pilot.pause()
            await pilot.press("o")
            await pilot.pause()
            assert opened == [], link
            assert "no web link" in list(app._notifications)[-1].message, link
            app.clear_notifications()
            app.pop_screen()
            await pilot.pause()
        assert app.is_running
