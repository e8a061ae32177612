"""Runs the alert engine after each quote refresh and rings: a notification plus the terminal bell.

The rules (crossings, re-arming, stale data) live in market/alerts.py; this only feeds it the app's
quotes and the premiums of the dual listings it has both legs of, and reports what fired.
"""
from __future__ import annotations

from textual.app import App

from market.alerts import AlertEngine, Fired
from market.instruments import directory
from market.parity import compute as compute_parity


class AlertMonitor:
    """The app's alert engine; `check()` after every quote refresh."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.engine = AlertEngine(app.settings.alerts)  # type: ignore[attr-defined]

    def premiums(self) -> dict[str, float]:
        """Premium % of each watched dual listing whose both legs are quoted and fresh, by company id."""
        quotes = self.app.quotes  # type: ignore[attr-defined]
        usdhkd = self.app.fx.get("USDHKD")  # type: ignore[attr-defined]
        wanted = {directory().company_of(a.symbol) for a in self.engine.alerts_with("premium_beyond")}
        out: dict[str, float] = {}
        for company in wanted:
            if company is None or not company.is_dual_listed:
                continue
            parity = compute_parity(company, quotes.get(company.hk_symbol), quotes.get(company.us_symbol),
                                    usdhkd, self.app.clock())  # type: ignore[attr-defined]
            if parity is not None and parity.premium_pct is not None and not parity.stale:
                out[company.id] = parity.premium_pct
        return out

    def check(self) -> list[Fired]:
        fired = self.engine.evaluate(self.app.quotes, self.premiums(), self.app.clock())  # type: ignore[attr-defined]
        for event in fired:
            self.app.notify(event.message, title="Alert", severity="warning", timeout=10, markup=False)
        if fired:
            self.app.bell()
        return fired
