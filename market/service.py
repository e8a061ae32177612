"""The quote service: one refresh = one batched pass over the source chain, failures absorbed.

Why it is built this way (DESIGN.md "Quotes"): a refresh asks the primary source for every symbol,
hands whatever it could not answer to the secondary (and Yahoo as a last resort), and never raises
for a source failure. A failing source backs off exponentially with jitter (honouring a 429's
Retry-After) so a broken endpoint is not hammered every five seconds; its health is tracked for the
status bar and `sinoterm doctor`. Fresh quotes are written through to SQLite in one transaction;
a symbol no source answered comes back from memory or the cache, marked stale. In one-shot mode
(the `quote`/`parity` commands) each source is tried once with a short timeout under an overall
deadline, so the command answers within 10 s even against a server that never replies.
"""
from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from market.models import Bar, FxRate, Quote
from market.providers.base import HistorySource, QuoteSource, SourceError, SourceResult
from storage.db import Database
from storage.quotes import BarKind, QuoteStore

if TYPE_CHECKING:
    import httpx

    from config.models import Settings
    from market.providers.yahoo import YahooSource

log = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 300.0
RETRY_AFTER_MAX_SECONDS = 3600.0
ONE_SHOT_REQUEST_SECONDS = 2.5  # per source; three sources then fit the deadline below
ONE_SHOT_DEADLINE_SECONDS = 6.0  # leaves room for start-up (and a slow machine) inside the 10 s promise


@dataclass(slots=True)
class SourceHealth:
    """How one source is doing. `backoff_until` is a `time.monotonic()` instant (None: not backing off)."""

    name: str
    ok: bool = True
    last_error: str | None = None
    backoff_until: float | None = None
    latency_ms: float | None = None
    failures: int = 0
    last_success: datetime | None = None

    def retry_in(self, now: float | None = None) -> float:
        """Seconds until the source is asked again (0 when it is not backing off)."""
        if self.backoff_until is None:
            return 0.0
        return max(0.0, self.backoff_until - (time.monotonic() if now is None else now))


@dataclass
class Snapshot:
    """One refresh's answer: quotes (fresh, or stale from the cache) in request order, FX, the
    symbols every answering source called unknown, what went wrong, and how many requests it took."""

    quotes: dict[str, Quote] = field(default_factory=dict)
    fx: dict[str, FxRate] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    requests: int = 0


