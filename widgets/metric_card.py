"""Key-metric cards: one extracted figure each, with the sentence it came from.

A card reads like a terminal's "key figures" tile: `Revenue / RMB 280.15 bn / ▲ 8.0% YoY /
US$38.38 bn`. Focusing a card (tab, or clicking) shows its source sentence, so every number on
screen can be traced back to the words it was read from.
"""
from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.containers import HorizontalScroll
from textual.widget import Widget
from textual.widgets import Static

from widgets import format as fmt

LABELS = {
    "revenue": "Revenue", "net_income": "Net income", "net_income_attributable": "Net income (attrib.)",
    "adjusted_net_income": "Adj. net income", "operating_income": "Operating income",
    "gross_profit": "Gross profit", "adjusted_ebita": "Adj. EBITA", "adjusted_ebitda": "Adj. EBITDA",
    "eps": "EPS", "adjusted_eps": "Adj. EPS", "gross_margin": "Gross margin",
    "operating_margin": "Operating margin", "net_margin": "Net margin", "capex": "Capex", "gmv": "GMV",
    "market_cap": "Market cap", "buyback_program": "Buyback", "stake_shares": "Stake (shares)",
    "stake_value": "Stake value", "trading_value": "Turnover",
}
BASIS = {"yoy": "YoY", "qoq": "QoQ"}


def metric_label(metric: Any) -> str:
    """Human title for a metric: its vocabulary name, or the segment / kind for prefixed names."""
    name = metric.name
    segment = (getattr(metric, "segment", None) or "").replace("_", " ")
    if name == "segment_revenue":
        return f"{segment.capitalize() or 'Segment'} revenue"
    if name in ("users", "count"):
        return segment.capitalize() or name.capitalize()
    return LABELS.get(name, name.replace("_", " ").capitalize())


def metric_value(metric: Any) -> str:
    """The figure as people read it; margins are percentages, counts and shares plain numbers."""
    if metric.value is None:
        return "growth only"
    if metric.name.endswith("_margin"):
        return f"{metric.value:.1f}%"
    if metric.name in ("users", "count", "stake_shares"):
        return fmt.amount(metric.value)
    if metric.name in ("eps", "adjusted_eps"):
        return f"{fmt.CURRENCY_PREFIX.get(metric.currency or '', metric.currency or '')} {metric.value:.2f}".strip()
    return fmt.amount(metric.value, metric.currency)


def growth(metric: Any) -> str:
    """`▲ 8.0% YoY`, `▼ 5.0% QoQ`; empty when the metric has no growth figure."""
    if metric.change_pct is None:
        return ""
    arrow = "▲" if metric.change_pct > 0 else "▼" if metric.change_pct < 0 else "■"
    basis = BASIS.get(metric.change_basis or "", "")
    return f"{arrow} {abs(metric.change_pct):.1f}% {basis}".rstrip()


def tone(change: float | None) -> str:
    """The CSS class that colours a change by the user's up/down convention."""
    return "" if not change else "-up" if change > 0 else "-down"


class MetricCard(Widget, can_focus=True):
    """One extracted metric; shows its source sentence while focused.

    One widget drawing its lines itself, not a container of five Statics: a company's strip
    holds up to a dozen cards, and every widget mounted costs style and layout work on the
    frames right after start-up and on every change of company.
    """

    COMPONENT_CLASSES = {"card--title", "card--value", "card--context", "card--source", "card--up", "card--down"}
    DEFAULT_CSS = """
    MetricCard { width: 26; height: auto; min-height: 5; border: round $primary 40%; padding: 0 1;
                 text-wrap: nowrap; text-overflow: ellipsis; }
    MetricCard:focus { border: round $accent; width: 52; }
    MetricCard > .card--title, MetricCard > .card--context, MetricCard > .card--source { color: $text-muted; }
    MetricCard > .card--value { text-style: bold; }
    MetricCard > .card--up { color: $price-up; }
    MetricCard > .card--down { color: $price-down; }
    """

    def __init__(self, metric: Any, *, company: str | None = None, period: str | None = None,
                 always_source: bool = False) -> None:
        super().__init__()
        self.metric = metric
        self.company = company
        self.period = period
        self.always_source = always_source  # where there is room (the detail view), not only on focus

    def source(self) -> Text:
        """The sentence the figure was read from, as literal text (never markup)."""
        return Text(f"“{self.metric.text}”")

    def render(self) -> Text | Group:
        m = self.metric
        title = metric_label(m) + (f" ({m.status})" if m.status and m.status != "reported" else "")
        context = [fmt.amount(m.usd_value, "USD")] if m.usd_value is not None and m.currency != "USD" else []
        if self.period:
            context.append(self.period)
        change = tone(m.change_pct)
        lines = [
            (title, "card--title"),
            (metric_value(m), "card--value"),
            (growth(m), f"card-{change}" if change else ""),
            (" · ".join(context), "card--context"),
        ]
        figures = Text("\n").join(
            Text(text, style=self.get_component_rich_style(component) if component else "") for text, component in lines)
        figures.no_wrap, figures.overflow = True, "ellipsis"
        if not (self.always_source or self.has_focus):
            return figures  # one Text: Textual draws it without a pass through Rich's console
        source = self.source()
        source.stylize(self.get_component_rich_style("card--source"))
        return Group(figures, source)

    def on_focus(self) -> None:
        self.refresh(layout=True)  # the source sentence appears: the card grows

    def on_blur(self) -> None:
        self.refresh(layout=True)


class MetricStrip(HorizontalScroll, can_focus=False):
    """A row of metric cards for one company; empty state says where cards come from. Not a tab
    stop itself: tab goes straight to the cards, which scroll into view when focused."""

    DEFAULT_CSS = """
    MetricStrip { height: auto; min-height: 6; max-height: 12; }
    MetricStrip > .strip-empty { color: $text-muted; padding: 1 2; }
    """

    _shown: tuple | None = None

    def show(self, cards: list[MetricCard], empty: str) -> None:
        """Replace the cards, unless they would be the same ones: remounting costs a full layout."""
        signature = (empty, tuple((c.metric.name, c.metric.segment, c.metric.value, c.metric.change_pct,
                                   c.metric.text, c.period) for c in cards))
        if signature == self._shown:
            return
        self._shown = signature
        self.remove_children()
        if cards:
            self.mount_all(cards)
        else:
            self.mount(Static(Text(empty), classes="strip-empty"))
