"""The dashboard: watchlist tabs and table, the news pane, metric cards, the status bar.

The screen coordinates: it listens to its widgets' messages and the app's data messages, builds
rows and cards from app state, and hands them down. Widgets never talk to each other.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from market.instruments import Company, directory
from market.sessions import market_status
from tui.messages import NewsUpdated, QuotesUpdated, SettingsChanged
from tui.watchlist_editing import EDIT_BINDINGS, WatchlistEditing
from tui.watchlist_rows import SORTS, build_rows
from widgets import format as fmt
from widgets.key_bar import KeyBar
from widgets.metric_card import MetricCard, MetricStrip
from widgets.news_list import NewsList
from widgets.status_bar import MarketLine, StatusBar, StatusInfo
from widgets.watchlist_table import WatchlistTable
from widgets.watchlist_tabs import WatchlistTabs

NEWS_LIMIT = 60
MAX_CARDS = 10


def source_detail(health, standby: bool = False) -> str:
    """`ok 120ms`, or what failed and when the source is asked again: `timeout, retry in 30s`.

    Errors carry their source's name ("sina: ..."), which the bar already shows, so it is cut; the
    retry time comes first so a long error cannot push it off screen. A secondary that failed while
    the primary serves everything is on `standby`: it will not be asked again until it is needed.
    """
    if health.ok:
        return f"ok {health.latency_ms:.0f}ms" if health.latency_ms else "ok"
    detail = (health.last_error or "down").removeprefix(f"{health.name}: ")[:30]
    if standby:
        return f"standby (last: {detail})"
    retry = health.retry_in()
    return f"retry in {retry:.0f}s: {detail}" if retry else detail


class DashboardScreen(WatchlistEditing, Screen):
    """Three panes: watchlist, news, key-metric cards; status and footer below."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/", id="dashboard.filter"),
        Binding("f", "toggle_follow", "All/company news", id="dashboard.follow"),
        Binding("s", "cycle_sort", "Sort", id="dashboard.sort"),
        *[Binding(str(i), f"switch_watchlist({i - 1})", f"Watchlist {i}", show=False,
                  id=f"dashboard.watchlist_{i}") for i in range(1, 10)],
        *EDIT_BINDINGS,
    ]

    AUTO_FOCUS = "#watchlist"

    def __init__(self) -> None:
        super().__init__()
        self.selected_company: Company | None = None
        self.follow_company = True
        self.sort = "user"
        self.text_filter = ""
        self.shown_news: dict[str, object] = {}
        self._news_queued = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        with Horizontal(id="main"):
            with Vertical(id="watch-pane"):
                yield WatchlistTabs(id="watchlist-tabs")
                yield Input(placeholder="filter: code, name or 中文名 (Esc clears)", id="filter")
                yield WatchlistTable(id="watchlist")
            with Vertical(id="news-pane"):
                yield Static(id="news-title", classes="pane-title")
                yield NewsList(id="news")
        yield Static(id="cards-title", classes="pane-title")
        yield MetricStrip(id="cards")
        yield StatusBar(id="status")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(WatchlistTable)
        variables = self.app.get_css_variables()
        table.colours = {"up": variables.get("price-up", "green"), "down": variables.get("price-down", "red"),
                         "stale": variables.get("stale", "grey50")}
        self.query_one("#filter", Input).display = False
        self._fill_tabs()
        self.refresh_table()
        self.refresh_status()
        self._queue_news()  # the watchlist is the first thing on screen; stored news follows a frame later
        self.set_interval(1.0, self.refresh_status)

    # -- data ----------------------------------------------------------------------------------
    def _fill_tabs(self) -> None:
        names = [w.name for w in self.app.settings.watchlists]
        active = names.index(self.app.watchlist_name) if self.app.watchlist_name in names else 0
        self.query_one(WatchlistTabs).show(names, active)
        self._update_title()

    def _update_title(self) -> None:
        demo = " · DEMO (replayed prices)" if self.app.demo else ""
        self.sub_title = f"{self.app.watchlist_name}{demo}"

    def refresh_table(self) -> None:
        rows = build_rows(self.app.watchlist_symbols, self.app.quotes, self.app.fx, self.app.clock(),
                          sort=self.sort, text_filter=self.text_filter)
        table = self.query_one(WatchlistTable)
        table.show(rows)
        if self.selected_company is None and rows:
            self._select(rows[0].company_id, rows[0].symbol)

    def refresh_news(self) -> None:
        company = self.selected_company if self.follow_company else None
        items = self.app.news_service.items(company.id if company else None, limit=NEWS_LIMIT)
        title = Text("News", style="bold")
        title.append(f" · {company.name_en}" if company else " · all companies")
        title.append("  (f: all)" if company else "  (f: follow selection)", style="dim")
        self._set_title("#news-title", title)
        empty = f"No news about {company.name_en} yet." if company else "No news yet."
        self.shown_news = {item.id: item for item in items}
        self.query_one(NewsList).show(items, self.app.clock(), empty=empty)
        # the pane already holds the company's items when it follows the selection: one query, not two
        self.refresh_cards(items if company else None)

    def refresh_cards(self, items: list | None = None) -> None:
        """Cards for the selected company, newest news first, one card per figure: a later item's
        revenue hides an older one's, so the strip shows the latest reading of each metric."""
        company = self.selected_company
        strip = self.query_one(MetricStrip)
        if company is None:
            self._set_title("#cards-title", Text("Key metrics", style="bold"))
            strip.show([], "Select a company to see the figures its news reports.")
            return
        from news.findings import primary_metrics  # loaded with the stored news, after the first frame

        cards: list[MetricCard] = []
        seen: set[tuple] = set()
        sources = 0
        if items is None:
            items = self.app.news_service.items(company.id, limit=NEWS_LIMIT)
        for item in items:
            extraction = item.extraction
            period = extraction.period.label if extraction and extraction.period else None
            fresh = [m for m in primary_metrics(extraction.metrics if extraction else [], company.name_en)
                     if (m.name, m.segment, m.status) not in seen]
            if fresh:
                sources += 1
            for metric in fresh:
                seen.add((metric.name, metric.segment, metric.status))
                cards.append(MetricCard(metric, period=period))
        heading = Text(f"Key metrics · {company.name_en}", style="bold")
        if cards:
            heading.append(f" · from {sources} news item{'s' if sources > 1 else ''}, newest first"
                           "  (tab, then ←/→: a card's source sentence)", style="dim")
        self._set_title("#cards-title", heading)
        strip.show(cards[:MAX_CARDS], f"No figures extracted from {company.name_en}'s news yet.")

    def _set_title(self, selector: str, title: Text) -> None:
        """Show a pane's title, unless it already shows this one: an update relayouts the screen,
        and most news refreshes (the selection and its news unchanged) would only repeat it."""
        widget = self.query_one(selector, Static)
        if widget.content != title:
            widget.update(title)

    def refresh_status(self) -> None:
        now = self.app.clock()
        markets = []
        for m in ("HK", "US"):
            status = market_status(m, now)
            markets.append(MarketLine(m, status.state, status.next_state,
                                      fmt.countdown(status.next_change - now), status.holiday))
        # the demo replay has no network to be healthy or slow: the DEMO label says what it is
        health = [] if self.app.demo else list(self.app.quote_service.health.values())
        primary_ok = bool(health) and health[0].ok
        sources = tuple((h.name, h.ok or (primary_ok and i > 0), source_detail(h, standby=primary_ok and i > 0))
                        for i, h in enumerate(health))
        times = [q.time for q in self.app.quotes.values() if q.time]
        newest = max(times) if times else None
        data_time = newest.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M %Z") if newest else "no data yet"
        usdhkd = self.app.fx.get("USDHKD")
        extras = (f"USD/HKD {usdhkd.rate:.4f}",) if usdhkd else ()
        news_errors = self.app.news_service.errors
        if news_errors:
            extras += (f"news: {len(news_errors)} problem(s), first: {news_errors[0][:60]}",)
        unknown = sorted(self.app.unknown_symbols & set(self.app.watchlist_symbols))
        message = f"no source knows {', '.join(unknown[:4])}" if unknown else ""
        if health and not any(h.ok for h in health):
            message = "OFFLINE: cached quotes, see Age" if self.app.quotes else "OFFLINE: nothing cached yet"
        self.query_one(StatusBar).show(StatusInfo(
            demo=self.app.demo, sources=sources, data_time=data_time, markets=tuple(markets), extras=extras,
            message=message,
        ))

    def _select(self, company_id: str | None, symbol: str) -> None:
        company = directory().company(company_id) if company_id else None
        if company is not self.selected_company:
            self.selected_company = company
            self._queue_news()

    def _queue_news(self) -> None:
        """Refresh the news pane after the next frame: the moved cursor (or, at start, the whole
        watchlist) is painted first, as the news query and the cards' relayout take ~50 ms, and
        keys held down coalesce into one news refresh."""
        if not self._news_queued:
            self._news_queued = True
            self.call_after_refresh(self._refresh_queued_news)

    def _refresh_queued_news(self) -> None:
        self._news_queued = False
        self.refresh_news()

    # -- messages ------------------------------------------------------------------------------
    def on_quotes_updated(self, _: QuotesUpdated) -> None:
        self.refresh_table()
        self.refresh_status()

    def on_news_updated(self, _: NewsUpdated) -> None:
        self.refresh_news()
        self.refresh_status()  # feed problems show now, not at the next quote refresh

    def on_settings_changed(self, _: SettingsChanged) -> None:
        """Watchlists added, renamed or deleted: relabel the tabs and show the app's current one."""
        self._fill_tabs()
        self.refresh_table()

    @on(WatchlistTable.SymbolHighlighted)
    def _highlighted(self, event: WatchlistTable.SymbolHighlighted) -> None:
        self._select(event.company_id, event.symbol)

    @on(WatchlistTable.SymbolSelected)
    def _selected(self, event: WatchlistTable.SymbolSelected) -> None:
        company = directory().company(event.company_id) if event.company_id else None
        if company is None:
            self.notify(f"{event.symbol} is not in the instruments directory: no detail view.", markup=False)
            return
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(company))

    @on(NewsList.ItemSelected)
    def _open_article(self, event: NewsList.ItemSelected) -> None:
        from tui.screens.article import ArticleScreen

        item = self.shown_news.get(event.item_id)
        if item is not None:
            self.app.news_service.mark_read(item.id)
            self.app.push_screen(ArticleScreen(item))
            self.refresh_news()

    @on(WatchlistTabs.Clicked)
    def _tab(self, event: WatchlistTabs.Clicked) -> None:
        self.action_switch_watchlist(event.index)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.text_filter = event.value.strip()
        self.refresh_table()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(WatchlistTable).focus()

    def key_escape(self) -> None:
        field = self.query_one("#filter", Input)
        if field.display:
            field.value = ""
            field.display = False
            self.text_filter = ""
            self.refresh_table()
            self.query_one(WatchlistTable).focus()

    # -- actions -------------------------------------------------------------------------------
    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def action_toggle_follow(self) -> None:
        self.follow_company = not self.follow_company
        self.refresh_news()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.notify(f"Sorted by {self.sort if self.sort != 'user' else 'your order'}", timeout=2)
        self.refresh_table()

    def action_switch_watchlist(self, index: int) -> None:
        watchlists = self.app.settings.watchlists
        if not 0 <= index < len(watchlists) or watchlists[index].name == self.app.watchlist_name:
            return
        self.app.watchlist_name = watchlists[index].name
        self.selected_company = None
        self._fill_tabs()
        self.refresh_table()
        self.app.refresh_quotes()
