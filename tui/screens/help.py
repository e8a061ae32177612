"""The help screen: every active key, gathered from the bindings themselves, plus each pane's HELP.

Built from the live bindings (after any `[keys]` remapping), so it can never drift from what the
keys actually do.
"""
from __future__ import annotations

from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = """\
# Sinoterm keys and help

Hong Kong and US listings of Chinese tech companies on one screen. Dual listings are paired:
*Prem%* is the Hong Kong price over the ADS-implied price (US price x USD/HKD / ADS ratio).
Free Hong Kong quotes are often 15 minutes late: check *Age*. Press **Escape** to close this help.
"""

BASIC_KEYS = [
    ("↑ ↓ / j k", "move in the focused list"),
    ("tab / shift+tab", "next / previous pane"),
    ("enter", "open: company detail, or the article"),
    ("escape", "back / close"),
    ("ctrl+p", "command palette"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened from."""

    BINDINGS = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close help", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-body", id="help-body"):
            # Rich's Markdown renders at once (Textual's Markdown widget loads asynchronously, so a
            # screenshot or a fast reader could catch it half drawn)
            yield Static(Markdown(INTRO), id="help-intro")
            yield Static(self._key_table(), id="help-keys")
            for text in self._pane_help():
                yield Static(Markdown(text), classes="help-pane")

    def _origin(self):
        stack = self.app.screen_stack
        return stack[-2] if len(stack) > 1 else stack[-1]

    def _key_table(self) -> Table:
        table = Table(title="Keys", show_header=True, header_style="bold", expand=True)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Does")
        table.add_column("Where", style="dim")
        self.key_rows = self._key_rows()
        for key, does, where in self.key_rows:
            table.add_row(Text(key), Text(does), Text(where))
        return table

    def _key_rows(self) -> list[tuple[str, str, str]]:
        """(key, description, where) for the basic keys and every described binding in reach."""
        rows = [(key, does, "everywhere") for key, does in BASIC_KEYS]
        seen: set[str] = set()
        origin = self._origin()
        for node in (origin, *origin.query("*"), self.app):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if not binding.description:
                        continue
                    label = binding.key_display or self.app.get_key_display(binding)
                    where = "app" if node is self.app else type(node).__name__.removesuffix("Screen") or "screen"
                    ident = f"{binding.action}:{where}:{label}"
                    if ident in seen:
                        continue
                    seen.add(ident)
                    rows.append((label, binding.description, where))
        return rows

    def _pane_help(self) -> list[str]:
        origin = self._origin()
        texts = []
        for node in (origin, *origin.query("*")):
            text = getattr(type(node), "HELP", None)
            if text and text not in texts:
                texts.append(text)
        return texts
