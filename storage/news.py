"""News in SQLite: items with read state and fetch time, de-duplication keys, feed validators.

De-duplication keys live in their own table and outlive the items they came from, so a story pruned
by the `max_items` cap is not fetched again the next time its feed still lists it. Times are stored
as UTC ISO 8601 strings (they sort as text).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from news.models import NewsItem, Validators, load_extraction
from storage.db import Database

COMPONENT = "news"
MIGRATIONS = [
    """
    CREATE TABLE news_items (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        link TEXT NOT NULL,
        source TEXT NOT NULL,
        feed TEXT NOT NULL,
        published TEXT,
        sort_time TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        companies TEXT NOT NULL DEFAULT '[]',
        extraction TEXT,
        article_state TEXT NOT NULL DEFAULT 'none',
        article_error TEXT,
        read INTEGER NOT NULL DEFAULT 0,
        fetched_at TEXT NOT NULL
    );
    CREATE INDEX news_items_sort ON news_items(sort_time DESC);
    CREATE INDEX news_items_state ON news_items(article_state);
    CREATE TABLE news_keys (key TEXT PRIMARY KEY, item_id TEXT NOT NULL, seen_at TEXT NOT NULL);
    CREATE INDEX news_keys_seen ON news_keys(seen_at);
    CREATE TABLE news_feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT,
        last_error TEXT,
        retry_at TEXT
    )
    """,
]
KEYS_PER_ITEM = 6
"""Keys kept per stored item (3 keys each, and room for pruned stories that feeds still list)."""

PENDING, DONE, FAILED, NO_PAGE = "pending", "ok", "failed", "none"
"""article_state: page still to fetch, fetched, fetch failed (headline kept), no page to fetch."""

_COLUMNS = "id, title, link, source, feed, published, summary, text, companies, extraction, read, fetched_at"


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


class NewsStore:
    def __init__(self, db: Database, max_items: int = 500):
        self.db = db
        self.max_items = max_items
        db.ensure(COMPONENT, MIGRATIONS)

    # ---- items -------------------------------------------------------------------------------

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of `keys` belong to stories already seen."""
        keys = list(keys)
        found: set[str] = set()
        for start in range(0, len(keys), 500):  # SQLite's bound-parameter limit
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT key FROM news_keys WHERE key IN ({marks})", chunk).fetchall()
            found.update(r[0] for r in rows)
        return found

    def add(self, items: Sequence[tuple[NewsItem, list[str], str]]) -> None:
        """Insert (item, its de-dup keys, article_state) rows, then cap the table to `max_items`."""
        if not items:
            return
        self.db.executemany(
            "INSERT OR IGNORE INTO news_items (id, title, link, source, feed, published, sort_time, summary, "
            "text, companies, extraction, article_state, read, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self._row(item, state) for item, _, state in items],
        )
        seen = iso(datetime.now(UTC))
        self.db.executemany(
            "INSERT OR IGNORE INTO news_keys (key, item_id, seen_at) VALUES (?, ?, ?)",
            [(key, item.id, seen) for item, keys, _ in items for key in keys],
        )
        self.prune()

    def update_article(self, item: NewsItem, state: str, error: str | None = None) -> None:
        """Store what the page gave: text, companies, extraction and how the fetch went."""
        self.db.execute(
            "UPDATE news_items SET text = ?, companies = ?, extraction = ?, article_state = ?, "
            "article_error = ? WHERE id = ?",
            (item.text, json.dumps(item.companies), _extraction_json(item), state, error, item.id),
        )

    def pending(self, limit: int) -> list[NewsItem]:
        """Items whose page is still to fetch, newest first (a cut-short refresh resumes here)."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM news_items WHERE article_state = ? ORDER BY sort_time DESC LIMIT ?",
            (PENDING, limit),
        ).fetchall()
        return [_item(r) for r in rows]

    def items(self, company_id: str | None = None, limit: int = 50) -> list[NewsItem]:
        """Newest first; with `company_id`, only the items tagged with that company."""
        if company_id:
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM news_items WHERE EXISTS "
                "(SELECT 1 FROM json_each(news_items.companies) WHERE value = ?) "
                "ORDER BY sort_time DESC LIMIT ?",
                (company_id, limit),
            ).fetchall()
        else:
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM news_items ORDER BY sort_time DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_item(r) for r in rows]

    def get(self, item_id: str) -> NewsItem | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM news_items WHERE id = ?", (item_id,)).fetchone()
        return _item(row) if row else None

    def mark_read(self, item_id: str, read: bool = True) -> bool:
        """Set the read flag; False when there is no such item."""
        cursor = self.db.execute("UPDATE news_items SET read = ? WHERE id = ?", (int(read), item_id))
        return cursor.rowcount > 0

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM news_items").fetchone()[0]

    def prune(self) -> None:
        """Keep the newest `max_items` items and a bounded memory of keys."""
        self.db.execute(
            "DELETE FROM news_items WHERE id IN "
            "(SELECT id FROM news_items ORDER BY sort_time DESC LIMIT -1 OFFSET ?)",
            (self.max_items,),
        )
        self.db.execute(
            "DELETE FROM news_keys WHERE key IN "
            "(SELECT key FROM news_keys ORDER BY seen_at DESC LIMIT -1 OFFSET ?)",
            (self.max_items * KEYS_PER_ITEM,),
        )

    # ---- feeds -------------------------------------------------------------------------------

    def validators(self, url: str) -> Validators | None:
        row = self.db.execute("SELECT etag, last_modified FROM news_feeds WHERE url = ?", (url,)).fetchone()
        return Validators(row[0], row[1]) if row and (row[0] or row[1]) else None

    def retry_at(self, url: str) -> datetime | None:
        """When a feed that asked us to back off (429 Retry-After) may be asked again."""
        row = self.db.execute("SELECT retry_at FROM news_feeds WHERE url = ?", (url,)).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def record_feed(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Remember one fetch: new validators (None keeps the old), the error, a back-off time."""
        self.db.execute(
            "INSERT INTO news_feeds (url, etag, last_modified, checked_at, last_error, retry_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
            "etag = coalesce(excluded.etag, etag), last_modified = coalesce(excluded.last_modified, last_modified), "
            "checked_at = excluded.checked_at, last_error = excluded.last_error, retry_at = excluded.retry_at",
            (
                url,
                validators.etag if validators else None,
                validators.last_modified if validators else None,
                iso(datetime.now(UTC)),
                error,
                iso(retry_at) if retry_at else None,
            ),
        )

    @staticmethod
    def _row(item: NewsItem, state: str) -> tuple:
        fetched = item.fetched_at or datetime.now(UTC)
        # A feed's future-dated item must not pin itself to the top: sort by the earlier of the two.
        sort_time = min(item.published, fetched) if item.published else fetched
        return (
            item.id,
            item.title,
            item.link,
            item.source,
            item.feed,
            iso(item.published) if item.published else None,
            iso(sort_time),
            item.summary,
            item.text,
            json.dumps(item.companies),
            _extraction_json(item),
            state,
            int(item.read),
            iso(fetched),
        )


def _extraction_json(item: NewsItem) -> str | None:
    return json.dumps(item.extraction_dict(), ensure_ascii=False) if item.extraction is not None else None


def _item(row: Sequence) -> NewsItem:
    (item_id, title, link, source, feed, published, summary, text, companies, extraction, read, fetched) = row
    return NewsItem(
        id=item_id,
        title=title,
        link=link,
        source=source,
        published=datetime.fromisoformat(published) if published else None,
        summary=summary,
        text=text,
        companies=json.loads(companies),
        extraction=load_extraction(json.loads(extraction)) if extraction else None,
        read=bool(read),
        fetched_at=datetime.fromisoformat(fetched),
        feed=feed,
    )
