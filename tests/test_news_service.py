"""NewsService end to end on a real loopback server and a real SQLite file: feeds, pages, tagging,
extraction, storage, read state, the cap, back-off, cut-short refreshes and the bundled demo."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from config.models import Settings
from news.service import NewsService
from storage.db import Database
from storage.news import NewsStore
from tests.news_loopback import Loopback, Route

HTML = "text/html; charset=utf-8"


def rss(*items: tuple[str, str, str, str]) -> bytes:
    """(guid, title, link path or URL, RFC 822 date) per item."""
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for guid, title, link, date in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
<link>http://127.0.0.1/</link><description>d</description>{body}</channel></rss>""".encode()


def page(*paragraphs: str) -> bytes:
    inner = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><body><nav>Menu</nav><article>{inner}</article><footer>c</footer></body></html>".encode()


@pytest.fixture
def server():
    srv = Loopback()
    yield srv
    srv.close()


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path / "news.db")
    yield db
    db.close()


def service_for(database, feeds, **kw) -> NewsService:
    kw.setdefault("feed_deadline", 2.0)
    kw.setdefault("article_deadline", 2.0)
    return NewsService(NewsStore(database, kw.pop("max_items", 500)), feeds, **kw)


def standard_feed(server: Loopback) -> None:
    server.routes["/feed"] = Route(
        rss(
            ("w-1", "Alibaba quarterly revenue rises 8%", "/p/1", "Thu, 20 Feb 2025 11:40:00 GMT"),
            ("w-2", "Tencent posts fourth-quarter results", "/p/2", "Wed, 19 Mar 2025 09:10:00 GMT"),
            ("w-3", "Baidu revenue slips as ads soften", "/p/3", "Tue, 18 Feb 2025 10:05:00 GMT"),
        ),
        headers={"Content-Type": "application/rss+xml"},
        etag='"feed-v1"',
    )
    server.routes["/p/1"] = Route(
        page("Alibaba Group (NYSE: BABA) said revenue was RMB 280,154 million, up 8% year-over-year.",
             "Cloud Intelligence revenue grew 13% to RMB 31,742 million."),
        headers={"Content-Type": HTML},
    )
    server.routes["/p/2"] = Route(b"oops", status=500)
    server.routes["/p/3"] = Route(page("Baidu (BIDU) revenue fell 2%."), behaviour="slow")


async def test_refresh_fetches_parses_tags_extracts_and_stores(server, database):
    standard_feed(server)
    service = service_for(database, [("Wire", server.url + "/feed")], article_deadline=0.5)
    try:
        new = await service.refresh()
    finally:
        await service.aclose()
    assert [i.title for i in new] == [
        "Tencent posts fourth-quarter results",
        "Alibaba quarterly revenue rises 8%",
        "Baidu revenue slips as ads soften",
    ]
    stored = {i.title: i for i in service.items()}
    alibaba = stored["Alibaba quarterly revenue rises 8%"]
    assert alibaba.text.startswith("Alibaba Group (NYSE: BABA) said revenue") and "Menu" not in alibaba.text
    assert alibaba.companies[0] == "alibaba"
    assert any(m.name == "revenue" and m.value == pytest.approx(280_154e6) for m in alibaba.extraction.metrics)
    tencent = stored["Tencent posts fourth-quarter results"]
    assert tencent.text == "" and tencent.companies == ["tencent"]  # the 500 page kept its headline
    assert stored["Baidu revenue slips as ads soften"].text == ""  # the slow page was cut off
    assert any("HTTP 500" in e for e in service.errors) and any("within 0.5 s" in e for e in service.errors)
    assert [i.title for i in service.items("alibaba")] == ["Alibaba quarterly revenue rises 8%"]


async def test_second_refresh_is_a_conditional_get_and_fetches_nothing_again(server, database):
    standard_feed(server)
    server.routes["/p/3"] = Route(page("Baidu (BIDU) revenue fell 2%."), headers={"Content-Type": HTML})
    service = service_for(database, [("Wire", server.url + "/feed")])
    try:
        await service.refresh()
        before = len(server.requests)
        assert await service.refresh() == []
    finally:
        await service.aclose()
    assert server.paths()[before:] == ["/feed"]  # no page fetched twice
    assert server.requests[-1][1]["if-none-match"] == '"feed-v1"'


