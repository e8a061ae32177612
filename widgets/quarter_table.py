"""The quarterly table: the last eight quarters, newest first, each figure traceable to its source.

Amounts are in the largest unit people read (`280.15 bn`); the header names the currency and the
line under the table names the rate that converts it. Markers: `ⁿ` a figure filled in from news,
`ᶜ` a figure computed here, `!` news disagrees with the bundled figure (both shown under the table).
"""
from __future__ import annotations

from collections import Counter
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from market.fundamentals import Quarter, usd_translation
from widgets import format as fmt

Currency = Literal["reporting", "USD", "HKD"]
CURRENCIES: tuple[Currency, ...] = ("reporting", "USD", "HKD")
ROWS = 8
HKD_PEG = 7.80  # centre of the 7.75-7.85 convertibility band, used only when no live USDHKD is known
_AMOUNTS = ("revenue", "net_income", "adj_net_income", "segment_revenue")


def amount_cell(value: float | None) -> str:
    """Millions as people read them: `280.15 bn`, `848.00 m`."""
    return fmt.DASH if value is None else fmt.amount(value * 1e6)


def _marker(quarter: Quarter, figure: str) -> str:
    if any(c.field == figure for c in quarter.conflicts):
        return "!"
    note = quarter.provenance.get(figure, "")
    return "ⁿ" if note.startswith("news") else "ᶜ" if note.startswith("computed") else ""


def short_period(label: str) -> str:
    """`Dec quarter 2024` for `December quarter 2024`: the table's narrowest column is the widest."""
    month, _, rest = label.partition(" quarter ")
    return f"{month[:3]} quarter {rest}" if rest else label


def _short_segment(name: str) -> str:
    return name.split(" (")[0].removesuffix(" Group").strip()