class QuoteService:
    """Failover, backoff, health and the cache around a chain of `QuoteSource`s."""

    def __init__(
        self,
        sources: Sequence[QuoteSource],
        *,
        store: QuoteStore | None = None,
        one_shot: bool = False,
        source_timeout: float = 10.0,
        deadline: float | None = None,
        client: httpx.AsyncClient | None = None,
        history: HistorySource | None = None,
        yahoo: YahooSource | None = None,
        owned_database: Database | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ):
        self.sources = list(sources)
        self.store = store
        self.one_shot = one_shot
        self.source_timeout = source_timeout
        self.deadline = deadline
        self.health: dict[str, SourceHealth] = {s.name: SourceHealth(s.name) for s in self.sources}
        self._client = client
        self._history = history
        self._yahoo = yahoo
        self._owned_database = owned_database
        self._monotonic = monotonic
        self._jitter = jitter
        self._last: dict[str, Quote] = {}
        self._last_fx: dict[str, FxRate] = {}
        self._lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, demo: bool = False, one_shot: bool = False,
                      database: Database | None = None, clock: Callable[[], datetime] | None = None) -> QuoteService:
        """The service the app and the commands use. `demo` replays the bundled day and never touches
        the network or the live cache; otherwise `database` (or the default file) holds the cache."""
        if demo:
            from market.providers.replay import ReplaySource  # the lead's module; only demo needs it

            replay = ReplaySource(clock)
            return cls([replay], history=replay, one_shot=one_shot)
        # network modules only for live use, so demo and the domain tests do not pay for httpx/ssl
        from config.paths import database_file
        from market.providers.history import TencentHistory
        from market.providers.http import make_client
        from market.providers.sina import SinaSource
        from market.providers.tencent import TencentSource
        from market.providers.yahoo import YahooSource

        timeout = settings.quotes.timeout_seconds
        if one_shot:
            timeout = min(timeout, ONE_SHOT_REQUEST_SECONDS)
        per_request = timeout if one_shot else 2 * timeout
        client = make_client(timeout)
        p = settings.providers
        yahoo = YahooSource(client, p.yahoo.base_url, per_request) if p.yahoo.enabled else None
        build = {
            "tencent": lambda: TencentSource(client, p.tencent.base_url, per_request) if p.tencent.enabled else None,
            "sina": lambda: SinaSource(client, p.sina.base_url, per_request) if p.sina.enabled else None,
            "yahoo": lambda: yahoo,
        }
        chain: list[QuoteSource] = []
        for name in dict.fromkeys(n for n in (settings.quotes.primary, settings.quotes.secondary, "yahoo") if n):
            source = build[name]()
            if source is not None:
                chain.append(source)
        owned = None
        if database is None:
            database = owned = Database(database_file())
        history = TencentHistory(client, p.tencent.history_url, per_request) if p.tencent.enabled else None
        return cls(
            chain, store=QuoteStore(database), one_shot=one_shot, source_timeout=per_request + 0.5,
            deadline=ONE_SHOT_DEADLINE_SECONDS if one_shot else max(8.0, 3 * per_request),
            client=client, history=history, yahoo=yahoo, owned_database=owned,
        )

    # -- quotes ---------------------------------------------------------------------------------

    async def refresh(self, symbols: Sequence[str], fx_pairs: Sequence[str] = ("USDHKD",)) -> Snapshot:
        """Fresh quotes for canonical `symbols` and rates for `fx_pairs`; never raises for a source failure."""
        async with self._lock:  # two callers never run overlapping refreshes against the sources
            return await self._refresh(list(dict.fromkeys(symbols)), list(dict.fromkeys(fx_pairs)))

    async def _refresh(self, wanted: list[str], wanted_fx: list[str]) -> Snapshot:
        snap = Snapshot()
        fresh: dict[str, Quote] = {}
        fresh_fx: dict[str, FxRate] = {}
        declared_unknown: set[str] = set()
        pending, pending_fx = list(wanted), list(wanted_fx)
        current: QuoteSource | None = None
        try:
            async with asyncio.timeout(self.deadline):
                for current in self.sources:
                    if not pending and not pending_fx:
                        break
                    health = self.health[current.name]
                    if not self.one_shot and health.retry_in(self._monotonic()) > 0:
                        snap.errors.append(f"{current.name}: backing off ({health.last_error})")
                        continue
                    result = await self._ask(current, pending, pending_fx, snap)
                    if result is None:
                        continue
                    asked, asked_fx = set(pending), set(pending_fx)
                    fresh.update((s, q) for s, q in result.quotes.items() if s in asked)
                    fresh_fx.update((p, r) for p, r in result.fx.items() if p in asked_fx)
                    declared_unknown |= result.unknown
                    pending = [s for s in pending if s not in fresh]
                    pending_fx = [p for p in pending_fx if p not in fresh_fx]
                current = None
        except TimeoutError:
            message = f"no answer within the {self.deadline:.0f} s deadline"
            if current is not None:
                self._failed(self.health[current.name], f"{current.name}: {message}", None)
            snap.errors.append(message)
        self._remember(fresh, fresh_fx, snap)
        self._fill(snap, wanted, wanted_fx, fresh, fresh_fx, declared_unknown)
        return snap

    async def _ask(self, source: QuoteSource, symbols: list[str], pairs: list[str],
                   snap: Snapshot) -> SourceResult | None:
        """One source, once; updates its health. None when it failed (the reason is in `snap.errors`)."""
        health = self.health[source.name]
        started = self._monotonic()
        try:
            async with asyncio.timeout(self.source_timeout):
                result = await source.fetch(symbols, pairs)
        except SourceError as e:
            self._failed(health, str(e), e.retry_after)
        except TimeoutError:
            self._failed(health, f"{source.name}: no answer within {self.source_timeout:.1f} s", None)
        except Exception as e:  # a parser bug must cost one refresh of one source, not the app
            log.exception("quote source %s failed unexpectedly", source.name)
            self._failed(health, f"{source.name}: unexpected {type(e).__name__}: {e}", None)
        else:
            health.ok, health.failures, health.last_error, health.backoff_until = True, 0, None, None
            health.last_success = datetime.now(UTC)
            health.latency_ms = round((self._monotonic() - started) * 1000, 1)
            snap.requests += result.requests
            return result
        health.latency_ms = round((self._monotonic() - started) * 1000, 1)
        snap.errors.append(health.last_error or source.name)
        return None

    def _failed(self, health: SourceHealth, message: str, retry_after: float | None) -> None:
        """Record a failure and schedule the next attempt: exponential backoff, equal jitter, Retry-After."""
        health.ok = False
        health.failures += 1
        health.last_error = message
        delay = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (health.failures - 1))
        delay *= 0.5 + self._jitter() / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, RETRY_AFTER_MAX_SECONDS))
        health.backoff_until = self._monotonic() + delay

    def _remember(self, fresh: dict[str, Quote], fresh_fx: dict[str, FxRate], snap: Snapshot) -> None:
        """Keep fresh values in memory and write the ones that changed through to the cache (over
        lunch or overnight a refresh then costs no write at all)."""
        last = self._last
        changed = [q for s, q in fresh.items()
                   if (old := last.get(s)) is None or (old.last, old.time, old.volume) != (q.last, q.time, q.volume)]
        last.update(fresh)
        self._last_fx.update(fresh_fx)
        if self.store is None:
            return
        try:
            self.store.save(changed)
            self.store.save_fx(fresh_fx.values())
        except sqlite3.Error as e:  # a full disk must not cost the user the quotes on screen
            log.warning("quote cache write failed: %s", e)
            snap.errors.append(f"cache: {e}")

    def _fill(self, snap: Snapshot, wanted: list[str], wanted_fx: list[str], fresh: dict[str, Quote],
              fresh_fx: dict[str, FxRate], declared_unknown: set[str]) -> None:
        missing = [s for s in wanted if s not in fresh]
        stale = self._stale_quotes(missing)
        for s in wanted:
            if s in fresh:
                snap.quotes[s] = fresh[s]
            elif s in stale:
                snap.quotes[s] = stale[s]
            elif s in declared_unknown:
                snap.unknown.add(s)
        stale_fx = self._stale_fx([p for p in wanted_fx if p not in fresh_fx])
        snap.fx = {p: fresh_fx.get(p) or stale_fx[p] for p in wanted_fx if p in fresh_fx or p in stale_fx}

    def _stale_quotes(self, symbols: list[str]) -> dict[str, Quote]:
        found = {s: self._last[s].as_stale() for s in symbols if s in self._last}
        rest = [s for s in symbols if s not in found]
        if rest and self.store is not None:
            try:
                found.update(self.store.load(rest))
            except sqlite3.Error as e:
                log.warning("quote cache read failed: %s", e)
        return found

    def _stale_fx(self, pairs: list[str]) -> dict[str, FxRate]:
        found = {p: replace(self._last_fx[p], stale=True) for p in pairs if p in self._last_fx}
        rest = [p for p in pairs if p not in found]
        if rest and self.store is not None:
            try:
                found.update(self.store.load_fx(rest))
            except sqlite3.Error as e:
                log.warning("fx cache read failed: %s", e)
        return found

    def cached(self, symbols: Sequence[str], fx_pairs: Sequence[str] = ("USDHKD",)) -> Snapshot:
        """What the cache holds (no network), all marked stale: the app's instant first screen."""
        snap = Snapshot()
        wanted = list(dict.fromkeys(symbols))
        stale = self._stale_quotes(wanted)
        snap.quotes = {s: stale[s] for s in wanted if s in stale}
        snap.fx = self._stale_fx(list(dict.fromkeys(fx_pairs)))
        return snap

    async def probe(self, symbols: Sequence[str] = ("0700.HK", "BABA")) -> list[tuple[SourceHealth, int]]:
        """Ask every source once, concurrently and without failover (for `doctor`): its health and
        how many of `symbols` it answered."""
        results = await asyncio.gather(*(self._ask(s, list(symbols), ["USDHKD"], Snapshot()) for s in self.sources))
        return [(self.health[s.name], len(r.quotes) if r else 0) for s, r in zip(self.sources, results, strict=True)]

    # -- history ------------------------------------------------------------------------------

    async def daily(self, symbol: str, count: int = 320) -> list[Bar]:
        """Daily bars, oldest first: Tencent kline, else Yahoo chart, else what the cache holds."""
        return await self._bars(symbol, "daily", count)

    async def intraday(self, symbol: str) -> list[Bar]:
        """Today's 1-minute bars: Tencent minute line, else Yahoo chart, else the cache."""
        return await self._bars(symbol, "intraday", None)

    async def _bars(self, symbol: str, kind: BarKind, count: int | None) -> list[Bar]:
        hint = self._last.get(symbol)
        code = hint.extra.get("tencent_code") if hint else None
        daily = kind == "daily"
        attempts = []
        if self._history is not None:
            if daily:
                attempts.append(lambda: self._history.daily(symbol, count or 320, tencent_code=code))
            else:
                attempts.append(lambda: self._history.intraday(symbol, tencent_code=code))
        if self._yahoo is not None:
            attempts.append(lambda: self._yahoo.history(symbol, daily=daily))
        for attempt in attempts:
            try:
                async with asyncio.timeout(self.source_timeout):
                    bars = await attempt()
            except (SourceError, TimeoutError) as e:
                log.info("history for %s: %s", symbol, e)
                continue
            if bars:
                if self.store is not None:
                    self.store.save_bars(symbol, kind, bars, replace=not daily)
                return bars
        return self.store.bars(symbol, kind, count) if self.store is not None else []

    async def aclose(self) -> None:
        """Close what this service opened: the HTTP client, the sources, a database it opened itself."""
        for source in self.sources:
            closer = getattr(source, "aclose", None)
            if closer is not None:
                await closer()
        if self._client is not None:
            await self._client.aclose()
        if self._owned_database is not None:
            self._owned_database.close()

