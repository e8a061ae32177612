"""The quote cache on a real SQLite file: round trips, migrations, bars, history fallback through the service."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from market.models import Bar, FxRate, Quote
from market.providers.base import QuoteSource, SourceResult, SourceTimeout
from market.providers.fields import HKT
from market.service import QuoteService
from storage.db import Database
from storage.quotes import QuoteStore

WHEN = datetime(2026, 3, 12, 16, 8, 5, tzinfo=HKT)


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "cache.db")
    yield database
    database.close()


def quote(symbol="9988.HK", last=101.5) -> Quote:
    return Quote(symbol, "Alibaba Group", "HKD", last, 100.0, 100.2, 102.3, 99.8, 1.5, 1.5, 2500000, WHEN,
                 "tencent", ads_ratio_hint=None, extra={"lot_size": 500.0, "tencent_code": None})


def test_quote_round_trip_is_field_for_field_and_stale(db):
    store = QuoteStore(db)
    store.save([quote(), quote("1234.HK", 3.3)])
    loaded = store.load(["1234.HK", "0700.HK", "9988.HK"])
    assert list(loaded) == ["1234.HK", "9988.HK"]
    assert loaded["9988.HK"] == quote().as_stale()
    assert loaded["9988.HK"].time.utcoffset() == timedelta(hours=8)
    assert loaded["9988.HK"].extra == {"lot_size": 500.0, "tencent_code": None}
    assert isinstance(loaded["9988.HK"].volume, int)
    assert store.fetched_at("9988.HK") is not None


def test_last_write_wins_and_survives_reopen(tmp_path):
    path = tmp_path / "cache.db"
    first = Database(path)
    QuoteStore(first).save([quote(last=1.0)])
    QuoteStore(first).save([quote(last=2.0)])
    first.close()
    again = Database(path)
    store = QuoteStore(again)  # migrations are not re-applied
    assert store.load(["9988.HK"])["9988.HK"].last == 2.0
    version = again.execute("SELECT version FROM schema_versions WHERE component = 'quotes'").fetchone()[0]
    again.close()
    assert version == 1


def test_fx_round_trip(db):
    store = QuoteStore(db)
    store.save_fx([FxRate("USDHKD", 7.8123, 7.81, WHEN, "sina")])
    assert store.load_fx(["USDHKD", "USDCNY"]) == {"USDHKD": FxRate("USDHKD", 7.8123, 7.81, WHEN, "sina", stale=True)}


def test_bars_keep_order_limit_and_replace(db):
    store = QuoteStore(db)
    bars = [Bar(WHEN + timedelta(minutes=i), 1.0 + i, 2.0 + i, 0.5 + i, 1.5 + i, 100 * i) for i in range(5)]
    store.save_bars("9988.HK", "intraday", bars[::-1])
    assert store.bars("9988.HK", "intraday") == bars
    assert store.bars("9988.HK", "intraday", limit=2) == bars[-2:]
    store.save_bars("9988.HK", "intraday", bars[:1], replace=True)
    assert store.bars("9988.HK", "intraday") == bars[:1]
    assert store.bars("9988.HK", "daily") == []


class FakeHistory:
    def __init__(self, bars=None, error=None):
        self.bars, self.error, self.calls = bars or [], error, []

    async def daily(self, symbol, count=320, tencent_code=None):
        self.calls.append((symbol, count, tencent_code))
        if self.error:
            raise self.error
        return self.bars

    async def intraday(self, symbol, tencent_code=None):
        return await self.daily(symbol, 0, tencent_code)

    async def history(self, symbol, *, daily=True, range_=None):
        return await self.daily(symbol)


class OneQuote(QuoteSource):
    name = "one"

    async def fetch(self, symbols, fx_pairs=()):
        return SourceResult(quotes={"ZZAB": Quote("ZZAB", None, "USD", 1.0, extra={"tencent_code": "ZZAB.N"})})


DAILY = [Bar(WHEN.replace(hour=0, minute=0, second=0) + timedelta(days=i), 1, 2, 0.5, 1.5, 10) for i in range(3)]


async def test_history_falls_back_to_yahoo_then_to_the_cache(db):
    store = QuoteStore(db)
    tencent = FakeHistory(error=SourceTimeout("tencent", "slow"))
    yahoo = FakeHistory(bars=DAILY)
    service = QuoteService([], store=store, history=tencent, yahoo=yahoo)
    assert await service.daily("9988.HK") == DAILY
    assert store.bars("9988.HK", "daily") == DAILY

    yahoo.error = SourceTimeout("yahoo", "slow")
    assert await service.daily("9988.HK") == DAILY  # both down: what the cache holds


async def test_history_passes_the_suffixed_us_code_from_the_last_quote(db):
    tencent = FakeHistory(bars=DAILY)
    service = QuoteService([OneQuote()], store=QuoteStore(db), history=tencent)
    await service.refresh(["ZZAB"], ())
    await service.daily("ZZAB", count=30)
    assert tencent.calls == [("ZZAB", 30, "ZZAB.N")]
