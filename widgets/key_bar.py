"""The footer line: the keys that work here, each clickable, the command palette on the right.

Textual's `Footer` builds one widget per key and recomposes them all whenever the bindings change
(focus moves, a screen opens), which costs ~60 ms of style and layout work on the frames right
after start-up. This draws the same line as one Rich `Text`, repainted (not recomposed) when the
bindings change; a click on a key presses it, as with `Footer` (the bar remembers which cells
each key was drawn on).
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from widgets.spans import Span, span_at


class KeyBar(Widget):
    """Key bindings of the focused screen, as `Footer` shows them, in one repaint-only widget."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--item", "key-bar--key", "key-bar--description", "key-bar--separator"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--item { background: $footer-item-background; }
        & > .key-bar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        & > .key-bar--description { color: $footer-description-foreground; background: $footer-description-background; }
        & > .key-bar--separator { color: $foreground 20%; }
    }
    """

    _drawn: list[tuple[Binding, bool]] = []  # the keys on the bar now, in order
    _spans: list[Span] = []  # where each was drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def shown(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """(the bindings shown, one per action, in order; the command palette's binding)."""
        active = self.screen.active_bindings
        keys: list[tuple[Binding, bool]] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                keys.append((binding, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = (binding, enabled)
            keys = [k for k in keys if k[0].action != binding.action]
        return keys, palette

    def render(self) -> Text:
        keys, palette = self.shown()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        spans = []
        for binding, enabled in keys:
            key = self._key(binding, enabled)
            spans.append((line.cell_len, line.cell_len + key.cell_len))
            line.append_text(key)
        if palette is not None:
            key = self._key(*palette, compact=True)
            gap = self.size.width - line.cell_len - key.cell_len - 2
            if gap >= 0:  # on the right, after a separator, when there is room
                line.append(" " * gap)
                line.append("▏", self.get_component_rich_style("key-bar--separator"))
                keys.append(palette)
                spans.append((line.cell_len, line.cell_len + key.cell_len))
                line.append_text(key)
                line.append(" ")
        self._drawn, self._spans = keys, spans
        return line

    def on_click(self, event: events.Click) -> None:
        index = span_at(self._spans, event.x)
        if index is None:
            return
        event.stop()
        binding, enabled = self._drawn[index]
        if enabled:
            self.app.simulate_key(binding.key)
        else:
            self.app.bell()

    def _key(self, binding: Binding, enabled: bool, compact: bool = False) -> Text:
        """` q Quit ` (compact: `^p palette`) in the footer's colours, dimmed when disabled."""
        item = self.get_component_rich_style("key-bar--item")
        key = self.get_component_rich_style("key-bar--key")
        description = self.get_component_rich_style("key-bar--description")
        shown = self.app.get_key_display(binding)
        if compact:
            text = Text.assemble((shown, key), (f" {binding.description}", description))
        else:
            text = Text.assemble((f" {shown} ", key), (f"{binding.description} ", description))
        text.stylize_before(item)
        if not enabled:
            text.stylize(Style(dim=True))
        return text
