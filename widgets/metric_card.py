"""Key-metric cards: one extracted figure each, with the sentence it came from.

A card reads like a terminal's "key figures" tile: `Revenue / RMB 280.15 bn / ▲ 8.0% YoY /
US$38.38 bn`. The selected card of a focused strip (tab to it, ←/→ or a click to move) shows its
source sentence, so every number on screen can be traced back to the words it was read from.

The strip is one widget that draws its cards as text boxes, not a container of card widgets: a
company's strip holds up to a dozen cards, and mounting, styling and laying out a widget per card
cost ~70 ms on the dashboard's first frames and on every change of company. The boxes are built
from plain strings (no Rich rendering), and only when the cards, the selection or the width change.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from widgets import format as fmt
from widgets.spans import Span, span_at

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
    """The component that colours a change by the user's up/down convention ("" when flat)."""
    return "" if not change else "metric-strip--up" if change > 0 else "metric-strip--down"


@dataclass(slots=True)
class MetricCard:
    """One card: an extracted metric and the period it covers."""

    metric: Any
    period: str | None = None

    def lines(self) -> list[tuple[str, str]]:
        """(text, component) for each line of the card's face."""
        m = self.metric
        title = metric_label(m) + (f" ({m.status})" if m.status and m.status != "reported" else "")
        context = [fmt.amount(m.usd_value, "USD")] if m.usd_value is not None and m.currency != "USD" else []
        if self.period:
            context.append(self.period)
        return [
            (title, "metric-strip--title"),
            (metric_value(m), "metric-strip--value"),
            (growth(m), tone(m.change_pct)),
            (" · ".join(context), "metric-strip--context"),
        ]

    def source(self) -> Text:
        """The sentence the figure was read from, as literal text (never markup)."""
        return Text(f"“{self.metric.text}”")


SOURCE_LINES = 6  # at most this many lines of a source sentence; longer ones end in "…"


def _fit(text: str, width: int) -> str:
    """`text` padded to `width` cells, or cut to fit with an ellipsis."""
    return set_cell_size(text, width) if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


