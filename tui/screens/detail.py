"""The company detail view: both listings, parity, charts, the quarterly table, results cards, news.

Everything the app provides is optional here (no quotes yet, no news service, no history): the
screen always shows the bundled quarterly numbers, and fills the rest in as `QuotesUpdated` and
`NewsUpdated` arrive. Text from sources reaches the screen only as `rich.text.Text`.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from market.fundamentals import (
    NewsFigure,
    latest_results,
    quarters,
    results_metrics,
    results_period,
)
from market.instruments import Company, directory
from market.models import Bar, Quote
from news.findings import primary_metrics
from storage.fundamentals import FundamentalsStore, figures_from_item
from tui.messages import NewsUpdated, QuotesUpdated
from tui.screens.article import ArticleScreen
from widgets import format as fmt
from widgets.key_bar import KeyBar
from widgets.metric_card import MetricCard, MetricStrip
from widgets.news_list import NewsList
from widgets.price_chart import PriceChart
from widgets.quarter_table import QuarterTable

try:  # being written in parallel (sessions owns it); the header works without it
    from market.parity import compute as compute_parity
except ImportError:  # pragma: no cover - only until market.parity lands
    compute_parity = None
try:
    from market.sessions import market_status
except ImportError:  # pragma: no cover
    market_status = None

STATE_LABELS = {
    "pre_open": "pre-open", "open": "open", "lunch_break": "lunch", "closing_auction": "closing auction",
    "pre_market": "pre-market", "after_hours": "after hours", "closed": "closed",
}
MAX_CARDS = 6
INTRADAY_POINTS = 400
DAILY_BARS = 130  # about six months of sessions


def watchlist_companies(app: Any) -> list[Company]:
    """Companies of the active watchlist, in watchlist order, each once (both legs share one)."""
    settings = getattr(app, "settings", None)
    if settings is None:
        return []
    symbols = settings.watchlist(getattr(app, "watchlist_name", None)).symbols
    out: list[Company] = []
    for symbol in symbols:
        company = directory().company_of(symbol)
        if company and company not in out:
            out.append(company)
    return out


class DetailScreen(Screen):
    """One company: listings, parity, charts, quarterly table, results cards, headlines."""

    HELP = """\
