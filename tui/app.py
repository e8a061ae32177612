"""SinotermApp and `make_app`, the one factory the CLI, the snapshot command and every test use.

The app owns the shared state (settings, latest quotes and FX, the news service) and the refresh
loops; screens read that state when told it changed (`QuotesUpdated`, `NewsUpdated`). Data flows one
way: sources -> services -> app state -> screens -> widgets.
"""
from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from config.models import Settings
from market.models import FxRate, Quote
from market.sessions import is_trading, market_status
from tui.alert_monitor import AlertMonitor
from tui.commands import SinotermCommands
from tui.messages import NewsUpdated, QuotesUpdated
from tui.settings_sync import SettingsSync

Clock = Callable[[], datetime]

UP_DOWN = {"green": ("#3fb950", "#f85149"), "red": ("#f85149", "#3fb950")}


def utc_now() -> datetime:
    return datetime.now(UTC)


class SinotermApp(App):
    """The dashboard application: watchlist, news, metric cards, detail view."""

    CSS_PATH = "app.tcss"
    TITLE = "Sinoterm"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {SinotermCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help"),
        Binding("r", "refresh", "Refresh", id="app.refresh"),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        quote_service,
        news_service,
        clock: Clock = utc_now,
        demo: bool = False,
        config_path: Path | None = None,
        watchlist: str | None = None,
        live_refresh: bool = True,
        database=None,
    ) -> None:
        self.settings = settings
        self.database = database  # the one SQLite database the services share, for reporting
        self.quote_service = quote_service
        self.news_service = news_service
        self.clock = clock
        self.demo = demo
        self.config_path = config_path
        self.watchlist_name = settings.watchlist(watchlist).name
        self.live_refresh = live_refresh
        self.quotes: dict[str, Quote] = {}
        self.fx: dict[str, FxRate] = {}
        self.unknown_symbols: set[str] = set()  # listings every source says do not exist
        self.quotes_loaded = asyncio.Event()
        self.news_loaded = asyncio.Event()
        self._quote_timer: Timer | None = None
        self._market_states: dict[str, str] = {}  # state at the last refresh, to catch opens and closes
        self._news_timer: Timer | None = None
        super().__init__()
        self.settings_sync = SettingsSync(self, config_path)  # in-app edits, reloads, [keys]
        self.alert_monitor = AlertMonitor(self)
        self.animation_level = "none" if not live_refresh else "basic"

    # -- theme ---------------------------------------------------------------------------------
    def get_theme_variable_defaults(self) -> dict[str, str]:
        up, down = UP_DOWN[self.settings.display.up]
        return {"price-up": up, "price-down": down, "stale": "#8b949e"}

    # -- lifecycle -----------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        """The dashboard is the bottom screen, composed with the app itself. Pushed over Textual's
        blank default screen it was composed a round of messages later, and the blank screen stayed
        underneath, laid out again on every resize and repainting the dashboard over it: ~10-20 ms
        of start-up to the first frame."""
        from tui.screens.dashboard import DashboardScreen

        return DashboardScreen()

    def on_mount(self) -> None:
        if self.settings.display.theme in self.available_themes:
            self.theme = self.settings.display.theme
        self.report_database()
        self.settings_sync.start(poll=self.live_refresh)
        self.load_cached_quotes()
        self.refresh_quotes()

    def on_ready(self) -> None:
        """The first screen is up: start the news and let the garbage collector run again, if the
        CLI held it off.

        News (feed parsing, page text, extraction in threads) starts only now, so the watchlist is
        on screen ~0.1 s sooner; the threads would otherwise hold the GIL meanwhile. (Waiting for
        a refresh after mounting instead waited for every repaint of the first frames.)

        Start-up allocates several hundred thousand objects (Textual's DOM and styles, our
        modules and tables) that live as long as the app; collecting while they are made costs
        ~45 ms of a ~0.5 s start for nothing found. `sinoterm` turns the collector off before
        importing the app's modules (tui/cli.py, APP_COMMANDS), and here the survivors are
        frozen out of later full collections (shorter pauses for the rest of the run) before it
        is turned back on. Tests and other hosts that leave the collector on are not touched."""
        self.refresh_news()
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def report_database(self) -> None:
        """Say so when the database was damaged (moved aside and rebuilt) or could not be used."""
        database = self.database
        if database is None:
            return
        if database.recovered_from:
            self.notify(f"The cache database was damaged: it was moved to {database.recovered_from} "
                        "and rebuilt. Quotes and news will refill.", severity="warning", timeout=15, markup=False)
        if database.unavailable:
            self.notify(f"The cache database cannot be used ({database.unavailable}); this run keeps "
                        "its data in memory only.", severity="warning", timeout=15, markup=False)

    async def on_unmount(self) -> None:
        for service in (self.quote_service, self.news_service):
            closer = getattr(service, "aclose", None)
            if closer:
                await closer()

    # -- shared state --------------------------------------------------------------------------
    @property
    def watchlist_symbols(self) -> list[str]:
        return list(self.settings.watchlist(self.watchlist_name).symbols)

    def all_symbols(self) -> list[str]:
        """Every listing the screens may show: the active watchlist and both legs of its companies."""
        from market.instruments import directory

        out: list[str] = []
        for symbol in self.watchlist_symbols:
            company = directory().company_of(symbol)
            for s in (company.symbols if company else (symbol,)):
                if s not in out:
                    out.append(s)
        return out

    def broadcast(self, message_type: type) -> None:
        """Tell every screen on the stack that shared data changed."""
        for screen in self.screen_stack:
            screen.post_message(message_type())

    # -- quotes --------------------------------------------------------------------------------
    def load_cached_quotes(self) -> None:
        """Yesterday's screen at once: the cache answers before the network does."""
        snapshot = self.quote_service.cached(self.all_symbols())
        if snapshot.quotes:
            self.quotes.update(snapshot.quotes)
            self.fx.update(snapshot.fx)
            self.broadcast(QuotesUpdated)

    @work(exclusive=True, group="quotes")
    async def refresh_quotes(self) -> None:
        """One refresh, then schedule the next: the loop can never overlap itself."""
        if self._quote_timer:
            self._quote_timer.stop()
        try:
            symbols = self.symbols_due()
            if not symbols:
                return
            snapshot = await self.quote_service.refresh(symbols, fx_pairs=("USDHKD", "USDCNY"))
            self.quotes.update(snapshot.quotes)
            self.fx.update(snapshot.fx)
            self.unknown_symbols = (self.unknown_symbols - set(symbols)) | snapshot.unknown
            self.broadcast(QuotesUpdated)
            self.alert_monitor.check()
        except Exception as error:  # a worker error would exit the app: report it instead
            self.notify(f"Quote refresh failed: {error}", severity="error", markup=False)
        finally:
            self.quotes_loaded.set()
            if self.live_refresh:
                self._quote_timer = self.set_timer(self.next_quote_delay(), self.refresh_quotes)

    def symbols_due(self) -> list[str]:
        """The listings worth asking for now: those whose market trades, plus every market whose
        session changed since the last refresh (one refresh at each open and close). Everything on
        the first refresh, in demo mode, or when sessions are not followed; `r` resets the states
        so a manual refresh asks for everything."""
        symbols = self.all_symbols()
        now = self.clock()
        states = {m: market_status(m, now).state for m in ("HK", "US")}
        changed = {m for m, state in states.items() if self._market_states.get(m) != state}
        self._market_states = states
        if self.demo or not self.settings.quotes.follow_sessions or not self.quotes:
            return symbols
        due = {m for m in states if is_trading(m, now)} | changed
        return [s for s in symbols if ("HK" if s.endswith(".HK") else "US") in due]

    def next_quote_delay(self) -> float:
        """Seconds to the next refresh: the configured cadence while a watched market trades,
        otherwise until the next session change (at most 15 minutes), so nothing polls overnight."""
        cadence = self.settings.quotes.refresh_seconds
        if self.demo or not self.settings.quotes.follow_sessions:
            return 1.0 if self.demo else cadence
        now = self.clock()
        markets = {"HK" if s.endswith(".HK") else "US" for s in self.all_symbols()} or {"HK", "US"}
        if any(is_trading(m, now) for m in markets):
            return cadence
        until = min((market_status(m, now).next_change - now).total_seconds() for m in markets)
        return max(cadence, min(until + 1, 900))

    # -- news ----------------------------------------------------------------------------------
    @work(exclusive=True, group="news")
    async def refresh_news(self) -> None:
        if self._news_timer:
            self._news_timer.stop()
        try:
            await self.news_service.refresh()
            self.broadcast(NewsUpdated)
        except Exception as error:
            self.notify(f"News refresh failed: {error}", severity="warning", markup=False)
        finally:
            self.news_loaded.set()
            if self.live_refresh and not self.demo:
                self._news_timer = self.set_timer(self.settings.news.refresh_minutes * 60, self.refresh_news)

    # -- actions -------------------------------------------------------------------------------
    def action_refresh(self) -> None:
        self._market_states = {}  # a manual refresh asks for every listing
        self.refresh_quotes()
        self.refresh_news()
        self.notify("Refreshing quotes and news", timeout=2)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(
    settings: Settings,
    *,
    demo: bool = False,
    config_path: Path | None = None,
    watchlist: str | None = None,
    clock: Clock | None = None,
    quote_service=None,
    news_service=None,
    live_refresh: bool = True,
) -> SinotermApp:
    """Build the app with its services. Demo mode replays bundled data on a simulated clock and
    keeps it out of the user's cache (quotes in an in-memory database, news in the demo's own
    store), so demo prices never pass as live."""
    from market.service import QuoteService
    from news.service import NewsService
    from storage.db import Database

    if demo:
        from market.providers.replay import DemoClock

        clock = clock or DemoClock()
        database = Database(":memory:")
    else:
        from config.paths import database_file

        clock = clock or utc_now
        database = Database(database_file())
    quote_service = quote_service or QuoteService.from_settings(settings, demo=demo, database=database, clock=clock)
    # demo news has a store of its own that outlives the run (news/demo.py); demo quotes do not
    news_service = news_service or NewsService.from_settings(settings, demo=demo, database=None if demo else database)
    return SinotermApp(
        settings, quote_service=quote_service, news_service=news_service, clock=clock, demo=demo,
        config_path=config_path, watchlist=watchlist, live_refresh=live_refresh, database=database,
    )