class MetricStrip(Widget, can_focus=True):
    """A row of metric cards for one company; empty state says where cards come from.

    One tab stop: focused, its selected card widens to show its source sentence; ←/→ (or h/l)
    move the selection, a click selects. `always_source` shows every card's sentence (the detail
    view, where there is room)."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Previous card", show=False, id="cards.previous"),
        Binding("right,l", "move(1)", "Next card", show=False, id="cards.next"),
    ]
    COMPONENT_CLASSES = {
        "metric-strip--border", "metric-strip--selected", "metric-strip--title", "metric-strip--value",
        "metric-strip--context", "metric-strip--source", "metric-strip--up", "metric-strip--down",
        "metric-strip--empty",
    }
    DEFAULT_CSS = """
    MetricStrip {
        height: auto; min-height: 6; max-height: 12;
        & > .metric-strip--border { color: $primary 40%; }
        & > .metric-strip--selected { color: $accent; }
        & > .metric-strip--title, & > .metric-strip--context, & > .metric-strip--source { color: $text-muted; }
        & > .metric-strip--value { text-style: bold; }
        & > .metric-strip--up { color: $price-up; }
        & > .metric-strip--down { color: $price-down; }
        & > .metric-strip--empty { color: $text-muted; }
    }
    """

    selected = reactive(0, layout=True)

    def __init__(self, *, id: str | None = None, card_width: int = 26,  # noqa: A002 - Textual's name
                 always_source: bool = False) -> None:
        super().__init__(id=id)
        self.cards: list[MetricCard] = []
        self.empty = ""
        self.card_width = card_width
        self.always_source = always_source
        self._shown: tuple | None = None
        self._lines: list[Strip] | None = None
        self._key: tuple | None = None
        self._boxes: list[Span] = []  # where each card was drawn ((0, 0): scrolled off)

    def show(self, cards: list[MetricCard], empty: str) -> None:
        """Replace the cards, unless they would be the same ones (the selection then stays)."""
        signature = (empty, tuple((c.metric.name, c.metric.segment, c.metric.value, c.metric.change_pct,
                                   c.metric.text, c.period) for c in cards))
        if signature == self._shown:
            return
        self._shown = signature
        self.cards, self.empty = list(cards), empty
        self.set_reactive(MetricStrip.selected, 0)
        self.refresh(layout=True)

    @property
    def selected_card(self) -> MetricCard | None:
        return self.cards[self.selected] if 0 <= self.selected < len(self.cards) else None

    def action_move(self, step: int) -> None:
        if self.cards:
            self.selected = (self.selected + step) % len(self.cards)

    def on_focus(self) -> None:
        self.refresh(layout=True)  # the selected card's sentence appears: the strip may grow

    def on_blur(self) -> None:
        self.refresh(layout=True)

    def on_click(self, event: events.Click) -> None:
        index = span_at(self._boxes, event.x)
        if index is not None:
            self.selected = index
            self.focus()

    # -- drawing ---------------------------------------------------------------------------------
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._drawn(width))

    def render_line(self, y: int) -> Strip:
        lines = self._drawn(self.size.width)
        return lines[y] if y < len(lines) else Strip.blank(self.size.width, self.rich_style)

    def _drawn(self, width: int) -> list[Strip]:
        key = (width, self.has_focus, self.selected, self._shown, self.app.theme)
        if self._lines is None or key != self._key:
            self._key, self._lines = key, self._draw(width)
        return self._lines

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(component) if component else Style()

    def _draw(self, width: int) -> list[Strip]:
        base = self.rich_style
        if not self.cards:
            text = set_cell_size(f"  {self.empty}", width)
            style = base + self._style("metric-strip--empty")
            return [Strip.blank(width, base), Strip([Segment(text, style)], width)]
        boxes = [self._box(i, card) for i, card in enumerate(self.cards)]
        first = self._first_visible([len(b[0][0].text) for b in boxes], width)
        height = max(len(box) for box in boxes[first:])
        rows: list[list[Segment]] = [[] for _ in range(height)]
        self._boxes, x = [], 0
        for box in boxes[first:]:
            if x >= width:
                break
            box_width = len(box[0][0].text)
            self._boxes.append((x, x + box_width))
            for y in range(height):
                rows[y] += box[y] if y < len(box) else [Segment(" " * box_width, base)]
            x += box_width
        self._boxes = [(0, 0)] * first + self._boxes
        return [Strip(row, x).crop_extend(0, width, base) for row in rows]

    def _first_visible(self, widths: list[int], width: int) -> int:
        """The first card drawn: the selected card must fit on screen."""
        first = 0
        while first < self.selected and sum(widths[first:self.selected + 1]) > width:
            first += 1
        return first

    def _box(self, index: int, card: MetricCard) -> list[list[Segment]]:
        """One card as rows of segments: a rounded border, one cell of padding, the face lines,
        then the source sentence when it shows."""
        selected = index == self.selected and self.has_focus
        showing = self.always_source or selected
        width = self.card_width * 2 if selected and not self.always_source else self.card_width
        inner = width - 4
        base = self.rich_style
        border = base + self._style("metric-strip--selected" if selected else "metric-strip--border")
        rows = [[Segment("╭" + "─" * (width - 2) + "╮", border)]]
        face = [(text, base + self._style(component)) for text, component in card.lines()]
        if showing:
            wrapped = textwrap.wrap(card.source().plain, inner) or [""]
            if len(wrapped) > SOURCE_LINES:
                wrapped = wrapped[:SOURCE_LINES - 1] + [set_cell_size(wrapped[SOURCE_LINES - 1], inner - 1) + "…"]
            face += [(line, base + self._style("metric-strip--source")) for line in wrapped]
        for text, style in face:
            rows.append([Segment("│ ", border), Segment(_fit(text, inner), style), Segment(" │", border)])
        rows.append([Segment("╰" + "─" * (width - 2) + "╯", border)])
        return rows
