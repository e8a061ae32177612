"""QuoteService against real loopback HTTP servers: failover, backoff, Retry-After, health, cache, deadline."""
from __future__ import annotations

import time

import pytest
from loopback import LoopbackServer
from quote_lines import sina_fx, sina_hk, sina_us, tencent_fx, tencent_hk, tencent_us

from config.validation import validate_settings
from market.models import Quote
from market.providers.base import QuoteSource, SourceResult
from market.providers.http import make_client
from market.providers.sina import SinaSource
from market.providers.tencent import TencentSource
from market.service import QuoteService
from storage.db import Database
from storage.quotes import QuoteStore

TENCENT = {"hk09988": tencent_hk("09988"), "usBIDU": tencent_us("BIDU"), "whUSDHKD": tencent_fx()}
SINA = {"rt_hk09988": sina_hk(last="101.400"), "gb_bidu": sina_us(), "fx_susdhkd": sina_fx()}


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def servers():
    tencent, sina = LoopbackServer(tencent=TENCENT), LoopbackServer(sina=SINA)
    yield tencent, sina
    tencent.close()
    sina.close()


@pytest.fixture
def database(tmp_path):
    db = Database(tmp_path / "quotes.db")
    yield db
    db.close()


def build(servers, database=None, *, timeout=0.5, deadline=None, clock=None, one_shot=False) -> QuoteService:
    tencent, sina = servers
    client = make_client(timeout)
    return QuoteService(
        [TencentSource(client, tencent.url, timeout), SinaSource(client, sina.url, timeout)],
        store=QuoteStore(database) if database else None, one_shot=one_shot, source_timeout=timeout + 0.3,
        deadline=deadline, client=client, monotonic=clock or time.monotonic, jitter=lambda: 1.0,
    )


async def test_healthy_primary_answers_everything_in_one_request(servers):
    service = build(servers)
    snap = await service.refresh(["9988.HK", "BIDU"], ["USDHKD"])
    await service.aclose()
    assert [q.source for q in snap.quotes.values()] == ["tencent", "tencent"]
    assert snap.fx["USDHKD"].rate == 7.8123 and snap.requests == 1 and not snap.errors
    assert servers[0].requests == ["/q=hk09988,usBIDU,whUSDHKD"] and servers[1].requests == []
    assert service.health["tencent"].ok and service.health["tencent"].latency_ms is not None


@pytest.mark.parametrize("mode", ["500", "garbage", "truncated", "hang", "slow-drip", "reset"])
async def test_primary_failure_moves_symbols_to_the_secondary(servers, mode):
    servers[0].mode = mode
    servers[0].drip_seconds = 0.2
    service = build(servers, timeout=0.5)
    started = time.monotonic()
    snap = await service.refresh(["9988.HK", "BIDU"], ["USDHKD"])
    took = time.monotonic() - started
    await service.aclose()
    assert took < 2.5
    assert {s: q.source for s, q in snap.quotes.items()} == {"9988.HK": "sina", "BIDU": "sina"}
    assert snap.fx["USDHKD"].source == "sina"
    health = service.health["tencent"]
    assert not health.ok and health.failures == 1 and health.last_error and snap.errors
    assert servers[1].requests == ["/list=rt_hk09988,gb_bidu,fx_susdhkd"]


async def test_backoff_skips_a_failing_source_then_retries_it(servers):
    clock = FakeClock()
    servers[0].mode = "500"
    service = build(servers, clock=clock)
    await service.refresh(["9988.HK"], ())
    await service.refresh(["9988.HK"], ())
    assert len(servers[0].requests) == 1  # the second refresh did not knock on a backing-off source
    health = service.health["tencent"]
    assert health.backoff_until == pytest.approx(1002.0)  # base 2 s, jitter pinned to its maximum
    servers[0].mode = "ok"
    clock.now += 2.1
    snap = await service.refresh(["9988.HK"], ())
    await service.aclose()
    assert snap.quotes["9988.HK"].source == "tencent" and health.ok and health.failures == 0


async def test_backoff_grows_exponentially_and_is_capped(servers):
    clock = FakeClock()
    servers[0].mode = "500"
    service = build(servers, clock=clock)
    delays = []
    for _ in range(10):
        await service.refresh(["9988.HK"], ())
        delays.append(service.health["tencent"].backoff_until - clock.now)
        clock.now = service.health["tencent"].backoff_until + 0.01
    await service.aclose()
    assert delays[:4] == pytest.approx([2, 4, 8, 16], abs=0.02)
    assert max(delays) == pytest.approx(300)


async def test_jitter_spreads_the_delay(servers):
    servers[0].mode = "500"
    tencent, sina = servers
    client = make_client(0.5)
    service = QuoteService([TencentSource(client, tencent.url, 0.5)], client=client, monotonic=FakeClock(),
                           jitter=lambda: 0.0)
    await service.refresh(["9988.HK"], ())
    await service.aclose()
    assert service.health["tencent"].backoff_until == pytest.approx(1001.0)  # half of 2 s at minimum jitter


