"""Session states of HKEX and NYSE at chosen instants: every boundary, lunch, half days, holidays,
DST weeks and weekends. Expected values were worked out by hand from the exchange rules and the
`holidays` package's calendars (its 2024-2026 dates were printed and read, not assumed)."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market.sessions import (
    HKEX,
    NYSE,
    CalendarRangeError,
    is_trading,
    last_regular_close,
    market_status,
    seconds_until_change,
    trading_day,
)

# (market, instant, state, next_state, next change, holiday substring or None)
CASES = [
    # HK, an ordinary Wednesday: every boundary
    ("HK", "2024-11-20T08:59:59+08:00", "closed", "pre_open", "2024-11-20T09:00+08:00", None),
    ("HK", "2024-11-20T09:00:00+08:00", "pre_open", "open", "2024-11-20T09:30+08:00", None),
    ("HK", "2024-11-20T09:15:00+08:00", "pre_open", "open", "2024-11-20T09:30+08:00", None),
    ("HK", "2024-11-20T09:29:59+08:00", "pre_open", "open", "2024-11-20T09:30+08:00", None),
    ("HK", "2024-11-20T09:30:00+08:00", "open", "lunch_break", "2024-11-20T12:00+08:00", None),
    ("HK", "2024-11-20T11:59:00+08:00", "open", "lunch_break", "2024-11-20T12:00+08:00", None),
    ("HK", "2024-11-20T12:00:00+08:00", "lunch_break", "open", "2024-11-20T13:00+08:00", None),
    ("HK", "2024-11-20T12:59:59+08:00", "lunch_break", "open", "2024-11-20T13:00+08:00", None),
    ("HK", "2024-11-20T13:00:00+08:00", "open", "closing_auction", "2024-11-20T16:00+08:00", None),
    ("HK", "2024-11-20T15:59:00+08:00", "open", "closing_auction", "2024-11-20T16:00+08:00", None),
    ("HK", "2024-11-20T16:00:00+08:00", "closing_auction", "closed", "2024-11-20T16:10+08:00", None),
    ("HK", "2024-11-20T16:09:59+08:00", "closing_auction", "closed", "2024-11-20T16:10+08:00", None),
    ("HK", "2024-11-20T16:10:00+08:00", "closed", "pre_open", "2024-11-21T09:00+08:00", None),
    ("HK", "2024-11-20T23:59:00+08:00", "closed", "pre_open", "2024-11-21T09:00+08:00", None),
    # the same instants written in other zones
    ("HK", "2024-11-20T04:30:00+00:00", "lunch_break", "open", "2024-11-20T13:00+08:00", None),
    ("HK", "2024-11-19T22:00:00-05:00", "open", "lunch_break", "2024-11-20T12:00+08:00", None),
    # HK weekends: Friday evening, Saturday, Sunday -> Monday's pre-open
    ("HK", "2024-11-22T16:30:00+08:00", "closed", "pre_open", "2024-11-25T09:00+08:00", None),
    ("HK", "2024-11-23T10:00:00+08:00", "closed", "pre_open", "2024-11-25T09:00+08:00", None),
    ("HK", "2024-11-24T23:59:00+08:00", "closed", "pre_open", "2024-11-25T09:00+08:00", None),
    # HK half days: morning, then the closing auction 12:00-12:10, no afternoon
    ("HK", "2024-12-24T11:00:00+08:00", "open", "closing_auction", "2024-12-24T12:00+08:00", "Christmas Eve"),
    ("HK", "2024-12-24T12:00:00+08:00", "closing_auction", "closed", "2024-12-24T12:10+08:00", "Christmas Eve"),
    ("HK", "2024-12-24T12:10:00+08:00", "closed", "pre_open", "2024-12-27T09:00+08:00", "Christmas Eve"),
    ("HK", "2024-12-24T14:00:00+08:00", "closed", "pre_open", "2024-12-27T09:00+08:00", "Christmas Eve"),
    ("HK", "2024-12-25T10:00:00+08:00", "closed", "pre_open", "2024-12-27T09:00+08:00", "Christmas Day"),
    ("HK", "2024-12-26T10:00:00+08:00", "closed", "pre_open", "2024-12-27T09:00+08:00", "after Christmas"),
    ("HK", "2024-12-31T12:05:00+08:00", "closing_auction", "closed", "2024-12-31T12:10+08:00", "New Year's Eve"),
    ("HK", "2024-12-31T13:30:00+08:00", "closed", "pre_open", "2025-01-02T09:00+08:00", "New Year's Eve"),
    ("HK", "2025-01-01T10:00:00+08:00", "closed", "pre_open", "2025-01-02T09:00+08:00", "New Year's Day"),
    # Lunar New Year 2024: eve Fri 9 Feb (half day), 10-11 weekend, 12-13 holidays
    ("HK", "2024-02-09T09:45:00+08:00", "open", "closing_auction", "2024-02-09T12:00+08:00", "Chinese New Year's Eve"),
    ("HK", "2024-02-09T13:30:00+08:00", "closed", "pre_open", "2024-02-14T09:00+08:00", "Chinese New Year's Eve"),
    ("HK", "2024-02-12T10:00:00+08:00", "closed", "pre_open", "2024-02-14T09:00+08:00", "Chinese New Year"),
    ("HK", "2024-02-13T16:00:00+08:00", "closed", "pre_open", "2024-02-14T09:00+08:00", "Chinese New Year"),
    # Lunar New Year 2025: eve Tue 28 Jan, holidays 29-31 Jan, then the weekend
    ("HK", "2025-01-28T12:15:00+08:00", "closed", "pre_open", "2025-02-03T09:00+08:00", "Chinese New Year's Eve"),
    ("HK", "2025-01-30T10:00:00+08:00", "closed", "pre_open", "2025-02-03T09:00+08:00", "Chinese New Year"),
    # Lunar New Year 2026: eve Mon 16 Feb, holidays 17-19 Feb, trading resumes Fri 20 Feb
    ("HK", "2026-02-16T12:09:00+08:00", "closing_auction", "closed", "2026-02-16T12:10+08:00", "Chinese New Year's Eve"),
    ("HK", "2026-02-16T12:10:00+08:00", "closed", "pre_open", "2026-02-20T09:00+08:00", "Chinese New Year's Eve"),
    ("HK", "2026-02-18T10:00:00+08:00", "closed", "pre_open", "2026-02-20T09:00+08:00", "Chinese New Year"),
    # Easter in HK: Good Friday and Easter Monday shut (2024: Tomb-Sweeping follows on Thu 4 Apr)
    ("HK", "2024-03-28T16:10:00+08:00", "closed", "pre_open", "2024-04-02T09:00+08:00", None),
    ("HK", "2024-03-29T10:00:00+08:00", "closed", "pre_open", "2024-04-02T09:00+08:00", "Good Friday"),
    ("HK", "2024-04-01T10:00:00+08:00", "closed", "pre_open", "2024-04-02T09:00+08:00", "Easter Monday"),
    ("HK", "2024-04-03T16:30:00+08:00", "closed", "pre_open", "2024-04-05T09:00+08:00", None),
    ("HK", "2025-04-18T10:00:00+08:00", "closed", "pre_open", "2025-04-22T09:00+08:00", "Good Friday"),
    ("HK", "2025-04-21T10:00:00+08:00", "closed", "pre_open", "2025-04-22T09:00+08:00", "Easter Monday"),
    # 2026: Good Friday 3 Apr, then Mon 6 and Tue 7 Apr are both substitute days
    ("HK", "2026-04-02T16:10:00+08:00", "closed", "pre_open", "2026-04-08T09:00+08:00", None),
    ("HK", "2026-04-07T10:00:00+08:00", "closed", "pre_open", "2026-04-08T09:00+08:00", "Easter Monday"),
    # a weather closure the calendar records after the fact
    ("HK", "2024-09-06T10:00:00+08:00", "closed", "pre_open", "2024-09-09T09:00+08:00", "Severe Weather"),
    # US, an ordinary Wednesday (EST): every boundary
    ("US", "2024-11-20T03:59:59-05:00", "closed", "pre_market", "2024-11-20T04:00-05:00", None),
    ("US", "2024-11-20T04:00:00-05:00", "pre_market", "open", "2024-11-20T09:30-05:00", None),
    ("US", "2024-11-20T05:00:00-05:00", "pre_market", "open", "2024-11-20T09:30-05:00", None),
    ("US", "2024-11-20T09:29:59-05:00", "pre_market", "open", "2024-11-20T09:30-05:00", None),
    ("US", "2024-11-20T09:30:00-05:00", "open", "after_hours", "2024-11-20T16:00-05:00", None),
    ("US", "2024-11-20T15:59:00-05:00", "open", "after_hours", "2024-11-20T16:00-05:00", None),
    ("US", "2024-11-20T16:00:00-05:00", "after_hours", "closed", "2024-11-20T20:00-05:00", None),
    ("US", "2024-11-20T16:01:00-05:00", "after_hours", "closed", "2024-11-20T20:00-05:00", None),
    ("US", "2024-11-20T19:59:59-05:00", "after_hours", "closed", "2024-11-20T20:00-05:00", None),
    ("US", "2024-11-20T20:00:00-05:00", "closed", "pre_market", "2024-11-21T04:00-05:00", None),
    ("US", "2024-11-20T09:15:00+08:00", "closed", "pre_market", "2024-11-20T04:00-05:00", None),
    # US weekend: Friday after-hours end -> Monday 04:00
    ("US", "2024-11-22T20:00:00-05:00", "closed", "pre_market", "2024-11-25T04:00-05:00", None),
    ("US", "2024-11-23T12:00:00-05:00", "closed", "pre_market", "2024-11-25T04:00-05:00", None),
    # Thanksgiving (shut) and the day after (early close 13:00, after-hours 13:00-17:00)
    ("US", "2024-11-27T20:30:00-05:00", "closed", "pre_market", "2024-11-29T04:00-05:00", None),
    ("US", "2024-11-28T10:00:00-05:00", "closed", "pre_market", "2024-11-29T04:00-05:00", "Thanksgiving"),
    ("US", "2024-11-29T04:00:00-05:00", "pre_market", "open", "2024-11-29T09:30-05:00", "Day after Thanksgiving"),
    ("US", "2024-11-29T12:30:00-05:00", "open", "after_hours", "2024-11-29T13:00-05:00", "Day after Thanksgiving"),
    ("US", "2024-11-29T13:00:00-05:00", "after_hours", "closed", "2024-11-29T17:00-05:00", "Day after Thanksgiving"),
    ("US", "2024-11-29T16:30:00-05:00", "after_hours", "closed", "2024-11-29T17:00-05:00", "Day after Thanksgiving"),
    ("US", "2024-11-29T17:00:00-05:00", "closed", "pre_market", "2024-12-02T04:00-05:00", "Day after Thanksgiving"),
    ("US", "2025-11-28T14:00:00-05:00", "after_hours", "closed", "2025-11-28T17:00-05:00", "Day after Thanksgiving"),
    # Christmas Eve early close, then Christmas Day
    ("US", "2024-12-24T13:00:00-05:00", "after_hours", "closed", "2024-12-24T17:00-05:00", "Christmas Eve"),
    ("US", "2024-12-24T17:30:00-05:00", "closed", "pre_market", "2024-12-26T04:00-05:00", "Christmas Eve"),
    ("US", "2024-12-25T10:00:00-05:00", "closed", "pre_market", "2024-12-26T04:00-05:00", "Christmas Day"),
    # Independence Day 2024 (and its early-closing eve); 2026 observed on Friday 3 July
    ("US", "2024-07-03T12:59:00-04:00", "open", "after_hours", "2024-07-03T13:00-04:00", "Independence Day"),
    ("US", "2024-07-04T11:00:00-04:00", "closed", "pre_market", "2024-07-05T04:00-04:00", "Independence Day"),
    ("US", "2026-07-02T20:00:00-04:00", "closed", "pre_market", "2026-07-06T04:00-04:00", None),
    # Good Friday shuts the US too, Easter Monday trades
    ("US", "2024-03-28T20:00:00-04:00", "closed", "pre_market", "2024-04-01T04:00-04:00", None),
    ("US", "2024-03-29T10:00:00-04:00", "closed", "pre_market", "2024-04-01T04:00-04:00", "Good Friday"),
    ("US", "2024-04-01T10:00:00-04:00", "open", "after_hours", "2024-04-01T16:00-04:00", None),
    # DST starts Sun 10 Mar 2024: 21:00Z is 16:00 EST on Friday, 17:00 EDT on Monday
    ("US", "2024-03-08T20:00:00+00:00", "open", "after_hours", "2024-03-08T16:00-05:00", None),
    ("US", "2024-03-08T21:00:00+00:00", "after_hours", "closed", "2024-03-08T20:00-05:00", None),
    ("US", "2024-03-09T12:00:00+00:00", "closed", "pre_market", "2024-03-11T04:00-04:00", None),
    ("US", "2024-03-11T13:29:00+00:00", "pre_market", "open", "2024-03-11T09:30-04:00", None),
    ("US", "2024-03-11T13:30:00+00:00", "open", "after_hours", "2024-03-11T16:00-04:00", None),
    ("US", "2024-03-11T20:00:00+00:00", "after_hours", "closed", "2024-03-11T20:00-04:00", None),
    # DST ends Sun 3 Nov 2024 (01:30 happens twice): 20:00Z is 16:00 EDT on Friday, 15:00 EST on Monday
    ("US", "2024-11-01T19:59:00+00:00", "open", "after_hours", "2024-11-01T16:00-04:00", None),
    ("US", "2024-11-01T20:00:00+00:00", "after_hours", "closed", "2024-11-01T20:00-04:00", None),
    ("US", "2024-11-02T00:00:00+00:00", "closed", "pre_market", "2024-11-04T04:00-05:00", None),
    ("US", "2024-11-03T05:30:00+00:00", "closed", "pre_market", "2024-11-04T04:00-05:00", None),
    ("US", "2024-11-03T06:30:00+00:00", "closed", "pre_market", "2024-11-04T04:00-05:00", None),
    ("US", "2024-11-04T20:00:00+00:00", "open", "after_hours", "2024-11-04T16:00-05:00", None),
    ("US", "2024-11-04T14:29:00+00:00", "pre_market", "open", "2024-11-04T09:30-05:00", None),
    ("US", "2024-11-04T14:30:00+00:00", "open", "after_hours", "2024-11-04T16:00-05:00", None),
    ("US", "2024-11-04T14:00:00+00:00", "pre_market", "open", "2024-11-04T09:30-05:00", None),
    # HK has no DST: the US switch leaves HK times alone
    ("HK", "2024-03-11T01:30:00+00:00", "open", "lunch_break", "2024-03-11T12:00+08:00", None),
]


@pytest.mark.parametrize(("market", "at", "state", "next_state", "change", "holiday"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_state_at_instant(market, at, state, next_state, change, holiday):
    s = market_status(market, datetime.fromisoformat(at))
    assert (s.state, s.next_state) == (state, next_state)
    expected = datetime.fromisoformat(change)
    assert s.next_change == expected
    assert s.next_change.utcoffset() == expected.utcoffset()  # reported in the exchange's zone
    if holiday is None:
        assert s.holiday is None
    else:
        assert s.holiday is not None and holiday in s.holiday


def test_half_day_flag_only_on_short_days():
    assert market_status("HK", datetime.fromisoformat("2024-12-24T10:00+08:00")).half_day
    assert not market_status("HK", datetime.fromisoformat("2024-12-25T10:00+08:00")).half_day
    assert market_status("US", datetime.fromisoformat("2024-11-29T10:00-05:00")).half_day
    assert not market_status("US", datetime.fromisoformat("2024-11-28T10:00-05:00")).half_day


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_every_calendar_half_day_trades_short(year):
    """Driven by the package's own data, so a new year's dates need no test edit."""
    for exchange in (HKEX, NYSE):
        short = holidays.financial_holidays(exchange.mic, years=year, categories=("half_day",))
        assert short, f"{exchange.mic} {year}: the calendar has no half days"
        for day in short:
            td = trading_day(exchange, day)
            assert td.half_day and td.phases == exchange.short_day
        for day in holidays.financial_holidays(exchange.mic, years=year):
            assert trading_day(exchange, day).phases == ()


@pytest.mark.parametrize(("market", "at", "trading"), [
    ("HK", "2024-11-20T09:15+08:00", False),  # pre-open: auction orders, no trades
    ("HK", "2024-11-20T10:00+08:00", True),
    ("HK", "2024-11-20T12:30+08:00", False),
    ("HK", "2024-11-20T16:05+08:00", True),
    ("HK", "2024-11-23T10:00+08:00", False),
    ("US", "2024-11-20T05:00-05:00", True),
    ("US", "2024-11-20T10:00-05:00", True),
    ("US", "2024-11-20T18:00-05:00", True),
    ("US", "2024-11-20T21:00-05:00", False),
    ("US", "2024-11-28T10:00-05:00", False),
])
def test_is_trading(market, at, trading):
    assert is_trading(market, datetime.fromisoformat(at)) is trading


def test_seconds_until_change_counts_across_the_weekend():
    at = datetime.fromisoformat("2024-11-22T20:00-05:00")
    assert seconds_until_change("US", at) == (2 * 24 + 8) * 3600
    assert seconds_until_change("HK", datetime.fromisoformat("2024-11-20T11:59:30+08:00")) == 30


@pytest.mark.parametrize(("market", "at", "close"), [
    ("HK", "2024-11-20T17:00+08:00", "2024-11-20T16:10+08:00"),
    ("HK", "2024-11-20T12:30+08:00", "2024-11-20T12:00+08:00"),  # the morning's close
    ("HK", "2024-11-20T09:15+08:00", "2024-11-19T16:10+08:00"),  # pre-open: yesterday
    ("HK", "2024-11-25T08:00+08:00", "2024-11-22T16:10+08:00"),
    ("HK", "2024-12-27T08:00+08:00", "2024-12-24T12:10+08:00"),  # half day before Christmas
    ("US", "2024-11-20T18:00-05:00", "2024-11-20T16:00-05:00"),  # after-hours is not the close
    ("US", "2024-12-02T03:00-05:00", "2024-11-29T13:00-05:00"),  # early close
    ("HK", "2024-11-20T10:00+08:00", "2024-11-20T10:00+08:00"),  # trading: now
])
def test_last_regular_close(market, at, close):
    assert last_regular_close(market, datetime.fromisoformat(at)) == datetime.fromisoformat(close)


def test_last_regular_close_before_the_calendar_starts_is_unknown():
    assert last_regular_close("HK", datetime.fromisoformat("2014-01-01T10:00+08:00")) is None


def test_naive_instant_and_unknown_market_are_refused():
    with pytest.raises(ValueError, match="offset"):
        market_status("HK", datetime(2024, 11, 20, 10, 0))
    with pytest.raises(ValueError, match="HK or US"):
        market_status("LSE", datetime(2024, 11, 20, 10, 0, tzinfo=UTC))


@pytest.mark.parametrize("at", ["2013-12-24T02:00:00+00:00", "2101-01-05T02:00:00+00:00",
                                "2100-12-31T23:00:00+00:00", "9999-12-31T23:00:00+00:00"])
def test_years_outside_the_calendar_are_refused(at):
    """The package's calendars are silently empty outside their years: a wrong answer, not none."""
    with pytest.raises(CalendarRangeError):
        market_status("HK", datetime.fromisoformat(at))


def test_market_name_is_case_insensitive():
    at = datetime.fromisoformat("2024-11-20T10:00+08:00")
    assert market_status("hk", at) == market_status("HK", at)


def test_trading_day_shapes():
    assert trading_day(HKEX, date(2024, 11, 20)).phases == HKEX.full_day
    assert trading_day(HKEX, date(2024, 11, 23)).phases == ()  # Saturday
    assert trading_day(NYSE, date(2024, 11, 28)).holiday == "Thanksgiving Day"


_instants = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31),
                         timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(at=_instants, market=st.sampled_from(["HK", "US"]))
def test_state_holds_until_next_change_then_becomes_next_state(at, market):
    """The invariant every consumer (countdown, refresh cadence) relies on."""
    s = market_status(market, at)
    assert s.next_change > at
    assert s.next_state != s.state
    just_before = market_status(market, s.next_change - timedelta(microseconds=1))
    assert just_before.state == s.state
    assert market_status(market, s.next_change).state == s.next_state
