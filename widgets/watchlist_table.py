"""The watchlist: a keyed DataTable of listings, dual listings grouped, updated cell by cell.

Rows are keyed by canonical symbol. A refresh only rewrites the cells whose text or style changed
and repaints only the changed rows in view, so cursor and scroll survive every tick and only changed
cells are drawn again; the rows are rebuilt only when their set or order changes (sort, filter,
watchlist edits).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual._segment_tools import line_crop
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from widgets import format as fmt

SegmentLines = list[list[Segment]]


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

RIGHT = frozenset({"last", "change", "change_pct", "premium", "parity", "age"})
# Printable ASCII and the table's own non-ASCII glyphs: one terminal cell per character.
_SINGLE_WIDTH = frozenset(map(chr, range(32, 127))) | {fmt.DASH, "└"}


Cells = tuple[tuple[str, str], ...]  # a row's cells as (text, style), in column order


class Cell:
    """The cell of `symbol`'s row in column index `column`, as DataTable holds it: it reads the
    row's current cells from the table when asked (`get_cell`, drawing), so a refresh writes
    nothing into DataTable's data, and the Rich `Text` is built only for a cell drawn by Rich."""

    __slots__ = ("table", "symbol", "column")

    def __init__(self, table: WatchlistTable, symbol: str, column: int) -> None:
        self.table = table
        self.symbol = symbol
        self.column = column

    def __rich__(self) -> Text:
        text, style = self.table._cells_of(self.symbol)[self.column]
        key = COLUMNS[self.column][0]
        if key == "name":
            return Text(text, style=style, overflow="ellipsis", no_wrap=True)
        return Text(text, style=style, justify="right" if key in RIGHT else None)

    def __str__(self) -> str:
        return self.table._cells_of(self.symbol)[self.column][0]


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
        self._formatted: dict[str, tuple[WatchRow, Cells]] = {}  # the rows drawn so far, with their cells
        self._cell_lines: LRUCache[tuple, SegmentLines] = LRUCache(4000)
        self._lines: LRUCache[tuple, Strip] = LRUCache(1000)
        self._text_styles: dict[str, Style] = {}
        self._content_updates = 0  # how many of DataTable's `_update_count` steps were `show` taking rows
        self._frame_style: Style | None = None
        self._order: list[str] = []
        self.colours = {"up": "green", "down": "red", "stale": "grey50"}

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(Text(label, justify="right" if key in RIGHT else "left"), key=key, width=width)

    def show(self, rows: list[WatchRow]) -> None:
        """Display `rows` in this order, touching only what changed.

        A refresh of 500 listings changes most rows, and ~30 are on screen. Rows are only stored
        here; a row's cells are formatted when it is drawn (or asked for), and only the changed
        rows in view are repainted, once. (`update_cell` would repaint on every call, and
        formatting and comparing every row's cells costs more than drawing the screen.)
        """
        order = [r.symbol for r in rows]
        if order != self._order:
            self._rebuild(rows)
            return
        changed: list[int] = []
        shown = self._rows
        for row_index, row in enumerate(rows):
            if shown[row.symbol] != row:  # same order as shown, so every row is already there
                shown[row.symbol] = row
                changed.append(row_index)
        if changed:
            self._update_count += 1  # the table's own caches are keyed on it
            self._content_updates += 1
            self._refresh_rows(changed)

    def _refresh_rows(self, indices: list[int]) -> None:
        """Repaint the screen lines from the first to the last of these rows that are in view (none
        when all are scrolled away; every row here is one line): the rows between them come from
        the line cache."""
        header = self.header_height if self.show_header else 0
        top = self.scroll_offset.y
        bottom = top + self.size.height - header
        visible = [i - top + header for i in indices if top <= i < bottom]
        if visible:
            self.refresh(Region(0, visible[0], self.size.width, visible[-1] - visible[0] + 1))

    def _rebuild(self, rows: list[WatchRow]) -> None:
        current = self.current_symbol
        with self.app.batch_update():
            self.clear()
            self._rows = {r.symbol: r for r in rows}
            self._formatted = {}
            for row in rows:
                self.add_row(*(Cell(self, row.symbol, i) for i in range(len(COLUMNS))), key=row.symbol)
            self._order = [r.symbol for r in rows]
            if current in self._rows:
                self.move_cursor(row=self._order.index(current))

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> SegmentLines:
        """One cell's lines, cached on the cell's own content.

        DataTable keys its cell cache on a table-wide update counter, so one new price re-renders
        every visible cell, and rendering cells is most of a refresh's repaint. Here a cell whose
        (text, style) and drawing context are unchanged reuses its lines. Relies on DataTable
        internals of the pinned Textual version (8.2.8).
        """
        if row_index < 0 or column_index < 0:  # header and labels: the table's own path
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        symbol = self._row_locations.get_key(row_index).value
        cell = self._cells_of(symbol)[column_index]
        key = (symbol, column_index, cell, row_index, base_style, width, cursor, hover, self._show_hover_cursor,
               self.show_cursor, self._pseudo_class_state)
        lines = self._cell_lines.get(key)
        if lines is None:
            lines = self._plain_cell(row_index, column_index, cell, base_style, width, cursor, hover)
            if lines is None:
                lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._cell_lines[key] = lines
        return lines

    def _plain_cell(self, row_index: int, column_index: int, cell: tuple[str, str], base_style: Style, width: int,
                    cursor: bool, hover: bool) -> SegmentLines | None:
        """The line DataTable's Rich pipeline (`Styled(Padding(Text))`) draws for a cell whose text fits
        on one line in single-width characters, built directly: the same characters in the same
        styles at a tenth of the cost (a refresh redraws ~100 changed cells on screen). None when
        the text needs Rich's cropping or wide-character handling, or the table has fixed rows or
        columns: the caller then takes Rich's path. `tests/test_watchlist_table.py` holds the two
        paths to the same output."""
        text, style = cell
        pad = self.cell_padding
        inner = width - 2 * pad
        if len(text) > inner or self.fixed_rows or self.fixed_columns or not _SINGLE_WIDTH.issuperset(text):
            return None
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        blank = pre + post  # padding has no style of its own
        own = pre + self._text_style(style) + post
        edge = Segment(" " * pad, blank)
        if COLUMNS[column_index][0] in RIGHT:  # Text pads a right-justified line in its own style
            return [[edge, Segment(text.rjust(inner), own), edge]]
        line = [edge]
        if text:
            line.append(Segment(text, own))
        if len(text) < inner:  # then the line is padded to the cell's width outside the Text
            line.append(Segment(" " * (inner - len(text)), blank))
        line.append(edge)
        return [line]

    def _text_style(self, style: str) -> Style:
        """A cell's style string as Rich's console reads it for a `Text` (parsed once)."""
        parsed = self._text_styles.get(style)
        if parsed is None:
            parsed = self._text_styles[style] = self.app.console.get_style(style)
        return parsed

    # Drawing. DataTable keys its line caches on a table-wide update counter, so one new price
    # redraws every line on screen, each with an ancestor walk for the widget's style and another
    # for its background. Here lines are cached on what they show, and rows are drawn with what
    # this table's layout needs (a row cursor; no fixed rows or columns, labels or zebra stripes).
    # Relies on DataTable internals of the pinned Textual version (8.2.8);
    # `tests/test_watchlist_table.py` holds the result to DataTable's own drawing.

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = self.rich_style  # one frame cannot change it: taken once, not per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self.fixed_rows or self._frame_style is None:
            return super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        if not (self.show_header and y < self.header_height):
            y += scroll_y
        return self._render_line(y, scroll_x, scroll_x + self.size.width, self._frame_style)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """Line `y` of the table, cached on its row's cells, place and cursor state: a refresh
        redraws the rows whose cells changed, a cursor move the two rows it leaves and enters."""
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:  # below the last row
            return super()._render_line(y, x1, x2, base_style)
        row_index = self._row_locations.get(row_key)
        if row_index is None:  # the header
            row_index = -1
        cursor_type = self.cursor_type
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        if cursor_type == "row":
            cursor, hover = cursor.row == row_index, hover.row == row_index
        cells = self._cells_of(row_key.value) if row_index >= 0 else None
        key = (row_key, line_no, cells, row_index, x1, x2, self.size.width, base_style, cursor_type, cursor, hover,
               self.show_cursor, self._show_hover_cursor, self._pseudo_class_state,
               self._update_count - self._content_updates)  # anything else that moved rows or columns
        strip = self._lines.get(key)
        if strip is None:
            if cursor_type == "row" and row_index >= 0 and not (
                    self.fixed_columns or self.zebra_stripes or self._labelled_row_exists and self.show_row_labels):
                strip = self._row_line(row_index, line_no, x1, x2, base_style, cursor, hover)
            else:
                strip = super()._render_line(y, x1, x2, base_style)
            self._lines[key] = strip
        return strip

    def _row_line(self, row_index: int, line_no: int, x1: int, x2: int, base_style: Style, cursor: bool,
                  hover: bool) -> Strip:
        """A data row's line as DataTable's `_render_line_in_row` and `_render_line` draw it in this
        layout: its cells, then the row's style out to the widget's edge."""
        segments: list[Segment] = []
        used = 0
        for column_index, column in enumerate(self.ordered_columns):
            width = column.get_render_width(self)
            used += width
            segments += self._render_cell(row_index, column_index, base_style, width, cursor, hover)[line_no]
        width = self.size.width
        extend, _ = self._get_styles_to_render_cell(False, False, False, hover, cursor, self.show_cursor,
                                                    self._show_hover_cursor, False, False)
        extend = base_style + extend + Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        segments.append(Segment(" " * max(0, width - used), extend))
        return Strip(line_crop(segments, x1, x2, width)).adjust_cell_length(width, base_style).simplify()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Size the table after rows were added. DataTable measures every cell of every new row to
        fit auto-width columns and auto-height rows (~100 ms after 500 rows are rebuilt by a sort
        or a filter keystroke); this table's columns have fixed widths and its rows one line and
        no label, so only its virtual size is set, as DataTable sets it."""
        if any(column.auto_width for column in self.columns.values()) or any(
                (row := self.rows.get(key)) is not None and (row.auto_height or row.label is not None)
                for key in new_rows):
            super()._update_dimensions(new_rows)
            return
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + header)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._cell_lines.clear()
        self._lines.clear()

    def notify_style_update(self) -> None:
        self._cell_lines.clear()
        self._lines.clear()
        super().notify_style_update()

    @property
    def current_symbol(self) -> str | None:
        if not self._order or self.cursor_row < 0 or self.cursor_row >= len(self._order):
            return None
        return self._order[self.cursor_row]

    @property
    def current_row(self) -> WatchRow | None:
        symbol = self.current_symbol
        return self._rows.get(symbol) if symbol else None

    def _cells_of(self, symbol: str) -> Cells:
        """`symbol`'s row's cells, formatted again only when the row has changed since."""
        row = self._rows[symbol]
        formatted = self._formatted.get(symbol)
        if formatted is None or formatted[0] is not row:
            formatted = self._formatted[symbol] = (row, self._cells(row))
        return formatted[1]

    def _cells(self, row: WatchRow) -> Cells:
        """Each column's (text, style): plain values, cheap to compare and to key caches on."""
        tone = self.colours["stale"] if row.stale else (
            self.colours["up"] if (row.change or 0) > 0 else self.colours["down"] if (row.change or 0) < 0 else ""
        )
        code = row.symbol.removesuffix(".HK") if row.symbol.endswith(".HK") else row.symbol
        name = ("  └ ADR" if row.leg == "ADR" else row.name)
        premium_tone = "" if row.premium_pct is None else (
            self.colours["up"] if row.premium_pct > 0 else self.colours["down"])
        session = SESSION_BADGES.get(row.session, row.session.upper())
        return (
            (code, "bold" if row.leg != "ADR" else ""),
            (name, ""),
            (fmt.price(row.last), tone),
            (fmt.signed(row.change), tone),
            (fmt.pct(row.change_pct, 2), tone),
            (fmt.pct(row.premium_pct) if row.premium_pct is not None else "", premium_tone),
            (fmt.price(row.parity) if row.parity is not None else "", ""),
            (session, "bold" if row.session in ("open", "closing_auction") else "dim"),
            (row.age + ("!" if row.stale else ""), self.colours["stale"] if row.stale else "dim"),
        )

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
