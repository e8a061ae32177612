"""Watchlist editing for the dashboard: the keys, the dialogs they open and the saves they make.

`WatchlistEditing` is a mixin for the dashboard screen, which adds `EDIT_BINDINGS` to its own
BINDINGS (Textual only merges bindings from DOMNode classes). Every change is saved to the config
file at once through `app.settings_sync` (tui/settings_sync.py), which then broadcasts
`SettingsChanged`; the dashboard redraws from `app.settings` as usual.

The table shows a dual listing as one block (HK leg, then ADR) even when the list names one leg,
so removing and moving work on that block: `d` removes every listed leg of the company, `J`/`K`
move the block past its neighbour.
"""
from __future__ import annotations

from typing import Any

from textual.binding import Binding

from market.instruments import directory
from widgets.watchlist_table import WatchlistTable

# The dialogs (tui.screens.watchlist_editor, tui.screens.alerts) are imported by the actions that
# open them: the dashboard imports this module, and start-up should not pay for screens not shown.

EDIT_BINDINGS = [
    Binding("a", "add_symbol", "Add", id="watchlist.add"),
    Binding("d", "remove_symbol", "Remove", id="watchlist.remove"),
    Binding("J", "move_symbol(1)", "Move down", show=False, id="watchlist.move_down"),
    Binding("K", "move_symbol(-1)", "Move up", show=False, id="watchlist.move_up"),
    Binding("n", "new_watchlist", "New watchlist", show=False, id="watchlist.new"),
    Binding("R", "rename_watchlist", "Rename watchlist", show=False, id="watchlist.rename"),
    Binding("D", "delete_watchlist", "Delete watchlist", show=False, id="watchlist.delete"),
    Binding("A", "add_alert", "Alert on row", show=False, id="alerts.add"),
    Binding("exclamation_mark", "show_alerts", "Alerts", key_display="!", show=False, id="alerts.show"),
]


def company_key(symbol: str) -> str:
    """Rows of one company move and go together: its id, or the symbol for unknown listings."""
    company = directory().company_of(symbol)
    return company.id if company else symbol


def legs_in_list(symbols: list[str], symbol: str) -> list[str]:
    """The listed symbols shown in the same block as `symbol` (both legs of a dual listing)."""
    key = company_key(symbol)
    return [s for s in symbols if company_key(s) == key]


def move_block(symbols: list[str], symbol: str, offset: int) -> list[str] | None:
    """The list with `symbol`'s block moved `offset` blocks; None if it cannot move that way."""
    blocks: dict[str, list[str]] = {}
    for s in symbols:
        blocks.setdefault(company_key(s), []).append(s)
    order = list(blocks)
    key = company_key(symbol)
    if key not in blocks:
        return None
    i = order.index(key)
    j = i + offset
    if not 0 <= j < len(order):
        return None
    order.insert(j, order.pop(i))
    return [s for k in order for s in blocks[k]]


class WatchlistEditing:
    """Actions behind EDIT_BINDINGS; mixed into the dashboard screen (needs self.app, query_one)."""

    app: Any  # provided by the Screen this is mixed into
    query_one: Any

    # -- what is selected ----------------------------------------------------------------------
    def _watchlist(self) -> tuple[str, list[str]]:
        app = self.app
        return app.watchlist_name, list(app.settings.watchlist(app.watchlist_name).symbols)

    def _row_symbol(self) -> str | None:
        return self.query_one(WatchlistTable).current_symbol

    def _save(self, edit, done: str, select: str | None = None) -> bool:
        return self.app.settings_sync.save(edit, done, select)

    # -- symbols -------------------------------------------------------------------------------
    def action_add_symbol(self) -> None:
        name, _ = self._watchlist()
        shown = tuple(self.app.all_symbols())

        def chosen(symbol: str | None) -> None:
            if symbol:
                self._save(lambda f: f.add_symbol(name, symbol), f"Added {symbol} to {name}")

        from tui.screens.watchlist_editor import AddSymbolScreen

        self.app.push_screen(AddSymbolScreen(name, shown), chosen)

    def action_remove_symbol(self) -> None:
        name, symbols = self._watchlist()
        symbol = self._row_symbol()
        legs = legs_in_list(symbols, symbol) if symbol else []
        if not legs:
            return
        company = directory().company_of(symbol or "")
        what = f"{company.name_en} ({', '.join(legs)})" if company else ", ".join(legs)

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(lambda f: f.remove_symbols(name, legs), f"Removed {what} from {name}")

        from tui.screens.watchlist_editor import ConfirmScreen

        self.app.push_screen(ConfirmScreen(f"Remove {what} from {name}?"), answered)

    def action_move_symbol(self, offset: int) -> None:
        if getattr(self, "sort", "user") != "user":
            self.app.notify("Rows move in your own order: press s until the sort is back to it.", timeout=4)
            return
        name, symbols = self._watchlist()
        symbol = self._row_symbol()
        order = move_block(symbols, symbol, offset) if symbol else None
        if order is not None:
            self._save(lambda f: f.reorder_symbols(name, order), f"Moved {symbol} {'down' if offset > 0 else 'up'}")

    # -- watchlists ----------------------------------------------------------------------------
    def _names(self) -> tuple[str, ...]:
        return tuple(w.name for w in self.app.settings.watchlists)

    def action_new_watchlist(self) -> None:
        def named(new: str | None) -> None:
            if new:
                self._save(lambda f: f.add_watchlist(new), f"New watchlist {new}", select=new)

        from tui.screens.watchlist_editor import NameScreen

        self.app.push_screen(NameScreen("New watchlist", taken=self._names()), named)

    def action_rename_watchlist(self) -> None:
        old, _ = self._watchlist()
        taken = tuple(n for n in self._names() if n.casefold() != old.casefold())

        def named(new: str | None) -> None:
            if new and new != old:
                self._save(lambda f: f.rename_watchlist(old, new), f"Renamed {old} to {new}", select=new)

        from tui.screens.watchlist_editor import NameScreen

        self.app.push_screen(NameScreen(f"Rename {old}", old, taken), named)

    def action_delete_watchlist(self) -> None:
        name, symbols = self._watchlist()
        if len(self._names()) == 1:
            self.app.notify("The last watchlist cannot be deleted; rename it instead (R).")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(lambda f: f.delete_watchlist(name), f"Deleted the watchlist {name}")

        from tui.screens.watchlist_editor import ConfirmScreen

        question = f"Delete the watchlist {name} ({len(symbols)} symbols)?"
        self.app.push_screen(ConfirmScreen(question), answered)

    # -- alerts --------------------------------------------------------------------------------
    def action_add_alert(self) -> None:
        symbol = self._row_symbol() or ""
        quote = self.app.quotes.get(symbol)
        last = quote.last if quote else None
        from tui.screens.alerts import AddAlertScreen, save_alert

        self.app.push_screen(AddAlertScreen(symbol, last), save_alert(self.app))

    def action_show_alerts(self) -> None:
        from tui.screens.alerts import AlertsScreen

        self.app.push_screen(AlertsScreen())
