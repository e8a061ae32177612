"""`sinoterm doctor`: is the config valid, where is the cache, and does each quote source answer?

Every source is asked once for two well-known listings (concurrently, with the one-shot timeout),
so the command answers in a few seconds even when a source hangs. Exit 0 when the config is valid
and at least one source answers, 1 when no source answers, 2 when the config is invalid (its
problems are printed and the sources are still checked with the defaults).
"""
from __future__ import annotations

import asyncio

from rich.console import Console
from rich.table import Table
from rich.text import Text

from config.errors import ConfigError
from config.loader import load_settings
from config.models import Settings
from config.paths import cache_dir, config_file, database_file
from market.service import QuoteService, SourceHealth
from news import NATIVE, NATIVE_DIR
from storage.db import Database

PROBE_SYMBOLS = ("0700.HK", "BABA")
EXTRACTOR_STATE = {  # `news.NATIVE` as the user should read it
    "compiled": Text("compiled (mypyc)", style="green"),
    "off": Text("pure Python (SINOTERM_NATIVE=0)"),
    "not built": Text("pure Python (not compiled: `make` builds it, scripts/build_native.py)", style="yellow"),
    "stale": Text("pure Python (the compiled build is older than the source: run `make`)", style="yellow"),
}


def _size(paths) -> int:
    return sum(p.stat().st_size for p in paths if p.exists())


def _human(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


async def probe(settings: Settings, database: Database) -> list[tuple[SourceHealth, int]]:
    service = QuoteService.from_settings(settings, one_shot=True, database=database)
    try:
        return await service.probe(PROBE_SYMBOLS)
    finally:
        await service.aclose()


def base_url(settings: Settings, name: str) -> str:
    return getattr(settings.providers, name).base_url


def run(args) -> int:
    console = Console(highlight=False)
    config_ok = True
    try:
        settings, path = load_settings(getattr(args, "config", None))
        state = Text("valid" if path.exists() else "not created yet (defaults in use)", style="green")
    except ConfigError as e:
        config_ok = False
        settings, path = Settings(), config_file(getattr(args, "config", None))
        state = Text(f"INVALID (defaults used below)\n{e}", style="red")

    db_path = database_file()
    database = Database(db_path)
    try:
        report = asyncio.run(probe(settings, database))
    finally:
        database.close()
    db_size = _size([db_path, db_path.with_name(db_path.name + "-wal")])

    paths = Table.grid(padding=(0, 2))
    paths.add_column(no_wrap=True)
    paths.add_column(overflow="fold")
    paths.add_column(overflow="fold")
    paths.add_row(Text("config", style="bold"), Text(str(path)), state)
    cache_note = f"{_human(db_size)}"
    if database.recovered_from:
        cache_note += f" (was unreadable; moved to {database.recovered_from})"
    if database.unavailable:
        cache_note = f"UNUSABLE ({database.unavailable}); nothing is cached between runs"
    paths.add_row(Text("cache", style="bold"), Text(str(db_path)), Text(cache_note))
    paths.add_row(Text("cache dir", style="bold"), Text(str(cache_dir())), Text(""))
    paths.add_row(Text("extractor", style="bold"), Text(str(NATIVE_DIR)), EXTRACTOR_STATE[NATIVE])
    console.print(paths)

    table = Table(title="Quote sources", header_style="bold")
    for column in ("source", "role", "state", "latency", "answered"):
        table.add_column(column, no_wrap=True)
    table.add_column("base URL", overflow="fold")
    table.add_column("problem", ratio=1)
    roles = {settings.quotes.primary: "primary", settings.quotes.secondary: "secondary"}
    for health, answered in report:
        table.add_row(
            Text(health.name), Text(roles.get(health.name, "fallback")),
            Text("ok", style="green") if health.ok else Text("FAIL", style="red"),
            Text(f"{health.latency_ms:.0f} ms" if health.latency_ms is not None else "-", justify="right"),
            Text(f"{answered}/{len(PROBE_SYMBOLS)}", justify="right"),
            Text(base_url(settings, health.name)),
            Text((health.last_error or "").removeprefix(f"{health.name}: ")),
        )
    console.print(table)
    if not config_ok:
        return 2
    return 0 if any(h.ok for h, _ in report) else 1
