"""`sinoterm news [--json] [--limit N]`: refresh the feeds once, then print the latest items.

The refresh gets a deadline, so the command answers within 10 s whatever the feeds do: a hung or
failing feed costs its fresh items, and the answer comes from what is stored (the reasons go to
stderr). Titles are printed as published minus control characters; in the table every cell is a
`rich.text.Text`, so a `[bold]` in a headline is printed, not obeyed.
"""
from __future__ import annotations

import asyncio
import sys

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from config.models import Settings
from news.models import NewsItem
from news.service import NewsService
from tui.subcommands.common import print_json, settings_or_exit

REFRESH_DEADLINE = 7.5
"""Seconds the refresh may take; start-up and printing fit in the rest of the 10-second promise."""


async def collect(settings: Settings, *, demo: bool, limit: int) -> tuple[list[NewsItem], list[str]]:
    """One refresh within the deadline, then the newest `limit` stored items and what went wrong."""
    service = NewsService.from_settings(settings, demo=demo)
    problems: list[str] = []
    try:
        try:
            await asyncio.wait_for(service.refresh(), REFRESH_DEADLINE)
        except TimeoutError:
            problems.append(f"refresh cut short after {REFRESH_DEADLINE:g} s; showing what is stored")
        problems[:0] = service.errors
        return service.items(limit=limit), problems
    finally:
        await service.aclose()


def table(items: list[NewsItem]) -> Table:
    """Headlines wrap in their own column; time, source, tags and move stay on one line each."""
    out = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 0, 0, 1))
    out.add_column("UTC", no_wrap=True)
    out.add_column("Source", no_wrap=True, max_width=14, overflow="ellipsis")
    out.add_column("Title", overflow="fold", ratio=1)
    out.add_column("Tags", no_wrap=True)
    out.add_column("Move", no_wrap=True)
    for item in items:
        when = item.time.strftime("%m-%d %H:%M") if item.time else ""
        out.add_row(Text(when), Text(item.source), Text(item.title), Text(" ".join(item.tickers()[:3])),
                    Text(item.move_badge()))
    return out


def run(args) -> int:
    settings, path = settings_or_exit(args)
    if args.limit < 1:
        print("sinoterm news: --limit must be at least 1", file=sys.stderr)
        return 2
    if not args.demo and not settings.news.feeds:
        print(f"sinoterm news: no feeds configured; add [[news.feeds]] to {path} "
              "(or run `sinoterm config init`)", file=sys.stderr)
    items, problems = asyncio.run(collect(settings, demo=args.demo, limit=args.limit))
    for problem in problems:
        print(f"sinoterm news: {problem}", file=sys.stderr)
    if args.json:
        print_json([item.to_json() for item in items])
    elif items:
        Console(soft_wrap=False, highlight=False).print(table(items))
    else:
        print("No news yet.", file=sys.stderr)
    failed_everywhere = settings.news.feeds and not items and problems
    return 1 if failed_everywhere and not args.demo else 0
