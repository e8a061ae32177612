"""App-wide messages posted to screens when shared data changes. Screens read the data from the app."""
from __future__ import annotations

from textual.message import Message


class QuotesUpdated(Message):
    """New quotes and FX are in `app.quotes` / `app.fx`. Bursts coalesce: only the latest matters."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, QuotesUpdated)


class NewsUpdated(Message):
    """The news store changed (a feed refresh finished or an item was read)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, NewsUpdated)


class SettingsChanged(Message):
    """`app.settings` was replaced (watchlist edit, config reloaded from disk)."""
