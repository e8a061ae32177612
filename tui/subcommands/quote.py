"""`sinoterm quote SYMBOL... [--json]`: one-shot quotes, one batched request per source.

Symbols keep the order they were given. A malformed or unknown symbol becomes an `{"symbol",
"error"}` object (or a table row saying so), never a crash. Exit 0 when at least one quote could be
given (fresh or stale), 1 when none could.
"""
from __future__ import annotations

import asyncio
import sys

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from config.models import Settings
from config.paths import database_file
from market.instruments import SymbolError, normalise
from market.models import Quote
from market.service import QuoteService, Snapshot
from storage.db import Database
from tui.subcommands.common import print_json, settings_or_exit
from widgets import format as fmt


def resolve(raw_symbols: list[str]) -> list[tuple[str, str | None]]:
    """(canonical symbol or the raw input, error or None) per input, in order."""
    out: list[tuple[str, str | None]] = []
    for raw in raw_symbols:
        try:
            out.append((normalise(raw), None))
        except SymbolError as e:
            out.append((raw, str(e)))
    return out


async def fetch(settings: Settings, demo: bool, symbols: list[str]) -> Snapshot:
    """One one-shot refresh; the cache database is opened only for live quotes."""
    database = None if demo else Database(database_file())
    service = QuoteService.from_settings(settings, demo=demo, one_shot=True, database=database)
    try:
        return await service.refresh(symbols, fx_pairs=())
    finally:
        await service.aclose()
        if database is not None:
            database.close()


def answers(resolved: list[tuple[str, str | None]], snap: Snapshot) -> list[dict]:
    """The `quote --json` array (DESIGN.md contract), in request order."""
    reason = "; ".join(snap.errors) or "no source answered"
    out: list[dict] = []
    for symbol, error in resolved:
        if error:
            out.append({"symbol": symbol, "error": error})
        elif symbol in snap.quotes:
            out.append(snap.quotes[symbol].to_json())
        elif symbol in snap.unknown:
            out.append({"symbol": symbol, "error": f"unknown symbol: no source knows {symbol}"})
        else:
            out.append({"symbol": symbol, "error": f"no quote: {reason}"})
    return out


def _row(q: Quote) -> list[Text]:
    style = "green" if (q.change or 0) > 0 else "red" if (q.change or 0) < 0 else ""
    when = q.time.strftime("%m-%d %H:%M") if q.time else fmt.DASH  # in the listing's own market time
    return [
        Text(q.symbol, style="bold"), Text(q.name or ""), Text(fmt.price(q.last)),
        Text(fmt.pct(q.change_pct, 2), style=style),
        Text(fmt.volume(q.volume)),
        Text(when + (" stale" if q.stale else ""), style="yellow" if q.stale else ""),
        Text(q.source),
    ]


def print_table(resolved: list[tuple[str, str | None]], snap: Snapshot, objects: list[dict]) -> None:
    """A table that fits 80 columns (change, open, high and low are in `--json`); times are each
    market's own (HKT for Hong Kong, US Eastern for New York)."""
    table = Table(title="Quotes", header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0, 0, 1))
    for name, justify, width in (("Symbol", "left", None), ("Name", "left", 24), ("Last", "right", None),
                                 ("Chg%", "right", None), ("Volume", "right", None),
                                 ("Time", "left", None), ("Src", "left", None)):
        table.add_column(name, justify=justify, max_width=width, no_wrap=True, overflow="ellipsis")
    for (symbol, _), obj in zip(resolved, objects, strict=True):
        quote = snap.quotes.get(symbol) if "error" not in obj else None
        if quote:
            table.add_row(*_row(quote))
        else:
            table.add_row(Text(obj["symbol"], style="bold"), Text(obj["error"], style="red"), *[Text("")] * 5)
    Console().print(table)
    unknown = [obj for obj in objects if "error" in obj]
    for obj in unknown:  # the table cuts long reasons; say them whole below it
        Console().print(Text(f"{obj['symbol']}: {obj['error']}", style="red"))


def run(args) -> int:
    settings, _ = settings_or_exit(args)
    resolved = resolve(args.symbols)
    symbols = [s for s, error in resolved if error is None]
    snap = asyncio.run(fetch(settings, args.demo, symbols)) if symbols else Snapshot()
    objects = answers(resolved, snap)
    if args.json:
        print_json(objects)
    else:
        print_table(resolved, snap, objects)
        for error in dict.fromkeys(snap.errors):
            print(f"note: {error}", file=sys.stderr)
    return 0 if snap.quotes else 1