async def test_validators_survive_a_restart(server, database):
    standard_feed(server)
    first = service_for(database, [("Wire", server.url + "/feed")], fetch_articles=False)
    await first.refresh()
    await first.aclose()
    second = service_for(database, [("Wire", server.url + "/feed")], fetch_articles=False)
    await second.refresh()
    await second.aclose()
    assert server.requests[-1][1].get("if-none-match") == '"feed-v1"'


async def test_same_story_from_two_feeds_is_stored_once(server, database):
    server.routes["/a"] = Route(rss(("a-1", "Xiaomi delivers its first SUV", "https://x.test/suv?utm_source=a",
                                     "Thu, 26 Jun 2025 12:00:00 GMT")))
    server.routes["/b"] = Route(rss(("b-9", "Xiaomi Delivers Its First SUV - Example Times", "https://x.test/suv",
                                     "Thu, 26 Jun 2025 12:05:00 GMT")))
    service = service_for(database, [("A", server.url + "/a"), ("B", server.url + "/b")], fetch_articles=False)
    await service.refresh()
    await service.aclose()
    assert len(service.items()) == 1


async def test_read_state_persists(server, database, tmp_path):
    standard_feed(server)
    service = service_for(database, [("Wire", server.url + "/feed")], fetch_articles=False)
    await service.refresh()
    await service.aclose()
    target = service.items()[1]
    assert not target.read and service.mark_read(target.id)
    assert not service.mark_read("no-such-id")
    reopened = NewsService(NewsStore(Database(tmp_path / "news.db")), [])
    assert [i.read for i in reopened.items()] == [False, True, False]
    reopened.database.close()


async def test_cap_keeps_the_newest_and_does_not_refetch_pruned_stories(server, database):
    items = [(f"g-{n}", f"Numbered headline number {n}", f"/s/{n}", f"Mon, {n + 1:02d} Jan 2024 00:00:00 GMT")
             for n in range(15)]
    server.routes["/feed"] = Route(rss(*items))
    service = service_for(database, [("Wire", server.url + "/feed")], fetch_articles=False, max_items=10)
    assert len(await service.refresh()) == 15
    assert service.store.count() == 10
    assert service.items(limit=1)[0].title == "Numbered headline number 14"
    assert await service.refresh() == []  # the pruned five are remembered, not re-added
    await service.aclose()


async def test_429_backs_off_until_retry_after(server, database):
    server.routes["/feed"] = Route(b"busy", status=429, headers={"Retry-After": "600"})
    service = service_for(database, [("Wire", server.url + "/feed")])
    await service.refresh()
    asked = len(server.requests)
    await service.refresh()
    await service.aclose()
    assert len(server.requests) == asked  # not asked again inside the window
    assert any("backing off" in e for e in service.errors)


async def test_failing_feed_keeps_what_is_stored(server, database):
    standard_feed(server)
    service = service_for(database, [("Wire", server.url + "/feed")], fetch_articles=False)
    await service.refresh()
    server.routes["/feed"] = Route(b"", status=500)
    assert await service.refresh() == []
    await service.aclose()
    assert len(service.items()) == 3 and service.errors == ["Wire: HTTP 500"]


async def test_a_cut_short_refresh_resumes_the_pages_next_time(server, database):
    standard_feed(server)
    server.routes["/p/1"] = Route(behaviour="hang")
    server.routes["/p/3"] = Route(b"", status=404)
    service = service_for(database, [("Wire", server.url + "/feed")], article_deadline=20)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(service.refresh(), 1.0)
    assert len(service.items()) == 3  # headlines stored before the pages
    server.routes["/p/1"] = Route(page("Alibaba revenue rose 8% to RMB 280.15 billion."), headers={"Content-Type": HTML})
    await service.refresh()
    await service.aclose()
    alibaba = service.items("alibaba")[0]
    assert alibaba.text == "Alibaba revenue rose 8% to RMB 280.15 billion."


