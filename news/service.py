"""The news pipeline behind the news pane and `sinoterm news`: feeds -> items -> pages -> metrics -> store.

One refresh runs in two phases so that a refresh cut short (the CLI's 10-second promise, the app
quitting) still leaves something useful:

1. every feed at once (conditional GETs), new entries de-duplicated against everything seen before,
   tagged and parsed from headline + summary, and stored at once;
2. the pages of stored items still waiting for theirs (bounded concurrency, each page capped in size
   and time), re-tagged and re-parsed on headline + story text. Items a cut-short refresh did not
   reach stay pending and are fetched by the next one; pages that fail keep the headline.

Demo mode runs this same code on bundled files served in-process (`news.demo`), so no request
leaves the machine, into a store of its own that later demo starts read instead of re-running it.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from config.models import Settings
from news.models import NewsItem
from storage.db import Database
from storage.news import DONE, FAILED, NO_PAGE, PENDING, NewsStore

if TYPE_CHECKING:  # the network and parsing stack loads on the first refresh, after the first frame
    import httpx

    from news.feeds import FeedEntry, FeedResult

log = logging.getLogger(__name__)

NO_PAGE_HOSTS = frozenset({"news.google.com"})
"""Hosts whose item links are script redirects, not articles: their items keep the feed's summary."""
MAX_BACKOFF = timedelta(hours=6)


