"""Sinoterm's command palette provider, added beside Textual's system commands
(`COMMANDS = App.COMMANDS | {SinotermCommands}`): go to a company or symbol, switch watchlist,
add a symbol, refresh, toggle the theme, alerts, help."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from market.instruments import Company, directory
from widgets.symbol_input import candidates

# light <-> dark counterparts for the toggle; other themes flip to the default of the other kind
THEME_PAIRS = {"textual-dark": "textual-light", "solarized-dark": "solarized-light",
               "catppuccin-mocha": "catppuccin-latte", "rose-pine": "rose-pine-dawn"}
THEME_PAIRS |= {light: dark for dark, light in THEME_PAIRS.items()}


class SinotermCommands(Provider):
    """Commands over the app's own data: companies, symbols, watchlists, and the main actions."""

    def _dashboard(self) -> Any | None:
        """The screen that owns the watchlist actions: the calling screen, else the one below."""
        for screen in (self.screen, *reversed(self.app.screen_stack)):
            if hasattr(screen, "action_switch_watchlist"):
                return screen
        return None

    def _commands(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        """(text, callback, help) for every fixed command."""
        app: Any = self.app
        board = self._dashboard()
        for i, w in enumerate(app.settings.watchlists):
            if board is not None:
                yield (f"Switch to watchlist: {w.name}", partial(board.action_switch_watchlist, i),
                       f"key {i + 1}" if i < 9 else "")
        if board is not None and hasattr(board, "action_add_symbol"):
            yield (f"Add symbol to {app.watchlist_name}", board.action_add_symbol,
                   "search by code, ticker, English or Chinese name (key a)")
            yield ("New watchlist", board.action_new_watchlist, "key n")
            yield (f"Rename watchlist {app.watchlist_name}", board.action_rename_watchlist, "key R")
            yield ("Alerts", board.action_show_alerts, "every alert and when it last fired (key !)")
        yield ("Refresh quotes and news", app.action_refresh, "key r")
        yield ("Toggle light/dark theme", self.toggle_theme, "saved to [display] theme")
        yield ("Help: keys and panes", app.action_help, "key ?")

    def _companies(self) -> Iterator[tuple[str, Callable[[], Any], str]]:
        for company in directory().companies:
            codes = " / ".join(company.symbols)
            yield (f"Go to {company.name_en} {company.name_zh}", partial(self.open_company, company), codes)

    async def discover(self) -> Hits:
        for text, callback, help_text in self._commands():
            yield DiscoveryHit(Content(text), callback, text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, callback, help_text in (*self._commands(), *self._companies()):
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), callback, text=text, help=help_text)
        for symbol, company in candidates(query, limit=3):  # `9618`, `hk09618`, `腾讯`
            if company is not None:
                text = f"Go to {symbol} ({company.name_en})"
                yield Hit(0.9, Content(text), partial(self.open_company, company), text=text)

    def open_company(self, company: Company) -> None:
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(company))

    def toggle_theme(self) -> None:
        app: Any = self.app
        current = app.theme
        is_dark = app.available_themes[current].dark if current in app.available_themes else True
        new = THEME_PAIRS.get(current) or ("textual-light" if is_dark else "textual-dark")
        sync = getattr(app, "settings_sync", None)
        if sync is None or not sync.save(lambda f: f.set_display("theme", new), f"Theme: {new}"):
            app.theme = new  # still switch for this session when the file cannot be saved


def _highlight(matcher: Any, text: str) -> Content:
    """Fuzzy-match highlighting parses markup, so names with `[` are shown plain instead."""
    return Content(text) if "[" in text else matcher.highlight(text)