class QuarterTable(Vertical):
    """Quarterly fundamentals for one company with a currency toggle and per-row provenance."""

    DEFAULT_CSS = """
    QuarterTable { height: auto; }
    QuarterTable > DataTable { height: auto; max-height: 10; }
    QuarterTable > .quarter-origin { color: $text-muted; height: auto; max-height: 5;
                                  text-wrap: nowrap; text-overflow: ellipsis; }
    QuarterTable > .quarter-rate { color: $text-muted; height: 1; }
    """

    HELP = """\
## Quarterly numbers
The last eight quarters, newest first. `c` (on the detail screen) switches between the reporting currency, US$ and HK$.
The line under the table says where the highlighted quarter's figures come from.
"""

    currency: reactive[Currency] = reactive("reporting")

    def __init__(self, quarters: list[Quarter], *, usdcny: float | None = None,
                 usdhkd: float | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quarters = quarters[:ROWS]
        self.usdcny = usdcny
        self.usdhkd = usdhkd

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True, id="quarter-data")
        yield Static(classes="quarter-origin")
        yield Static(classes="quarter-rate")

    def on_mount(self) -> None:
        self._fill()

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def set_quarters(self, quarters: list[Quarter]) -> None:
        """Replace the quarters (news brought a new one or filled a gap), keeping the cursor."""
        if quarters[:ROWS] != self.quarters:
            self.quarters = quarters[:ROWS]
            if self.is_mounted:
                self._fill()

    def set_rates(self, *, usdcny: float | None, usdhkd: float | None) -> None:
        """New FX rates from the app; only the converted views change."""
        if (usdcny, usdhkd) != (self.usdcny, self.usdhkd):
            self.usdcny, self.usdhkd = usdcny, usdhkd
            if self.currency != "reporting" and self.is_mounted:
                self._fill()

    def action_cycle_currency(self) -> None:
        self.currency = CURRENCIES[(CURRENCIES.index(self.currency) + 1) % len(CURRENCIES)]

    def watch_currency(self) -> None:
        if self.is_mounted:
            self._fill()

    def currency_label(self) -> str:
        if self.currency == "reporting":
            return self.quarters[0].currency if self.quarters else "RMB"
        return "US$" if self.currency == "USD" else "HK$"

    def _factor(self, quarter: Quarter) -> tuple[float | None, str]:
        """Multiplier from the reporting currency to the shown one, and the sentence that states it."""
        if self.currency == "reporting":
            return 1.0, f"Amounts in {quarter.currency} (reporting currency); press c for US$ or HK$."
        rate, basis = usd_translation(quarter, self.usdcny)
        if rate is None:
            return None, f"{quarter.period_label}: {basis}."
        text = f"{quarter.period_label}: US$1 = {quarter.currency} {rate:.4f} ({basis})"
        if self.currency == "USD":
            return 1 / rate, text + "."
        usdhkd, where = (self.usdhkd, "live USDHKD") if self.usdhkd else (HKD_PEG, "the HKD peg centre")
        return usdhkd / rate, text + f", then HK${usdhkd:.4f} per US$ ({where})."

    def _fill(self) -> None:
        table = self.table
        cursor = table.cursor_row
        table.clear(columns=True)
        unit = self.currency_label()
        names = Counter(_short_segment(q.segment_name) for q in self.quarters if q.segment_name)
        segment = names.most_common(1)[0][0] if names else "Segment"  # rows that differ say so
        off_calendar = any(not q.period_label.startswith("Q") for q in self.quarters)
        table.add_column("Period", key="period")
        if off_calendar:
            table.add_column("Fiscal", key="fiscal")
        for label, key in ((f"Revenue {unit}", "revenue"), ("YoY", "revenue_yoy"),
                           (f"Net income {unit}", "net_income"), ("YoY", "net_income_yoy"),
                           (f"Adj. NI {unit}", "adj_net_income"), (segment, "segment_revenue"),
                           ("YoY", "segment_yoy")):
            table.add_column(label, key=key)
        for q in self.quarters:
            table.add_row(*self._cells(q, off_calendar, segment), key=q.period_end.isoformat())
        if not self.quarters:
            table.add_row(Text("No quarterly figures bundled or found in news.", style="dim"))
        if self.quarters:
            table.move_cursor(row=min(max(cursor, 0), len(self.quarters) - 1))
        self._describe(table.cursor_row)

    def _cells(self, q: Quarter, off_calendar: bool, segment: str) -> list[Text]:
        factor, _ = self._factor(q)
        cells = [Text(short_period(q.period_label) + ("ⁿ" if q.origin == "news" else ""))]
        if off_calendar:
            cells.append(Text(q.fiscal_label))
        for figure in ("revenue", "revenue_yoy", "net_income", "net_income_yoy", "adj_net_income",
                       "segment_revenue", "segment_yoy"):
            value = getattr(q, figure)
            if figure in _AMOUNTS:
                text = amount_cell(value * factor if value is not None and factor is not None else None)
            else:
                text = fmt.pct(value, 0 if value is not None and float(value).is_integer() else 1)
            if figure == "segment_revenue" and q.segment_name and _short_segment(q.segment_name) != segment:
                name = _short_segment(q.segment_name)
                text = f"{name if len(name) <= 14 else name[:13] + '…'} {text}"
            style = "" if not value or figure in _AMOUNTS else self._tone(value)
            cells.append(Text(text + _marker(q, figure), style=style, justify="right"))
        return cells

    def _tone(self, change: float) -> str:
        """Growth in the user's up/down colours (`$price-up` / `$price-down`)."""
        return self.app.theme_variables.get("price-up" if change > 0 else "price-down", "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._describe(event.cursor_row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a quarter: the full source text, which the line under the table abbreviates."""
        event.stop()
        if 0 <= event.cursor_row < len(self.quarters):
            q = self.quarters[event.cursor_row]
            self.notify(f"{q.origin}: {q.source}", title=f"{q.period_label} sources", markup=False, timeout=20)

    def _describe(self, row: int) -> None:
        """Origin of the highlighted quarter's figures, conflicts side by side, and the rate used.

        One line each, cut with an ellipsis; Enter on the row shows the whole source.
        """
        origin = self.query_one(".quarter-origin", Static)
        rate = self.query_one(".quarter-rate", Static)
        if not self.quarters or not 0 <= row < len(self.quarters):
            origin.update(Text("Figures: bundled dataset (assets/quarterly.csv) and results news."))
            rate.update("")
            return
        q = self.quarters[row]
        lines = [Text.assemble((f"{q.period_label} ({q.fiscal_label}) · ", "bold"), f"{q.origin}: {q.source}")]
        for c in q.conflicts:
            shown = (amount_cell(c.bundled), amount_cell(c.news)) if c.field in _AMOUNTS \
                else (fmt.pct(c.bundled), fmt.pct(c.news))
            lines.append(Text(f"! {c.field.replace('_', ' ')}: bundled {shown[0]}, news {shown[1]} ({c.source})",
                              style="bold"))
        for figure, note in q.provenance.items():
            lines.append(Text(f"{figure.replace('_', ' ')}: {note}"))
        if q.net_income_basis:
            lines.append(Text(f"net income = {q.net_income_basis}; Enter shows the full source"))
        origin.update(Text("\n").join(lines))
        rate.update(Text(self._factor(q)[1]))