class NewsService:
    """Feeds in, stored `NewsItem`s out. Never raises for a source's failure: see `errors`."""

    def __init__(
        self,
        store: NewsStore,
        feeds: list[tuple[str, str]],
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        serve_bundled: bool = False,
        fetch_articles: bool = True,
        feed_deadline: float = 6.0,
        article_deadline: float = 6.0,
        article_concurrency: int = 6,
        articles_per_refresh: int = 30,
        owns_database: bool = False,
    ):
        self.store = store
        self.database: Database = store.db
        self.feeds = feeds
        self.fetch_articles = fetch_articles
        self.feed_deadline = feed_deadline
        self.article_deadline = article_deadline
        self.article_concurrency = article_concurrency
        self.articles_per_refresh = articles_per_refresh
        self.errors: list[str] = []  # what went wrong in the last refresh, one line per feed or page
        self.last_refresh: datetime | None = None
        self._transport = transport
        self._serve_bundled = serve_bundled  # demo: the bundled feed and pages through an in-process transport
        self._client: httpx.AsyncClient | None = None
        self._owns_database = owns_database
        self._refreshing: asyncio.Lock | None = None

    @classmethod
    def from_settings(cls, settings: Settings, *, demo: bool = False, database: Database | None = None) -> NewsService:
        """Feeds from `[[news.feeds]]`; demo=True reads the bundled feed instead (no network)."""
        owns = database is None
        if demo:
            from news import demo as bundle

            database = database or Database(bundle.store_file())  # never the user's database
            feeds, fetch_pages = [bundle.DEMO_FEED], True
        else:
            if database is None:
                from config.paths import database_file

                database = Database(database_file())
            feeds = [(f.name, f.url) for f in settings.news.feeds]
            fetch_pages = settings.news.fetch_articles
        store = NewsStore(database, settings.news.max_items)
        return cls(store, feeds, serve_bundled=demo, fetch_articles=fetch_pages, owns_database=owns)

    # ---- reading -----------------------------------------------------------------------------

    def items(self, company_id: str | None = None, limit: int = 50) -> list[NewsItem]:
        """Stored items, newest first, optionally only those about one company (its id)."""
        return self.store.items(company_id, limit)

    def mark_read(self, item_id: str, read: bool = True) -> bool:
        return self.store.mark_read(item_id, read)

    # ---- refreshing --------------------------------------------------------------------------

    async def refresh(self) -> list[NewsItem]:
        """Poll every feed once and process new items; returns them, newest first."""
        self._refreshing = self._refreshing or asyncio.Lock()
        async with self._refreshing:
            if self._serve_bundled and self.store.count() and not self.store.pending(1):
                return []  # the demo store holds the whole bundle already: nothing can be new
            self.errors = []
            new = await self._poll_feeds()
            if self.fetch_articles:
                done = {item.id: item for item in await self._fetch_pages()}
                new = [done.get(item.id, item) for item in new]
            self.last_refresh = datetime.now(UTC)
            return new

    async def _poll_feeds(self) -> list[NewsItem]:
        now = datetime.now(UTC)
        due = []
        for name, url in self.feeds:
            retry_at = self.store.retry_at(url)
            if retry_at and retry_at > now:
                self.errors.append(f"{name}: backing off until {retry_at:%H:%M} UTC (server asked)")
            else:
                due.append((name, url))
        from news.feeds import dedupe

        results = await asyncio.gather(*(self._poll(name, url) for name, url in due))
        entries = [entry for result in results for entry in result.entries]
        seen = self.store.known_keys(key for entry in entries for key in entry.keys())
        fresh = dedupe(entries, seen)
        items = [await self._analysed(self._new_item(entry, now)) for entry in fresh]
        self.store.add([(item, entry.keys(), self._page_state(item)) for item, entry in zip(items, fresh, strict=True)])
        return sorted(items, key=lambda i: i.time or now, reverse=True)

    async def _poll(self, name: str, url: str) -> FeedResult:
        from news.feeds import fetch_feed

        result = await fetch_feed(self._http(), name, url, self.store.validators(url), deadline=self.feed_deadline)
        retry_at = None
        if result.retry_after is not None:
            retry_at = datetime.now(UTC) + min(timedelta(seconds=result.retry_after), MAX_BACKOFF)
        if result.error:
            self.errors.append(f"{name}: {result.error}")
            log.info("feed %s (%s): %s", name, url, result.error)
        self.store.record_feed(url, validators=result.validators, error=result.error, retry_at=retry_at)
        return result

    async def _fetch_pages(self) -> list[NewsItem]:
        from news.article import fetch_article

        limit = asyncio.Semaphore(self.article_concurrency)

        async def one(item: NewsItem) -> NewsItem:
            try:
                async with limit:
                    page = await fetch_article(self._http(), item.link, deadline=self.article_deadline)
                text, error = page.text, page.error
            except Exception as e:  # noqa: BLE001 - one strange page must not sink the refresh
                log.exception("page %s", item.link)
                text, error = "", f"{type(e).__name__}: {e}"[:200]
            if error:
                self.errors.append(f"{item.source}: page {item.link[:60]}: {error}")
            updated = await self._analysed(replace(item, text=text))
            self.store.update_article(updated, DONE if text else FAILED, error)
            return updated

        return list(await asyncio.gather(*(one(item) for item in self.store.pending(self.articles_per_refresh))))

    def _page_state(self, item: NewsItem) -> str:
        host = urlparse(item.link).hostname or ""
        return PENDING if self.fetch_articles and item.link and host not in NO_PAGE_HOSTS else NO_PAGE

    @staticmethod
    def _new_item(entry: FeedEntry, now: datetime) -> NewsItem:
        key = entry.keys()[0]
        return NewsItem(
            id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
            title=entry.title,
            link=entry.link,
            source=entry.source,
            published=entry.published,
            summary=entry.summary,
            fetched_at=now,
            feed=entry.feed,
        )

    @staticmethod
    async def _analysed(item: NewsItem) -> NewsItem:
        """The item with its companies and extraction from headline + story (or summary).

        Runs in a worker thread: a long story must not stall the app's event loop.
        """
        body = item.text or item.summary
        text = f"{item.title}\n\n{body}" if body else item.title
        companies, extraction = await asyncio.to_thread(_analyse, text)
        return replace(item, companies=companies, extraction=extraction)

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            from news.fetch import make_client

            transport = self._transport
            if transport is None and self._serve_bundled:
                from news.demo import respond

                transport = httpx.MockTransport(respond)
            self._client = make_client(transport)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._owns_database:
            self.database.close()


def _analyse(text: str):
    """Company ids (tagging) and the extraction of `text`.

    A bug in either costs the item its tags or cards, never the item: third-party text is endless.
    """
    from news.extract import extract  # lazy: the extractor's tables load on first use
    from news.tagging import companies_in

    try:
        companies = list(dict.fromkeys(c.id for c in companies_in(text)))
    except Exception:  # noqa: BLE001
        log.exception("tagging failed on %r", text[:80])
        companies = []
    try:
        extraction = extract(text)
    except Exception:  # noqa: BLE001
        log.exception("extraction failed on %r", text[:80])
        extraction = None
    return companies, extraction
