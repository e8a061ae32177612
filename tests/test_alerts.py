"""Alerts fire once per crossing, re-arm when the value crosses back, ignore stale data."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from config.models import Alert
from config.validation import validate_alert
from market.alerts import AlertEngine, describe
from market.models import Quote

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def alert(**fields) -> Alert:
    """An alert as the config file would give it: validated, symbol canonical."""
    return validate_alert(fields)


def quote(symbol: str, last: float, change_pct: float = 0.0, stale: bool = False) -> dict[str, Quote]:
    return {symbol: Quote(symbol=symbol, name=None, currency="HKD", last=last, change_pct=change_pct, stale=stale)}


def run(engine: AlertEngine, prices: list[float], symbol: str = "9988.HK") -> list[int]:
    """Indexes of the ticks at which something fired."""
    fired = []
    for i, p in enumerate(prices):
        if engine.evaluate(quote(symbol, p), {}, T0 + timedelta(minutes=i)):
            fired.append(i)
    return fired


def test_price_above_fires_once_per_crossing():
    engine = AlertEngine([alert(symbol="9988", condition="price_above", value=150)])
    assert run(engine, [149, 151, 152, 150.5, 149, 148, 151, 153]) == [1, 6]
    assert engine.states[0].last_fired == T0 + timedelta(minutes=6)
    assert engine.states[0].last_value == 153


def test_price_below_and_exact_threshold_does_not_fire():
    engine = AlertEngine([alert(symbol="BABA", condition="price_below", value=100)])
    assert run(engine, [101, 100, 99.9, 99, 100, 98], symbol="BABA") == [2, 5]


def test_already_beyond_at_start_fires_once():
    engine = AlertEngine([alert(symbol="9988.HK", condition="price_above", value=150)])
    assert run(engine, [160, 161, 162]) == [0]


def test_change_pct_beyond_either_direction():
    engine = AlertEngine([alert(symbol="0700.HK", condition="change_pct_beyond", value=5)])
    ticks = [1.0, 5.5, 6.0, 2.0, -5.2, -1.0]
    fired = [i for i, c in enumerate(ticks)
             if engine.evaluate(quote("0700.HK", 400, c), {}, T0)]
    assert fired == [1, 4]


def test_premium_beyond_uses_the_company_premium_from_either_leg():
    engine = AlertEngine([alert(symbol="BABA", condition="premium_beyond", value=2)])
    assert engine.evaluate({}, {"alibaba": 1.0}, T0) == []
    fired = engine.evaluate({}, {"alibaba": -2.5}, T0)
    assert len(fired) == 1 and "premium beyond ±2%" in fired[0].message and "-2.50%" in fired[0].message
    assert engine.evaluate({}, {"alibaba": -3.0}, T0) == []
    assert engine.evaluate({}, {"jd": 9.0}, T0) == []


def test_stale_and_missing_quotes_change_nothing():
    engine = AlertEngine([alert(symbol="9988.HK", condition="price_above", value=150)])
    assert engine.evaluate(quote("9988.HK", 170, stale=True), {}, T0) == []
    assert engine.evaluate({}, {}, T0) == []
    assert engine.states[0].last_value is None
    assert len(engine.evaluate(quote("9988.HK", 170), {}, T0)) == 1


def test_reloaded_alert_list_keeps_state_of_unchanged_alerts():
    keep = alert(symbol="9988.HK", condition="price_above", value=150)
    engine = AlertEngine([keep])
    engine.evaluate(quote("9988.HK", 170), {}, T0)
    engine.set_alerts([alert(symbol="9988.HK", condition="price_above", value=150),
                       alert(symbol="9988.HK", condition="price_above", value=160)])
    assert engine.states[0].last_fired == T0 and not engine.states[0].armed
    fired = engine.evaluate(quote("9988.HK", 171), {}, T0)
    assert [f.alert.value for f in fired] == [160]


def test_descriptions():
    assert describe(alert(symbol="9988", condition="price_above", value=150)) == "9988.HK price above 150"
    assert describe(alert(symbol="BABA", condition="change_pct_beyond", value=-5)) == "BABA change beyond ±5%"
