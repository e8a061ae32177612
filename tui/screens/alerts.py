"""The alerts screen (every `[[alerts]]` entry, its state and when it last fired) and the dialog
that creates one. Saving goes through the app's SettingsSync, like watchlist edits."""
from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.validation import Number
from textual.widgets import DataTable, Input, Label, Select, Static

from config.models import Alert
from config.validation import validate_alert
from market.alerts import AlertState, alert_key, describe
from market.instruments import SymbolError
from tui.messages import QuotesUpdated, SettingsChanged
from tui.screens.watchlist_editor import ConfirmScreen, dialog_css
from widgets.key_bar import KeyBar
from widgets.symbol_input import SymbolInput, resolve_symbol

CONDITIONS = [
    ("price above", "price_above"),
    ("price below", "price_below"),
    ("day change beyond ± %", "change_pct_beyond"),
    ("HK premium beyond ± % (dual listing)", "premium_beyond"),
]


def _when(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "never"
    local = at.astimezone(now.tzinfo)
    return local.strftime("%H:%M:%S") if local.date() == now.date() else local.strftime("%Y-%m-%d %H:%M")


class AlertsScreen(ModalScreen[None]):
    """All alerts: what each watches, the value now, armed or waiting to re-arm, last fired."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Back", id="alerts.back"),
        Binding("a", "add", "New alert", id="alerts.new"),
        Binding("d,delete", "delete", "Delete", id="alerts.delete"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-body"):
            yield Label(Text("Alerts", style="bold"))
            yield DataTable(id="alerts-table", cursor_type="row")
            yield Static(id="alerts-empty")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in (("alert", "Alert"), ("now", "Now"), ("state", "State"), ("fired", "Last fired")):
            table.add_column(label, key=key)
        self.fill()

    def states(self) -> list[AlertState]:
        """The engine's states when the app runs one, else the configured alerts, never fired."""
        monitor = getattr(self.app, "alert_monitor", None)
        if monitor is not None:
            return list(monitor.engine.states)
        return [AlertState(a) for a in self.app.settings.alerts]  # type: ignore[attr-defined]

    def fill(self) -> None:
        table = self.query_one(DataTable)
        now = self.app.clock()  # type: ignore[attr-defined]
        current = table.cursor_row
        table.clear()
        states = self.states()
        for state in states:
            value = "" if state.last_value is None else f"{state.last_value:,.2f}"
            armed = Text("armed", style="dim") if state.armed else Text("fired, waiting to re-arm", style="bold")
            table.add_row(Text(describe(state.alert)), Text(value, justify="right"), armed,
                          Text(_when(state.last_fired, now)), key="|".join(map(str, alert_key(state.alert))))
        if states:
            table.move_cursor(row=min(current, len(states) - 1))
        self.query_one("#alerts-empty", Static).update(
            "" if states else "No alerts yet. Press a here, or A on a watchlist row.")

    def selected(self) -> Alert | None:
        states = self.states()
        row = self.query_one(DataTable).cursor_row
        return states[row].alert if 0 <= row < len(states) else None

    def on_quotes_updated(self, _: QuotesUpdated) -> None:
        self.fill()

    def on_settings_changed(self, _: SettingsChanged) -> None:
        self.fill()

    def action_add(self) -> None:
        self.app.push_screen(AddAlertScreen(), save_alert(self.app))

    def action_delete(self) -> None:
        alert = self.selected()
        if alert is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.settings_sync.save(  # type: ignore[attr-defined]
                    lambda f: f.remove_alert(alert.symbol, alert.condition, alert.value),
                    f"Deleted the alert {describe(alert)}")

        self.app.push_screen(ConfirmScreen(f"Delete the alert {describe(alert)}?"), answered)


def save_alert(app):
    """Callback for AddAlertScreen: save the new alert to the config file."""

    def saved(alert: Alert | None) -> None:
        if alert is not None:
            app.settings_sync.save(lambda f: f.add_alert(alert.symbol, alert.condition, alert.value),
                                   f"Alert saved: {describe(alert)}")

    return saved


class AddAlertScreen(ModalScreen[Alert | None]):
    """Symbol, condition and threshold; dismisses with a validated Alert, or None."""

    DEFAULT_CSS = dialog_css("AddAlertScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, symbol: str = "", value: float | None = None) -> None:
        super().__init__()
        self.symbol = symbol
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New alert", classes="dialog-title")
            yield SymbolInput(id="alert-symbol", value=self.symbol)
            yield Select(CONDITIONS, value="price_above", allow_blank=False, id="alert-condition")
            yield Input("" if self.value is None else f"{self.value:g}", placeholder="threshold: a price or a %",
                        id="alert-value", validators=[Number()], validate_on=["submitted"])
            yield Static("", classes="dialog-error", id="error")
            yield Static("enter in the threshold saves · esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#alert-value" if self.symbol else "#alert-symbol", Input).focus()

    @on(Input.Submitted, "#alert-symbol")
    def _symbol_done(self) -> None:
        self.query_one("#alert-condition", Select).focus()

    @on(Input.Submitted, "#alert-value")
    def _submitted(self) -> None:
        error = self.query_one("#error", Static)
        try:
            symbol = resolve_symbol(self.query_one("#alert-symbol", Input).value)
        except SymbolError as e:
            error.update(Text(str(e)))
            return
        try:
            value = float(self.query_one("#alert-value", Input).value)
        except ValueError:
            error.update("the threshold must be a number")
            return
        condition = self.query_one("#alert-condition", Select).value
        try:
            alert = validate_alert({"symbol": symbol, "condition": condition, "value": value})
        except ValidationError as e:
            error.update(Text("; ".join(err["msg"].removeprefix("Value error, ") for err in e.errors())))
            return
        self.dismiss(alert)

    def action_cancel(self) -> None:
        self.dismiss(None)
