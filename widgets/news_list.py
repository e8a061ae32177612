"""The news pane: parsed headlines with source, age, company tags and a move badge.

Each line is built from `rich.text.Text` (never markup): a headline from a feed is untrusted, so
`[bold]` in a title is shown as the characters `[bold]`. Unread items carry a bullet.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from widgets import format as fmt


def headline(item: Any, now: datetime) -> Text:
    """Two lines: marker, age, source, tags, move badge; then the title as published."""
    head = Text()
    head.append("● " if not item.read else "  ", style="bold")
    head.append(f"{fmt.age(item.published, now):>4} ", style="dim")
    head.append(item.source[:24], style="italic")
    tags = " ".join(item.tickers()[:3])
    if tags:
        head.append(f"  {tags}", style="bold")
    badge = item.move_badge()
    if badge:
        head.append(f"  {badge}", style="reverse")
    head.append("\n")
    head.append(item.title, style="" if item.read else "bold")
    return head


class NewsList(OptionList):
    """Headlines, newest first. Enter opens the article."""

    HELP = """\
## News
Headlines from your feeds, parsed: company tags, the move they report (`BABA +15% HK`),
and metric cards below. `f` toggles between the selected company's news and all news.
"""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="news.down"),
        Binding("k", "cursor_up", "Up", show=False, id="news.up"),
    ]

    class ItemSelected(Message):
        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    _shown: tuple = ()

    def show(self, items: list[Any], now: datetime, empty: str = "No news yet.") -> None:
        """Replace the list, keeping the highlighted item when it is still there; a refresh that
        would show the same lines changes nothing (rebuilding the options costs a relayout)."""
        lines = [(item.id, headline(item, now)) for item in items]
        shown = (empty, tuple((item_id, line.plain, tuple(line.spans)) for item_id, line in lines))
        if shown == self._shown:
            return
        self._shown = shown
        keep = self.highlighted_option.id if self.highlighted_option is not None else None
        self.clear_options()
        if not items:
            self.add_option(Option(Text(empty, style="dim"), disabled=True))
            return
        options: list[Option | None] = []
        for item_id, line in lines:
            options += [Option(line, id=item_id), None]  # None: a separator line
        self.add_options(options[:-1])
        try:
            self.highlighted = self.get_option_index(keep) if keep is not None else 0
        except OptionDoesNotExist:
            self.highlighted = 0  # Enter on a freshly focused list opens the newest item

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.ItemSelected(event.option.id))
