"""Feeds: parsing RSS 2.0 and Atom (fixtures written for these tests), de-duplication, and fetching
over a real loopback server (304s, errors, slow and hung servers, resets, wrong charsets)."""
from __future__ import annotations

import html
import time
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from news.feeds import FeedEntry, Validators, dedupe, fetch_feed, normalise_link, normalise_title, parse_feed
from news.fetch import make_client
from tests.news_loopback import Loopback, Route

# Yahoo-style RSS 2.0: <description> before <title>, no guid on one item, a relative link.
RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Headlines for BABA</title><link>https://feeds.example.test/</link><description>x</description>
<item>
  <description>Cloud sales grew 13% in the quarter, the group said.</description>
  <title>Alibaba cloud unit speeds up &amp; margins widen</title>
  <link>https://news.example.test/a/alibaba-cloud?utm_source=rss&amp;id=7</link>
  <guid isPermaLink="false">ex-0001</guid>
  <pubDate>Thu, 20 Feb 2025 12:30:00 +0000</pubDate>
</item>
<item>
  <title>Tencent lifts its buyback budget</title>
  <link>/a/tencent-buyback</link>
  <pubDate>Wed, 19 Mar 2025 10:00:00 +0800</pubDate>
</item>
<item>
  <title>Not a web link</title>
  <link>javascript:alert(1)</link>
  <guid>ex-0003</guid>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>China tech wire</title>
  <id>urn:example:wire</id>
  <updated>2025-03-06T11:00:00Z</updated>
  <entry>
    <title type="html">JD.com revenue up &lt;b&gt;13.4%&lt;/b&gt; in Q4 &amp;amp; more</title>
    <link rel="alternate" href="https://wire.example.test/jd-q4"/>
    <id>urn:example:wire:jd-q4</id>
    <updated>2025-03-06T10:45:00Z</updated>
    <published>2025-03-06T10:30:00Z</published>
    <summary type="html">&lt;p&gt;Net revenues reached RMB347.0 billion.&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;</summary>
  </entry>
  <entry>
    <title>百度第四季度营收 341 亿元</title>
    <link href="https://wire.example.test/baidu-q4"/>
    <id>urn:example:wire:baidu-q4</id>
    <updated>2025-02-18T10:05:00Z</updated>
  </entry>
</feed>""".encode()

GOOGLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>"Alibaba" - Google News</title><link>https://news.google.com/</link>
<description>Google News</description>
<item>
  <title>Alibaba shares surge after results - Example Times</title>
  <link>https://news.google.com/rss/articles/CBMiexample?oc=5</link>
  <guid isPermaLink="false">CBMiexample</guid>
  <pubDate>Fri, 21 Feb 2025 09:00:00 GMT</pubDate>
  <description>&lt;a href="https://news.google.com/rss/articles/CBMiexample"&gt;Alibaba shares surge after results&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Example Times&lt;/font&gt;</description>
  <source url="https://times.example.test">Example Times</source>
</item>
<item>
  <title>Baidu earnings: what to watch - Another Daily</title>
  <link>https://news.google.com/rss/articles/CBMisecond?oc=5</link>
  <guid isPermaLink="false">CBMisecond</guid>
</item>
</channel></rss>"""


