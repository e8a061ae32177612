"""The watchlist table draws its cells without Rich where it can: the same characters in the same
styles as DataTable's own path, in every cursor, hover and focus state."""
from __future__ import annotations

from dataclasses import replace

from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from widgets.watchlist_table import COLUMNS, WatchlistTable, WatchRow

ROWS = [
    WatchRow("9988.HK", "Alibaba Group", "alibaba", 139.7, 2.3, 1.67, premium_pct=3.21, parity=135.3,
             session="open", age="12s", leg="HK"),
    WatchRow("BABA", "Alibaba Group", "alibaba", 142.05, -0.5, -0.35, parity=144.0, session="closed",
             age="14h", leg="ADR"),
    WatchRow("0700.HK", "Tencent", "tencent", 400.0, 0.0, 0.0, session="lunch_break", age="45m", stale=True),
    WatchRow("1810.HK", "Xiaomi", None, None, None, None, session="", age=""),  # no quote yet
    WatchRow("0001.HK", "基准0001", None, 12345.6, 12.3, 0.1, session="pre_open", age="3h"),  # wide name
    WatchRow("0002.HK", "A name far too long for its column", None, 0.123, -0.004, -3.15,
             session="closing_auction", age="2d"),
    WatchRow("0003.HK", "Wide price", None, 123456789.0, 1.0, 99999.99, session="weird", age="1s"),
]


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield WatchlistTable()


def chars(lines) -> list[tuple]:
    """A cell's first line as (character, style) pairs: how segments are split does not show."""
    return [(ch, segment.style) for segment in lines[0] for ch in segment.text]


async def test_cells_drawn_directly_match_datatables_rich_path():
    app = TableApp()
    async with app.run_test(size=(110, 12)) as pilot:
        table = app.query_one(WatchlistTable)
        table.show(ROWS)
        await pilot.pause()
        compared = fell_back = 0
        for focused in (True, False):
            if focused:
                table.focus()
            else:
                table.blur()
            await pilot.pause()
            table._pseudo_class_state = table.get_pseudo_class_state()
            for show_hover in (False, True):
                table._show_hover_cursor = show_hover
                for row_index, row in enumerate(ROWS):
                    base = table._get_row_style(row_index, table.rich_style)
                    for column_index in range(len(COLUMNS)):
                        width = table.ordered_columns[column_index].get_render_width(table)
                        cell = table._cells_of(row.symbol)[column_index]
                        for cursor in (False, True):
                            for hover in (False, True):
                                fast = table._plain_cell(row_index, column_index, cell, base, width, cursor, hover)
                                rich = DataTable._render_cell(table, row_index, column_index, base, width, cursor,
                                                              hover)
                                if fast is None:
                                    fell_back += 1
                                    continue
                                compared += 1
                                assert chars(fast) == chars(rich), (row.symbol, COLUMNS[column_index][0], cursor,
                                                                    hover, focused, show_hover)
        # the wide name, the long name, the over-wide price and percentage take Rich's path; all else is compared
        assert fell_back == 4 * 16 and compared == (len(ROWS) * len(COLUMNS) - 4) * 16


def lines(table: WatchlistTable) -> list[list[tuple]]:
    """Every line of the table drawn afresh, through Textual's own per-widget pipeline."""
    table._clear_caches()
    return [chars([list(strip)]) for strip in table.render_lines(Region(0, 0, *table.size))]


def datatables_own_drawing(monkeypatch) -> None:
    for name in ("_plain_cell", "_render_line", "render_line"):
        monkeypatch.setattr(WatchlistTable, name, getattr(DataTable, name, lambda *args: None))


async def test_the_whole_table_draws_as_datatable_does(monkeypatch):
    app = TableApp()
    async with app.run_test(size=(110, 12)) as pilot:  # taller than the rows: blank lines below them
        table = app.query_one(WatchlistTable)
        table.show(ROWS)
        table.focus()
        table.move_cursor(row=2)
        await pilot.pause()
        states = []
        for hover_row in (1, 2):
            table.hover_coordinate = Coordinate(hover_row, 0)
            table._show_hover_cursor = True
            states.append(lines(table))
        table.blur()
        await pilot.pause()
        states.append(lines(table))
        with monkeypatch.context() as patched:
            datatables_own_drawing(patched)
            table.focus()
            await pilot.pause()
            expected = []
            for hover_row in (1, 2):
                table.hover_coordinate = Coordinate(hover_row, 0)
                table._show_hover_cursor = True
                expected.append(lines(table))
            table.blur()
            await pilot.pause()
            expected.append(lines(table))
        assert states == expected


async def test_a_refresh_repaints_the_rows_it_changed_in_view():
    rows = [WatchRow(f"{i:04d}.HK", f"Listing {i}", None, 10.0 + i, 0.1, 1.0, session="open", age="1s")
            for i in range(40)]
    app = TableApp()
    async with app.run_test(size=(110, 12)) as pilot:
        table = app.query_one(WatchlistTable)
        table.show(rows)
        await pilot.pause()
        table.scroll_to(y=10, animate=False)
        await pilot.pause()
        painted = dict(table._styles_cache._cache)
        moved = {3: 99.5, 12: 11.25, 15: 7.5}  # scrolled away, then two rows on screen
        table.show([replace(r, last=moved.get(i, r.last)) for i, r in enumerate(rows)])
        await pilot.pause()
        now = dict(table._styles_cache._cache)
        assert [y for y in now if now[y] is not painted[y]] == [3, 4, 5, 6]  # rows 12 to 15, below the header
        lines(table)  # every line drawn afresh: what the screen should hold
        fresh = table._styles_cache._cache
        assert sorted(now) == sorted(fresh) and all(list(now[y]) == list(fresh[y]) for y in now)
        assert "11.25" in "".join(ch for ch, _ in chars([list(now[3])]))


async def test_rows_added_size_the_table_as_datatable_does(monkeypatch):
    async def sized(rows) -> tuple:
        app = TableApp()
        async with app.run_test(size=(110, 12)) as pilot:
            table = app.query_one(WatchlistTable)
            table.show(rows)
            await pilot.pause()
            table.show(rows[::-1])  # a new order rebuilds the rows
            await pilot.pause()
            return (table.virtual_size, [c.get_render_width(table) for c in table.ordered_columns],
                    table._row_label_column_width, [r.height for r in table.ordered_rows])

    ours = await sized(ROWS)
    monkeypatch.setattr(WatchlistTable, "_update_dimensions", DataTable._update_dimensions)
    assert ours == await sized(ROWS)
