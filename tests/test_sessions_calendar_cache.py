"""The on-disk copy of the exchange calendars: later processes answer the same without `holidays`.

Each case runs in fresh interpreters (the cache only matters across processes) with the cache dir
in tmp_path, and compares session states at instants that depend on holidays and half days.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys
from datetime import datetime
from market.sessions import market_status
instants = ["2025-01-29T02:00:00+00:00", "2025-01-28T03:00:00+00:00", "2025-11-28T17:30:00+00:00",
            "2025-12-25T15:00:00+00:00", "2026-02-16T05:00:00+00:00", "2026-07-03T14:00:00+00:00"]
out = [market_status(m, datetime.fromisoformat(at)).to_json() for at in instants for m in ("HK", "US")]
print(json.dumps({"states": out, "holidays_imported": "holidays" in sys.modules}))
"""


def probe(cache: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_second_process_reads_the_calendar_from_disk(tmp_path):
    first = probe(tmp_path)
    second = probe(tmp_path)
    assert first["holidays_imported"] is True
    assert second["holidays_imported"] is False
    assert second["states"] == first["states"]
    assert any(s["holiday"] for s in first["states"])  # the instants really hit holidays


def test_a_damaged_file_is_rebuilt_from_the_package(tmp_path):
    reference = probe(tmp_path)["states"]
    for path in tmp_path.rglob("exchange-calendars-*.json"):
        path.write_text("{not json", encoding="utf-8")
    again = probe(tmp_path)
    assert again["holidays_imported"] is True
    assert again["states"] == reference
    assert probe(tmp_path)["holidays_imported"] is False  # and written back whole
