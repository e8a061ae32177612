"""The quote cache: last quote per symbol (with its source and time), last FX rates, intraday and daily bars.

Why it exists: the app starts from yesterday's screen instantly and keeps the last good quote on
screen (marked stale) when every source fails. Writes are one `executemany` per refresh, so a
500-symbol refresh costs one transaction.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Literal

from market.models import Bar, FxRate, Quote
from storage.db import Database

BarKind = Literal["intraday", "daily"]

MIGRATIONS = [
    """
    CREATE TABLE quote_last (
        symbol TEXT PRIMARY KEY, name TEXT, currency TEXT NOT NULL, last REAL, prev_close REAL,
        open REAL, high REAL, low REAL, change REAL, change_pct REAL, volume REAL, time TEXT,
        source TEXT NOT NULL, ads_ratio_hint TEXT, extra TEXT, fetched_at REAL NOT NULL
    );
    CREATE TABLE fx_last (
        pair TEXT PRIMARY KEY, rate REAL NOT NULL, prev_close REAL, time TEXT, source TEXT NOT NULL,
        fetched_at REAL NOT NULL
    );
    CREATE TABLE quote_bars (
        symbol TEXT NOT NULL, kind TEXT NOT NULL, time TEXT NOT NULL, open REAL NOT NULL,
        high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL,
        PRIMARY KEY (symbol, kind, time)
    ) WITHOUT ROWID
    """,
]

_QUOTE_COLUMNS = ("symbol, name, currency, last, prev_close, open, high, low, change, change_pct, volume, "
                  "time, source, ads_ratio_hint, extra, fetched_at")


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _number(value: float | None) -> float | None:
    return int(value) if isinstance(value, float) and value.is_integer() else value


class QuoteStore:
    """Reads and writes the quote tables of one `Database`."""

    COMPONENT = "quotes"

    def __init__(self, db: Database):
        self.db = db
        db.ensure(self.COMPONENT, MIGRATIONS)

    def save(self, quotes: Iterable[Quote]) -> None:
        """Upsert the latest quote of each symbol in one transaction."""
        now = time.time()
        rows = [
            (q.symbol, q.name, q.currency, q.last, q.prev_close, q.open, q.high, q.low, q.change,
             q.change_pct, q.volume, _iso(q.time), q.source, q.ads_ratio_hint,
             json.dumps(q.extra, separators=(",", ":")) if q.extra else None, now)
            for q in quotes
        ]
        if rows:
            self.db.executemany(
                f"INSERT OR REPLACE INTO quote_last ({_QUOTE_COLUMNS}) VALUES ({','.join('?' * 16)})", rows
            )

    def load(self, symbols: Sequence[str]) -> dict[str, Quote]:
        """Cached quotes for `symbols` (those that have one), each marked stale."""
        if not symbols:
            return {}
        found: dict[str, Quote] = {}
        for chunk in (symbols[i:i + 500] for i in range(0, len(symbols), 500)):
            rows = self.db.execute(
                f"SELECT {_QUOTE_COLUMNS} FROM quote_last WHERE symbol IN ({','.join('?' * len(chunk))})",
                list(chunk),
            ).fetchall()
            for r in rows:
                found[r[0]] = Quote(
                    symbol=r[0], name=r[1], currency=r[2], last=r[3], prev_close=r[4], open=r[5], high=r[6],
                    low=r[7], change=r[8], change_pct=r[9], volume=_number(r[10]), time=_when(r[11]),
                    source=r[12], stale=True, ads_ratio_hint=r[13], extra=json.loads(r[14]) if r[14] else {},
                )
        return {s: found[s] for s in symbols if s in found}

    def fetched_at(self, symbol: str) -> float | None:
        """When (epoch seconds) the cached quote of `symbol` was written."""
        row = self.db.execute("SELECT fetched_at FROM quote_last WHERE symbol = ?", (symbol,)).fetchone()
        return row[0] if row else None

    def save_fx(self, rates: Iterable[FxRate]) -> None:
        now = time.time()
        rows = [(r.pair, r.rate, r.prev_close, _iso(r.time), r.source, now) for r in rates]
        if rows:
            self.db.executemany(
                "INSERT OR REPLACE INTO fx_last (pair, rate, prev_close, time, source, fetched_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", rows,
            )

    def load_fx(self, pairs: Sequence[str]) -> dict[str, FxRate]:
        """Cached rates for `pairs`, marked stale."""
        if not pairs:
            return {}
        rows = self.db.execute(
            f"SELECT pair, rate, prev_close, time, source FROM fx_last WHERE pair IN ({','.join('?' * len(pairs))})",
            list(pairs),
        ).fetchall()
        found = {r[0]: FxRate(r[0], r[1], r[2], _when(r[3]), r[4], stale=True) for r in rows}
        return {p: found[p] for p in pairs if p in found}

    def save_bars(self, symbol: str, kind: BarKind, bars: Sequence[Bar], *, replace: bool = False) -> None:
        """Store history bars; `replace` first drops the symbol's bars of that kind (a new intraday day)."""
        rows = [(symbol, kind, b.time.isoformat(), b.open, b.high, b.low, b.close, b.volume) for b in bars]
        if replace:
            self.db.execute("DELETE FROM quote_bars WHERE symbol = ? AND kind = ?", (symbol, kind))
        if rows:
            self.db.executemany(
                "INSERT OR REPLACE INTO quote_bars (symbol, kind, time, open, high, low, close, volume) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows,
            )

    def bars(self, symbol: str, kind: BarKind, limit: int | None = None) -> list[Bar]:
        """Stored bars, oldest first (the newest `limit` when given)."""
        rows = self.db.execute(
            "SELECT time, open, high, low, close, volume FROM quote_bars WHERE symbol = ? AND kind = ? "
            "ORDER BY time DESC LIMIT ?",
            (symbol, kind, -1 if limit is None else limit),
        ).fetchall()
        return [Bar(datetime.fromisoformat(t), o, h, lo, c, v) for t, o, h, lo, c, v in reversed(rows)]