def hostile_rss(title_xml: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link><description>d</description>
<item><title>Tencent [bold red]PWNED[/] [link=http://evil]click[/link] cloud +13%</title>
<link>http://127.0.0.1/h1</link><pubDate>Fri, 21 Feb 2025 08:00:00 GMT</pubDate></item>
<item><title>{title_xml}</title><link>http://127.0.0.1/h2</link></item>
</channel></rss>""".encode()


# ---- parsing ---------------------------------------------------------------------------------


def test_rss2_fields_and_yahoo_element_order():
    entries = parse_feed(RSS, name="Yahoo BABA", url="https://feeds.example.test/rss")
    first, second, third = entries
    assert first.title == "Alibaba cloud unit speeds up & margins widen"  # one level of entities
    assert first.summary == "Cloud sales grew 13% in the quarter, the group said."
    assert first.guid == "ex-0001"
    assert first.published == datetime(2025, 2, 20, 12, 30, tzinfo=UTC)
    assert first.source == first.feed == "Yahoo BABA"
    assert second.link == "https://feeds.example.test/a/tencent-buyback"  # resolved against the feed
    assert second.published == datetime(2025, 3, 19, 2, 0, tzinfo=UTC)  # +0800 converted to UTC
    assert third.link == ""  # only http(s) links survive


def test_atom_html_title_becomes_text_and_summary_loses_scripts():
    jd, baidu = parse_feed(ATOM, name="Wire", url="https://wire.example.test/atom")
    assert jd.title == "JD.com revenue up 13.4% in Q4 & more"  # HTML decoded once, as text
    assert jd.link == "https://wire.example.test/jd-q4"
    assert jd.published == datetime(2025, 3, 6, 10, 30, tzinfo=UTC)  # published wins over updated
    assert jd.summary == "Net revenues reached RMB347.0 billion."
    assert baidu.title == "百度第四季度营收 341 亿元"
    assert baidu.published == datetime(2025, 2, 18, 10, 5, tzinfo=UTC)  # falls back to updated


def test_google_news_title_kept_and_publisher_recorded():
    first, second = parse_feed(GOOGLE, name="Google Alibaba", url="https://news.google.com/rss/search?q=x")
    assert first.title == "Alibaba shares surge after results - Example Times"  # as published
    assert first.source == "Example Times"  # from <source>
    assert second.source == "Another Daily"  # from the " - Publisher" suffix
    assert "Alibaba shares surge after results" in first.summary and "<" not in first.summary


def test_hostile_titles_keep_markup_and_lose_escape_sequences():
    escaped = "Alibaba &#27;[2J&#27;]0;owned&#7; results &#8238;beat"  # invalid XML refs: loose parser
    entries = parse_feed(hostile_rss(escaped), name="f", url="http://127.0.0.1/feed")
    titles = [e.title for e in entries]
    assert titles[0] == "Tencent [bold red]PWNED[/] [link=http://evil]click[/link] cloud +13%"
    assert titles[1] == "Alibaba  results beat"


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "iso-8859-1"])
def test_non_utf8_feeds_declared_in_xml(encoding):
    text = {"gb18030": "腾讯控股 收入增长 11%", "big5": "騰訊控股 收入增長 11%", "iso-8859-1": "Revenue up 11% à Paris"}[encoding]
    body = f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>c</title>' \
           f"<item><title>{text}</title><link>https://x.test/1</link></item></channel></rss>"
    (entry,) = parse_feed(body.encode(encoding), name="f")
    assert entry.title == text


def test_charset_from_http_header_when_xml_does_not_say():
    body = "<rss version='2.0'><channel><title>c</title><item><title>京东 营收</title>" \
           "<link>https://x.test/1</link></item></channel></rss>"
    (entry,) = parse_feed(body.encode("gbk"), name="f", content_type="application/rss+xml; charset=GBK")
    assert entry.title == "京东 营收"


def test_entity_expansion_is_bounded_and_other_items_survive():
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    body = f"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{lol}]>
<rss version="2.0"><channel><title>t</title>
<item><title>bomb &l9;</title><link>https://x.test/1</link></item>
<item><title>Normal headline after the bomb</title><link>https://x.test/2</link></item>
</channel></rss>""".encode()
    started = time.monotonic()
    entries = parse_feed(body, name="f")
    assert time.monotonic() - started < 2  # ~0.01 s; expat alone would spend seconds expanding
    assert "Normal headline after the bomb" in [e.title for e in entries]
    assert all(len(e.title) < 1000 for e in entries)


def test_truncated_feed_still_gives_the_complete_items():
    entries = parse_feed(RSS[: RSS.index(b"<title>Not a web link")], name="f")
    assert [e.guid for e in entries][:1] == ["ex-0001"]
    assert len(entries) >= 2


def test_garbage_gives_no_entries():
    assert parse_feed(b"\x00\xff<html>oops" + bytes(range(256)), name="f") == []


# ---- de-duplication --------------------------------------------------------------------------


def entry(title: str, link: str = "", guid: str = "", source: str = "feed") -> FeedEntry:
    return FeedEntry(guid, link, title, None, "", source, "feed")


def test_dedupe_by_guid_link_and_normalised_title():
    items = [
        entry("Alibaba results beat forecasts", "https://a.test/1", "g1"),
        entry("Different words entirely here", "https://b.test/2", "g1"),  # same guid
        entry("Another headline about Tencent", "https://A.TEST/1/?utm_source=x#top"),  # same link
        entry("ALIBABA results — beat forecasts!", "https://c.test/3"),  # same title
        entry("Alibaba results beat forecasts - Example Times", "https://news.google.com/x", "", "Example Times"),
        entry("JD.com posts quarterly numbers", "https://d.test/4"),
    ]
    assert [e.link for e in dedupe(items)] == ["https://a.test/1", "https://d.test/4"]


def test_dedupe_against_keys_already_stored():
    seen = {"guid:g1"}
    kept = dedupe([entry("Alibaba results beat forecasts", "https://a.test/1", "g1"),
                   entry("A brand new story about NIO", "https://n.test/1")], seen)
    assert [e.link for e in kept] == ["https://n.test/1"]
    assert "link:https://n.test/1" in seen


def test_short_titles_are_not_used_as_keys():
    assert dedupe([entry("Update", "https://a.test/1"), entry("Update", "https://a.test/2")]) != []
    assert len(dedupe([entry("Update", "https://a.test/1"), entry("Update", "https://a.test/2")])) == 2


def test_normalisers():
    assert normalise_link("HTTPS://Example.TEST/a/?utm_medium=x&id=3&fbclid=z#frag") == "https://example.test/a?id=3"
    assert normalise_title("Ｂａｉｄｕ Profit Doubles - Wire", "Wire") == "baidu profit doubles"


# ---- fetching --------------------------------------------------------------------------------


@pytest.fixture
def server():
    srv = Loopback()
    yield srv
    srv.close()


async def fetch(url: str, validators: Validators | None = None, deadline: float = 3.0):
    async with make_client(timeout=2.0) as client:
        return await fetch_feed(client, "f", url, validators, deadline=deadline)


async def test_conditional_get_gets_304_and_keeps_validators(server):
    server.routes["/rss"] = Route(RSS, headers={"Content-Type": "application/rss+xml",
                                                 "Last-Modified": "Thu, 20 Feb 2025 12:31:00 GMT"}, etag='"v1"')
    first = await fetch(server.url + "/rss")
    assert len(first.entries) == 3 and first.validators == Validators('"v1"', "Thu, 20 Feb 2025 12:31:00 GMT")
    again = await fetch(server.url + "/rss", first.validators)
    assert again.not_modified and again.entries == [] and again.error is None
    sent = server.requests[-1][1]
    assert sent["if-none-match"] == '"v1"' and sent["if-modified-since"] == "Thu, 20 Feb 2025 12:31:00 GMT"


async def test_http_500_is_an_error_not_an_exception(server):
    server.routes["/rss"] = Route(b"oops", status=500)
    result = await fetch(server.url + "/rss")
    assert result.error == "HTTP 500" and result.entries == []


async def test_429_carries_retry_after(server):
    server.routes["/rss"] = Route(b"slow down", status=429, headers={"Retry-After": "120"})
    result = await fetch(server.url + "/rss")
    assert result.error == "HTTP 429" and result.retry_after == 120


async def test_slow_drip_is_cut_by_the_total_deadline(server):
    server.routes["/rss"] = Route(RSS, behaviour="slow")
    started = time.monotonic()
    result = await fetch(server.url + "/rss", deadline=0.6)
    assert "within 0.6 s" in result.error and time.monotonic() - started < 2


async def test_hung_server_is_cut_by_the_deadline(server):
    server.routes["/rss"] = Route(behaviour="hang")
    result = await fetch(server.url + "/rss", deadline=0.5)
    assert "within 0.5 s" in result.error


async def test_reset_connection(server):
    server.routes["/rss"] = Route(behaviour="reset")
    result = await fetch(server.url + "/rss")
    assert result.error and result.entries == []


async def test_unresolvable_host():
    result = await fetch("http://no-such-host.sinoterm.invalid/rss")
    assert result.error and result.entries == []


async def test_only_http_urls_are_fetched():
    result = await fetch("file:///etc/passwd")
    assert "not an http(s) URL" in result.error


async def test_html_page_instead_of_a_feed(server):
    server.routes["/rss"] = Route(b"<html><body><p>Sign in</p></body></html>", headers={"Content-Type": "text/html"})
    result = await fetch(server.url + "/rss")
    assert result.error == "not an RSS or Atom feed"


async def test_wrong_charset_header_over_a_gbk_body(server):
    body = "<?xml version='1.0' encoding='gb18030'?><rss version='2.0'><channel><title>c</title>" \
           "<item><title>美团 收入</title><link>https://x.test/1</link></item></channel></rss>"
    server.routes["/rss"] = Route(body.encode("gb18030"), headers={"Content-Type": "text/xml; charset=utf-8"})
    result = await fetch(server.url + "/rss")
    assert result.error is None and len(result.entries) == 1  # decoded somehow, never an exception


async def test_parsing_through_mock_transport():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=ATOM))
    async with make_client(transport) as client:
        result = await fetch_feed(client, "Wire", "https://wire.example.test/atom")
    assert [e.link for e in result.entries] == ["https://wire.example.test/jd-q4", "https://wire.example.test/baidu-q4"]


# ---- fuzzing ---------------------------------------------------------------------------------

FUZZ_ITEM = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_exceptions(body):
    for entry in parse_feed(body, name="f"):
        assert "\x1b" not in entry.title and "\x00" not in entry.summary


@settings(max_examples=150, deadline=None)
@given(title=FUZZ_ITEM, summary=FUZZ_ITEM)
def test_any_item_text_comes_out_clean(title, summary):
    body = ("<rss version='2.0'><channel><title>c</title><item><title>" + html.escape(title) + "</title>"
            "<description>" + html.escape(summary) + "</description><link>https://x.test/1</link>"
            "</item></channel></rss>").encode("utf-8", "surrogatepass")
    for entry in parse_feed(body, name="f"):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in entry.title)  # one line
        assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in entry.summary)
