"""Oversized and malicious documents that test_feeds/test_article do not already try.

Already covered there: a billion-laughs feed in UTF-8, 100,000-deep HTML, a 50 MB article page,
GBK feeds and pages. Added here: the same entity bomb in UTF-16/UTF-32 (the encodings where a byte
search for `<!ENTITY` finds nothing), the quadratic-blowup variant, 100,000-deep XML in a feed, a 50 MB
feed streamed through the real service with a healthy feed beside it, a UTF-8 feed with invalid
bytes in one item, and peak memory of the whole path.
"""
from __future__ import annotations

import time
import tracemalloc

import pytest

from news.feeds import parse_feed
from news.service import NewsService
from storage.db import Database
from storage.news import NewsStore
from tests.news_loopback import Loopback, Route

NORMAL = "Normal headline after the bomb"


def rss(items: str, *, encoding: str = "UTF-8", dtd: str = "") -> str:
    return (f'<?xml version="1.0" encoding="{encoding}"?>{dtd}<rss version="2.0"><channel><title>t</title>'
            f"{items}<item><title>{NORMAL}</title><link>https://x.test/2</link></item></channel></rss>")


LAUGHS = '<!DOCTYPE r [<!ENTITY l0 "lol">' + "".join(
    f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)) + "]>"
QUADRATIC = f'<!DOCTYPE r [<!ENTITY big "{"x" * 50_000}">]>'


def timed_parse(body: bytes) -> tuple[list, float]:
    started = time.monotonic()
    entries = parse_feed(body, name="f")
    return entries, time.monotonic() - started


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_entity_bomb_in_wide_encodings_is_defused(encoding):
    doc = rss('<item><title>bomb &l9;</title><link>https://x.test/1</link></item>',
              encoding=encoding.upper(), dtd=LAUGHS)
    entries, took = timed_parse(doc.encode(encoding))
    assert took < 0.5, f"{took:.2f} s: expat expanded the entities"
    assert NORMAL in [e.title for e in entries]
    assert all(len(e.title) < 1000 for e in entries)


def test_quadratic_blowup_is_defused():
    doc = rss("<item><title>q " + "&big;" * 20_000 + "</title><link>https://x.test/1</link></item>", dtd=QUADRATIC)
    entries, took = timed_parse(doc.encode())
    assert took < 2 and NORMAL in [e.title for e in entries]
    assert all(len(e.title) <= 600 for e in entries)


def test_deeply_nested_xml_feed_is_bounded():
    deep = "<x>" * 100_000 + "pit" + "</x>" * 100_000
    doc = rss(f"<item><title>Deep item</title><description>{deep}</description><link>https://x.test/1</link></item>")
    entries, took = timed_parse(doc.encode())
    assert took < 5
    assert NORMAL in [e.title for e in entries]


def test_invalid_utf8_in_one_item_keeps_the_others():
    doc = rss("<item><title>Broken \xff\xfe bytes</title><link>https://x.test/1</link></item>")
    body = doc.encode("latin-1")  # declared UTF-8, but two bytes are not UTF-8
    entries, _ = timed_parse(body)
    assert NORMAL in [e.title for e in entries]


async def test_fifty_megabyte_feed_is_capped_and_the_other_feed_still_arrives(tmp_path):
    """The service streams a 50 MB feed only up to its cap, within its deadline and bounded memory,
    and a healthy feed in the same refresh is stored."""
    srv = Loopback()
    srv.routes["/huge"] = Route(behaviour="huge")
    srv.routes["/ok"] = Route(rss("").encode(), headers={"Content-Type": "application/rss+xml"})
    database = Database(tmp_path / "news.db")
    service = NewsService(NewsStore(database), [("huge", srv.url + "/huge"), ("ok", srv.url + "/ok")],
                          fetch_articles=False, feed_deadline=5.0)
    tracemalloc.start()
    started = time.monotonic()
    try:
        await service.refresh()
        took = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await service.aclose()
        srv.close()
    titles = [i.title for i in service.items(limit=10)]
    database.close()
    assert NORMAL in titles
    assert took < 6
    assert peak < 64 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB for a 50 MB feed"


def test_unbalanced_html_inside_cdata_does_not_cost_later_items():
    """Hundreds of unclosed <br>/<p> inside CDATA summaries: the depth guard must not count them."""
    items = "".join(f"<item><title>Story {i}</title><link>https://x.test/{i}</link>"
                    f"<description><![CDATA[<p>line<br>more<p>again<img src=x>]]></description></item>"
                    for i in range(150))
    entries, took = timed_parse(rss(items).encode())
    assert [e.title for e in entries][:150] == [f"Story {i}" for i in range(150)]
    assert NORMAL in [e.title for e in entries] and took < 3


def test_unterminated_cdata_and_comments_are_linear():
    body = rss("<item><title>Before</title><link>https://x.test/1</link></item>").encode()
    body = body.replace(b"</channel>", b"<![CDATA[" * 50_000 + b"<!--" * 50_000 + b"</channel>")
    _, took = timed_parse(body)
    assert took < 3


async def fetch_with_encoding(body: bytes, encoding: str):
    from news.feeds import fetch_feed
    from news.fetch import make_client

    srv = Loopback({"/f": Route(body, headers={"Content-Encoding": encoding, "Content-Type": "application/rss+xml"})})
    tracemalloc.start()
    try:
        async with make_client() as client:
            result = await fetch_feed(client, "f", srv.url + "/f", deadline=5.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        srv.close()
    return result, peak


async def test_gzip_bomb_feed_inflates_no_further_than_the_cap():
    """260 KB of gzip that inflates to 256 MiB: before the fix httpx inflated each network chunk
    whole (144 MiB peak for this body); now decompression stops at the feed cap (~11 MiB peak)."""
    import zlib

    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    spaces = b" " * (1 << 20)
    bomb = b"".join([deflate.compress(b"<rss>"), *(deflate.compress(spaces) for _ in range(256)), deflate.flush()])
    result, peak = await fetch_with_encoding(bomb, "gzip")
    assert peak < 40 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    assert result.entries == []


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_compressed_feeds_still_read(encoding):
    import gzip
    import zlib

    plain = rss("<item><title>Compressed item</title><link>https://x.test/1</link></item>").encode()
    body = gzip.compress(plain) if encoding == "gzip" else zlib.compress(plain)
    result, _ = await fetch_with_encoding(body, encoding)
    assert [e.title for e in result.entries] == ["Compressed item", NORMAL] and result.error is None


async def test_unknown_content_encoding_is_an_error_not_garbage():
    result, _ = await fetch_with_encoding(b"\x00" * 100, "zstd-ish")
    assert result.entries == [] and "content encoding" in result.error
