"""RSS and Atom feeds: conditional fetch, parsing with feedparser, and de-duplication keys.

feedparser copes with what real feeds do (Yahoo's element order, CDATA, namespaced extras, wrong or
missing charsets, entity-encoded HTML, broken XML via its loose parser); we hand it bytes, never a
URL or a path, so it can neither fetch nor open anything itself. Every string that leaves this
module is cleaned (`clean_text`): feed text is written by strangers.
"""
from __future__ import annotations

import asyncio
import calendar
import codecs
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

import feedparser
import httpx

from news.article import html_to_text
from news.fetch import FetchError, get_capped, is_http_url
from news.models import Validators
from news.sanitize import clean_text

MAX_FEED_BYTES = 4 * 1024 * 1024
"""A big feed is ~200 KB; more than this is cut (feedparser still reads the entries before the cut)."""
MAX_ENTRIES = 200
"""Entries kept per feed per fetch: feeds list the newest first."""
TITLE_CHARS = 500
SUMMARY_CHARS = 2000

MAX_DEPTH = 64
"""Element nesting kept in a feed. Real feeds nest < 10 deep; feedparser spends ~80 us per level of a
deep pit (100,000 levels: 8 s of CPU), so tags deeper than this are dropped and their text kept."""

_DTD_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(rb"<!\[CDATA\[|<!--|<(/?)[A-Za-z_][^<>]*?(/?)>")
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']*""")
_CHARSET = re.compile(r";\s*charset=[^;]*", re.IGNORECASE)
# UTF-32 before UTF-16: a UTF-32-LE BOM starts with the UTF-16-LE one. XML without a BOM starts with "<".
_WIDE = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"), (b"<\0\0\0", "utf-32-le"), (b"\0\0\0<", "utf-32-be"),
         (b"<\0", "utf-16-le"), (b"\0<", "utf-16-be"))
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|guccounter|guce_\w+|ncid|soc_\w+|cmpid|mod)$", re.I)


@dataclass(slots=True)
class FeedEntry:
    """One parsed item, cleaned, before its page is fetched."""

    guid: str
    link: str  # http(s) or ""
    title: str  # as published, minus control characters
    published: datetime | None
    summary: str
    source: str  # the publisher when the feed names one, else the feed's name
    feed: str

    def keys(self) -> list[str]:
        """De-duplication keys: the same story arrives under one guid, one link or one headline."""
        keys = []
        if self.guid:
            keys.append("guid:" + self.guid)
        if self.link:
            keys.append("link:" + normalise_link(self.link))
        title = normalise_title(self.title, self.source)
        if len(title) >= 12:  # "Markets" or "Update" alone would merge unrelated items
            keys.append("title:" + title)
        return keys


@dataclass(slots=True)
class FeedResult:
    name: str
    url: str
    entries: list[FeedEntry] = field(default_factory=list)
    validators: Validators | None = None  # to remember (None: keep the old ones)
    not_modified: bool = False
    error: str | None = None
    retry_after: float | None = None


async def fetch_feed(
    client: httpx.AsyncClient,
    name: str,
    url: str,
    validators: Validators | None = None,
    *,
    deadline: float = 6.0,
) -> FeedResult:
    """Fetch and parse one feed; never raises (the error is in the result)."""
    headers = validators.headers() if validators else {}
    try:
        page = await get_capped(client, url, max_bytes=MAX_FEED_BYTES, deadline=deadline, headers=headers)
    except FetchError as e:
        return FeedResult(name, url, error=str(e), retry_after=e.retry_after)
    if page.status == 304:
        return FeedResult(name, url, not_modified=True)
    # feedparser is pure Python: a big feed would stall the app's event loop, so parse in a thread
    entries = await asyncio.to_thread(
        parse_feed, page.body, name=name, url=page.url, content_type=page.headers.get("content-type")
    )
    fresh = Validators(page.headers.get("etag"), page.headers.get("last-modified"))
    error = None if entries or _looks_like_feed(page.body) else "not an RSS or Atom feed"
    return FeedResult(name, url, entries, fresh if (fresh.etag or fresh.last_modified) else None, error=error)


def parse_feed(body: bytes, *, name: str, url: str = "", content_type: str | None = None) -> list[FeedEntry]:
    """Entries of an RSS 2.0 / Atom document (broken XML gives what the loose parser recovers)."""
    headers = {"content-location": url} if url else {}
    utf8 = _as_utf8(body)
    if utf8 is not body and content_type:
        content_type = _CHARSET.sub("", content_type) + "; charset=utf-8"
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(_shallow(_defused(utf8))), response_headers=headers, sanitize_html=True)
    google = urlparse(url).hostname == "news.google.com"
    entries = []
    for raw in parsed.entries[:MAX_ENTRIES]:
        entry = _entry(raw, name, google)
        if entry.title or entry.link:
            entries.append(entry)
    return entries


