"""`sinoterm extract [FILE|-] [--json]`: the companies, moves and metrics in one article.

Reads plain text or HTML from a file or standard input (bounded, so a hostile or huge input costs
little), runs `news.extract.extract` and prints either the DESIGN JSON object or a readable listing.
Text from the article is shown through `rich.text.Text`, never as markup.
"""
from __future__ import annotations

import sys

from news.extract import Extraction, extract
from tui.subcommands.common import print_json

MAX_INPUT = 2_000_000
"""Bytes read at most; an article is a few tens of kilobytes."""


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT)
    else:
        with open(path, "rb") as f:
            data = f.read(MAX_INPUT)
    return data.decode("utf-8", errors="replace")


def run(args) -> int:
    try:
        text = _read(getattr(args, "file", "-") or "-")
    except OSError as e:
        print(f"extract: cannot read {args.file}: {e.strerror or e}", file=sys.stderr)
        return 1
    result = extract(text)
    if getattr(args, "json", False):
        print_json(result.to_json())
    else:
        _show(result)
    return 0


def _show(x: Extraction) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    head = Text()
    head.append("Companies: ", style="bold")
    head.append(", ".join(x.companies) or "-")
    head.append("   Tickers: ", style="bold")
    head.append(", ".join(x.tickers) or "-")
    if x.period:
        head.append("   Period: ", style="bold")
        head.append(x.period.label + (f" ({x.period.end})" if x.period.end else ""))
    console.print(head)
    if x.moves:
        moves = Table(title="Moves", title_justify="left", show_lines=False)
        for col in ("company", "move", "market", "source"):
            moves.add_column(col)
        for m in x.moves:
            arrow = "\u25b2" if m.direction == "up" else "\u25bc"
            size = f"{m.pct:g}%" if m.pct is not None else ""
            moves.add_row(Text(m.company or "?"), Text(f"{arrow} {size}", style="green" if m.direction == "up" else "red"),
                          Text(m.market or "-"), Text(m.text))
        console.print(moves)
    if x.metrics:
        table = Table(title="Metrics", title_justify="left")
        for col in ("metric", "value", "USD", "change", "status", "source"):
            table.add_column(col)
        for m in x.metrics:
            change = ""
            if m.change_pct is not None:
                change = f"{m.change_pct:+g}% {m.change_basis or ''}".strip()
            table.add_row(Text(m.name + (f" ({m.segment})" if m.segment and m.segment not in m.name else "")),
                          Text(_amount(m.value, m.currency)), Text(_amount(m.usd_value, "USD")),
                          Text(change), Text(m.status), Text(m.text))
        console.print(table)
    if not x.moves and not x.metrics:
        console.print(Text("No moves or metrics found."))


def _amount(value: float | None, currency: str | None) -> str:
    """People's format: RMB 280.15 bn, US$ 1.8 bn, 0.53."""
    if value is None:
        return ""
    label = {"CNY": "RMB", "USD": "US$", "HKD": "HK$"}.get(currency or "", currency or "")
    for scale, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if abs(value) >= scale:
            return f"{label} {value / scale:,.2f} {unit}".strip()
    return f"{label} {value:,.2f}".strip() if currency else f"{value:,.0f}" if value == int(value) else f"{value:g}"