async def test_429_retry_after_is_honoured(servers):
    clock = FakeClock()
    servers[0].mode = "429"
    servers[0].retry_after = "45"
    service = build(servers, clock=clock)
    snap = await service.refresh(["9988.HK"], ())
    await service.aclose()
    assert service.health["tencent"].backoff_until == pytest.approx(1045.0)
    assert "429" in service.health["tencent"].last_error
    assert snap.quotes["9988.HK"].source == "sina"


async def test_all_sources_failing_serves_the_cache_marked_stale(servers, database):
    service = build(servers, database)
    fresh = await service.refresh(["9988.HK", "BIDU"], ["USDHKD"])
    await service.aclose()
    assert not any(q.stale for q in fresh.quotes.values())

    for server in servers:
        server.mode = "500"
    restarted = build(servers, database)  # a new process: nothing in memory, only the SQLite cache
    snap = await restarted.refresh(["BIDU", "9988.HK"], ["USDHKD"])
    await restarted.aclose()
    assert list(snap.quotes) == ["BIDU", "9988.HK"]
    assert all(q.stale for q in snap.quotes.values()) and snap.fx["USDHKD"].stale
    assert snap.quotes["9988.HK"].last == 101.5 and snap.quotes["9988.HK"].time == fresh.quotes["9988.HK"].time
    assert snap.quotes["BIDU"].ads_ratio_hint == "1:8" and not snap.unknown
    assert len(snap.errors) == 2


async def test_cached_needs_no_network(servers, database):
    service = build(servers, database)
    await service.refresh(["9988.HK"], ["USDHKD"])
    await service.aclose()
    for server in servers:
        server.close()
    snap = QuoteService([], store=QuoteStore(database)).cached(["9988.HK", "0700.HK"])
    assert list(snap.quotes) == ["9988.HK"] and snap.quotes["9988.HK"].stale and snap.fx["USDHKD"].stale


async def test_unknown_everywhere_is_unknown(servers):
    service = build(servers)
    snap = await service.refresh(["9988.HK", "NOPEZ"], ())
    await service.aclose()
    assert snap.unknown == {"NOPEZ"} and "NOPEZ" not in snap.quotes
    assert servers[1].requests == ["/list=gb_nopez"]  # the secondary was asked only about what was missing


async def test_one_shot_deadline_holds_against_hanging_servers(servers):
    for server in servers:
        server.mode = "hang"
    service = build(servers, timeout=2.0, deadline=0.8, one_shot=True)
    started = time.monotonic()
    snap = await service.refresh(["9988.HK"], ())
    took = time.monotonic() - started
    await service.aclose()
    assert took < 1.5 and not snap.quotes
    assert any("deadline" in e for e in snap.errors) and not service.health["tencent"].ok


async def test_from_settings_one_shot_tries_each_source_once_with_short_timeouts(servers, database):
    for server in servers:
        server.mode = "hang"
    settings = validate_settings({"quotes": {"timeout_seconds": 0.5}, "providers": {
        "tencent": {"base_url": servers[0].url}, "sina": {"base_url": servers[1].url},
        "yahoo": {"base_url": servers[1].url}}})
    service = QuoteService.from_settings(settings, one_shot=True, database=database)
    assert [s.name for s in service.sources] == ["tencent", "sina", "yahoo"]
    started = time.monotonic()
    snap = await service.refresh(["9988.HK"])
    await service.aclose()
    assert time.monotonic() - started < 3 and len(snap.errors) == 3
    assert [len(s.requests) for s in servers] == [1, 3]  # tencent once; sina once, yahoo per symbol and pair


class Exploding(QuoteSource):
    name = "exploding"

    async def fetch(self, symbols, fx_pairs=()):
        raise ValueError("parser bug")


class Fixed(QuoteSource):
    name = "fixed"

    async def fetch(self, symbols, fx_pairs=()):
        return SourceResult(quotes={s: Quote(s, s, "USD", 1.0, source=self.name) for s in symbols}, requests=1)


async def test_an_unexpected_source_exception_is_absorbed():
    service = QuoteService([Exploding(), Fixed()])
    snap = await service.refresh(["ZZAB"], ())
    assert snap.quotes["ZZAB"].source == "fixed"
    assert "unexpected ValueError" in service.health["exploding"].last_error


async def test_probe_reports_each_source(servers):
    servers[1].mode = "500"
    service = build(servers)
    report = await service.probe(["9988.HK"])
    await service.aclose()
    assert [(h.name, h.ok, n) for h, n in report] == [("tencent", True, 1), ("sina", False, 0)]


async def test_one_shot_asks_every_source_each_time_regardless_of_backoff(servers):
    servers[0].mode = "500"
    service = build(servers, clock=FakeClock(), one_shot=True)
    await service.refresh(["9988.HK"], ())
    await service.refresh(["9988.HK"], ())
    await service.aclose()
    assert len(servers[0].requests) == 2


async def test_only_changed_quotes_are_written_again(servers, database):
    service = build(servers, database)
    await service.refresh(["9988.HK", "BIDU"], ())
    written = service.store.fetched_at("9988.HK")
    servers[0].tencent["usBIDU"] = tencent_us("BIDU", last="91.00")
    await service.refresh(["9988.HK", "BIDU"], ())
    await service.aclose()
    assert service.store.fetched_at("9988.HK") == written  # unchanged: not rewritten
    assert service.store.load(["BIDU"])["BIDU"].last == 91.0
