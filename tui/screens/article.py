"""The article view: a news item's clean text, its metric cards and moves, and its link.

The text comes from the page through the HTML extractor and `clean_text`, and is shown as plain
`Text`: nothing a publisher writes is interpreted as markup or reaches the terminal as a control
sequence. `o` opens the link in the system browser, and only for http(s) links.
"""
from __future__ import annotations

import webbrowser
from typing import Any
from urllib.parse import urlparse

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from news.findings import primary_metrics
from widgets import format as fmt
from widgets.metric_card import MetricCard, MetricStrip

MAX_BODY_CHARS = 20_000


class ArticleScreen(ModalScreen[None]):
    """One news item, read in the terminal."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="article.back"),
        Binding("o", "open_link", "Open in browser", id="article.open"),
    ]

    def __init__(self, item: Any) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        extraction = item.extraction
        with VerticalScroll(classes="modal-body", id="article-body"):
            yield Static(Text(item.title, style="bold"), id="article-title")
            meta = Text(f"{item.source} · ", style="dim")
            meta.append(item.published.strftime("%Y-%m-%d %H:%M %Z") if item.published else "undated")
            badge = item.move_badge()
            if badge:
                meta.append(f"  {badge}", style="reverse")
            meta.append(f"\n{item.link}", style="dim underline")
            yield Static(meta, id="article-meta")
            if extraction and extraction.metrics:
                period = extraction.period.label if extraction.period else None
                strip = MetricStrip(id="article-cards")
                yield strip
                self._cards = [MetricCard(m, period=period)
                               for m in primary_metrics(extraction.metrics)[:12]]
            body = (item.text or item.summary or "(no article text: the page could not be read; `o` opens it)")
            yield Static(Text(body[:MAX_BODY_CHARS]), id="article-text")

    def on_mount(self) -> None:
        cards = getattr(self, "_cards", None)
        if cards:
            self.query_one(MetricStrip).show(cards, "")

    def action_open_link(self) -> None:
        link = self.item.link or ""
        if urlparse(link).scheme in ("http", "https"):
            webbrowser.open(link)
            self.notify(f"Opened {fmt.DASH if not link else link[:60]}", markup=False, timeout=3)
        else:
            self.notify("This item has no web link to open.", severity="warning")
