"""Article text: the story element without the site's furniture, and bounded fetching of pages."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from news.article import MAX_PAGE_BYTES, fetch_article, html_to_text
from news.fetch import make_client
from tests.news_loopback import Loopback, Route

PAGE = """<!DOCTYPE html><html><head><title>Site title | Wire</title>
<script>var tracking = "do not read";</script><style>p { color: red }</style></head>
<body>
<header><a href="/">The Example Wire</a><p>Tagline of the site</p></header>
<nav><ul><li>Markets</li><li>Tech</li></ul></nav>
<main>
  <article>
    <header><h1>Headline in the page</h1><p class="byline">By A. Writer</p></header>
    <p>Meituan said revenue rose <b>20%</b> to RMB 88.5 billion in the quarter.</p>
    <p>Its core local commerce unit grew
       faster than   expected.</p>
    <figure><img src="x.png"><figcaption>A delivery rider in Beijing.</figcaption></figure>
    <div class="share-bar">Share on X</div>
    <ul><li>First point</li><li>Second point</li></ul>
    <p hidden>Hidden paragraph</p>
    <form><label>Subscribe <input name="e"></label></form>
  </article>
  <aside><h2>Most read</h2><p>Another story</p></aside>
</main>
<footer><p>Copyright the wire</p></footer>
</body></html>"""


def test_story_text_without_boilerplate():
    text = html_to_text(PAGE)
    assert text.split("\n\n") == [
        "Meituan said revenue rose 20% to RMB 88.5 billion in the quarter.",
        "Its core local commerce unit grew faster than expected.",
        "A delivery rider in Beijing.",
        "First point",
        "Second point",
    ]
    for junk in ("tracking", "color", "Tagline", "Markets", "Share on", "Hidden", "Subscribe", "Most read", "Copyright"):
        assert junk not in text


def test_the_longest_article_wins():
    html = "<body><article><p>Teaser.</p></article><article><p>The real story is this long paragraph.</p>" \
           "<p>And a second one.</p></article></body>"
    assert html_to_text(html) == "The real story is this long paragraph.\n\nAnd a second one."


def test_role_main_then_body_fallbacks():
    assert html_to_text('<body><nav>menu</nav><div role="main"><p>Main text.</p></div><p>Outside</p></body>') == "Main text."
    assert html_to_text("<body><nav>menu</nav><div><p>One.</p>Two</div><footer>f</footer></body>") == "One.\n\nTwo"


def test_fragment_and_entities():
    assert html_to_text("Profit &amp; loss <i>rose</i> 5%") == "Profit & loss rose 5%"
    assert html_to_text("") == ""


def test_hostile_body_markup_kept_controls_dropped():
    text = html_to_text("<article><p>[bold red]PWNED[/] \x1b[2J\x1b]0;t\x07 \u202eok\x00</p></article>")
    assert text == "[bold red]PWNED[/]  ok"


def test_deep_nesting_is_bounded():
    html = "<body><article><p>Before the pit.</p>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</article></body>"
    started = time.monotonic()
    text = html_to_text(html)
    assert time.monotonic() - started < 2  # lexbor alone takes ~40 s on this
    assert text.startswith("Before the pit.")


def test_gbk_bytes_with_meta_charset():
    html = '<html><head><meta charset="gbk"></head><body><article><p>拼多多 营收</p></article></body></html>'
    assert html_to_text(html.encode("gbk")) == "拼多多 营收"


# ---- fetching --------------------------------------------------------------------------------


@pytest.fixture
def server():
    srv = Loopback()
    yield srv
    srv.close()


async def get(url: str, deadline: float = 3.0):
    async with make_client(timeout=2.0) as client:
        return await fetch_article(client, url, deadline=deadline)


async def test_fetches_a_page(server):
    server.routes["/a"] = Route(PAGE.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    page = await get(server.url + "/a")
    assert page.error is None and page.text.startswith("Meituan said revenue rose 20%")


async def test_charset_from_the_header(server):
    body = "<article><p>小米 汽车 交付</p></article>".encode("gb18030")
    server.routes["/a"] = Route(body, headers={"Content-Type": "text/html; charset=GB18030"})
    assert (await get(server.url + "/a")).text == "小米 汽车 交付"


async def test_server_error_keeps_no_text(server):
    server.routes["/a"] = Route(b"boom", status=500)
    page = await get(server.url + "/a")
    assert page.text == "" and page.error == "HTTP 500"


async def test_huge_page_is_capped(server):
    server.routes["/a"] = Route(behaviour="huge")
    started = time.monotonic()
    page = await get(server.url + "/a", deadline=10)
    assert time.monotonic() - started < 5
    assert page.truncated and page.text.startswith("Huge page start.")
    assert len(page.text) <= 60_000 and MAX_PAGE_BYTES < 50 * 1024 * 1024


async def test_slow_page_is_cut_by_the_deadline(server):
    server.routes["/a"] = Route(PAGE.encode(), behaviour="slow")
    page = await get(server.url + "/a", deadline=0.5)
    assert page.text == "" and "within 0.5 s" in page.error


async def test_not_a_web_page(server):
    server.routes["/a"] = Route(b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    page = await get(server.url + "/a")
    assert page.text == "" and "not a web page" in page.error


async def test_only_http_links():
    page = await get("ftp://example.test/story")
    assert page.text == "" and "not an http(s) URL" in page.error


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_as_html_comes_out_clean(html):
    text = html_to_text(html)
    assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in text)
