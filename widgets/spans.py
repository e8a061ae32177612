"""Which drawn thing a click landed on, for widgets that draw several clickable things themselves.

The key bar, the watchlist tab bar and the metric strip each draw a row of items as one widget and
remember the cells each item took; a click's x is looked up here.
"""
from __future__ import annotations

Span = tuple[int, int]
"""(first cell, end cell) of one drawn item on its row."""


def span_at(spans: list[Span], x: int) -> int | None:
    """The index of the span that holds cell `x`, or None (a click between or past the items)."""
    return next((i for i, (start, end) in enumerate(spans) if start <= x < end), None)
