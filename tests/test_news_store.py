"""NewsItem's JSON shape and labels, and the SQLite store round trip (real file, real extractor)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from news.extract import Extraction, extract
from news.feeds import Validators
from news.models import NewsItem
from storage.db import Database
from storage.news import NO_PAGE, NewsStore

WHEN = datetime(2025, 2, 21, 8, 20, tzinfo=UTC)


def item(n: int = 1, **kw) -> NewsItem:
    base = dict(id=f"id-{n}", title=f"Headline {n}", link=f"https://x.test/{n}", source="Wire", published=WHEN,
                fetched_at=WHEN)
    return NewsItem(**{**base, **kw})


def test_to_json_is_the_design_contract():
    extraction = extract("Alibaba shares jumped 15% in Hong Kong on Friday.")
    data = item(companies=["alibaba"], extraction=extraction).to_json()
    assert {"title", "link", "source", "published", "companies", "moves", "metrics"} <= data.keys()
    assert data["published"] == "2025-02-21T08:20:00+00:00"
    assert data["companies"] == ["Alibaba Group"] and data["company_ids"] == ["alibaba"]
    assert data["moves"][0]["pct"] == 15 and data["moves"][0]["market"] == "HK"


def test_labels_for_lists():
    extraction = extract("Alibaba's ADRs rose 8% in New York.")
    news = item(companies=["alibaba", "tencent", "pdd"], extraction=extraction)
    assert news.tickers() == ["9988", "0700", "PDD"]
    assert news.move_badge() == "BABA +8% US"
    assert item().move_badge() == "" and item().to_json()["metrics"] == []


def test_round_trip_keeps_everything(tmp_path):
    db = Database(tmp_path / "n.db")
    store = NewsStore(db)
    extraction = extract("Tencent revenue rose 11% year-over-year to RMB 172,446 million.")
    original = item(companies=["tencent"], extraction=extraction, summary="s", text="t", feed="Feed")
    store.add([(original, ["guid:1"], NO_PAGE)])
    (back,) = store.items()
    assert isinstance(back.extraction, Extraction)
    assert back.extraction.to_json() == extraction.to_json()
    assert (back.title, back.companies, back.summary, back.text, back.feed) == ("Headline 1", ["tencent"], "s", "t", "Feed")
    assert store.known_keys(["guid:1", "guid:2"]) == {"guid:1"}
    db.close()


def test_future_dated_items_do_not_pin_the_top(tmp_path):
    store = NewsStore(Database(tmp_path / "n.db"))
    now = datetime.now(UTC)
    store.add([
        (item(1, published=now + timedelta(days=30), fetched_at=now - timedelta(hours=1)), ["k:1"], NO_PAGE),
        (item(2, published=now - timedelta(minutes=5), fetched_at=now), ["k:2"], NO_PAGE),
    ])
    assert [i.id for i in store.items()] == ["id-2", "id-1"]


def test_feed_validators_and_backoff(tmp_path):
    store = NewsStore(Database(tmp_path / "n.db"))
    url = "https://x.test/feed"
    assert store.validators(url) is None
    store.record_feed(url, validators=Validators('"e1"', "Fri, 21 Feb 2025 08:00:00 GMT"))
    store.record_feed(url, error="HTTP 500")  # a failure keeps the old validators
    assert store.validators(url) == Validators('"e1"', "Fri, 21 Feb 2025 08:00:00 GMT")
    later = datetime(2030, 1, 1, tzinfo=UTC)
    store.record_feed(url, retry_at=later)
    assert store.retry_at(url) == later


def test_schema_is_versioned_and_reopens(tmp_path):
    NewsStore(Database(tmp_path / "n.db")).add([(item(), ["k"], NO_PAGE)])
    db = Database(tmp_path / "n.db")
    assert db.execute("SELECT version FROM schema_versions WHERE component = 'news'").fetchone()[0] == 1
    assert NewsStore(db).count() == 1


def test_undated_items_are_dated_when_first_seen():
    assert item(published=None).to_json()["published"] == "2025-02-21T08:20:00+00:00"