## Company detail
`c` switches the quarterly table between the reporting currency, US$ and HK$. `left`/`right` move
to the previous or next company of the watchlist, `tab` between sections, `escape` back.
"""

    BINDINGS = [
        Binding("escape", "back", "Back", id="detail.back"),
        Binding("tab", "next_section", "Next section", id="detail.next_section"),
        Binding("shift+tab", "previous_section", "Previous section", show=False, id="detail.previous_section"),
        Binding("c", "currency", "Currency", id="detail.currency"),
        Binding("left", "previous_company", "Prev company", priority=True, id="detail.previous_company"),
        Binding("right", "next_company", "Next company", priority=True, id="detail.next_company"),
    ]

    DEFAULT_CSS = """
    DetailScreen #detail-body { height: 1fr; }
    DetailScreen #detail-names { text-style: bold; padding: 0 1; }
    DetailScreen .detail-line { padding: 0 1; height: auto; }
    DetailScreen #detail-charts { height: 9; }
    DetailScreen #detail-charts PriceChart { width: 1fr; }
    DetailScreen QuarterTable { padding: 0 1; }
    DetailScreen MetricStrip { min-height: 1; }
    DetailScreen .section-title { color: $text-muted; text-style: bold; padding: 0 1; }
    DetailScreen NewsList { height: auto; max-height: 12; }
    """

    def __init__(self, company: Company) -> None:
        super().__init__()
        self.company = company
        self.sub_title = company.name_en
        self._seen: dict[str, list[Bar]] = {s: [] for s in company.symbols}  # quotes seen while open
        self._items: dict[str, Any] = {}
        self._recorded: set[str] = set()  # news items whose figures are already in the store
        self._cards_key: tuple | None = None  # what the results cards show now
        self._history: set[str] = set()  # symbols whose intraday chart has real history

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail-body"):
            yield Static(self._names(), id="detail-names")
            for symbol in self.company.symbols:
                yield Static(id=f"leg-{_key(symbol)}", classes="detail-line")
            yield Static(id="detail-parity", classes="detail-line")
            with Horizontal(id="detail-charts"):
                for symbol in self.company.symbols:
                    yield PriceChart(symbol, "intraday", id=f"intraday-{_key(symbol)}")
                    yield PriceChart(symbol, "daily", id=f"daily-{_key(symbol)}")
            yield QuarterTable(quarters(self.company.id), id="detail-quarters")
            yield Static("Results news", classes="section-title")
            yield MetricStrip(id="detail-cards", card_width=40, always_source=True)
            yield Static("Headlines", classes="section-title")
            yield NewsList(id="detail-news")
        yield KeyBar()

    def _names(self) -> Text:
        c = self.company
        text = Text(f"{c.name_en}  {c.name_zh}")
        facts = [c.sector] if c.sector else []
        if c.fiscal_year_end != "12-31":
            month, day = c.fiscal_year_end.split("-")
            facts.append(f"fiscal year ends {int(day)} {_month(int(month))}")
        if c.ads_ratio:
            facts.append(f"1 ADS = {c.ads_ratio:g} shares")
        text.append("   " + " · ".join(facts), style="not bold dim")
        return text

    def on_mount(self) -> None:
        self._show_quotes()
        self._show_news()
        self.query_one("#quarter-data").focus()
        self.load_history()

    # -- app state (every attribute optional) ------------------------------------------------------
    def _now(self) -> datetime:
        clock = getattr(self.app, "clock", None)
        return clock() if callable(clock) else datetime.now(UTC)

    def _quote(self, symbol: str | None) -> Quote | None:
        return (getattr(self.app, "quotes", None) or {}).get(symbol) if symbol else None

    def _fx(self, pair: str) -> Any:
        return (getattr(self.app, "fx", None) or {}).get(pair)

    # -- quotes ----------------------------------------------------------------------------------
    def on_quotes_updated(self, message: QuotesUpdated) -> None:
        self._show_quotes()

    def _show_quotes(self) -> None:
        now = self._now()
        for symbol in self.company.symbols:
            quote = self._quote(symbol)
            self.query_one(f"#leg-{_key(symbol)}", Static).update(self._leg_line(symbol, quote, now))
            self._remember(symbol, quote)
        self.query_one("#detail-parity", Static).update(self._parity_line(now))
        usdcny, usdhkd = self._fx("USDCNY"), self._fx("USDHKD")
        self.query_one(QuarterTable).set_rates(usdcny=usdcny.rate if usdcny else None,
                                               usdhkd=usdhkd.rate if usdhkd else None)

    def _leg_line(self, symbol: str, quote: Quote | None, now: datetime) -> Text:
        market = "HK" if symbol.endswith(".HK") else "US"
        line = Text(f"{symbol:<8} ", style="bold")
        if quote is None or quote.last is None:
            line.append("no quote yet", style="dim")
        else:
            line.append(f"{fmt.CURRENCY_PREFIX.get(quote.currency, quote.currency)}{fmt.price(quote.last):>9}  ")
            line.append(f"{fmt.signed(quote.change)} {fmt.pct(quote.change_pct, 2)}", style=self._tone(quote.change))
        if market_status is not None:
            status = market_status(market, now)
            label = STATE_LABELS.get(status.state, status.state)
            if status.holiday:
                label += f" ({status.holiday})"
            line.append(f"   {market} {label}", style="reverse" if status.state == "open" else "")
            line.append(f" · next {STATE_LABELS.get(status.next_state, status.next_state)} in "
                        f"{fmt.countdown(status.next_change - now)}", style="dim")
        if quote is not None:
            line.append(f"   data {fmt.age(quote.time, now)} old", style="yellow" if quote.stale else "dim")
            if quote.stale:
                line.append(" (stale)", style="yellow")
            if getattr(self.app, "demo", False) or quote.source == "demo":
                line.append("  DEMO", style="bold reverse")
            elif quote.source:
                line.append(f" · {quote.source}", style="dim")
        return line

    def _tone(self, change: float | None) -> str:
        """The user's up/down colours (`$price-up` / `$price-down`: green-up or red-up)."""
        if not change:
            return ""
        return self.app.theme_variables.get("price-up" if change > 0 else "price-down", "")

    def _parity_line(self, now: datetime) -> Text:
        c = self.company
        if not c.is_dual_listed:
            where = "Hong Kong" if c.hk_symbol else "the US"
            return Text(f"Listed only in {where}: no parity.", style="dim")
        hk, us, usdhkd = self._quote(c.hk_symbol), self._quote(c.us_symbol), self._fx("USDHKD")
        parity = compute_parity(c, hk, us, usdhkd, now) if compute_parity else None
        if parity is None or parity.premium_pct is None:
            return Text(f"Parity: 1 ADS = {c.ads_ratio:g} shares; waiting for both legs and USDHKD.",
                        style="dim")
        text = Text("Parity: ")
        text.append(f"{c.us_symbol} x USDHKD {parity.usdhkd:.4f} / {parity.ratio:g} = "
                    f"HK${fmt.price(parity.us_implied_hk)}")
        text.append(f"   HK {'premium' if parity.premium_pct >= 0 else 'discount'} "
                    f"{fmt.pct(parity.premium_pct, 2)}", style="bold")
        move = parity.implied_us_move_pct if parity.next_session == "US" else parity.implied_hk_move_pct
        if move is not None:
            text.append(f"   implied next {parity.next_session} open {fmt.pct(move, 1)}")
        if parity.ratio_warning:
            text.append(f"   ! {parity.ratio_warning}", style="yellow")
        return text

    # -- charts ----------------------------------------------------------------------------------
    def _remember(self, symbol: str, quote: Quote | None) -> None:
        """Keep the quotes seen while the screen is open, so the intraday chart draws without history."""
        if quote is None or quote.last is None or quote.time is None:
            return
        seen = self._seen[symbol]
        if seen and seen[-1].time >= quote.time:
            return
        bar = Bar(quote.time, quote.last, quote.last, quote.last, quote.last, quote.volume)
        seen.append(bar)
        del seen[:-INTRADAY_POINTS]
        chart = self.query_one(f"#intraday-{_key(symbol)}", PriceChart)
        if symbol in self._history:
            chart.extend(bar)
        else:
            chart.show(seen, quote.prev_close)

    @work(exclusive=True, group="detail-history")
    async def load_history(self) -> None:
        """Intraday and daily bars from the quote service (cache when offline), when it has them."""
        service = getattr(self.app, "quote_service", None)
        loaders = {"intraday": getattr(service, "intraday", None), "daily": getattr(service, "daily", None)}
        for symbol in self.company.symbols:
            for kind, loader in loaders.items():
                if not callable(loader):
                    continue
                try:
                    bars = await (loader(symbol) if kind == "intraday" else loader(symbol, DAILY_BARS))
                except Exception as error:  # history is a nicety: the chart says what happened
                    bars, note = [], f"history unavailable: {error}"
                else:
                    note = ""
                if not self.is_mounted:
                    return  # the user left while the request was in flight
                chart = self.query_one(f"#{kind}-{_key(symbol)}", PriceChart)
                chart.border_subtitle = note[:40]
                if bars:
                    if kind == "intraday":
                        self._history.add(symbol)
                    quote = self._quote(symbol)
                    chart.show(bars, quote.prev_close if quote else None)

    # -- news ------------------------------------------------------------------------------------
    def on_news_updated(self, message: NewsUpdated) -> None:
        self._show_news()

    def _news_items(self) -> list[Any]:
        service = getattr(self.app, "news_service", None)
        if service is None:
            return []
        try:
            return list(service.items(self.company.id))
        except Exception as error:  # a broken store must not take the quarterly table with it
            self.notify(f"News unavailable: {error}", severity="warning", markup=False)
            return []

    def _show_news(self) -> None:
        items = self._news_items()
        self._items = {item.id: item for item in items}
        self.query_one(QuarterTable).set_quarters(quarters(self.company.id, self._news_figures(items)))
        self._show_cards(latest_results(items))
        headlines = self.query_one(NewsList)
        headlines.show(items[:20], self._now(), empty="No headlines for this company yet.")
        if items and headlines.highlighted is None:
            headlines.highlighted = 0

    def _show_cards(self, results: Any | None) -> None:
        """Cards of the latest results story; rebuilt only when the story changes (keeps focus)."""
        metrics = primary_metrics(results_metrics(results), self.company.name_en) if results is not None else []
        key = (getattr(results, "id", None), tuple((m.name, m.segment, m.value) for m in metrics))
        if key == self._cards_key:
            return
        self._cards_key = key
        period = results_period(results, self.company) if results is not None else None
        cards = [MetricCard(m, period=period) for m in metrics[:MAX_CARDS]]
        self.query_one(MetricStrip).show(cards, "No results news for this company yet.")

    def _news_figures(self, items: list[Any]) -> list[NewsFigure]:
        """Quarterly figures from news: stored with their article when the app has a database."""
        database = getattr(self.app, "database", None) or getattr(
            getattr(self.app, "news_service", None), "database", None)
        if database is None:
            return [f for item in items for f in figures_from_item(item)]
        store = FundamentalsStore(database)
        for item in reversed(items):  # oldest first: the newest article is recorded last and wins
            if item.id not in self._recorded:
                store.record_item(item)
                self._recorded.add(item.id)
        return store.figures(self.company.id)

    def on_news_list_item_selected(self, event: NewsList.ItemSelected) -> None:
        event.stop()
        item = self._items.get(event.item_id)
        if item is None:
            return
        service = getattr(self.app, "news_service", None)
        if service is not None and hasattr(service, "mark_read"):
            service.mark_read(item.id)
        self.app.push_screen(ArticleScreen(item))
        self._show_news()  # the item is read now

    # -- actions ---------------------------------------------------------------------------------
    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_currency(self) -> None:
        self.query_one(QuarterTable).action_cycle_currency()

    def _sections(self) -> list[Any]:
        """The focus targets of tab: quarterly table, results cards, headlines."""
        out: list[Any] = [self.query_one("#quarter-data")]
        cards = self.query_one(MetricStrip)
        if cards.cards:
            out.append(cards)
        out.append(self.query_one(NewsList))
        return out

    def _move_section(self, step: int) -> None:
        sections = self._sections()
        focused = self.focused
        current = next((i for i, s in enumerate(sections)
                        if focused is s or (focused is not None and s in focused.ancestors_with_self)), -1)
        sections[(current + step) % len(sections)].focus()

    def action_next_section(self) -> None:
        self._move_section(1)

    def action_previous_section(self) -> None:
        self._move_section(-1)

    def _step_company(self, step: int) -> None:
        companies = watchlist_companies(self.app)
        if not companies:
            return
        index = companies.index(self.company) if self.company in companies else -1
        target = companies[(index + step) % len(companies)]
        if target != self.company:
            self.app.switch_screen(DetailScreen(target))

    def action_previous_company(self) -> None:
        self._step_company(-1)

    def action_next_company(self) -> None:
        self._step_company(1)


def _key(symbol: str) -> str:
    """A widget id for a symbol (ids cannot contain dots)."""
    return symbol.replace(".", "_")


def _month(number: int) -> str:
    return ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[number - 1]
