"""The watchlist: a keyed DataTable of listings, dual listings grouped, updated cell by cell.

Rows are keyed by canonical symbol. A refresh only rewrites the cells whose text changed (inside
`app.batch_update()`), so cursor and scroll survive every tick; the rows are rebuilt only when
their set or order changes (sort, filter, watchlist edits).
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from widgets import format as fmt


@dataclass(slots=True, frozen=True)
class WatchRow:
    """What one watchlist line shows; built by the screen from quotes, parity and sessions."""

    symbol: str
    name: str
    company_id: str | None
    last: float | None
    change: float | None
    change_pct: float | None
    premium_pct: float | None = None  # HK over the ADS-implied HK price (HK leg of a dual listing)
    parity: float | None = None  # the other leg's price expressed in this leg's terms
    session: str = ""
    age: str = ""
    stale: bool = False
    demo: bool = False
    leg: str = ""  # "" for a single listing, "HK" / "ADR" for the legs of a dual listing


COLUMNS = (
    ("symbol", "Code", 5),
    ("name", "Name", 14),
    ("last", "Last", 8),
    ("change", "Chg", 7),
    ("change_pct", "Chg%", 7),
    ("premium", "Prem%", 6),
    ("parity", "Parity", 8),
    ("session", "Session", 7),
    ("age", "Age", 4),
)

SESSION_BADGES = {
    "pre_open": "PREOPEN", "open": "OPEN", "lunch_break": "LUNCH", "closing_auction": "AUCTION",
    "pre_market": "PRE", "after_hours": "AFTER", "closed": "CLOSED",
}


class WatchlistTable(DataTable):
    """Listings with last, change, premium, parity, session and data age."""

    HELP = """\
## Watchlist
Dual listings show as two lines: the Hong Kong leg with its premium over the ADS-implied price,
then the ADR. *Parity* is the other leg's price in this leg's currency (ADS ratio x USD/HKD).
*Age* is how old the source's timestamp is; stale quotes are dimmed.
"""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="watchlist.down"),
        Binding("k", "cursor_up", "Up", show=False, id="watchlist.up"),
        Binding("g", "scroll_top", "Top", show=False, id="watchlist.top"),
        Binding("G", "scroll_bottom", "Bottom", show=False, id="watchlist.bottom"),
    ]

    class SymbolHighlighted(Message):
        """The cursor moved to a listing."""

        def __init__(self, symbol: str, company_id: str | None) -> None:
            super().__init__()
            self.symbol = symbol
            self.company_id = company_id

    class SymbolSelected(Message):
        """Enter on a listing: open its company."""

        def __init__(self, symbol: str, company_id: str | None) -> None:
            super().__init__()
            self.symbol = symbol
            self.company_id = company_id

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self._rows: dict[str, WatchRow] = {}
        self._shown: dict[str, list[Text]] = {}  # the cells on screen, to diff against without rebuilding
        self._order: list[str] = []
        self.colours = {"up": "green", "down": "red", "stale": "grey50"}

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            justify = "right" if key in ("last", "change", "change_pct", "premium", "parity", "age") else "left"
            self.add_column(Text(label, justify=justify), key=key, width=width)

    def show(self, rows: list[WatchRow]) -> None:
        """Display `rows` in this order, touching only what changed.

        Changed cells are written straight into the table's data and the table is refreshed once:
        `update_cell` repaints per call, which costs ~60 ms for 1,500 cells on a 500-row refresh.
        """
        order = [r.symbol for r in rows]
        if order != self._order:
            self._rebuild(rows)
            return
        changed = False
        for row in rows:
            if self._rows[row.symbol] == row:  # same order as shown, so every row is already there
                continue
            cells = self._cells(row)
            data = self._data[RowKey(row.symbol)]
            for (key, _, _), cell, before in zip(COLUMNS, cells, self._shown[row.symbol], strict=True):
                if cell != before:
                    data[ColumnKey(key)] = cell
                    changed = True
            self._rows[row.symbol] = row
            self._shown[row.symbol] = cells
        if changed:
            self._update_count += 1  # the table's render caches are keyed on it
            self.refresh()

    def _rebuild(self, rows: list[WatchRow]) -> None:
        current = self.current_symbol
        with self.app.batch_update():
            self.clear()
            self._shown = {r.symbol: self._cells(r) for r in rows}
            for row in rows:
                self.add_row(*self._shown[row.symbol], key=row.symbol)
            self._rows = {r.symbol: r for r in rows}
            self._order = [r.symbol for r in rows]
            if current in self._rows:
                self.move_cursor(row=self._order.index(current))

    @property
    def current_symbol(self) -> str | None:
        if not self._order or self.cursor_row < 0 or self.cursor_row >= len(self._order):
            return None
        return self._order[self.cursor_row]

    @property
    def current_row(self) -> WatchRow | None:
        symbol = self.current_symbol
        return self._rows.get(symbol) if symbol else None

    def _cells(self, row: WatchRow) -> list[Text]:
        tone = self.colours["stale"] if row.stale else (
            self.colours["up"] if (row.change or 0) > 0 else self.colours["down"] if (row.change or 0) < 0 else ""
        )
        code = row.symbol.removesuffix(".HK") if row.symbol.endswith(".HK") else row.symbol
        name = ("  └ ADR" if row.leg == "ADR" else row.name)
        premium_tone = "" if row.premium_pct is None else (
            self.colours["up"] if row.premium_pct > 0 else self.colours["down"])
        session = SESSION_BADGES.get(row.session, row.session.upper())
        return [
            Text(code, style="bold" if row.leg != "ADR" else ""),
            Text(name, overflow="ellipsis", no_wrap=True),
            Text(fmt.price(row.last), justify="right", style=tone),
            Text(fmt.signed(row.change), justify="right", style=tone),
            Text(fmt.pct(row.change_pct, 2), justify="right", style=tone),
            Text(fmt.pct(row.premium_pct) if row.premium_pct is not None else "", justify="right",
                 style=premium_tone),
            Text(fmt.price(row.parity) if row.parity is not None else "", justify="right"),
            Text(session, style="bold" if row.session in ("open", "closing_auction") else "dim"),
            Text(row.age + ("!" if row.stale else ""), justify="right",
                 style=self.colours["stale"] if row.stale else "dim"),
        ]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = self.current_row
        if row:
            self.post_message(self.SymbolHighlighted(row.symbol, row.company_id))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.current_row
        if row:
            self.post_message(self.SymbolSelected(row.symbol, row.company_id))
