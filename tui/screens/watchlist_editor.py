"""Small modal dialogs for editing watchlists: add a symbol, confirm a removal, name a watchlist.

Each dialog only asks and validates; it returns its answer through `dismiss` and the caller saves
(tui/watchlist_editing.py), so the dialogs know nothing about files.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from config.models import WATCHLIST_NAME_MAX
from widgets.symbol_input import SymbolInput, candidates, describe

DIALOG_CSS = """
%s {
    align: center middle;
}
%s > Vertical {
    width: 64;
    height: auto;
    max-height: 80%%;
    border: thick $primary 60%%;
    background: $surface;
    padding: 0 1;
}
%s .dialog-title {
    text-style: bold;
    margin-bottom: 1;
}
%s .dialog-error {
    color: $error;
    height: auto;
}
%s .dialog-hint {
    color: $text-muted;
}
"""


def dialog_css(name: str) -> str:
    """The shared dialog look, scoped to one screen class."""
    return DIALOG_CSS % ((name,) * 5)


class AddSymbolScreen(ModalScreen[str | None]):
    """Ask for one symbol with completion; dismisses with the canonical symbol, or None."""

    DEFAULT_CSS = dialog_css("AddSymbolScreen") + """
    AddSymbolScreen OptionList {
        height: auto;
        max-height: 10;
        border: none;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, watchlist: str, existing: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.watchlist = watchlist
        self.existing = existing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Add to {self.watchlist}"), classes="dialog-title")
            yield SymbolInput(self.existing, id="symbol")
            yield OptionList(id="candidates")
            yield Static("", classes="dialog-error", id="error")
            yield Static("enter adds · ↓ picks from the list · → completes · esc cancels",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#candidates", OptionList).display = False

    @on(Input.Changed, "#symbol")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#error", Static).update("")
        found = candidates(event.value)
        options = self.query_one("#candidates", OptionList)
        options.clear_options()
        options.add_options([Option(describe(c), id=c[0]) for c in found])
        options.display = bool(found)

    @on(Input.Submitted, "#symbol")
    def _submitted(self, event: Input.Submitted) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.query_one("#error", Static).update(Text("; ".join(result.failure_descriptions)))
            return
        found = candidates(event.value)
        if found:
            self.dismiss(found[0][0])

    @on(OptionList.OptionSelected, "#candidates")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        symbol = event.option.id or ""
        if symbol in self.existing:
            self.query_one("#error", Static).update(Text(f"{symbol} is already in this watchlist"))
            return
        self.dismiss(symbol)

    def key_down(self) -> None:
        options = self.query_one("#candidates", OptionList)
        if self.focused is self.query_one("#symbol") and options.display:
            options.focus()
            options.highlighted = 0

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or enter confirms, n or escape declines."""

    DEFAULT_CSS = dialog_css("ConfirmScreen")
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="dialog.yes"),
        Binding("n,escape", "answer(False)", "No", id="dialog.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question), classes="dialog-title")
            yield Static("y / enter: yes · n / esc: no", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NameValidator(Validator):
    """A watchlist name: 1-40 characters, not used by another watchlist (case-insensitive)."""

    def __init__(self, taken: tuple[str, ...]) -> None:
        super().__init__()
        self.taken = {t.casefold() for t in taken}

    def validate(self, value: str) -> ValidationResult:
        name = value.strip()
        limit = WATCHLIST_NAME_MAX
        if not name:
            return self.failure("type a name")
        if len(name) > limit:
            return self.failure(f"at most {limit} characters")
        if name.casefold() in self.taken:
            return self.failure(f"there is already a watchlist named {name!r}")
        return self.success()


class NameScreen(ModalScreen[str | None]):
    """Ask for a watchlist name (new or rename); dismisses with the trimmed name, or None."""

    DEFAULT_CSS = dialog_css("NameScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str, value: str = "", taken: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.taken = taken

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="dialog-title")
            yield Input(self.value, placeholder="watchlist name", id="name",
                        validators=[NameValidator(self.taken)], validate_on=["submitted"])
            yield Static("", classes="dialog-error", id="error")
            yield Static("enter saves · esc cancels", classes="dialog-hint")

    @on(Input.Submitted, "#name")
    def _submitted(self, event: Input.Submitted) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.query_one("#error", Static).update(Text("; ".join(result.failure_descriptions)))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
