"""The watchlist tab bar: each watchlist's number and name, the active one underlined.

It looks like Textual's `Tabs` but is one widget drawing two lines. `Tabs` mounts a widget per
tab plus an animated underline, and measured ~35 ms of the dashboard's start-up (a tenth of
Textual's own); a watchlist bar needs none of that. Switching is by the number keys (the
dashboard's bindings) or a click on a name, which posts `WatchlistTabs.Clicked`.
"""
from __future__ import annotations

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.renderables.bar import Bar
from textual.widget import Widget

from widgets.spans import Span, span_at


class WatchlistTabs(Widget):
    """`1 China tech  2 EV` over a bar that highlights the active watchlist."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"watchlist-tabs--tab", "watchlist-tabs--active", "watchlist-tabs--bar"}
    DEFAULT_CSS = """
    WatchlistTabs {
        height: 2;
        & > .watchlist-tabs--tab { color: $foreground 50%; }
        & > .watchlist-tabs--active { color: $foreground; }
        & > .watchlist-tabs--bar { color: $primary; background: $foreground 10%; }
    }
    """

    class Clicked(Message):
        """A watchlist's name was clicked."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id)
        self.names: list[str] = []
        self.active = 0
        self._spans: list[Span] = []  # where each name was drawn

    def show(self, names: list[str], active: int) -> None:
        """The watchlists, in order, and the index of the one on screen."""
        if (names, active) != (self.names, self.active):
            self.names, self.active = list(names), active
            self.refresh()

    def render(self) -> Group:
        line = Text(no_wrap=True, overflow="ellipsis")
        spans = []
        for i, name in enumerate(self.names):
            style = "watchlist-tabs--active" if i == self.active else "watchlist-tabs--tab"
            start = line.cell_len
            line.append(f" {i + 1} {name} ", self.get_component_rich_style(style))
            spans.append((start, line.cell_len))
        self._spans = spans
        bar = self.get_component_rich_style("watchlist-tabs--bar")
        start, end = spans[self.active] if 0 <= self.active < len(spans) else (1, 1)
        # the bar is highlighted under the name, not its padding, as Textual's Tabs does
        return Group(line, Bar((start + 1, end - 1), highlight_style=Style.from_color(bar.color),
                               background_style=Style.from_color(bar.bgcolor)))

    def on_click(self, event: events.Click) -> None:
        index = span_at(self._spans, event.x)
        if index is not None:
            event.stop()
            self.post_message(self.Clicked(index))
