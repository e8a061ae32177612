"""A price chart for one listing: intraday minutes or daily closes, labelled in the market's own time.

Hong Kong bars are labelled in Hong Kong time and US bars in New York time, whatever the user's
clock says, because "the 09:30 open" only means something in the exchange's zone. The previous
close is drawn as a flat reference line so the day's move reads at a glance.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from zoneinfo import ZoneInfo

from textual.app import RenderResult
from textual_plotext import PlotextPlot

from market.models import Bar

Kind = Literal["intraday", "daily"]
ZONES = {"HK": ZoneInfo("Asia/Hong_Kong"), "US": ZoneInfo("America/New_York")}
TICKS = 4
LABEL_GAP = 4  # columns between tick labels: plotext resolves labels that touch in hash order


class PriceChart(PlotextPlot):
    """Closes of `bars` against their position, with time ticks in the listing's market zone."""

    DEFAULT_CSS = """
    PriceChart { height: 9; min-width: 20; }
    """

    def __init__(self, symbol: str, kind: Kind, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = symbol
        self.kind = kind
        self.market = "HK" if symbol.endswith(".HK") else "US"
        self.bars: list[Bar] = []
        self.prev_close: float | None = None

    def show(self, bars: Sequence[Bar], prev_close: float | None = None) -> None:
        """Replace the bars (oldest first) and redraw."""
        self.bars = sorted(bars, key=lambda b: b.time)
        self.prev_close = prev_close
        self.refresh()

    def extend(self, bar: Bar) -> None:
        """A newer price on top of loaded history: updates the bar of its minute (intraday) or day
        (daily), or starts the next one, so a live session keeps drawing between history loads."""
        if not self.bars or bar.time <= self.bars[-1].time:
            return
        last = self.bars[-1]
        zone = ZONES[self.market]
        unit = "%Y%m%d%H%M" if self.kind == "intraday" else "%Y%m%d"
        if last.time.astimezone(zone).strftime(unit) == bar.time.astimezone(zone).strftime(unit):
            self.bars[-1] = Bar(last.time, last.open, max(last.high, bar.close), min(last.low, bar.close),
                                bar.close, last.volume)
        else:
            self.bars.append(bar)
        self.refresh()

    def title(self) -> str:
        zone = "HKT" if self.market == "HK" else "ET"
        what = "intraday" if self.kind == "intraday" else "daily"
        if len(self.bars) < 2:  # short: plotext drops a title wider than the chart
            return f"{self.symbol.removesuffix('.HK')} {what}: no history yet"
        return f"{self.symbol.removesuffix('.HK')} {what} ({zone})"

    def tick_labels(self, width: int | None = None) -> list[tuple[int, str]]:
        """Evenly spaced (position, label) pairs in the market's zone: `09:30` or `Feb 21`.

        At most as many as fit `width` columns of plot with room between them, so no two labels
        ever compete for the same cells (which plotext would settle differently from run to run).
        """
        if not self.bars:
            return []
        zone = ZONES[self.market]
        fmt = "%H:%M" if self.kind == "intraday" else "%b %d"
        label_width = 5 if self.kind == "intraday" else 6
        count = TICKS if width is None else max(2, min(TICKS, width // (label_width + LABEL_GAP)))
        step = max(1, (len(self.bars) - 1) // (count - 1)) if len(self.bars) > 1 else 1
        positions = list(range(0, len(self.bars), step))
        if positions[-1] != len(self.bars) - 1:
            positions[-1] = len(self.bars) - 1
        return [(i, self.bars[i].time.astimezone(zone).strftime(fmt)) for i in positions]

    def _role_colour(self, role: str) -> tuple[int, int, int] | str:
        """The app's `$price-up` / `$price-down` (the user's red-up or green-up choice) as RGB."""
        value = self.app.theme_variables.get(role, "")
        if len(value) == 7 and value.startswith("#"):
            return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
        return "green" if role == "price-up" else "red"

    def render(self) -> RenderResult:
        """Plot from scratch at the current size: plotext keeps state from earlier sizes, which made
        the tick labels depend on how often the layout changed before the final frame."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(self.title())
        if len(self.bars) >= 2:  # one point draws as a stray dot on a meaningless axis
            xs = list(range(len(self.bars)))
            closes = [b.close for b in self.bars]
            if self.prev_close is not None and self.kind == "intraday":
                plt.hline(self.prev_close, "gray")
            up = closes[-1] >= (self.prev_close if self.prev_close is not None else closes[0])
            plt.plot(xs, closes, marker="braille", color=self._role_colour("price-up" if up else "price-down"))
            ticks = self.tick_labels(self.size.width - 8)  # less the y-axis labels and frame
            plt.xticks([i for i, _ in ticks], [label for _, label in ticks])
        return super().render()
