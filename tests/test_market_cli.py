"""`sinoterm market [--at] [--json]`: the JSON contract, the table, and bad input."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime

import pytest

from tui.cli import main


def run_market(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["market", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(capsys):
    code, out, _ = run_market(capsys, "--at", "2024-11-20T12:01:00+08:00", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"HK", "US"}
    for market in data.values():
        assert {"state", "next_state", "next_change", "holiday"} <= market.keys()
        datetime.fromisoformat(market["next_change"])
    assert data["HK"] == {"state": "lunch_break", "next_state": "open",
                          "next_change": "2024-11-20T13:00:00+08:00", "holiday": None, "half_day": False}
    # 12:01 HKT is 23:01 EST the evening before
    assert data["US"]["state"] == "closed"
    assert data["US"]["next_change"] == "2024-11-20T04:00:00-05:00"


def test_holiday_is_named(capsys):
    _, out, _ = run_market(capsys, "--at", "2024-07-04T11:00:00-04:00", "--json")
    us = json.loads(out)["US"]
    assert us["state"] == "closed" and us["holiday"] == "Independence Day"
    assert us["next_change"] == "2024-07-05T04:00:00-04:00"


@pytest.mark.parametrize(("at", "hk_state"), [
    ("2024-11-20T01:15:00", "pre_open"),  # no offset: read as UTC (09:15 HKT)
    ("2024-11-20T01:15:00Z", "pre_open"),
    ("2024-11-20 02:00:00+00:00", "open"),
    ("2024-11-23", "closed"),  # a bare date: midnight UTC, a Saturday
])
def test_at_forms(capsys, at, hk_state):
    code, out, _ = run_market(capsys, "--at", at, "--json")
    assert code == 0
    assert json.loads(out)["HK"]["state"] == hk_state


@pytest.mark.parametrize("at", ["yesterday", "2024-13-01T00:00:00", "2024-11-20T25:00", ""])
def test_malformed_at_is_a_usage_error(capsys, at):
    code, out, err = run_market(capsys, "--at", at, "--json")
    assert code == 2
    assert out == ""
    assert "--at" in err and "ISO 8601" in err


@pytest.fixture
def berlin(monkeypatch):
    """The machine's local zone set to Berlin for one test, and put back afterwards."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("at", ["2010-06-01T10:00:00+08:00", "9999-12-31T23:00:00Z"])
def test_instant_outside_the_calendars_is_a_usage_error(capsys, at):
    code, out, err = run_market(capsys, "--at", at, "--json")
    assert code == 2 and out == ""
    assert "XHKG calendar" in err


def test_table_shows_both_markets_in_three_zones(capsys, monkeypatch, berlin):
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = run_market(capsys, "--at", "2024-12-24T11:00:00+08:00")
    assert code == 0
    assert "open" in out and "closing auction" in out  # HK half day: auction at 12:00
    assert "Tue 24 Dec 2024 12:00 HKT" in out
    assert "Mon 23 Dec 2024 23:00 EST" in out
    assert "Christmas Eve" in out
    assert "at (local)" in out and "Tue 24 Dec 2024 05:00 CET" in out


def test_table_says_when_it_read_the_instant_as_utc(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    _, out, _ = run_market(capsys, "--at", "2024-11-20T01:15")
    assert "read as UTC" in out


def test_help_documents_the_offset_rule():
    r = subprocess.run([sys.executable, "-m", "tui", "market", "--help"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0
    assert "--at ISO-8601" in r.stdout and "UTC" in r.stdout


def test_now_by_default(capsys):
    code, out, _ = run_market(capsys, "--json")
    assert code == 0
    data = json.loads(out)
    assert datetime.fromisoformat(data["HK"]["next_change"]) > datetime.now().astimezone()