def dedupe(entries: Iterable[FeedEntry], seen: set[str] | None = None) -> list[FeedEntry]:
    """Entries whose keys are all new, in order; `seen` (keys already stored) is extended in place."""
    seen = set() if seen is None else seen
    out = []
    for entry in entries:
        keys = entry.keys()
        if keys and not seen.intersection(keys):
            out.append(entry)
        seen.update(keys)
    return out


def normalise_title(title: str, publisher: str = "") -> str:
    """Headline without the publisher suffix, case, punctuation or width differences."""
    text = unicodedata.normalize("NFKC", title).casefold()
    suffix = f" - {publisher}".casefold()
    if publisher and text.endswith(suffix):
        text = text[: -len(suffix)]
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def normalise_link(link: str) -> str:
    """Scheme and host lower-cased, no fragment, no tracking parameters, no trailing slash."""
    parsed = urlparse(link.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if not _TRACKING.match(k)])
    path = parsed.path.rstrip("/") or "/"
    return urlunparse((parsed.scheme.lower(), parsed.netloc.lower(), path, parsed.params, query, ""))


def _entry(raw: feedparser.FeedParserDict, feed_name: str, google: bool) -> FeedEntry:
    title = _text(raw.get("title_detail"), raw.get("title", ""), TITLE_CHARS)
    publisher = clean_text((raw.get("source") or {}).get("title", ""), 200, single_line=True)
    if not publisher and google and " - " in title:
        publisher = title.rsplit(" - ", 1)[1].strip()
    link = clean_text(raw.get("link", ""), 2000, single_line=True).strip()
    return FeedEntry(
        guid=clean_text(raw.get("id", ""), 500, single_line=True).strip(),
        link=link if is_http_url(link) else "",
        title=title,
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed, with a warning
        published=_when(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")),
        summary=_text(raw.get("summary_detail"), raw.get("summary", ""), SUMMARY_CHARS, single_line=False),
        source=publisher or feed_name,
        feed=feed_name,
    )


def _text(detail: dict | None, value: str, limit: int, *, single_line: bool = True) -> str:
    """Plain text of a feed field; HTML-typed fields go through the HTML parser, not a regex."""
    if detail and "html" in (detail.get("type") or "") and ("<" in value or "&" in value):
        value = html_to_text(value)
    return clean_text(value, limit, single_line=single_line).strip()


def _when(struct) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime; nonsense dates become None."""
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _defused(body: bytes) -> bytes:
    """The body without an internal DTD subset when it declares entities.

    Feeds never need their own entities; a "billion laughs" document does, and expat would expand
    it to its amplification limit (seconds of CPU) before refusing. Undeclared references that
    remain are kept as literal text by feedparser's loose parser.
    """
    if b"<!ENTITY" not in body:
        return body
    return _DTD_SUBSET.sub(b"", body, count=1)


def _as_utf8(body: bytes) -> bytes:
    """A UTF-16/32 body re-encoded as UTF-8 (its declaration too), so the byte-level guards in
    `_defused` and `_shallow` see its markup: in UTF-16 `<!ENTITY` is not those bytes, and an entity
    bomb would reach expat. Other bodies are returned as they are (the same object)."""
    for mark, encoding in _WIDE:
        if body.startswith(mark):
            text = body.decode(encoding, "replace").lstrip("\ufeff")
            return _XML_ENCODING.sub(r"\g<1>utf-8", text, count=1).encode("utf-8")
    return body


def _shallow(body: bytes) -> bytes:
    """The body without the tags nested deeper than MAX_DEPTH (their text stays): one linear scan,
    and a copy only for a document that actually has such a pit. CDATA and comments are skipped
    (HTML inside them need not be balanced)."""
    depth, drop, at = 0, [], 0
    while (match := _TAG.search(body, at)) is not None:
        at = match.end()
        if match.group(1) is None:  # <![CDATA[ or <!--: jump past its end
            end = body.find(b"]]>" if match.group(0) == b"<![CDATA[" else b"-->", at)
            if end < 0:
                break
            at = end + 3
        elif not match.group(2):  # <empty/> changes nothing
            closing = bool(match.group(1))
            if (depth if closing else depth + 1) > MAX_DEPTH:
                drop.append(match.span())
            depth = max(0, depth - 1) if closing else depth + 1
    if not drop:
        return body
    out, at = [], 0
    for start, end in drop:
        out.append(body[at:start])
        at = end
    out.append(body[at:])
    return b"".join(out)


def _looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf" in head