async def test_hostile_feed_text_is_stored_literally_and_clean(server, database):
    title = "Alibaba [bold red]PWNED[/] &#27;[2J&#27;]0;owned&#7; beat"
    server.routes["/feed"] = Route(rss(("h-1", title, "/p/h", "Fri, 21 Feb 2025 08:00:00 GMT")))
    server.routes["/p/h"] = Route(page("Body with [link=http://evil]markup[/link] and \x1b[31mcolour\x1b[0m."),
                                  headers={"Content-Type": HTML})
    service = service_for(database, [("Wire", server.url + "/feed")])
    await service.refresh()
    await service.aclose()
    (item,) = service.items()
    assert item.title == "Alibaba [bold red]PWNED[/]  beat"
    assert item.text == "Body with [link=http://evil]markup[/link] and colour."
    assert item.to_json()["title"] == item.title


async def test_demo_runs_the_same_pipeline_without_network():
    service = NewsService.from_settings(Settings(), demo=True)
    new = await service.refresh()
    assert len(new) >= 6 and service.errors == []
    assert all(i.link.startswith("https://demo.sinoterm.invalid/articles/") and i.text for i in new)
    titles = [i.title for i in service.items()]
    assert titles[0].startswith("Alibaba shares jump 15%") and titles[-1].startswith("Tencent")  # newest first
    results = next(i for i in new if "December quarter" in i.title)
    assert results.companies[0] == "alibaba"
    metrics = [(m.name, m.value, m.change_pct) for m in results.extraction.metrics]
    assert ("revenue", pytest.approx(280_154e6), 8) in metrics
    assert ("net_income_attributable", pytest.approx(48_945e6), 239) in metrics
    rally = next(i for i in new if "15%" in i.title)
    assert any(m.pct == 15 and m.market == "HK" and m.direction == "up" for m in rally.extraction.moves)
    for company in ("tencent", "jd", "baidu", "meituan"):
        assert service.items(company), company
    await service.aclose()


async def test_an_unexpected_page_failure_costs_only_that_page(database):
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed":
            return httpx.Response(200, content=rss(
                ("u-1", "NIO deliveries rise in January", "https://x.test/p/ok", "Sat, 01 Feb 2025 08:00:00 GMT"),
                ("u-2", "XPeng unveils a new sedan model", "https://x.test/p/bad", "Sat, 01 Feb 2025 09:00:00 GMT")))
        if request.url.path == "/p/bad":
            raise RuntimeError("transport bug")
        return httpx.Response(200, content=page("NIO (NYSE: NIO) delivered more cars."), headers={"Content-Type": HTML})

    service = service_for(database, [("Wire", "https://x.test/feed")], transport=httpx.MockTransport(handler))
    await service.refresh()
    await service.aclose()
    texts = {i.title: i.text for i in service.items()}
    assert texts == {"XPeng unveils a new sedan model": "", "NIO deliveries rise in January": "NIO (NYSE: NIO) delivered more cars."}
    assert any("RuntimeError: transport bug" in e for e in service.errors)


async def test_a_later_demo_start_reads_the_demo_store_without_running_the_pipeline(monkeypatch):
    first = NewsService.from_settings(Settings(), demo=True)
    stored = {i.id for i in await first.refresh()}
    first.mark_read(next(iter(stored)))
    await first.aclose()

    def no_requests(*args, **kwargs):
        raise AssertionError("the demo store was complete: nothing should be fetched")

    monkeypatch.setattr(NewsService, "_http", no_requests)
    again = NewsService.from_settings(Settings(), demo=True)
    assert await again.refresh() == []
    items = again.items()
    assert {i.id for i in items} == stored and sum(i.read for i in items) == 1
    assert any(i.extraction and i.extraction.metrics for i in items)  # the cards come back with them
    await again.aclose()


def test_the_demo_store_is_named_by_bundle_and_code_and_replaces_older_ones(monkeypatch):
    from config.paths import cache_dir
    from news import demo

    older = cache_dir() / "demo-news-0000000000000000.sqlite"
    older.write_bytes(b"")
    current = demo.store_file()
    assert current.name == f"demo-news-{demo.bundle_digest()}.sqlite" and not older.exists()
    monkeypatch.setattr(demo, "bundle_digest", lambda: "ffffffffffffffff")  # an edited extractor, say
    assert demo.store_file().name == "demo-news-ffffffffffffffff.sqlite"
