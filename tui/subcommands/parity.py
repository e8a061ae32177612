"""`sinoterm parity [SYMBOL...] [--json]`: HK/US parity of dual listings, one object per company.

A SYMBOL may name either leg or the company (`9988.HK`, `BABA`, `alibaba`); both legs and USD/HKD
come from one one-shot refresh (cache when the sources fail). Without symbols, every dual listing
in the active watchlist. A symbol that is malformed or not dual-listed becomes an `{"symbol",
"error"}` object. Exit 0 when at least one parity could be given, 1 when none could.
"""
from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from config.models import Settings
from market.instruments import Company, SymbolError, directory
from market.parity import Parity, compute
from market.service import QuoteService, Snapshot
from news.sanitize import clean_text
from tui.subcommands.common import print_json, settings_or_exit

Request = tuple[str, Company | None, str | None]  # (what the user wrote, company, error)


def resolve(raw_symbols: list[str]) -> list[Request]:
    """Each input's dual-listed company, or why there is none; a company named twice counts once."""
    out: list[Request] = []
    seen: set[str] = set()
    for raw in raw_symbols:
        try:
            symbol = directory().normalise(raw)
        except SymbolError as e:
            out.append((raw, None, str(e)))
            continue
        company = directory().company_of(symbol) or directory().company(raw)
        if company is None:
            out.append((symbol, None, f"{symbol} is not in the instruments directory"))
        elif not company.is_dual_listed:
            out.append((symbol, None, f"{company.name_en} ({symbol}) is not listed in both Hong Kong and the US"))
        elif company.id not in seen:
            seen.add(company.id)
            out.append((symbol, company, None))
    return out


def watchlist_companies(settings: Settings, name: str | None) -> list[Request]:
    """The dual-listed companies of the active watchlist, in watchlist order."""
    symbols = settings.watchlist(name).symbols
    return [r for r in resolve(symbols) if r[1] is not None]


async def fetch(settings: Settings, demo: bool, companies: list[Company],
                clock: Callable[[], datetime] | None) -> Snapshot:
    """Both legs of every company and USD/HKD in one one-shot refresh."""
    service = QuoteService.from_settings(settings, demo=demo, one_shot=True, clock=clock)
    symbols = [s for c in companies for s in c.symbols]
    try:
        return await service.refresh(symbols, fx_pairs=("USDHKD",))
    finally:
        await service.aclose()


def answers(requests: list[Request], snap: Snapshot, at: datetime) -> tuple[list[dict], list[Parity]]:
    """The `parity --json` array in request order, and the parities behind it."""
    objects: list[dict] = []
    parities: list[Parity] = []
    fx = snap.fx.get("USDHKD")
    reason = "; ".join(clean_text(e) for e in snap.errors) or "no source answered"
    for symbol, company, error in requests:
        if company is None:
            objects.append({"symbol": symbol, "error": error})
            continue
        p = compute(company, snap.quotes.get(company.hk_symbol or ""),
                    snap.quotes.get(company.us_symbol or ""), fx, at)
        if p is None:
            objects.append({"symbol": symbol, "company": company.name_en,
                            "error": f"no price for either leg: {reason}"})
        else:
            parities.append(p)
            objects.append(p.to_json())
    return objects, parities


def _num(value: float | None, fmt: str) -> Text:
    return Text("-" if value is None else fmt.format(value), justify="right")


def print_table(objects: list[dict], parities: list[Parity], demo: bool) -> None:
    """Narrow enough for 80 columns; USD/HKD goes in the title, failures below the table."""
    rates = sorted({p.usdhkd for p in parities if p.usdhkd})
    title = "Parity" + (f" at USDHKD {rates[0]:.4f}" if len(rates) == 1 else "") + (" (DEMO)" if demo else "")
    table = Table(title=title, header_style="bold", box=box.SIMPLE_HEAD)
    for name in ("US", "HK", "HK last", "US last", "ratio", "US in HK$", "premium", "next move"):
        table.add_column(name, justify="left" if name in ("US", "HK") else "right", no_wrap=True)
    for p in parities:
        move = p.implied_us_move_pct if p.next_session == "US" else p.implied_hk_move_pct
        table.add_row(
            Text(p.us_symbol + (" (stale)" if p.stale else ""), style="yellow" if p.stale else ""),
            Text(p.hk_symbol), _num(p.hk_last, "{:,.3f}"), _num(p.us_last, "{:,.3f}"),
            _num(p.ratio, "{:g}"), _num(p.us_implied_hk, "{:,.3f}"), _num(p.premium_pct, "{:+.2f}%"),
            Text(f"{p.next_session} " + ("-" if move is None else f"{move:+.2f}%"), justify="right"),
        )
    if parities:
        Console(highlight=False).print(table)
    for obj in objects:
        if "error" in obj:
            print(f"{obj['symbol']}: {obj['error']}", file=sys.stderr)
    for p in parities:
        if p.ratio_warning:
            print(f"warning: {p.ratio_warning}", file=sys.stderr)


def run(args) -> int:
    settings, _ = settings_or_exit(args)
    demo = bool(getattr(args, "demo", False))
    if args.symbols:
        requests = resolve(args.symbols)
    else:
        requests = watchlist_companies(settings, getattr(args, "watchlist", None))
    companies = [c for _, c, _ in requests if c is not None]
    clock = _demo_clock() if demo else None
    snap = asyncio.run(fetch(settings, demo, companies, clock)) if companies else Snapshot()
    at = clock() if clock else datetime.now(UTC)
    objects, parities = answers(requests, snap, at)
    if args.json:
        print_json(objects)
    else:
        if not requests:
            print("no dual listings in the watchlist; name one, e.g. `sinoterm parity BABA`", file=sys.stderr)
        print_table(objects, parities, demo)
        for error in dict.fromkeys(snap.errors):
            print(f"note: {clean_text(error)}", file=sys.stderr)
    return 0 if parities or not requests else 1


def _demo_clock() -> Callable[[], datetime]:
    """The replayed day's clock, so the demo's sessions and prices agree."""
    from market.providers.replay import DemoClock

    return DemoClock()
